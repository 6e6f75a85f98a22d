"""The analyst's loop, step by step, as issue 12 found it broken: every change kept, every
hop in the link and in the history, every view setting in the link."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from dashboard import importer, store
from tests.fixtures.imports import build


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def no_traceback(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def test_pan_the_map_then_change_a_filter_the_new_filter_wins(page, open_app, wait_for_app):
    open_app(page, "/map")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    expect(frame.locator(".leaflet-control-zoom-in")).to_be_visible(timeout=30_000)
    page.wait_for_url(re.compile(r"zoom=\d+"), timeout=15_000)  # the map wrote its view
    zoom = int(query_of(page)["zoom"][0]) + 1
    frame.locator(".leaflet-control-zoom-in").click()  # the user moves the map
    page.wait_for_url(re.compile(rf"zoom={zoom}\b"), timeout=15_000)
    countries = sidebar(page).get_by_label("Countries", exact=True).and_(page.locator("input"))
    countries.click()
    countries.type("Morocco")
    page.get_by_role("option", name="Morocco (MAR)").click()
    page.wait_for_url(re.compile(r"country=MAR"), timeout=30_000)
    wait_for_app(page)
    page.keyboard.press("Escape")
    box = page.get_by_label("Search text", exact=True).and_(page.locator("input"))
    box.fill("marrakesh")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=marrakesh"), timeout=30_000)
    wait_for_app(page)
    no_traceback(page)
    # The first change is kept: the box still says it, the link and the sentence too.
    expect(box).to_have_value("marrakesh")
    query = query_of(page)
    assert query["q"] == ["marrakesh"] and query["country"] == ["MAR"]
    expect(page.get_by_text(re.compile(r"\d+ events? in Morocco, matching"))).to_be_visible()


def test_related_event_hops_are_in_the_link_and_the_history(page, open_app, wait_for_app):
    first, second = "ref-2014-09-11-jeddah-meeting", "ref-2014-09-11-jeddah-statement"
    open_app(page, f"/event?event={first}")
    hops = [second, first, second]
    for target in hops:
        # The page is whole (its map drawn, which reruns the page once) before the click.
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=30_000)
        wait_for_app(page)
        page.locator(f'a[href*="event={target}"]').first.click()
        page.wait_for_url(re.compile(rf"event={target}(&|$)"), timeout=30_000)
        wait_for_app(page)
        no_traceback(page)
    expect(page.get_by_text(second, exact=True)).to_be_visible()  # the page's event id
    page.go_back()
    page.wait_for_url(re.compile(rf"event={first}(&|$)"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text(first, exact=True)).to_be_visible()
    page.reload()
    wait_for_app(page)
    assert query_of(page)["event"] == [first]
    expect(page.get_by_text(first, exact=True)).to_be_visible()


def test_a_typed_date_applies_on_enter_and_tab_and_reads_whole(
    page, open_app, wait_for_app, screenshot
):
    open_app(page, "/table?country=SYR")
    start = sidebar(page).get_by_label("From", exact=True).and_(page.locator("input"))
    start.fill("2022-01-01")
    start.press("Enter")
    page.wait_for_url(re.compile(r"from=2022-01-01"), timeout=30_000)
    wait_for_app(page)
    end = sidebar(page).get_by_label("To", exact=True).and_(page.locator("input"))
    end.fill("2022-06-30")
    end.press("Tab")
    page.wait_for_url(re.compile(r"to=2022-06-30"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"between 1 Jan 2022 and 30 Jun 2022"))).to_be_visible()
    # The whole date is readable in its box: the text is no wider than the box.
    for box in (start, end):
        assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), box.input_value()
    screenshot(page, "sidebar-dates")


def test_typing_a_country_and_enter_selects_that_country_only(page, open_app, wait_for_app):
    open_app(page, "/table")
    picker = sidebar(page).get_by_label("Countries", exact=True).and_(page.locator("input"))
    picker.click()
    picker.type("Iraq")
    picker.press("Enter")
    page.wait_for_url(re.compile(r"country="), timeout=30_000)
    wait_for_app(page)
    assert query_of(page)["country"] == ["IRQ"]


def test_table_sort_and_page_and_timeline_unit_are_in_the_link(
    tmp_path, start_streamlit, page, wait_for_app, browser
):
    path = tmp_path / "many.duckdb"
    store.ensure_store(path)
    csv = build.write_synthetic_acled(tmp_path / "many.csv", 300)
    assert importer.import_file(csv, path).committed
    server = start_streamlit(env={"DASHBOARD_STORE": str(path)})

    page.goto(server.url + "/table")
    wait_for_app(page)
    page.get_by_label("Sort by").click()
    page.get_by_role("option", name="Title").click()
    page.wait_for_url(re.compile(r"sort=title"), timeout=30_000)
    wait_for_app(page)
    page.get_by_label("Newest first").click(force=True)
    page.wait_for_url(re.compile(r"desc=0"), timeout=30_000)
    wait_for_app(page)
    page.locator('[data-testid="stNumberInputStepUp"]').click()
    page.wait_for_url(re.compile(r"page=2"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Rows 101"))).to_be_visible()
    other = browser.new_page()
    other.goto(page.url)
    wait_for_app(other)
    expect(other.get_by_text(re.compile(r"Rows 101"))).to_be_visible()
    expect(other.get_by_label("Page", exact=True)).to_have_value("2")
    assert parse_qs(urlsplit(other.url).query)["sort"] == ["title"]
    other.close()

    page.goto(server.url + "/timeline")
    wait_for_app(page)
    page.locator('[data-testid="stButtonGroup"] button', has_text="week").click()
    page.wait_for_url(re.compile(r"unit=week"), timeout=30_000)
    wait_for_app(page)
    page.reload()
    wait_for_app(page)
    assert query_of(page)["unit"] == ["week"]
    week = page.locator('[data-testid="stButtonGroup"] button', has_text="week")
    expect(week).to_have_attribute("aria-checked", "true")


def test_acled_types_and_spellings_survive_an_import(tmp_path, start_streamlit, page, wait_for_app):
    """ACLED's own type is searchable and shown, and ACLED's spelling of a place is one
    of its aliases (the row is synthetic; its layout and spelling are ACLED's)."""
    row = build._acled_current_row(
        event_id_cnty="SYR99901",
        event_date="2023-03-03",  # a day no shipped event is on
        year="2023",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        location="Al-Hasakeh - Ghoweran",
        notes=f"{build.NOTE}: a strike on the outskirts of the neighbourhood.",
    )
    csv_path = tmp_path / "acled.csv"
    csv_path.write_text(build._csv([row], header=build.ACLED_CURRENT), encoding="utf-8")
    path = tmp_path / "acled.duckdb"
    store.ensure_store(path)
    assert importer.import_file(csv_path, path).committed
    server = start_streamlit(env={"DASHBOARD_STORE": str(path)})

    for term in ("ghwayran", "Explosions", "drone strike"):
        page.goto(server.url + f"/table?from=2023-03-03&to=2023-03-03&q={term}")
        wait_for_app(page)
        no_traceback(page)
        expect(page.get_by_text(re.compile(r"^1 event between"))).to_be_visible()

    page.goto(server.url + "/event?event=acled:SYR99901")
    wait_for_app(page)
    expect(page.get_by_text("Type in the source")).to_be_visible()
    expect(page.get_by_text("Explosions/Remote violence / Air/drone strike")).to_be_visible()
