"""Table: the filtered events, sorted and paged on the server; exports of exactly those rows."""

import streamlit as st

from dashboard import ui

state, q = ui.page("table")
st.title(ui.t("nav_table", state.lang))
count = ui.header(state, q)
ui.paged_table(state, q, count)
ui.export_buttons(state, q)
ui.share_link(state)
