"""A filter round's counts made in one pass equal those each chart used to make alone."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import polars as pl
import pytest

from dashboard import hotcopy, store
from dashboard.engines import frame as fr
from dashboard.filters import Filters
from dashboard.query import EventQuery, cell_degrees

TYPES = ["attack", "meeting", "statement", "agreement", "other"]


def synthetic(n: int = 20_000, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = date(2018, 1, 1)
    days = rng.integers(0, 2000, n)
    lat = rng.normal(30, 8, n)
    lat[rng.random(n) < 0.1] = np.nan  # some events have no place
    return pl.DataFrame(
        {
            "event_date": [start + timedelta(days=int(d)) for d in days],
            "event_type": rng.choice(TYPES, n),
            "country": rng.choice(["SYR", "IRQ", "YEM", "LBY", None], n),
            "latitude": lat,
            "longitude": rng.normal(40, 10, n),
        }
    ).with_columns(
        pl.col("latitude").fill_nan(None),
        pl.col("event_type").cast(pl.Categorical),
        pl.col("country").cast(pl.Categorical),
    )


def mode_cells(points: pl.DataFrame, size: float) -> pd.DataFrame:
    """The cells as a map counted them before the one pass: a mode over each cell."""
    return (
        points.select(
            (pl.col("latitude") / size).floor().cast(pl.Int32).alias("gy"),
            (pl.col("longitude") / size).floor().cast(pl.Int32).alias("gx"),
            "latitude",
            "longitude",
            pl.col("event_type").cast(pl.String),
        )
        .group_by("gy", "gx")
        .agg(
            pl.len().cast(pl.Int64).alias("events"),
            pl.col("latitude").mean(),
            pl.col("longitude").mean(),
            pl.col("event_type").mode().min(),
        )
        .sort(["events", "gy", "gx"], descending=[True, False, False])
        .to_pandas()
    )


def counts_by(sel: pl.DataFrame, column: str) -> pd.DataFrame:
    """A chart's counts by value as a group-by over its rows: most first, ties by value,
    no value last."""
    counts = sel.group_by(column).len("events")
    out = counts.with_columns(pl.col(column).cast(pl.String), pl.col("events").cast(pl.Int64))
    return out.sort(["events", column], descending=[True, False], nulls_last=True).to_pandas()


def period_counts(sel: pl.DataFrame, unit: str) -> pd.DataFrame:
    """The timeline's counts by ISO week or month as a group-by over its rows."""
    if unit == "week":  # 1970-01-01 was a Thursday: day -3 was a Monday
        days = pl.col("event_date").cast(pl.Int32)
        period = (days - (days + 3) % 7).cast(pl.Date)
    else:
        period = pl.col("event_date").dt.truncate("1mo")
    out = (
        sel.select(period.alias("period"), pl.col("event_type").cast(pl.String))
        .group_by("period", "event_type")
        .len("events")
        .with_columns(pl.col("events").cast(pl.Int64))
        .sort(["period", "event_type"])
        .to_pandas()
    )
    out["period"] = pd.to_datetime(out["period"])
    return out


@pytest.mark.parametrize("size", [cell_degrees(0), cell_degrees(4), cell_degrees(9)])
def test_cells_counted_by_type_equal_a_mode_over_each_cell(size):
    sel = synthetic(5000)
    pd.testing.assert_frame_equal(
        fr.cells(fr.located(sel), size), mode_cells(fr.located(sel), size)
    )


@pytest.mark.parametrize("size", [cell_degrees(2), cell_degrees(4), cell_degrees(7)])
def test_one_pass_equals_each_chart_alone(size):
    sel = synthetic()
    daily, countries, cells_of = fr.one_pass(sel, size)
    agg = fr.Aggregates(daily, countries, cells_of)
    assert agg.count == sel.height
    for unit in ("week", "month"):
        pd.testing.assert_frame_equal(agg.period_counts(unit), period_counts(sel, unit))
    for column in ("event_type", "country"):
        pd.testing.assert_frame_equal(agg.counts_by(column), counts_by(sel, column))
    pd.testing.assert_frame_equal(agg.map_cells(size), mode_cells(fr.located(sel), size))


def test_one_pass_of_no_rows():
    sel = synthetic().head(0)
    agg = fr.Aggregates(*fr.one_pass(sel, 1.0))
    assert agg.count == 0
    assert agg.period_counts("week").empty and agg.counts_by("country").empty
    assert agg.map_cells(1.0).empty


def test_an_answer_handed_out_cannot_change_the_remembered_one():
    agg = fr.Aggregates(*fr.one_pass(synthetic(), 1.0))
    handed = agg.counts_by("country")
    handed["events"] = 0
    periods = agg.period_counts("week")
    del periods["events"]
    assert agg.counts_by("country")["events"].sum() == 20_000
    assert "events" in agg.period_counts("week")


@pytest.fixture()
def copy(tmp_path):
    return hotcopy.load(store.ensure_store(tmp_path / "s.duckdb"), prepare=False)


ROUNDS = [Filters(), Filters(countries=("SYR",)), Filters(types=("attack", "meeting"))]


@pytest.mark.parametrize("f", ROUNDS)
def test_a_round_remembered_equals_a_round_asked_afresh(copy, f):
    def round_of():
        q = EventQuery(copy.engine())
        return (
            q.count(f),
            q.counts_by(f, "event_type"),
            q.counts_by(f, "country"),
            q.period_counts(f, "week"),
            q.period_counts(f, "month"),
            q.map_layer(f, zoom=3).frame,
            q.count_located(f),
            q.rows(f, limit=20),
        )

    first = round_of()
    again = round_of()  # served by what the frame remembers
    copy.frame.forget()
    afresh = round_of()
    for a, b, c in zip(first, again, afresh, strict=True):
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
            pd.testing.assert_frame_equal(a, c)
        else:
            assert a == b == c
    sel = copy.frame.select(f)
    assert first[6] == fr.located(sel).height
    pd.testing.assert_frame_equal(first[1], counts_by(sel, "event_type"))


