"""The dashboard's in-memory copy holds only what reruns read; a reader still gets whole records."""

from datetime import date

import pytest

from dashboard import curation, store
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.schema import COLUMNS

MEETING = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def path(tmp_path):
    return store.ensure_store(tmp_path / "s.duckdb")


def test_copy_leaves_the_long_texts_in_the_file(path):
    mem = store.load_memory(path)
    held = {r[0] for r in mem.execute("DESCRIBE events").fetchall()}
    assert held == {"file_row", *store.HOT_COLUMNS}
    assert not {"notes", "evidence", "summary", "search_text"} & held


def test_event_page_record_is_whole_and_equals_the_file(path):
    q = EventQuery(store.load_memory(path).cursor())
    event = q.event(MEETING)
    stored = curation.get_event(path, MEETING)
    for field in ("summary", "evidence", "notes", "coord_basis", "related", "sources"):
        assert event[field] == stored[field], field
    assert event["evidence"] and event["sources"]


def test_events_by_id_and_export_carry_every_field(path):
    q = EventQuery(store.load_memory(path).cursor())
    ids = q.rows(Filters(countries=("SYR",)), limit=None)["event_id"].tolist()
    assert len(ids) > 3
    both = q.events_by_id([ids[2], ids[0], "no-such-event"])
    assert set(both["event_id"]) == {ids[0], ids[2]}
    assert list(both.columns) == list(COLUMNS)
    exported = q.export_rows(Filters(countries=("SYR",)))
    assert list(exported["event_id"]) == ids
    assert list(exported.columns) == list(COLUMNS)
    assert exported["notes"].notna().any() or exported["summary"].notna().all()


def test_curator_can_save_while_the_dashboard_holds_its_copy(path):
    mem = store.load_memory(path)
    q = EventQuery(mem.cursor())
    assert q.event(MEETING)["summary"] != "Ministers met."
    before = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"summary": "Ministers met."}, "Layla", curation.fingerprint(before)
    )
    # The full record is read from the file, so the page shows the saved text at once.
    assert EventQuery(mem.cursor()).event(MEETING)["summary"] == "Ministers met."
    assert EventQuery(store.load_memory(path).cursor()).event(MEETING)["summary"] == (
        "Ministers met."
    )


@pytest.mark.parametrize(
    "f",
    [
        Filters(countries=("SYR", "IRQ")),
        Filters(types=("meeting",), date_from=date(2022, 1, 1)),
        Filters(countries=("SYR",), actors=("Islamic State",)),
        Filters(text="ghwayran"),
    ],
)
def test_every_aggregate_agrees_with_the_rows(path, f):
    q = EventQuery(store.load_memory(path).cursor())
    rows = q.rows(f, limit=None)
    assert q.count(f) == len(rows) > 0
    by_type = q.counts_by(f, "event_type").set_index("event_type")["events"].to_dict()
    assert by_type == rows["event_type"].value_counts().to_dict()
    assert q.period_counts(f, "week")["events"].sum() == len(rows)


def test_a_quote_in_a_filter_value_is_only_a_value(path):
    q = EventQuery(store.load_memory(path).cursor())
    assert q.count(Filters(countries=("SYR') OR TRUE OR ('x",))) == 0
    assert q.count(Filters(types=("meeting' OR 1=1 --",))) == 0


def test_pages_are_answered_while_the_filter_frame_is_made_and_if_it_fails(path, monkeypatch):
    """The frame is made in the background; until it exists, or if it cannot be made,
    the same questions are answered in SQL on a cursor of the copy's own."""
    from dashboard import filter_frame

    f = Filters(countries=("SYR",), date_from=date(2021, 1, 1))
    made = store.load_memory(path)
    assert made.framed.wait(60) and made.filter_frame is not None
    fast = EventQuery(made)
    assert fast.frame is made.filter_frame

    def broken(con):
        raise MemoryError("no room for the frame")

    monkeypatch.setattr(filter_frame, "FilterFrame", broken)
    failed = store.load_memory(path)
    assert failed.framed.wait(60) and failed.filter_frame is None
    slow = EventQuery(failed)
    assert slow.frame is None and slow.con is not failed  # a cursor, never the shared connection
    assert slow.count(f) == fast.count(f) > 0
    assert slow.rows(f)["event_id"].tolist() == fast.rows(f)["event_id"].tolist()


def test_a_text_term_matched_in_a_changed_file_says_so(path):
    """Past the frame's text budget a term is matched in the file, by rowid: only the
    version the copy was made of may answer, and a newer one is named, not misread."""
    hot = store.load_memory(path)
    assert hot.ready.wait(60) and hot.filter_frame is not None
    hot.filter_frame.text = None  # as when the text exceeds DASHBOARD_TEXT_MEMORY_MB
    assert EventQuery(hot).count(Filters(text="Marrakesh")) >= 1
    before = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"summary": "Ministers met."}, "Layla", curation.fingerprint(before)
    )
    with pytest.raises(store.StoreChanged, match="reload the page"):
        EventQuery(hot).count(Filters(text="Rome"))
    with pytest.raises(store.StoreChanged):
        EventQuery(hot.cursor()).count(Filters(text="Rome"))  # the SQL way, the same
    assert EventQuery(hot).count(Filters(text="Marrakesh")) >= 1  # asked before: kept
    assert EventQuery(store.load_memory(path)).count(Filters(text="Rome")) >= 1
