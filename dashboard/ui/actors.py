"""The Actors view: who appears with whom in the filtered events, drawn and tabled.

The network and its layout come from resources (cached by filter, so the picture stays
put from one rerun to the next); the figure from dashboard.insight_charts. A click on an
actor rewrites the link's actor filter; a click on the middle of a line, or the pair
chosen in the list under the graph, lists the events the two share.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import network
from dashboard.filters import ViewState
from dashboard.network import KINDS
from dashboard.query import EventQuery
from dashboard.strings import plotly_locale, t

from . import resources, urlsync
from .views import events_table

PAIR_KEY = "actors_pair"
#: Shared events listed for a pair (the newest first).
PAIR_ROWS = 100


def _kind_labels(lang: str) -> dict[str, str]:
    return {k: t(f"kind_{k}", lang) for k in KINDS}


def _fresh(key: str, value) -> bool:
    """True once per new selection of a widget: a selection outlives the rerun it caused,
    and acting on it again would put back a filter the user has since removed."""
    seen = f"_seen_{key}"
    if value == st.session_state.get(seen):
        return False
    st.session_state[seen] = value
    return bool(value)


def _picked(result) -> list | None:
    try:
        points = result["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not _fresh("actor_graph", [p.get("customdata") for p in points]):
        return None
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data and data[0] in ("node", "edge"):
            return list(data)
    return None


def actors_view(state: ViewState, q: EventQuery) -> None:
    lang = state.lang
    net = resources.actor_network(state.filters)
    if net.graph.number_of_nodes() == 0:
        st.info(t("net_none", lang))
        return
    st.caption(t("net_intro", lang))
    edges = net.shown_edges()
    pairs = [f"{a}\u2003—\u2003{b}" for a, b, _ in edges]
    counts = t(
        "net_all",
        lang,
        n=f"{net.graph.number_of_nodes():,}",
        m=f"{net.graph.number_of_edges():,}",
    )
    hidden = (
        " " + t("net_hidden", lang, shown=len(net.shown), hidden=f"{net.hidden:,}")
        if net.hidden
        else ""
    )
    st.text(counts + hidden)
    chosen = st.session_state.get(PAIR_KEY)
    selected = None
    if chosen in pairs:
        a, b, _ = edges[pairs.index(chosen)]
        selected = (a, b)
    left, right = st.columns([3, 2])
    with left:
        from dashboard.insight_charts import network_figure

        fig = network_figure(
            net,
            kind_labels=_kind_labels(lang),
            words={"events": t("net_events", lang), "shared": t("net_shared", lang)},
            selected=selected,
        )
        result = st.plotly_chart(
            fig,
            width="stretch",
            key="actor_graph",
            on_select="rerun",
            selection_mode="points",
            config={"displaylogo": False, "scrollZoom": True, **plotly_locale(lang)},
        )
        picked = _picked(result)
        if picked and picked[0] == "node":
            urlsync.set_filters(network.actor_filter(state.filters, net, picked[1]))
        if picked and picked[0] == "edge":
            label = f"{picked[1]}\u2003—\u2003{picked[2]}"
            if label in pairs and label != chosen:
                st.session_state[PAIR_KEY] = label
                selected = (picked[1], picked[2])
    with right:
        _actor_table(net, state)
    st.subheader(t("net_pair", lang), anchor=False)
    st.selectbox(
        t("net_pair", lang),
        pairs,
        index=None,
        key=PAIR_KEY,
        placeholder=t("net_pair_none", lang),
        label_visibility="collapsed",
    )
    chosen = st.session_state.get(PAIR_KEY)
    if chosen in pairs:
        a, b, _ = edges[pairs.index(chosen)]
        _shared(state, q, net, a, b)


def _actor_table(net: network.Network, state: ViewState) -> None:
    """Every actor (drawn or not), for those who read rather than look; a row filters by it."""
    lang = state.lang
    table = net.table()
    kinds = _kind_labels(lang)
    display = pd.DataFrame(
        {
            t("net_col_actor", lang): table["actor"],
            t("net_col_kind", lang): [kinds.get(k, k) for k in table["kind"]],
            t("net_col_events", lang): table["events"],
            t("net_col_first", lang): [d.isoformat() if d else "" for d in table["first"]],
            t("net_col_last", lang): [d.isoformat() if d else "" for d in table["last"]],
            t("net_col_partners", lang): table["partners"],
        }
    )
    result = st.dataframe(
        display,
        hide_index=True,
        width="stretch",
        height=560,
        key="actor_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = (result or {}).get("selection", {}).get("rows", []) if result else []
    if _fresh("actor_table", rows):
        urlsync.set_filters(network.actor_filter(state.filters, net, table["actor"].iloc[rows[0]]))


def _shared(state: ViewState, q: EventQuery, net: network.Network, a: str, b: str) -> None:
    lang = state.lang
    # Only ids and actors are read for the wide selection; whole rows for the page alone.
    wide = network.shared_filter(state.filters, net, a, b)
    rows = q.rows(wide, limit=None, columns=("event_id", "actors"))
    shared = network.shared_events(rows, a, b, state.filters)
    words = "net_pair_rows_one" if len(shared) == 1 else "net_pair_rows"
    st.text(t(words, lang, n=len(shared), a=a, b=b))
    if len(shared) > PAIR_ROWS:
        st.caption(t("net_pair_more", lang, shown=PAIR_ROWS))
    page = q.events_by_id(shared["event_id"].head(PAIR_ROWS).tolist())
    page = page.sort_values(["event_date", "event_id"], ascending=False, ignore_index=True)
    events_table(state, page, key="actor_pair_rows")
