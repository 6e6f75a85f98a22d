"""Plotly figures of events: pure builders, frames in, figures out, no Streamlit.

Built with ``plotly.graph_objects``: ``plotly.express`` re-derives the whole figure from
a long frame on every rerun and was measured much slower here (README, performance).

Dates. "January 2022" is month precision: the timeline draws it across the month
(``span_start`` to ``span_end``, the 1st to the last day), never as a dot on the 1st.
Multi-day events are drawn from ``event_date`` to ``end_date``, as a thin line with a cap
at each end: a block as tall as the row hid the row's other events, and a faint one
vanished when short. Only a single-day event with day precision is a marker. Each date
sits at midnight of its day, so a span ends at the start of its last day and lines up
with the markers of that day.

Safety. Plotly reads ``<b>``, ``<br>`` and ``<a href>`` as markup in hover labels, and
that includes values a ``hovertemplate`` pulls in from ``customdata``. Every piece of
text from data is therefore passed through :func:`html.escape` before it is stored in
the figure; plotly shows the entities as the literal characters. Event ids are kept
raw because they map a click back to the event, and no label ever shows them.

Clicks. Every point of an event trace carries ``customdata`` with
``[event_id, title, date text, place]`` (the last three escaped for display), so a
selection is mapped back with ``point["customdata"][0]``. The event traces of each type,
told apart by ``meta["role"]``, are: ``"events"``, the markers of single-day events;
``"spans"``, the capped lines of longer events (``x`` = first day, last day, None per
span); ``"span_handles"``, a marker in the middle of each span (a line is hovered only at
its points). The count bars below (``"counts"``) and the deaths line on their right axis
(``"fatalities"``) carry no ``customdata``: a click on a count is not a click on an event.
The few named events are annotations named ``"event_label"``.

Size. Styling is set per trace, never per point; the rows of the top chart are a
numeric axis labelled with the type names, so a trace's rows are a one-byte typed
array rather than a repeated type name; dates are sent as ``YYYY-MM-DD``
and durations as integer arrays.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .palette import TYPE_COLORS
from .palette import UNKNOWN_TYPE_COLOR as _UNKNOWN_TYPE_COLOR
from .schema import span_of
from .strings import as_day, date_text

#: Rows of the timeline and bars of the type chart, top to bottom.
TYPE_ORDER: tuple[str, ...] = ("meeting", "statement", "attack", "resolution", "agreement", "other")


#: What a period of the count chart is: an ISO week (Monday to Sunday) or a calendar month.
FREQS: tuple[str, ...] = ("week", "month")

EMPTY_TEXT = "No events match the filters"
SELECTED_COLOR = "#111111"

_DAY_MS = 86_400_000
_WEEK_MS = 7 * _DAY_MS
_MONDAY = "2000-01-03"  # any Monday: the phase of the weekly bars
_SPAN_WIDTH = 3  # px: a span is a thin line, never a block that hides its row
_CAP_SIZE = 13  # px: the caps mark both ends, so a two-day span is no faint sliver
#: At most this many events are named on the timeline (see :func:`notable_events`).
MAX_LABELS = 5
_LABEL_CHARS = 28
FATALITIES_COLOR = "#7f1d1d"


# ----------------------------------------------------------------------------- helpers


def period_counts(events: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Events per period and type, for frames small enough to count in pandas.

    The same definitions as the store's SQL (``EventQuery.period_counts``), so the two
    agree: a week is the ISO week, Monday to Sunday, and a month the calendar month,
    each named by its first day; an event is counted once, in the period of its
    ``event_date`` (its first day; "January 2022" counts in January, and in the week of
    1 January). Returns columns ``period`` (datetime64), ``event_type``, ``events``,
    sorted by period then type.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    columns = ["period", "event_type", "events"]
    if events is None or events.empty:
        return pd.DataFrame(
            {
                "period": pd.Series(dtype="datetime64[ns]"),
                "event_type": pd.Series(dtype=object),
                "events": pd.Series(dtype="int64"),
            }
        )[columns]
    period = _period_of(events["event_date"], freq)
    frame = pd.DataFrame({"period": period, "event_type": events["event_type"].astype(object)})
    frame = frame.dropna(subset=["period"])
    out = frame.groupby(["period", "event_type"], sort=True).size().rename("events").reset_index()
    out["events"] = out["events"].astype("int64")
    return out[columns]


def _period_of(event_date: pd.Series, freq: str) -> pd.Series:
    """The first day of each date's ISO week or calendar month."""
    dates = pd.to_datetime(event_date).dt.normalize()
    if freq == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    return dates - pd.to_timedelta(dates.dt.day - 1, unit="D")


