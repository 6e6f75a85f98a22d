"""The timeline's brush and the event page's Previous/Next, in Chromium.

A box brushed across the timeline (the toolbar's Box Select) is Kepler's time filter: the
period it covers becomes the date filter, in the sidebar's boxes and in the link, and a
click on an event still selects it. Previous and Next on an event's page walk the
filtered list, each hop a new link (and a step of the browser's history).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from dashboard import store

_PLOT = '[data-testid="stPlotlyChart"] .js-plotly-plot'

# Where the counts' plot area is on the page, and the date under a page x.
_AREA_JS = """el => {
  const r = el.getBoundingClientRect(), xa = el._fullLayout.xaxis2, ya = el._fullLayout.yaxis2;
  return {left: r.left + xa._offset, width: xa._length,
          top: r.top + ya._offset, height: ya._length};
}"""
_DATE_AT_JS = """([el, x]) => {
  const xa = el._fullLayout.xaxis2, r = el.getBoundingClientRect();
  return xa.p2d(x - r.left - xa._offset);
}"""


# The page position of the first day event's marker, and its id.
_MARKER_JS = """el => {
  const t = el._fullData.find(d => d.meta && d.meta.role === 'events');
  const xa = el._fullLayout[t.xaxis.replace('x', 'xaxis')];
  const ya = el._fullLayout[t.yaxis.replace('y', 'yaxis')];
  const r = el.getBoundingClientRect();
  return {id: t.customdata[0][0],
          x: r.left + xa._offset + xa.l2p(xa.d2l(t.x[0])),
          y: r.top + ya._offset + ya.l2p(ya.d2l(t.y[0]))};
}"""


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def no_traceback(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def _day(value) -> date:
    if isinstance(value, int | float):
        return (datetime(1970, 1, 1) + timedelta(milliseconds=value)).date()
    return date.fromisoformat(str(value)[:10])


def test_a_box_brushed_across_the_timeline_sets_the_date_filter_in_the_link(
    page, open_app, wait_for_app, screenshot
):
    open_app(page, "/timeline?from=2014-01-01&to=2024-12-31")
    plot = page.locator(_PLOT).first
    expect(plot).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)
    handle = plot.element_handle()
    area = page.evaluate(_AREA_JS, handle)
    x0 = area["left"] + area["width"] * 0.30
    x1 = area["left"] + area["width"] * 0.55
    y = area["top"] + area["height"] * 0.5
    want_from = _day(page.evaluate(_DATE_AT_JS, [handle, x0]))
    want_to = _day(page.evaluate(_DATE_AT_JS, [handle, x1]))
    # a few pixels' slack for where the drag's first and last events fall
    slack = 3 * max(1, (_day(page.evaluate(_DATE_AT_JS, [handle, x1 + 1])) - want_to).days)
    screenshot(page, "timeline-before-brush")

    # a drag zooms and a click picks an event: the brush is the toolbar's Box Select
    plot.hover()
    page.locator('.modebar-btn[data-title="Box Select"]').first.click()
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=8)
    page.mouse.move(x1, y, steps=8)
    page.mouse.up()
    page.wait_for_url(re.compile(rf"from={want_from.year}"), timeout=30_000)
    wait_for_app(page)
    no_traceback(page)

    query = query_of(page)
    got_from, got_to = date.fromisoformat(query["from"][0]), date.fromisoformat(query["to"][0])
    # the brushed period (eleven years on about 1,100 pixels: a pixel is some four days)
    assert abs((got_from - want_from).days) <= slack and abs((got_to - want_to).days) <= slack
    assert (got_to - got_from).days > 300  # a quarter of the axis, not a click
    sidebar = page.locator('[data-testid="stSidebar"]')
    boxes = sidebar.locator('[data-testid="stTextInput"] input')
    values = [boxes.nth(i).input_value() for i in range(boxes.count())]
    assert query["from"][0] in values and query["to"][0] in values, values
    # the chart now draws only that period, and a click on an event still selects it
    expect(page.locator(_PLOT).first).to_be_visible()
    page.wait_for_timeout(500)
    screenshot(page, "timeline-after-brush")
    marker = page.evaluate(_MARKER_JS, page.locator(_PLOT).first.element_handle())
    page.mouse.click(marker["x"], marker["y"])
    page.wait_for_url(re.compile(rf"event={re.escape(marker['id'])}"), timeout=30_000)
    wait_for_app(page)
    assert query_of(page)["from"] == query["from"]  # the brushed period stays

    page.reload()  # the link alone restores the filter
    wait_for_app(page)
    assert query_of(page)["from"] == query["from"] and query_of(page)["to"] == query["to"]


def _statements_newest_first() -> list[str]:
    rows = [r for r in store.read_shipped() if r["event_type"] == "statement"]
    rows.sort(key=lambda r: (str(r["event_date"]), r["event_id"]), reverse=True)
    return [r["event_id"] for r in rows]


def test_previous_and_next_walk_the_filtered_list_and_keep_the_filters(
    page, open_app, wait_for_app, screenshot
):
    order = _statements_newest_first()
    start = order.index("ref-2022-05-11-marrakesh-statement")
    open_app(page, f"/event?type=statement&event={order[start]}")
    no_traceback(page)
    expect(page.get_by_text(f"{start + 1} of {len(order)} in the filtered list")).to_be_visible()
    expect(page.get_by_text("same meeting").first).to_be_visible()
    screenshot(page, "event-page")

    steps = [("Next →", start + 1), ("Next →", start + 2), ("← Previous", start + 1)]
    for label, index in steps:
        page.get_by_role("link", name=label).click()
        page.wait_for_url(re.compile(rf"event={re.escape(order[index])}"), timeout=30_000)
        wait_for_app(page)
        no_traceback(page)
        assert query_of(page)["type"] == ["statement"]
        expect(
            page.get_by_text(f"{index + 1} of {len(order)} in the filtered list")
        ).to_be_visible()
    page.go_back()  # each hop is a step of the history
    page.wait_for_url(re.compile(rf"event={re.escape(order[start + 2])}"), timeout=30_000)


def test_event_page_in_arabic(page, open_app, screenshot):
    open_app(page, "/event?lang=ar&event=ref-2022-01-20-al-hasakah-attack")
    no_traceback(page)
    expect(page.get_by_text("يشير إلى هذا الهجوم").first).to_be_visible()
    screenshot(page, "event-page-ar")
    open_app(page, "/timeline?lang=ar&from=2014-01-01&to=2016-12-31")
    no_traceback(page)
    screenshot(page, "timeline-ar")
