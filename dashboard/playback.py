"""Map playback: the filtered period cut into weeks or months, one step at a time.

A step is written in the link as ``2022-01`` (a calendar month) or ``2022-01-17`` (the ISO
week starting that Monday), so a link opens the map at that moment. Each step's map is the
same map of the same filters, with the dates narrowed to the step: the engine's cells
when there are many events, the events themselves when few.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .filters import Filters
from .urlstate import parse_step

#: At most this many steps are offered (ten years of weeks); the latest are kept.
MAX_STEPS = 600


def label(day: date, unit: str) -> str:
    return day.isoformat() if unit == "week" else day.strftime("%Y-%m")


def step_start(day: date, unit: str) -> date:
    return day - timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)


def step_end(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def steps(first: date, last: date, unit: str) -> tuple[list[str], bool]:
    """Every step from the one holding ``first`` to the one holding ``last`` (empty ones
    too: a quiet month is part of the story), and whether the start was cut to fit."""
    out = []
    day = step_start(first, unit)
    while day <= last:
        out.append(label(day, unit))
        day = step_end(day, unit) + timedelta(days=1)
    return out[-MAX_STEPS:], len(out) > MAX_STEPS


def period_of(f: Filters, counts) -> tuple[date, date] | None:
    """The period to play: the filter's dates where set, else the first and last period
    with events (``counts``: the engine's period counts of these filters)."""
    if counts is None or counts.empty:
        if f.date_from and f.date_to:
            return f.date_from, f.date_to
        return None
    periods = counts["period"]
    first = f.date_from or periods.min().date()
    last = f.date_to or periods.max().date()
    return first, last


def narrowed(f: Filters, step: str) -> Filters:
    """``f`` with its dates narrowed to the step (and kept inside the filter's own range)."""
    parsed = parse_step(step)
    if parsed is None:
        return f
    unit, start = parsed
    end = step_end(start, unit)
    lo = max(start, f.date_from) if f.date_from else start
    hi = min(end, f.date_to) if f.date_to else end
    return replace(f, date_from=lo, date_to=max(lo, hi))


def unit_of(step: str | None) -> str:
    parsed = parse_step(step or "")
    return parsed[0] if parsed else "month"
