"""The folium map: inert data text, safe links, offline assets, layers, and click mapping."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from folium.plugins import MarkerCluster
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box

from dashboard import geo, maps, static_assets
from dashboard.engines.sql import SqlEngine
from dashboard.maps import event_at, safe_text, safe_url
from dashboard.static_assets import STATIC_URL_BASE
from dashboard.store import REPO

# ----------------------------------------------------------------------------- fixtures


def _boundaries(**extra_columns) -> gpd.GeoDataFrame:
    """Two square countries side by side: AAA (0..10 E) and BBB (10..20 E), 0..10 N."""
    frame = gpd.GeoDataFrame(
        {
            "iso3": ["AAA", "BBB"],
            "name_en": ["Aland", "Bland"],
            "name_ar": ["ألف", "باء"],
            **extra_columns,
        },
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
        crs="EPSG:4326",
    )
    return frame


def _event(i: int, **fields) -> dict:
    record = {
        "event_id": f"ev-{i}",
        "event_date": pd.Timestamp("2022-05-11"),
        "end_date": pd.NaT,
        "date_precision": "day",
        "event_type": "meeting",
        "title": f"Event {i}",
        "title_ar": f"حدث {i}",
        "country": "AAA",
        "location": "Town",
        "latitude": 5.0,
        "longitude": 5.0 + i * 0.01,
        "verification": "verified",
        "sources": [{"publisher": "Agency", "url": f"https://example.org/{i}"}],
    }
    record.update(fields)
    return record


def _events(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records)


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _elements(m, kind):
    return [e for e in _walk(m) if isinstance(e, kind)]


def _markers(element) -> list[dict]:
    """Every event marker under ``element``: its row (id, lat, lng, color, tooltip, popup)
    merged with the style shared by its layer (radius, weight, ...)."""
    return [
        {**layer.style, **row}
        for layer in _elements(element, maps.EventMarkers)
        for row in layer.rows
    ]


def _st_folium_payload(m, monkeypatch) -> dict:
    """What streamlit-folium would send to the browser for this map (its component call)."""
    import streamlit_folium

    sent: dict = {}

    def capture(**kwargs):
        sent.update(kwargs)
        return kwargs.get("default")

    monkeypatch.setattr(streamlit_folium, "_component_func", capture)
    streamlit_folium.st_folium(m, key="t", returned_objects=maps.MAP_RETURNED_OBJECTS)
    return sent


PAYLOADS = {
    "script": "<script>window.__x=2</script>",
    "template": "${window.__x=1}",
    "backtick": "`;window.__y=1;`",
    "img": '<img src=x onerror="window.__z=1">',
}


# ----------------------------------------------------------------------------- safe_text


@pytest.mark.parametrize(
    ("raw", "forbidden"),
    [
        ("${alert(1)}", ["${"]),
        ("a `b` c", ["`"]),
        ("</script><script>alert(1)</script>", ["<", ">"]),
        ('<img src=x onerror="alert(1)">', ["<img", '"']),
        ("it's \\u0060", ["'", "\\"]),
    ],
)
def test_safe_text_neutralises_html_and_template_literal_syntax(raw, forbidden):
    out = safe_text(raw)
    for bad in forbidden:
        assert bad not in out
    # A browser shows the same characters the data holds.
    assert html.unescape(out) == raw


def test_safe_text_keeps_arabic_and_blanks_missing_values():
    assert safe_text("سجن غويران في الحسكة") == "سجن غويران في الحسكة"
    assert safe_text(None) == ""
    assert safe_text(float("nan")) == ""
    assert safe_text(pd.NA) == ""
    assert safe_text(pd.NaT) == ""
    assert safe_text(12) == "12"


@given(st.text())
def test_safe_text_is_inert_and_lossless_for_any_text(raw):
    out = safe_text(raw)
    assert not set(out) & set("<>\"'`$\\")
    assert html.unescape(out) == raw


# ----------------------------------------------------------------------------- safe_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("http://example.org", "http://example.org"),
        ("  https://example.org/x \n", "https://example.org/x"),
        ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
        ("https://www.example.org/مقال", "https://www.example.org/مقال"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("/relative/path", None),
        ("ftp://example.org/file", None),
        ("https://", None),
        ("https:///path", None),
        ('https://example.org/"onmouseover="alert(1)', None),
        ("https://example.org/'x", None),
        ("https://example.org/<script>", None),
        ("https://example.org/a b", None),
        ("https:\\\\evil.example", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


# ----------------------------------------------------------------------------- rendered HTML


def _hostile_map():
    events = _events(
        [
            _event(1, title=PAYLOADS["script"], event_type="attack"),
            _event(2, title=PAYLOADS["template"], location=PAYLOADS["img"]),
            _event(
                3,
                title=PAYLOADS["backtick"],
                sources=[{"publisher": PAYLOADS["template"], "url": "javascript:alert(1)"}],
            ),
            _event(4, title_ar=PAYLOADS["img"], title=""),
        ]
    )
    bounds = _boundaries()
    bounds.loc[0, "name_en"] = PAYLOADS["script"] + PAYLOADS["template"]
    counts = pd.DataFrame({"iso3": ["AAA", "BBB"], "events": [4, 1]})
    labels = {"attack": PAYLOADS["backtick"], "meeting": PAYLOADS["img"]}
    return maps.build_event_map(events, counts, bounds, labels=labels)


def test_rendered_map_carries_no_payload_unescaped():
    page = _hostile_map().get_root().render()
    for payload in PAYLOADS.values():
        assert payload not in page
    assert "javascript:" not in page.lower()
    # The text is still there, escaped, for the reader: title 2 reaches the popup (HTML
    # entity, then JSON escapes of & and braces).
    assert "\\u0026#36;\\u007bwindow.__x=1\\u007d" in page


def test_st_folium_payload_carries_no_payload_unescaped(monkeypatch):
    sent = _st_folium_payload(_hostile_map(), monkeypatch)
    browser_code = sent["script"] + sent["header"] + sent["html"]
    for payload in PAYLOADS.values():
        assert payload not in browser_code
    assert "javascript:" not in browser_code.lower()


def test_popup_link_only_for_safe_urls():
    events = _events(
        [
            _event(1, sources=[{"publisher": "Good", "url": "https://example.org/a?x=1&y=2"}]),
            _event(2, sources=[{"publisher": "Bad", "url": "javascript:alert(1)"}]),
            _event(3, sources=[]),
        ]
    )
    m = maps.build_event_map(events, None, _boundaries())
    popups = {mk["id"]: mk["popup"] for mk in _markers(m)}
    assert (
        '<a href="https://example.org/a?x=1&amp;y=2" target="_blank" '
        'rel="noopener noreferrer">Good</a>'
    ) in popups["ev-1"]
    assert "href" not in popups["ev-2"] and "Bad" in popups["ev-2"]
    assert "href" not in popups["ev-3"]


def test_popup_respects_date_precision_and_verification():
    events = _events(
        [
            _event(1, event_date=pd.Timestamp("2022-01-01"), date_precision="month"),
            _event(2, event_date=pd.Timestamp("2022-01-20"), end_date=pd.Timestamp("2022-01-30")),
            _event(3, event_date=pd.Timestamp("2022-01-01"), date_precision="year"),
            _event(4, verification="unverified"),
        ]
    )
    m = maps.build_event_map(events, None, _boundaries())
    popups = {mk["id"]: mk["popup"] for mk in _markers(m)}
    assert "January 2022" in popups["ev-1"] and "1 January" not in popups["ev-1"]
    assert "20–30 January 2022" in popups["ev-2"]
    assert ">2022<" in popups["ev-3"] and "January" not in popups["ev-3"]
    assert "unverified" in popups["ev-4"]
    assert "unverified" not in popups["ev-1"]


def test_arabic_map_uses_arabic_titles_months_and_labels():
    events = _events([_event(1, event_date=pd.Timestamp("2022-01-01"), date_precision="month")])
    m = maps.build_event_map(
        events,
        pd.DataFrame({"iso3": ["AAA"], "events": [1]}),
        _boundaries(),
        lang="ar",
        labels={"meeting": "اجتماع"},
    )
    (marker,) = _markers(m)
    popup = marker["popup"]
    assert "حدث 1" in popup and 'dir="rtl"' in popup
    assert "يناير 2022" in popup
    assert "ألف" in popup  # the country, named from the boundaries in Arabic
    assert marker["tooltip"] == "حدث 1"
    (legend,) = _elements(m, maps.HtmlControl)
    assert [label for _, label, _ in legend.entries] == ["اجتماع"]
    assert "اجتماع" in legend.html and "نوع الحدث" in legend.html


# ----------------------------------------------------------------------------- offline assets


def _external_asset_tags(page: str) -> list[str]:
    tags = re.findall(r"<script[^>]*\bsrc=[^>]*>|<link[^>]*\bhref=[^>]*>", page, flags=re.I)
    return [t for t in tags if re.search(r"(src|href)=[\"']?(https?:)?//", t, flags=re.I)]


def test_map_html_loads_no_script_or_stylesheet_from_the_internet():
    events = _events([_event(i) for i in range(60)])  # enough for a cluster
    m = maps.build_event_map(
        events, pd.DataFrame({"iso3": ["AAA"], "events": [60]}), _boundaries(), tiles=True
    )
    page = m.get_root().render()
    assert _external_asset_tags(page) == []
    js, css = static_assets.leaflet_urls()
    assert f'<script src="{js[0]}"></script>' in page
    assert f'<script src="{js[1]}"></script>' in page
    for href in css:
        assert f'href="{href}"' in page
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_st_folium_loads_only_local_assets(monkeypatch):
    events = _events([_event(i) for i in range(60)])
    m = maps.build_event_map(events, pd.DataFrame({"iso3": ["AAA"], "events": [60]}), _boundaries())
    sent = _st_folium_payload(m, monkeypatch)
    js, css = static_assets.leaflet_urls()
    assert sent["js_links"] == js  # Leaflet first: the plugin needs it
    assert sent["css_links"] == css
    assert _external_asset_tags(sent["header"]) == []
    assert "https://" not in sent["script"].replace("https://example.org/", "")


def test_local_assets_are_per_map_and_refuse_what_is_not_served():
    cdn = list(folium.Map.default_js)
    maps.build_event_map(_events([_event(1)]), None, _boundaries())
    assert folium.Map.default_js == cdn  # other maps in the process keep folium's defaults
    assert folium.Map().default_js == cdn

    m = folium.Map(tiles=None)
    folium.CircleMarker([1, 1], popup="needs jQuery").add_to(m)
    with pytest.raises(ValueError, match="jQuery"):
        static_assets.use_local_assets(m)


def test_ensure_static_assets_copies_once_and_repairs(tmp_path: Path):
    static_dir = tmp_path / "static"
    static_assets.ensure_static_assets(static_dir)
    js, css = static_assets.leaflet_urls()
    for url in js + css:
        path = static_dir / url.removeprefix(static_assets.STATIC_URL_BASE + "/")
        assert path.is_file() and path.stat().st_size > 500, url
    assert (static_dir / "leaflet" / "images" / "layers.png").is_file()
    import xstatic.pkg.leaflet

    source = Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js"
    assert (static_dir / "leaflet" / "leaflet.js").read_bytes() == source.read_bytes()

    # Up to date: nothing is rewritten.
    inode = (static_dir / "leaflet").stat().st_ino
    mtime = (static_dir / "leaflet" / "leaflet.js").stat().st_mtime_ns
    static_assets.ensure_static_assets(static_dir)
    assert (static_dir / "leaflet").stat().st_ino == inode
    assert (static_dir / "leaflet" / "leaflet.js").stat().st_mtime_ns == mtime

    # A missing file or an old copy (different stamp) is replaced whole.
    (static_dir / "markercluster" / "MarkerCluster.css").unlink()
    (static_dir / "leaflet" / ".source-stamp").write_text("0.0 old\n")
    static_assets.ensure_static_assets(static_dir)
    assert (static_dir / "markercluster" / "MarkerCluster.css").is_file()
    assert (static_dir / "leaflet" / ".source-stamp").read_text() != "0.0 old\n"
    leftovers = [p.name for p in static_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


# ----------------------------------------------------------------------------- layers


def test_no_tiles_by_default_outlines_always():
    m = maps.build_event_map(_events([_event(1)]), None, _boundaries())
    assert _elements(m, folium.TileLayer) == []
    outlines = static_assets.outlines_url()
    (land,) = [x for x in _elements(m, maps.CountryShapes) if x.url == outlines]
    assert land.land
    assert land.url.startswith(STATIC_URL_BASE + "/outlines/")

    with_tiles = maps.build_event_map(_events([_event(1)]), None, _boundaries(), tiles=True)
    assert len(_elements(with_tiles, folium.TileLayer)) == 1
    assert len(_elements(with_tiles, folium.LayerControl)) == 1
    # Land stays opaque in a pane under the tiles (Leaflet's tile pane is at z 200), so
    # the map still reads when the tiles cannot load or are switched off.
    (pane,) = _elements(with_tiles, folium.map.CustomPane)
    (land,) = [x for x in _elements(with_tiles, maps.CountryShapes) if x.url == outlines]
    assert pane.name == "countryOutlines"
    assert land.pane == pane.name and int(pane.z_index) < 200
    assert land.style["fillOpacity"] == 1.0


def test_choropleth_layer_holds_counts_per_country():
    counts = pd.DataFrame({"iso3": ["AAA", "BBB", "ZZZ"], "events": [12, 1, 5]})
    m = maps.build_event_map(_events([]), counts, _boundaries(), lang="en")
    (layer,) = [g for g in _elements(m, maps.CountryShapes) if not g.land]
    assert isinstance(layer._parent, folium.FeatureGroup)  # listed in the layer control
    # drawn under the markers, so it never takes their clicks
    (pane,) = [p for p in _elements(m, folium.map.CustomPane) if p.name == layer.pane]
    assert 200 < int(pane.z_index) < 400
    assert set(layer.counts) == {"AAA", "BBB"}  # ZZZ has no outline, so no area to colour
    (n_a, fill_a, name_a), (n_b, fill_b, _) = layer.counts["AAA"], layer.counts["BBB"]
    assert (n_a, n_b, name_a) == (12, 1, "Aland")
    # more events, darker
    assert maps.CHOROPLETH_COLORS.index(fill_a) > maps.CHOROPLETH_COLORS.index(fill_b)
    assert layer.words == ["Country", "Events"]
    # With no events, the view fits the countries that have counts.
    (fit,) = _elements(m, folium.map.FitBounds)
    assert fit.bounds == [[0.0, 0.0], [10.0, 20.0]]


def test_outlines_are_served_once_not_sent_with_every_map(tmp_path):
    """The world's outlines are a static file; a map carries only counts and a URL."""
    path = static_assets.ensure_outlines(tmp_path)
    assert path.name == static_assets.outlines_url().rsplit("/", 1)[1]
    world = json.loads(path.read_text(encoding="utf-8"))
    codes = {f["properties"]["iso3"] for f in world["features"]}
    assert {"SYR", "IRQ", "MAR", "ITA", "USA"} <= codes and len(codes) > 200
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in world["features"])
    before = path.stat().st_mtime_ns
    assert static_assets.ensure_outlines(tmp_path) == path and path.stat().st_mtime_ns == before
    # no temporary left: the outlines and their extents
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        [path.name, path.with_suffix(".extents.json").name]
    )
    counts = pd.DataFrame({"iso3": ["SYR", "IRQ"], "events": [900, 40]})
    page = (
        maps.build_event_map(_events([]), counts, geo.display_boundaries(), lang="ar")
        .get_root()
        .render()
    )
    assert len(page) < 60_000 and '"coordinates"' not in page
    assert "سوريا" in page


