"""Overview: how many events of each type, a small map and timeline, the latest events."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import share, sidebar, urlsync, views

state, q = sidebar.page("overview")
st.title(t("nav_overview", state.lang))
sidebar.header(state, q)
left, right = st.columns([1, 2])
with left:
    views.type_counts_chart(state, q)
with right:
    views.small_map(state, q, key="overview_map")
views.timeline_chart(state, q, freq="month", height=360, key="overview_timeline")
st.subheader(t("latest", state.lang))
views.latest_events(state, q, n=10, key="overview_latest")
share.watchlist(state)
urlsync.share_link(state)
