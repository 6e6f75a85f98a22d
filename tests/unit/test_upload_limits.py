"""Hostile uploads: zip bombs, archives of many files, nested archives, files over the size
and row limits. Each is refused with a message that says why, and the store is left exactly
as it was: same rows, same version, same batches, same file on disk, no staging leftovers.

The limits under test (dashboard.importer): ``MAX_BYTES`` (``DASHBOARD_IMPORT_MAX_BYTES``,
4 GB) on the file and on the *declared* unpacked size of a zip's member, checked before a
byte is unpacked; ``MAX_ROWS`` (``DASHBOARD_IMPORT_MAX_ROWS``, 5,000,000) checked chunk by
chunk while reading, before the write phase opens the store. dashboard.sources.detect
reads exactly one data file from a zip and ignores archive clutter (folders, __MACOSX/,
dot files). Streamlit's own cap on an upload (``server.maxUploadSize``) is checked against
these in tests/app/test_upload_limits_page.py and below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from dashboard import importer, store
from dashboard.sources import detect as detect_module
from tests.fixtures.imports import build
from tests.store_checks import snapshot, staged

REPO = Path(__file__).resolve().parents[2]
MB = 1_000_000


@pytest.fixture
def store_path(tmp_path) -> Path:
    return store.ensure_store(tmp_path / "store" / "events.duckdb")


def write_zip(path: Path, members: dict[str, str | bytes], *, declare: int | None = None) -> Path:
    """A zip of these members; ``declare`` overrides the unpacked size the archive states
    for its first member (its bytes and CRC stay true), as a hand-made archive can."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if declare is not None:
            archive.filelist[0].file_size = declare
    return path


def bomb(path: Path, unpacked: int) -> Path:
    """A real zip bomb: a valid GDELT file padded with newlines, ~1,000:1."""
    text = build.gdelt(61)
    return write_zip(path, {"events.CSV": text + "\n" * (unpacked - len(text))})


@pytest.fixture
def nothing_read(monkeypatch) -> list[str]:
    """Fails the test if the importer starts reading rows (it must refuse before that)."""
    calls: list[str] = []

    def refuse(path, *args, **kwargs):
        calls.append(str(path))
        raise AssertionError(f"the importer started reading {Path(path).name}")

    monkeypatch.setattr(importer, "_read_phase", refuse)
    return calls


@pytest.fixture
def nothing_written(monkeypatch) -> list[str]:
    """Records any call of the write phase (the one place that opens the store to write)."""
    calls: list[str] = []
    real = importer._write_phase

    def spy(*args, **kwargs):
        calls.append("write")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_phase", spy)
    return calls


# --------------------------------------------------------------------------- zip bombs


def test_a_zip_bomb_is_refused_from_its_declared_size_before_anything_is_unpacked(
    store_path, tmp_path, nothing_read
):
    path = bomb(tmp_path / "bomb.zip", 20 * MB)
    assert path.stat().st_size < 100_000  # 20 MB unpacked from a few kB
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed) as refused:
        importer.import_file(path, store_path, max_bytes=1 * MB)
    assert str(refused.value) == (
        "events.CSV inside bomb.zip is 20 MB unpacked; the limit is 1 MB "
        "(DASHBOARD_IMPORT_MAX_BYTES)"
    )
    assert nothing_read == []
    assert snapshot(store_path) == before
    assert staged(store_path) == []


def test_the_default_limit_refuses_a_member_that_declares_more_than_4_gb(
    store_path, tmp_path, nothing_read
):
    # The archive says 5 GiB; the default limit (no env var set) must refuse it unread.
    assert "DASHBOARD_IMPORT_MAX_BYTES" not in os.environ
    path = write_zip(tmp_path / "huge.zip", {"events.CSV": build.gdelt(61)}, declare=5 * 2**30)
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match=r"is 5,369 MB unpacked; the limit is 4,295"):
        importer.import_file(path, store_path)
    assert nothing_read == []
    assert snapshot(store_path) == before


def understated(folder: Path) -> Path:
    """Declares 500 kB (under a 1 MB limit), holds 2 MB."""
    data = zipfile.ZipFile(bomb(folder / "real.zip", 2 * MB)).read("events.CSV")
    return write_zip(folder / "liar.zip", {"events.CSV": data}, declare=500_000)


