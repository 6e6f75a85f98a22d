"""Timeline: every event on a time axis by type, with stacked counts per week or month."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import sidebar, urlsync, views

state, q = sidebar.page("timeline")
st.title(t("nav_timeline", state.lang))
sidebar.header(state, q)
st.segmented_control(
    t("timeline_freq", state.lang),
    ["month", "week"],
    format_func=lambda f: t(f"freq_{f}", state.lang),
    key="timeline_freq",
)
views.timeline_chart(state, q, freq=state.unit, height=640, key="main_timeline")
views.event_card(state, q)
urlsync.share_link(state)
