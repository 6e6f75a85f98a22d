"""The dashboard's in-memory copy holds only what reruns read; a reader still gets whole records."""

from datetime import date

import pytest

from dashboard import curation, hotcopy, store
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.schema import COLUMNS

MEETING = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def path(tmp_path):
    return store.ensure_store(tmp_path / "s.duckdb")


def test_copy_leaves_the_long_texts_in_the_file(path):
    mem = hotcopy.load(path)
    held = {r[0] for r in mem.cursor().execute("DESCRIBE events").fetchall()}
    assert held == {"file_row", *hotcopy.HOT_COLUMNS}
    assert not {"notes", "evidence", "summary", "search_text"} & held


def test_event_page_record_is_whole_and_equals_the_file(path):
    q = EventQuery(hotcopy.load(path, engine="sql").engine())
    event = q.event(MEETING)
    stored = curation.get_event(path, MEETING)
    for field in ("summary", "evidence", "notes", "coord_basis", "related", "sources"):
        assert event[field] == stored[field], field
    assert event["evidence"] and event["sources"]


def test_events_by_id_and_export_carry_every_field(path):
    q = EventQuery(hotcopy.load(path, engine="sql").engine())
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
    mem = hotcopy.load(path)
    q = EventQuery(SqlEngine(mem.cursor()))
    assert q.event(MEETING)["summary"] != "Ministers met."
    before = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"summary": "Ministers met."}, "Layla", curation.fingerprint(before)
    )
    # The full record is read from the file, so the page shows the saved text at once.
    assert EventQuery(SqlEngine(mem.cursor())).event(MEETING)["summary"] == "Ministers met."
    assert EventQuery(hotcopy.load(path, engine="sql").engine()).event(MEETING)["summary"] == (
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
    q = EventQuery(hotcopy.load(path, engine="sql").engine())
    rows = q.rows(f, limit=None)
    assert q.count(f) == len(rows) > 0
    by_type = q.counts_by(f, "event_type").set_index("event_type")["events"].to_dict()
    assert by_type == rows["event_type"].value_counts().to_dict()
    assert q.period_counts(f, "week")["events"].sum() == len(rows)


def test_a_quote_in_a_filter_value_is_only_a_value(path):
    q = EventQuery(hotcopy.load(path, engine="sql").engine())
    assert q.count(Filters(countries=("SYR') OR TRUE OR ('x",))) == 0
    assert q.count(Filters(types=("meeting' OR 1=1 --",))) == 0


def test_the_engine_is_the_configured_one_from_the_first_question(path):
    """Which engine answers is decided when the copy is loaded, never by whether a
    background step has finished: the first page after a cold start is answered by the
    same engine as every later one, and both answer the same."""
    f = Filters(countries=("SYR",), date_from=date(2021, 1, 1))
    framed = hotcopy.load(path, engine="frame")
    first = framed.engine()
    assert first.name == "frame" and framed.frame is not None
    plain = hotcopy.load(path, engine="sql")
    sql = plain.engine()
    assert sql.name == "sql" and plain.frame is None
    assert sql.con is not plain.cursor()  # a cursor of its own per engine, never shared
    fast, slow = EventQuery(first), EventQuery(sql)
    assert slow.count(f) == fast.count(f) > 0
    assert slow.rows(f)["event_id"].tolist() == fast.rows(f)["event_id"].tolist()
    with pytest.raises(ValueError, match="no engine 'spark'"):
        hotcopy.load(path, engine="spark")


def test_a_text_term_matched_in_a_changed_file_says_so(path):
    """Past the frame's text budget a term is matched in the file, by rowid: only the
    version the copy was made of may answer, and a newer one is named, not misread."""
    hot = hotcopy.load(path)
    assert hot.ready.wait(60) and hot.frame is not None
    hot.frame.text = None  # as when the text exceeds DASHBOARD_TEXT_MEMORY_MB
    hot.frame.index = None
    assert EventQuery(hot.engine()).count(Filters(text="Marrakesh")) >= 1
    before = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"summary": "Ministers met."}, "Layla", curation.fingerprint(before)
    )
    with pytest.raises(store.StoreChanged, match="reload the page"):
        EventQuery(hot.engine()).count(Filters(text="Rome"))
    with pytest.raises(store.StoreChanged):
        EventQuery(SqlEngine(hot.cursor())).count(Filters(text="Rome"))  # the SQL way, the same
    assert EventQuery(hot.engine()).count(Filters(text="Marrakesh")) >= 1  # asked before: kept
    assert EventQuery(hotcopy.load(path).engine()).count(Filters(text="Rome")) >= 1


def test_saving_a_view_keeps_the_copy_an_import_remakes_it(path, tmp_path):
    """The copy is kept per data version: a saved view writes the file (its mtime moves)
    but changes no event, so the next run reuses the copy; an import does not."""
    from dashboard import importer, saved_views, synthetic
    from dashboard.filters import ViewState

    fresh, touched = hotcopy.freshness(path), store.store_version(path)
    saved_views.save(path, ViewState(filters=Filters(countries=("SYR",))), "Syria")
    assert store.store_version(path) != touched  # the file was written...
    assert hotcopy.freshness(path) == fresh  # ...and the copy is still the current one
    synthetic.write_acled_csv(tmp_path / "acled.csv", 5)
    assert importer.import_file(tmp_path / "acled.csv", path, fmt="acled").committed
    assert hotcopy.freshness(path) != fresh


def test_a_store_replaced_by_another_file_of_the_same_version_is_copied_again(path, tmp_path):
    import shutil

    fresh = hotcopy.freshness(path)
    other = tmp_path / "other.duckdb"
    shutil.copy(path, other)
    other.replace(path)  # the same data version, another file
    assert hotcopy.freshness(path) != fresh
    assert hotcopy.freshness(path)[2] == fresh[2]


def test_a_prepared_copy_hands_freed_memory_back_once(tmp_path, monkeypatch):
    """Building the frame and reading the index pass hundreds of megabytes through the
    allocators; once the copy is ready they are asked to return what was freed."""
    hotcopy.give_back_memory()  # here too (glibc): no error
    path = store.ensure_store(tmp_path / "s.duckdb")
    calls = []
    monkeypatch.setattr(hotcopy, "give_back_memory", lambda: calls.append("given"))
    mem = hotcopy.load(path)
    assert mem.ready.wait(60)
    assert calls == ["given"]
    hotcopy.load(path, prepare=False)  # a one-shot command prepares nothing
    assert calls == ["given"]