def _types_present(types) -> list[str]:
    """Known types in TYPE_ORDER, then any unknown ones (kept, never folded into 'other')."""
    seen = {str(x) for x in types if isinstance(x, str) and x}
    return [x for x in TYPE_ORDER if x in seen] + sorted(seen - set(TYPE_ORDER))


def _label(event_type: str, labels: Mapping[str, str] | None) -> str:
    if labels and event_type in labels:
        return str(labels[event_type])
    return event_type.capitalize()


def _safe(text) -> str:
    """Text from data (or from a translation table) as plotly shows it: no markup."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    return html.escape(str(text), quote=False)  # plotly does not decode &quot;


def _empty_figure(text: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=_safe(text),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return fig


def _spans(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """span_start/span_end from the frame, or derived as the store derives them."""
    if "span_start" in events and "span_end" in events:
        start = pd.to_datetime(events["span_start"]).dt.normalize()
        end = pd.to_datetime(events["span_end"]).dt.normalize()
        missing = start.isna() | end.isna()
        if not missing.any():
            return start, end
    else:
        start = pd.Series(pd.NaT, index=events.index, dtype="datetime64[ns]")
        end = start.copy()
        missing = pd.Series(True, index=events.index)
    precision = events.get("date_precision")
    ends = events.get("end_date")
    for i in events.index[missing]:
        first = as_day(events.at[i, "event_date"])
        if first is None:
            continue
        last = as_day(ends.at[i]) if ends is not None else None
        prec = str(precision.at[i]) if precision is not None else "day"
        s, e = span_of(first.date(), last.date() if last is not None else None, prec)
        start.at[i], end.at[i] = pd.Timestamp(s), pd.Timestamp(e)
    return start, end


def _row(row: int, n) -> np.ndarray:
    """The row of every point of a trace, as a typed array (one byte per point in the JSON)."""
    return np.full(int(n), row, dtype="int8" if row < 127 else "int32")


def _iso(values: pd.Series) -> np.ndarray:
    return values.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


@lru_cache(maxsize=65_536)
def _date_text(event_date, end_date, precision: str, lang: str) -> str:
    """:func:`date_text`, once per date: the events of a timeline share their dates."""
    return date_text(event_date, end_date, precision, lang)


def _event_customdata(events: pd.DataFrame, lang: str) -> np.ndarray:
    """[event_id, title, date text, place] per event; all but the id escaped for display."""
    n = len(events)

    def column(name):
        if name in events:
            return events[name].tolist()
        return [None] * n

    title, title_ar = column("title"), column("title_ar")
    first, second = (title_ar, title) if lang == "ar" else (title, title_ar)
    location, country = column("location"), column("country")
    dates, ends, precision = column("event_date"), column("end_date"), column("date_precision")
    rows = []
    for i, event_id in enumerate(events["event_id"].tolist()):
        name = first[i] if isinstance(first[i], str) and first[i].strip() else second[i]
        place = ", ".join(
            str(x) for x in (location[i], country[i]) if isinstance(x, str) and x.strip()
        )
        when = _date_text(
            dates[i], ends[i], precision[i] if isinstance(precision[i], str) else "day", lang
        )
        rows.append([str(event_id), _safe(name), _safe(when), _safe(place) or "–"])
    return np.array(rows, dtype=object).reshape(n, 4)


def _hovertemplate(type_label: str) -> str:
    return (
        "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
        f"{_safe(type_label)} · %{{customdata[3]}}<extra></extra>"
    )


def _span_trace(start, end, custom, row: int, color: str, common: dict) -> go.Scatter:
    """Spans as thin lines with a cap at each end (|——|): visible at every zoom, whatever
    the length, and a month-long event does not cover the row.

    One trace per type: x runs ``start, end, None`` per span (the None breaks the line),
    and every point carries its event's customdata, so a click on either cap picks it.
    """
    n = len(start)
    xs = np.empty(3 * n, dtype=object)
    xs[0::3], xs[1::3], xs[2::3] = _iso(start), _iso(end), None
    data = np.empty((3 * n, custom.shape[1]), dtype=object)
    data[0::3], data[1::3], data[2::3] = custom, custom, ""
    return go.Scatter(
        mode="lines+markers",
        x=xs,
        y=np.full(3 * n, row, dtype="int8" if row < 127 else "int32"),
        customdata=data,
        line={"color": color, "width": _SPAN_WIDTH},
        marker={
            "symbol": "line-ns-open",
            "size": _CAP_SIZE,
            "color": color,
            "line": {"color": color, "width": 2},
        },
        connectgaps=False,
        meta={"role": "spans", "event_type": common["legendgroup"]},
        **common,
    )


def notable_events(
    events: pd.DataFrame, start, end, rows, limit: int = MAX_LABELS, extent=None
) -> list[int]:
    """The rows of the few events the timeline names, most notable first.

    The rule, in order: the most fatalities; then the most sources cited; then the
    longest span; then the newest. An event is skipped when it falls within a sixth of
    the period on the axis (``extent``, (first, last); else the events' own) of one
    already chosen in its row (a label is about that wide), so the labels do not cover
    each other.
    """
    if events.empty:
        return []
    fatalities = pd.to_numeric(events.get("fatalities"), errors="coerce")
    if fatalities is None or not isinstance(fatalities, pd.Series):
        fatalities = pd.Series(np.nan, index=events.index)
    sources = events.get("sources")
    n_sources = (
        sources.map(lambda x: len(x) if isinstance(x, list | tuple | np.ndarray) else 0)
        if sources is not None
        else pd.Series(0, index=events.index)
    )
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
    gap = max((hi - lo) / 6, pd.Timedelta(days=1)).value
    # Each choice rules out the events of its row within the gap, all at once: walking
    # the ranking event by event took most of a timeline's drawing at a thousand events.
    when = middle.to_numpy(dtype="datetime64[ns]").view("int64")
    row_code = pd.factorize(pd.Series(rows, dtype=object), use_na_sentinel=False)[0]
    open_ = ~middle.isna().to_numpy()
    order = ranked.index.to_numpy()
    chosen: list[int] = []
    while len(chosen) < limit:
        left = order[open_[order]]
        if not len(left):
            break
        i = int(left[0])
        chosen.append(i)
        open_ &= ~((row_code == row_code[i]) & (np.abs(when - when[i]) < gap))
    return chosen


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1].rstrip() + "…"


def _add_labels(fig, events, start, end, custom, row_of, extent) -> None:
    """Short titles of the notable events, on the event itself (they follow a zoom)."""
    rows = [row_of.get(str(x)) for x in events["event_type"]]
    for i in notable_events(events, start, end, rows, extent=extent):
        row = rows[i]
        title = html.unescape(custom[i][1])  # escaped once more below, with the cut
        if row is None or not title:
            continue
        middle = start.iat[i] + (end.iat[i] - start.iat[i]) / 2
        fig.add_annotation(
            x=middle.strftime("%Y-%m-%d %H:%M"),
            y=row,
            xref="x",
            yref="y",
            text=_safe(_short(title)),
            hovertext=custom[i][1],
            showarrow=True,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#666",
            ax=0,
            ay=-20,  # above its event: the rows are far enough apart for a line of text
            font={"size": 11, "color": "#222"},
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=2,
            name="event_label",
        )


def period_fatalities(events: pd.DataFrame, freq: str = "month") -> pd.DataFrame:
    """Recorded deaths per period (``period``, ``fatalities``), counted as the event counts
    are (in the period of ``event_date``); only events with a figure add to it. Empty when
    no event has one, so the chart draws no deaths series it cannot back."""
    columns = {"period": pd.Series(dtype="datetime64[ns]"), "fatalities": pd.Series(dtype="int64")}
    if events is None or events.empty or "fatalities" not in events:
        return pd.DataFrame(columns)
    known = pd.to_numeric(events["fatalities"], errors="coerce")
    rows = events[known.notna()]
    if rows.empty:
        return pd.DataFrame(columns)
    frame = pd.DataFrame(
        {"period": _period_of(rows["event_date"], freq), "fatalities": known[known.notna()]}
    )
    out = frame.groupby("period", sort=True)["fatalities"].sum().reset_index()
    return out.astype({"fatalities": "int64"})


def _add_fatalities(fig, fatalities: pd.DataFrame, freq: str, lang: str, name: str) -> None:
    """Deaths per period as a line on the counts' second (right) axis."""
    part = fatalities.assign(period=pd.to_datetime(fatalities["period"]).dt.normalize())
    part = part.sort_values("period")
    periodic = {"xperiod": _WEEK_MS, "xperiod0": _MONDAY} if freq == "week" else {"xperiod": "M1"}
    fig.add_trace(
        go.Scatter(
            # Dots mark a few periods; on hundreds of weeks they would hide the line.
            mode="lines+markers" if len(part) <= 60 else "lines",
            x=_iso(part["period"]),
            y=part["fatalities"].to_numpy(dtype="int64"),
            hovertext=[_safe(_period_text(p, freq, lang)) for p in part["period"]],
            hovertemplate=f"<b>{_safe(name)}</b><br>%{{hovertext}}: %{{y}}<extra></extra>",
            name=_safe(name),
            legendgroup="fatalities",
            showlegend=True,
            line={"color": FATALITIES_COLOR, "width": 1.5},
            marker={"color": FATALITIES_COLOR, "size": 5},
            xperiodalignment="middle",
            meta={"role": "fatalities"},
            **periodic,
        ),
        row=2,
        col=1,
        secondary_y=True,
    )


# ----------------------------------------------------------------------------- timeline


def timeline_figure(
    events: pd.DataFrame,
    counts: pd.DataFrame | None = None,
    *,
    freq: str = "month",
    labels: Mapping[str, str] | None = None,
    selected_id: str | None = None,
    lang: str = "en",
    empty_text: str = EMPTY_TEXT,
    fatalities: pd.DataFrame | None = None,
    fatalities_name: str = "Fatalities",
) -> go.Figure:
    """Every event on a time axis, one row per type, over stacked counts per week or month.

    ``counts`` has columns ``period``, ``event_type``, ``events`` (as returned by the
    store's ``period_counts``); when it is ``None`` it is counted from ``events``. The two
    rows share the date axis and the range slider under the counts zooms both.
    ``fatalities`` (``period``, ``fatalities``, see :func:`period_fatalities`) is drawn on
    a right-hand axis of the counts when any event has a figure; when it is ``None`` it is
    summed from ``events``. The few most notable events are named (:func:`notable_events`).
    """
    if freq not in FREQS:
        freq = "month"
    events = events if events is not None else pd.DataFrame()
    if "event_date" in events:
        events = events[pd.to_datetime(events["event_date"]).notna()]
    if counts is None:
        counts = period_counts(events, freq)
    if events.empty and (counts is None or counts.empty):
        return _empty_figure(empty_text)
    events = events.reset_index(drop=True)
    if fatalities is None:
        fatalities = period_fatalities(events, freq)
    deaths = fatalities is not None and len(fatalities) > 0 and fatalities["fatalities"].sum() > 0

    types = _types_present(list(events.get("event_type", [])) + list(counts.get("event_type", [])))
    row_of = {x: i for i, x in enumerate(types)}
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04,
        row_heights=[0.62, 0.38],
        specs=[[{}], [{"secondary_y": deaths}]],
    )

    if not events.empty:
        start, end = _spans(events)
        custom = _event_customdata(events, lang)
        is_span = (end > start).to_numpy()
        for event_type in types:
            rows = (events["event_type"] == event_type).to_numpy()
            if not rows.any():
                continue
            label = _label(event_type, labels)
            color = TYPE_COLORS.get(event_type, _UNKNOWN_TYPE_COLOR)
            common = dict(
                legendgroup=event_type,
                showlegend=False,
                name=_safe(label),
                hovertemplate=_hovertemplate(label),
            )
            spans = rows & is_span
            if spans.any():
                fig.add_trace(
                    _span_trace(
                        start[spans], end[spans], custom[spans], row_of[event_type], color, common
                    ),
                    row=1,
                    col=1,
                )
                # A handle in the middle of each span: in "closest" hover a line is picked
                # only at its points, so a long span could otherwise be hovered only at its ends.
                middle = start[spans] + (end[spans] - start[spans]) / 2
                fig.add_trace(
                    go.Scatter(
                        mode="markers",
                        x=middle.dt.strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object),
                        y=_row(row_of[event_type], spans.sum()),
                        customdata=custom[spans],
                        marker={
                            "symbol": "circle",
                            "color": color,
                            "size": 6,
                            "line": {"color": "white", "width": 1},
                        },
                        meta={"role": "span_handles", "event_type": event_type},
                        **common,
                    ),
                    row=1,
                    col=1,
                )
            days = rows & ~is_span
            if days.any():
                fig.add_trace(
                    go.Scatter(
                        mode="markers",
                        x=_iso(start[days]),
                        y=_row(row_of[event_type], days.sum()),
                        customdata=custom[days],
                        marker={"color": color, "size": 9, "line": {"color": "white", "width": 1}},
                        meta={"role": "events", "event_type": event_type},
                        **common,
                    ),
                    row=1,
                    col=1,
                )
        _add_selected(fig, events, start, end, row_of, selected_id)
        # The axis spans the counts too: when only the newest events are drawn, their
        # labels must be spaced on the whole axis, not on the part they cover.
        periods = pd.to_datetime(counts["period"]) if len(counts) else start
        extent = (min(start.min(), periods.min()), max(end.max(), periods.max()))
        _add_labels(fig, events, start, end, custom, row_of, extent)

    _add_counts(fig, counts, types, freq, labels, lang)
    if deaths:
        _add_fatalities(fig, fatalities, freq, lang, fatalities_name)
        fig.update_yaxes(
            row=2,
            col=1,
            secondary_y=True,
            title={"text": _safe(fatalities_name), "font": {"color": FATALITIES_COLOR}},
            tickfont={"color": FATALITIES_COLOR},
            tickformat=",d",  # deaths are whole: no "228.1" ticks
            rangemode="tozero",
            fixedrange=True,
            showgrid=False,
        )

    fig.update_yaxes(
        row=1,
        col=1,
        tickmode="array",
        tickvals=list(range(len(types))),
        ticktext=[_safe(_label(x, labels)) for x in types],
        range=[len(types) - 0.5, -0.9],  # room above the first row for its labels
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    # Counts are whole: short bars get a tick per event, never "0.5 events".
    tallest = 0
    if counts is not None and len(counts):
        tallest = int(counts.groupby("period")["events"].sum().max())
    fig.update_yaxes(
        row=2,
        col=1,
        secondary_y=False,
        fixedrange=True,
        rangemode="tozero",
        **({"dtick": 1} if tallest <= 5 else {}),
    )
    fig.update_xaxes(type="date")
    if lang == "ar":
        # Day before month, as Arabic dates are written ("18 يناير"), at every zoom.
        fig.update_xaxes(
            tickformatstops=[
                {"dtickrange": [None, 86_400_000 * 28], "value": "%-d %b\n%Y"},
                {"dtickrange": [86_400_000 * 28, None], "value": "%b %Y"},
            ]
        )
    fig.update_xaxes(row=2, col=1, rangeslider={"visible": True, "thickness": 0.07})
    fig.update_layout(
        barmode="stack",
        bargap=0.15,
        hovermode="closest",
        clickmode="event+select",
        # A drag zooms and a click picks an event. The mode bar's Box Select makes a drag a
        # brush across time (the page makes its period the date filter, as Kepler's time
        # filter does): Streamlit stops clicks selecting points while a box is the drag
        # mode, so the brush cannot be the default without losing the click.
        dragmode="zoom",
        selectdirection="h",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.01,
            "xanchor": "left",
            "x": 0,
            "title": {"text": ""},
        },
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        uirevision="timeline",  # keeps the user's zoom when a rerun rebuilds the figure
    )
    return fig


