"""Whole records by id, for the event page, exports and related events.

Every embedded engine reads them the same way: from the connection it queries when that
holds every field, else from the store file in a short read-only visit (the hot copy
holds only the columns a list shows; summaries, evidence and provenance stay in the file).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import store
from dashboard.schema import COLUMNS, LIST_COLUMNS

from .base import decode

#: Up to this many ids, full records are looked up in the primary-key index.
ID_LOOKUP_MAX = 500


class Records:
    """Full records from ``con``'s ``events``, or from ``path`` when that is given."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None = None):
        self.con = con
        self.path = path

    def _full(self, sql: str, params: list, ids: list[str] | None = None) -> pd.DataFrame:
        """``sql`` over the full records; ``ids`` is offered as table ``_ids(ord, event_id)``."""
        if self.path is None:
            return _with_ids(self.con, sql, params, ids)
        with store.connect(self.path, read_only=True) as con:
            return _with_ids(con, sql, params, ids)

    def by_ids(self, ids: list[str], order: str = "_ids.ord") -> pd.DataFrame:
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        if 0 < len(ids) <= ID_LOOKUP_MAX:
            # An IN list of placeholders is answered from the primary-key index: one
            # event from a million-row file in a few milliseconds, where a join scans.
            marks = ", ".join("?" * len(ids))
            sql = (
                f"SELECT {cols} FROM events e JOIN _ids USING (event_id) "
                f"WHERE e.event_id IN ({marks}) ORDER BY {order}"
            )
            return decode(self._full(sql, list(ids), ids=list(ids)))
        sql = f"SELECT {cols} FROM _ids JOIN events e USING (event_id) ORDER BY {order}"
        return decode(self._full(sql, [], ids=list(ids)))

    def referencing(self, event_id: str) -> pd.DataFrame:
        return decode(
            self._full(
                f"SELECT {', '.join(LIST_COLUMNS)} FROM events "
                "WHERE list_contains(related, ?) ORDER BY event_date, event_id",
                [event_id],
            )
        )

    def actor_names(self, limit: int) -> list[str]:
        # Events share actor lists (the same two parties, again and again): unnesting
        # each distinct list once, weighted by its events, is faster than every row.
        rows = self.con.execute(
            "SELECT name, sum(n) AS n FROM (SELECT trim(split_part(a, '(', 1)) AS name, n "
            "FROM (SELECT unnest(actors) AS a, n FROM "
            "(SELECT actors, count(*) AS n FROM events GROUP BY actors))) "
            "WHERE name <> '' GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [int(limit)],
        ).fetchall()
        return [r[0] for r in rows]


def _with_ids(con, sql: str, params: list, ids: list[str] | None) -> pd.DataFrame:
    if ids is None:
        return con.execute(sql, params).df()
    table = pa.table({"ord": pa.array(range(len(ids)), pa.int64()), "event_id": ids})
    con.register("_ids", table)
    try:
        return con.execute(sql, params).df()
    finally:
        con.unregister("_ids")


def store_file_of(con: duckdb.DuckDBPyConnection) -> tuple[Path | None, str | None]:
    """The store file and version a narrow hot copy was made of, or (None, None) when
    ``con``'s ``events`` holds every field itself."""
    try:
        row = con.execute("SELECT path, version FROM _store").fetchall()
    except duckdb.CatalogException:
        return None, None
    return (Path(row[0][0]), row[0][1]) if row else (None, None)