def test_dates_in_boundaries_do_not_break_rendering():
    bounds = _boundaries(updated=[pd.Timestamp("2024-01-01"), pd.NaT])
    m = maps.build_event_map(
        _events([_event(1)]), pd.DataFrame({"iso3": ["AAA"], "events": [1]}), bounds
    )
    assert "Aland" in m.get_root().render()


def test_cluster_only_above_threshold():
    below = maps.build_event_map(
        _events([_event(i) for i in range(5)]), None, _boundaries(), cluster_threshold=5
    )
    above = maps.build_event_map(
        _events([_event(i) for i in range(6)]), None, _boundaries(), cluster_threshold=5
    )
    assert _elements(below, MarkerCluster) == []
    (cluster,) = _elements(above, MarkerCluster)
    assert len(_markers(cluster)) == 6
    # Bubbles are rings of the type colours, not MarkerCluster's yellow/green/orange.
    html = above.get_root().render()
    assert "conic-gradient" in html and "event-cluster" in html
    assert "conic-gradient" in cluster.icon_create_function
    # MarkerCluster stops the whole map with "Map has no maxZoom specified" without it,
    # and with no tile layer nothing else sets one.
    assert above.options["maxZoom"] == maps.MAX_ZOOM


def test_markers_coloured_by_type_and_legend_lists_types_present():
    events = _events(
        [
            _event(1, event_type="attack"),
            _event(2, event_type="meeting"),
            _event(3, event_type="attack"),
            _event(4, event_type="statement", latitude=float("nan")),  # not drawn
        ]
    )
    m = maps.build_event_map(events, None, _boundaries(), labels={"attack": "Attack"})
    colors = {mk["id"]: mk["color"] for mk in _markers(m)}
    assert colors == {
        "ev-1": maps.TYPE_COLORS["attack"],
        "ev-2": maps.TYPE_COLORS["meeting"],
        "ev-3": maps.TYPE_COLORS["attack"],
    }
    (legend,) = _elements(m, maps.HtmlControl)
    assert [(t, label) for t, label, _ in legend.entries] == [
        ("meeting", "meeting"),
        ("attack", "Attack"),
    ]
    assert "statement" not in legend.html


