"""The importer's preview/commit API for uploads: what the Import screen calls.

The screen never handles a file: the API writes the uploaded bytes next to the store,
reads them and deletes that file in the same call, whether it succeeds or fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import importer, store, upload
from tests.fixtures.imports import build
from tests.store_checks import snapshot, staged


@pytest.fixture
def store_path(tmp_path) -> Path:
    return store.ensure_store(tmp_path / "store" / "events.duckdb")


@pytest.fixture(scope="module")
def ucdp() -> bytes:
    return build.ucdp_ged().encode("utf-8")


def test_a_preview_writes_nothing_and_leaves_no_file(store_path, ucdp):
    before = snapshot(store_path)
    preview = upload.preview(ucdp, "my ged.csv", store_path)
    assert preview.result.dry_run and not preview.result.committed
    assert preview.result.file_name == "my ged.csv"
    assert preview.result.accepted == 7
    assert snapshot(store_path) == before
    assert staged(store_path) == []


def test_commit_imports_what_was_previewed_and_leaves_no_file(store_path, ucdp):
    preview = upload.preview(ucdp, "ged.csv", store_path, on_duplicate="replace")
    done = preview.commit()
    assert done.committed and done.accepted == preview.result.accepted == 7
    assert [b["batch_id"] for b in importer.list_batches(store_path)] == [done.batch_id]
    assert importer.list_batches(store_path)[0]["file_name"] == "ged.csv"
    assert staged(store_path) == []


def test_progress_is_reported_to_the_caller(store_path, ucdp):
    calls = []
    preview = upload.preview(ucdp, "ged.csv", store_path, progress=lambda *a: calls.append(a))
    rows, done, total = calls[-1]
    assert (rows, done) == (preview.result.rows_read, total)


def test_a_refused_upload_raises_and_leaves_no_file(store_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 10)
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed):
        upload.preview(b"event_id,event_date\n" * 10, "big.csv", store_path)
    assert snapshot(store_path) == before
    assert staged(store_path) == []


def test_cancel_policy_blocks_a_file_with_problems(store_path, fx_bad):
    preview = upload.preview(fx_bad, "bad.csv", store_path, on_problem="cancel")
    assert preview.result.problems_total > 0
    assert preview.blocked
    assert not upload.preview(fx_bad, "bad.csv", store_path).blocked


@pytest.fixture(scope="module")
def fx_bad() -> bytes:
    return build.acled_2019().encode("utf-8")
