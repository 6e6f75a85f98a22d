"""The plotly figures: what the timeline draws where, what a click maps back to, inert text."""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import charts
from dashboard.schema import span_of

# ----------------------------------------------------------------------------- fixtures


def _events(*rows: dict, spans: bool = True) -> pd.DataFrame:
    """Events in the canonical shape; span_start/span_end as the store derives them."""
    records = []
    for i, row in enumerate(rows):
        record = {
            "event_id": f"ev-{i}",
            "end_date": None,
            "date_precision": "day",
            "event_type": "meeting",
            "title": f"Synthetic event {i}",
            "title_ar": "",
            "country": "SYR",
            "location": "Place",
            **row,
        }
        start = pd.Timestamp(record["event_date"]).date()
        end = pd.Timestamp(record["end_date"]).date() if record["end_date"] else None
        if spans:
            record["span_start"], record["span_end"] = span_of(start, end, record["date_precision"])
        records.append(record)
    frame = pd.DataFrame(records)
    for column in ("event_date", "end_date", "span_start", "span_end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _role(fig, role: str, event_type: str | None = None) -> list:
    return [
        t
        for t in fig.data
        if (t.meta or {}).get("role") == role
        and (event_type is None or t.meta.get("event_type") == event_type)
    ]


def _spans_of(fig) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """event_id -> (start, end) of every span drawn on the timeline."""
    out = {}
    for trace in _role(fig, "spans"):
        xs, data = list(trace.x), list(trace.customdata)
        for i in range(0, len(xs), 3):  # first day, last day, None (the break)
            assert xs[i + 2] is None and data[i][0] == data[i + 1][0]
            out[data[i][0]] = (pd.Timestamp(xs[i]), pd.Timestamp(xs[i + 1]))
    return out


def _markers_of(fig) -> dict[str, pd.Timestamp]:
    out = {}
    for trace in _role(fig, "events"):
        for x, data in zip(trace.x, trace.customdata, strict=True):
            out[data[0]] = pd.Timestamp(x)
    return out


def _strings(value):
    """Every string anywhere in a plotly JSON structure."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | np.ndarray):
        for item in value:
            yield from _strings(item)


def _render_hover(template: str, customdata) -> str:
    """What plotly puts in a hover label before it parses the label's tags."""
    return re.sub(r"%\{customdata\[(\d)\]\}", lambda m: str(customdata[int(m.group(1))]), template)


# ----------------------------------------------------------------------------- timeline: dates


@pytest.mark.parametrize("with_spans", [True, False], ids=["store spans", "derived spans"])
def test_month_precision_event_covers_its_whole_month_not_the_first(with_spans):
    events = _events({"event_date": "2022-02-01", "date_precision": "month"}, spans=with_spans)
    fig = charts.timeline_figure(events, None)
    assert _spans_of(fig) == {"ev-0": (pd.Timestamp("2022-02-01"), pd.Timestamp("2022-02-28"))}
    assert _markers_of(fig) == {}  # never a dot on 1 February


def test_multi_day_event_is_a_span_from_its_first_to_its_last_day():
    events = _events({"event_date": "2022-01-20", "end_date": "2022-01-30", "event_type": "attack"})
    fig = charts.timeline_figure(events, None)
    assert _spans_of(fig) == {"ev-0": (pd.Timestamp("2022-01-20"), pd.Timestamp("2022-01-30"))}
    assert _markers_of(fig) == {}
    (handle,) = _role(fig, "span_handles")
    assert [pd.Timestamp(x) for x in handle.x] == [pd.Timestamp("2022-01-25")]
    assert [d[0] for d in handle.customdata] == ["ev-0"]


def test_single_day_event_is_a_marker_on_its_day():
    events = _events({"event_date": "2022-05-11"})
    fig = charts.timeline_figure(events, None)
    assert _markers_of(fig) == {"ev-0": pd.Timestamp("2022-05-11")}
    assert _spans_of(fig) == {}


def test_hover_says_the_date_as_the_source_gave_it():
    events = _events(
        {"event_date": "2022-01-01", "date_precision": "month"},
        {"event_date": "2022-01-20", "end_date": "2022-01-30"},
        {"event_date": "2022-05-11"},
    )
    fig = charts.timeline_figure(events, None)
    dates = {
        d[0]: d[2] for t in _role(fig, "spans") + _role(fig, "events") for d in t.customdata if d[0]
    }
    assert dates == {"ev-0": "January 2022", "ev-1": "20–30 January 2022", "ev-2": "11 May 2022"}


def test_rows_follow_type_order_and_each_row_holds_only_its_type():
    events = _events(
        {"event_date": "2022-01-01", "event_type": "other"},
        {"event_date": "2022-01-02", "event_type": "attack"},
        {"event_date": "2022-01-03", "event_type": "meeting"},
    )
    fig = charts.timeline_figure(events, None)
    assert list(fig.layout.yaxis.ticktext) == ["Meeting", "Attack", "Other"]
    for trace in _role(fig, "events"):
        row = list(fig.layout.yaxis.ticktext).index(trace.meta["event_type"].capitalize())
        assert set(np.asarray(trace.y).tolist()) == {fig.layout.yaxis.tickvals[row]}


# ----------------------------------------------------------------------------- timeline: clicks


def test_every_event_point_carries_its_event_id_once():
    events = _events(
        {"event_date": "2022-01-01", "date_precision": "month", "event_type": "statement"},
        {"event_date": "2022-01-20", "end_date": "2022-01-30", "event_type": "attack"},
        {"event_date": "2022-05-11"},
        {"event_date": "2022-05-11", "event_type": "attack"},
    )
    fig = charts.timeline_figure(events, None)
    # one marker per event, where a click or a box selection can reach it
    ids = [d[0] for t in _role(fig, "events") + _role(fig, "span_handles") for d in t.customdata]
    assert sorted(ids) == ["ev-0", "ev-1", "ev-2", "ev-3"]
    # the span bars themselves also map back (hovering anywhere along a span)
    assert sorted(_spans_of(fig)) == ["ev-0", "ev-1"]
    # a click on a count bar must not look like a click on an event
    assert all(t.customdata is None for t in _role(fig, "counts"))


def test_selected_event_is_outlined_and_an_unknown_selection_is_ignored():
    events = _events(
        {"event_date": "2022-01-20", "end_date": "2022-01-30"}, {"event_date": "2022-05-11"}
    )
    fig = charts.timeline_figure(events, None, selected_id="ev-1")
    (selected,) = _role(fig, "selected")
    assert [pd.Timestamp(x) for x in selected.x] == [pd.Timestamp("2022-05-11")]
    assert selected.hoverinfo == "skip"  # the click goes to the event underneath

    (span,) = _role(charts.timeline_figure(events, None, selected_id="ev-0"), "selected")
    assert [pd.Timestamp(x) for x in span.x] == [
        pd.Timestamp("2022-01-20"),
        pd.Timestamp("2022-01-30"),
    ]

    assert _role(charts.timeline_figure(events, None, selected_id="nope"), "selected") == []
    assert _role(charts.timeline_figure(events, None), "selected") == []


# ----------------------------------------------------------------------------- timeline: counts


def test_stacked_bars_sum_to_the_events_of_each_period():
    events = _events(
        {"event_date": "2022-01-03", "event_type": "meeting"},
        {"event_date": "2022-01-31", "event_type": "attack"},
        {"event_date": "2022-01-01", "date_precision": "month", "event_type": "attack"},
        {"event_date": "2022-02-14", "event_type": "statement"},
        {"event_date": "2022-02-15", "event_type": "statement"},
    )
    for freq, expected in [
        ("month", {"2022-01-01": 3, "2022-02-01": 2}),
        ("week", {"2021-12-27": 1, "2022-01-03": 1, "2022-01-31": 1, "2022-02-14": 2}),
    ]:
        fig = charts.timeline_figure(events, charts.period_counts(events, freq), freq=freq)
        assert fig.layout.barmode == "stack"
        totals: dict[str, int] = {}
        for trace in _role(fig, "counts"):
            assert trace.base is None and trace.orientation in (None, "v")  # stacked, not overlaid
            for x, y in zip(trace.x, trace.y, strict=True):
                totals[pd.Timestamp(x).strftime("%Y-%m-%d")] = totals.get(
                    pd.Timestamp(x).strftime("%Y-%m-%d"), 0
                ) + int(y)
        assert totals == expected, freq


def test_counts_from_the_store_are_drawn_as_given():
    events = _events({"event_date": "2022-01-03"})
    counts = pd.DataFrame(
        {
            "period": pd.to_datetime(["2022-01-01", "2022-01-01", "2022-02-01"]),
            "event_type": ["meeting", "attack", "meeting"],
            "events": [40, 2, 7],
        }
    )
    fig = charts.timeline_figure(events, counts)
    drawn = {
        (t.meta["event_type"], pd.Timestamp(x)): int(y)
        for t in _role(fig, "counts")
        for x, y in zip(t.x, t.y, strict=True)
    }
    assert drawn == {
        ("meeting", pd.Timestamp("2022-01-01")): 40,
        ("attack", pd.Timestamp("2022-01-01")): 2,
        ("meeting", pd.Timestamp("2022-02-01")): 7,
    }


def test_both_rows_share_the_date_axis_and_the_slider_sits_under_the_counts():
    fig = charts.timeline_figure(_events({"event_date": "2022-01-03"}), None)
    assert fig.layout.xaxis.matches == "x2"
    assert fig.layout.xaxis2.rangeslider.visible is True
    assert not fig.layout.xaxis.rangeslider.visible


# ----------------------------------------------------------------------------- timeline: legend


def test_one_legend_entry_per_type_named_from_labels_in_type_colour():
    events = _events(
        {"event_date": "2022-01-03", "event_type": "attack"},
        {"event_date": "2022-01-20", "end_date": "2022-01-30", "event_type": "attack"},
        {"event_date": "2022-01-05", "event_type": "meeting"},
    )
    labels = {"attack": "هجوم", "meeting": "اجتماع"}
    fig = charts.timeline_figure(events, None, labels=labels)
    legend = [t for t in fig.data if t.showlegend is not False]
    assert [t.name for t in legend] == ["اجتماع", "هجوم"]
    assert [t.marker.color for t in legend] == [
        charts.TYPE_COLORS["meeting"],
        charts.TYPE_COLORS["attack"],
    ]
    # toggling a legend entry hides the type's events too
    assert {t.legendgroup for t in fig.data if t.meta["role"] != "selected"} == {
        "attack",
        "meeting",
    }
    assert list(fig.layout.yaxis.ticktext) == ["اجتماع", "هجوم"]
    assert "Attack" not in fig.to_json()

    default = charts.timeline_figure(events, None)
    assert [t.name for t in default.data if t.showlegend is not False] == ["Meeting", "Attack"]


# ----------------------------------------------------------------------------- inert text

HOSTILE = '<b>x</b> <a href="javascript:alert(1)">click</a>'


def test_markup_in_data_is_shown_as_text_never_interpreted():
    events = _events(
        {"event_date": "2022-01-03", "title": HOSTILE, "location": "<img src=x onerror=alert(1)>"},
        {"event_date": "2022-01-20", "end_date": "2022-01-30", "title": HOSTILE},
    )
    fig = charts.timeline_figure(events, None, labels={"meeting": "<i>meeting</i>"})
    strings = list(_strings(fig.to_plotly_json()))
    for raw in ("<b>x</b>", "<a href", 'javascript:alert(1)">', "<img", "<i>"):
        assert not any(raw in s for s in strings), raw

    rendered = []
    for trace in _role(fig, "spans") + _role(fig, "span_handles") + _role(fig, "events"):
        for data in trace.customdata:
            if data[0]:  # not the break between two spans
                rendered.append(_render_hover(trace.hovertemplate, data))
    assert len(rendered) == 4  # the span's two caps and its handle, the day's marker
    for label in rendered:
        # the only tags left are the template's own
        assert set(re.findall(r"<[^>]*>", label)) <= {"<b>", "</b>", "<br>", "<extra>", "</extra>"}
        assert '&lt;b&gt;x&lt;/b&gt; &lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt;' in label


def test_arabic_view_prefers_the_arabic_title():
    events = _events(
        {"event_date": "2022-01-03", "title": "Prison attack", "title_ar": "هجوم السجن"},
        {"event_date": "2022-01-04", "title": "Only English", "title_ar": ""},
    )
    fig = charts.timeline_figure(events, None, lang="ar")
    titles = {d[0]: d[1] for t in _role(fig, "events") for d in t.customdata}
    assert titles == {"ev-0": "هجوم السجن", "ev-1": "Only English"}


# ----------------------------------------------------------------------------- empty


def test_no_events_gives_the_translated_notice_and_no_traces():
    empty = _events({"event_date": "2022-01-03"}).iloc[0:0]
    fig = charts.timeline_figure(empty, charts.period_counts(empty, "month"), empty_text="لا أحداث")
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == ["لا أحداث"]

    fig = charts.type_counts_figure(
        pd.DataFrame({"event_type": [], "events": []}), empty_text="none"
    )
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == ["none"]


# ----------------------------------------------------------------------------- type counts


def test_type_counts_are_bars_in_type_order_with_labels_and_colours():
    counts = pd.DataFrame({"event_type": ["attack", "meeting", "other"], "events": [5, 12, 1]})
    fig = charts.type_counts_figure(counts, labels={"meeting": "اجتماع"})
    (bars,) = fig.data
    assert bars.orientation == "h"
    assert list(bars.y) == ["اجتماع", "Attack", "Other"]
    assert list(bars.x) == [12, 5, 1]
    assert list(bars.marker.color) == [
        charts.TYPE_COLORS[x] for x in ("meeting", "attack", "other")
    ]


# ----------------------------------------------------------------------------- period_counts


def test_period_counts_by_iso_week_and_calendar_month():
    events = _events(
        {"event_date": "2022-01-02", "event_type": "attack"},  # Sunday: week of Mon 27 Dec 2021
        {"event_date": "2022-01-03", "event_type": "attack"},  # Monday: starts its own week
        {"event_date": "2022-01-09", "event_type": "attack"},  # Sunday of that week
        {"event_date": "2022-01-09", "event_type": "meeting"},
        {
            "event_date": "2022-01-31",
            "end_date": "2022-02-10",
            "event_type": "meeting",
        },  # by first day
        {"event_date": "2022-02-01", "date_precision": "month", "event_type": "statement"},
    )
    week = charts.period_counts(events, "week")
    assert week.to_dict("records") == [
        {"period": pd.Timestamp("2021-12-27"), "event_type": "attack", "events": 1},
        {"period": pd.Timestamp("2022-01-03"), "event_type": "attack", "events": 2},
        {"period": pd.Timestamp("2022-01-03"), "event_type": "meeting", "events": 1},
        {"period": pd.Timestamp("2022-01-31"), "event_type": "meeting", "events": 1},
        {"period": pd.Timestamp("2022-01-31"), "event_type": "statement", "events": 1},
    ]
    month = charts.period_counts(events, "month")
    assert month.to_dict("records") == [
        {"period": pd.Timestamp("2022-01-01"), "event_type": "attack", "events": 3},
        {"period": pd.Timestamp("2022-01-01"), "event_type": "meeting", "events": 2},
        {"period": pd.Timestamp("2022-02-01"), "event_type": "statement", "events": 1},
    ]
    with pytest.raises(ValueError):
        charts.period_counts(events, "year")


@given(
    days=st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=40),
    freq=st.sampled_from(["week", "month"]),
)
def test_period_counts_agree_with_the_stores_sql(days, freq):
    dates = pd.Timestamp("1990-01-01") + pd.to_timedelta(days, unit="D")
    types = [charts.TYPE_ORDER[d % 6] for d in days]
    events = pd.DataFrame({"event_date": dates, "event_type": types})
    ours = charts.period_counts(events, freq)
    assert ours["events"].sum() == len(days)
    con = duckdb.connect()
    con.register("events", events)
    sql = con.execute(
        f"SELECT date_trunc('{freq}', event_date)::DATE AS period, event_type, count(*) AS events "
        "FROM events GROUP BY period, event_type ORDER BY period, event_type"
    ).df()
    sql["period"] = pd.to_datetime(sql["period"])
    assert ours.to_dict("records") == sql.to_dict("records")