def _add_selected(fig, events, start, end, row_of, selected_id) -> None:
    """A dark outline on the selected event: a ring for a day, a bracketed line for a span."""
    if not selected_id:
        return
    hit = (events["event_id"].astype(str) == str(selected_id)).to_numpy()
    if not hit.any():
        return
    i = int(np.flatnonzero(hit)[0])
    row = row_of.get(str(events.at[i, "event_type"]))
    if row is None or pd.isna(start.iat[i]):
        return
    s, e = start.iat[i], end.iat[i]
    common = dict(showlegend=False, hoverinfo="skip", meta={"role": "selected"}, name="selected")
    if e > s:
        trace = go.Scatter(
            mode="lines+markers",
            x=[s.strftime("%Y-%m-%d"), e.strftime("%Y-%m-%d")],
            y=[row, row],
            line={"color": SELECTED_COLOR, "width": 3},
            marker={
                "symbol": "line-ns-open",
                "size": 18,
                "color": SELECTED_COLOR,
                "line": {"color": SELECTED_COLOR, "width": 3},
            },
            **common,
        )
    else:
        trace = go.Scatter(
            mode="markers",
            x=[s.strftime("%Y-%m-%d")],
            y=[row],
            marker={
                "symbol": "circle-open",
                "size": 18,
                "color": SELECTED_COLOR,
                "line": {"color": SELECTED_COLOR, "width": 3},
            },
            **common,
        )
    fig.add_trace(trace, row=1, col=1)


