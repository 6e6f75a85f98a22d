"""The place and deaths filters typed in a real browser: "Marrakesh or Rome" in one go,
written to the link, and the link opening the same view after a reload."""

from __future__ import annotations

import re

from tests.browser.test_flow import no_traceback, query_of, sidebar


def test_two_places_typed_in_one_box_and_a_minimum_of_deaths_are_in_the_link(
    page, open_app, wait_for_app
):
    open_app(page, "/table")
    box = sidebar(page).get_by_label("Places or provinces (any of)", exact=True)
    picker = box.and_(page.locator("input"))
    for name in ("Marrakesh", "Rome"):  # the city, not its province "Marrakesh-Safi"
        picker.click()
        picker.type(name)
        picker.press("Enter")
        page.wait_for_url(re.compile(r"place=" + name[:4]), timeout=30_000)
        wait_for_app(page)
    assert query_of(page)["place"] == ["Marrakesh", "Rome"]
    main = page.locator('[data-testid="stMain"]')

    def shown() -> str:  # without the word joiner that keeps Markdown from reading ":x:"
        return main.inner_text().replace("\u2060", "")

    # Marrakesh (2 events) or Rome (7, "Rome (Farnesina)" too): one view.
    assert "9 events, at Marrakesh or Rome" in shown()
    deaths = sidebar(page).get_by_label("Deaths, at most", exact=True)
    deaths.fill("0")
    deaths.press("Enter")
    page.wait_for_url(re.compile(r"fatalities_max=0"), timeout=30_000)
    wait_for_app(page)
    assert "0 events, at Marrakesh or Rome, deaths: at most 0" in shown()
    page.reload()
    wait_for_app(page)
    no_traceback(page)
    assert query_of(page)["place"] == ["Marrakesh", "Rome"]
    assert sidebar(page).get_by_label("Deaths, at most", exact=True).input_value() == "0"
    assert "deaths: at most 0" in shown()