def test_selected_event_is_highlighted_and_never_clustered():
    events = _events([_event(i) for i in range(10)])
    m = maps.build_event_map(events, None, _boundaries(), selected_id="ev-3", cluster_threshold=2)
    (cluster,) = _elements(m, MarkerCluster)
    clustered = {mk["id"] for mk in _markers(cluster)}
    assert "ev-3" not in clustered and len(clustered) == 9
    (selected,) = [mk for mk in _markers(m) if mk["id"] == "ev-3"]
    other = next(mk for mk in _markers(m) if mk["id"] == "ev-4")
    assert selected["radius"] > other["radius"]
    assert selected["weight"] > other["weight"]
    # Leaflet reports a circle marker's own position only up to 10 px radius.
    assert max(mk["radius"] for mk in _markers(m)) <= 10


def test_viewport_fits_points_unless_given():
    events = _events(
        [_event(1, latitude=2.0, longitude=3.0), _event(2, latitude=4.0, longitude=8.0)]
    )
    fitted = maps.build_event_map(events, None, _boundaries())
    (fit,) = _elements(fitted, folium.map.FitBounds)
    assert fit.bounds == [[2.0, 3.0], [4.0, 8.0]]

    fixed = maps.build_event_map(events, None, _boundaries(), center=[30.5, 40.25], zoom=6)
    assert _elements(fixed, folium.map.FitBounds) == []
    assert fixed.location == [30.5, 40.25] and fixed.options["zoom"] == 6


