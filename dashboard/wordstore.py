"""The word index kept in the store, written in the transaction of the rows it indexes.

Building the index at every start cost more than everything else a cold start does
(about 17 s at a million rows), so the store keeps it: a start reads the postings
(:func:`dashboard.engines.wordindex.read_store_in_visits`) instead of cutting every
row's text again. Being in the store, it is written by the transaction that writes the
rows, and so survives a kill -9 exactly as they do: both or neither.

Each row carries ``doc``, a number drawn from a sequence when the row is written or its
search text changes, never reused. Every write path ends in
:func:`dashboard.storefile.bump_version`, which calls :func:`sync`: the rows with a
number above the last one indexed get one new *segment* of postings (a row per token and
range of document numbers, its documents as a sorted list), cut and grouped column-wise
(Polars, one range at a time, each range's lists written before the next is read), with
no Python loop over rows. An import cuts its rows' text as it reads the file, stages the
postings beside the rows, and stores them as its segment (:func:`add_staged`), its rows
numbered by their file rows. Rows deleted, or edited (which gives them a new number),
leave postings behind that name numbers no row holds any more: a reader drops them (a
number is looked up among the live rows), and :func:`sync` compacts them away when the
small segments grow many or the dead postings a large share.

A token's documents are the rows whose folded search text, cut at its spaces, holds
that token: the cut the in-memory index makes, so both answer a term the same way.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pyarrow as pa

#: The sequence the documents are numbered from, and the tables of the index.
DDL = """
CREATE TABLE IF NOT EXISTS word_tokens (token_id INTEGER NOT NULL, token VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS word_postings (
    segment INTEGER NOT NULL, token_id INTEGER NOT NULL, docs INTEGER[] NOT NULL
);
"""
SEQUENCE_NAME = "event_doc"
SEQUENCE = f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE_NAME} START 1;"
#: The column every row carries (appended to the events table); an import gives its rows
#: their numbers itself, and moves the sequence past them.
DOC_NAME = "doc"
DOC_COLUMN = f"{DOC_NAME} INTEGER DEFAULT nextval('{SEQUENCE_NAME}')"
#: Document numbers cut at a time while indexing (bounds the memory of their tokens).
CUT_CHUNK = 100_000
#: More segments than this: all but the first (the bulk of the rows) are merged into one.
MAX_SEGMENTS = 12
#: Dead postings' documents above this share of the live rows: the index is rebuilt.
DEAD_SHARE = 0.25


def _meta_int(con: duckdb.DuckDBPyConnection, key: str) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _set_meta(con: duckdb.DuckDBPyConnection, **values: int) -> None:
    for key, value in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])


def _pieces(con: duckdb.DuckDBPyConnection, rows: str, chunk: int = CUT_CHUNK):
    """(token, its documents, sorted) of the rows ``rows`` (trusted SQL) selects, as Arrow
    tables, one per range of ``chunk`` document numbers.

    Each range is read, cut and grouped on its own and written before the next is read:
    grouping every row's tokens at once held the whole import's text and token pairs in
    memory (about 0.9 GB more at a million rows). The text is cut with Polars: cutting
    and grouping in DuckDB SQL took ten times as long (README, performance).
    """
    # The writer's own connection: its transaction's rows are not seen by any other.
    ((low, high),) = con.execute(
        f"SELECT min(doc), max(doc) FROM events WHERE {rows}"  # noqa: S608 - trusted
    ).fetchall()
    if low is None:
        return
    for first in range(int(low), int(high) + 1, chunk):
        batch = con.sql(
            f"SELECT doc, search_text FROM events WHERE ({rows}) "  # noqa: S608 - trusted
            f"AND doc BETWEEN {first} AND {first + chunk - 1}"
        ).to_arrow_table()
        if not batch.num_rows:
            continue
        yield postings(pl.from_arrow(batch), "doc")


def postings(rows: pl.DataFrame, number: str) -> pa.Table:
    """(token, the sorted ``number`` values of the rows whose search text holds it) of
    ``rows``: the text cut at its spaces, as :mod:`dashboard.engines.wordindex` cuts it."""
    return (
        rows.lazy()
        .select(
            pl.col(number).cast(pl.Int32).alias("docs"),
            pl.col("search_text").fill_null("").str.split(" ").list.unique().alias("token"),
        )
        .explode("token")
        .filter(pl.col("token").str.len_bytes() > 0)
        .group_by("token")
        .agg(pl.col("docs").sort())
        .collect()
        .to_arrow()
    )


def _add_segment(con: duckdb.DuckDBPyConnection, rows: str, chunk: int = CUT_CHUNK) -> None:
    """Index the rows that ``rows`` (trusted SQL over ``events``) selects as one segment:
    new tokens get the next numbers, then each token's documents a list per range of
    document numbers (a reader joins a token's lists; their documents never overlap)."""
    segment = con.execute("SELECT COALESCE(max(segment), 0) + 1 FROM word_postings").fetchone()[0]
    for lists in _pieces(con, rows, chunk):
        con.register("_segment", lists)
        try:
            con.execute(
                "INSERT INTO word_tokens SELECT "
                "(SELECT COALESCE(max(token_id), -1) FROM word_tokens) "
                "+ row_number() OVER (ORDER BY n.token), n.token "
                "FROM _segment n ANTI JOIN word_tokens t ON t.token = n.token"
            )
            con.execute(
                "INSERT INTO word_postings SELECT ?, t.token_id, g.docs "
                "FROM _segment g JOIN word_tokens t ON t.token = g.token",
                [segment],
            )
        finally:
            con.unregister("_segment")


def add_staged(con: duckdb.DuckDBPyConnection, words: str, offset: int, refused: str) -> None:
    """Index an import's rows from the postings staged beside them (``words``, a Parquet
    file of :func:`postings` by file row), as one segment, in the caller's transaction:
    file row ``r`` is document ``r + offset``. ``refused`` (trusted SQL) selects the file
    rows that were not stored, whose postings are left out. Cutting the text again from
    the stored rows took five seconds and 1.5 GB more at a million rows."""
    segment = con.execute("SELECT COALESCE(max(segment), 0) + 1 FROM word_postings").fetchone()[0]
    staged = f"read_parquet('{_sql_text(words)}')"
    con.execute(
        "INSERT INTO word_tokens SELECT "
        "(SELECT COALESCE(max(token_id), -1) FROM word_tokens) "
        "+ row_number() OVER (ORDER BY n.token), n.token "
        f"FROM (SELECT DISTINCT token FROM {staged}) n "
        "ANTI JOIN word_tokens t ON t.token = n.token"
    )
    if con.execute(f"SELECT count(*) FROM ({refused})").fetchone()[0]:  # noqa: S608 - trusted
        lists = (
            f"SELECT token, part, list((r + {int(offset)})::INTEGER ORDER BY r) AS docs FROM "
            f"(SELECT token, part, unnest(docs) AS r FROM {staged}) w "
            f"ANTI JOIN ({refused}) d ON d._row = w.r GROUP BY token, part"
        )
    else:
        lists = (
            f"SELECT token, list_transform(docs, lambda r: (r + {int(offset)})::INTEGER) "
            f"AS docs FROM {staged}"
        )
    con.execute(
        f"INSERT INTO word_postings SELECT ?, t.token_id, g.docs FROM ({lists}) g "  # noqa: S608
        "JOIN word_tokens t ON t.token = g.token",
        [segment],
    )
    top, rows = con.execute(
        "SELECT COALESCE(max(doc), 0), count(*) FROM events WHERE doc > ?",
        [_meta_int(con, "indexed_doc")],
    ).fetchone()
    _set_meta(con, indexed_doc=top, indexed_rows=_meta_int(con, "indexed_rows") + rows)


def _sql_text(value: str) -> str:
    return str(value).replace("'", "''")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Index every row afresh, in the caller's transaction."""
    con.execute("DELETE FROM word_postings")
    con.execute("DELETE FROM word_tokens")
    _add_segment(con, "doc IS NOT NULL")
    top, rows = con.execute("SELECT COALESCE(max(doc), 0), count(*) FROM events").fetchone()
    _set_meta(con, indexed_doc=top, indexed_rows=rows)


def sync(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the index up to the rows in the caller's transaction (called before every
    commit, by :func:`dashboard.storefile.bump_version`)."""
    mark = _meta_int(con, "indexed_doc")
    top, fresh = con.execute(
        "SELECT COALESCE(max(doc), 0), count(*) FILTER (WHERE doc > ?) FROM events", [mark]
    ).fetchone()
    if fresh:
        _add_segment(con, f"doc > {int(mark)}")
        _set_meta(con, indexed_doc=top, indexed_rows=_meta_int(con, "indexed_rows") + fresh)
        mark = top
    live = con.execute("SELECT count(*) FROM events WHERE doc <= ?", [mark]).fetchone()[0]
    dead = _meta_int(con, "indexed_rows") - live
    if dead > DEAD_SHARE * max(live, 1000):
        rebuild(con)
        return
    segments = con.execute("SELECT count(DISTINCT segment) FROM word_postings").fetchone()[0]
    if segments > MAX_SEGMENTS:
        _merge_small(con)


def _merge_small(con: duckdb.DuckDBPyConnection) -> None:
    """Every segment after the first becomes one, without the documents of rows gone."""
    first = con.execute("SELECT min(segment) FROM word_postings").fetchone()[0]
    con.execute(
        "CREATE TEMP TABLE _merged AS SELECT p.token_id, list_sort(list_distinct(list(p.doc))) "
        "AS docs FROM (SELECT token_id, unnest(docs) AS doc FROM word_postings "
        "WHERE segment > ?) p SEMI JOIN events e ON e.doc = p.doc GROUP BY p.token_id",
        [first],
    )
    removed = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT unnest(docs) AS doc FROM word_postings "
        "WHERE segment > ?) p ANTI JOIN events e ON e.doc = p.doc",
        [first],
    ).fetchone()[0]
    con.execute("DELETE FROM word_postings WHERE segment > ?", [first])
    con.execute("INSERT INTO word_postings SELECT ?, token_id, docs FROM _merged", [first + 1])
    con.execute("DROP TABLE _merged")
    _set_meta(con, indexed_rows=_meta_int(con, "indexed_rows") - removed)


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index covers every row (a row written by hand, around the store's
    write paths, has a number above the last one indexed)."""
    try:
        mark = _meta_int(con, "indexed_doc")
        row = con.execute(
            "SELECT count(*) FILTER (WHERE doc IS NULL OR doc > ?) FROM events", [mark]
        ).fetchone()
    except duckdb.Error:  # a layout without the index
        return False
    return row[0] == 0


_LIVE = (
    "SELECT t.token, e.event_id FROM (SELECT token_id, unnest(docs) AS doc "
    "FROM word_postings) p JOIN word_tokens t USING (token_id) JOIN events e ON e.doc = p.doc"
)
_FRESH = (
    "SELECT DISTINCT token, event_id FROM (SELECT event_id, "
    "unnest(string_split(search_text, ' ')) AS token FROM events) WHERE token <> ''"
)


def live_pairs(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(token, event id) of every live posting: what a test compares with a fresh cut."""
    return set(con.execute(_LIVE).fetchall())


def fresh_pairs(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(token, event id) of the rows' text cut afresh at its spaces."""
    return set(con.execute(_FRESH).fetchall())


def mismatches(con: duckdb.DuckDBPyConnection) -> int:
    """How many (token, event id) pairs the index and a fresh cut disagree on (0 when the
    index is exact), counted in DuckDB: a check of a large store after a crash."""
    return con.execute(
        f"SELECT (SELECT count(*) FROM ({_LIVE} EXCEPT {_FRESH})) "  # noqa: S608 - constants
        f"+ (SELECT count(*) FROM ({_FRESH} EXCEPT {_LIVE}))"
    ).fetchone()[0]
