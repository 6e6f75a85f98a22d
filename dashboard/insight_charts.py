"""Plotly figures of the insight views: the actor network and the before/after counts.

Pure builders, as in :mod:`dashboard.charts` (whose safety rule holds here: every text
from data is :func:`html.escape`\\ d before it enters a figure, for plotly reads ``<b>``
and ``<a href>`` as markup in hover labels and text).

Clicks. Every node carries ``customdata = ["node", name]``; every drawn edge has a marker
at its middle with ``customdata = ["edge", a, b]`` (a line cannot be clicked in plotly,
a marker can), so a selection maps back to an actor or a pair with ``customdata``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .network import KINDS, Network
from .palette import TYPE_COLORS

#: Okabe-Ito colours again, by kind of actor; unknown in grey.
KIND_COLORS = {
    "state": "#0072B2",
    "armed group": "#D55E00",
    "international organisation": "#009E73",
    "unknown": "#999999",
}
#: Edges are drawn in a few widths (one trace each: plotly sets width per trace).
EDGE_WIDTHS = (1.0, 2.5, 4.5, 7.0)
#: Node diameters in pixels, smallest and largest.
NODE_SIZE = (10, 46)
#: A line's click handle is left out when it lies this near a node (layout units).
HANDLE_CLEARANCE = 0.06
#: The names written beside nodes (all are in the hover label and the table).
LABELLED = 25


def _safe(text) -> str:
    return html.escape(str(text), quote=False)


def network_figure(
    net: Network,
    *,
    kind_labels: Mapping[str, str],
    words: Mapping[str, str],
    selected: tuple[str, str] | None = None,
    height: int = 620,
) -> go.Figure:
    """Nodes sized by events, coloured by kind; edges wider with more shared events.

    ``words``: ``events``, ``shared`` (hover words, already in the UI language).
    """
    fig = go.Figure()
    pos = net.positions
    edges = net.shown_edges()
    top = max((w for _, _, w in edges), default=1)

    def width_class(w: int) -> int:
        if top <= 1:
            return 0
        return min(len(EDGE_WIDTHS) - 1, int(math.log(w) / math.log(top) * len(EDGE_WIDTHS)))

    for cls, width in enumerate(EDGE_WIDTHS):
        xs, ys = [], []
        for a, b, w in edges:
            if width_class(w) == cls:  # NaN breaks the line between two edges
                xs += [pos[a][0], pos[b][0], np.nan]
                ys += [pos[a][1], pos[b][1], np.nan]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=np.array(xs),
                    y=np.array(ys),
                    mode="lines",
                    line={"width": width, "color": "rgba(90,90,90,0.35)"},
                    hoverinfo="skip",
                    showlegend=False,
                    meta={"role": "edges"},
                )
            )
    if selected and selected[0] in pos and selected[1] in pos:
        a, b = selected
        fig.add_trace(
            go.Scatter(
                x=[pos[a][0], pos[b][0]],
                y=[pos[a][1], pos[b][1]],
                mode="lines",
                line={"width": 5, "color": "#111111"},
                hoverinfo="skip",
                showlegend=False,
                meta={"role": "selected_edge"},
            )
        )
    # A handle too near a node would take that node's clicks (plotly picks the nearest
    # point): such pairs are chosen from the list under the graph instead.
    handles = [
        (a, b, w)
        for a, b, w in edges
        if all(
            math.dist(((pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2), pos[n])
            > HANDLE_CLEARANCE
            for n in net.shown
        )
    ]
    if handles:
        fig.add_trace(
            go.Scatter(
                x=np.array([(pos[a][0] + pos[b][0]) / 2 for a, b, _ in handles]),
                y=np.array([(pos[a][1] + pos[b][1]) / 2 for a, b, _ in handles]),
                mode="markers",
                marker={"size": 9, "color": "rgba(90,90,90,0.25)"},
                # Typed arrays: plotly checks a Python list of lists item by item.
                customdata=np.array([["edge", a, b] for a, b, _ in handles], dtype=object),
                hovertext=np.array(
                    [
                        f"{_safe(a)} — {_safe(b)}: {w:,} {_safe(words['shared'])}"
                        for a, b, w in handles
                    ],
                    dtype=object,
                ),
                hoverinfo="text",
                showlegend=False,
                meta={"role": "edge_handles"},
            )
        )
    graph = net.graph
    most = max((graph.nodes[n]["events"] for n in net.shown), default=1)
    labelled = set(
        sorted(net.shown, key=lambda n: (-graph.degree(n), -graph.nodes[n]["events"], n))[:LABELLED]
    )
    for kind in KINDS:
        names = [n for n in net.shown if graph.nodes[n]["kind"] == kind]
        if not names:
            continue
        sizes = [
            NODE_SIZE[0]
            + (NODE_SIZE[1] - NODE_SIZE[0]) * math.sqrt(graph.nodes[n]["events"] / most)
            for n in names
        ]
        fig.add_trace(
            go.Scatter(
                x=np.array([pos[n][0] for n in names]),
                y=np.array([pos[n][1] for n in names]),
                mode="markers+text",
                marker={
                    "size": np.array(sizes),
                    "color": KIND_COLORS[kind],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                text=np.array([_safe(n) if n in labelled else "" for n in names], dtype=object),
                textposition="top center",
                textfont={"size": 11},
                customdata=np.array([["node", n] for n in names], dtype=object),
                hovertext=np.array(
                    [
                        f"<b>{_safe(n)}</b><br>{graph.nodes[n]['events']:,} "
                        f"{_safe(words['events'])}"
                        for n in names
                    ],
                    dtype=object,
                ),
                hoverinfo="text",
                name=_safe(kind_labels.get(kind, kind)),
                meta={"role": "nodes", "kind": kind},
            )
        )
    axis = {"visible": False, "showgrid": False, "zeroline": False, "range": [-1.3, 1.3]}
    fig.update_layout(
        height=height,
        margin={"l": 5, "r": 5, "t": 5, "b": 5},
        xaxis=axis,
        yaxis=axis,
        legend={"orientation": "h", "y": -0.02},
        hovermode="closest",
        clickmode="event+select",
        dragmode="pan",
        plot_bgcolor="#ffffff",
    )
    return fig


def before_after_figure(
    weekly: pd.DataFrame,
    *,
    start: date,
    end: date,
    first: date,
    last: date,
    words: Mapping[str, str],
    event_type: str = "attack",
    height: int = 320,
) -> go.Figure:
    """Events per week across both windows, with the event's days marked and the windows'
    edges drawn. ``words``: ``week_of``, ``events``, ``event`` (already translated)."""
    fig = go.Figure()
    if not weekly.empty:
        fig.add_trace(
            go.Bar(
                x=[p.strftime("%Y-%m-%d") for p in pd.to_datetime(weekly["period"])],
                y=weekly["events"].astype(int).tolist(),
                marker_color=TYPE_COLORS.get(event_type, "#555555"),
                hovertemplate=f"{_safe(words['week_of'])} %{{x}}: %{{y}} "
                f"{_safe(words['events'])}<extra></extra>",
                xperiod=7 * 86_400_000,
                xperiodalignment="start",
                meta={"role": "weeks"},
            )
        )
    fig.add_vrect(
        x0=start.isoformat(),
        x1=(pd.Timestamp(end) + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
        fillcolor="#111111",
        opacity=0.25,
        line_width=2,
        line_color="#111111",
        annotation_text=_safe(words["event"]),
        annotation_position="top",
    )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={
            "type": "date",
            "range": [first.isoformat(), (pd.Timestamp(last) + pd.Timedelta(days=1)).isoformat()],
        },
        yaxis={
            "title": _safe(words["events"]),
            "rangemode": "tozero",
            # Counts are whole: small ones get a tick per event, never 0.2 of one.
            "dtick": 1 if weekly.empty or int(weekly["events"].max()) <= 8 else None,
        },
        showlegend=False,
        bargap=0.1,
    )
    return fig
