"""The engine of the interactive path: the hot copy's filter columns as a Polars frame.

A page change asks one filter model for a count, counts by type and week, counts by
country, a table page and the map. Measured at a million synthetic ACLED events on the
2-core machines here (the benchmark's round: five countries, three years, three types,
one actor), SQL over DuckDB's compressed in-memory copy took 48-58 ms; the same answers
from these columns in Polars, the selection made once per run and kept, took 26-30 ms
(about 70 MB at a million rows). The issue's own measurements pointed the same way.

The folded search text is held here too while it fits a budget: Polars finds a word in a
million rows' text in about 40 ms, DuckDB in 120-150 ms. Past the budget it stays in the
store file, where DuckDB matches it. DuckDB keeps the rest: the durable store, every other
query, and the columns a page shows, read for the few rows it shows. ``rid`` is the row's
position in the hot copy's ``events`` table, ``file_row`` its rowid in the file.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from . import store
from .aliases import SearchTerm, search_terms, word_start_pattern
from .filters import MAX_TERMS, Filters
from .text import normalise

#: What the frame holds, read from the hot copy once when it is made.
FRAME_SQL = (
    "SELECT rowid AS rid, file_row, event_id, event_date, span_start, span_end, event_type, "
    "country, latitude, longitude, actors_norm, batch_id FROM events"
)
_CATEGORICAL = ("event_type", "country", "actors_norm", "batch_id")
#: Text terms whose matching rows are remembered, for the reruns that keep the term.
TEXT_CACHE = 8
#: The folded search text is held here when it is no larger than this (bytes;
#: DASHBOARD_TEXT_MEMORY_MB). Polars tests a substring of a million rows' text (400 MB)
#: in about 35 ms; DuckDB took 120-150 ms from a compressed in-memory copy a half of the
#: size. Past the budget, memory wins: DuckDB matches the text in the store file.
TEXT_BUDGET = int(os.environ.get("DASHBOARD_TEXT_MEMORY_MB", "512")) * 2**20


class FilterFrame:
    """Filter columns of one hot copy, shared by every session (Polars frames are immutable).

    A text term is matched once per term, here or in the file; the rows it matched are
    kept for the next reruns that keep the term and change another filter (a scan of
    every row's folded text costs more than all the rest of a page).
    """

    def __init__(self, con):
        self.frame = pl.from_arrow(con.sql(FRAME_SQL).to_arrow_table()).with_columns(
            pl.col(c).cast(pl.Categorical) for c in _CATEGORICAL
        )
        self._file_rows = self.frame["file_row"].to_numpy()
        path, self._version = con.execute("SELECT path, version FROM _store").fetchall()[0]
        self._path = Path(path)
        #: The folded search text in the frame's row order, once held (:meth:`hold_text`).
        self.text: pl.Series | None = None
        #: Each distinct list of actors once: an actor filter tests these, not every row.
        self._actor_lists = self.frame["actors_norm"].unique().drop_nulls().cast(pl.String)
        self._text: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def hold_text(self, budget: int = TEXT_BUDGET) -> None:
        """Read the folded search text from the file, if it is no larger than ``budget``."""
        with store.same_version(self._path, self._version) as file:
            size = file.execute("SELECT sum(strlen(search_text)) FROM events").fetchall()[0][0]
            if (size or 0) > budget:
                return
            text = pl.from_arrow(file.sql("SELECT rowid, search_text FROM events").to_arrow_table())
        if not np.array_equal(text["rowid"].to_numpy(), self._file_rows):
            text = self.frame.select("file_row").join(
                text, left_on="file_row", right_on="rowid", how="left", maintain_order="left"
            )
        self.text = text["search_text"]

    def select(self, f: Filters) -> pl.DataFrame:
        """The rows these filters select."""
        mask = []
        if f.countries:
            mask.append(pl.col("country").is_in(list(f.countries)))
        if f.types:
            mask.append(pl.col("event_type").is_in(list(f.types)))
        if f.date_from is not None:
            mask.append(pl.col("span_end") >= f.date_from)
        if f.date_to is not None:
            mask.append(pl.col("span_start") <= f.date_to)
        if f.actors:
            lists = self._actor_lists
            hit = np.zeros(len(lists), dtype=bool)
            for actor in f.actors:
                hit |= lists.str.contains(normalise(actor), literal=True).to_numpy()
            mask.append(pl.col("actors_norm").is_in(lists.filter(hit).to_list()))
        if f.batch:
            mask.append(pl.col("batch_id") == f.batch)
        if f.text.strip():
            mask.append(pl.Series(self._text_hits(f)))
        return self.frame.filter(*mask) if mask else self.frame

    def forget_text(self) -> None:
        """Drop the remembered text matches (the benchmark times a term asked afresh)."""
        with self._lock:
            self._text.clear()

    def _text_hits(self, f: Filters) -> np.ndarray:
        """Row by row, whether the free-text terms match (in the frame's row order)."""
        key = f.text.strip()
        with self._lock:
            if key in self._text:
                self._text.move_to_end(key)
                return self._text[key]
        text = self.text  # set once, by the thread that prepares the copy
        if text is not None:
            hits = np.ones(len(self._file_rows), dtype=bool)
            for term in search_terms(f.text, MAX_TERMS):
                hits &= term_hits(text, term)
        else:
            matched = store.text_rows(self._path, self._version, *f.text_where())
            hits = np.zeros(int(self._file_rows.max(initial=-1)) + 1, dtype=bool)
            hits[matched[matched < len(hits)]] = True
            hits = hits[self._file_rows]
        with self._lock:
            self._text[key] = hits
            while len(self._text) > TEXT_CACHE:
                self._text.popitem(last=False)
        return hits


def term_hits(text: pl.Series, term: SearchTerm) -> np.ndarray:
    """Row by row, whether ``term`` matches, as its SQL (:meth:`SearchTerm.sql`) decides.

    One pass looks for every spelling at once: a regular expression made only of literals
    runs on SIMD substring search (90 ms for a name's 11 spellings in a million rows, where
    one pass per spelling took 1 s). A spelling that must start a word is settled on the
    rows that pass: most have it after a space or at the start; the word-start expression,
    which no substring search can speed up, runs only on the rest.
    """
    plain, words = term.split()
    if len(plain) == 1 and not words:
        return text.str.contains(plain[0], literal=True).fill_null(False).to_numpy()
    hits = text.str.contains(_any_of(plain + words)).fill_null(False).to_numpy()
    if not words:
        return hits
    rows = np.flatnonzero(hits)
    found = text.gather(rows)
    sure = found.str.contains(_any_of(plain + [" " + w for w in words]))
    sure |= (
        found.str.starts_with(words[0])
        if len(words) == 1
        else found.str.contains("^" + _any_of(words))
    )
    sure = sure.fill_null(False).to_numpy()
    unsure = np.flatnonzero(~sure)
    if len(unsure):
        sure[unsure] = found.gather(unsure).str.contains(word_start_pattern(words)).to_numpy()
    hits[rows] = sure
    return hits


def _any_of(literals: list[str]) -> str:
    return "(?:" + "|".join(pl.escape_regex(a) for a in literals) + ")"


def counts_by(sel: pl.DataFrame, column: str) -> pd.DataFrame:
    """Events per value of ``column``, most first, ties by value (no value last)."""
    out = (
        sel.group_by(column)
        .len("events")
        .with_columns(pl.col(column).cast(pl.String), pl.col("events").cast(pl.Int64))
        .sort(["events", column], descending=[True, False], nulls_last=True)
    )
    return out.to_pandas()


def period_counts(sel: pl.DataFrame, unit: str) -> pd.DataFrame:
    """Events per ISO week (from Monday) or calendar month, by type."""
    if unit == "week":  # 1970-01-01 was a Thursday: day -3 was a Monday
        days = pl.col("event_date").cast(pl.Int32)
        period = (days - (days + 3) % 7).cast(pl.Date)
    else:
        period = pl.col("event_date").dt.truncate("1mo")
    # Keys computed in a select, then grouped: 2 against 6 ms when computed in group_by.
    out = (
        sel.select(period.alias("period"), "event_type")
        .group_by("period", "event_type")
        .len("events")
        .with_columns(pl.col("event_type").cast(pl.String), pl.col("events").cast(pl.Int64))
        .sort(["period", "event_type"])
    ).to_pandas()
    out["period"] = pd.to_datetime(out["period"])
    return out


def edge_date(sel: pl.DataFrame, nth: int, descending: bool):
    """The event date of the ``nth`` row (from 0) in date order, or None when fewer rows."""
    if nth >= sel.height:
        return None
    dates = sel["event_date"]
    top = dates.top_k(nth + 1) if descending else dates.bottom_k(nth + 1)
    return top.min() if descending else top.max()


def located(sel: pl.DataFrame, bounds=None) -> pl.DataFrame:
    """Rows with coordinates, inside ``bounds`` (south, west, north, east) when given."""
    cond = pl.col("latitude").is_not_null()
    if bounds is not None:
        south, west, north, east = (float(b) for b in bounds)
        cond &= pl.col("latitude").is_between(south, north)
        cond &= pl.col("longitude").is_between(west, east)
    return sel.filter(cond)


def cells(points: pl.DataFrame, size: float) -> pd.DataFrame:
    """Grid cells of ``size`` degrees: count, centre of mass, most common type; most first.

    Of types equally common in a cell, the first in alphabetical order is named.
    """
    out = (
        points.select(
            (pl.col("latitude") / size).floor().cast(pl.Int32).alias("gy"),
            (pl.col("longitude") / size).floor().cast(pl.Int32).alias("gx"),
            "latitude",
            "longitude",
            "event_type",
        )
        .group_by("gy", "gx")
        .agg(
            pl.len().cast(pl.Int64).alias("events"),
            pl.col("latitude").mean(),
            pl.col("longitude").mean(),
            pl.col("event_type").mode().min(),
        )
        .with_columns(pl.col("event_type").cast(pl.String))
        .sort(["events", "gy", "gx"], descending=[True, False, False])
    )
    return out.to_pandas()
