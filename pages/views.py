"""Saved views: every short link made here, to open, rename, watch or delete."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import share, sidebar, urlsync

state, q = sidebar.page("views")
urlsync.link_notices(state.lang)
st.title(t("nav_views", state.lang))
share.views_page(state)
