"""The insight views in a browser, English and Arabic: the actor network (a click on an
actor filters by it), before/after on an event's page, and the map played through time
(the step in the address bar, nothing fetched from another host)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

ACTORS = "/actors?type=meeting&q=coalition"
BEFORE_AFTER = "/event?event=ref-2022-05-11-marrakesh-meeting&window=120&window_country=SYR"
PLAYBACK = "/map?country=SYR&from=2022-01-01&to=2022-02-28&step=2022-01-17"


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def no_traceback(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def graph(page):
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".scatterlayer path.point").first).to_be_attached(timeout=30_000)
    return chart


def test_actor_network_draws_and_a_click_on_an_actor_filters_by_it(
    offline_page, open_app, wait_for_app, screenshot
):
    page = offline_page
    open_app(page, ACTORS)
    no_traceback(page)
    chart = graph(page)
    expect(page.get_by_text(re.compile(r"\d+ actors, \d+ pairs"))).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    page.wait_for_timeout(500)
    screenshot(page, "actors-en")
    # The biggest node (the United States, in most of the events): plotly finds the point
    # under the pointer itself, so the mouse moves there and clicks.
    boxes = [b for b in (n.bounding_box() for n in chart.locator("path.point").all()) if b]
    box = max(boxes, key=lambda b: b["width"])
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"actor="), timeout=30_000)
    wait_for_app(page)
    no_traceback(page)
    assert query_of(page)["type"] == ["meeting"]
    assert query_of(page)["actor"]
    assert page.blocked_requests == []


def test_a_click_on_a_line_lists_the_events_the_two_share(page, open_app, wait_for_app):
    open_app(page, ACTORS)
    chart = graph(page)
    index = chart.locator(".js-plotly-plot").evaluate(
        "el => el._fullData.findIndex(t => t.meta && t.meta.role === 'edge_handles')"
    )
    assert index >= 0
    handle = chart.locator(".scatterlayer .trace").nth(index).locator("path.point").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    expect(page.get_by_text(re.compile(r"(\d+ events name|1 event names) both"))).to_be_visible(
        timeout=30_000
    )
    wait_for_app(page)
    no_traceback(page)


def test_actor_network_in_arabic(page, open_app, screenshot):
    open_app(page, ACTORS + "&lang=ar")
    no_traceback(page)
    graph(page)
    expect(page.get_by_role("heading", name="الأطراف")).to_be_visible()
    page.wait_for_timeout(500)
    screenshot(page, "actors-ar")


def test_before_after_around_the_marrakesh_ministerial(page, open_app, screenshot):
    open_app(page, BEFORE_AFTER)
    no_traceback(page)
    heading = page.get_by_role("heading", name="Before and after")
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text("2 in the 120 days before, 0 in the 120 days after")).to_be_visible()
    expect(page.get_by_text(re.compile("could be chance"))).to_be_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]').last
    expect(chart.locator(".barlayer path").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(500)
    screenshot(page, "before-after-en")


def test_before_after_in_arabic(page, open_app, screenshot):
    open_app(page, BEFORE_AFTER + "&lang=ar")
    no_traceback(page)
    heading = page.get_by_role("heading", name="قبل الحدث وبعده")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(page.get_by_text(re.compile("في الأيام الـ120 السابقة"))).to_be_visible()
    page.wait_for_timeout(500)
    screenshot(page, "before-after-ar")


def test_playback_steps_through_the_ghwayran_weeks_offline(
    offline_page, open_app, wait_for_app, screenshot
):
    page = offline_page
    open_app(page, PLAYBACK)
    no_traceback(page)
    expect(page.get_by_text("1 event in week of 17 January 2022.")).to_be_visible()
    frame = page.frame_locator('iframe[data-testid="stCustomComponentV1"]').first
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    screenshot(page, "playback-en")
    page.get_by_role("button", name="▶").click()
    page.wait_for_url(re.compile(r"step=2022-01-24"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"in week of 24 January 2022\."))).to_be_visible()
    # Play: the steps move on by themselves and the address bar follows.
    page.get_by_text("Play", exact=True).click()
    page.wait_for_url(re.compile(r"step=2022-02-07"), timeout=30_000)
    assert page.blocked_requests == []
    screenshot(page, "playback-en-playing")


def test_playback_in_arabic(page, open_app, screenshot):
    open_app(page, PLAYBACK.replace("step=2022-01-17", "step=2022-01") + "&lang=ar")
    no_traceback(page)
    expect(page.get_by_text(re.compile(r"في يناير 2022\."))).to_be_visible()
    frame = page.frame_locator('iframe[data-testid="stCustomComponentV1"]').first
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1000)
    screenshot(page, "playback-ar")