def flagged(folder: Path, offset: int, value: int) -> Path:
    """A good archive with one 2-byte field of its local and central headers changed."""
    path = write_zip(folder / "odd.zip", {"events.CSV": build.gdelt(61)})
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the central header has 2 more bytes first
    data[offset : offset + 2] = value.to_bytes(2, "little")
    data[central + offset + 2 : central + offset + 4] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


#: Archives whose one member cannot be read to its end, and what zipfile raises for each.
UNREADABLE = [
    pytest.param(understated, zipfile.BadZipFile, id="understated-size"),
    pytest.param(lambda folder: flagged(folder, 6, 1), RuntimeError, id="encrypted"),
    pytest.param(lambda folder: flagged(folder, 8, 99), NotImplementedError, id="aes-method"),
]


def test_a_zip_that_understates_its_size_never_unpacks_more_than_it_declared(
    store_path, tmp_path, monkeypatch
):
    # zipfile stops at the declared size and the CRC then fails, so the bytes beyond the
    # declaration are never produced: the declared-size check cannot be walked around.
    streams = []
    real = detect_module.open_binary

    def counted(path, detected):
        stream = real(path, detected)
        streams.append(stream)
        return stream

    monkeypatch.setattr(detect_module, "open_binary", counted)
    with pytest.raises((importer.ImportFailed, zipfile.BadZipFile)):
        importer.import_file(understated(tmp_path), store_path, max_bytes=1 * MB)
    assert streams and 0 < max(s.count for s in streams) <= 500_000


@pytest.mark.parametrize(("make", "escapes"), UNREADABLE)
def test_a_zip_that_cannot_be_read_changes_nothing(store_path, tmp_path, make, escapes):
    path = make(tmp_path)
    before = snapshot(store_path)
    with pytest.raises((importer.ImportFailed, escapes)):
        importer.import_file(path, store_path, max_bytes=1 * MB)
    assert snapshot(store_path) == before
    assert staged(store_path) == []


@pytest.mark.parametrize(("make", "escapes"), UNREADABLE)
def test_a_zip_that_cannot_be_read_is_refused_with_a_message(store_path, tmp_path, make, escapes):
    with pytest.raises(importer.ImportFailed, match="the zip archive cannot be read"):
        importer.import_file(make(tmp_path), store_path, max_bytes=1 * MB)


# --------------------------------------------------------------------------- archive shapes


def test_a_zip_of_many_files_is_refused_naming_the_first_five(store_path, tmp_path, nothing_read):
    members = {f"part{i:04d}.csv": build.gdelt(61) for i in range(1_000)}
    path = write_zip(tmp_path / "many.zip", members)
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed) as refused:
        importer.import_file(path, store_path)
    assert str(refused.value) == (
        "the zip holds 1000 files (part0000.csv, part0001.csv, part0002.csv, part0003.csv, "
        "part0004.csv); unpack the one to import"
    )
    assert nothing_read == []
    assert snapshot(store_path) == before


def test_a_zip_inside_a_zip_is_refused_without_unpacking_the_inner_one(
    store_path, tmp_path, nothing_read
):
    inner = bomb(tmp_path / "inner.zip", 20 * MB)
    path = write_zip(tmp_path / "nested.zip", {"inner.zip": inner.read_bytes()})
    before = snapshot(store_path)
    # Only the outer member is opened, and only its head is sampled: the inner archive's
    # bytes are binary, so the file is refused as "not a text file" before any reading.
    with pytest.raises(importer.ImportFailed, match="not a text file"):
        importer.import_file(path, store_path, max_bytes=100 * MB)
    assert nothing_read == []
    assert snapshot(store_path) == before


def test_archive_clutter_is_ignored_and_the_one_data_file_read(store_path, tmp_path):
    members = {
        "export/": "",
        "__MACOSX/export/._events.CSV": b"\x00\x05\x16\x07 resource fork",
        "export/.DS_Store": b"\x00\x00\x00\x01Bud1",
        "export/events.CSV": build.gdelt(61),
    }
    path = write_zip(tmp_path / "from-a-mac.zip", members)
    result = importer.import_file(path, store_path, dry_run=True)
    plain = tmp_path / "events.CSV"
    plain.write_text(build.gdelt(61), encoding="utf-8")
    expected = importer.import_file(plain, store_path, dry_run=True)
    assert (result.rows_read, result.accepted) == (expected.rows_read, expected.accepted)
    assert result.rows_read > 0


