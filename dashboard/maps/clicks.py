"""Which event a click on the map chose, from what streamlit-folium sends back.

streamlit-folium reports a click on a marker as ``last_object_clicked``, the marker's
own position (Leaflet gives the exact marker position for circle markers of radius
10 px or less, which is why no marker is bigger; see ``elements.SELECTED_RADIUS``), and
``last_object_clicked_tooltip``, the tooltip's text. Each marker also carries
``eventId`` in its Leaflet options, for browser tests.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.maps.build import located, tooltip_text

#: What st_folium should send back: a click only. Panning and zooming change neither
#: value, so they do not rerun the app. The tooltip tells apart events that share a place.
MAP_RETURNED_OBJECTS = ["last_object_clicked", "last_object_clicked_tooltip"]


def event_at(
    events: pd.DataFrame,
    lat,
    lng,
    tooltip: str | None = None,
    *,
    lang: str | None = None,
    tolerance: float = 1e-4,
    tooltip_tolerance: float = 45.0,
) -> str | None:
    """The event whose marker was clicked, from what st_folium sends back; None if none.

    ``lat``/``lng`` is ``last_object_clicked``: for a marker, its exact position. A
    click on a country or on empty map gives the mouse position, which lies on no
    marker, so a tolerance of about ten metres (``tolerance``, in degrees) is enough
    and keeps such clicks from selecting anything: treat None as "keep the selection".

    ``tooltip`` is ``last_object_clicked_tooltip``: the clicked marker's title, as
    text. It tells apart events at one place, and it finds a marker that MarkerCluster
    has spread out around a shared point ("spiderfied"): such a click reports the
    marker's spread-out position, pixels away from the event, which at low zoom is
    degrees away. So a title match wins over position (``tooltip_tolerance`` only
    keeps a match on the same side of the world), and among events with that title
    the nearest is taken. A cluster bubble has no tooltip, and streamlit-folium then
    repeats the last one; that is the title of the marker last clicked in this map,
    i.e. the event already selected (selecting redraws the map, which clears it).

    Without a usable tooltip, exactly one event within ``tolerance`` is the answer;
    several events at the clicked place (a bubble of co-located events, or a caller
    that drops the tooltip) give None rather than a guess, so the bubble can open.

    Distances are in degrees with longitude scaled by cos(latitude); longitudes are
    compared modulo 360 (``world_copy_jump`` maps report wrapped positions).
    """
    try:
        lat = float(lat)
        lng = float(lng)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    points = located(events)
    if points.empty:
        return None
    dlat = points["latitude"] - lat
    dlng = ((points["longitude"] - lng + 180.0) % 360.0) - 180.0
    dist = (dlat**2 + (dlng * math.cos(math.radians(lat))) ** 2) ** 0.5

    if tooltip:
        wanted = " ".join(str(tooltip).split())
        langs = [lang] if lang else ["en", "ar"]
        matches = points.apply(
            lambda r: any(tooltip_text(r, lg) == wanted for lg in langs), axis=1
        ).astype(bool)
        near = dist[matches & (dist <= tooltip_tolerance)]
        if len(near):
            return str(points.loc[near.idxmin(), "event_id"])
    near = dist[dist <= tolerance]
    if len(near) != 1:
        # Nothing there, or several events at one place and no title to choose between
        # them: that is also what a click on a MarkerCluster bubble looks like, and
        # selecting one would redraw the map before the bubble could open.
        return None
    return str(points.loc[near.index[0], "event_id"])
