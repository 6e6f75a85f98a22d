"""Map: events as points coloured by type, counts per country, the clicked event beside it."""

import streamlit as st

from dashboard import ui

state, q = ui.page("map")
st.title(ui.t("nav_map", state.lang))
ui.header(state, q)
map_col, side_col = st.columns([3, 1])
with map_col:
    tiles = st.toggle(ui.t("map_tiles", state.lang), value=False)
    ui.event_map(state, q, tiles=tiles, height=620, key="main_map")
with side_col:
    ui.event_card(state, q)
ui.share_link(state)
