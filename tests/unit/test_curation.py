"""Curation: every change logged, undoable, deletions restorable, concurrent saves safe."""

import pytest

from dashboard import curation, store
from dashboard.curation import CurationError, StaleEdit

MEETING = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def path(tmp_path):
    return store.ensure_store(tmp_path / "s.duckdb")


def count(path):
    return store.info(path)["events"]


def test_edit_is_logged_field_by_field(path):
    before = curation.get_event(path, MEETING)
    curation.update_event(
        path,
        MEETING,
        {"summary": "Ministers met.", "sub_type": "plenary"},
        "Layla",
        curation.fingerprint(before),
    )
    after = curation.get_event(path, MEETING)
    assert after["summary"] == "Ministers met." and after["title"] == before["title"]
    log = curation.history(path, MEETING)
    assert set(log["field"]) == {"summary", "sub_type"}
    assert set(log["editor"]) == {"Layla"}
    row = log[log.field == "sub_type"].iloc[0]
    assert row.old_value == '"ministerial"' and row.new_value == '"plenary"'


def test_second_editor_with_a_stale_copy_is_refused(path):
    seen = curation.fingerprint(curation.get_event(path, MEETING))
    curation.update_event(path, MEETING, {"summary": "first"}, "A", seen)
    with pytest.raises(StaleEdit):
        curation.update_event(path, MEETING, {"summary": "second"}, "B", seen)
    assert curation.get_event(path, MEETING)["summary"] == "first"


def test_invalid_edit_changes_nothing(path):
    event = curation.get_event(path, MEETING)
    with pytest.raises(CurationError, match="latitude"):
        curation.update_event(path, MEETING, {"latitude": 999}, "A", curation.fingerprint(event))
    assert curation.get_event(path, MEETING) == event
    assert curation.history(path, MEETING).empty


def test_name_is_required(path):
    with pytest.raises(CurationError, match="say who you are"):
        curation.delete_event(path, MEETING, "  ")


def test_delete_restore_and_undo(path):
    total = count(path)
    original = curation.get_event(path, MEETING)
    curation.delete_event(path, MEETING, "A")
    assert count(path) == total - 1 and curation.get_event(path, MEETING) is None
    assert list(curation.deleted_events(path)["event_id"]) == [MEETING]
    curation.restore_event(path, MEETING, "A")
    assert curation.get_event(path, MEETING) == original
    curation.update_event(path, MEETING, {"notes": "x"}, "B", curation.fingerprint(original))
    curation.undo_last(path, "B")
    assert curation.get_event(path, MEETING) == original
    curation.undo_last(path, "B")  # undoes the restore: deleted again
    assert curation.get_event(path, MEETING) is None
    curation.undo_last(path, "B")  # undoes the delete
    assert curation.get_event(path, MEETING) == original
    with pytest.raises(CurationError, match="no change to undo"):
        curation.undo_last(path, "B")


def test_create_and_undo_create(path):
    raw = {
        "event_id": "curated-1",
        "event_date": "2022-05-09",
        "event_type": "statement",
        "title": "",
        "title_ar": "بلاغ لوزارة الخارجية المغربية",
        "country": "MAR",
        "sources": [
            {"publisher": "Enab Baladi", "url": "https://www.enabbaladi.net/x", "language": "ar"}
        ],
    }
    curation.create_event(path, raw, "Layla")
    assert curation.get_event(path, "curated-1")["dataset"] == "curated"
    with pytest.raises(CurationError, match="exists"):
        curation.create_event(path, raw, "Layla")
    curation.undo_last(path, "Layla")
    assert curation.get_event(path, "curated-1") is None


def test_shipped_refresh_keeps_curated_changes(path, tmp_path):
    event = curation.get_event(path, MEETING)
    curation.update_event(path, MEETING, {"summary": "kept"}, "A", curation.fingerprint(event))
    curation.delete_event(path, "ref-2021-06-28-rome-meeting", "A")
    shipped = tmp_path / "events.jsonl"
    shipped.write_text(store.SHIPPED_FILE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.ensure_store(path, shipped)  # digest differs: shipped records refreshed
    assert curation.get_event(path, MEETING)["summary"] == "kept"
    assert curation.get_event(path, "ref-2021-06-28-rome-meeting") is None