def test_views_of_one_filter_state_share_its_selection(copy):
    f = Filters(countries=("SYR",))
    first = copy.engine().select(f)
    assert copy.engine().select(f) is first  # another view, another engine: same rows
    copy.frame.forget()
    assert copy.engine().select(f) is not first


def test_counts_hashed_when_the_key_space_is_too_wide_to_count_densely(monkeypatch):
    sel = synthetic(3000)
    dense = fr.one_pass(sel, cell_degrees(9))
    monkeypatch.setattr(fr.tallies, "DENSE_SLOTS", 1)
    hashed = fr.one_pass(sel, cell_degrees(9))
    assert dense[0].equals(hashed[0])
    pd.testing.assert_frame_equal(dense[1], hashed[1])
    pd.testing.assert_frame_equal(dense[2][cell_degrees(9)], hashed[2][cell_degrees(9)])
    pd.testing.assert_frame_equal(
        hashed[2][cell_degrees(9)], mode_cells(fr.located(sel), cell_degrees(9))
    )


def test_a_tie_between_types_names_the_first_alphabetically_and_no_country_comes_last():
    sel = pl.DataFrame(
        {
            "event_date": [date(2022, 1, 3)] * 5,
            "event_type": ["statement", "meeting", "meeting", "statement", "attack"],
            "country": [None, "SYR", None, "IRQ", "SYR"],
            "latitude": [36.0, 36.1, 36.2, 36.3, 10.0],
            "longitude": [40.0, 40.1, 40.2, 40.3, 10.0],
        }
    ).with_columns(pl.col("event_type", "country").cast(pl.Categorical))
    counted = fr.one_pass(sel, 5.0)
    countries = counted[1]
    assert countries["events"].tolist() == [2, 2, 1]
    assert countries["country"].iloc[[0, 2]].tolist() == ["SYR", "IRQ"]
    assert pd.isna(countries["country"].iloc[1])
    cells = counted[2][5.0]
    assert cells["events"].tolist() == [4, 1]
    assert cells["event_type"].tolist() == ["meeting", "attack"]
    assert cells["latitude"].iloc[0] == pytest.approx(36.15)


def test_a_page_reads_every_row_that_shares_the_date_of_its_last_row():
    sel = pl.DataFrame(
        {"rid": [0, 1, 2, 3, 4], "event_date": [date(2022, 1, d) for d in (5, 9, 9, 1, 7)]}
    )
    newest = fr.by_date(sel, 2, True)  # 9, 9: both
    assert sorted(newest["rid"].to_list()) == [1, 2]
    three = fr.by_date(sel, 3, True)  # 9, 9, 7
    assert sorted(three["rid"].to_list()) == [1, 2, 4]
    oldest = fr.by_date(sel, 2, False)  # 1, 5
    assert sorted(oldest["rid"].to_list()) == [0, 3]
    assert fr.by_date(sel, 9, True).height == 5  # fewer rows than asked: all of them


@pytest.mark.parametrize("in_order", [True, False])
def test_date_blocks_skip_only_rows_that_cannot_match(monkeypatch, in_order):
    monkeypatch.setattr(fr, "BLOCK_ROWS", 64)
    rng = np.random.default_rng(3)
    starts = np.sort(rng.integers(0, 3000, 1000)) if in_order else rng.integers(0, 3000, 1000)
    begin = date(2015, 1, 1)
    frame = pl.DataFrame(
        {
            "rid": np.arange(1000),
            "span_start": [begin + timedelta(days=int(d)) for d in starts],
            "span_end": [begin + timedelta(days=int(d + rng.integers(0, 40))) for d in starts],
        }
    )
    blocks = fr.DateBlocks(frame)
    read = []
    for low, high in [(100, 400), (2990, 3100), (-50, -10), (None, 20), (1500, None)]:
        lo = None if low is None else begin + timedelta(days=low)
        hi = None if high is None else begin + timedelta(days=high)
        cond = pl.lit(True)
        if lo is not None:
            cond &= pl.col("span_end") >= lo
        if hi is not None:
            cond &= pl.col("span_start") <= hi
        runs = blocks.runs(lo, hi)
        read.append(1000 if runs is None else sum(n for _, n in runs))
        kept = fr._in_runs(frame, runs)
        assert kept.filter(cond)["rid"].to_list() == frame.filter(cond)["rid"].to_list()
        rows = fr._in_runs(np.arange(1000), runs)
        assert rows.tolist() == kept["rid"].to_list()  # a text mask is cut the same way
    assert read[2] == 0  # before every event: nothing is read
    assert (read[0] < 250) == in_order  # a tenth of the dates: a few blocks if in order


@pytest.mark.parametrize("descending", [True, False])
def test_pages_of_one_row_walk_equal_dates_by_event_id(copy, descending):
    """Every event of the shipped data, one page at a time: events of one day (a meeting
    and its statement) come in the order of their ids, as SQL orders them."""
    q = EventQuery(copy.engine())
    every = q.rows(Filters(), limit=None, descending=descending, columns=("event_id",))
    one_by_one = [
        q.rows(Filters(), limit=1, offset=i, descending=descending, columns=("event_id",))
        for i in range(len(every))
    ]
    assert [p["event_id"].iloc[0] for p in one_by_one] == every["event_id"].tolist()
    dates = q.rows(Filters(), limit=None, descending=descending, columns=("event_date",))
    assert dates["event_date"].duplicated().any()  # the walk crossed equal dates