# ----------------------------------------------------------------------------- clicks


def test_event_at_maps_a_marker_click_back_to_its_event():
    events = _events(
        [
            _event(1, latitude=36.4775, longitude=40.7625, title="Prison attack"),
            _event(2, latitude=36.4775, longitude=40.7625, title="Statement on the attack"),
            _event(3, latitude=31.63, longitude=-8.01, title="Ministerial meeting"),
        ]
    )
    m = maps.build_event_map(events, None, _boundaries())
    for marker in _markers(m):
        # What streamlit-folium reports for a click on this marker: its position, and
        # its tooltip as text (the browser has decoded the entities).
        tooltip = html.unescape(marker["tooltip"])
        assert event_at(events, marker["lat"], marker["lng"], tooltip=tooltip) == marker["id"]

    assert event_at(events, 31.63, -8.01) == "ev-3"
    # Two events at one place and no title to tell them apart: a cluster bubble was
    # clicked, or the caller dropped the tooltip; selecting either would be a guess.
    assert event_at(events, 36.4775, 40.7625) is None
    assert event_at(events, 36.4775, 40.7625, tooltip="Prison attack") == "ev-1"
    assert event_at(events, 31.63 + 1e-7, -8.01 - 1e-7) == "ev-3"  # float noise
    assert event_at(events, 31.70, -8.01) is None  # a click on the country, not the marker
    assert event_at(events, None, None) is None
    assert event_at(events, "nan", 3) is None
    assert event_at(events.iloc[0:0], 31.63, -8.01) is None
    # A spiderfied marker (moved aside by the cluster, in pixels, so far away in degrees
    # at low zoom; measured in a browser at zoom 8) is found by its title.
    assert event_at(events, 36.07, 41.15, tooltip="Statement on the attack") == "ev-2"
    # A country's tooltip names no event: only the position counts, and it is off-marker.
    assert event_at(events, 36.0, 40.0, tooltip="Country Syria Events 2") is None
    # Longitudes wrap (maps with world_copy_jump report positions past 180).
    assert event_at(events, 31.63, -8.01 + 360) == "ev-3"


