"""The insight figures: what a reader sees in them, and data text kept inert."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import network
from dashboard.insight_charts import before_after_figure, network_figure
from tests.unit.test_network import lists

WORDS = {"events": "events", "shared": "shared events"}
KINDS = {k: k for k in network.KINDS}


def test_nodes_and_pairs_map_back_to_actors_and_names_stay_text():
    net = network.build(
        lists(
            (["<b>Evil</b> <a href='x'>", "ISIS"], 2, "2022-01-01", "2022-01-02"),
            (["ISIS", "Iraq"], 1, "2022-01-01", "2022-01-01"),
        )
    )
    fig = network_figure(net, kind_labels=KINDS, words=WORDS)
    nodes = [t for t in fig.data if (t.meta or {}).get("role") == "nodes"]
    picked = {row[1] for t in nodes for row in t.customdata}
    assert picked == set(net.graph.nodes)  # a click names the actor exactly
    hover = " ".join(h for t in nodes for h in t.hovertext)
    assert "&lt;b&gt;Evil&lt;/b&gt;" in hover and "<a href" not in hover
    assert {t.meta["kind"] for t in nodes} == {"armed group", "state", "unknown"}
    handles = [t for t in fig.data if (t.meta or {}).get("role") == "edge_handles"]
    pairs = {tuple(row[1:]) for t in handles for row in t.customdata}
    assert pairs <= {tuple(sorted(e)) for e in net.graph.edges}


def test_the_before_after_chart_marks_the_event_and_spans_both_windows():
    weekly = pd.DataFrame(
        {"period": pd.to_datetime(["2022-02-14", "2022-06-06"]), "events": [3, 1]}
    )
    fig = before_after_figure(
        weekly,
        start=date(2022, 5, 11),
        end=date(2022, 5, 11),
        first=date(2022, 2, 10),
        last=date(2022, 8, 9),
        words={"week_of": "Week of", "events": "events", "event": "this event"},
    )
    assert list(fig.data[0].y) == [3, 1]
    (mark,) = fig.layout.shapes
    assert (mark.x0, mark.x1) == ("2022-05-11", "2022-05-12")
    assert fig.layout.xaxis.range[0] == "2022-02-10"
    assert fig.layout.yaxis.dtick == 1  # whole events, never a fraction of one
