"""Before and after an event: how many events of some types in the same country, in a
window of N days either side, and how sure the difference is.

It is a count of events, not a causal claim: a ministerial does not cause or stop an
attack by being near it in time, and the page says so. What it does say is whether the
two counts differ by more than chance would make them differ if the rate had not changed
(the exact interval of the rate ratio, conditional on the total, as for two Poisson
counts over equal times).

Events are counted as every filter of the dashboard counts them: an event is in a window
when any day of its span is. The event's own days belong to neither window; an event
that runs across them (a siege) counts on both sides, for it was going on before and after.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from .filters import Filters

#: Days either side of the event, by default and at most.
DEFAULT_WINDOW = 90
MAX_WINDOW = 730
#: The types counted unless the link asks for others: the violent ones.
DEFAULT_TYPES = ("attack",)
#: The level of the interval stated.
LEVEL = 0.95


@dataclass(frozen=True)
class Comparison:
    event_id: str
    country: str
    types: tuple[str, ...]
    window: int
    #: The event's own days (its span); the windows are the days before and after them.
    start: date
    end: date
    before: int
    after: int
    #: Events in the window's types on the event's own days (in neither count).
    during: int
    #: after / before, and its interval (None when nothing to compare; inf when before is 0).
    ratio: float | None
    low: float | None
    high: float | None
    #: Events per ISO week (Monday) across both windows, for the chart.
    weekly: pd.DataFrame

    @property
    def verdict(self) -> str:
        """ "more" / "fewer" when the interval excludes no change, else "unclear"; "none"
        when neither window has an event."""
        if self.ratio is None:
            return "none"
        if self.low is not None and self.low > 1:
            return "more"
        if self.high is not None and self.high < 1:
            return "fewer"
        return "unclear"


def windows(start: date, end: date, window: int) -> tuple[tuple[date, date], tuple[date, date]]:
    """(first, last) day of the window before and of the window after the event's days."""
    return (
        (start - timedelta(days=window), start - timedelta(days=1)),
        (end + timedelta(days=1), end + timedelta(days=window)),
    )


def _day(value) -> date:
    return pd.Timestamp(value).date()


def event_days(event: dict) -> tuple[date, date]:
    """The event's own days: its span when the record has one, else its date (to its end)."""
    start = event.get("span_start")
    end = event.get("span_end")
    if start is not None and end is not None and start == start and end == end:
        return _day(start), _day(end)
    first = _day(event["event_date"])
    last = event.get("end_date")
    return first, (_day(last) if last is not None and last == last else first)


def compare(
    q,
    event: dict,
    *,
    window: int = DEFAULT_WINDOW,
    types: tuple[str, ...] = DEFAULT_TYPES,
    country: str | None = None,
) -> Comparison:
    """Counts of ``types`` in ``country`` (the event's own by default: a ministerial in
    Morocco may be compared with attacks in Syria) before, during and after the event
    (``q``: an :class:`~dashboard.query.EventQuery`; three counts and one period count)."""
    window = max(1, min(int(window), MAX_WINDOW))
    start, end = event_days(event)
    (b0, b1), (a0, a1) = windows(start, end, window)
    country = country or str(event["country"])
    base = Filters(countries=(country,), types=tuple(types) or DEFAULT_TYPES)

    def between(first: date, last: date) -> Filters:
        return Filters(countries=base.countries, types=base.types, date_from=first, date_to=last)

    before = q.count(between(b0, b1))
    after = q.count(between(a0, a1))
    during = q.count(between(start, end))
    weekly = q.period_counts(between(b0, a1), "week")
    weekly = weekly[weekly["period"] >= pd.Timestamp(b0 - timedelta(days=b0.weekday()))]
    weekly = weekly.groupby("period", as_index=False)["events"].sum()
    ratio, low, high = rate_ratio(before, after)
    return Comparison(
        event_id=str(event["event_id"]),
        country=country,
        types=base.types,
        window=window,
        start=start,
        end=end,
        before=before,
        after=after,
        during=during,
        ratio=ratio,
        low=low,
        high=high,
        weekly=weekly,
    )


def rate_ratio(before: int, after: int, level: float = LEVEL):
    """after / before with its exact interval (Clopper-Pearson on after / (before + after),
    the share of the events that fell after, which is how two Poisson counts over equal
    times are compared). (None, None, None) when both are 0."""
    n = before + after
    if n == 0:
        return None, None, None
    lo_p, hi_p = share_interval(after, n, level)
    ratio = after / before if before else math.inf
    low = lo_p / (1 - lo_p) if lo_p < 1 else math.inf
    high = hi_p / (1 - hi_p) if hi_p < 1 else math.inf
    return ratio, low, high


def share_interval(x: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Clopper-Pearson interval of a binomial share ``x`` of ``n``."""
    alpha = 1 - level
    low = 0.0 if x == 0 else _solve(lambda p: _betainc(x, n - x + 1, p) - alpha / 2)
    high = 1.0 if x == n else _solve(lambda p: _betainc(x + 1, n - x, p) - (1 - alpha / 2))
    return low, high


def _solve(fn) -> float:
    """The root of an increasing function of p in (0, 1), by bisection."""
    lo, hi = 0.0, 1.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if fn(mid) < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) (continued fraction, Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _betainc(b, a, 1.0 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    f = d
    for m in range(1, 10000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            f *= c * d
        if abs(c * d - 1.0) < 1e-14:
            break
    return front * f / a
