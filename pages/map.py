"""Map: events as points coloured by type over labelled cities, the events in view listed
beside it (following the viewport), the clicked event above the list; or, switched to
playback, the filtered period step by step."""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import map_feed, playback, sidebar, urlsync, views

state, q = sidebar.page("map")
st.title(t("nav_map", state.lang))
sidebar.header(state, q)
t1, t2 = st.columns(2)
with t1:
    tiles = st.toggle(t("map_tiles", state.lang), value=False)
with t2:
    playing = playback.playback_on(state, state.lang)
map_col, side_col = st.columns([3, 1])
with map_col:
    if playing:
        playback.play_map(state, q, tiles=tiles, height=620)
        bounds = None
    else:
        bounds = views.event_map(state, q, tiles=tiles, height=620, key="main_map")
with side_col:
    views.event_card(state, q)
    if not playing:
        map_feed.events_in_view(state, bounds)
urlsync.share_link(state)
