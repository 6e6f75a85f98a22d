"""Folium maps of events: pure builders, no Streamlit.

Every piece of text that comes from data (titles, places, publishers, country names,
type labels) goes through ``escape.safe_text`` before it reaches the map, and links
through ``escape.safe_url``; the elements that carry it are in ``elements``. The map's
own words are strings.MAP_WORDS; the outlines it draws are served as static files
(``static_assets.ensure_outlines``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import folium
import pandas as pd
from folium.plugins import MarkerCluster

from dashboard.geo import to_wgs84
from dashboard.maps.basemap import city_rows
from dashboard.maps.elements import (
    CITY_CSS,
    CLUSTER_ICON_JS,
    CityLabels,
    CountryShapes,
    EventCells,
    EventMarkers,
    HtmlControl,
    LeafletWords,
    Style,
    ViewportInLink,
)
from dashboard.maps.escape import is_missing, safe_text, safe_url
from dashboard.palette import TYPE_COLORS
from dashboard.palette import UNKNOWN_TYPE_COLOR as _UNKNOWN_TYPE_COLOR
from dashboard.static_assets import (
    EXTENT_SIDES,
    STATIC_URL_BASE,
    admin1_url,
    outlines_url,
    use_local_assets,
)
from dashboard.strings import date_text, map_words

if TYPE_CHECKING:
    import geopandas as gpd

#: Sequential scale of the choropleth (events per country), light to dark.
CHOROPLETH_COLORS = ("#eef1f6", "#d3dbe8", "#b3c0d6", "#8f9fbe", "#6c7fa4", "#4b5f86")

MAX_ZOOM = 18


def _field(row: Mapping, name: str, default=None):
    value = row.get(name, default)
    return default if is_missing(value) else value


def _title(row: Mapping, lang: str) -> str:
    english = str(_field(row, "title", "") or "").strip()
    arabic = str(_field(row, "title_ar", "") or "").strip()
    if lang == "ar":
        return arabic or english or str(_field(row, "event_id", ""))
    return english or arabic or str(_field(row, "event_id", ""))


def tooltip_text(row: Mapping, lang: str = "en") -> str:
    """What a marker's tooltip says, as plain text (before escaping): its title."""
    return " ".join(_title(row, lang).split())


def _first_source(row: Mapping) -> Mapping | None:
    sources = row.get("sources")
    if sources is None or isinstance(sources, (str, bytes)):
        return None
    try:
        items = list(sources)
    except TypeError:
        return None
    for item in items:
        if isinstance(item, Mapping):
            return item
    return None


def _location_text(row: Mapping, country_names: Mapping[str, str], lang: str) -> str:
    parts = []
    for value in (
        _field(row, "location"),
        _field(row, "admin1"),
        country_names.get(str(_field(row, "country", ""))),
    ):
        text = str(value).strip() if value is not None else ""
        if text and text not in parts:
            parts.append(text)
    return ("، " if lang == "ar" else ", ").join(parts)


def popup_html(
    row: Mapping,
    *,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    country_names: Mapping[str, str] | None = None,
) -> str:
    """The popup of one event, as HTML in which every data value is escaped."""
    ui = map_words(lang)
    event_type = str(_field(row, "event_type", "other"))
    type_label = (labels or {}).get(event_type, event_type)
    rows: list[tuple[str, str]] = []
    date = date_text(
        _field(row, "event_date"),
        _field(row, "end_date"),
        str(_field(row, "date_precision", "day")),
        lang,
    )
    if date:
        rows.append((ui["date"], safe_text(date)))
    rows.append((ui["type"], safe_text(type_label)))
    location = _location_text(row, country_names or {}, lang)
    if location:
        rows.append((ui["location"], safe_text(location)))
    fatalities = _field(row, "fatalities")
    if fatalities is not None:
        rows.append((ui["fatalities"], safe_text(fatalities)))
    source = _first_source(row)
    if source is not None:
        url = safe_url(source.get("url"))
        name = _field(source, "publisher") or (url or "")
        if url:
            rows.append(
                (
                    ui["source"],
                    f'<a href="{safe_text(url)}" target="_blank" rel="noopener noreferrer">'
                    f"{safe_text(name)}</a>",
                )
            )
        elif name:
            rows.append((ui["source"], safe_text(name)))

    direction = "rtl" if lang == "ar" else "ltr"
    # Looks come from _POPUP_CSS, in the page header: a few thousand popups travel light.
    parts = [f'<div class="event-popup" dir="{direction}">']
    parts.append(f'<div class="ep-title">{safe_text(_title(row, lang))}</div>')
    if str(_field(row, "verification", "")) == "unverified":
        parts.append(f'<span class="ep-unverified">{safe_text(ui["unverified"])}</span>')
    parts.append("<table>")
    for label, value in rows:
        parts.append(f"<tr><th>{safe_text(label)}</th><td>{value}</td></tr>")
    parts.append("</table></div>")
    return "".join(parts)


