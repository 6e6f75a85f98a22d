"""Overview: how many events of each type, a small map and timeline, the latest events."""

import streamlit as st

from dashboard import ui

state, q = ui.page("overview")
st.title(ui.t("nav_overview", state.lang))
count = ui.header(state, q)
left, right = st.columns([1, 2])
with left:
    ui.type_counts_chart(state, q)
with right:
    ui.small_map(state, q, key="overview_map")
ui.timeline_chart(state, q, freq="month", height=360, key="overview_timeline")
st.subheader(ui.t("latest", state.lang))
ui.events_table(state, q.rows(state.filters, limit=10), key="overview_latest")
ui.share_link(state)
