"""The SQL engine: every answer from DuckDB, over the store file or the hot copy.

It needs nothing prepared beyond an ``events`` table, so the command line's one-shot
export and the tests' in-memory stores use it, and it is the reference the other
engines are compared with. In the narrow hot copy, which holds no search text, a text
term is matched in the store file and named there by ``file_row``.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import facets
from dashboard.filters import Filters

from .base import check_column, check_facet, check_unit, decode, order_of
from .records import Records, store_file_of, text_rows


class SqlEngine:
    """SQL over ``con`` (a connection or cursor holding ``events``). One per session run:
    the last selection is kept in a temp table of this connection."""

    name = "sql"

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._path, self._version = store_file_of(con)
        self._records = Records(con, self._path)
        self._selected: Filters | None = None
        self._params: dict = {}

    def select(self, f: Filters) -> str:
        """The rows these filters select, narrow: a relation each aggregate reads from.

        With an actor or a text term the WHERE clause runs once, into a temp table, and
        each aggregate reads the few columns it needs from there. Without one, the
        clause is a few comparisons that cost less than copying the selected rows, so
        each aggregate applies it again instead. ``rid`` is the row's rowid in ``events``.
        """
        text_in_file = bool(f.text.strip()) and self._path is not None
        where, params = f.where(text=not text_in_file, picked=facets.pick(f, self.facet_values))
        columns = "rowid AS rid, event_id, event_date, event_type, country, latitude, longitude"
        if not (f.actors or f.text.strip()):
            named = iter(range(len(params)))
            where = re.sub(r"\?", lambda _: f"$f{next(named)}", where)
            self._params = {f"f{i}": value for i, value in enumerate(params)}
            return f"(SELECT {columns} FROM events WHERE {where})"
        self._params = {}
        if self._selected != f:
            if text_in_file:
                rows = text_rows(self.con, self._path, self._version, *f.text_where())
                self.con.register("_text_rows", pa.table({"rowid": rows}))
                where = f"({where}) AND file_row IN (SELECT rowid FROM _text_rows)"
            try:
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE _sel AS SELECT {columns} FROM events "
                    f"WHERE {where}",
                    params,
                )
            finally:
                if text_in_file:
                    self.con.unregister("_text_rows")
            self._selected = f
        return "_sel"

    def _run(self, sql: str, own: dict | None = None):
        """Execute over the last selection: its bound values, then the query's own.

        Values are always bound parameters (named, so a selection used twice in one
        query binds once); nothing from a filter is ever spelled into the SQL text.
        """
        return self.con.execute(sql, {**self._params, **(own or {})})

    def count(self, f: Filters) -> int:
        return self._run(f"SELECT count(*) FROM {self.select(f)}").fetchall()[0][0]

    def count_located(self, f: Filters, bounds=None) -> int:
        cond, params = _located(bounds)
        sql = f"SELECT count(*) FROM {self.select(f)} WHERE {cond}"
        return self._run(sql, params).fetchall()[0][0]

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        column = check_column(column)
        sel = self.select(f)
        if column in ("event_type", "country"):
            source = sel
        else:  # not in the narrow selection: read from the rows it names
            source = f"(SELECT {column} FROM events WHERE rowid IN (SELECT rid FROM {sel}))"
        return self._run(
            f"SELECT {column}, count(*) AS events FROM {source} "
            f"GROUP BY {column} ORDER BY events DESC, {column} NULLS LAST"
        ).df()

    def period_counts(self, f: Filters, unit: str) -> pd.DataFrame:
        unit = check_unit(unit)
        frame = self._run(
            f"SELECT date_trunc('{unit}', event_date)::DATE AS period, event_type, "
            f"count(*) AS events FROM {self.select(f)} "
            "GROUP BY period, event_type ORDER BY period, event_type"
        ).df()
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def period_deaths(self, f: Filters, unit: str) -> pd.DataFrame:
        unit = check_unit(unit)
        frame = self._run(
            f"SELECT date_trunc('{unit}', event_date)::DATE AS period, "
            "sum(fatalities)::BIGINT AS fatalities FROM events "
            f"WHERE rowid IN (SELECT rid FROM {self.select(f)}) AND fatalities IS NOT NULL "
            "GROUP BY period ORDER BY period"
        ).df()
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def table_page(self, f, *, sort, descending, limit, offset, columns) -> pd.DataFrame:
        order = order_of(sort)
        direction = "DESC" if descending else "ASC"
        sel = self.select(f)
        own: dict = {}
        within = f"SELECT rid FROM {sel}"
        if limit is not None and order == "event_date":
            # Only rows on or beyond the date of the last row wanted can be on this page;
            # rows sharing that date are all fetched, so ties still sort by event_id. The
            # date is found first, on its own: cheaper than sorting every selected row.
            edge = self._run(
                f"SELECT event_date FROM {sel} ORDER BY event_date {direction} "
                "LIMIT 1 OFFSET $edge",
                {"edge": max(0, int(limit) + int(offset) - 1)},
            ).fetchall()
            if edge:  # else fewer rows than that: every one is wanted
                within += f" WHERE event_date {'>=' if descending else '<='} $edge_date"
                own["edge_date"] = edge[0][0]
        sql = (
            f"SELECT {', '.join(columns)} FROM events WHERE rowid IN ({within}) "
            f"ORDER BY {order} {direction} NULLS LAST, event_id {direction}"
        )
        if limit is not None:
            sql += " LIMIT $limit OFFSET $offset"
            own.update(limit=int(limit), offset=int(offset))
        return decode(self._run(sql, own).df())

    def map_cells(self, f: Filters, size: float, bounds=None) -> pd.DataFrame:
        cond, params = _located(bounds)
        cells = self._run(
            "SELECT gy, gx, count(*) AS events, "
            "avg(latitude) AS latitude, avg(longitude) AS longitude, "
            "min(event_type) FILTER (WHERE n = top) AS event_type FROM ("
            "  SELECT *, max(n) OVER (PARTITION BY gy, gx) AS top FROM ("
            "    SELECT *, count(*) OVER (PARTITION BY gy, gx, event_type) AS n FROM ("
            "      SELECT CAST(floor(latitude / $size) AS INTEGER) AS gy, "
            "      CAST(floor(longitude / $size) AS INTEGER) AS gx, "
            f"      latitude, longitude, event_type FROM {self.select(f)} WHERE {cond})))"
            " GROUP BY gy, gx ORDER BY events DESC, gy, gx",
            {"size": float(size), **params},
        ).df()
        cells["events"] = cells["events"].astype("int64")
        return cells

    def map_points(self, f: Filters, columns, bounds=None, limit=None) -> pd.DataFrame:
        cond, params = _located(bounds)
        inner = f"SELECT rid FROM {self.select(f)} WHERE {cond}"
        if limit is not None:
            inner += " ORDER BY event_date DESC, event_id DESC LIMIT $limit"
            params["limit"] = int(limit)
        return decode(
            self._run(
                f"SELECT {', '.join(columns)} FROM events WHERE rowid IN ({inner}) "
                "ORDER BY event_date DESC, event_id DESC",
                params,
            ).df()
        )

    def records(self, ids: list[str]) -> pd.DataFrame:
        return self._records.by_ids(ids)

    def referencing(self, event_id: str) -> pd.DataFrame:
        return self._records.referencing(event_id)

    def actor_names(self, limit: int) -> list[str]:
        return self._records.actor_names(limit)

    def actor_lists(self, f: Filters) -> pd.DataFrame:
        return actor_lists_sql(self, f)

    # -- place and sub-type facets (dashboard.facets)
    def facet_values(self, column: str) -> list[str]:
        """The distinct values of a facet's column, most events first, ties by value."""
        column = check_facet(column)
        key = (self._path, self._version, column)
        if self._path is not None and key in _FACET_CACHE:
            return _FACET_CACHE[key]
        rows = self.con.execute(
            f"SELECT {column} FROM events WHERE {column} <> '' "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column}"
        ).fetchall()
        values = [r[0] for r in rows]
        if self._path is not None:  # a hot copy: one version of the file, never changed
            _FACET_CACHE[key] = values
            while len(_FACET_CACHE) > 8:
                _FACET_CACHE.pop(next(iter(_FACET_CACHE)))
        return values