_POPUP_CSS = (
    ".event-popup{width:20em;max-width:100%;overflow-wrap:anywhere}"
    ".event-popup .ep-title{font-weight:600;margin-bottom:4px}"
    ".event-popup .ep-unverified{display:inline-block;padding:0 4px;margin-bottom:4px;"
    "border:1px solid #b35c00;color:#b35c00;border-radius:3px;font-size:90%}"
    ".event-popup table{border-collapse:collapse;width:100%}"
    ".event-popup th{text-align:start;width:6em;padding-inline-end:6px;vertical-align:top;"
    "font-weight:normal;color:#555}"
)


_SEA = "#dbe6ef"
_LAND = "#fbfaf7"


def _legend(
    types: Iterable[str],
    *,
    lang: str,
    labels: Mapping[str, str] | None,
    colors: Mapping[str, str],
    max_count: int | None,
) -> HtmlControl:
    ui = map_words(lang)
    direction = "rtl" if lang == "ar" else "ltr"
    entries = []
    rows = []
    for event_type in types:
        label = (labels or {}).get(event_type, event_type)
        color = colors.get(event_type, _UNKNOWN_TYPE_COLOR)
        entries.append((event_type, label, color))
        rows.append(
            '<div style="display:flex;align-items:center;gap:6px;line-height:1.5">'
            f'<span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
            f'border:1px solid #222;background:{safe_text(color)}"></span>'
            f"<span>{safe_text(label)}</span></div>"
        )
    if max_count:
        swatches = "".join(
            f'<span style="display:inline-block;width:14px;height:10px;background:{c}"></span>'
            for c in CHOROPLETH_COLORS
        )
        rows.append(
            f'<div style="margin-top:6px">{safe_text(ui["per_country"])}</div>'
            f'<div style="display:flex;align-items:center;gap:4px" dir="ltr">'
            f"<span>1</span><span>{swatches}</span><span>{safe_text(max_count)}</span></div>"
        )
    box = (
        f'<div dir="{direction}" style="background:rgba(255,255,255,.92);padding:6px 8px;'
        'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;max-width:14em">'
        f'<div style="font-weight:600;margin-bottom:2px">{safe_text(ui["legend"])}</div>'
        + "".join(rows)
        + "</div>"
    )
    control = HtmlControl(box, position="bottomleft" if lang == "ar" else "bottomright")
    control.entries = entries
    return control


def _country_names(boundaries: gpd.GeoDataFrame | None, lang: str) -> dict[str, str]:
    if boundaries is None or "iso3" not in boundaries:
        return {}
    blank = pd.Series("", index=boundaries.index)
    names: dict[str, str] = {}
    for code, english, arabic in zip(
        boundaries["iso3"],
        boundaries.get("name_en", blank),
        boundaries.get("name_ar", blank),
        strict=True,
    ):
        english = "" if is_missing(english) else english
        arabic = "" if is_missing(arabic) else arabic
        name = (arabic or english) if lang == "ar" else (english or arabic)
        names[str(code)] = str(name or code)
    return names


def _scale_color(count: int, max_count: int) -> str:
    """Log scale: one event already shows, and one big country does not wash out the rest."""
    if count <= 0 or max_count <= 0:
        return CHOROPLETH_COLORS[0]
    share = math.log1p(count) / math.log1p(max_count)
    index = min(len(CHOROPLETH_COLORS) - 1, int(share * (len(CHOROPLETH_COLORS) - 1) + 0.5))
    return CHOROPLETH_COLORS[max(1, index)]


_LAND_PANE = "countryOutlines"
_COUNTS_PANE = "countryCounts"


def _choropleth_counts(
    country_counts: pd.DataFrame, boundaries: gpd.GeoDataFrame, names: dict
) -> tuple[dict, int]:
    """iso3 -> [events, fill, name] for the countries with events and an outline."""
    counts = country_counts[["iso3", "events"]].copy()
    counts["iso3"] = counts["iso3"].astype(str)
    counts["events"] = pd.to_numeric(counts["events"], errors="coerce").fillna(0).astype(int)
    counts = counts[counts["events"] > 0].groupby("iso3", as_index=False)["events"].sum()
    counts = counts[counts["iso3"].isin(set(boundaries["iso3"]))]
    if counts.empty:
        return {}, 0
    max_count = int(counts["events"].max())
    return {
        code: [int(n), _scale_color(int(n), max_count), names.get(code, code)]
        for code, n in zip(counts["iso3"], counts["events"], strict=True)
    }, max_count