# ----------------------------------------------------------------------------- size


def test_styling_is_per_trace_and_size_grows_with_the_text_not_the_styling():
    rng = np.random.default_rng(7)
    n = 5000
    dates = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 4000, n), unit="D")
    events = pd.DataFrame(
        {
            "event_id": [f"s{i}" for i in range(n)],
            "event_date": dates,
            "end_date": [
                d + pd.Timedelta(days=3) if i % 10 == 0 else pd.NaT for i, d in enumerate(dates)
            ],
            "date_precision": "day",
            "event_type": rng.choice(charts.TYPE_ORDER, n),
            "title": "t",
            "title_ar": "",
            "country": None,
            "location": "",
        }
    )
    fig = charts.timeline_figure(events, None, freq="week")
    assert len(fig.data) <= 4 * len(charts.TYPE_ORDER) + 1
    for trace in fig.data:
        assert isinstance(trace.marker.color, str)
        size = getattr(trace.marker, "size", None)  # bars have none
        assert size is None or isinstance(size, int | float)
    # about 60 bytes an event: id, tiny title, date text, place, position
    assert len(fig.to_json()) < 100 * n


# ----------------------------------------------------------------------------- timeline: spans,
# labels, deaths, brush


def test_a_span_is_a_thin_line_capped_at_both_ends_however_short():
    events = _events(
        {"event_date": "2022-01-20", "end_date": "2022-01-21", "event_type": "attack"},
        {"event_date": "2022-03-01", "date_precision": "month", "event_type": "attack"},
    )
    (spans,) = _role(charts.timeline_figure(events, None), "spans")
    assert spans.mode == "lines+markers"
    assert spans.line.width <= 4  # a line, not a block as tall as the row
    assert spans.marker.symbol == "line-ns-open" and spans.marker.size >= 10  # the caps
    assert spans.marker.color == spans.line.color == charts.TYPE_COLORS["attack"]
    assert _spans_of(charts.timeline_figure(events, None)) == {
        "ev-0": (pd.Timestamp("2022-01-20"), pd.Timestamp("2022-01-21")),
        "ev-1": (pd.Timestamp("2022-03-01"), pd.Timestamp("2022-03-31")),
    }


