"""Folium maps of events: pure builders, no Streamlit.

Safety. Every piece of text that comes from data (titles, places, publishers, country
names, type labels) goes through ``safe_text`` before it reaches the map, and links
through ``safe_url``. On top of that, popups, tooltips and the legend are bound with
small Leaflet snippets that carry their HTML as a JSON string (``tojson`` escapes
``<``, ``>``, ``&`` and quotes), instead of folium's ``Popup``/``Tooltip``, which paste
the HTML into a JavaScript template literal (and whose ``Popup`` needs jQuery, which
is not served offline; see ``static_assets``).

Clicks. streamlit-folium reports a click on a marker as ``last_object_clicked``, the
marker's own position (Leaflet gives the exact marker position for circle markers of
radius 10 px or less, which is why no marker here is bigger), and
``last_object_clicked_tooltip``, the tooltip's text. ``event_at`` maps those back to an
event id. Each marker also carries ``eventId`` in its Leaflet options, for browser tests.

Size. All markers of a layer are one ``EventMarkers`` element (a JSON array and a loop),
so a map of thousands of events builds and reaches the browser quickly.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import folium
import pandas as pd
from folium.plugins import MarkerCluster
from folium.template import Environment, Template

from .palette import TYPE_COLORS
from .palette import UNKNOWN_TYPE_COLOR as _UNKNOWN_TYPE_COLOR
from .static_assets import STATIC_URL_BASE, use_local_assets
from .strings import date_text

if TYPE_CHECKING:
    import geopandas as gpd

#: Sequential scale of the choropleth (events per country), light to dark.
CHOROPLETH_COLORS = ("#eef1f6", "#d3dbe8", "#b3c0d6", "#8f9fbe", "#6c7fa4", "#4b5f86")

#: What st_folium should send back: a click only. Panning and zooming change neither
#: value, so they do not rerun the app. The tooltip tells apart events that share a place.
MAP_RETURNED_OBJECTS = ["last_object_clicked", "last_object_clicked_tooltip"]

MARKER_RADIUS = 6
MAX_ZOOM = 18
SELECTED_RADIUS = 10  # Leaflet reports the marker's own position only up to 10 px

_UI = {
    "en": {
        "date": "Date",
        "type": "Type",
        "location": "Location",
        "source": "Source",
        "fatalities": "Fatalities",
        "unverified": "unverified",
        "legend": "Event type",
        "country": "Country",
        "events": "Events",
        "per_country": "Events per country",
        "countries": "Countries",
        "markers": "Events",
        "tiles": "OpenStreetMap",
    },
    "ar": {
        "date": "التاريخ",
        "type": "النوع",
        "location": "المكان",
        "source": "المصدر",
        "fatalities": "القتلى",
        "unverified": "غير موثّق",
        "legend": "نوع الحدث",
        "country": "البلد",
        "events": "الأحداث",
        "per_country": "الأحداث حسب البلد",
        "countries": "البلدان",
        "markers": "الأحداث",
        "tiles": "OpenStreetMap",
        "zoom_in": "تكبير",
        "zoom_out": "تصغير",
        "layers": "الطبقات",
    },
}


# --------------------------------------------------------------------------- text


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return missing is True or (isinstance(missing, bool) and missing)


def safe_text(value) -> str:
    """Text from data, made inert for HTML and for a JavaScript template literal.

    HTML escaping alone is not enough where folium writes HTML into a template
    literal (``Tooltip``, ``Popup``, ``GeoJsonTooltip`` aliases): ``${...}`` and a
    backtick would still run, and a backslash would change what follows. They become
    HTML entities, which a browser shows as the same characters.
    """
    if _is_missing(value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


_ALLOWED_SCHEMES = {"http", "https"}
_EMBEDDED_WS = re.compile(r"[\t\n\r]")  # browsers delete these anywhere in a URL
_EDGE_JUNK = "".join(chr(c) for c in range(0x21))  # and strip C0 controls and spaces at the ends
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"'<>`\\]")


def safe_url(url) -> str | None:
    """An http(s) link fit for an ``href``, or None.

    Cleans the way a browser would before it decides the scheme (tabs and newlines
    removed anywhere, controls and spaces trimmed at the ends), so ``java\\tscript:``
    cannot sneak through, then accepts only http/https with a host. A URL that still
    holds a space, a control, a quote, an angle bracket, a backtick or a backslash
    is refused rather than repaired. The result is not escaped: escape it where used.
    """
    if not isinstance(url, str):
        return None
    cleaned = _EMBEDDED_WS.sub("", url).strip(_EDGE_JUNK)
    if not cleaned or len(cleaned) > 2048 or _FORBIDDEN.search(cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not parts.hostname:
        return None
    return cleaned


# --------------------------------------------------------------------------- event fields


def _field(row: Mapping, name: str, default=None):
    value = row.get(name, default)
    return default if _is_missing(value) else value


def _ui(lang: str) -> dict[str, str]:
    return _UI.get(lang, _UI["en"])


def format_event_date(event_date, end_date=None, precision: str = "day", lang: str = "en") -> str:
    """The date as precise as the source: month precision reads "January 2022", never a day."""
    return date_text(event_date, end_date, precision or "day", lang)


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
    ui = _ui(lang)
    event_type = str(_field(row, "event_type", "other"))
    type_label = (labels or {}).get(event_type, event_type)
    rows: list[tuple[str, str]] = []
    date = format_event_date(
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


# --------------------------------------------------------------------------- Leaflet snippets


_OPEN, _CLOSE = "\ue000", "\ue001"


def js_json(value) -> str:
    """JSON for a <script>, safe twice over.

    Like Jinja's tojson it escapes < > & ' so text cannot close the script; it also
    escapes { and } inside strings, because branca feeds each rendered script through
    Jinja a second time: a stranger's "{{ ... }}" would otherwise be evaluated on the
    server or break the whole map.
    """

    def prepare(item):
        if isinstance(item, str):
            item = item.replace(_OPEN, "").replace(_CLOSE, "")
            return item.replace("{", _OPEN).replace("}", _CLOSE)
        if isinstance(item, dict):
            return {prepare(k): prepare(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [prepare(v) for v in item]
        return item

    text = json.dumps(prepare(value), ensure_ascii=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        (_OPEN, "\\u007b"),
        (_CLOSE, "\\u007d"),
    ):
        text = text.replace(raw, escaped)
    return text


class _SafeEnvironment(Environment):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tojson"] = js_json


class _SafeTemplate(Template):
    """Templates of this module: their ``tojson`` is :func:`js_json`."""

    environment_class = _SafeEnvironment


class _BindHtml(folium.MacroElement):
    """A popup or tooltip whose HTML travels as a JSON string, not inside a template literal.

    The popup content is a DOM element so that streamlit-folium can read its text.
    """

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        {%- if this.kind == "popup" %}
            var {{ this.get_name() }} = L.DomUtil.create("div");
            {{ this.get_name() }}.innerHTML = {{ this.html|tojson }};
            {{ this._parent.get_name() }}.bindPopup(
                {{ this.get_name() }}, {{ this.options|tojson }});
        {%- else %}
            {{ this._parent.get_name() }}.bindTooltip(
                {{ this.html|tojson }}, {{ this.options|tojson }});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, kind: str, html_text: str, **options):
        super().__init__()
        self._name = "EventPopup" if kind == "popup" else "EventTooltip"
        self.kind = kind
        self.html = html_text
        self.options = options


def bind_popup(layer: folium.MacroElement, html_text: str, **options) -> None:
    """Attach a popup of already escaped HTML to a folium layer (works offline, no jQuery)."""
    layer.add_child(_BindHtml("popup", html_text, **options))


def bind_tooltip(layer: folium.MacroElement, html_text: str, **options) -> None:
    """Attach a tooltip of already escaped HTML to a folium layer."""
    layer.add_child(_BindHtml("tooltip", html_text, **options))


class HtmlControl(folium.MacroElement):
    """A corner box of already escaped HTML (the legend)."""

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var box = L.DomUtil.create("div", "event-legend");
                box.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(box);
                return box;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position
        self.entries: list[tuple[str, str, str]] = []


class _Style(folium.MacroElement):
    """CSS in the page header (streamlit-folium passes header styles on)."""

    _template = _SafeTemplate(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        """
    )

    def __init__(self, css: str):
        super().__init__()
        self._name = "Style"
        self.css = css


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
    ui = _ui(lang)
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


