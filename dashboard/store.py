"""The event store: one embedded DuckDB file, built from data/ on first start.

The file is the durable copy. It is opened only for as long as one operation takes,
so the dashboard, the command line and a second browser session never hold it
against each other; the dashboard queries an in-memory copy
(:mod:`dashboard.hotcopy`), which is refreshed when the file's version changes.
Every write is one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from . import migrations, wordstore
from .schema import (
    CORE_FIELDS,
    DERIVED_FIELDS,
    IMPORT_FIELDS,
    Problem,
    RecordError,
    span_of,
    validate_record,
)
from .storefile import (  # noqa: F401 - the store's own names, kept where callers look
    _IN_PROCESS,
    APPLICATION_ID,
    SCHEMA_VERSION,
    NewerLayout,
    NotAStore,
    StoreBusy,
    StoreError,
    _meta,
    _patience,
    bump_version,
    connect,
)
from .text import actors_blob, normalise_column, normalise_many, search_parts

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "data"
SHIPPED_FILE = DATA_DIR / "events.jsonl"
#: DuckDB's type for each kind of field (:class:`dashboard.schema.Field`).
SQL_TYPES = {
    "text": "VARCHAR",
    "date": "DATE",
    "float": "DOUBLE",
    "int": "INTEGER",
    "bool": "BOOLEAN",
    "list": "VARCHAR[]",
}
ARROW_TYPES = {
    "text": pa.string(),
    "date": pa.date32(),
    "float": pa.float64(),
    "int": pa.int32(),
    "bool": pa.bool_(),
    "list": pa.list_(pa.string()),
}
#: The stored row: the record, with the span its date stands for beside the date, then
#: the import's own fields and what the store derives for the filters (the order of
#: every released layout: a store's columns are never reordered).
_SPAN = DERIVED_FIELDS[:2]
STORED_FIELDS = (*CORE_FIELDS[:4], *_SPAN, *CORE_FIELDS[4:], *IMPORT_FIELDS, *DERIVED_FIELDS[2:])
STORED_COLUMNS = tuple(f.name for f in STORED_FIELDS)
_ARROW_SCHEMA = pa.schema([(f.name, ARROW_TYPES[f.kind]) for f in STORED_FIELDS])


#: Tables of layout 5: one row per data version (what it added, edited, removed) and
#: the saved views (short links, watchlists). Written by the migration to layout 5 too.
VERSIONED_TABLES = (
    (
        "versions",
        "version BIGINT PRIMARY KEY, made_at TIMESTAMP NOT NULL, events BIGINT NOT NULL, "
        "added BIGINT NOT NULL, edited BIGINT NOT NULL, removed BIGINT NOT NULL, "
        "last_change BIGINT NOT NULL",
    ),
    (
        "views",
        "view_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, page VARCHAR NOT NULL, "
        "query VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, "
        "watched BOOLEAN NOT NULL DEFAULT FALSE, seen_version BIGINT, seen_at TIMESTAMP",
    ),
)


def _column_ddl(f) -> str:
    key = " PRIMARY KEY" if f.name == "event_id" else ""
    return f"    {f.name} {SQL_TYPES[f.kind]}{' NOT NULL' if f.required and not key else ''}{key}"


EVENTS_DDL = (
    wordstore.SEQUENCE
    + "\nCREATE TABLE IF NOT EXISTS events (\n"
    + ",\n".join(_column_ddl(f) for f in STORED_FIELDS)
    # The data version that added the row (0: before versions were recorded), so a link
    # made on an earlier version leaves out what came after it (Filters.as_of).
    + ",\n    added_in BIGINT"
    # The row's document number in the word index (:mod:`dashboard.wordstore`).
    + f",\n    {wordstore.DOC_COLUMN}"
    + "\n);\n"
    + """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
