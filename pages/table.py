"""Table: the filtered events, sorted and paged on the server; exports of exactly those rows."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import sidebar, urlsync, views

state, q = sidebar.page("table")
st.title(t("nav_table", state.lang))
count = sidebar.header(state, q)
views.paged_table(state, q, count)
views.export_buttons(state, q)
urlsync.share_link(state)
