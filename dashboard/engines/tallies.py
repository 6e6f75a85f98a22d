"""A filter round's counts of the selected rows, as array counts rather than group-bys.

Every count a round draws is keyed by small integers: a day and a type, a country, a
grid cell and a type. A categorical column already holds each value as an integer code,
so each count is one integer key per row and one ``numpy.bincount``; only the few keys
that occur are then named. At 165,000 selected rows of a million this took about a third
of the time of the same groupings as one Polars plan (README, performance). A key space
too large to count densely (a fine grid over a wide selection) is hashed instead.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

#: Dense counting allocates one slot per possible key; past this many slots the keys
#: are hashed instead.
DENSE_SLOTS = 1 << 22


class Codes:
    """A column as integer codes per row; ``width`` codes in all, the last for no value."""

    def __init__(self, values: pl.Series):
        if values.dtype != pl.Categorical:
            values = values.cast(pl.String).cast(pl.Categorical)
        physical = values.to_physical()
        nulls = physical.null_count()
        codes = (physical.fill_null(0) if nulls else physical).to_numpy()
        self.width = int(codes.max()) + 2 if len(codes) else 1
        if nulls:
            codes = codes.astype(np.int64)
            codes[physical.is_null().to_numpy()] = self.width - 1
        self.rows = codes
        self._categories = values.dtype.categories

    def names(self, codes: np.ndarray) -> np.ndarray:
        """The value of each code (None for no value)."""
        distinct, back = np.unique(codes, return_inverse=True)
        named = [None if c == self.width - 1 else self._categories[int(c)] for c in distinct]
        return np.array(named, dtype=object)[back]

    def ranks(self, codes: np.ndarray) -> np.ndarray:
        """Each code's place in the order of the values' names, no value last."""
        names = self.names(codes)
        missing = np.array([n is None for n in names], dtype=bool)
        text = np.where(missing, "", names).astype(str)
        distinct, back = np.unique(text, return_inverse=True)
        return np.where(missing, len(distinct), back)


def _count(keys: np.ndarray, *weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """(the distinct keys ascending, how many rows each, then each weight summed)."""
    if not len(keys):
        return (keys, np.zeros(0, np.int64), *(np.zeros(0) for _ in weights))
    low = int(keys.min())
    span = int(keys.max()) - low + 1
    if span <= DENSE_SLOTS:
        shifted = keys - low
        n = np.bincount(shifted, minlength=span)
        hit = np.flatnonzero(n)
        sums = [np.bincount(shifted, w, minlength=span)[hit] for w in weights]
        return (hit + low, n[hit], *sums)
    codes, uniques = pd.factorize(keys, sort=True)
    return (uniques, np.bincount(codes), *(np.bincount(codes, w) for w in weights))


def daily(sel: pl.DataFrame) -> pl.DataFrame:
    """Events by event date and type (``event_date``, ``event_type``, ``events``), with
    the deaths of those that have a figure (``deaths``) and how many have one
    (``with_deaths``), when the rows carry ``fatalities``."""
    types = Codes(sel["event_type"])
    days = sel["event_date"].cast(pl.Int32).to_numpy().astype(np.int64)
    weights = []
    if "fatalities" in sel.columns:
        deaths = sel["fatalities"]
        weights = [deaths.fill_null(0).to_numpy().astype(np.float64)]
        weights.append(deaths.is_not_null().to_numpy().astype(np.float64))
    keys, n, *sums = _count(days * types.width + types.rows, *weights)
    columns = {
        "event_date": pl.Series(keys // types.width, dtype=pl.Int32).cast(pl.Date),
        "event_type": pl.Series(types.names(keys % types.width).tolist(), dtype=pl.String),
        "events": pl.Series(n, dtype=pl.Int64),
    }
    if sums:
        columns["deaths"] = pl.Series(sums[0].astype(np.int64))
        columns["with_deaths"] = pl.Series(sums[1].astype(np.int64))
    return pl.DataFrame(columns)


def by_value(sel: pl.DataFrame, column: str) -> pd.DataFrame:
    """(value, events) most first, ties by value, no value last."""
    values = Codes(sel[column])
    keys, n = _count(values.rows)
    order = np.lexsort((values.ranks(keys), -n))
    return pd.DataFrame({column: values.names(keys[order]).tolist(), "events": n[order]})


def cells(points: pl.DataFrame, size: float) -> pd.DataFrame:
    """Grid cells of ``size`` degrees over located rows: ``gy``, ``gx``, ``events``, the
    centre of mass and the most common type (the first alphabetically among equals);
    most events first, then by ``gy`` and ``gx``."""
    columns = ["gy", "gx", "events", "latitude", "longitude", "event_type"]
    if not points.height:
        return pd.DataFrame({c: pd.Series(dtype=_EMPTY[c]) for c in columns})
    lat = points["latitude"].to_numpy()
    lon = points["longitude"].to_numpy()
    gy = np.floor(lat / size).astype(np.int64)
    gx = np.floor(lon / size).astype(np.int64)
    types = Codes(points["event_type"])
    y0, x0 = int(gy.min()), int(gx.min())
    wide = int(gx.max()) - x0 + 1
    keys, n, lat_sum, lon_sum = _count(
        ((gy - y0) * wide + (gx - x0)) * types.width + types.rows, lat, lon
    )
    cell, type_code = keys // types.width, keys % types.width
    # Keys come ascending, so each cell's types are adjacent.
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    events = np.add.reduceat(n, starts)
    top = _most_common(n, types.ranks(type_code), starts)
    lat_c = np.add.reduceat(lat_sum, starts) / events
    lon_c = np.add.reduceat(lon_sum, starts) / events
    gy, gx = cell[starts] // wide + y0, cell[starts] % wide + x0
    order = np.lexsort((gx, gy, -events))
    return pd.DataFrame(
        {
            "gy": gy[order].astype(np.int32),
            "gx": gx[order].astype(np.int32),
            "events": events[order].astype(np.int64),
            "latitude": lat_c[order],
            "longitude": lon_c[order],
            "event_type": types.names(type_code[top][order]).tolist(),
        }
    )


_EMPTY = {
    "gy": "int32",
    "gx": "int32",
    "events": "int64",
    "latitude": "float64",
    "longitude": "float64",
    "event_type": "object",
}


def _most_common(n: np.ndarray, rank: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per group (groups begin at ``starts``), the position of its largest ``n``, the
    lowest ``rank`` among equals."""
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(n)]))
    order = np.lexsort((rank, -n, group))  # by group, then most first, then by name
    first = np.r_[True, group[order][1:] != group[order][:-1]]
    return order[first]