def _add_counts(fig, counts, types, freq, labels, lang) -> None:
    """Stacked bars per period, centred on their period, one legend entry per type."""
    if counts is None or counts.empty:
        counts = pd.DataFrame({"period": [], "event_type": [], "events": []})
    counts = counts.assign(period=pd.to_datetime(counts["period"]).dt.normalize())
    if freq == "week":
        periodic = {"xperiod": _WEEK_MS, "xperiod0": _MONDAY, "width": 0.8 * _WEEK_MS}
    else:
        periodic = {"xperiod": "M1", "width": 0.8 * 30 * _DAY_MS}
    for event_type in types:
        part = counts[counts["event_type"] == event_type].sort_values("period")
        label = _label(event_type, labels)
        color = TYPE_COLORS.get(event_type, _UNKNOWN_TYPE_COLOR)
        fig.add_trace(
            go.Bar(
                x=_iso(part["period"]),
                y=part["events"].to_numpy(dtype="int64"),
                hovertext=[_safe(_period_text(p, freq, lang)) for p in part["period"]],
                hovertemplate=f"<b>{_safe(label)}</b><br>%{{hovertext}}: %{{y}}<extra></extra>",
                name=_safe(label),
                legendgroup=event_type,
                showlegend=True,
                marker={"color": color},
                xperiodalignment="middle",
                meta={"role": "counts", "event_type": event_type},
                **periodic,
            ),
            row=2,
            col=1,
        )