#: Facet values per (store file, version, column) of the hot copies asked lately.
_FACET_CACHE: dict = {}


def actor_lists_sql(engine: SqlEngine, f: Filters) -> pd.DataFrame:
    """:meth:`dashboard.engines.base.Engine.actor_lists` in SQL (the selection names rows by
    rowid; the actor columns are read from ``events`` for those rows only)."""
    sel = engine.select(f)
    frame = engine._run(
        "SELECT actors_norm AS key, arg_min(actors, rowid) AS actors, count(*) AS events, "
        'min(event_date) AS "first", max(event_date) AS "last" FROM events '
        f"WHERE rowid IN (SELECT rid FROM {sel}) AND len(actors) > 0 "
        "GROUP BY actors_norm ORDER BY events DESC, key"
    ).df()
    frame["events"] = frame["events"].astype("int64")
    return decode(frame)


def _located(bounds) -> tuple[str, dict]:
    """Rows with coordinates, inside ``bounds`` (south, west, north, east) when given."""
    if bounds is None:
        return "latitude IS NOT NULL", {}
    south, west, north, east = (float(b) for b in bounds)
    cond = (
        "latitude IS NOT NULL AND latitude BETWEEN $south AND $north "
        "AND longitude BETWEEN $west AND $east"
    )
    return cond, {"south": south, "north": north, "west": west, "east": east}
