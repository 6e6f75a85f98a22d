"""The frame engine: the hot copy's filter columns as a Polars frame.

A page change asks one filter model for a count, counts by type and week, counts by
country, a table page and the map. These columns in Polars, the selection made once per
run and kept, answer those faster than SQL over DuckDB's compressed in-memory copy
(README's performance section has the figures). DuckDB keeps the rest: the columns a
page shows, read for the few rows it shows, and the full records in the store file.

A text term is answered by the word index the store keeps (read at start, not rebuilt:
:mod:`dashboard.wordstore`); the folded search text then stays in the file. Without the
index (DASHBOARD_TEXT_INDEX=0) the text is held here while it fits a budget, and past the
budget DuckDB matches it in the file. Every way a term matches the same rows. ``rid`` is
the row's position in the hot copy's ``events`` table, ``file_row`` its rowid in the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

from dashboard import facets, store
from dashboard.aliases import SearchTerm, search_terms, word_start_pattern
from dashboard.engines import framefile, tallies, wordindex
from dashboard.engines.base import check_column, check_facet, check_unit, decode, order_of
from dashboard.engines.records import Records
from dashboard.engines.wordindex import WordIndex, read_store_in_visits
from dashboard.filters import MAX_TERMS, Filters
from dashboard.text import normalise

#: What the frame holds, read from the hot copy once when it is made. Row numbers and
#: data versions fit 32 bits: at five million events, 57 MB less than 64-bit columns.
FRAME_SQL = (
    "SELECT rowid::INTEGER AS rid, file_row::INTEGER AS file_row, event_date, "
    "span_start, span_end, event_type, country, latitude, longitude, actors_norm, batch_id, "
    "added_in::INTEGER AS added_in, location, admin1, sub_type, fatalities FROM events"
)
_CATEGORICAL = (
    "event_type",
    "country",
    "actors_norm",
    "batch_id",
    "location",
    "admin1",
    "sub_type",
)
#: What a selection holds: the columns a round's answers read (counts, cells, the order
#: of a page, the actor lists); the rest are only filtered on.
SELECTED = (
    "rid",
    "event_date",
    "event_type",
    "country",
    "latitude",
    "longitude",
    "actors_norm",
    "fatalities",
)
#: Text terms whose matching rows are remembered, for the reruns that keep the term.
TEXT_CACHE = 8
#: Filter states whose selected rows are remembered: a page's views (type counts,
#: timeline, map, table) each ask on their own engine in one rerun, and share them.
SELECTIONS_KEPT = 2
#: Filter states whose aggregates (counts by day and type, by country, map cells) are
#: remembered: a few kilobytes each.
AGGREGATES_KEPT = 32
#: The folded search text is held here when it is no larger than this (bytes;
#: DASHBOARD_TEXT_MEMORY_MB). Past the budget, memory wins: DuckDB matches the text in
#: the store file.
TEXT_BUDGET = int(os.environ.get("DASHBOARD_TEXT_MEMORY_MB", "512")) * 2**20
#: Whether a word index of the held text answers text terms (DASHBOARD_TEXT_INDEX=0: the
#: text is scanned instead, as before the index existed).
TEXT_INDEX = os.environ.get("DASHBOARD_TEXT_INDEX", "1") != "0"


#: What a kept frame was made by: another query or other categories are another layout.
FRAME_LAYOUT = framefile.layout(FRAME_SQL, _CATEGORICAL)


def _built(con) -> pl.DataFrame:
    """The frame read from the copy, its text columns made categories."""
    return pl.from_arrow(con.sql(FRAME_SQL).to_arrow_table()).with_columns(
        pl.col(c).cast(pl.Categorical) for c in _CATEGORICAL
    )


class FilterFrame:
    """Filter columns of one hot copy, shared by every session (Polars frames are immutable).

    A text term is matched once per term, here or in the file; the rows it matched are
    kept for the next reruns that keep the term and change another filter (a scan of
    every row's folded text costs more than all the rest of a page).
    """

    def __init__(self, con, *, keep: bool = False):
        path, self._version = con.execute("SELECT path, version FROM _store").fetchall()[0]
        self.path = Path(path)
        #: What a frame kept beside the store must match (:mod:`framefile`); None when
        #: this frame is not the store's own (a copy patched to an earlier version).
        self._kept_key = None
        if keep:
            rows = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
            self._kept_key = framefile.key_of(self.path, self._version, rows, FRAME_LAYOUT)
        kept = framefile.load(self.saved_frame_path, self._kept_key) if self._kept_key else None
        #: Whether the frame was built here (and is worth keeping for the next start).
        self.built = kept is None
        self.frame = kept if kept is not None else _built(con)
        self._file_rows = self.frame["file_row"].to_numpy()
        self._blocks = DateBlocks(self.frame)
        #: The folded search text in the frame's row order, once held (:meth:`hold_text`)
        #: when there is no word index to answer text terms.
        self.text: pl.Series | None = None
        #: Posting lists of that text (:mod:`dashboard.engines.wordindex`), once read
        #: from the store.
        self.index: WordIndex | None = None
        #: Each distinct list of actors once: an actor filter tests these, not every row.
        self._actor_lists = self.frame["actors_norm"].unique().drop_nulls().cast(pl.String)
        self._text: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        #: Over the data as it stood at an earlier version (dashboard.asof): the events
        #: held as they were, by position here, and their search text then.
        self._then = _then_text(con, self.frame)
        self._facets: dict[str, list[str]] = {}
        self._selections: OrderedDict[Filters, pl.DataFrame] = OrderedDict()
        self._aggregates: OrderedDict[tuple, object] = OrderedDict()
        #: The cell size a map last asked for: the next filter state's one pass counts
        #: its cells too, since a page with a map asks for them at the same zoom.
        self.cell_size: float | None = None

    def selected(self, f: Filters) -> pl.DataFrame:
        """:meth:`select`, remembered for the last few filter states (the frame never
        changes, so neither do the rows a filter state selects)."""
        with self._lock:
            if f in self._selections:
                self._selections.move_to_end(f)
                return self._selections[f]
        picked = self.select(f)
        with self._lock:
            self._selections[f] = picked
            while len(self._selections) > SELECTIONS_KEPT:
                self._selections.popitem(last=False)
        return picked

    def aggregates(self, f: Filters, size: float | None = None) -> Aggregates:
        """The counts a filter round draws, made in one pass over its selected rows and
        remembered per filter state: events by day and type (every count, count by type
        and count by week or month is summed from these), by country, and, with
        ``size`` (or the size a map last asked for), the map's grid cells."""
        size = self.cell_size if size is None else size
        with self._lock:
            found = self._aggregates.get(f)
            if found is not None:
                self._aggregates.move_to_end(f)
                if size is None or size in found.cells:
                    return found
        sel = self.selected(f)
        if found is None:
            found = Aggregates(*one_pass(sel, size))
        else:  # the counts are known: only this size's cells
            found.cells[size] = cells(located(sel), size)
        with self._lock:
            self._aggregates[f] = found
            self._aggregates.move_to_end(f)
            while len(self._aggregates) > AGGREGATES_KEPT:
                self._aggregates.popitem(last=False)
        return found

    def forget(self) -> None:
        """Drop the remembered selections and aggregates (the benchmark times a round
        asked afresh; text matches are kept, :meth:`forget_text` drops those)."""
        with self._lock:
            self._selections.clear()
            self._aggregates.clear()

    def facet_values(self, column: str) -> list[str]:
        """The distinct values of a facet's column, most events first, ties by value
        (counted once per hot copy: the frame never changes)."""
        column = check_facet(column)
        if column not in self._facets:
            counts = (
                self.frame.group_by(column)
                .len("n")
                .with_columns(pl.col(column).cast(pl.String))
                .filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
                .sort(["n", column], descending=[True, False])
            )
            self._facets[column] = counts[column].to_list()
        return self._facets[column]

    def hold_text(self, budget: int = TEXT_BUDGET, index: bool = TEXT_INDEX) -> None:
        """Make text terms answerable here: with ``index``, the word index the store keeps
        is read (the folded text itself is then not held: the few rows a spelling with a
        space needs are read from the file); without, the folded search text is held to
        be scanned, if it is no larger than ``budget``."""
        if index:
            key = self._saved_key()
            saved = wordindex.load(self.saved_index_path, key) if key else None
            if saved is not None:
                self.index = saved
                return
            # Only the reading is done inside visits to the file, each short; the postings
            # are laid out after them, while writers and other pages can open the file.
            read = read_store_in_visits(self.path, self._version)
            if read is not None:
                self.index = WordIndex.from_read(read, self._file_rows)
                if key:  # a read-only folder: laid out again at the next start
                    with contextlib.suppress(OSError):
                        wordindex.save(self.index, self.saved_index_path, key)
                return
        with store.same_version(self.path, self._version) as file:
            size = file.execute("SELECT sum(strlen(search_text)) FROM events").fetchall()[0][0]
            if (size or 0) > budget:
                return
            text = pl.from_arrow(file.sql("SELECT rowid, search_text FROM events").to_arrow_table())
        if not np.array_equal(text["rowid"].to_numpy(), self._file_rows):
            text = self.frame.select("file_row").join(
                text, left_on="file_row", right_on="rowid", how="left", maintain_order="left"
            )
        self.text = text["search_text"]
        if index:  # rows written around the index (not by the store's write paths)
            self.index = WordIndex(self.text)

    @property
    def saved_frame_path(self) -> Path:
        """Where the frame is kept between starts, beside the store."""
        return self.path.with_name(self.path.name + ".frame")

    def keep(self) -> None:
        """Keep a frame built here for the next start of the same store and version (a
        read-only folder: built again next time)."""
        if self.built and self._kept_key:
            with contextlib.suppress(OSError):
                framefile.save(self.frame, self.saved_frame_path, self._kept_key)

    @property
    def saved_index_path(self) -> Path:
        """Where the laid-out word index is kept between starts, beside the store."""
        return self.path.with_name(self.path.name + ".words")

    def _saved_key(self) -> dict | None:
        """What a kept word index must have been made of: this file (device, inode), its
        data version and the row order of this copy; None when the file is gone."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        rows = hashlib.blake2b(np.ascontiguousarray(self._file_rows).tobytes(), digest_size=16)
        return {
            "file": [stat.st_dev, stat.st_ino],
            "version": str(self._version),
            "rows": rows.hexdigest(),
        }

    def _file_text(self, rows: np.ndarray) -> pl.Series:
        """The folded search text of these frame rows, read from the file."""
        wanted = pl.DataFrame({"file_row": self._file_rows[rows].astype(np.int64)})
        with store.same_version(self.path, self._version) as file:
            file.register("_wanted", wanted.to_arrow())
            try:
                found = pl.from_arrow(
                    file.sql(
                        "SELECT rowid AS file_row, search_text FROM events WHERE rowid IN "
                        "(SELECT file_row FROM _wanted)"
                    ).to_arrow_table()
                )
            finally:
                file.unregister("_wanted")
        found = found.with_columns(pl.col("file_row").cast(pl.Int64))
        return wanted.join(found, on="file_row", how="left", maintain_order="left")["search_text"]

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
        if f.as_of is not None:
            mask.append(pl.col("added_in").fill_null(0) <= f.as_of)
        picked = facets.pick(f, self.facet_values)
        if picked is not None:  # places and sub-types: the stored values they pick
            if f.places:
                mask.append(
                    pl.col("location").is_in(list(picked.location)).fill_null(False)
                    | pl.col("admin1").is_in(list(picked.admin1)).fill_null(False)
                )
            if f.sub_types:
                mask.append(pl.col("sub_type").is_in(list(picked.sub_type)).fill_null(False))
        if f.fatalities_min is not None:
            mask.append(pl.col("fatalities") >= f.fatalities_min)
        if f.fatalities_max is not None:
            mask.append(pl.col("fatalities") <= f.fatalities_max)
        runs = self._blocks.runs(f.date_from, f.date_to)
        if f.text.strip():
            hits = self._text_hits(f)
            mask.append(pl.Series(hits if runs is None else _in_runs(hits, runs)))
        if not mask:
            return self.frame.select(SELECTED)
        # Only the selected columns are gathered: a filter on the whole frame would copy
        # every column of the matching rows.
        return _in_runs(self.frame, runs).lazy().filter(*mask).select(SELECTED).collect()

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
        text, index = self.text, self.index  # set once, by the thread that prepares the copy
        if index is not None:
            text_of = text.gather if text is not None else self._file_text
            hits = np.ones(len(self._file_rows), dtype=bool)
            for term in search_terms(f.text, MAX_TERMS):
                hits &= index.term_hits(term, text_of)
        elif text is not None:
            hits = np.ones(len(self._file_rows), dtype=bool)
            for term in search_terms(f.text, MAX_TERMS):
                hits &= term_hits(text, term)
        else:
            matched = store.text_rows(self.path, self._version, *f.text_where())
            hits = np.zeros(int(self._file_rows.max(initial=-1)) + 1, dtype=bool)
            hits[matched[matched < len(hits)]] = True
            if self._then is None:
                hits = hits[self._file_rows]
            else:  # rows held as they were have no row in the file: matched below
                hits = hits[np.maximum(self._file_rows, 0)] & (self._file_rows >= 0)
        if self._then is not None:
            positions, then = self._then
            held = np.ones(len(positions), dtype=bool)
            for term in search_terms(f.text, MAX_TERMS):
                held &= term_hits(then, term)
            hits[positions] = held
        with self._lock:
            self._text[key] = hits
            while len(self._text) > TEXT_CACHE:
                self._text.popitem(last=False)
        return hits


#: Rows per block of the frame whose dates are summed up in :class:`DateBlocks`.
BLOCK_ROWS = 1 << 15


class DateBlocks:
    """The earliest start and latest end of the events in each block of rows, so that a
    date filter reads only the blocks that can hold a matching event (as a column store's
    zone maps do). A store's events are kept in date order within each import, so most
    blocks of a big store span a few weeks; a store in no order reads every block.
    """

    def __init__(self, frame: pl.DataFrame):
        self.height = frame.height
        self.offsets = np.arange(0, frame.height, BLOCK_ROWS)
        if not frame.height:
            self.first = self.last = np.zeros(0, dtype=np.int64)
            return
        lowest, highest = np.iinfo(np.int32).min, np.iinfo(np.int32).max
        starts = frame["span_start"].cast(pl.Int32).fill_null(lowest).to_numpy()
        ends = frame["span_end"].cast(pl.Int32).fill_null(highest).to_numpy()
        self.first = np.minimum.reduceat(starts, self.offsets)
        self.last = np.maximum.reduceat(ends, self.offsets)

    def runs(self, date_from, date_to) -> list[tuple[int, int]] | None:
        """(offset, length) of the runs of blocks that may hold an event in the range,
        or None when every block may."""
        keep = np.ones(len(self.offsets), dtype=bool)
        if date_from is not None:
            keep &= self.last >= (date_from - EPOCH).days
        if date_to is not None:
            keep &= self.first <= (date_to - EPOCH).days
        if keep.all():
            return None
        edges = np.flatnonzero(np.diff(np.r_[0, keep.astype(np.int8), 0]))
        return [
            (
                int(self.offsets[a]),
                int(min(self.offsets[b - 1] + BLOCK_ROWS, self.height)) - int(self.offsets[a]),
            )
            for a, b in zip(edges[::2], edges[1::2], strict=True)
        ]


EPOCH = date(1970, 1, 1)


def _in_runs(rows, runs: list[tuple[int, int]] | None):
    """The rows of a frame or an array that lie in ``runs`` (all of them for None)."""
    if runs is None:
        return rows
    if isinstance(rows, np.ndarray):
        return np.concatenate([rows[a : a + n] for a, n in runs] or [rows[:0]])
    return pl.concat([rows.slice(a, n) for a, n in runs] or [rows.clear()], rechunk=False)


def _then_text(con, frame: pl.DataFrame) -> tuple[np.ndarray, pl.Series] | None:
    """(positions in ``frame``, search text) of the rows an as-of layer holds as they were
    (``file_row`` below 0, their text in ``_patch``), or None outside one."""
    try:
        then = pl.from_arrow(con.sql("SELECT file_row, search_text FROM _patch").to_arrow_table())
    except duckdb.CatalogException:
        return None
    positions = frame.with_row_index("pos").filter(pl.col("file_row") < 0)
    joined = positions.select("pos", "file_row").join(then, on="file_row", how="left")
    return joined["pos"].to_numpy().astype(np.int64), joined["search_text"].fill_null("")


def term_hits(text: pl.Series, term: SearchTerm) -> np.ndarray:
    """Row by row, whether ``term`` matches, as its SQL (:meth:`SearchTerm.sql`) decides.

    One pass looks for every spelling at once: a regular expression made only of literals
    runs on SIMD substring search, several times faster than one pass per spelling. A
    spelling that must start a word is settled on the rows that pass: most have it after
    a space or at the start; the word-start expression, which no substring search can
    speed up, runs only on the rest.
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


def edge_date(sel: pl.DataFrame, nth: int, descending: bool):
    """The event date of the ``nth`` row (from 0) in date order, or None when fewer rows."""
    if nth >= sel.height:
        return None
    dates = sel["event_date"]
    top = dates.top_k(nth + 1) if descending else dates.bottom_k(nth + 1)
    return top.min() if descending else top.max()


def by_date(sel: pl.DataFrame, n: int, descending: bool) -> pl.DataFrame:
    """The rows of ``sel`` that can be among its first ``n`` in (event date, event id)
    order: those on or beyond the date of the n-th row, found over the date column alone
    (a top-k keyed on the date and the id string together took nine times as long over
    160,000 rows; README, performance). The ids that order them are read with the page."""
    edge = edge_date(sel, n - 1, descending) if n > 0 else None
    if edge is None:
        return sel
    date = pl.col("event_date")
    return sel.filter(date >= edge if descending else date <= edge)


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
    return tallies.cells(points, size)


class Aggregates:
    """One filter state's counts (:meth:`FilterFrame.aggregates`); read only."""

    def __init__(self, daily: pl.DataFrame, countries: pd.DataFrame, cells_of: dict):
        #: Events by event date and type.
        self.daily = daily
        self.count = int(daily["events"].sum()) if daily.height else 0
        self._countries = countries
        #: Map cells by cell size (:func:`cells`), of the located rows.
        self.cells: dict[float, pd.DataFrame] = cells_of
        self._periods: dict[object, pd.DataFrame] = {}
        self._types: pd.DataFrame | None = None

    def counts_by(self, column: str) -> pd.DataFrame:
        """Events per ``event_type`` or ``country`` of the selected rows, most first, ties
        by value, no value last."""
        if column == "country":
            return self._countries.copy()
        if self._types is None:
            self._types = tallies.summed(self.daily, None)
        return self._types.copy()

    def period_counts(self, unit: str) -> pd.DataFrame:
        """Events per ISO week (from Monday) or calendar month, by type: summed from the
        daily counts."""
        if unit not in self._periods:
            self._periods[unit] = tallies.summed(self.daily, unit)
        return self._periods[unit].copy()

    def period_deaths(self, unit: str) -> pd.DataFrame:
        """Deaths per period of the selected events with a figure, from the daily sums."""
        key = ("deaths", unit)
        if key not in self._periods:
            self._periods[key] = tallies.deaths(self.daily, unit)
        return self._periods[key].copy()

    def map_cells(self, size: float) -> pd.DataFrame:
        return self.cells[size].copy()


def one_pass(sel: pl.DataFrame, size: float | None) -> tuple:
    """(events by day and type, counts by country, {size: map cells}) of the selected
    rows, each one array count over them (:mod:`dashboard.engines.tallies`)."""
    cells_of = {size: cells(located(sel), size)} if size is not None else {}
    return tallies.daily(sel), tallies.by_value(sel, "country"), cells_of


#: Up to this many rows are read from the hot copy by a list of row numbers; beyond, by
#: a join with them (the list is faster for a page, the join for tens of thousands).
RID_LIST_MAX = 1000
#: Rows read as one range when the range is at most this many times as long as the list
#: of rows wanted from it.
RANGE_FACTOR = 4


class FrameEngine:
    """Answers from a :class:`FilterFrame`; the rows a page shows are read from the hot
    copy (``con``, a cursor of it) by row number, and whole records from the store file.
    One per session run: the last selection is kept for the run's other questions."""

    name = "frame"

    def __init__(self, frame: FilterFrame, con: duckdb.DuckDBPyConnection):
        self.frame = frame
        self.con = con
        self._records = Records(con, frame.path)
        self._picked: tuple[Filters, pl.DataFrame] | None = None

    def select(self, f: Filters) -> pl.DataFrame:
        """The filter frame's rows for ``f``, kept for the other questions of this run
        (and, by the frame, for the other views of the same filter state)."""
        if self._picked is None or self._picked[0] != f:
            self._picked = (f, self.frame.selected(f))
        return self._picked[1]

    def count(self, f: Filters) -> int:
        return self.select(f).height

    def count_located(self, f: Filters, bounds=None) -> int:
        if bounds is None:
            size = self.frame.cell_size
            if size is not None:
                return int(self.frame.aggregates(f, size).cells[size]["events"].sum())
        return located(self.select(f), bounds).height

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        column = check_column(column)
        if column in ("event_type", "country"):
            return self.frame.aggregates(f).counts_by(column)
        return self._in_rows(
            self.select(f)["rid"],
            f"SELECT {column}, count(*) AS events FROM events WHERE {{rows}} "
            f"GROUP BY {column} ORDER BY events DESC, {column} NULLS LAST",
            {},
        )

    def period_counts(self, f: Filters, unit: str) -> pd.DataFrame:
        return self.frame.aggregates(f).period_counts(check_unit(unit))

    def period_deaths(self, f: Filters, unit: str) -> pd.DataFrame:
        return self.frame.aggregates(f).period_deaths(check_unit(unit))

    def table_page(self, f, *, sort, descending, limit, offset, columns) -> pd.DataFrame:
        order = order_of(sort)
        direction = "DESC" if descending else "ASC"
        picked = self.select(f)
        if limit is not None and order == "event_date":
            # Only the rows on or beyond the date of the page's last row can be on it:
            # they are found in the frame, and the copy puts them in order (event_id
            # breaks ties) and reads the page's columns for them alone.
            keys = picked.select("rid", "event_date")
            near = by_date(keys, int(limit) + int(offset), descending)
            by = f"event_date {direction}, event_id {direction}"
            return self._fetch(columns, near["rid"], by, limit, offset)
        return self._fetch(
            columns,
            picked["rid"],
            f"{order} {direction} NULLS LAST, event_id {direction}",
            limit,
            offset,
        )

    def map_cells(self, f: Filters, size: float, bounds=None) -> pd.DataFrame:
        if bounds is not None:
            return cells(located(self.select(f), bounds), size)
        self.frame.cell_size = size
        return self.frame.aggregates(f, size).map_cells(size)

    def map_points(self, f: Filters, columns, bounds=None, limit=None) -> pd.DataFrame:
        points = located(self.select(f), bounds)
        if limit is not None:
            points = by_date(points, int(limit), descending=True)
        return self._fetch(columns, points["rid"], "event_date DESC, event_id DESC", limit)

    def records(self, ids: list[str]) -> pd.DataFrame:
        return self._records.by_ids(ids)

    def referencing(self, event_id: str) -> pd.DataFrame:
        return self._records.referencing(event_id)

    def actor_names(self, limit: int) -> list[str]:
        return self._records.actor_names(limit)

    def actor_lists(self, f: Filters) -> pd.DataFrame:
        return actor_lists_frame(self, f)

    def facet_values(self, column: str) -> list[str]:
        return self.frame.facet_values(column)

    def _fetch(
        self, columns, rids: pl.Series, order: str, limit: int | None = None, offset: int = 0
    ) -> pd.DataFrame:
        """``columns`` of the hot copy's rows ``rids``, in ``order`` (trusted SQL), the
        ``limit`` rows after ``offset`` when given.

        With a limit and many more rows than it, the rows are put in order reading only
        the order's columns, and the page's columns are read for the page's rows alone:
        every row read costs a block of each column to decompress.
        """
        window = None if limit is None else {"limit": int(limit), "offset": int(offset)}
        if window and len(rids) > 2 * (window["limit"] + window["offset"]):
            page = self._in_rows(
                rids,
                f"SELECT rowid FROM events WHERE {{rows}} ORDER BY {order} "
                "LIMIT $limit OFFSET $offset",
                window,
            )
            rids, window = pl.Series(page["rowid"].to_numpy(), dtype=pl.Int64), None
        wanted = ", ".join(columns)
        if len(rids) and len(rids) <= RID_LIST_MAX:
            low, high = int(rids.min()), int(rids.max())
            if high - low < RANGE_FACTOR * len(rids):
                # Rows close together (a page of the newest events in a store kept in
                # date order): the rows between them, fewer wanted ones dropped after,
                # cost half the list of row numbers, whose binding is most of the query.
                near = self.con.execute(
                    f"SELECT rowid AS _rid, {wanted} FROM events "
                    f"WHERE rowid BETWEEN $low AND $high ORDER BY {order}",
                    {"low": low, "high": high},
                ).df()
                near = near[near["_rid"].isin(rids.to_numpy())]
                if window:
                    near = near.iloc[window["offset"] : window["offset"] + window["limit"]]
                return decode(near.drop(columns="_rid").reset_index(drop=True))
        sql = f"SELECT {wanted} FROM events WHERE {{rows}} ORDER BY {order}"
        if window:
            sql += " LIMIT $limit OFFSET $offset"
        return decode(self._in_rows(rids, sql, window or {}))

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


def actor_lists_frame(engine: FrameEngine, f: Filters) -> pd.DataFrame:
    """:meth:`dashboard.engines.base.Engine.actor_lists` over the filter frame: grouped by
    the folded list there; each group's first row (the smallest ``rid``: the copy keeps
    the store's order) is the one whose ``actors`` are read from the copy."""
    groups = (
        engine.select(f)
        .filter(pl.col("actors_norm").cast(pl.String).str.len_chars() > 2)
        .group_by("actors_norm")
        .agg(
            pl.len().cast(pl.Int64).alias("events"),
            pl.col("event_date").min().alias("first"),
            pl.col("event_date").max().alias("last"),
            pl.col("rid").min().alias("rid"),
        )
        .with_columns(pl.col("actors_norm").cast(pl.String).alias("key"))
        .sort(["events", "key"], descending=[True, False])
    )
    names = engine._in_rows(
        groups["rid"], "SELECT rowid AS rid, actors FROM events WHERE {rows}", {}
    )
    actors = dict(zip(names["rid"].tolist(), names["actors"].tolist(), strict=True))
    out = groups.select("key", "events", "first", "last").to_pandas()
    out.insert(1, "actors", [actors[r] for r in groups["rid"].to_list()])
    out["first"] = pd.to_datetime(out["first"])
    out["last"] = pd.to_datetime(out["last"])
    return decode(out)