def _labels(fig) -> list:
    return [a for a in fig.layout.annotations if a.name == "event_label"]


def test_at_most_five_events_are_named_the_deadliest_first_then_the_most_cited():
    rows = [
        {"event_date": f"20{10 + i}-06-01", "title": f"Event {i}", "sources": [{}] * (i % 3)}
        for i in range(12)
    ]
    rows[3]["fatalities"] = 40
    rows[9]["fatalities"] = 7
    fig = charts.timeline_figure(_events(*rows), None)
    labels = _labels(fig)
    assert len(labels) == charts.MAX_LABELS
    texts = [a.text for a in labels]
    # deaths first (most first); then the most sources (2, 5, 8 and 11 cite two), newest
    # first; never two within a sixth of the period (~1.8 years here) in a row: 2 and 8
    # are too near 3 and 9, so 7 (one source) takes the last place
    assert texts == ["Event 3", "Event 9", "Event 11", "Event 5", "Event 7"]


def test_labels_are_short_escaped_and_in_the_view_language():
    long = "<b>Ministerial meeting of the Global Coalition to Defeat ISIS in Marrakesh</b>"
    events = _events({"event_date": "2022-05-11", "title": long, "title_ar": "اجتماع مراكش"})
    (label,) = _labels(charts.timeline_figure(events, None))
    assert label.text.startswith("&lt;b&gt;Ministerial") and label.text.endswith("…")
    assert "<b>" not in label.text and len(label.text) < 40
    (label,) = _labels(charts.timeline_figure(events, None, lang="ar"))
    assert label.text == "اجتماع مراكش"


