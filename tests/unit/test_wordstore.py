"""The word index kept in the store: after every write path it equals an index cut afresh
from the rows' text, and a start that reads it finds what a scan of the text finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import batches, curation, hotcopy, importer, store, synthetic, wordstore
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters
from dashboard.query import EventQuery

MEETING = "ref-2022-05-11-marrakesh-meeting"
ROME = "ref-2021-06-28-rome-meeting"
#: Terms that the writes below add to or take from the store's text.
TERMS = ("Marrakesh", "Zanzibarquay", "Rome", "Ghwayran", "al sinaa", "syria")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    return store.ensure_store(tmp_path_factory.mktemp("shipped") / "events.duckdb")


@pytest.fixture()
def path(shipped, tmp_path) -> Path:
    copy = tmp_path / "events.duckdb"
    shutil.copy(shipped, copy)
    return copy


def index_is_fresh(path: Path) -> None:
    """The store's postings name exactly the (token, event) pairs of the text now, and
    the index covers every row."""
    with duckdb.connect(str(path), read_only=True) as con:
        assert wordstore.current(con)
        assert wordstore.live_pairs(con) == wordstore.fresh_pairs(con)


def same_answers(path: Path) -> dict[str, int]:
    """Counts of each term from the index read at a start, which must equal a scan of
    the text in the file (SQL over every row)."""
    hot = hotcopy.load(path)
    assert hot.ready.wait(60) and hot.frame.index is not None and hot.frame.text is None
    indexed = EventQuery(hot.engine())
    with duckdb.connect(str(path), read_only=True) as con:
        scanned = EventQuery(SqlEngine(con.cursor()))
        counts = {t: scanned.count(Filters(text=t)) for t in TERMS}
    assert {t: indexed.count(Filters(text=t)) for t in TERMS} == counts
    return counts


def test_a_new_store_is_built_with_its_index(path):
    index_is_fresh(path)
    assert same_answers(path)["Marrakesh"] >= 1


def test_edits_deletes_restores_and_undo_keep_the_index_equal_to_the_text(path):
    event = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"title": "Zanzibarquay talks"}, "Layla", curation.fingerprint(event)
    )
    index_is_fresh(path)
    counts = same_answers(path)
    assert counts["Zanzibarquay"] == 1  # the new word is found, in that event alone
    with duckdb.connect(str(path), read_only=True) as con:
        hits = EventQuery(SqlEngine(con.cursor())).rows(Filters(text="Zanzibarquay"))
    assert hits["event_id"].tolist() == [MEETING]
    curation.delete_event(path, ROME, "Omar")
    index_is_fresh(path)
    gone = same_answers(path)["Rome"]
    curation.restore_event(path, ROME, "Omar")
    index_is_fresh(path)
    assert same_answers(path)["Rome"] > gone
    curation.undo_last(path, "Layla")  # the title as it was
    index_is_fresh(path)
    assert same_answers(path)["Zanzibarquay"] == 0
    created = {
        "event_id": "test-created-1",
        "event_date": "2024-02-03",
        "event_type": "statement",
        "title": "Zanzibarquay statement",
        "country": "SYR",
        "sources": [{"url": "https://example.org/created"}],
    }
    curation.create_event(path, created, "Layla")
    index_is_fresh(path)
    assert same_answers(path)["Zanzibarquay"] == 1


def test_an_import_and_its_removal_keep_the_index_equal_to_the_text(path, tmp_path):
    synthetic.write_acled_csv(tmp_path / "acled.csv", 2000)
    result = importer.import_file(tmp_path / "acled.csv", path, fmt="acled")
    assert result.committed
    index_is_fresh(path)
    with_batch = same_answers(path)
    assert with_batch["syria"] > 0
    assert batches.remove_batch(path, result.batch_id) == 2000
    index_is_fresh(path)
    without = same_answers(path)
    assert without["syria"] < with_batch["syria"]
    with duckdb.connect(str(path), read_only=True) as con:
        # Most rows gone: the index was rebuilt, not left holding their postings.
        segments, postings = con.execute(
            "SELECT count(DISTINCT segment), sum(len(docs)) FROM word_postings"
        ).fetchone()
    assert segments == 1 and postings == len(wordstore.fresh_pairs(duckdb.connect(str(path))))


def test_imports_with_refused_and_replaced_rows_index_only_what_was_stored(path, tmp_path):
    """An import indexes the postings staged beside its rows: the rows refused (repeated in
    the file, or already stored) leave none behind, a replacing import's rows are found
    by their new text, and the next edit draws a document number above the import's."""
    first = tmp_path / "first.csv"
    synthetic.write_acled_csv(first, 600)
    assert importer.import_file(first, path, fmt="acled").committed
    rows = pd.read_csv(first, dtype=str, keep_default_na=False)
    # Rows 0-299 again (already stored), row 0 once more (repeated in the file), and 300
    # new rows under new ids with a word nobody else has.
    fresh = rows.iloc[300:].copy()
    fresh["event_id_cnty"] += "-new"
    fresh["notes"] = "Zanzibarquay " + fresh["notes"]
    second = tmp_path / "second.csv"
    pd.concat([rows.iloc[:300], rows.iloc[:1], fresh]).to_csv(second, index=False)
    result = importer.import_file(second, path, fmt="acled")
    assert result.committed and result.duplicates == 301 and result.accepted == 300
    index_is_fresh(path)
    with duckdb.connect(str(path), read_only=True) as con:
        dead = con.execute(
            "SELECT count(*) FROM (SELECT unnest(docs) AS d FROM word_postings) p "
            "ANTI JOIN events e ON e.doc = p.d"
        ).fetchone()[0]
    assert dead == 0  # no postings of the refused rows
    assert same_answers(path)["Zanzibarquay"] > 0
    fresh["notes"] = fresh["notes"].str.replace("Zanzibarquay ", "", regex=False)
    pd.concat([rows.iloc[:300], fresh]).to_csv(second, index=False)
    replaced = importer.import_file(second, path, fmt="acled", on_duplicate="replace")
    assert replaced.committed and replaced.replaced == 600
    index_is_fresh(path)
    assert same_answers(path)["Zanzibarquay"] == 0
    with duckdb.connect(str(path), read_only=True) as con:
        top = con.execute("SELECT max(doc) FROM events").fetchone()[0]
    event = curation.get_event(path, MEETING)
    curation.update_event(
        path, MEETING, {"title": "Zanzibarquay talks"}, "Layla", curation.fingerprint(event)
    )
    with duckdb.connect(str(path), read_only=True) as con:
        doc = con.execute("SELECT doc FROM events WHERE event_id = ?", [MEETING]).fetchone()
    assert doc[0] > top
    index_is_fresh(path)
    assert same_answers(path)["Zanzibarquay"] == 1