# --------------------------------------------------------------------------- layers


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        return frame.to_crs(4326)
    return frame


# --------------------------------------------------------------------------- outlines

#: Where the country outlines are served from: written once per version of the outline
#: file (:func:`ensure_outlines`), fetched once per browser. Inlined, they made every map
#: 0.9 MB and every rerun that drew one about 0.3 s slower (three render passes).
OUTLINES_FOLDER = "outlines"


@lru_cache(maxsize=1)
def _outlines_stamp() -> str:
    from . import geo

    digest = hashlib.sha256(Path(geo.BOUNDARIES_GEOJSON).read_bytes())
    digest.update(f"display tolerance {geo.DISPLAY_TOLERANCE}; iso3 + geometry".encode())
    return digest.hexdigest()[:16]


def outlines_url(base: str = STATIC_URL_BASE) -> str:
    return f"{base.rstrip('/')}/{OUTLINES_FOLDER}/{_outlines_stamp()}.geojson"


def outlines_geojson(boundaries: gpd.GeoDataFrame) -> str:
    """A FeatureCollection of ``iso3`` and geometry, written by shapely's vectorised writer
    (GeoDataFrame.to_json walks every vertex in Python)."""
    import shapely

    frame = _wgs84(boundaries)
    shapes = shapely.to_geojson(frame.geometry.values)
    features = [
        f'{{"type":"Feature","properties":{{"iso3":{json.dumps(str(code))}}},'
        f'"geometry":{shape or "null"}}}'
        for code, shape in zip(frame["iso3"], shapes, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def ensure_outlines(static_dir: Path) -> Path:
    """Write the drawn outlines under ``static_dir`` unless this version is there already.

    Written to a temporary file and renamed, so a browser never reads half a file.
    """
    from . import geo
    from .export import write_atomic

    path = Path(static_dir) / OUTLINES_FOLDER / f"{_outlines_stamp()}.geojson"
    extents = path.with_suffix(".extents.json")
    if path.exists() and extents.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    shapes = geo.display_boundaries()
    bounds = shapes.geometry.bounds  # minx, miny, maxx, maxy
    box = {
        str(code): [round(float(v), 4) for v in (miny, minx, maxy, maxx)]
        for code, minx, miny, maxx, maxy in zip(
            shapes["iso3"],
            bounds["minx"],
            bounds["miny"],
            bounds["maxx"],
            bounds["maxy"],
            strict=True,
        )
    }
    write_atomic(outlines_geojson(shapes).encode("utf-8"), path)
    write_atomic(json.dumps(box).encode("utf-8"), extents)
    return path


def country_frame(static_dir: Path) -> pd.DataFrame:
    """What a map needs to know of the countries, without geopandas: ``iso3``, names and
    the extent (``south, west, north, east``) of each drawn outline.

    Read from the file :func:`ensure_outlines` writes beside the outlines, so a process
    that finds them written never imports geopandas or simplifies outlines to draw a map.
    """
    from . import geo

    path = ensure_outlines(static_dir).with_suffix(".extents.json")
    box = json.loads(path.read_text(encoding="utf-8"))
    frame = geo.countries()[["iso3", "name_en", "name_ar"]]
    frame = frame[frame["iso3"].isin(box)].reset_index(drop=True)
    sides = pd.DataFrame([box[c] for c in frame["iso3"]], columns=_SIDES)
    return pd.concat([frame, sides], axis=1)


_SIDES = ["south", "west", "north", "east"]


class CountryShapes(folium.MacroElement):
    """Country outlines fetched from the app and drawn into the parent layer.

    ``land``: every country, under the tiles (a pane at z 150 < 200), so the map reads
    with tiles off or offline. Otherwise the choropleth: only the countries in
    ``counts`` (iso3 -> [events, fill colour, name]), with a tooltip built from text
    nodes. The outlines are fetched once per page whichever layers use them.
    """

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (target) {
            var cache = window.__dashboardOutlines = window.__dashboardOutlines || {};
            var url = {{ this.url|tojson }};
            var counts = {{ this.counts|tojson }};
            var land = {{ this.land|tojson }};
            var style = {{ this.style|tojson }};
            var words = {{ this.words|tojson }};
            if (!cache[url]) {
                cache[url] = fetch(url).then(function (r) { return r.json(); });
            }
            cache[url].then(function (world) {
                var options = {style: function (feature) {
                    var c = counts[feature.properties.iso3];
                    return Object.assign({}, style, c ? {fillColor: c[1]} : {});
                }};
                options.pane = {{ this.pane|tojson }};
                if (land) {
                    options.interactive = false;
                } else {
                    options.filter = function (feature) {
                        return Object.prototype.hasOwnProperty.call(
                            counts, feature.properties.iso3);
                    };
                    options.onEachFeature = function (feature, layer) {
                        var c = counts[feature.properties.iso3];
                        var box = document.createElement("div");
                        [[words[0], c[2]], [words[1], c[0].toLocaleString()]].forEach(
                            function (pair) {
                                var line = document.createElement("div");
                                var label = document.createElement("b");
                                label.textContent = pair[0] + ": ";
                                line.appendChild(label);
                                line.appendChild(document.createTextNode(pair[1]));
                                box.appendChild(line);
                            });
                        layer.bindTooltip(box, {sticky: true});
                        layer.on("mouseover", function () {
                            layer.setStyle({weight: 2, color: "#333"});
                        });
                        layer.on("mouseout", function () { layer.setStyle(style); });
                    };
                }
                target.addLayer(L.geoJSON(world, options));
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        url: str,
        *,
        counts: dict | None = None,
        style: dict,
        words: tuple[str, str] = ("", ""),
        pane: str = "overlayPane",
    ):
        super().__init__()
        self._name = "CountryShapes"
        self.url = url
        self.land = counts is None
        self.counts = counts or {}
        self.style = style
        self.words = list(words)
        self.pane = pane


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
        english = "" if _is_missing(english) else english
        arabic = "" if _is_missing(arabic) else arabic
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


def _located(events: pd.DataFrame) -> pd.DataFrame:
    if events is None or events.empty or not {"latitude", "longitude"} <= set(events.columns):
        return pd.DataFrame(columns=["event_id", "latitude", "longitude", "event_type"])
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lng = pd.to_numeric(events["longitude"], errors="coerce")
    ok = lat.between(-90, 90) & lng.between(-180, 180)
    out = events[ok].copy()
    out["latitude"] = lat[ok].astype(float)
    out["longitude"] = lng[ok].astype(float)
    return out.reset_index(drop=True)


class EventMarkers(folium.MacroElement):
    """All event markers of one layer, drawn by one loop over a JSON array.

    One folium element per marker (plus its popup and tooltip) made a 5,000-event map
    take ten seconds to hand to streamlit-folium; one array takes well under one.
    ``rows`` holds, per event: ``id``, ``lat``, ``lng``, ``color``, ``tooltip`` and
    ``popup`` (both already escaped HTML); ``style`` is shared by all of them. Each
    Leaflet marker gets ``eventId`` in its options; popups are built when opened.
    """

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            var style = {{ this.style|tojson }};
            var rows = {{ this.rows|tojson }};
            var markers = rows.map(function (r) {
                var marker = L.circleMarker([r.lat, r.lng], Object.assign(
                    {}, style, {fillColor: r.color, eventId: r.id}));
                marker.bindTooltip(r.tooltip, {direction: "top", sticky: false});
                marker.bindPopup(function () {
                    var box = L.DomUtil.create("div");
                    box.innerHTML = r.popup;
                    return box;
                }, {maxWidth: 360});
                return marker;
            });
            if (typeof group.addLayers === "function") {
                group.addLayers(markers);
            } else {
                markers.forEach(function (marker) { group.addLayer(marker); });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[dict], *, selected: bool = False):
        super().__init__()
        self._name = "EventMarkers"
        self.rows = rows
        self.style = {
            "radius": SELECTED_RADIUS if selected else MARKER_RADIUS,
            "color": "#000000" if selected else "#222222",
            "weight": 3 if selected else 1,
            "opacity": 1.0,
            "fill": True,
            "fillOpacity": 1.0 if selected else 0.85,
            "className": "event-marker-selected" if selected else "event-marker",
        }

    def _get_self_bounds(self):
        if not self.rows:
            return [[None, None], [None, None]]
        lats = [r["lat"] for r in self.rows]
        lngs = [r["lng"] for r in self.rows]
        return [[min(lats), min(lngs)], [max(lats), max(lngs)]]


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


class EventCells(folium.MacroElement):
    """Counts of events in grid cells, one circle per cell, drawn from one JSON array.

    Used when too many events match to draw each (the query engine counts them per
    cell, see ``query.EventQuery.map_layer``): ``rows`` holds ``lat``, ``lng``, ``n``
    (events), ``r`` (radius, px), ``color`` and ``tooltip`` (already escaped text).
    """

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var rows = {{ this.rows|tojson }};
            var style = {{ this.style|tojson }};
            rows.forEach(function (r) {
                L.circleMarker([r.lat, r.lng], Object.assign(
                    {}, style, {radius: r.r, fillColor: r.color, cellCount: r.n}))
                    .bindTooltip(r.tooltip, {direction: "top"})
                    .addTo(map);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[dict]):
        super().__init__()
        self._name = "EventCells"
        self.rows = rows
        self.style = {
            "color": "#222222",
            "weight": 1,
            "opacity": 0.9,
            "fill": True,
            "fillOpacity": 0.6,
            "className": "event-cell",
        }

    def _get_self_bounds(self):
        if not self.rows:
            return [[None, None], [None, None]]
        lats = [r["lat"] for r in self.rows]
        lngs = [r["lng"] for r in self.rows]
        return [[min(lats), min(lngs)], [max(lats), max(lngs)]]


def cell_rows(
    cells: pd.DataFrame, *, lang: str = "en", colors: Mapping[str, str] | None = None
) -> list[dict]:
    """Rows for :class:`EventCells`: radius grows with the square root of the count."""
    colors = {**TYPE_COLORS, **(colors or {})}
    located = _located(cells)
    if located.empty:
        return []
    counts = pd.to_numeric(located["events"], errors="coerce").fillna(0).astype(int)
    top = max(1, int(counts.max()))
    word = _ui(lang)["events"]
    rows = []
    for (_, row), n in zip(located.iterrows(), counts, strict=True):
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


# --------------------------------------------------------------------------- the map


class ViewportInLink(folium.MacroElement):
    """Writes the map's centre and zoom into the page's address bar as the user pans.

    Panning must not rerun the app (st_folium returns only clicks), yet a shared link
    must hold the viewport: the map's own script rewrites lat/lon/zoom in the top
    window's URL with history.replaceState. The server learns them when the link is
    opened; a rerun that redraws the map (a filter change) fits the map anew and the
    script writes that view. Fixed code: no data is interpolated.
    """

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            function write() {
                try {
                    var top = window.parent;
                    var url = new URL(top.location.href);
                    var c = map.getCenter();
                    url.searchParams.set("lat", c.lat.toFixed(4));
                    url.searchParams.set("lon", c.lng.toFixed(4));
                    url.searchParams.set("zoom", String(map.getZoom()));
                    top.history.replaceState(top.history.state, "", url.toString());
                } catch (e) { /* another origin: keep the viewport out of the link */ }
            }
            map.on("moveend", write);
        })();
        {% endmacro %}
        """
    )


class LeafletWords(folium.MacroElement):
    """Leaflet's own words in the map's language: the zoom buttons, the layer control's
    button, the attribution prefix without its English tooltip, kilometres only on the
    scale. Fixed code; the words come from this module's table, never from data."""

    _template = _SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var words = {{ this.words|tojson }};
            function name(el, text) {
                if (el) { el.title = text; el.setAttribute("aria-label", text); }
            }
            if (map.zoomControl) {
                name(map.zoomControl._zoomInButton, words.zoom_in);
                name(map.zoomControl._zoomOutButton, words.zoom_out);
            }
            if (map.attributionControl) {
                map.attributionControl.setPrefix(
                    '<a href="https://leafletjs.com" lang="en">Leaflet</a>');
            }
            function layers() {
                var container = map.getContainer();
                name(container.querySelector(".leaflet-control-layers-toggle"), words.layers);
            }
            layers();
            setTimeout(layers, 0);  // the layer control is added after this element
            // Kilometres only: miles are an English habit (unit symbols stay Latin, as
            // on printed Arabic maps).
            var lines = map.getContainer().querySelectorAll(".leaflet-control-scale-line");
            if (lines.length > 1) { lines[1].style.display = "none"; }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "LeafletWords"
        ui = _ui(lang)
        self.words = {k: ui[k] for k in ("zoom_in", "zoom_out", "layers")}


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
    """
    outlines = outlines or outlines_url(asset_base)
    colors = {**TYPE_COLORS, **(type_colors or {})}
    names = _country_names(boundaries, lang)
    points = _located(events)
    ui = _ui(lang)

    cell_layer = cell_rows(cells, lang=lang, colors=colors) if cells is not None else []
    extent = _located(cells) if cell_layer else points
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
        _Style(
            f".leaflet-container {{ background: {_SEA}; }}"
            " .event-legend { direction: inherit; }"
            " .leaflet-tooltip, .leaflet-popup-content { unicode-bidi: plaintext; }" + _POPUP_CSS
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

    max_count = None
    choropleth = None
    if country_counts is not None and boundaries is not None and len(country_counts):
        counted, max_count = _choropleth_counts(country_counts, boundaries, names)
        if counted:
            # Its own pane under the markers': the shapes arrive after the markers and
            # would otherwise be drawn over them and take their clicks.
            m.add_child(folium.map.CustomPane(_COUNTS_PANE, z_index=350))
            choropleth = folium.FeatureGroup(name=ui["per_country"])
            style = {"color": "#6c7fa4", "weight": 0.8, "fillOpacity": 0.55 if tiles else 0.75}
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
    if set(_SIDES) <= set(shapes.columns):  # country_frame: extents, no geometry
        return [
            [float(shapes["south"].min()), float(shapes["west"].min())],
            [float(shapes["north"].max()), float(shapes["east"].max())],
        ]
    minx, miny, maxx, maxy = _wgs84(shapes).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


# --------------------------------------------------------------------------- clicks


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
    points = _located(events)
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
