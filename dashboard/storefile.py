"""What a store file is: its marker and layout, how it is opened, and what else a file
at its path may be.

The lowest layer of the store: :mod:`dashboard.store` (the records, the build) and
:mod:`dashboard.migrations` (upgrades of older layouts) both stand on it, so neither
needs the other to open a file or to tell a store from someone else's database.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import wordstore

#: The layout of the store's tables. A change to it comes with a migration from every
#: earlier released layout (dashboard/migrations.py), never with a rebuild.
SCHEMA_VERSION = "6"
#: Written in the meta table of every store: a DuckDB file without it (or without the
#: marks of a released layout before it) is someone else's and is never changed.
APPLICATION_ID = "conflict-diplomacy-dashboard"


class StoreError(RuntimeError):
    """A store that cannot be used, said in words a user can act on."""


class StoreBusy(StoreError):
    pass


class NotAStore(StoreError):
    """A file at the store's path that this dashboard did not write; it is left untouched."""


class NewerLayout(StoreError):
    """A store of a layout no migration of this version leads from; it can be read, not
    written (a writing connection refuses it)."""


#: Streamlit serves every browser session from a thread of one process. DuckDB refuses a
#: read-only and a read-write connection to one file in one process at the same time, and
#: two writers sharing the file in one process fail each other mid-transaction; so the
#: connections of this process take turns (each lasts one short operation).
_IN_PROCESS = threading.RLock()


def _patience(retries: int) -> float:
    return sum(min(0.05 * (attempt + 1), 0.5) for attempt in range(retries))


@contextmanager
def connect(path: Path, *, read_only: bool = False, retries: int = 20, checked: bool = True):
    """Open the store file for one operation.

    Another process holding the file (an import in a terminal) makes DuckDB refuse the
    lock; we wait a little, then say so plainly instead of showing DuckDB's error.

    A connection that may write is ``checked``: the file must carry this project's marker
    and the current layout, so no code path (a batch removal, an edit) writes into a file
    that is not a current store, and none creates one where nothing was. Only building
    a new store and migrating an older one pass ``checked=False``.
    """
    path = Path(path)
    if checked and not read_only and not path.exists():
        raise StoreError(f"there is no store at {path}")
    busy = f"the store {path} is being written by another process; try again when it finishes"
    if not _IN_PROCESS.acquire(timeout=max(_patience(retries), 0.01)):
        raise StoreBusy(busy)
    try:
        last: Exception | None = None
        for attempt in range(retries):
            try:
                con = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                last = exc
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open the store {path}: {exc}") from exc
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        else:
            raise StoreBusy(busy) from last
        try:
            if checked and not read_only:
                _check_current(con, path)
            yield con
        finally:
            con.close()
    finally:
        _IN_PROCESS.release()