def test_many_small_writes_merge_their_segments(path, monkeypatch):
    monkeypatch.setattr(wordstore, "MAX_SEGMENTS", 3)
    for n in range(6):
        event = curation.get_event(path, MEETING)
        title = {"title": f"Zanzibarquay round {n}"}
        curation.update_event(path, MEETING, title, "Layla", curation.fingerprint(event))
        index_is_fresh(path)
        with duckdb.connect(str(path), read_only=True) as con:
            segments = con.execute("SELECT count(DISTINCT segment) FROM word_postings").fetchone()
        assert segments[0] <= 3
    assert same_answers(path)["Zanzibarquay"] == 1


def test_a_shipped_refresh_keeps_the_index_equal_to_the_text(path, tmp_path):
    shipped = tmp_path / "events.jsonl"
    lines = store.SHIPPED_FILE.read_text(encoding="utf-8").splitlines()
    shipped.write_text(
        "\n".join(line.replace("Marrakesh", "Zanzibarquay") for line in lines) + "\n",
        encoding="utf-8",
    )
    store.ensure_store(path, shipped)
    index_is_fresh(path)
    assert same_answers(path)["Zanzibarquay"] >= 1


def test_rows_written_around_the_store_are_still_searched(path):
    """A row inserted by hand (not by a write path) has no postings: a start sees the
    index is behind and cuts the text itself, so no row goes unfound."""
    with store.connect(path) as con:
        columns = ", ".join(store.STORED_COLUMNS)
        picked = columns.replace("event_id", "'by-hand'").replace(
            "search_text", "'zanzibarquay by hand'"
        )
        con.execute(
            f"INSERT INTO events ({columns}) SELECT {picked} FROM events WHERE event_id = ?",
            [MEETING],
        )
        assert not wordstore.current(con)
    hot = hotcopy.load(path)
    assert hot.ready.wait(60) and hot.frame.index is not None
    assert EventQuery(hot.engine()).count(Filters(text="Zanzibarquay")) == 1


def test_an_index_cut_in_small_ranges_names_the_same_documents(shipped, tmp_path):
    """Tokens met in several ranges of document numbers keep a list per range: read
    back, every token names the same documents as when every row is cut at once."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(shipped, copy)
    with duckdb.connect(str(copy)) as con:
        wordstore.rebuild(con)
        whole = wordstore.live_pairs(con)
        con.execute("DELETE FROM word_postings")
        con.execute("DELETE FROM word_tokens")
        wordstore._add_segment(con, "doc IS NOT NULL", chunk=7)
        rows_per_token = con.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM word_postings GROUP BY token_id)"
        ).fetchone()[0]
        assert rows_per_token > 1  # a common token was met in several ranges
        assert wordstore.live_pairs(con) == whole == wordstore.fresh_pairs(con)
        assert wordstore.mismatches(con) == 0
    assert same_answers(copy)["Marrakesh"] >= 1  # a start reads a token's lists as one
