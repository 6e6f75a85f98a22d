"""The brief's download buttons in the share box (dashboard.brief makes the files)."""

from __future__ import annotations

import streamlit as st

from dashboard import brief, geo, urlstate
from dashboard.filters import ViewState
from dashboard.strings import t
from dashboard.text import md_escape

from . import resources

_MADE = "_brief_files"


def buttons(state: ViewState, view_id: str | None) -> None:
    """Made on request (a Chromium run of a few seconds), for this view only: the files
    of another view are never offered."""
    lang = state.lang
    key = urlstate.query_string(state)
    st.caption(t("brief_help", lang))
    if st.button(t("brief_make", lang), key="brief_make"):
        origin = st.context.url or ""
        link = f"{origin.split('?')[0]}?view={view_id}" if view_id else f"{origin}?{key}"
        made = brief.build(
            resources.query(),
            state,
            version=state.filters.as_of or 0,
            link=link,
            country_name=geo.country_name,
        )
        files = {"brief.html": (made.html.encode("utf-8"), "text/html")}
        try:
            files["brief.pdf"] = (brief.pdf(made.html), "application/pdf")
            files["map.png"] = (brief.png(made.map_svg, brief.MAP_W, brief.MAP_H), "image/png")
            files["timeline.png"] = (
                brief.png(made.timeline_svg, brief.TL_W, brief.TL_H),
                "image/png",
            )
        except (RuntimeError, OSError) as exc:  # no Chromium: the HTML brief still works
            st.warning(md_escape(str(exc)))
        st.session_state[_MADE] = (key, files)
    made = st.session_state.get(_MADE)
    if made and made[0] == key:
        cols = st.columns(len(made[1]))
        for col, (name, (data, mime)) in zip(cols, made[1].items(), strict=True):
            col.download_button(name, data, name, mime, key=f"brief_{name}")