# --------------------------------------------------------------------------- size and rows


def test_a_file_over_the_size_limit_is_refused_from_its_size_alone(
    store_path, tmp_path, monkeypatch, nothing_read
):
    path = build.write_synthetic_acled(tmp_path / "big.csv", 2_000)
    size = path.stat().st_size

    def no_detect(*args, **kwargs):
        raise AssertionError("the file was opened to detect its format")

    monkeypatch.setattr(importer, "detect", no_detect)
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match=r"big\.csv is [\d,]+ MB; the limit is"):
        importer.import_file(path, store_path, max_bytes=size - 1)
    assert nothing_read == []
    assert snapshot(store_path) == before


@pytest.mark.parametrize("chunk_rows", [10_000, 10], ids=["one-chunk", "many-chunks"])
def test_a_file_over_the_row_limit_is_refused_before_anything_is_written(
    store_path, tmp_path, nothing_written, chunk_rows
):
    path = build.write_synthetic_acled(tmp_path / "long.csv", 60)
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match=r"more than 25 rows.*Nothing was imported"):
        importer.import_file(path, store_path, max_rows=25, chunk_rows=chunk_rows)
    assert nothing_written == []
    assert snapshot(store_path) == before
    assert staged(store_path) == []  # the staged rows of the first chunks are gone too


def test_a_file_at_the_row_limit_is_imported(store_path, tmp_path):
    path = build.write_synthetic_acled(tmp_path / "exact.csv", 25)
    result = importer.import_file(path, store_path, max_rows=25, chunk_rows=10)
    assert result.rows_read == 25 and result.committed


@pytest.mark.parametrize(
    ("env", "make", "message"),
    [
        (
            {"DASHBOARD_IMPORT_MAX_BYTES": str(MB)},
            lambda folder: bomb(folder / "bomb.zip", 20 * MB),
            "events.CSV inside bomb.zip is 20 MB unpacked; the limit is 1 MB",
        ),
        (
            {"DASHBOARD_IMPORT_MAX_ROWS": "25"},
            lambda folder: build.write_synthetic_acled(folder / "long.csv", 60),
            "the file has more than 25 rows",
        ),
    ],
    ids=["max-bytes", "max-rows"],
)
def test_the_limits_are_read_from_the_environment(store_path, tmp_path, env, make, message):
    path = make(tmp_path)
    before = snapshot(store_path)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(path), "--store", str(store_path)],
        cwd=REPO,
        env={**os.environ, **env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(store_path) == before
    assert staged(store_path) == []


# --------------------------------------------------------------------------- the upload path


def test_an_upload_the_server_accepts_is_never_refused_for_its_size_alone():
    """Streamlit refuses uploads over server.maxUploadSize (MB of 2**20 bytes) itself; the
    importer's own limit must not be lower, or the page would take a file and then refuse
    it for a size the user was told was fine."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    upload_mb = config["server"]["maxUploadSize"]
    assert isinstance(upload_mb, int) and upload_mb > 0
    assert upload_mb * 2**20 <= importer.MAX_BYTES


@pytest.mark.parametrize(
    "name",
    ["../../../etc/passwd", "..\\..\\evil.csv", "/abs/path/x.csv", "", "a" * 500 + ".csv"],
)
def test_an_upload_is_saved_in_the_staging_folder_under_a_name_of_our_own(tmp_path, name):
    store_path = tmp_path / "store" / "events.duckdb"
    saved = importer.save_upload(store_path, name, b"event_id,event_date\n")
    try:
        assert saved.parent == store_path.parent / importer.STAGING_DIR
        # "upload-", the owning process ("<pid>@<host tag>-"), 16 random hex digits, "-", 80
        owner = len(f"{os.getpid()}@{importer._host_tag()}-")
        assert saved.name.startswith("upload-") and len(saved.name) <= 7 + owner + 16 + 1 + 80
        assert "/" not in saved.name and "\\" not in saved.name
        assert saved.read_bytes() == b"event_id,event_date\n"
    finally:
        saved.unlink()
