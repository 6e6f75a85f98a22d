"""One filter model -> rows and aggregates, for every page, the CLI and the exports.

All SQL of the interactive path lives here, behind :class:`EventQuery`, so another
engine can replace it without touching a page. Values reach SQL only as bound
parameters; column names in ORDER BY come from a whitelist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa

from . import filter_frame as ff
from . import store
from .filters import Filters
from .schema import COLUMNS, LIST_COLUMNS

#: Columns the table page may sort by, and the SQL they sort on.
SORTABLE = {
    "event_date": "event_date",
    "event_type": "event_type",
    "country": "country",
    "title": "title",
    "location": "location",
    "fatalities": "fatalities",
}
MAP_COLUMNS = (
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "event_type",
    "title",
    "title_ar",
    "country",
    "location",
    "latitude",
    "longitude",
    "verification",
    "sources",
)
FREQS = {"week": "week", "month": "month"}
#: Up to this many ids, full records are looked up in the primary-key index.
ID_LOOKUP_MAX = 500
#: Up to this many located events the map shows each one; beyond, counts in grid cells.
MAP_MAX_POINTS = 2000
#: A cell layer never holds more rows than this (cells grow until it fits).
MAP_MAX_CELLS = 3000
#: Up to this many rows are read from the hot copy by a list of row numbers; beyond, by a
#: join with them (12 against 17 ms for 100 rows of a million, 39 against 27 ms for 20k).
RID_LIST_MAX = 1000


def cell_degrees(zoom: int | None) -> float:
    """Side of a grid cell in degrees: about 32 screen pixels at this Leaflet zoom."""
    z = 2 if zoom is None else max(0, min(int(zoom), 18))
    return 360.0 / (2**z) / 8


@dataclass(frozen=True)
class MapLayer:
    """``kind`` "points" (``frame`` holds MAP_COLUMNS) or "cells" (latitude, longitude,
    events, event_type: the cell's centre of mass, count and most common type)."""

    kind: str
    frame: pd.DataFrame
    located: int
    cell_degrees: float | None


class EventQuery:
    """Queries over a connection (or cursor) that holds an ``events`` table.

    Given the hot copy itself (:func:`dashboard.store.load_memory`), it takes a cursor of
    its own and selects rows in the copy's :class:`~dashboard.filter_frame.FilterFrame`;
    given a connection or cursor, it does everything in SQL. Both answer the same, as
    tests check filter by filter.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        parts = getattr(con, "query_parts", None)  # the hot copy: a cursor, and its frame
        self.frame: ff.FilterFrame | None
        self.con, self.frame = parts() if parts is not None else (con, None)
        self._picked: tuple[Filters, pl.DataFrame] | None = None
        self._selected: Filters | None = None
        self._params: dict = {}
        self._full_from: tuple[Path | None, str | None] | None = None

    def _store_file(self) -> Path | None:
        """The file holding the full records when ``events`` here is the narrow hot copy
        (:func:`dashboard.store.load_memory`); None when this connection has every field."""
        if self._full_from is None:
            try:
                row = self.con.execute("SELECT path, version FROM _store").fetchall()
            except duckdb.CatalogException:
                row = []
            self._full_from = (Path(row[0][0]), row[0][1]) if row else (None, None)
        return self._full_from[0]

    def _full(self, sql: str, params: list, ids: list[str] | None = None) -> pd.DataFrame:
        """``sql`` over the full records: here, or in a short read-only visit to the file.

        ``ids`` (optional) is offered to the SQL as table ``_ids(ord, event_id)``.
        """
        path = self._store_file()
        if path is None:
            return self._with_ids(self.con, sql, params, ids)
        with store.connect(path, read_only=True) as con:
            return self._with_ids(con, sql, params, ids)

    @staticmethod
    def _with_ids(con, sql: str, params: list, ids: list[str] | None) -> pd.DataFrame:
        if ids is None:
            return con.execute(sql, params).df()
        table = pa.table({"ord": pa.array(range(len(ids)), pa.int64()), "event_id": ids})
        con.register("_ids", table)
        try:
            return con.execute(sql, params).df()
        finally:
            con.unregister("_ids")

    def _selection(self, f: Filters) -> str:
        """The rows these filters select, narrow: a relation each aggregate reads from.

        A page asks for a count, counts by type, by period and by country, a table page
        and the map of one filter model. With an actor or a text term the WHERE clause
        runs once, into a temp table of this connection, and each aggregate reads the
        few columns it needs from there (58 against 66 ms for the benchmark's round at a
        million rows). Without one, the clause is a few comparisons that cost less than
        copying the selected rows (most of a million, for a broad view), so each
        aggregate applies it again instead. In the narrow hot copy, which holds no search
        text, a text term is matched in the file and named by ``file_row``.
        ``rid`` is the row's position in ``events``.
        """
        text_in_file = bool(f.text.strip()) and self._store_file() is not None
        where, params = f.where(text=not text_in_file)
        columns = "rowid AS rid, event_date, event_type, country, latitude, longitude"
        if not (f.actors or f.text.strip()):
            named = iter(range(len(params)))
            where = re.sub(r"\?", lambda _: f"$f{next(named)}", where)
            self._params = {f"f{i}": value for i, value in enumerate(params)}
            return f"(SELECT {columns} FROM events WHERE {where})"
        self._params = {}
        if self._selected != f:
            if text_in_file:
                rows = store.text_rows(self._store_file(), self._full_from[1], *f.text_where())
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

    def _pick(self, f: Filters) -> pl.DataFrame:
        """The filter frame's rows for ``f``, kept for the other questions of this run."""
        if self._picked is None or self._picked[0] != f:
            self._picked = (f, self.frame.select(f))
        return self._picked[1]

    def _fetch(
        self, columns, rids: pl.Series, order: str, limit: int | None = None, offset: int = 0
    ) -> pd.DataFrame:
        """``columns`` of the hot copy's rows ``rids``, in ``order`` (trusted SQL).

        With a limit and more rows than it, the rows are put in order reading only the
        order's columns, and the page's columns are read for the page's rows alone: every
        row read costs a block of each column to decompress (the newest 10 of 1,129
        candidates sharing a date: 9 against 27 ms).
        """
        if limit is not None and (offset or len(rids) > int(limit)):
            page = self._in_rows(
                rids,
                f"SELECT rowid FROM events WHERE {{rows}} ORDER BY {order} "
                "LIMIT $limit OFFSET $offset",
                {"limit": int(limit), "offset": int(offset)},
            )
            rids = pl.Series(page["rowid"].to_numpy(), dtype=pl.Int64)
        sql = f"SELECT {', '.join(columns)} FROM events WHERE {{rows}} ORDER BY {order}"
        return _decode(self._in_rows(rids, sql, {}))

    def _in_rows(self, rids: pl.Series, sql: str, params: dict) -> pd.DataFrame:
        """``sql`` with ``{rows}`` standing for "the row is one of ``rids``"."""
        if len(rids) <= RID_LIST_MAX:
            return self.con.execute(
                sql.format(rows="rowid = ANY($rids)"), {**params, "rids": rids.to_list()}
            ).df()
        self.con.register("_rids", pa.table({"rid": rids.to_arrow()}))
        try:
            rows = "rowid IN (SELECT rid FROM _rids)"
            return self.con.execute(sql.format(rows=rows), params).df()
        finally:
            self.con.unregister("_rids")

    def _run(self, sql: str, own: dict | None = None):
        """Execute a query over the last selection: its bound values, then the query's own.

        Values are always bound parameters (named, so a selection used twice in one
        query binds once); nothing from a filter is ever spelled into the SQL text.
        """
        return self.con.execute(sql, {**self._params, **(own or {})})

    def count(self, f: Filters) -> int:
        if self.frame is not None:
            return self._pick(f).height
        sel = self._selection(f)
        return self._run(f"SELECT count(*) FROM {sel}").fetchall()[0][0]

    def count_located(self, f: Filters) -> int:
        if self.frame is not None:
            return ff.located(self._pick(f)).height
        sel = self._selection(f)
        located = f"SELECT count(*) FROM {sel} WHERE latitude IS NOT NULL"
        return self._run(located).fetchall()[0][0]

    def rows(
        self,
        f: Filters,
        *,
        sort: str = "event_date",
        descending: bool = True,
        limit: int | None = 100,
        offset: int = 0,
        columns: tuple[str, ...] = LIST_COLUMNS,
    ) -> pd.DataFrame:
        order = SORTABLE.get(sort, "event_date")
        direction = "DESC" if descending else "ASC"
        if self.frame is not None:
            picked = self._pick(f)
            if limit is not None and order == "event_date":
                # The page is found in the frame (event_id breaks ties, as in SQL), and
                # only its own rows are read from the copy.
                edge = ff.edge_date(picked, max(0, int(limit) + int(offset) - 1), descending)
                if edge is not None:
                    date = pl.col("event_date")
                    picked = picked.filter(date >= edge if descending else date <= edge)
                page = picked.sort(["event_date", "event_id"], descending=descending)
                rids = page["rid"].slice(int(offset), int(limit))
                return self._fetch(columns, rids, f"event_date {direction}, event_id {direction}")
            return self._fetch(
                columns,
                picked["rid"],
                f"{order} {direction} NULLS LAST, event_id {direction}",
                limit,
                offset,
            )
        sel = self._selection(f)
        own: dict = {}
        within = f"SELECT rid FROM {sel}"
        if limit is not None and order == "event_date":
            # Only rows on or beyond the date of the last row wanted can be on this page;
            # rows sharing that date are all fetched, so ties still sort by event_id. The
            # date is found first, on its own: sorting every selected row by date and id
            # costs three times as much (16 against 6 ms for 164k rows of a million).
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
        return _decode(self._run(sql, own).df())

    def export_rows(self, f: Filters) -> pd.DataFrame:
        """Exactly the rows the table shows for these filters, every field of the record."""
        if self._store_file() is None:
            return self.rows(f, limit=None, columns=COLUMNS)
        ids = self.rows(f, limit=None, columns=("event_id",))["event_id"].tolist()
        return self._by_ids(ids, order="_ids.ord")

    def _by_ids(self, ids: list[str], order: str) -> pd.DataFrame:
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        if 0 < len(ids) <= ID_LOOKUP_MAX:
            # An IN list of placeholders is answered from the primary-key index: one
            # event from a million-row file in a few milliseconds, where a join scans.
            marks = ", ".join("?" * len(ids))
            return _decode(
                self._full(
                    f"SELECT {cols} FROM events e JOIN _ids USING (event_id) "
                    f"WHERE e.event_id IN ({marks}) ORDER BY {order}",
                    list(ids),
                    ids=list(ids),
                )
            )
        return _decode(
            self._full(
                f"SELECT {cols} FROM _ids JOIN events e USING (event_id) ORDER BY {order}",
                [],
                ids=list(ids),
            )
        )

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        if column not in ("event_type", "country", "dataset", "verification"):
            raise ValueError(f"cannot group by {column}")
        if column in ("event_type", "country") and self.frame is not None:
            return ff.counts_by(self._pick(f), column)
        if column in ("event_type", "country"):
            return self._run(
                f"SELECT {column}, count(*) AS events FROM {self._selection(f)} "
                f"GROUP BY {column} ORDER BY events DESC, {column}"
            ).df()
        grouped = (
            f"SELECT {column}, count(*) AS events FROM events WHERE {{rows}} "
            f"GROUP BY {column} ORDER BY events DESC, {column}"
        )
        if self.frame is not None:
            return self._in_rows(self._pick(f)["rid"], grouped, {})
        sel = self._selection(f)
        return self._run(grouped.format(rows=f"rowid IN (SELECT rid FROM {sel})")).df()

    def period_counts(self, f: Filters, freq: str = "month") -> pd.DataFrame:
        """Events per ISO week (starting Monday) or calendar month, by type, dated by event_date."""
        unit = FREQS.get(freq, "month")
        if self.frame is not None:
            return ff.period_counts(self._pick(f), unit)
        sel = self._selection(f)
        frame = self._run(
            f"SELECT date_trunc('{unit}', event_date)::DATE AS period, event_type, "
            f"count(*) AS events FROM {sel} "
            "GROUP BY period, event_type ORDER BY period, event_type"
        ).df()
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def map_points(self, f: Filters, limit: int = 5000) -> pd.DataFrame:
        """The newest ``limit`` located events (ties by event id, newest id first)."""
        if self.frame is not None:
            newest = ff.located(self._pick(f)).top_k(int(limit), by="event_date")
            return self._fetch(MAP_COLUMNS, newest["rid"], "event_date DESC, event_id DESC")
        sel = self._selection(f)
        return _decode(
            self._run(
                f"SELECT {', '.join(MAP_COLUMNS)} FROM events WHERE rowid IN ("
                f"SELECT rid FROM {sel} WHERE latitude IS NOT NULL "
                "ORDER BY event_date DESC LIMIT $limit) ORDER BY event_date DESC, event_id DESC",
                {"limit": int(limit)},
            ).df()
        )

    def map_layer(
        self,
        f: Filters,
        *,
        zoom: int | None = None,
        bounds: tuple[float, float, float, float] | None = None,
        max_points: int = MAP_MAX_POINTS,
        max_cells: int = MAP_MAX_CELLS,
    ) -> MapLayer:
        """What the map draws: the events themselves when few, else counts in grid cells.

        Cells are squares of ``cell_degrees(zoom)`` (finer as the user zooms in), counted
        in the query engine, so the browser receives at most ``max_cells`` rows however
        many events match. ``bounds`` (south, west, north, east) limits both to a viewport.
        """
        if self.frame is not None:
            return self._frame_layer(f, zoom, bounds, max_points, max_cells)
        sel = self._selection(f)
        cond, params = "latitude IS NOT NULL", {}
        if bounds is not None:
            south, west, north, east = (float(b) for b in bounds)
            cond += " AND latitude BETWEEN $south AND $north AND longitude BETWEEN $west AND $east"
            params = {"south": south, "north": north, "west": west, "east": east}
        # Cells first: their counts add up to the located events, so a broad view (cells
        # drawn) scans once, and a narrow one (points drawn) has few rows to count.
        size = cell_degrees(zoom)
        while True:
            cells = self._run(
                "SELECT floor(latitude / $size) AS gy, floor(longitude / $size) AS gx, "
                "count(*) AS events, avg(latitude) AS latitude, avg(longitude) AS longitude, "
                "mode(event_type) AS event_type "
                f"FROM {sel} WHERE {cond} GROUP BY gy, gx ORDER BY events DESC, gy, gx",
                {"size": size, **params},
            ).df()
            located = int(cells["events"].sum())
            if located <= max_points:
                points = self._run(
                    f"SELECT {', '.join(MAP_COLUMNS)} FROM events WHERE rowid IN ("
                    f"SELECT rid FROM {sel} WHERE {cond}) ORDER BY event_date DESC, event_id DESC",
                    params,
                ).df()
                return MapLayer("points", _decode(points), located, None)
            if len(cells) <= max_cells or size >= 45:
                break
            size *= 2
        cells = cells.drop(columns=["gy", "gx"])
        cells["events"] = cells["events"].astype("int64")
        return MapLayer("cells", cells, located, size)

    def _frame_layer(self, f, zoom, bounds, max_points, max_cells) -> MapLayer:
        points = ff.located(self._pick(f), bounds)
        if points.height <= max_points:
            frame = self._fetch(MAP_COLUMNS, points["rid"], "event_date DESC, event_id DESC")
            return MapLayer("points", frame, points.height, None)
        size = cell_degrees(zoom)
        while True:
            cells = ff.cells(points, size)
            if len(cells) <= max_cells or size >= 45:
                break
            size *= 2
        return MapLayer("cells", cells.drop(columns=["gy", "gx"]), points.height, size)

    def events_by_id(self, ids: list[str]) -> pd.DataFrame:
        """Full records (every field), oldest first."""
        return self._by_ids(list(dict.fromkeys(ids)), order="e.event_date, _ids.ord")

    def event(self, event_id: str) -> dict | None:
        frame = self.events_by_id([event_id])
        return None if frame.empty else frame.iloc[0].to_dict()

    def referencing(self, event_id: str) -> pd.DataFrame:
        """Events that list this one in their ``related`` (links are kept in both directions)."""
        return _decode(
            self._full(
                f"SELECT {', '.join(LIST_COLUMNS)} FROM events "
                "WHERE list_contains(related, ?) ORDER BY event_date",
                [event_id],
            )
        )

    def actor_names(self, limit: int = 500) -> list[str]:
        """Sidebar names: each actor up to any parenthesis, most frequent first."""
        # Events share actor lists (the same two parties, again and again): unnesting
        # each distinct list once, weighted by its events, is 5x faster at a million.
        rows = self.con.execute(
            "SELECT name, sum(n) AS n FROM (SELECT trim(split_part(a, '(', 1)) AS name, n "
            "FROM (SELECT unnest(actors) AS a, n FROM "
            "(SELECT actors, count(*) AS n FROM events GROUP BY actors))) "
            "WHERE name <> '' GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [limit],
        ).fetchall()
        return [r[0] for r in rows]

    def countries(self) -> list[str]:
        rows = self.con.execute(
            "SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY country"
        ).fetchall()
        return [r[0] for r in rows]

    def date_bounds(self) -> tuple:
        return self.con.execute("SELECT min(span_start), max(span_end) FROM events").fetchall()[0]


def _decode(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn stored JSON and arrays back into Python lists for the pages."""
    if "sources" in frame:
        frame["sources"] = frame["sources"].map(lambda s: json.loads(s) if s else [])
    for column in ("actors", "related"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: list(v) if v is not None else [])
    return frame
