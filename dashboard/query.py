"""One filter model -> rows and aggregates, for every page, the CLI and the exports.

All SQL of the interactive path lives here, behind :class:`EventQuery`, so another
engine can replace it without touching a page. Values reach SQL only as bound
parameters; column names in ORDER BY come from a whitelist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from .filters import Filters
from .schema import COLUMNS

#: Columns the table page may sort by, and the SQL they sort on.
SORTABLE = {
    "event_date": "event_date",
    "event_type": "event_type",
    "country": "country",
    "title": "title",
    "location": "location",
    "fatalities": "fatalities",
}
LIST_COLUMNS = (
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "span_start",
    "span_end",
    "event_type",
    "title",
    "title_ar",
    "country",
    "location",
    "latitude",
    "longitude",
    "verification",
    "sources",
    "fatalities",
    "actors",
)
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
#: Up to this many located events the map shows each one; beyond, counts in grid cells.
MAP_MAX_POINTS = 2000
#: A cell layer never holds more rows than this (cells grow until it fits).
MAP_MAX_CELLS = 3000


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
    """Queries over a connection (or cursor) that holds an ``events`` table."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._selected: Filters | None = None

    def _frame(self, sql: str, params: list) -> pd.DataFrame:
        return self.con.execute(sql, params).df()

    def _selection(self, f: Filters) -> str:
        """The rows these filters select, narrow, computed once per filter model.

        A page asks for a count, counts by type, by period and by country, a table page
        and the map of one filter model: the WHERE clause (and any text term, the costly
        part) runs once, into a temp table of this connection, and each aggregate reads
        the few columns it needs from there. ``rid`` is the row's position in ``events``.
        """
        if self._selected != f:
            where, params = f.where()
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE _sel AS SELECT rowid AS rid, event_date, "
                f"event_type, country, latitude, longitude FROM events WHERE {where}",
                params,
            )
            self._selected = f
        return "_sel"

    def count(self, f: Filters) -> int:
        sel = self._selection(f)
        return self.con.execute(f"SELECT count(*) FROM {sel}").fetchone()[0]

    def count_located(self, f: Filters) -> int:
        sel = self._selection(f)
        return self.con.execute(
            f"SELECT count(*) FROM {sel} WHERE latitude IS NOT NULL"
        ).fetchone()[0]

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
        sel = self._selection(f)
        order = SORTABLE.get(sort, "event_date")
        direction = "DESC" if descending else "ASC"
        params: list = []
        within = f"SELECT rid FROM {sel}"
        if limit is not None and order == "event_date":
            # Only rows on or beyond the date of the last row wanted can be on this page;
            # rows sharing that date are all fetched, so ties still sort by event_id.
            cmp, edge = (">=", "min") if descending else ("<=", "max")
            within += (
                f" WHERE event_date {cmp} COALESCE((SELECT event_date FROM {sel} "
                f"ORDER BY event_date {direction} LIMIT 1 OFFSET ?), "
                f"(SELECT {edge}(event_date) FROM {sel}))"
            )
            params.append(max(0, int(limit) + int(offset) - 1))
        sql = (
            f"SELECT {', '.join(columns)} FROM events WHERE rowid IN ({within}) "
            f"ORDER BY {order} {direction} NULLS LAST, event_id {direction}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, int(limit), int(offset)]
        return _decode(self._frame(sql, params))

    def export_rows(self, f: Filters) -> pd.DataFrame:
        """Exactly the rows the table shows for these filters, every field of the record."""
        return self.rows(f, limit=None, columns=COLUMNS)

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        if column not in ("event_type", "country", "dataset", "verification"):
            raise ValueError(f"cannot group by {column}")
        if column in ("event_type", "country"):
            source, params = self._selection(f), []
        else:
            where, params = f.where()
            source = f"events WHERE {where}"
        return self._frame(
            f"SELECT {column}, count(*) AS events FROM {source} "
            f"GROUP BY {column} ORDER BY events DESC, {column}",
            params,
        )

    def period_counts(self, f: Filters, freq: str = "month") -> pd.DataFrame:
        """Events per ISO week (starting Monday) or calendar month, by type, dated by event_date."""
        unit = FREQS.get(freq, "month")
        sel = self._selection(f)
        frame = self._frame(
            f"SELECT date_trunc('{unit}', event_date)::DATE AS period, event_type, "
            f"count(*) AS events FROM {sel} "
            "GROUP BY period, event_type ORDER BY period, event_type",
            [],
        )
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def map_points(self, f: Filters, limit: int = 5000) -> pd.DataFrame:
        """The newest ``limit`` located events (ties by event id, newest id first)."""
        sel = self._selection(f)
        return _decode(
            self._frame(
                f"SELECT {', '.join(MAP_COLUMNS)} FROM events WHERE rowid IN ("
                f"SELECT rid FROM {sel} WHERE latitude IS NOT NULL "
                "ORDER BY event_date DESC LIMIT ?) ORDER BY event_date DESC, event_id DESC",
                [limit],
            )
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
        sel = self._selection(f)
        cond, params = "latitude IS NOT NULL", []
        if bounds is not None:
            south, west, north, east = (float(b) for b in bounds)
            cond += " AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"
            params = [south, north, west, east]
        located = self.con.execute(f"SELECT count(*) FROM {sel} WHERE {cond}", params).fetchone()[0]
        if located <= max_points:
            points = self._frame(
                f"SELECT {', '.join(MAP_COLUMNS)} FROM events WHERE rowid IN ("
                f"SELECT rid FROM {sel} WHERE {cond}) ORDER BY event_date DESC, event_id DESC",
                params,
            )
            return MapLayer("points", _decode(points), located, None)
        size = cell_degrees(zoom)
        while True:
            cells = self._frame(
                "SELECT floor(latitude / ?) AS gy, floor(longitude / ?) AS gx, "
                "count(*) AS events, avg(latitude) AS latitude, avg(longitude) AS longitude, "
                "mode(event_type) AS event_type "
                f"FROM {sel} WHERE {cond} GROUP BY gy, gx ORDER BY events DESC, gy, gx",
                [size, size, *params],
            )
            if len(cells) <= max_cells or size >= 45:
                break
            size *= 2
        cells = cells.drop(columns=["gy", "gx"])
        cells["events"] = cells["events"].astype("int64")
        return MapLayer("cells", cells, located, size)

    def events_by_id(self, ids: list[str]) -> pd.DataFrame:
        if not ids:
            return _decode(self._frame(f"SELECT {', '.join(COLUMNS)} FROM events LIMIT 0", []))
        return _decode(
            self._frame(
                f"SELECT {', '.join(COLUMNS)} FROM events WHERE list_contains(?, event_id) "
                "ORDER BY event_date",
                [list(ids)],
            )
        )

    def event(self, event_id: str) -> dict | None:
        frame = self.events_by_id([event_id])
        return None if frame.empty else frame.iloc[0].to_dict()

    def referencing(self, event_id: str) -> pd.DataFrame:
        """Events that list this one in their ``related`` (links are kept in both directions)."""
        return _decode(
            self._frame(
                f"SELECT {', '.join(LIST_COLUMNS)} FROM events "
                "WHERE list_contains(related, ?) ORDER BY event_date",
                [event_id],
            )
        )

    def actor_names(self, limit: int = 500) -> list[str]:
        """Sidebar names: each actor up to any parenthesis, most frequent first."""
        rows = self.con.execute(
            "SELECT trim(split_part(a, '(', 1)) AS name, count(*) AS n "
            "FROM (SELECT unnest(actors) AS a FROM events) WHERE name <> '' "
            "GROUP BY name ORDER BY n DESC, name LIMIT ?",
            [limit],
        ).fetchall()
        return [r[0] for r in rows]

    def countries(self) -> list[str]:
        rows = self.con.execute(
            "SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY country"
        ).fetchall()
        return [r[0] for r in rows]

    def date_bounds(self) -> tuple:
        return self.con.execute("SELECT min(span_start), max(span_end) FROM events").fetchone()


def _decode(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn stored JSON and arrays back into Python lists for the pages."""
    if "sources" in frame:
        frame["sources"] = frame["sources"].map(lambda s: json.loads(s) if s else [])
    for column in ("actors", "related"):
        if column in frame:
            frame[column] = frame[column].map(lambda v: list(v) if v is not None else [])
    return frame
