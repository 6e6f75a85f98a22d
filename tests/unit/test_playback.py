"""Map playback steps: the filtered period in weeks or months, each step's dates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import playback
from dashboard.filters import Filters


def test_months_and_weeks_cover_the_period_quiet_ones_included():
    months, capped = playback.steps(date(2021, 12, 15), date(2022, 2, 28), "month")
    assert months == ["2021-12", "2022-01", "2022-02"] and not capped
    weeks, _ = playback.steps(date(2022, 1, 1), date(2022, 1, 31), "week")
    assert weeks[0] == "2021-12-27" and weeks[-1] == "2022-01-31" and len(weeks) == 6


def test_a_step_narrows_the_dates_inside_the_filter():
    f = Filters(countries=("SYR",), date_from=date(2022, 1, 10), date_to=date(2022, 2, 15))
    jan = playback.narrowed(f, "2022-01")
    assert (jan.date_from, jan.date_to, jan.countries) == (
        date(2022, 1, 10),
        date(2022, 1, 31),
        ("SYR",),
    )
    week = playback.narrowed(Filters(), "2022-01-17")
    assert (week.date_from, week.date_to) == (date(2022, 1, 17), date(2022, 1, 23))
    feb = playback.narrowed(Filters(), "2024-02")
    assert feb.date_to == date(2024, 2, 29)


def test_without_dates_the_period_is_that_of_the_filtered_events():
    counts = pd.DataFrame(
        {"period": pd.to_datetime(["2014-01-01", "2024-09-01"]), "event_type": "x", "events": 1}
    )
    assert playback.period_of(Filters(), counts) == (date(2014, 1, 1), date(2024, 9, 1))
    assert playback.period_of(Filters(), counts.iloc[0:0]) is None


def test_a_very_long_period_keeps_its_latest_steps_and_says_so():
    weeks, capped = playback.steps(date(1990, 1, 1), date(2024, 12, 31), "week")
    assert capped and len(weeks) == playback.MAX_STEPS and weeks[-1] == "2024-12-30"


def test_the_unit_is_read_from_the_step():
    assert playback.unit_of("2022-01-17") == "week"
    assert playback.unit_of("2022-01") == "month"
    assert playback.unit_of(None) == "month"