def _period_text(period: pd.Timestamp, freq: str, lang: str) -> str:
    if freq == "week":
        return date_text(period, period + pd.Timedelta(days=6), "day", lang)
    return date_text(period, None, "month", lang)


# ----------------------------------------------------------------------------- type counts


def type_counts_figure(
    counts: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    empty_text: str = EMPTY_TEXT,
) -> go.Figure:
    """Events per type as horizontal bars, in the timeline's order and colours.

    ``counts`` has columns ``event_type`` and ``events`` (the store's ``counts_by``).
    """
    if counts is None or counts.empty:
        return _empty_figure(empty_text)
    totals = counts.groupby("event_type")["events"].sum()
    types = _types_present(totals.index)
    names = [_safe(_label(x, labels)) for x in types]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[int(totals[x]) for x in types],
            y=names,
            marker={"color": [TYPE_COLORS.get(x, _UNKNOWN_TYPE_COLOR) for x in types]},
            text=[int(totals[x]) for x in types],
            textposition="auto",
            hovertemplate="%{y}: %{x}<extra></extra>",
            showlegend=False,
            meta={"role": "type_counts"},
        )
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True, type="category")
    fig.update_xaxes(fixedrange=True, rangemode="tozero")
    fig.update_layout(
        height=40 + 34 * len(types),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        bargap=0.25,
    )
    return fig
