"""The Map page's side list: the events in the map's viewport, newest first, as plain text
with a link to each event page (Liveuamap's side feed).

The map sends its bounds back after every pan or zoom (a rerun); the list is asked from
the query engine for that box (``EventQuery.events_in_view``). For the map itself not to
be redrawn by that rerun, it is built from an *anchor*: the viewport it had when its
filters, language, layers or selection last changed. A redraw is only needed then, and it
starts from wherever the user had moved the map (the address bar holds it).
"""

from __future__ import annotations

import streamlit as st

from dashboard.filters import Filters, ViewState
from dashboard.maps.escape import is_missing
from dashboard.strings import count_events, t, type_label
from dashboard.text import md_escape

from . import resources

_ANCHOR = "_map_anchor"
#: Lines in the list; more in view and the list says how many it leaves out.
LIST_LIMIT = 50
#: A title wraps onto as many lines as it needs (a page link keeps to one by default, and
#: the column is narrow). Fixed CSS, no data in it.
_LIST_CSS = (
    "<style>.st-key-map_in_view [data-testid='stPageLink-NavLink'] p,"
    ".st-key-map_in_view [data-testid='stPageLink-NavLink'] span"
    "{white-space:normal;overflow:visible;text-overflow:clip;font-weight:600}"
    ".st-key-map_in_view [data-testid='stPageLink-NavLink']{height:auto}</style>"
)


def anchor(state: ViewState, tiles: bool) -> tuple[list[float] | None, int | None]:
    """(centre, zoom) to build the main map from: the same as on the last run while only
    the viewport has changed since, so the map is not redrawn under the user's hand."""
    what = (state.filters, state.lang, state.event, tiles)
    held = st.session_state.get(_ANCHOR)
    if held is None or held[0] != what:
        center = [state.lat, state.lon] if state.lat is not None else None
        held = (what, center, state.zoom)
        st.session_state[_ANCHOR] = held
    return held[1], held[2]


def bounds_of(result) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) from what st_folium sent back, or None."""
    try:
        box = (result or {})["bounds"]
        south, west = box["_southWest"]["lat"], box["_southWest"]["lng"]
        north, east = box["_northEast"]["lat"], box["_northEast"]["lng"]
        values = tuple(float(v) for v in (south, west, north, east))
    except (KeyError, TypeError, ValueError):
        return None
    return values if values[0] < values[2] and values[1] < values[3] else None


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


@st.cache_data(show_spinner=False, max_entries=128)
def _in_view(version: tuple, f: Filters, bounds, limit: int):
    return resources.query().events_in_view(f, bounds, limit=limit)


def events_in_view(state: ViewState, bounds) -> None:
    """The list beside the map. Every value from data is shown as text: titles through
    md_escape in a page link's label, dates and types with st.text."""
    from .urlsync import event_params
    from .views import event_date_text, title_text

    lang = state.lang
    # Rounded, so a pan of a pixel or two reuses the answer.
    key = None if bounds is None else tuple(round(v, 3) for v in bounds)
    rows, total = _in_view(resources.version(), state.filters, key, LIST_LIMIT)
    with st.container(key="map_in_view"):
        st.html(_LIST_CSS)
        st.markdown(f"**{t('map_in_view', lang, events=count_events(total, lang))}**")
        if not total:
            st.caption(t("map_in_view_none", lang))
            return
        if total > len(rows):
            st.caption(t("map_in_view_more", lang, shown=f"{len(rows):,}"))
        with st.container(height=520, border=False):
            for row in rows.to_dict("records"):
                title = title_text(_text(row["title"]), _text(row["title_ar"]), lang)
                with st.container(border=True, key=f"in_view_{row['event_id']}"):
                    st.page_link(
                        "pages/event.py",
                        label=md_escape(title) or row["event_id"],
                        query_params=event_params(row["event_id"], state),
                    )
                    st.text(f"{event_date_text(row, lang)} · {type_label(row['event_type'], lang)}")