def test_each_marker_carries_its_event_id_to_the_browser():
    events = _events([_event(1), _event(2, title=PAYLOADS["script"])])
    page = maps.build_event_map(events, None, _boundaries()).get_root().render()
    (rows_json,) = re.findall(r"var rows = (\[.*?\]);\n", page)
    rows = json.loads(rows_json)  # valid JSON, even with hostile titles inside
    assert [(r["id"], r["lat"], r["lng"]) for r in rows] == [
        ("ev-1", 5.0, 5.01),
        ("ev-2", 5.0, 5.02),
    ]
    assert "eventId: r.id" in page


def test_bind_popup_works_offline_and_keeps_html_out_of_the_script():
    m = folium.Map(tiles=None)
    marker = folium.CircleMarker([1, 1]).add_to(m)
    maps.bind_popup(marker, safe_text(PAYLOADS["script"]))
    maps.bind_tooltip(marker, safe_text(PAYLOADS["template"]))
    page = static_assets.use_local_assets(m).get_root().render()
    assert _external_asset_tags(page) == []
    for payload in (PAYLOADS["script"], PAYLOADS["template"]):
        assert payload not in page


def test_returned_objects_do_not_include_viewport_changes():
    assert "last_object_clicked" in maps.MAP_RETURNED_OBJECTS
    assert not {"bounds", "zoom", "center", "last_clicked"} & set(maps.MAP_RETURNED_OBJECTS)


