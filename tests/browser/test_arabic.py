"""The Arabic interface in a real browser: right to left, Arabic words, no stray English."""

from __future__ import annotations

import re

from playwright.sync_api import expect

# Words that are names, not UI text, and may stay Latin on an Arabic screen; yyyy-mm-dd is
# the date widget's own placeholder, which Streamlit does not let an app translate.
ALLOWED_LATIN = {
    "English",
    "CSV",
    "GeoJSON",
    "Parquet",
    "Leaflet",
    "OpenStreetMap",
    "SYR",
    "km",
    "mi",
    "yyyy",
    "mm",
    "dd",
}


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z]+", text)) - ALLOWED_LATIN


def test_arabic_overview_is_right_to_left_with_no_english(page, open_app, screenshot):
    open_app(page, "/?lang=ar&country=SYR")
    expect(page.get_by_text("دبلوماسية النزاعات").first).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert main.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert sidebar.evaluate("el => getComputedStyle(el).direction") == "rtl"
    expect(page.get_by_text(re.compile(r"من الأحداث في سوريا"))).to_be_visible()
    stray = latin_words(sidebar.inner_text())
    assert not stray, f"English left in the Arabic sidebar: {stray}"
    headings = " ".join(page.locator("h1, h2, h3, [data-testid=stWidgetLabel]").all_inner_texts())
    assert not latin_words(headings), headings
    screenshot(page, "arabic-overview")


def test_language_switch_writes_lang_to_the_link(page, open_app, wait_for_app):
    open_app(page, "/table?country=SYR")
    page.locator('[data-testid="stSidebar"] button', has_text="العربية").click()
    page.wait_for_url(re.compile(r"lang=ar"), timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("الجدول").first).to_be_visible()
    assert "country=SYR" in page.url
