"""One filter model -> rows and aggregates, for every page, the CLI, exports and the benchmark.

:class:`EventQuery` takes its engine explicitly (:mod:`dashboard.engines`) and composes
the engine's operations into what a page asks for; it never asks which engine it has.
Values reach an engine's query only as bound parameters; column names in ORDER BY come
from a whitelist (:data:`dashboard.engines.base.SORTABLE`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .engines.base import MAP_COLUMNS, SORTABLE, Engine
from .filters import Filters
from .schema import LIST_COLUMNS

__all__ = [
    "EventQuery",
    "IN_VIEW_COLUMNS",
    "MapLayer",
    "SORTABLE",
    "MAP_COLUMNS",
    "cell_degrees",
    "viewport_bounds",
]

#: Up to this many located events the map shows each one; beyond, counts in grid cells.
MAP_MAX_POINTS = 2000
#: A cell layer never holds more rows than this (cells grow until it fits).
MAP_MAX_CELLS = 3000


def cell_degrees(zoom: int | None) -> float:
    """Side of a grid cell in degrees: about 32 screen pixels at this Leaflet zoom."""
    z = 2 if zoom is None else max(0, min(int(zoom), 18))
    return 360.0 / (2**z) / 8


#: The columns of one line of the map's side list.
IN_VIEW_COLUMNS = (
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "event_type",
    "title",
    "title_ar",
)


def viewport_bounds(bounds) -> tuple[float, float, float, float] | None:
    """A map viewport as the engines take it: latitudes within +-90, longitudes within
    +-180 (a map that wraps the world reports more), None when it spans every longitude."""
    if bounds is None:
        return None
    south, west, north, east = (float(x) for x in bounds)
    if east - west >= 360:
        return (
            None
            if south <= -90 and north >= 90
            else (max(south, -90.0), -180.0, min(north, 90.0), 180.0)
        )
    if west < -180 or east > 180:
        shift = 360.0 * round(((west + east) / 2) / 360.0)
        west, east = west - shift, east - shift
    return (max(south, -90.0), max(west, -180.0), min(north, 90.0), min(east, 180.0))


@dataclass(frozen=True)
class MapLayer:
    """``kind`` "points" (``frame`` holds MAP_COLUMNS) or "cells" (latitude, longitude,
    events, event_type: the cell's centre of mass, count and most common type)."""

    kind: str
    frame: pd.DataFrame
    located: int
    cell_degrees: float | None


class EventQuery:
    """The questions pages ask, answered by ``engine`` (one per session run)."""

    def __init__(self, engine: Engine, at: Callable[[int], Engine | None] | None = None):
        self.engine = engine
        #: The engine over the data as it stood at a version, when that differs from what
        #: ``engine`` reads beyond the rows added since (``HotCopy.engine_at``).
        self._at = at

    def _on(self, f: Filters) -> Engine:
        """The engine that answers ``f``: a link pinned to an earlier version is answered
        over the rows as they were then (events edited or deleted since included)."""
        if f.as_of is None or self._at is None:
            return self.engine
        return self._at(f.as_of) or self.engine

    def at(self, version: int | None) -> EventQuery:
        """The same questions over the data as it stood at ``version`` (None: now): what
        an event page, a list of events by id or an export of a pinned link asks."""
        if version is None or self._at is None:
            return self
        return EventQuery(self._on(Filters(as_of=version)))

    def count(self, f: Filters) -> int:
        return self._on(f).count(f)

    def count_located(self, f: Filters) -> int:
        return self._on(f).count_located(f)

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
        return self._on(f).table_page(
            f, sort=sort, descending=descending, limit=limit, offset=offset, columns=columns
        )

    def export_rows(self, f: Filters) -> pd.DataFrame:
        """Exactly the rows the table shows for these filters, every field of the record."""
        ids = self.rows(f, limit=None, columns=("event_id",))["event_id"].tolist()
        return self._on(f).records(ids)

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        return self._on(f).counts_by(f, column)

    def period_deaths(self, f: Filters, freq: str = "month") -> pd.DataFrame:
        """Recorded deaths per ISO week or calendar month of every selected event with a
        figure (``period``, ``fatalities``): the timeline's line when it draws only the
        newest events."""
        return self._on(f).period_deaths(f, freq)

    def period_counts(self, f: Filters, freq: str = "month") -> pd.DataFrame:
        """Events per ISO week (starting Monday) or calendar month, by type, by event_date."""
        return self._on(f).period_counts(f, freq)

    def map_points(self, f: Filters, limit: int = 5000) -> pd.DataFrame:
        """The newest ``limit`` located events (ties by event id, newest id first)."""
        return self._on(f).map_points(f, MAP_COLUMNS, limit=limit)

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
        by the engine, so the browser receives at most ``max_cells`` rows however many
        events match. ``bounds`` (south, west, north, east) limits both to a viewport.
        Cells are counted first: they add up to the located events, so a broad view
        (cells drawn) scans once, and a narrow one (points drawn) has few rows to count.
        """
        size = cell_degrees(zoom)
        engine = self._on(f)
        while True:
            cells = engine.map_cells(f, size, bounds)
            located = int(cells["events"].sum())
            if located <= max_points:
                points = engine.map_points(f, MAP_COLUMNS, bounds)
                return MapLayer("points", points, located, None)
            if len(cells) <= max_cells or size >= 45:
                break
            size *= 2
        return MapLayer("cells", cells.drop(columns=["gy", "gx"]), located, size)

    def events_in_view(
        self, f: Filters, bounds: tuple[float, float, float, float] | None, *, limit: int = 50
    ) -> tuple[pd.DataFrame, int]:
        """The map's side list: the newest ``limit`` located events inside ``bounds``
        (south, west, north, east; None for everywhere) and how many there are in all.

        Both come from the engine's own bounded operations, so the list and its count
        agree with the map on every engine however many events match.
        """
        bounds = viewport_bounds(bounds)
        engine = self._on(f)  # a pinned link: the rows its map draws, as they were
        rows = engine.map_points(f, IN_VIEW_COLUMNS, bounds, limit=limit)
        return rows, engine.count_located(f, bounds)

    def events_by_id(self, ids: list[str]) -> pd.DataFrame:
        """Full records (every field), oldest first, ties in the order asked."""
        frame = self.engine.records(list(dict.fromkeys(ids)))
        return frame.sort_values("event_date", kind="stable", ignore_index=True)

    def event(self, event_id: str) -> dict | None:
        frame = self.engine.records([event_id])
        return None if frame.empty else frame.iloc[0].to_dict()

    def referencing(self, event_id: str) -> pd.DataFrame:
        """Events that list this one in their ``related`` (links are kept in both directions)."""
        return self.engine.referencing(event_id)

    def actor_names(self, limit: int = 500) -> list[str]:
        """Sidebar names: each actor up to any parenthesis, most frequent first."""
        return self.engine.actor_names(limit)

    def actor_lists(self, f: Filters) -> pd.DataFrame:
        """The selected events by list of actors: who appears with whom, and how often."""
        return self._on(f).actor_lists(f)

    def facet_values(self, column: str, limit: int | None = None) -> list[str]:
        """The stored places (``location``, ``admin1``) or ``sub_type``s, most events first:
        the sidebar's choices for the place and sub-type filters."""
        values = self.engine.facet_values(column)
        return list(values if limit is None else values[:limit])
