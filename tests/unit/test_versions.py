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