def bump_version(con: duckdb.DuckDBPyConnection) -> int:
    """Advance the data version inside the writer's transaction, and record what it did.

    Every write path calls this before it commits (import, batch removal, edit, delete,
    restore, undo, a shipped refresh, an upgrade). The rows inserted by the transaction
    (``added_in`` still empty, or already the new version) are stamped with it; the
    version's row in ``versions`` counts them, the events edited (from the audit log) and
    the rows removed.
    """
    version = int(_meta(con, "version") or 0) + 1
    con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", [str(version)])
    con.execute("UPDATE events SET added_in = ? WHERE added_in IS NULL", [version])
    # An import writes its rows with the new version already (no second pass over them).
    added = con.execute("SELECT count(*) FROM events WHERE added_in = ?", [version]).fetchone()[0]
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    last = con.execute(
        "SELECT events, last_change FROM versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    before, since = last if last else (total - added, None)
    change = con.execute("SELECT COALESCE(max(change_id), 0) FROM audit").fetchone()[0]
    edited = con.execute(
        "SELECT count(DISTINCT event_id) FROM audit WHERE change_id > ? "
        "AND action IN ('update', 'undo update')",
        [change if since is None else since],
    ).fetchone()[0]
    con.execute(
        "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?)",
        [version, _now(), total, added, edited, max(before + added - total, 0), change],
    )
    wordstore.sync(con)  # the word index of the rows, in their transaction
    return version


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def _check_current(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse to write into a file that is not a store of the current layout."""
    if _meta(con, "application_id") == APPLICATION_ID and _meta(con, "schema") == SCHEMA_VERSION:
        return
    raise StoreError(f"nothing was written to {path}: {refusal(con, path)}")


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


#: Tables of the layouts released before the marker, which are recognised by them.
LEGACY_TABLES = {
    "2": {"events", "meta", "batches"},
    "3": {"events", "meta", "batches", "audit", "trash"},
}
#: Shown when a file is described: at most this many tables are named.
NAMED_TABLES = 8


@dataclass(frozen=True)
class Found:
    """What is at a store's path: ``missing``, ``empty`` (build there), ``store``, or
    ``foreign`` (someone else's database: never written)."""

    kind: str
    layout: str | None = None

    @property
    def is_store(self) -> bool:
        return self.kind == "store"


def _left_alone(path: Path, what: str) -> NotAStore:
    return NotAStore(
        f"{path} is not a store of this dashboard: {what}. It was left untouched; give "
        "--store (or DASHBOARD_STORE) the name of a new file to create a store there"
    )


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, table, rows) of every table in the file, in name order."""
    names = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT temporary "
        "ORDER BY schema_name, table_name"
    ).fetchall()
    found = []
    for schema, table in names:
        quoted = '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'
        found.append((schema, table, con.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]))  # noqa: S608 - names quoted, read from the catalog
    return found


def describe(tables: list[tuple[str, str, int]]) -> str:
    """'holding tables sales (1,000 rows), customers (20 rows)': what a refused file holds."""
    shown = [
        f"{table if schema == 'main' else schema + '.' + table} ({rows:,} row{'s' * (rows != 1)})"
        for schema, table, rows in tables[:NAMED_TABLES]
    ]
    more = len(tables) - len(shown)
    tail = f" and {more} more" if more else ""
    return f"holding table{'s' * (len(tables) != 1)} {', '.join(shown)}{tail}"


def _marks(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    """(application id, layout) from the meta table, (None, None) if it has none."""
    try:
        rows = dict(
            con.execute(
                "SELECT key, value FROM main.meta WHERE key IN ('application_id', 'schema')"
            ).fetchall()
        )
    except duckdb.Error:  # no meta table, or someone else's table of that name
        return None, None
    return rows.get("application_id"), rows.get("schema")


def _kind(con: duckdb.DuckDBPyConnection) -> Found:
    tables = _tables(con)
    if not tables:
        return Found("empty")
    marker, layout = _marks(con)
    if marker == APPLICATION_ID:
        return Found("store", layout)
    mains = {table for schema, table, _ in tables if schema == "main"}
    if marker is None and layout in LEGACY_TABLES and mains == LEGACY_TABLES[layout]:
        return Found("store", layout)
    return Found("foreign")


def refusal(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Why a file open in ``con`` is not written to, in words."""
    found = _kind(con)
    if found.kind == "store":
        return (
            f"it is a store of layout {found.layout} and this version writes layout "
            f"{SCHEMA_VERSION}; `python -m dashboard info --store {path}` upgrades a "
            "store of an earlier version"
        )
    if found.kind == "empty":
        return "it holds no table; `python -m dashboard info --store PATH` builds a store there"
    return f"it is not a store of this dashboard: a DuckDB database {describe(_tables(con))}"


def examine(path: Path) -> Found:
    """What is at ``path``, read without changing it; raises :class:`NotAStore`."""
    path = Path(path)
    if not path.exists():
        return Found("missing")
    if not path.is_file():
        raise _left_alone(path, "it is not a file")
    if path.stat().st_size == 0:
        return Found("empty")
    try:
        with connect(path, read_only=True, checked=False) as con:
            found = _kind(con)
            tables = _tables(con) if found.kind == "foreign" else []
    except StoreBusy:
        raise
    except (StoreError, duckdb.Error) as exc:
        reason = str(exc.__cause__ or exc).splitlines()[0][:200]
        raise _left_alone(path, f"DuckDB cannot open it as a database ({reason})") from exc
    if found.kind == "foreign":
        raise _left_alone(path, f"a DuckDB database {describe(tables)}")
    return found
