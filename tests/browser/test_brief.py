"""A brief as a colleague opens it: offline, cited, with its link, in its direction."""

from __future__ import annotations

import pytest

from dashboard import brief, geo, store
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters, ViewState
from dashboard.query import EventQuery


@pytest.fixture(scope="module")
def q():
    return EventQuery(SqlEngine(store.memory_from_records(store.read_shipped())))


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_a_brief_opens_offline_with_citations_its_link_and_direction(
    q, offline_page, lang, direction
):
    state = ViewState(filters=Filters(countries=("SYR", "IRQ")), lang=lang)
    made = brief.build(
        q,
        state,
        version=5,
        link="http://localhost:8501/?view=AbCdEfGhIjKlMnOp",
        country_name=geo.country_name,
    )
    page = offline_page
    page.set_content(made.html, wait_until="load")
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    citations = page.locator("li.citation")
    rows = q.rows(state.filters, limit=None)
    assert citations.count() == sum(len(s) for s in rows["sources"]) > 0
    first = citations.first
    assert first.locator(".publisher").inner_text().strip()
    assert first.locator(".url a").get_attribute("href").startswith("http")
    assert first.locator(".language").inner_text().strip() in ("en", "ar", "fr")
    # Each event row's marks lead to its citations.
    mark = page.locator("table.events a").first
    assert page.locator(mark.get_attribute("href")).count() == 1
    link = page.locator("a.share-link")
    assert link.get_attribute("href") == "http://localhost:8501/?view=AbCdEfGhIjKlMnOp"
    assert page.locator("figure.map svg circle").count() > 0
    assert page.locator("figure.timeline svg rect").count() > 0
    assert page.blocked_requests == [] and page.external_requests == []
    assert page.page_errors == []


def test_the_pdf_and_pngs_are_made_by_the_system_chromium(q, browser):
    made = brief.build(q, ViewState(filters=Filters(countries=("SYR",))), version=1, link="x")
    assert brief.pdf(made.html).startswith(b"%PDF")
    assert brief.png(made.map_svg, brief.MAP_W, brief.MAP_H).startswith(b"\x89PNG")