def _period_starts(daily: pl.DataFrame, unit: str) -> np.ndarray:
    """Each row's ISO week (from Monday) or calendar month, as its first day's number."""
    days = daily["event_date"].cast(pl.Int32).to_numpy().astype(np.int64)
    if unit == "week":  # 1970-01-01 was a Thursday: day -3 was a Monday
        return days - (days + 3) % 7
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    return month.astype("datetime64[D]").astype(np.int64)


def deaths(daily: pl.DataFrame, unit: str) -> pd.DataFrame:
    """The daily deaths summed by ISO week or calendar month (``period``, ``fatalities``),
    periods with no event that has a figure left out."""
    keys, _, total, known = _count(
        _period_starts(daily, unit),
        daily["deaths"].to_numpy().astype(np.float64),
        daily["with_deaths"].to_numpy().astype(np.float64),
    )
    some = known > 0
    return pd.DataFrame(
        {
            "period": keys[some].astype("datetime64[D]").astype("datetime64[ms]"),
            "fatalities": total[some].astype(np.int64),
        }
    )


def summed(daily: pl.DataFrame, unit: str | None) -> pd.DataFrame:
    """The daily counts summed by type (``unit`` None: ``event_type``, ``events``, most
    first, ties by type) or by ISO week (from Monday) or calendar month and type
    (``period``, ``event_type``, ``events``, by period, then type)."""
    events = daily["events"].to_numpy().astype(np.float64)
    names, kind = np.unique(
        daily["event_type"].cast(pl.String).to_numpy().astype(str), return_inverse=True
    )
    if unit is None:
        total = np.bincount(kind, events, minlength=len(names)).astype(np.int64)
        order = np.lexsort((np.arange(len(names)), -total))
        return pd.DataFrame({"event_type": names[order].astype(object), "events": total[order]})
    width = max(len(names), 1)
    keys, _, total = _count(_period_starts(daily, unit) * width + kind, events)
    return pd.DataFrame(
        {
            "period": (keys // width).astype("datetime64[D]").astype("datetime64[ms]"),
            "event_type": names[keys % width].astype(object),
            "events": total.astype(np.int64),
        }
    )
