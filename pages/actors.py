"""Actors: who appears with whom in the filtered events, as a network and a table."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import actors, sidebar, urlsync

state, q = sidebar.page("actors")
st.title(t("nav_actors", state.lang))
sidebar.header(state, q)
actors.actors_view(state, q)
urlsync.share_link(state)
