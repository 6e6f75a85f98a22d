"""Curate: draft events from an article, add events, undo changes, restore deleted events."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import curation, sidebar

state, q = sidebar.page("curate")
st.title(t("nav_curate", state.lang))
curation.curate_page(state, q)
