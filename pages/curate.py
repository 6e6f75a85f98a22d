"""Curate: draft events from an article, add events, undo changes, restore deleted events."""

import streamlit as st

from dashboard import ui

state, q = ui.page("curate")
st.title(ui.t("nav_curate", state.lang))
ui.curate_page(state, q)
