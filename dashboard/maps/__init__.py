"""Folium maps of events, no Streamlit: one module per concern.

- ``build``: the map builder (:func:`build_event_map`), popups, legend, choropleth
- ``elements``: the Leaflet elements it assembles (markers, cells, outlines, words)
- ``escape``: escaping of data text for HTML, links and scripts (the table uses it too)
- ``clicks``: which event a click chose (:func:`event_at`)

Outline files are served with the other static assets (dashboard.static_assets); the
map's words are in dashboard.strings.
"""

from dashboard.maps.build import (
    CHOROPLETH_COLORS,
    MAX_ZOOM,
    TYPE_COLORS,
    build_event_map,
    cell_rows,
    popup_html,
    tooltip_text,
)
from dashboard.maps.clicks import MAP_RETURNED_OBJECTS, event_at
from dashboard.maps.elements import (
    CountryShapes,
    EventCells,
    EventMarkers,
    HtmlControl,
    LeafletWords,
    ViewportInLink,
    bind_popup,
    bind_tooltip,
)
from dashboard.maps.escape import js_json, safe_text, safe_url

__all__ = [
    "CHOROPLETH_COLORS",
    "MAP_RETURNED_OBJECTS",
    "MAX_ZOOM",
    "TYPE_COLORS",
    "CountryShapes",
    "EventCells",
    "EventMarkers",
    "HtmlControl",
    "LeafletWords",
    "ViewportInLink",
    "bind_popup",
    "bind_tooltip",
    "build_event_map",
    "cell_rows",
    "event_at",
    "js_json",
    "popup_html",
    "safe_text",
    "safe_url",
    "tooltip_text",
]
