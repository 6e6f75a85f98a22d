"""What every engine answers, and the few definitions they share.

An engine turns one :class:`~dashboard.filters.Filters` into the answers a page asks
for. Each engine module (``sql``, ``frame``, ``spark``) implements the same operations,
with the same orderings and tie rules, so that one table of tests (URL -> rows) holds
for all of them row for row. What differs between engines lives in their own module;
:class:`dashboard.query.EventQuery` only composes these operations.
"""

from __future__ import annotations

import json
from typing import Protocol

import pandas as pd

from dashboard.filters import Filters

#: Columns the table page may sort by (the key is the URL's name, the value the column).
SORTABLE = {
    "event_date": "event_date",
    "event_type": "event_type",
    "country": "country",
    "title": "title",
    "location": "location",
    "fatalities": "fatalities",
}
#: The columns of an event drawn as a point on the map.
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
#: Period units of the timeline.
UNITS = ("week", "month")
#: Columns counted by :meth:`Engine.counts_by`.
COUNTABLE = ("event_type", "country", "dataset", "verification")
#: Columns of :meth:`Engine.actor_lists`: one row per distinct folded actor list
#: (``key``, the stored ``actors_norm``) among the selected events that name an actor;
#: ``actors`` as the first such event in store order writes them; ``events``; the first
#: and last ``event_date``. Most events first, ties by key. Who meets whom is counted from
#: these: events repeat the same few lists, so a million events make a few thousand rows.
ACTOR_LIST_COLUMNS = ("key", "actors", "events", "first", "last")
#: Grid-cell columns of :meth:`Engine.map_cells`, in this order.
CELL_COLUMNS = ("gy", "gx", "events", "latitude", "longitude", "event_type")


class Engine(Protocol):
    """The operations of an engine. Orderings and ties are part of the contract:

    - ``counts_by``: columns ``[column, "events"]``, most events first, ties by value,
      no value last;
    - ``period_counts``: ``period`` (datetime64: the Monday of an ISO week, or the first
      of a month, of ``event_date``), ``event_type``, ``events``; ordered by period, type;
    - ``period_deaths``: ``period`` (as above), ``fatalities`` (int64): the deaths of the
      selected events that have a figure, summed per period; a period none of whose
      events has one is left out; ordered by period;
    - ``table_page``: ``sort`` (a key of :data:`SORTABLE`) then ``event_id`` in the same
      direction, empty values last; ``limit=None`` for every row;
    - ``map_cells``: cells of ``size`` degrees (``gy = floor(lat / size)``), centre of
      mass, count, the most common type (alphabetically first of equals); most events
      first, then gy, gx;
    - ``map_points``: located rows, newest first, ties by ``event_id`` descending.

    ``bounds`` is (south, west, north, east) or None. Frames come back decoded
    (:func:`decode`): actors, related and sources as Python lists.
    """

    #: The engine's name as configured (``DASHBOARD_ENGINE``).
    name: str

    def count(self, f: Filters) -> int: ...

    def count_located(self, f: Filters, bounds=None) -> int: ...

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame: ...

    def period_counts(self, f: Filters, unit: str) -> pd.DataFrame: ...

    def period_deaths(self, f: Filters, unit: str) -> pd.DataFrame: ...

    def table_page(
        self,
        f: Filters,
        *,
        sort: str,
        descending: bool,
        limit: int | None,
        offset: int,
        columns: tuple[str, ...],
    ) -> pd.DataFrame: ...

    def map_cells(self, f: Filters, size: float, bounds=None) -> pd.DataFrame: ...

    def map_points(self, f: Filters, columns: tuple[str, ...], bounds=None, limit=None): ...

    def records(self, ids: list[str]) -> pd.DataFrame:
        """Every field of these events, in the order of ``ids`` (unknown ids skipped)."""

    def referencing(self, event_id: str) -> pd.DataFrame:
        """Events that list this one in ``related``, oldest first."""

    def actor_names(self, limit: int) -> list[str]:
        """Each actor up to any parenthesis, most frequent first, ties by name."""

    def actor_lists(self, f: Filters) -> pd.DataFrame:
        """The selected events grouped by their list of actors (see :data:`ACTOR_LIST_COLUMNS`)."""

    def facet_values(self, column: str) -> list[str]:
        """The distinct non-empty values of a column of :data:`FACETS`, most events first,
        ties by value: what a place or sub-type filter is matched against."""


def check_column(column: str) -> str:
    if column not in COUNTABLE:
        raise ValueError(f"cannot group by {column}")
    return column


#: Columns whose distinct values :meth:`Engine.facet_values` lists (dashboard.facets).
FACETS = ("location", "admin1", "sub_type")


def check_facet(column: str) -> str:
    if column not in FACETS:
        raise ValueError(f"no facet {column}")
    return column


def check_unit(unit: str) -> str:
    return unit if unit in UNITS else "month"


def order_of(sort: str) -> str:
    return SORTABLE.get(sort, "event_date")


def decode(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn stored JSON and arrays back into Python lists for the pages."""
    # Lists built in Python and each column set once (a page's rows are few), not through
    # a pandas ``map`` per column.
    if "sources" in frame:
        sources = [json.loads(s) if s else [] for s in frame["sources"].tolist()]
        frame["sources"] = pd.Series(sources, index=frame.index, dtype=object)
    for column in ("actors", "related"):
        if column in frame:
            lists = [list(v) if v is not None else [] for v in frame[column].tolist()]
            frame[column] = pd.Series(lists, index=frame.index, dtype=object)
    return frame
