"""Before and after an event: the counts an analyst reads, and how sure they are."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard import beforeafter, hotcopy, store
from dashboard.query import EventQuery
from tests import oracle

MARRAKESH = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return store.ensure_store(tmp_path_factory.mktemp("ba") / "events.duckdb")


@pytest.fixture(scope="module", params=["frame", "sql"])
def q(request, shipped):
    hot = hotcopy.load(shipped, engine=request.param)
    assert hot.ready.wait(120)
    return EventQuery(hot.engine())


def test_the_exact_interval_matches_published_values():
    # Clopper-Pearson, 95 %: 5 of 10 -> 0.187-0.813; 20 of 30 -> 0.472-0.827.
    assert beforeafter.share_interval(5, 10) == pytest.approx((0.1871, 0.8129), abs=1e-4)
    assert beforeafter.share_interval(20, 30) == pytest.approx((0.4719, 0.8271), abs=1e-4)
    ratio, low, high = beforeafter.rate_ratio(10, 20)
    assert (
        ratio == 2
        and low == pytest.approx(0.8935, abs=1e-3)
        and high == pytest.approx(4.785, abs=1e-2)
    )


def test_twice_as_many_is_not_called_a_change_on_small_counts_but_is_on_large():
    assert beforeafter.rate_ratio(10, 20)[1] < 1  # 10 -> 20: could be chance
    assert beforeafter.rate_ratio(1000, 2000)[1] > 1.8  # 1,000 -> 2,000: not chance


def test_swapping_before_and_after_inverts_the_interval():
    _, low, high = beforeafter.rate_ratio(7, 19)
    _, low2, high2 = beforeafter.rate_ratio(19, 7)
    assert low == pytest.approx(1 / high2) and high == pytest.approx(1 / low2)


def test_nothing_before_is_an_unbounded_ratio_and_nothing_at_all_no_ratio():
    ratio, low, high = beforeafter.rate_ratio(0, 4)
    assert ratio == math.inf and high == math.inf and 0 < low < 1
    assert beforeafter.rate_ratio(0, 0) == (None, None, None)


def test_the_windows_leave_out_the_event_days():
    (b0, b1), (a0, a1) = beforeafter.windows(date(2022, 1, 20), date(2022, 1, 30), 90)
    assert (b0, b1) == (date(2021, 10, 22), date(2022, 1, 19))
    assert (a0, a1) == (date(2022, 1, 31), date(2022, 4, 30))
    assert (b1 - b0).days + 1 == (a1 - a0).days + 1 == 90


def test_attacks_in_syria_around_the_marrakesh_ministerial(q, shipped):
    event = q.event(MARRAKESH)
    got = beforeafter.compare(q, event, window=90)
    assert event["country"] == "MAR"  # the ministerial met in Morocco: its country is counted
    df = oracle.frame(shipped)
    day = date(2022, 5, 11)

    def count(country, first, last):
        sel = df[
            (df["country"] == country)
            & (df["event_type"] == "attack")
            & (df["span_end"] >= pd.Timestamp(first))
            & (df["span_start"] <= pd.Timestamp(last))
        ]
        return len(sel)

    assert got.before == count("MAR", day - timedelta(days=90), day - timedelta(days=1))
    assert got.after == count("MAR", day + timedelta(days=1), day + timedelta(days=90))
    syria = beforeafter.compare(q, {**event, "country": "SYR"}, window=90)
    assert syria.before == count("SYR", day - timedelta(days=90), day - timedelta(days=1))
    assert syria.after == count("SYR", day + timedelta(days=1), day + timedelta(days=90))
    # The Ghwayran prison attack (20 January 2022) is 111 days before: in a 120-day window.
    assert beforeafter.compare(q, {**event, "country": "SYR"}, window=120).before >= 1
    assert int(syria.weekly["events"].sum()) >= syria.before + syria.after - syria.during


def test_a_longer_window_never_counts_fewer(q):
    event = {"event_id": "x", "country": "SYR", "event_date": date(2022, 5, 11)}
    counts = [beforeafter.compare(q, event, window=w) for w in (30, 90, 365, 730)]
    befores = [c.before for c in counts]
    assert befores == sorted(befores)
    assert beforeafter.compare(q, event, window=10_000).window == beforeafter.MAX_WINDOW