def test_template_syntax_in_event_text_is_neither_evaluated_nor_fatal():
    """branca renders each script through Jinja twice: data must not reach the second pass."""
    from dashboard.filters import Filters as _Filters
    from dashboard.query import EventQuery
    from dashboard.store import memory_from_records

    records = [
        {
            "event_id": f"t{i}",
            "event_date": "2023-01-0" + str(i + 1),
            "event_type": "meeting",
            "title": title,
            "location": title,
            "latitude": 33.0 + i,
            "longitude": 36.0,
            "sources": [{"publisher": title, "url": "https://example.org"}],
        }
        for i, title in enumerate(
            ["{{ 7*7 }} marker", "{{constructor.constructor('x')()}}", "{% raw %}", "{# c"]
        )
    ]
    points = EventQuery(SqlEngine(memory_from_records(records))).map_points(_Filters())
    boundaries = gpd.GeoDataFrame(
        {"iso3": ["SYR"], "name_en": ["Syria"], "name_ar": ["سوريا"]},
        geometry=[box(35, 32, 42, 37)],
        crs=4326,
    )
    rendered = maps.build_event_map(points, None, boundaries).get_root().render()
    assert "49 marker" not in rendered
    assert "\\u007b\\u007b 7*7 \\u007d\\u007d marker" in rendered


