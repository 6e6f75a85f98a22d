"""Whole records by id, for the event page, exports and related events.

Every embedded engine reads them the same way: from the connection it queries when that
holds every field, else from the store file in a short read-only visit (the hot copy
holds only the columns a list shows; summaries, evidence and provenance stay in the file).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import store
from dashboard.schema import COLUMNS, LIST_COLUMNS

from .base import decode

#: Up to this many ids, full records are looked up in the primary-key index.
ID_LOOKUP_MAX = 500


class Records:
    """Full records from ``con``'s ``events``, or from ``path`` when that is given.

    Over the data as it stood at an earlier version (:mod:`dashboard.asof`), ``con`` holds
    the events edited or deleted since as they were (``_patch``, whole) and the ids of
    the stored rows that stand for something else then (``_hidden``): those are read from
    the patch, never from the file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None = None):
        self.con = con
        self.path = path
        self.patch = _patch_of(con)

    def _full(self, sql: str, params: list, ids: list[str] | None = None) -> pd.DataFrame:
        """``sql`` over the full records; ``ids`` is offered as table ``_ids(ord, event_id)``."""
        if self.path is None:
            return _with_ids(self.con, sql, params, ids)
        with store.connect(self.path, read_only=True) as con:
            return _with_ids(con, sql, params, ids)

    def by_ids(self, ids: list[str], order: str = "_ids.ord") -> pd.DataFrame:
        if self.patch is None:
            return self._by_ids(ids, order)
        patched, hidden = self.patch
        held = set(patched.index)
        kept = [i for i in ids if i not in hidden and i not in held]
        frame = _joined(
            [
                self._by_ids(kept, order),
                _patch_rows(patched, [i for i in ids if i in held])[list(COLUMNS)],
            ]
        )
        rank = {event_id: n for n, event_id in enumerate(ids)}
        return frame.iloc[frame["event_id"].map(rank).argsort(kind="stable")].reset_index(drop=True)

    def _by_ids(self, ids: list[str], order: str = "_ids.ord") -> pd.DataFrame:
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
        frame = decode(
            self._full(
                f"SELECT {', '.join(LIST_COLUMNS)} FROM events "
                "WHERE list_contains(related, ?) ORDER BY event_date, event_id",
                [event_id],
            )
        )
        if self.patch is None:
            return frame
        patched, hidden = self.patch
        then = [
            r.event_id
            for r in patched.itertuples()
            if r.related is not None and event_id in r.related
        ]
        frame = frame[~frame["event_id"].isin(hidden | set(patched.index))]
        both = _joined([frame, _patch_rows(patched, then)[list(LIST_COLUMNS)]])
        return both.sort_values(["event_date", "event_id"], kind="stable", ignore_index=True)

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


def _patch_of(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, set[str]] | None:
    """The as-of layer's patch in ``con`` (whole records by id, hidden ids), or None."""
    try:
        columns = ", ".join(dict.fromkeys((*COLUMNS, *LIST_COLUMNS)))
        frame = con.execute(f"SELECT {columns} FROM _patch").df()
        hidden = {r[0] for r in con.execute("SELECT event_id FROM _hidden").fetchall()}
    except duckdb.CatalogException:
        return None
    return frame.set_index("event_id", drop=False), hidden


def _patch_rows(patched: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    return decode(patched.loc[ids].reset_index(drop=True))


def _joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after the other (an empty one adds nothing, not its column types)."""
    kept = [p for p in parts if len(p)]
    return pd.concat(kept, ignore_index=True) if len(kept) > 1 else (kept or parts)[0]


def text_rows(con, path: Path, version: str, where: str, params: list) -> np.ndarray:
    """Rows whose search text matches: rowids in the file, and the (negative) ``file_row``
    of the events the as-of layer holds as they were, matched on their text then."""
    rows = store.text_rows(path, version, where, params)
    try:
        then = con.execute(f"SELECT file_row FROM _patch WHERE {where}", params).fetchnumpy()
    except duckdb.CatalogException:
        return rows
    return np.concatenate([rows, then["file_row"].astype(rows.dtype, copy=False)])
