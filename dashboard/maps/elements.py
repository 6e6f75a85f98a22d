"""The Leaflet elements the map builder puts together, each a small fixed script.

Safety. Popups, tooltips and the legend are bound with small Leaflet snippets that
carry their HTML as a JSON string (``tojson`` here is :func:`escape.js_json`, which
escapes ``<``, ``>``, ``&``, quotes and braces), instead of folium's ``Popup``/``Tooltip``,
which paste the HTML into a JavaScript template literal (and whose ``Popup`` needs
jQuery, which is not served offline; see ``static_assets``). No element interpolates
data into code: what comes from data travels as JSON.

Size. All markers of a layer are one :class:`EventMarkers` element (a JSON array and a
loop), so a map of thousands of events builds and reaches the browser quickly.
"""

from __future__ import annotations

import folium
from folium.template import Environment, Template

from dashboard.maps.escape import js_json
from dashboard.strings import map_words

MARKER_RADIUS = 6
SELECTED_RADIUS = 10  # Leaflet reports the marker's own position only up to 10 px


class _SafeEnvironment(Environment):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["tojson"] = js_json


class SafeTemplate(Template):
    """Templates of this module: their ``tojson`` is :func:`js_json`."""

    environment_class = _SafeEnvironment


class _BindHtml(folium.MacroElement):
    """A popup or tooltip whose HTML travels as a JSON string, not inside a template literal.

    The popup content is a DOM element so that streamlit-folium can read its text.
    """

    _template = SafeTemplate(
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

    _template = SafeTemplate(
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


class Style(folium.MacroElement):
    """CSS in the page header (streamlit-folium passes header styles on)."""

    _template = SafeTemplate(
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


class CountryShapes(folium.MacroElement):
    """Country outlines fetched from the app and drawn into the parent layer.

    ``land``: every country, under the tiles (a pane at z 150 < 200), so the map reads
    with tiles off or offline. Otherwise the choropleth: only the countries in
    ``counts`` (iso3 -> [events, fill colour, name]), with a tooltip built from text
    nodes. The outlines are fetched once per page whichever layers use them.
    """

    _template = SafeTemplate(
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


class EventMarkers(folium.MacroElement):
    """All event markers of one layer, drawn by one loop over a JSON array.

    One folium element per marker (plus its popup and tooltip) made a 5,000-event map
    take ten seconds to hand to streamlit-folium; one array takes well under one.
    ``rows`` holds, per event: ``id``, ``lat``, ``lng``, ``color``, ``tooltip`` and
    ``popup`` (both already escaped HTML); ``style`` is shared by all of them. Each
    Leaflet marker gets ``eventId`` in its options; popups are built when opened.
    """

    _template = SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (group) {
            var style = {{ this.style|tojson }};
            var rows = {{ this.rows|tojson }};
            var markers = rows.map(function (r) {
                var marker = L.circleMarker([r.lat, r.lng], Object.assign(
                    {}, style, {fillColor: r.color, eventId: r.id}));
                marker.bindTooltip(r.tooltip, {direction: "auto", sticky: false});
                marker.bindPopup(function () {
                    var box = L.DomUtil.create("div");
                    box.innerHTML = r.popup;
                    return box;
                }, {maxWidth: 360});
                return marker;
            });
            if (typeof group.addLayers === "function") {
                group.addLayers(markers);  // MarkerCluster spreads a shared spot on click
                return;
            }
            markers.forEach(function (marker) { group.addLayer(marker); });
            // Events at one spot: spread on a small ring around it, joined to it by a thin
            // line, re-laid at every zoom so the ring keeps its size on screen.
            var spots = {};
            markers.forEach(function (marker, i) {
                var key = rows[i].lat.toFixed(5) + "," + rows[i].lng.toFixed(5);
                (spots[key] = spots[key] || []).push(marker);
            });
            var shared = Object.keys(spots).filter(function (k) { return spots[k].length > 1; });
            if (!shared.length) { return; }
            var legs = L.layerGroup().addTo(group);
            function spread() {
                var map = group._map;
                if (!map) { return; }
                legs.clearLayers();
                shared.forEach(function (key) {
                    var ring = spots[key];
                    var home = L.latLng(ring[0].options.home || ring[0].getLatLng());
                    var centre = map.latLngToLayerPoint(home);
                    var radius = 10 + 3 * ring.length;
                    ring.forEach(function (marker, i) {
                        marker.options.home = home;
                        var angle = 2 * Math.PI * i / ring.length - Math.PI / 2;
                        var at = map.layerPointToLatLng(centre.add(
                            L.point(radius * Math.cos(angle), radius * Math.sin(angle))));
                        marker.setLatLng(at);
                        marker.options.spread = true;
                        L.polyline([home, at], {color: "#555555", weight: 1, opacity: 0.6,
                            interactive: false}).addTo(legs);
                    });
                });
            }
            function start() {
                if (!group._map) { setTimeout(start, 50); return; }
                group._map.on("zoomend viewreset", spread);
                spread();
            }
            start();
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


class EventCells(folium.MacroElement):
    """Counts of events in grid cells, one circle per cell, drawn from one JSON array.

    Used when too many events match to draw each (the query engine counts them per
    cell, see ``query.EventQuery.map_layer``): ``rows`` holds ``lat``, ``lng``, ``n``
    (events), ``r`` (radius, px), ``color`` and ``tooltip`` (already escaped text).
    """

    _template = SafeTemplate(
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


class ViewportInLink(folium.MacroElement):
    """Writes the map's centre and zoom into the page's address bar as the user pans.

    Panning must not rerun the app (st_folium returns only clicks), yet a shared link
    must hold the viewport: the map's own script rewrites lat/lon/zoom in the top
    window's URL with history.replaceState. The server learns them when the link is
    opened; a rerun that redraws the map (a filter change) fits the map anew and the
    script writes that view. Fixed code: no data is interpolated.
    """

    _template = SafeTemplate(
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
    scale and its units in the map's words ("كم", "م"). Fixed code; the words come from
    strings.MAP_WORDS, never from data."""

    _template = SafeTemplate(
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
            // Kilometres only: miles are an English habit. The units in the map's words:
            // Leaflet writes "<n> km" / "<n> m" on every move, through _updateScale.
            var lines = map.getContainer().querySelectorAll(".leaflet-control-scale-line");
            if (lines.length > 1) { lines[1].style.display = "none"; }
            var units = {"km": words.km, "m": words.m};
            function unit(text) {
                return String(text).replace(/ (km|m)$/, function (all, u) {
                    return " " + units[u];
                });
            }
            var Scale = L.Control.Scale && L.Control.Scale.prototype;
            if (Scale && !Scale._dashboardUnits) {
                var update = Scale._updateScale;
                Scale._updateScale = function (scale, text, ratio) {
                    update.call(this, scale, unit(text), ratio);
                };
                Scale._dashboardUnits = true;
            }
            if (lines.length) { lines[0].textContent = unit(lines[0].textContent); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "LeafletWords"
        words = map_words(lang)
        self.words = {k: words[k] for k in ("zoom_in", "zoom_out", "layers", "km", "m")}


#: A cluster drawn as a ring of its events' type colours, in proportion, with the count in
#: the middle (MarkerCluster's own yellow/green/orange bubbles clashed with the type
#: colours). Fixed code: it reads only the colours our markers carry (checked to be
#: #rrggbb) and builds its elements with textContent, never from HTML text.
CLUSTER_ICON_JS = """
function (cluster) {
    var counts = {}, total = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
        var c = m.options.fillColor;
        if (!/^#[0-9a-fA-F]{6}$/.test(c || "")) { c = "#888888"; }
        counts[c] = (counts[c] || 0) + 1;
        total += 1;
    });
    var stops = [], at = 0;
    Object.keys(counts).sort().forEach(function (c) {
        var end = at + 360 * counts[c] / total;
        stops.push(c + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
        at = end;
    });
    var size = total < 10 ? 30 : (total < 100 ? 36 : 44);
    var ring = document.createElement("div");
    ring.style.cssText = "width:100%;height:100%;border-radius:50%;display:flex;" +
        "align-items:center;justify-content:center;box-shadow:0 0 0 1px #555;" +
        "background:conic-gradient(" + stops.join(",") + ")";
    var inner = document.createElement("span");
    inner.textContent = String(total);
    inner.style.cssText = "background:#fff;border-radius:50%;width:64%;height:64%;" +
        "display:flex;align-items:center;justify-content:center;" +
        "font:600 12px sans-serif;color:#222";
    ring.appendChild(inner);
    return L.divIcon({html: ring, className: "event-cluster", iconSize: L.point(size, size)});
}
"""


class CityLabels(folium.MacroElement):
    """City names and dots, light grey, in a pane under the events that takes no clicks.

    A city shows from Natural Earth's suggested zoom for it (``z``), a little earlier for
    capitals, so a regional view names the capitals and a closer one the towns. Names are
    set with textContent: they never become HTML.
    """

    _template = SafeTemplate(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var cities = {{ this.rows|tojson }};
            var pane = map.getPane("cityLabels") || map.createPane("cityLabels");
            pane.style.zIndex = 380;
            pane.style.pointerEvents = "none";
            var layer = L.layerGroup().addTo(map);
            var markers = cities.map(function (r) {
                var box = document.createElement("span");
                box.className = "city-label" + (r.cap ? " city-capital" : "");
                box.setAttribute("dir", "auto");
                box.textContent = r.name;
                var icon = L.divIcon({html: box, className: "city-icon", iconSize: null});
                var m = L.marker([r.lat, r.lng], {
                    icon: icon, pane: "cityLabels", interactive: false, keyboard: false});
                m.minZoom = r.z - (r.cap ? 1 : 0);
                return m;
            });
            function show() {
                var z = map.getZoom() + 1.5;
                markers.forEach(function (m) {
                    var on = m.minZoom <= z;
                    if (on && !layer.hasLayer(m)) { layer.addLayer(m); }
                    if (!on && layer.hasLayer(m)) { layer.removeLayer(m); }
                });
            }
            map.on("zoomend", show);
            show();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[dict]):
        super().__init__()
        self._name = "CityLabels"
        self.rows = rows


#: Looks of the city labels: a small dot, grey text with a white halo, never in the way.
CITY_CSS = (
    ".city-icon{background:none;border:none}"
    ".city-label{position:absolute;white-space:nowrap;font:11px sans-serif;color:#6b6b6b;"
    "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;padding-inline-start:6px;"
    "transform:translateY(-50%)}"
    ".city-label::before{content:'';position:absolute;inset-inline-start:0;top:50%;"
    "width:4px;height:4px;margin-top:-2px;border-radius:50%;background:#8a8a8a}"
    ".city-capital{font-weight:600;color:#555}"
)