def test_deaths_are_a_line_on_a_second_axis_only_where_the_data_has_them():
    events = _events(
        {"event_date": "2022-01-03", "event_type": "attack", "fatalities": 12},
        {"event_date": "2022-01-20", "event_type": "attack", "fatalities": 3},
        {"event_date": "2022-03-02", "event_type": "attack", "fatalities": None},
        {"event_date": "2022-03-09", "event_type": "meeting"},
    )
    fig = charts.timeline_figure(events, None, fatalities_name="القتلى")
    (deaths,) = _role(fig, "fatalities")
    assert [pd.Timestamp(x) for x in deaths.x] == [pd.Timestamp("2022-01-01")]
    assert list(deaths.y) == [15]
    assert deaths.name == "القتلى" and deaths.customdata is None
    assert deaths.yaxis == "y3" and fig.layout.yaxis3.overlaying == "y2"
    assert fig.layout.yaxis3.side == "right" and fig.layout.yaxis3.title.text == "القتلى"
    counts = _role(fig, "counts")
    assert counts and all(t.yaxis == "y2" for t in counts)  # the counts keep their axis

    no_deaths = charts.timeline_figure(events.assign(fatalities=None), None)
    assert _role(no_deaths, "fatalities") == []
    assert "yaxis3" not in no_deaths.to_plotly_json()["layout"]