def located(events: pd.DataFrame) -> pd.DataFrame:
    if events is None or events.empty or not {"latitude", "longitude"} <= set(events.columns):
        return pd.DataFrame(columns=["event_id", "latitude", "longitude", "event_type"])
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lng = pd.to_numeric(events["longitude"], errors="coerce")
    ok = lat.between(-90, 90) & lng.between(-180, 180)
    out = events[ok].copy()
    out["latitude"] = lat[ok].astype(float)
    out["longitude"] = lng[ok].astype(float)
    return out.reset_index(drop=True)


def _marker_row(
    row: Mapping,
    *,
    lang: str,
    labels: Mapping[str, str] | None,
    colors: Mapping[str, str],
    names: Mapping[str, str],
) -> dict:
    return {
        "id": str(_field(row, "event_id", "")),
        "lat": float(row["latitude"]),
        "lng": float(row["longitude"]),
        "color": colors.get(str(_field(row, "event_type", "other")), _UNKNOWN_TYPE_COLOR),
        "tooltip": safe_text(tooltip_text(row, lang)),
        "popup": popup_html(row, lang=lang, labels=labels, country_names=names),
    }


def cell_rows(
    cells: pd.DataFrame, *, lang: str = "en", colors: Mapping[str, str] | None = None
) -> list[dict]:
    """Rows for :class:`elements.EventCells`: radius grows with the square root of the count."""
    colors = {**TYPE_COLORS, **(colors or {})}
    placed = located(cells)
    if placed.empty:
        return []
    counts = pd.to_numeric(placed["events"], errors="coerce").fillna(0).astype(int)
    top = max(1, int(counts.max()))
    word = map_words(lang)["events"]
    rows = []
    for (_, row), n in zip(placed.iterrows(), counts, strict=True):
        rows.append(
            {
                "lat": round(float(row["latitude"]), 4),
                "lng": round(float(row["longitude"]), 4),
                "n": int(n),
                "r": round(3 + 17 * math.sqrt(n / top), 1),
                "color": colors.get(str(_field(row, "event_type", "other")), _UNKNOWN_TYPE_COLOR),
                "tooltip": safe_text(f"{word}: {int(n):,}"),
            }
        )
    return rows


