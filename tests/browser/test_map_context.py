"""The Map page's context and side list, in a browser with the network cut off: labelled
cities drawn from the app's own files, events at one spot spread apart, and the list
beside the map naming exactly the events in its viewport as the user moves it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

# By test id: on Arabic pages the iframe's title is translated.
FRAME = 'iframe[data-testid="stCustomComponentV1"]'

#: In the map's iframe: each event marker's id, its own place (before any spreading),
#: whether that place is inside the map's viewport, and where it is drawn on screen.
MARKERS_JS = """() => {
    var map = window.map, out = [];
    var bounds = map.getBounds();
    map.eachLayer(function (layer) {
        if (!layer.options || !layer.options.eventId) { return; }
        var home = L.latLng(layer.options.home || layer.getLatLng());
        var at = map.latLngToContainerPoint(layer.getLatLng());
        out.push({id: layer.options.eventId, home: [home.lat, home.lng],
                  inView: bounds.contains(home), x: at.x, y: at.y});
    });
    return out;
}"""


def _frame(page):
    return page.frame_locator(FRAME).first


def _map_frame(page):
    """The Playwright Frame of the map (to evaluate scripts in it)."""
    handle = page.locator(FRAME).first.element_handle()
    return handle.content_frame()


def _listed_ids(page) -> list[str]:
    links = page.locator('.st-key-map_in_view a[href*="event="]')
    ids = []
    for href in links.evaluate_all("els => els.map(e => e.href)"):
        ids += parse_qs(urlsplit(href).query).get("event", [])
    return ids


def _wait_for_list(page, wanted: set[str], timeout_s: float = 30) -> list[str]:
    deadline = timeout_s * 1000
    waited = 0
    while True:
        listed = _listed_ids(page)
        if set(listed) == wanted or waited >= deadline:
            return listed
        page.wait_for_timeout(500)
        waited += 500


def test_cities_are_labelled_offline_in_both_languages(offline_page, open_app, screenshot):
    page = offline_page
    open_app(page, "/map?country=SYR")
    frame = _frame(page)
    expect(frame.locator("path.event-marker").first).to_be_attached(timeout=30_000)
    labels = frame.locator(".city-label")
    expect(labels.filter(has_text=re.compile(r"^Damascus$"))).to_be_visible(timeout=15_000)
    expect(labels.filter(has_text=re.compile(r"^Aleppo$"))).to_be_visible()
    # Province lines, light and dashed, from the app's own static folder.
    provinces = frame.locator('.leaflet-countryOutlines-pane path[stroke-dasharray="3 3"]')
    expect(provinces.first).to_be_attached(timeout=15_000)
    # The filtered country is a light tint, not a dark fill over its cities.
    tint = frame.locator(".leaflet-countryCounts-pane path").first
    expect(tint).to_be_attached(timeout=15_000)
    assert float(tint.get_attribute("fill-opacity")) <= 0.2
    screenshot(page, "map-context-en")
    open_app(page, "/map?country=SYR&lang=ar")
    frame = _frame(page)
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible(timeout=30_000)
    expect(frame.locator(".city-label").first).to_be_attached(timeout=15_000)
    names = frame.locator(".city-label").all_text_contents()
    assert "دمشق" in names and "حلب" in names, names
    screenshot(page, "map-context-ar")
    assert page.blocked_requests == []


def test_events_at_one_spot_are_spread_apart(offline_page, open_app, screenshot):
    page = offline_page
    # Morocco: three events in Rabat and two in Marrakesh share their coordinates.
    open_app(page, "/map?country=MAR")
    expect(_frame(page).locator("path.event-marker")).to_have_count(5, timeout=30_000)
    page.wait_for_timeout(500)
    markers = _map_frame(page).evaluate(MARKERS_JS)
    assert len(markers) == 5
    by_home: dict[tuple, list[tuple]] = {}
    for m in markers:
        by_home.setdefault(tuple(m["home"]), []).append((round(m["x"]), round(m["y"])))
    assert sorted(len(v) for v in by_home.values()) == [2, 3]
    for drawn in by_home.values():
        assert len(set(drawn)) == len(drawn), drawn  # no two drawn on the same pixel
        spread = max(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a in drawn for b in drawn)
        assert spread >= 12, drawn  # far enough apart to point at each one
    screenshot(page, "map-spread")
    assert page.blocked_requests == []


def test_the_side_list_names_the_events_in_view_as_the_map_moves(
    offline_page, open_app, wait_for_app, screenshot
):
    page = offline_page
    open_app(page, "/map?type=meeting")
    frame = _frame(page)
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-map_in_view")).to_be_visible(timeout=30_000)

    def in_view() -> set[str]:
        return {m["id"] for m in _map_frame(page).evaluate(MARKERS_JS) if m["inView"]}

    # Move the map to Morocco: the list follows to exactly the meetings now in view.
    _map_frame(page).evaluate("() => window.map.setView([32.5, -7.5], 6)")
    page.wait_for_timeout(800)
    wait_for_app(page)
    wanted = in_view()
    assert wanted, "no meeting in view over Morocco"
    listed = _wait_for_list(page, wanted)
    assert set(listed) == wanted
    heading = page.locator(".st-key-map_in_view").get_by_text(re.compile(r"In view: "))
    expect(heading).to_have_text(re.compile(rf"In view: {len(wanted)} events?"))
    screenshot(page, "map-side-list-morocco")

    # And to Europe: other meetings, and none of Morocco's.
    _map_frame(page).evaluate("() => window.map.setView([47.0, 5.0], 5)")
    page.wait_for_timeout(800)
    wait_for_app(page)
    europe = in_view()
    assert europe and not europe & wanted
    assert set(_wait_for_list(page, europe)) == europe
    # The map was not redrawn by the list's reruns: it stayed where it was moved.
    center = _map_frame(page).evaluate("() => [window.map.getCenter().lat, window.map.getZoom()]")
    assert abs(center[0] - 47.0) < 0.5 and center[1] == 5
    # Each line links to its event page; its title is text, not markup.
    first = page.locator('.st-key-map_in_view a[href*="event="]').first
    assert first.get_attribute("href").startswith("event?")
    assert page.blocked_requests == []