def test_deaths_given_by_the_store_are_drawn_as_given():
    events = _events({"event_date": "2022-01-03"})
    given = pd.DataFrame({"period": pd.to_datetime(["2021-12-27"]), "fatalities": [9]})
    (deaths,) = _role(
        charts.timeline_figure(events, None, freq="week", fatalities=given), "fatalities"
    )
    assert list(deaths.y) == [9] and deaths.xperiod == 7 * 86_400_000


def test_a_box_selection_on_the_timeline_is_a_brush_across_time():
    fig = charts.timeline_figure(_events({"event_date": "2022-01-03"}), None)
    assert fig.layout.selectdirection == "h"  # a period, whatever the rows it crosses
    assert fig.layout.dragmode == "zoom" and fig.layout.clickmode == "event+select"


def test_labels_are_spaced_on_the_whole_axis_when_only_the_newest_events_are_drawn():
    # the five newest events, a week apart, drawn over counts that reach back six years
    events = _events(*({"event_date": f"2021-06-{1 + 7 * i:02d}"} for i in range(5)))
    counts = pd.DataFrame(
        {
            "period": pd.to_datetime(["2016-01-01", "2021-06-01"]),
            "event_type": ["meeting", "meeting"],
            "events": [400, 5],
        }
    )
    fig = charts.timeline_figure(events, counts)
    assert len(_labels(fig)) == 1  # five weeks are a sliver of six years: one label fits
    assert len(_labels(charts.timeline_figure(events, None))) == 5  # on their own, all fit


