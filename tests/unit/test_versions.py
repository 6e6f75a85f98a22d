"""A link carries the data version it was made on, and keeps showing those rows."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboard import curation, geo, importer, store, synthetic, urlstate, versions
from dashboard.engines.sql import SqlEngine
from dashboard.query import EventQuery

MEETING = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return store.ensure_store(tmp_path_factory.mktemp("shipped") / "events.duckdb")


@pytest.fixture()
def path(shipped, tmp_path):
    copy = tmp_path / "events.duckdb"
    shutil.copy(shipped, copy)
    return copy


def count(path, link: str) -> int:
    state, notices = urlstate.decode(link, is_country=geo.is_country_code)
    assert not notices
    with duckdb.connect(str(path), read_only=True) as con:
        return EventQuery(SqlEngine(con.cursor())).count(state.filters)


def test_a_link_made_before_an_import_shows_the_pre_import_count_after_it(path, tmp_path):
    made_on = versions.current(path)
    link = f"country=SYR&v={made_on}"
    before = count(path, link)
    synthetic.write_acled_csv(tmp_path / "acled.csv", 500)
    result = importer.import_file(tmp_path / "acled.csv", path, fmt="acled")
    assert result.committed
    assert count(path, "country=SYR") > before  # the import added Syrian events
    assert count(path, link) == before
    change = versions.since(path, made_on)
    assert (change.added, change.edited, change.removed, change.known) == (500, 0, 0, True)


def test_every_kind_of_write_advances_the_version_and_says_what_it_did(path, tmp_path):
    v0 = versions.current(path)
    event = curation.get_event(path, MEETING)
    curation.update_event(path, MEETING, {"notes": "checked"}, "Layla", curation.fingerprint(event))
    curation.undo_last(path, "Layla")
    curation.delete_event(path, MEETING, "Layla")
    curation.restore_event(path, MEETING, "Layla")
    synthetic.write_acled_csv(tmp_path / "acled.csv", 20)
    batch = importer.import_file(tmp_path / "acled.csv", path, fmt="acled").batch_id
    importer.remove_batch(path, batch)
    assert versions.current(path) == v0 + 6
    with store.connect(path, read_only=True) as con:
        rows = con.execute(
            "SELECT version, added, edited, removed FROM versions WHERE version > ? "
            "ORDER BY version",
            [v0],
        ).fetchall()
    assert rows == [
        (v0 + 1, 0, 1, 0),  # edit
        (v0 + 2, 0, 1, 0),  # undo of the edit
        (v0 + 3, 0, 0, 1),  # delete
        (v0 + 4, 1, 0, 0),  # restore
        (v0 + 5, 20, 0, 0),  # import
        (v0 + 6, 0, 0, 20),  # batch removed
    ]
    change = versions.since(path, v0)
    assert (change.added, change.edited, change.removed) == (21, 2, 21)
    # The restored meeting counts as added since v0: a link of v0 no longer holds it.
    assert dict(versions.changed_events(path, v0)) == {MEETING: "added"}


def test_a_bad_version_in_a_link_is_dropped_with_a_notice():
    state, notices = urlstate.decode("v=abc&country=SYR")
    assert state.filters.as_of is None and [n.param for n in notices] == ["v"]
    state, notices = urlstate.decode("v=7")
    assert state.filters.as_of == 7 and urlstate.query_string(state) == "v=7"


# --- as it was: a pinned link shows events edited or deleted since as they were ----------

RABAT = "ref-2023-02-28-rabat-statement"
MOROCCO = "country=MAR"


def answers(q, f) -> dict:
    """What the pages ask of one filter: count, a table page, map, timeline, records."""
    from dashboard.filters import Filters  # noqa: F401 - the filter type asked with

    layer = q.map_layer(f, zoom=5)
    return {
        "count": q.count(f),
        "page": q.rows(f, limit=3, offset=1).to_dict("records"),
        "map": (layer.kind, layer.frame.to_dict("records")),
        "timeline": q.period_counts(f, "week").to_dict("records"),
        "types": q.counts_by(f, "event_type").to_dict("records"),
        "export": q.export_rows(f).to_dict("records"),
        "event": q.at(f.as_of).event(MEETING),
        "deleted": q.at(f.as_of).event(RABAT),
        "related": q.at(f.as_of).referencing("ref-2023-03-01-niamey-meeting")["event_id"].tolist(),
    }


def hot_query(path, engine):
    from dashboard import hotcopy

    copy = hotcopy.load(path, engine=engine, prepare=False)
    return EventQuery(copy.engine(), at=copy.engine_at)


def edit(path, event_id, **changes):
    event = curation.get_event(path, event_id)
    return curation.update_event(path, event_id, changes, "Layla", curation.fingerprint(event))


@pytest.mark.parametrize("engine", ["sql", "frame"])
def test_a_pinned_link_shows_edited_and_deleted_events_as_they_were(path, engine):
    from dashboard.filters import Filters

    made_on = versions.current(path)
    pinned = Filters(countries=("MAR",), as_of=made_on)
    then = answers(hot_query(path, engine), pinned)
    assert then["count"] == 5 and then["deleted"] is not None
    source = {"publisher": "Later", "url": "https://example.org/x", "language": "en"}
    edit(path, MEETING, title="Renamed later", event_date="2021-01-02", country="SYR")
    edit(path, MEETING, sources=[source], actors=["Someone else"])
    curation.delete_event(path, RABAT, "Layla")
    q = hot_query(path, engine)
    now = answers(q, Filters(countries=("MAR",)))
    assert now["count"] == 3 and now["deleted"] is None  # the store has changed...
    assert answers(q, pinned) == then  # ...and the link shows every part of it as it was
    assert q.at(made_on).event(MEETING)["title"].startswith("Ministerial meeting")
    assert q.event(MEETING)["title"] == "Renamed later"
    # Text is matched on the text then: the old title finds it, the new one does not.
    assert q.count(Filters(text="Renamed later", as_of=made_on)) == 0
    deleted_text = "Moroccan foreign ministry announces Africa Focus Group"
    assert q.count(Filters(text=deleted_text, as_of=made_on)) == 1
    assert q.count(Filters(text=deleted_text)) == 0
    assert q.count(Filters(text="Renamed later")) == 1


@pytest.mark.parametrize("engine", ["sql", "frame"])
def test_an_event_deleted_and_restored_since_is_still_in_the_pinned_view(path, engine):
    from dashboard.filters import Filters

    made_on = versions.current(path)
    pinned = Filters(countries=("MAR",), as_of=made_on)
    before = hot_query(path, engine).count(pinned)
    curation.delete_event(path, MEETING, "Layla")
    curation.restore_event(path, MEETING, "Layla")  # brought back: a row added since
    assert hot_query(path, engine).count(pinned) == before


def test_the_patch_walks_every_kind_of_change_back(path, tmp_path):
    made_on = versions.current(path)
    edit(path, MEETING, notes="checked")
    curation.undo_last(path, "Layla")  # an edit and its undo: as it was
    curation.create_event(
        path,
        {**curation.get_event(path, MEETING), "event_id": "new-one", "dataset": "curated"},
        "Layla",
    )
    edit(path, "new-one", title="Created since")  # not there then: left out
    curation.delete_event(path, RABAT, "Layla")
    curation.restore_event(path, RABAT, "Layla")
    edit(path, RABAT, title="Restored and renamed")
    patch = versions.patch_at(path, made_on)
    assert set(patch.hidden) == {"new-one", RABAT}
    assert [r["event_id"] for r in patch.records] == [RABAT]
    assert patch.records[0]["title"].startswith("Moroccan foreign ministry announces")
    assert patch.lost == 0 and patch.known
    assert versions.patch_at(path, versions.current(path)).empty
    # What nothing kept is counted: a removed batch.
    synthetic.write_acled_csv(tmp_path / "acled.csv", 10)
    batch = importer.import_file(tmp_path / "acled.csv", path, fmt="acled").batch_id
    later = versions.current(path)
    importer.remove_batch(path, batch)
    assert versions.patch_at(path, later).lost == 10


def test_a_version_older_than_the_history_is_not_patched(path):
    with store.connect(path, read_only=True) as con:
        first = con.execute("SELECT min(version) FROM versions").fetchone()[0]
    edit(path, MEETING, title="Renamed later")
    if first > 1:
        assert not versions.patch_at(path, first - 2).known
    assert versions.patch_at(path, first).known


def test_an_edit_made_before_the_link_and_undone_after_it_shows_as_edited(path):
    from dashboard.filters import Filters

    edit(path, MEETING, title="Edited before the link")
    made_on = versions.current(path)
    curation.undo_last(path, "Layla")  # after the link: the title goes back
    q = hot_query(path, "sql")
    assert q.at(made_on).event(MEETING)["title"] == "Edited before the link"
    assert q.event(MEETING)["title"] != "Edited before the link"
    assert q.count(Filters(text="Edited before the link", as_of=made_on)) == 1


def test_undone_restores_and_creations_walk_back_to_absent_or_present(path):
    from dashboard.filters import Filters

    curation.delete_event(path, RABAT, "Layla")  # before the link: not in it
    made_on = versions.current(path)
    pinned = Filters(countries=("MAR",), as_of=made_on)
    before = hot_query(path, "frame").count(pinned)
    curation.restore_event(path, RABAT, "Layla")
    curation.undo_last(path, "Layla")  # the restore undone: deleted again
    curation.delete_event(path, MEETING, "Omar")
    curation.undo_last(path, "Omar")  # the deletion undone: back, as a row added since
    patch = versions.patch_at(path, made_on)
    assert RABAT not in {r["event_id"] for r in patch.records}
    assert [r["event_id"] for r in patch.records] == [MEETING] and patch.hidden == (MEETING,)
    q = hot_query(path, "frame")
    assert q.count(pinned) == before and q.at(made_on).event(RABAT) is None


def test_an_event_imported_after_the_version_and_edited_since_stays_out(path, tmp_path):
    """Edits do not put back an event a later import added: the link of before the import
    counts what it counted, on the patched copy as on the plain one."""
    from dashboard import hotcopy

    first = tmp_path / "a.csv"
    synthetic.acled_frame(5).to_csv(first, index=False)
    importer.import_file(first, path, fmt="acled")
    made_on = versions.current(path)
    before = count(path, f"v={made_on}")
    later = tmp_path / "b.csv"
    synthetic.acled_frame(5, start=100).to_csv(later, index=False)
    result = importer.import_file(later, path, fmt="acled")
    with store.connect(path, read_only=True) as con:
        added = con.execute(
            "SELECT event_id FROM events WHERE batch_id = ? ORDER BY event_id", [result.batch_id]
        ).fetchone()[0]
    event = curation.get_event(path, added)
    curation.update_event(path, added, {"title": "Edited"}, "Layla", curation.fingerprint(event))
    assert added in versions.patch_at(path, made_on).hidden
    assert not versions.patch_at(path, made_on).records
    hot = hotcopy.load(path, engine="sql", prepare=False)
    q = EventQuery(hot.engine(), at=hot.engine_at)
    f = urlstate.decode(f"v={made_on}", is_country=geo.is_country_code)[0].filters
    assert q.count(f) == before
    assert added not in set(q.rows(f, limit=None, columns=("event_id",))["event_id"])
