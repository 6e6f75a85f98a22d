"""What the timeline's brush reads from Streamlit's selection: the period of the box."""

from __future__ import annotations

from datetime import date

from dashboard.ui.views import _brush_range, _picked_event


def test_a_box_gives_its_first_and_last_day_whichever_way_it_was_dragged():
    box = {
        "xref": "x2",
        "yref": "y2",
        "x": ["2019-12-29 17:20:11.3", "2016-12-26 03:01"],
        "y": [0, 3],
    }
    result = {"selection": {"points": [{"customdata": ["ev-1"]}], "box": [box], "lasso": []}}
    assert _brush_range(result) == (date(2016, 12, 26), date(2019, 12, 29))


def test_a_click_is_no_brush_and_selects_its_event():
    result = {"selection": {"points": [{"customdata": ["ev-1", "t"]}], "box": [], "lasso": []}}
    assert _brush_range(result) is None and _picked_event(result) == "ev-1"


def test_nothing_or_a_broken_box_is_no_brush():
    assert _brush_range(None) is None
    assert _brush_range({"selection": {"box": [{"x": ["not a date", "2020-01-01"]}]}}) is None
    assert _brush_range({"selection": {"box": [{"x": ["2020-01-01"]}]}}) is None