def _notable_one_by_one(events, start, end, rows, limit=charts.MAX_LABELS, extent=None):
    """The rule of :func:`charts.notable_events` walked event by event, as it first was."""
    fatalities = pd.to_numeric(events.get("fatalities"), errors="coerce")
    n_sources = events["sources"].map(lambda x: len(x) if isinstance(x, list) else 0)
    ranked = pd.DataFrame(
        {
            "fatalities": fatalities.fillna(-1).to_numpy(),
            "sources": n_sources.to_numpy(),
            "length": (end - start).dt.days.fillna(0).to_numpy(),
            "start": start.to_numpy(),
        }
    ).sort_values(["fatalities", "sources", "length", "start"], ascending=False, kind="stable")
    middle = start + (end - start) / 2
    lo, hi = extent if extent is not None else (start.min(), end.max())
    gap = max((hi - lo) / 6, pd.Timedelta(days=1))
    chosen = []
    for i in ranked.index:
        when = middle.iat[i]
        if pd.isna(when) or any(
            rows[j] == rows[i] and abs(when - middle.iat[j]) < gap for j in chosen
        ):
            continue
        chosen.append(int(i))
        if len(chosen) >= limit:
            break
    return chosen


@pytest.mark.parametrize("seed", range(40))
def test_the_events_named_are_those_the_rule_picks_one_by_one(seed):
    """Random timelines (ties, undated events, rows without a type, long spans): the
    events named, in their order, are those of the rule applied event by event."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    start = pd.Series(pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n), "D"))
    start[rng.random(n) < 0.05] = pd.NaT
    end = start + pd.to_timedelta(rng.choice([0, 0, 0, 3, 40, 400], n), "D")
    events = pd.DataFrame(
        {
            "fatalities": np.where(rng.random(n) < 0.3, rng.integers(0, 5, n), np.nan),
            "sources": [[{}] * int(k) for k in rng.integers(0, 3, n)],
        }
    )
    rows = list(rng.choice([0, 1, 2, None], n))
    extent = None if seed % 2 else (pd.Timestamp("2014-01-01"), pd.Timestamp("2024-01-01"))
    limit = int(rng.integers(1, 9))
    expected = _notable_one_by_one(events, start, end, rows, limit, extent)
    assert charts.notable_events(events, start, end, rows, limit, extent) == expected
