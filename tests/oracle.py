"""The filter model's meaning, spelled out in pandas: what every engine must answer.

Deliberately plain (boolean masks over every row, Python regular expressions for the
word starts), written from the rules in README and dashboard.filters, not from any
engine's code, so an engine that drifts from the meaning disagrees with it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from dashboard import store
from dashboard.aliases import search_terms
from dashboard.filters import MAX_TERMS, Filters
from dashboard.text import normalise


def frame(path: Path) -> pd.DataFrame:
    """Every stored row of the store file, with the derived columns the filters read."""
    with store.connect(path, read_only=True) as con:
        return con.sql(
            "SELECT event_id, event_date, span_start, span_end, event_type, country, title, "
            "location, fatalities, latitude, longitude, actors_norm, batch_id, added_in, dataset, "
            "verification, search_text, admin1, sub_type FROM events"
        ).df()


def _term_matches(text: str, term) -> bool:
    plain, words = term.split()
    if any(p in text for p in plain):
        return True
    if not words:
        return False
    # A word start: the text's start, or after anything that is not a Latin letter/digit.
    return (
        re.search(r"(?:^|[^a-z0-9])(?:" + "|".join(map(re.escape, words)) + ")", text) is not None
    )


def mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    if f.countries:
        keep &= df["country"].isin(f.countries)
    if f.types:
        keep &= df["event_type"].isin(f.types)
    # Any part of the event's span in the range.
    if f.date_from is not None:
        keep &= df["span_end"] >= pd.Timestamp(f.date_from)
    if f.date_to is not None:
        keep &= df["span_start"] <= pd.Timestamp(f.date_to)
    if f.actors:
        names = [normalise(a) for a in f.actors]
        keep &= df["actors_norm"].fillna("").map(lambda s: any(n in s for n in names))
    if f.batch:
        keep &= df["batch_id"] == f.batch
    if f.as_of is not None:  # rows the store had at that data version
        keep &= df["added_in"].fillna(0) <= f.as_of
    if f.places:  # any place, as whole words, in the place name or the province
        places = [normalise(p) for p in f.places]
        at = df["location"].map(lambda s: _has_place(s, places))
        keep &= at | df["admin1"].map(lambda s: _has_place(s, places))
    if f.sub_types:  # any sub-type, equal once folded
        wanted = {normalise(s) for s in f.sub_types}
        keep &= df["sub_type"].map(lambda s: bool(s) and normalise(s) in wanted)
    # A range of deaths leaves out events whose count is unknown.
    if f.fatalities_min is not None:
        keep &= df["fatalities"].notna() & (df["fatalities"] >= f.fatalities_min)
    if f.fatalities_max is not None:
        keep &= df["fatalities"].notna() & (df["fatalities"] <= f.fatalities_max)
    for term in search_terms(f.text, MAX_TERMS):
        keep &= df["search_text"].fillna("").map(lambda s, t=term: _term_matches(s, t))
    return keep


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _has_place(name, places: list[str]) -> bool:
    """Whether one of ``places`` (folded) is in ``name`` with no word character glued to
    an end of it that is itself a letter or digit."""
    if not isinstance(name, str) or not name:
        return False
    text = normalise(name)
    for place in places:
        if not place:
            continue
        start = text.find(place)
        while start >= 0:
            end = start + len(place)
            before = start > 0 and _word_char(text[start - 1]) and place[0].isalnum()
            after = end < len(text) and _word_char(text[end]) and place[-1].isalnum()
            if not before and not after:
                return True
            start = text.find(place, start + 1)
    return False


def select(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return df[mask(df, f)]


def counts_by(sel: pd.DataFrame, column: str) -> list[tuple]:
    """(value, events): most first, ties by value, no value last."""
    counts = sel[column].value_counts(dropna=False)
    pairs = [(None if pd.isna(k) else k, int(n)) for k, n in counts.items()]
    return sorted(pairs, key=lambda p: (-p[1], p[0] is None, p[0] or ""))


def period_counts(sel: pd.DataFrame, unit: str) -> list[tuple]:
    dates = pd.to_datetime(sel["event_date"])
    if unit == "week":
        period = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    else:
        period = dates.dt.to_period("M").dt.to_timestamp()
    grouped = sel.assign(period=period).groupby(["period", "event_type"]).size()
    return sorted((pd.Timestamp(p).date(), t, int(n)) for (p, t), n in grouped.items())


def period_deaths(sel: pd.DataFrame, unit: str) -> list[tuple]:
    """(first day of the period, deaths) of the events with a figure, by period."""
    known = sel[sel["fatalities"].notna()]
    dates = pd.to_datetime(known["event_date"])
    if unit == "week":
        period = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    else:
        period = dates.dt.to_period("M").dt.to_timestamp()
    grouped = known.assign(period=period).groupby("period")["fatalities"].sum()
    return [(pd.Timestamp(p).date(), int(n)) for p, n in grouped.items()]


def table_ids(sel: pd.DataFrame, sort: str, descending: bool, limit, offset) -> list[str]:
    """``sort`` then event_id, both in the one direction; empty values last."""
    ordered = sel.sort_values(
        [sort, "event_id"], ascending=not descending, na_position="last", kind="stable"
    )
    ids = ordered["event_id"].tolist()
    return ids[offset:] if limit is None else ids[offset : offset + limit]


def located(sel: pd.DataFrame, bounds=None) -> pd.DataFrame:
    out = sel[sel["latitude"].notna()]
    if bounds is not None:
        south, west, north, east = bounds
        out = out[out["latitude"].between(south, north) & out["longitude"].between(west, east)]
    return out


def cells(sel: pd.DataFrame, size: float, bounds=None) -> list[tuple]:
    """(gy, gx, events, most common type, alphabetically first of equals), most first."""
    out = []
    pts = located(sel, bounds)
    keys = pts.assign(
        gy=pts["latitude"].map(lambda v: math.floor(v / size)),
        gx=pts["longitude"].map(lambda v: math.floor(v / size)),
    )
    for (gy, gx), group in keys.groupby(["gy", "gx"]):
        counts = group["event_type"].value_counts()
        top = sorted(t for t, n in counts.items() if n == counts.max())[0]
        out.append((int(gy), int(gx), len(group), top))
    return sorted(out, key=lambda c: (-c[2], c[0], c[1]))


def actors_of(path: Path) -> pd.DataFrame:
    """Each stored row's actor list, in store order (the order "first row" refers to)."""
    with store.connect(path, read_only=True) as con:
        return con.sql("SELECT event_id, actors FROM events ORDER BY rowid").df()


def actor_lists(sel: pd.DataFrame, actors: pd.DataFrame) -> list[tuple]:
    """(key, actors of the first row in store order, events, first, last): most events
    first, ties by key; events that name no actor are left out."""
    rows = actors.reset_index(names="order").merge(sel, on="event_id")
    rows = rows[rows["actors"].map(len) > 0].sort_values("order", kind="stable")
    out = []
    for key, group in rows.groupby("actors_norm", sort=False):
        dates = pd.to_datetime(group["event_date"])
        out.append(
            (key, list(group["actors"].iloc[0]), len(group), dates.min().date(), dates.max().date())
        )
    return sorted(out, key=lambda r: (-r[2], r[0]))
