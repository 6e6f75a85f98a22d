"""One filter model -> rows and aggregates, for every page, the CLI and the exports.

All SQL of the interactive path lives here, behind :class:`EventQuery`, so another
engine can replace it without touching a page. Values reach SQL only as bound
parameters; column names in ORDER BY come from a whitelist.
"""

from __future__ import annotations

import json

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


class EventQuery:
    """Queries over a connection (or cursor) that holds an ``events`` table."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def _frame(self, sql: str, params: list) -> pd.DataFrame:
        return self.con.execute(sql, params).df()

    def count(self, f: Filters) -> int:
        where, params = f.where()
        return self.con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]

    def count_located(self, f: Filters) -> int:
        where, params = f.where()
        return self.con.execute(
            f"SELECT count(*) FROM events WHERE {where} AND latitude IS NOT NULL", params
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
        where, params = f.where()
        order = SORTABLE.get(sort, "event_date")
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT {', '.join(columns)} FROM events WHERE {where} "
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
        where, params = f.where()
        return self._frame(
            f"SELECT {column}, count(*) AS events FROM events WHERE {where} "
            f"GROUP BY {column} ORDER BY events DESC, {column}",
            params,
        )

    def period_counts(self, f: Filters, freq: str = "month") -> pd.DataFrame:
        """Events per ISO week (starting Monday) or calendar month, by type, dated by event_date."""
        unit = FREQS.get(freq, "month")
        where, params = f.where()
        frame = self._frame(
            f"SELECT date_trunc('{unit}', event_date)::DATE AS period, event_type, "
            f"count(*) AS events FROM events WHERE {where} "
            "GROUP BY period, event_type ORDER BY period, event_type",
            params,
        )
        frame["period"] = pd.to_datetime(frame["period"])
        return frame

    def map_points(self, f: Filters, limit: int = 5000) -> pd.DataFrame:
        where, params = f.where()
        return _decode(
            self._frame(
                f"SELECT {', '.join(MAP_COLUMNS)} FROM events WHERE {where} "
                "AND latitude IS NOT NULL ORDER BY event_date DESC LIMIT ?",
                [*params, limit],
            )
        )

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
