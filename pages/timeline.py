"""Timeline: every event on a time axis by type, with stacked counts per week or month."""

import streamlit as st

from dashboard import ui

state, q = ui.page("timeline")
st.title(ui.t("nav_timeline", state.lang))
ui.header(state, q)
freq = st.segmented_control(
    ui.t("timeline_freq", state.lang),
    ["month", "week"],
    default="month",
    format_func=lambda f: ui.t(f"freq_{f}", state.lang),
    key="timeline_freq",
)
ui.timeline_chart(state, q, freq=freq or "month", height=640, key="main_timeline")
ui.event_card(state, q)
ui.share_link(state)