def build_event_map(
    events: pd.DataFrame,
    country_counts: pd.DataFrame | None,
    boundaries: pd.DataFrame,
    *,
    lang: str = "en",
    center=None,
    zoom=None,
    tiles: bool = False,
    selected_id: str | None = None,
    cluster_threshold: int = 50,
    type_colors: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    asset_base: str = STATIC_URL_BASE,
    cells: pd.DataFrame | None = None,
    viewport_in_link: bool = False,
    outlines: str | None = None,
    context: bool = True,
) -> folium.Map:
    """A map of events that draws with no internet: outlines, counts per country, markers.

    ``center``/``zoom`` restore a shared viewport; without them the map fits the
    events (or, with none, the countries with events). ``labels`` translates event
    types for the popup and legend. ``asset_base`` is where Leaflet is served
    (``static_assets``). ``cells`` (latitude, longitude, events, event_type) draws
    counts per grid cell instead of events, for when too many match to draw each.
    ``outlines`` is the URL the browser fetches the drawn outlines from
    (:func:`outlines_url` by default); ``boundaries`` gives names, extents and which
    countries have an outline: outlines (a GeoDataFrame) or :func:`country_frame`.
    ``context`` draws the province lines and the labelled cities (``basemap``) under the
    events.
    """
    outlines = outlines or outlines_url(asset_base)
    colors = {**TYPE_COLORS, **(type_colors or {})}
    names = _country_names(boundaries, lang)
    points = located(events)
    ui = map_words(lang)

    cell_layer = cell_rows(cells, lang=lang, colors=colors) if cells is not None else []
    extent = located(cells) if cell_layer else points
    bounds = None if center is not None else _fit_bounds(extent, boundaries, country_counts)
    if center is None and zoom is not None and bounds is not None:
        center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(
        location=list(center) if center is not None else [25.0, 20.0],
        zoom_start=int(zoom) if zoom is not None else (5 if center is not None else 2),
        tiles=None,
        # Leaflet takes maxZoom from tile layers; with none, MarkerCluster refuses to run.
        # (folium's own max_zoom only reaches its tile layer, hence the Leaflet names).
        minZoom=1,
        maxZoom=MAX_ZOOM,
        control_scale=True,
        world_copy_jump=True,
    )
    m.add_child(
        Style(
            f".leaflet-container {{ background: {_SEA}; }}"
            " .event-legend { direction: inherit; }"
            " .leaflet-tooltip, .leaflet-popup-content { unicode-bidi: plaintext; }"
            # A long title wraps inside the map instead of running past its edge.
            " .leaflet-tooltip { white-space: normal; width: max-content; max-width: 18em; }"
            + _POPUP_CSS
            + CITY_CSS
        )
    )
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name=ui["tiles"], overlay=True, control=True, show=True
        ).add_to(m)
    if boundaries is not None and len(boundaries):
        m.add_child(folium.map.CustomPane(_LAND_PANE, z_index=150, pointer_events=False))
        land = {"color": "#9a9a9a", "weight": 0.6, "fillColor": _LAND, "fillOpacity": 1.0}
        m.add_child(CountryShapes(outlines, style=land, pane=_LAND_PANE))
    if context:
        provinces = admin1_url(asset_base)
        if provinces is not None:
            # Province lines: thin and dashed, under the events, over the land.
            lines = {"color": "#a8a8a8", "weight": 0.7, "dashArray": "3 3", "opacity": 0.9}
            m.add_child(CountryShapes(provinces, style=lines, pane=_LAND_PANE))
        m.add_child(CityLabels(city_rows(lang)))

    max_count = None
    choropleth = None
    if country_counts is not None and boundaries is not None and len(country_counts):
        counted, max_count = _choropleth_counts(country_counts, boundaries, names)
        if counted:
            # Light (a wash, not a fill): the filtered country must not go dark under its
            # markers. Its own pane under the markers': the shapes arrive after the markers and
            # would otherwise be drawn over them and take their clicks.
            m.add_child(folium.map.CustomPane(_COUNTS_PANE, z_index=350))
            choropleth = folium.FeatureGroup(name=ui["per_country"])
            # Subtle: the filtered country is tinted, its cities and events stay readable.
            style = {"color": "#8f9fbe", "weight": 0.8, "fillOpacity": 0.15 if tiles else 0.2}
            choropleth.add_child(
                CountryShapes(
                    outlines,
                    counts=counted,
                    style=style,
                    words=(ui["country"], ui["events"]),
                    pane=_COUNTS_PANE,
                )
            )
            choropleth.add_to(m)

    def marker_row(row):
        return _marker_row(row, lang=lang, labels=labels, colors=colors, names=names)

    selected_rows = []
    ordinary = []
    for _, row in points.iterrows():
        if selected_id is not None and str(row.get("event_id")) == str(selected_id):
            selected_rows.append(marker_row(row))
        else:
            ordinary.append(marker_row(row))

    if ordinary:
        if len(points) > cluster_threshold:
            group = MarkerCluster(
                name=ui["markers"],
                icon_create_function=CLUSTER_ICON_JS,
                show_coverage_on_hover=False,
                max_cluster_radius=40,
                chunked_loading=True,
            )
        else:
            group = folium.FeatureGroup(name=ui["markers"])
        group.add_child(EventMarkers(ordinary))
        group.add_to(m)
    if cell_layer:
        m.add_child(EventCells(cell_layer))
    if selected_rows:
        # Outside any cluster and added last, so it is on top and never hidden in a bubble.
        m.add_child(EventMarkers(selected_rows, selected=True))

    present = [t for t in colors if t in set(points.get("event_type", pd.Series(dtype=str)))]
    present += sorted(
        {str(t) for t in points.get("event_type", pd.Series(dtype=str)).dropna()} - set(present)
    )
    if present or max_count:
        m.add_child(_legend(present, lang=lang, labels=labels, colors=colors, max_count=max_count))
    if viewport_in_link:
        m.add_child(ViewportInLink())
    if lang == "ar":
        m.add_child(LeafletWords(lang))

    if tiles or choropleth is not None:
        folium.LayerControl(collapsed=True).add_to(m)

    if center is None and bounds is not None:
        m.fit_bounds(bounds, max_zoom=7, padding=(20, 20))

    return use_local_assets(m, asset_base)


def _fit_bounds(points: pd.DataFrame, boundaries, country_counts) -> list | None:
    """The events' extent, else that of the countries with events, else None (world view)."""
    if len(points):
        return [
            [float(points["latitude"].min()), float(points["longitude"].min())],
            [float(points["latitude"].max()), float(points["longitude"].max())],
        ]
    if boundaries is None or country_counts is None or not len(country_counts):
        return None
    counted = set(
        country_counts.loc[pd.to_numeric(country_counts["events"], errors="coerce") > 0, "iso3"]
    )
    shapes = boundaries[boundaries["iso3"].isin(counted)]
    if shapes.empty:
        return None
    if set(EXTENT_SIDES) <= set(shapes.columns):  # country_frame: extents, no geometry
        return [
            [float(shapes["south"].min()), float(shapes["west"].min())],
            [float(shapes["north"].max()), float(shapes["east"].max())],
        ]
    minx, miny, maxx, maxy = to_wgs84(shapes).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]
