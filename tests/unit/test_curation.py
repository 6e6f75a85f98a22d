"""Curation: every change logged, undoable, deletions restorable, concurrent saves safe."""

import json

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
    with pytest.raises(CurationError, match="B has no change to undo"):
        curation.undo_last(path, "B")
    curation.undo_last(path, "A")  # undoes A's restore: deleted again
    assert curation.get_event(path, MEETING) is None
    curation.undo_last(path, "A")  # undoes A's delete
    assert curation.get_event(path, MEETING) == original
    with pytest.raises(CurationError, match="no change to undo"):
        curation.undo_last(path, "A")


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


ROME = "ref-2021-06-28-rome-meeting"


def edit(path, event_id, changes, editor):
    event = curation.get_event(path, event_id)
    return curation.update_event(path, event_id, changes, editor, curation.fingerprint(event))


def test_undo_reverts_only_the_clicking_editors_change(path):
    """Two editors in two browsers: A's undo must not revert B's later change elsewhere."""
    meeting, rome = curation.get_event(path, MEETING), curation.get_event(path, ROME)
    edit(path, MEETING, {"notes": "A's note"}, "A")
    edit(path, ROME, {"notes": "B's note"}, "B")
    change = curation.undo_last(path, "A")
    assert change.event_id == MEETING and change.action == "undo update"
    assert curation.get_event(path, MEETING) == meeting
    assert curation.get_event(path, ROME)["notes"] == "B's note"
    curation.undo_last(path, "B")
    assert curation.get_event(path, ROME) == rome


def test_undo_is_refused_with_the_reason_when_someone_else_changed_the_event_since(path):
    edit(path, MEETING, {"notes": "A's note"}, "A")
    edit(path, MEETING, {"summary": "B's summary"}, "B")
    before = curation.get_event(path, MEETING)
    with pytest.raises(CurationError, match=r"B changed .*after your update.*change 2"):
        curation.undo_last(path, "A")
    assert curation.get_event(path, MEETING) == before
    assert not curation.history(path, MEETING)["undone"].any()
    # Once B has taken back their change, A's own undo goes through.
    curation.undo_last(path, "B")
    curation.undo_last(path, "A")
    after = curation.get_event(path, MEETING)
    assert after["notes"] != "A's note" and after["summary"] != "B's summary"


def test_undo_is_logged_naming_the_change_it_reverses(path):
    edit(path, MEETING, {"notes": "A's note"}, "A")
    edit(path, ROME, {"notes": "B's note"}, "B")
    curation.undo_last(path, "A")
    log = curation.history(path)
    undo = log[log.action == "undo update"].iloc[0]
    assert (undo.editor, undo.event_id, undo.field, undo.new_value) == ("A", MEETING, "undoes", "1")
    assert list(log[log.change_id == 1]["undone"]) == [True]
    assert not log[log.change_id == 2]["undone"].any()


def test_interleaved_undos_of_two_editors_on_two_events(path):
    """A and B alternate edits on two events, then undo in turns: each undo takes back the
    undoer's newest change only, and the end state is the start state."""
    start = {e: curation.get_event(path, e) for e in (MEETING, ROME)}
    edit(path, MEETING, {"notes": "A1"}, "A")
    edit(path, ROME, {"notes": "B1"}, "B")
    edit(path, ROME, {"sub_type": "A2"}, "A")  # A now also changed B's event
    edit(path, MEETING, {"summary": "B2"}, "B")
    curation.undo_last(path, "B")  # B's newest: the MEETING summary, nobody changed it since
    assert curation.get_event(path, MEETING)["summary"] == start[MEETING]["summary"]
    assert curation.get_event(path, MEETING)["notes"] == "A1"
    with pytest.raises(CurationError, match=r"A changed .* after your update"):
        curation.undo_last(path, "B")  # B's ROME note: A changed ROME after it
    assert curation.get_event(path, ROME)["notes"] == "B1"
    curation.undo_last(path, "A")  # A's newest: the ROME sub_type
    assert curation.get_event(path, ROME)["sub_type"] == start[ROME]["sub_type"]
    assert curation.get_event(path, ROME)["notes"] == "B1"
    curation.undo_last(path, "B")  # now B's ROME note: A's change there was taken back
    curation.undo_last(path, "A")  # A's MEETING note
    assert {e: curation.get_event(path, e) for e in start} == start


