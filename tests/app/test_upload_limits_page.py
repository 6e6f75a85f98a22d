"""The Import page under AppTest with hostile uploads: the limit it tells users is the one
the server applies, and a zip bomb or a file over the row limit ends in an error message,
with nothing written and the uploaded bytes deleted.

AppTest (streamlit 1.67) drives st.file_uploader: ``file_uploader[0].upload(name, bytes)``
hands the page an UploadedFile as a browser upload would. The importer's limits are module
constants read from the environment at import; the tests set them as the environment
would (``DASHBOARD_IMPORT_MAX_BYTES`` / ``DASHBOARD_IMPORT_MAX_ROWS``) by patching the
constants the page's call reads.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from dashboard import importer
from dashboard.strings import t
from tests.fixtures.imports import build
from tests.store_checks import snapshot, staged

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
MB = 1_000_000


def import_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang != "en":
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/import.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].upload(name, data, "application/octet-stream").run()
    return at


def confirm_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("Import ")]


def zip_bytes(name: str, data: str | bytes, *, declare: int | None = None) -> bytes:
    """A one-member zip; ``declare`` overrides the unpacked size the archive states."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        if declare is not None:
            archive.filelist[0].file_size = declare
    return buffer.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A valid GDELT file padded with newlines: ~1,000:1."""
    text = build.gdelt(61)
    return zip_bytes("events.CSV", text + "\n" * (unpacked - len(text)))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_upload_limit_the_page_states_is_the_configured_one(store_path, monkeypatch, lang):
    """The uploader's "Limit N MB per file" comes from its max_upload_size_mb, which must be
    the server's server.maxUploadSize from .streamlit/config.toml (no per-widget override
    that would tell users one figure while the server enforces another)."""
    configured = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    limit = configured["server"]["maxUploadSize"]
    monkeypatch.chdir(REPO)  # Streamlit reads ./.streamlit/config.toml
    st_config.get_config_options(force_reparse=True)
    assert st_config.get_option("server.maxUploadSize") == limit
    at = import_page(lang)
    assert len(at.file_uploader) == 1
    assert at.file_uploader[0].proto.max_upload_size_mb == limit
    assert at.file_uploader[0].label == t("imp_file", lang)


def test_a_zip_bomb_upload_is_refused_with_a_message_and_nothing_kept(store_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 1 * MB)  # DASHBOARD_IMPORT_MAX_BYTES=1000000
    data = zip_bomb(20 * MB)
    assert len(data) < 100_000
    before = snapshot(store_path)
    at = upload(import_page(), "bomb.zip", data)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("imp_failed", "en")]
    assert any("is 20 MB unpacked; the limit is 1 MB" in x.value for x in at.text), at.text
    assert confirm_buttons(at) == []
    assert snapshot(store_path) == before
    assert staged(store_path) == []  # the saved upload was deleted


def test_an_upload_over_the_row_limit_is_refused_before_anything_is_written(
    store_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "MAX_ROWS", 25)  # DASHBOARD_IMPORT_MAX_ROWS=25
    path = build.write_synthetic_acled(tmp_path / "long.csv", 60)
    before = snapshot(store_path)
    at = upload(import_page(), "long.csv", path.read_bytes())
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("imp_failed", "en")]
    assert any("more than 25 rows" in x.value for x in at.text), at.text
    assert confirm_buttons(at) == []
    assert snapshot(store_path) == before
    assert staged(store_path) == []


def test_a_file_just_under_the_limits_is_offered_for_import(store_path, tmp_path, monkeypatch):
    """The limits refuse what is over them, not everything: the same page with a file of
    exactly the row limit previews it and offers the import."""
    monkeypatch.setattr(importer, "MAX_ROWS", 25)
    path = build.write_synthetic_acled(tmp_path / "exact.csv", 25)
    at = upload(import_page(), "exact.csv", path.read_bytes())
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == []
    assert len(confirm_buttons(at)) == 1


def liar() -> bytes:
    data = zipfile.ZipFile(io.BytesIO(zip_bomb(2 * MB))).read("events.CSV")
    return zip_bytes("events.CSV", data, declare=500_000)  # says 500 kB, holds 2 MB


def test_a_zip_that_lies_about_its_size_changes_nothing(store_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 1 * MB)
    before = snapshot(store_path)
    upload(import_page(), "liar.zip", liar())
    assert snapshot(store_path) == before
    assert staged(store_path) == []


def test_a_zip_that_lies_about_its_size_ends_in_a_message_not_a_crash(store_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 1 * MB)
    at = upload(import_page(), "liar.zip", liar())
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("imp_failed", "en")]