-- Every curated change: one row per changed field, written with the change.
CREATE TABLE IF NOT EXISTS audit (
    change_id BIGINT NOT NULL,
    event_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    editor VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    field VARCHAR,
    old_value VARCHAR,
    new_value VARCHAR,
    undone BOOLEAN DEFAULT FALSE
);
-- Every deleted version of an event, kept whole and named by the change that deleted it;
-- a restore marks the version it brought back (restored_by), it never removes it.
CREATE TABLE IF NOT EXISTS trash (
    change_id BIGINT PRIMARY KEY,
    event_id VARCHAR NOT NULL,
    deleted_at TIMESTAMP NOT NULL,
    editor VARCHAR NOT NULL,
    record VARCHAR NOT NULL,
    restored_by BIGINT
);
CREATE TABLE IF NOT EXISTS batches (
    batch_id VARCHAR PRIMARY KEY,
    file_name VARCHAR,
    content_sha256 VARCHAR,
    format VARCHAR,
    imported_at TIMESTAMP,
    rows_read BIGINT,
    rows_accepted BIGINT,
    rows_rejected BIGINT
);
"""
    + "\n".join(f"CREATE TABLE IF NOT EXISTS {name} ({body});" for name, body in VERSIONED_TABLES)
    + wordstore.DDL
)


def default_store_path() -> Path:
    """``DASHBOARD_STORE`` if set, else var/events.duckdb in the project (git ignores var/)."""
    env = os.environ.get("DASHBOARD_STORE")
    return Path(env).expanduser() if env else REPO / "var" / "events.duckdb"


def stored_row(record: dict, batch_id: str | None = None) -> dict:
    """A validated record plus the columns derived for fast queries."""
    return stored_rows([record], batch_id)[0]


def stored_rows(records: list[dict], batch_id: str | None = None) -> list[dict]:
    """:func:`stored_row` for a whole chunk, the search text folded in one vectorised pass."""
    texts = normalise_many([search_parts(r) for r in records])
    rows = []
    for record, text in zip(records, texts, strict=True):
        start, end = span_of(record["event_date"], record["end_date"], record["date_precision"])
        row = dict(record)
        row["batch_id"] = batch_id
        row["span_start"], row["span_end"] = start, end
        row["sources"] = json.dumps(record["sources"], ensure_ascii=False)
        row["search_text"] = text
        row["actors_norm"] = _actors_norm(tuple(record["actors"]))
        rows.append(row)
    return rows


@lru_cache(maxsize=8192)
def _actors_norm(actors: tuple[str, ...]) -> str:
    """Imports repeat the same few actor lists thousands of times."""
    return actors_blob(list(actors))


def stored_table(records: pl.DataFrame) -> pa.Table:
    """:func:`stored_rows` of record columns (a column import's batch), as an Arrow table
    of the stored columns; the frame's own ``_row`` column is kept after them."""
    precision, day = pl.col("date_precision"), pl.col("event_date")
    start = (
        pl.when(precision == "month")
        .then(day.dt.month_start())
        .when(precision == "year")
        .then(pl.date(day.dt.year(), 1, 1))
        .otherwise(day)
    )
    end = (
        pl.when(precision == "month")
        .then(day.dt.month_end())
        .when(precision == "year")
        .then(pl.date(day.dt.year(), 12, 31))
        .otherwise(day)
    )
    end = pl.max_horizontal(end, pl.col("end_date"))
    parts = [
        pl.col("title"),
        pl.col("title_ar"),
        pl.col("summary"),
        pl.col("actors").list.join(" "),
        *(pl.col(c) for c in ("location", "admin1", "evidence", "notes", "sub_type")),
        pl.col("origin_type"),
    ]
    frame = records.with_columns(
        span_start=start,
        span_end=end,
        batch_id=pl.lit(None, pl.String),
        _parts=pl.concat_str(
            [pl.when(p != "").then(p) for p in parts], separator=" \u241f ", ignore_nulls=True
        ).fill_null(""),
    )
    # NUL separates the names of a key: no stored text holds one (the schema drops them).
    keys = frame["actors"].list.join("\x00")
    norms = {k: _actors_norm(tuple(k.split("\x00")) if k else ()) for k in keys.unique()}
    frame = frame.with_columns(
        search_text=normalise_column(frame["_parts"], check=32),
        actors_norm=keys.replace_strict(norms, return_dtype=pl.String),
    )
    table = frame.select(*STORED_COLUMNS, "_row").to_arrow()
    schema = _ARROW_SCHEMA.append(pa.field("_row", pa.int64()))
    return table.cast(schema)


def rows_to_arrow(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=_ARROW_SCHEMA)


def read_shipped(path: Path = SHIPPED_FILE) -> list[dict]:
    """The shipped records, validated; a bad line stops the build with its line number."""
    from .geo import is_country_code

    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                raw["dataset"] = "reference"
                records.append(validate_record(raw, known_country=is_country_code))
            except (json.JSONDecodeError, RecordError) as exc:
                raise StoreError(f"{path.name} line {number}: {exc}") from exc
    return records


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_shipped(con: duckdb.DuckDBPyConnection, records: list[dict], digest: str) -> None:
    table = rows_to_arrow(stored_rows(records))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(EVENTS_DDL)
        # A shipped record a curator edited or deleted stays as the curator left it.
        touched = "(SELECT event_id FROM audit UNION SELECT event_id FROM trash)"
        # A refreshed record that was there before keeps the version that added it: a link
        # made before the refresh still shows it.
        con.execute(
            "CREATE TEMP TABLE _kept AS SELECT event_id, added_in FROM events "
            f"WHERE dataset = 'reference' AND event_id NOT IN {touched}"
        )
        con.execute(f"DELETE FROM events WHERE dataset = 'reference' AND event_id NOT IN {touched}")
        con.register("incoming", table)
        con.execute(
            f"INSERT INTO events ({', '.join(STORED_COLUMNS)}) SELECT * FROM incoming "
            f"WHERE event_id NOT IN {touched}"
        )
        con.unregister("incoming")
        con.execute(
            "UPDATE events SET added_in = _kept.added_in FROM _kept "
            "WHERE events.event_id = _kept.event_id"
        )
        con.execute("DROP TABLE _kept")
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('shipped_digest', ?), ('schema', ?), "
            "('application_id', ?)",
            [digest, SCHEMA_VERSION, APPLICATION_ID],
        )
        bump_version(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def ensure_store(
    path: Path | None = None, shipped: Path = SHIPPED_FILE, *, notices: list[str] | None = None
) -> Path:
    """The store at ``path``, ready for this version: built from data/ where there is none,
    upgraded where it has an earlier layout, its shipped records refreshed if data/ changed.

    Only a missing path, an empty file or a DuckDB database without tables is built from
    scratch. Any other file must carry this project's marker (or be a store of an earlier
    released layout): else :class:`NotAStore` says what the file holds and it is left
    exactly as it was. An older store is migrated in place after a verified backup
    (:mod:`dashboard.migrations`); a layout no migration reaches raises :class:`NewerLayout`
    and changes nothing, or, given a ``notices`` list, adds the message to it and returns:
    the caller opens the store read-only (every writing connection refuses it).
    A new store is built in a temporary file and renamed into place, so a crash while
    building leaves no half-built store behind.
    """
    path = Path(path or default_store_path())
    digest = _digest(shipped)
    found = migrations.examine(path)
    if found.is_store:
        if found.layout != SCHEMA_VERSION:
            try:
                migrations.upgrade(path)
            except NewerLayout as exc:
                if notices is None:
                    raise
                notices.append(f"{exc}; it is shown read-only")
                return path
        with connect(path, read_only=True) as con:
            current = _meta(con, "shipped_digest")
        if current == digest:
            return path
        records = read_shipped(shipped)
        with connect(path) as con:
            _write_shipped(con, records, digest)
        return path
    records = read_shipped(shipped)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_dead_builds(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    tmp.unlink(missing_ok=True)
    try:
        with connect(tmp, checked=False) as con:
            _write_shipped(con, records, digest)
            con.execute("CHECKPOINT")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return path


def _remove_dead_builds(path: Path) -> None:
    """Delete the half-built stores of builders that were killed (kill -9 skips their
    cleanup, and each is as large as a store); a live builder's file is left alone."""
    prefix = f".{path.name}."
    for leftover in path.parent.iterdir():
        name = leftover.name
        if not (name.startswith(prefix) and name.endswith((".building", ".building.wal"))):
            continue
        pid = name[len(prefix) :].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def store_version(path: Path) -> tuple[float, int]:
    """Cheap change token (mtime and size of the file and its WAL) checked on every rerun."""
    token = []
    for p in (Path(path), Path(str(path) + ".wal")):
        try:
            st = p.stat()
            token.extend([st.st_mtime_ns, st.st_size])
        except FileNotFoundError:
            token.extend([0, 0])
    return tuple(token)


def memory_from_records(records: Iterable[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory store of validated records (tests and benchmarks build their data this way)."""
    mem = duckdb.connect(":memory:")
    mem.execute(EVENTS_DDL)
    table = rows_to_arrow(stored_rows([validate_record(r) for r in records]))
    mem.register("incoming", table)
    mem.execute(f"INSERT INTO events ({', '.join(STORED_COLUMNS)}) SELECT * FROM incoming")
    mem.unregister("incoming")
    return mem


class StoreChanged(StoreError):
    """The file changed under a query that needed it to match the in-memory copy."""


def _file_version(con: duckdb.DuckDBPyConnection, catalog: str = "main") -> str:
    row = con.execute(f"SELECT value FROM {catalog}.meta WHERE key = 'version'").fetchall()
    return row[0][0] if row else "0"


@contextmanager
def same_version(path: Path, version: str):
    """A short read-only visit to the file, which must be the version the copy was made of
    (rowids name the same rows only then); else :class:`StoreChanged`."""
    with connect(path, read_only=True) as con:
        if _file_version(con) != version:
            raise StoreChanged(
                "the store changed while this page was shown (an import or an edit); "
                "reload the page to search the new version"
            )
        yield con


def text_rows(path: Path, version: str, where: str, params: list):
    """Rowids in the file of the rows whose search text matches ``where`` (trusted SQL with
    bound ``params``, from :meth:`dashboard.filters.Filters.text_where`)."""
    with same_version(path, version) as con:
        return con.execute(f"SELECT rowid FROM events WHERE {where}", params).fetchnumpy()["rowid"]


def insert_records(path: Path, records: Iterable[dict]) -> list[Problem]:
    """Validate and add records in one transaction; returns the problems of rejected rows."""
    from .geo import is_country_code

    rows, problems, first_row = [], [], {}
    for number, raw in enumerate(records, start=1):
        try:
            record = validate_record(raw, known_country=is_country_code)
        except RecordError as exc:
            problems.append(Problem(number, exc.column, exc.message))
            continue
        first = first_row.setdefault(record["event_id"], number)
        if first != number:
            message = f"duplicate id {record['event_id']!r}: also row {first}"
            problems.append(Problem(number, "event_id", message))
            continue
        rows.append(record)
    if not rows:
        return problems
    with connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("incoming", rows_to_arrow(stored_rows(rows)))
            con.execute(f"INSERT INTO events ({', '.join(STORED_COLUMNS)}) SELECT * FROM incoming")
            bump_version(con)
            con.execute("COMMIT")
        except duckdb.ConstraintException as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"an event id is already in the store: {exc}") from exc
    return problems


def info(path: Path) -> dict:
    """Counts by type, country and dataset, for `python -m dashboard info`."""
    with connect(path, read_only=True) as con:

        def counts(column: str) -> list[tuple[str, int]]:
            return con.execute(
                f"SELECT COALESCE({column}, '-') AS k, count(*) AS n FROM events "  # noqa: S608 - column is one of three literals below
                "GROUP BY k ORDER BY n DESC, k"
            ).fetchall()

        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        return {
            "store": str(path),
            "events": total,
            "by_type": counts("event_type"),
            "by_country": counts("country"),
            "by_dataset": counts("dataset"),
            "version": _meta(con, "version"),
        }