def test_maps_drawn_from_the_written_extents_need_no_geopandas(tmp_path):
    """Once the outlines are written, a new process draws maps without geopandas (most of
    a second of every cold start), fitting the view to the same extents."""
    static_assets.ensure_outlines(tmp_path)
    code = f"""
import sys
from pathlib import Path
import pandas as pd
from dashboard import maps, static_assets
frame = static_assets.country_frame(Path({str(tmp_path)!r}))
counts = pd.DataFrame({{"iso3": ["MAR", "ITA"], "events": [3, 1]}})
m = maps.build_event_map(pd.DataFrame(), counts, frame)
m.get_root().render()
(fit,) = [e for e in m._children.values() if type(e).__name__ == "FitBounds"]
print(fit.bounds, "geopandas" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    assert out[-1] == "False"
    shapes = geo.display_boundaries()
    minx, miny, maxx, maxy = shapes[shapes["iso3"].isin(["MAR", "ITA"])].total_bounds
    got = [v for pair in json.loads("".join(out[:-1])) for v in pair]
    assert got == pytest.approx([miny, minx, maxy, maxx], abs=1e-3)


def test_an_arabic_map_names_leaflet_controls_in_arabic():
    page = maps.build_event_map(_events([_event(1)]), None, _boundaries(), lang="ar")
    (words,) = _elements(page, maps.LeafletWords)
    assert words.words == {
        "zoom_in": "تكبير",
        "zoom_out": "تصغير",
        "layers": "الطبقات",
        "km": "كم",
        "m": "م",
    }
    assert "تكبير" in page.get_root().render()
    english = maps.build_event_map(_events([_event(1)]), None, _boundaries(), lang="en")
    assert _elements(english, maps.LeafletWords) == []


# --- context: labelled cities ------------------------------------------------------------


def _build_basemap():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_basemap", REPO / "scripts" / "build_basemap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cities_in(page: str) -> list[dict]:
    (cities,) = re.findall(r"var cities = (\[.*?\]);\n", page)
    return json.loads(cities)


def test_the_map_names_the_regions_cities_in_the_interface_language():
    events = _events([_event(1)])
    english = _cities_in(maps.build_event_map(events, None, _boundaries()).get_root().render())
    arabic = _cities_in(
        maps.build_event_map(events, None, _boundaries(), lang="ar").get_root().render()
    )
    by_en = {c["name"]: c for c in english}
    assert {"Damascus", "Baghdad", "Rabat", "Cairo"} <= set(by_en)
    assert by_en["Damascus"]["cap"] and not by_en["Aleppo"]["cap"]
    names_ar = {c["name"] for c in arabic}
    assert {"دمشق", "بغداد", "الرباط", "القاهرة", "حلب"} <= names_ar
    # A city GeoNames gives no Arabic name for keeps its English one, not a guess.
    assert len(arabic) == len(english)
    page = maps.build_event_map(events, None, _boundaries(), context=False)
    assert "var cities" not in page.get_root().render()


def test_the_shipped_cities_lie_in_the_region_and_their_arabic_names_are_arabic():
    west, south, east, north = _build_basemap().REGION
    path = REPO / "data" / "basemap" / "cities.csv"
    frame = pd.read_csv(path, keep_default_na=False)
    assert path.stat().st_size < 100_000
    assert frame["longitude"].between(west, east).all()
    assert frame["latitude"].between(south, north).all()
    named = frame[frame["name_ar"] != ""]
    assert len(named) >= 0.8 * len(frame)
    arabic_letters = re.compile("^[\u0621-\u064a\u0670\u0671\\s\\-'()]+$")
    assert named["name_ar"].map(lambda n: bool(arabic_letters.match(n))).all()


def test_the_build_script_clips_to_the_region_and_takes_arabic_names_from_geonames(tmp_path):
    build_basemap = _build_basemap()

    def place(name, lon, lat, geonameid, **extra):
        props = {"NAME": name, "NAME_EN": name, "GEONAMEID": geonameid, "ADM0_A3": "XXX"}
        return {
            "type": "Feature",
            "properties": {**props, "min_zoom": 4, "ADM0CAP": 0, **extra},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }

    source = tmp_path / "places.json"
    features = [
        place("Damascus", 36.2981, 33.502, 170654, ADM0CAP=1, ADM0_A3="SYR"),
        place("Tehran", 51.4224, 35.6739, 112931),  # طهران, not Persian تهران
        place("Tripoli", 13.18, 32.8925, 0),  # no GeoNames id: the reviewed correction
        place("Oslo", 10.75, 59.91, 3143244),  # outside the region
    ]
    source.write_text(json.dumps({"features": features}), encoding="utf-8")
    out = tmp_path / "cities.csv"
    assert build_basemap.main([str(source), "-o", str(out)]) == 0
    rows = pd.read_csv(out, keep_default_na=False).to_dict("records")
    assert [(r["name_en"], r["name_ar"], r["capital"]) for r in rows] == [
        ("Damascus", "دمشق", 1),
        ("Tehran", "طهران", 0),
        ("Tripoli", "طرابلس", 0),
    ]


def test_co_located_markers_are_spread_and_tooltips_wrap_inside_the_map():
    events = _events([_event(i, latitude=5.0, longitude=5.0) for i in (1, 2)])  # one spot
    page = maps.build_event_map(events, None, _boundaries()).get_root().render()
    assert "function spread()" in page and "layerPointToLatLng" in page
    assert 'direction: "auto"' in page
    assert "white-space: normal" in page and "max-width: 18em" in page


# --- context: province (admin-1) lines ----------------------------------------------------


def test_the_shipped_province_lines_lie_in_the_region_and_stay_small():
    west, south, east, north = _build_basemap().REGION
    path = static_assets.ADMIN1_GEOJSON
    assert path.stat().st_size < 1_000_000  # fetched once per browser
    (feature,) = json.loads(path.read_text(encoding="utf-8"))["features"]
    lines = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "MultiLineString" and len(lines) > 1000
    points = [p for line in lines for p in line]
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in points)
    # Provinces of the region's countries: a line near Hasakah (Syria's north-east) and
    # one through Morocco's interior.
    assert any(40 <= lon <= 42 and 35.5 <= lat <= 37 for lon, lat in points)
    assert any(-8 <= lon <= -5 and 31 <= lat <= 34 for lon, lat in points)


def test_the_map_draws_province_lines_from_the_apps_own_files(tmp_path):
    events = _events([_event(1)])
    page = maps.build_event_map(events, None, _boundaries()).get_root().render()
    url = static_assets.admin1_url()
    assert url.startswith(STATIC_URL_BASE + "/") and json.dumps(url) in page
    assert '"dashArray": "3 3"' in page
    bare = maps.build_event_map(events, None, _boundaries(), context=False)
    assert "admin1-" not in bare.get_root().render()
    # The file the URL names is written under the static folder, once, byte for byte.
    written = static_assets.ensure_admin1(tmp_path)
    assert written.name == url.rsplit("/", 1)[1]
    assert written.read_bytes() == static_assets.ADMIN1_GEOJSON.read_bytes()
    before = written.stat().st_mtime_ns
    assert static_assets.ensure_admin1(tmp_path) == written
    assert written.stat().st_mtime_ns == before