def test_trash_keeps_every_deleted_version_of_an_id(path):
    """Delete E, create a new E, delete it: both versions are kept, each restorable."""
    original = curation.get_event(path, MEETING)
    curation.delete_event(path, MEETING, "A")
    second = {**original, "title": "A second event under the same id", "dataset": "curated"}
    with pytest.raises(CurationError, match=r"belongs to a deleted event .*deleted by A"):
        curation.create_event(path, second, "B")
    curation.create_event(path, second, "B", reuse_deleted_id=True)
    curation.delete_event(path, MEETING, "B")
    trash = curation.deleted_events(path)
    assert list(trash["event_id"]) == [MEETING, MEETING]
    assert list(trash["title"]) == [second["title"], original["title"]]
    with pytest.raises(CurationError, match="2 deleted versions"):
        curation.restore_event(path, MEETING, "C")
    first_deletion = int(trash["change_id"].iloc[1])
    change = curation.restore_event(path, MEETING, "C", deleted_change=first_deletion)
    assert original["title"] in change.summary and f"change {first_deletion}" in change.summary
    assert curation.get_event(path, MEETING) == original
    assert list(curation.deleted_events(path)["title"]) == [second["title"]]


def test_undoing_the_second_deletion_brings_back_the_second_version(path):
    original = curation.get_event(path, MEETING)
    curation.delete_event(path, MEETING, "A")
    second = {**original, "title": "Second", "dataset": "curated"}
    curation.create_event(path, second, "A", reuse_deleted_id=True)
    curation.delete_event(path, MEETING, "A")
    curation.undo_last(path, "A")
    assert curation.get_event(path, MEETING)["title"] == "Second"
    assert list(curation.deleted_events(path)["title"]) == [original["title"]]


def test_only_changed_fields_are_written(path):
    edit(path, MEETING, {"title": "T" * 600}, "setup")  # longer than any form field used to take
    loaded = curation.get_event(path, MEETING)
    # What a form hands back: every field, some as the widgets make them (an empty text
    # for a missing one, a rounded coordinate, a date object), and one real change.
    form = {
        **loaded,
        "notes": "only this",
        "end_date": None,
        "admin1": loaded["admin1"] or "",
        "latitude": round(loaded["latitude"], 4),
    }
    changes = curation.changed_fields(loaded, form)
    assert changes == {"notes": "only this"}
    curation.update_event(path, MEETING, changes, "A", curation.fingerprint(loaded))
    after = curation.get_event(path, MEETING)
    assert after["title"] == "T" * 600
    assert {k for k in after if after[k] != loaded[k]} == {"notes"}
    assert list(curation.history(path, MEETING).query("editor == 'A'")["field"]) == ["notes"]


def test_publisher_with_a_bar_and_actor_with_a_line_break_are_kept(path):
    loaded = curation.get_event(path, MEETING)
    sources = [{**loaded["sources"][0], "publisher": "Reuters | Middle East desk"}]
    actors = ["Nasser Bourita\nMinister of Foreign Affairs", *loaded["actors"][1:]]
    rows = [{"publisher": s["publisher"], "url": s["url"]} for s in sources]
    changes = curation.changed_fields(
        loaded,
        {
            "sources": curation.sources_from_rows(rows + [{"publisher": None, "url": ""}]),
            "actors": curation.items_from_rows([{"value": a} for a in actors]),
        },
    )
    curation.update_event(path, MEETING, changes, "A", curation.fingerprint(loaded))
    after = curation.get_event(path, MEETING)
    assert after["sources"][0]["publisher"] == "Reuters | Middle East desk"
    assert after["actors"] == actors and len(after["actors"]) == len(loaded["actors"])
    # and the event stays editable afterwards
    edit(path, MEETING, {"notes": "again"}, "B")
    assert curation.get_event(path, MEETING)["sources"][0]["publisher"].count("|") == 1


def test_an_edit_keeps_the_batch_id_and_refuses_provenance(path, tmp_path):
    from dashboard import importer

    batch = tmp_path / "batch.jsonl"
    record = {
        "event_id": "syn-batch-1",
        "event_date": "2023-03-01",
        "event_type": "statement",
        "title": "Synthetic statement",
        "origin_id": "SYN1",
        "sources": [{"publisher": "Synthetic", "url": "https://example.org/1"}],
    }
    batch.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = importer.import_file(batch, path)
    loaded = curation.get_event(path, "syn-batch-1")
    assert loaded["batch_id"] == result.batch_id
    curation.update_event(
        path, "syn-batch-1", {"notes": "checked"}, "A", curation.fingerprint(loaded)
    )
    after = curation.get_event(path, "syn-batch-1")
    assert after["batch_id"] == result.batch_id and after["origin_id"] == "SYN1"
    assert importer.list_batches(path)[0]["events"] == 1
    with pytest.raises(CurationError, match="origin_id"):
        curation.update_event(
            path, "syn-batch-1", {"origin_id": "X"}, "A", curation.fingerprint(after)
        )
    # deleted and restored, it is still in its batch
    curation.delete_event(path, "syn-batch-1", "A")
    curation.restore_event(path, "syn-batch-1", "A")
    assert curation.get_event(path, "syn-batch-1")["batch_id"] == result.batch_id
