"""The Arabic interface in a real browser: right to left, Arabic words, no stray English."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

# Words that are names, not UI text, and may stay Latin on an Arabic screen: formats, the
# map's credits and scale, key caps, and the name of the language in the switch.
ALLOWED_LATIN = {
    "English",
    "CSV",
    "csv",
    "GeoJSON",
    "Parquet",
    "PNG",
    "HTML",
    "Leaflet",
    "OpenStreetMap",
    "SYR",
    "km",
    "mi",
    "Enter",
    "Esc",
    "Ctrl",
}

EVENT = "ref-2014-01-22-montreux-meeting"
UPLOAD_NAME = "أحداث-تجربة.csv"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
WEEKDAYS = "Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"

# Streamlit's own English, which its widgets draw whatever the app's language (it has no
# setting for it). Written out here rather than read from strings.CHROME_AR, so a string
# dropped from that table fails this test. Each pattern must match a whole text node or
# attribute value: data that merely contains such words (an English event title) is
# allowed, and marked as English by the app itself.
CHROME_EN = [
    re.compile(p)
    for p in (
        # file uploader
        r"Upload",
        r"Upload directories",
        r"Drag and drop (a )?(file|files|directories) here",
        r"(Limit )?[\d.]+ ?(B|KB|MB|GB)( per file)?",
        r"file upload",
        r"Add files",
        r"add icon",
        # text inputs and forms
        r"Press (.+\+)?Enter to (apply|submit form)",
        r"Clear entry",
        r"(Show|Hide) password",
        # help icons and headings
        r"Help for .+",
        r"Link to heading",
        # number inputs
        r"Increment",
        r"Decrement",
        r"Clear value",
        r"(Error: )?Number is (outside|above|below) the allowed range.*",
        # select boxes and multiselects
        r"Choose (or add )?(an option|options)",
        r"Clear all",
        r"Selected values",
        r"Select all",
        r"Select \d+ matches",
        r"Add: .+",
        r"No results",
        r"Dismiss",
        r"\d+ options? available\.",
        # date inputs and the calendar
        r"yyyy|mm|dd",
        r"\d+ – (" + MONTHS + ")",
        r"Choose date( range)?(, .+)?",
        r"(Previous|Next)( month)?",
        r"Use arrow keys to navigate dates.*",
        r"(" + MONTHS + r")( \d{4})?",
        r"(Today, )?(" + WEEKDAYS + r"), .+",
        r"Selected Date: .+",
        r"(Error: |: )?Date set outside allowed range\..*",
        r"Error",
        r"Clear dates?",
        r"Value must be .+ or (later|earlier)\.",
        r"Selected date unavailable\.",
        r"[SMTWF]",
        # toolbars, dataframes, charts
        r"Show/hide columns",
        r"Download as CSV",
        r"Search",
        r"(Close )?[Ff]ullscreen",
        r"Copy to clipboard",
        r"Copied",
        r"(Previous|Next) Result",
        r"Close Search",
        r"Type to search",
        r"Download plot( as a PNG)?",
        r"Zoom( in| out)?",
        r"Pan",
        r"Autoscale",
        r"Reset axes",
        r"streamlit_folium\.st_folium",
        # the page frame
        r"Sidebar",
        r"(Collapse|Expand) sidebar",
        r"Skip to main content",
        r"Running\.\.\.",
    )
]

# Only ever in an attribute (as a word on screen, "day" or "Open" may be the app's own).
CHROME_EN_ATTRIBUTES = [
    re.compile(p)
    for p in (
        r"Remove .+",
        r".+, [\d.]+(B|KB|MB|GB)",
        r"(year|month|day)(, .+)?",
        r"Empty",
        r"Help",
        r"Open",
    )
]

# Every text node (shown or not) and every text-bearing attribute of the page, iframes
# (the map's own document) aside.
COLLECT = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    const el = n.parentElement;
    if (!el || el.closest("script, style, noscript, [data-testid=stIconMaterial]")) continue;
    const value = n.nodeValue.trim();
    if (value) out.push(["text", value, el.tagName]);
  }
  const attrs = ["placeholder", "aria-label", "title", "data-title", "aria-valuetext", "alt"];
  for (const el of document.querySelectorAll("*")) {
    for (const a of attrs) {
      const value = (el.getAttribute(a) || "").trim();
      if (value) out.push([a, value, el.tagName]);
    }
  }
  return out;
}
"""


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z]+", text)) - ALLOWED_LATIN


def english_chrome(page) -> list[tuple[str, str, str]]:
    """Text nodes and attributes on the page that are Streamlit's English."""
    return [
        (kind, value, tag)
        for kind, value, tag in page.evaluate(COLLECT)
        if any(p.fullmatch(value) for p in CHROME_EN)
        or (kind != "text" and any(p.fullmatch(value) for p in CHROME_EN_ATTRIBUTES))
    ]


def latin_attributes(page) -> list[tuple[str, str, str]]:
    """Placeholders, labels and titles with a Latin word that is not an allowed name."""
    return [
        (kind, value, tag)
        for kind, value, tag in page.evaluate(COLLECT)
        if kind != "text" and latin_words(value)
    ]


def settle(page, ms: int = 500) -> None:
    """Let a widget draw and the page's Arabic-chrome script see it (one frame is enough)."""
    page.wait_for_timeout(ms)


def wait_for_arabic_chrome(page) -> None:
    """Give the page's Arabic-chrome script time to load; without it, go on and let the
    checks say which English words are left."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "document.documentElement.dataset.dashboardChrome === 'ar'", timeout=10_000
        )
    settle(page)


def test_arabic_overview_is_right_to_left_with_no_english(page, open_app, screenshot):
    open_app(page, "/?lang=ar&country=SYR")
    expect(page.get_by_text("دبلوماسية النزاعات").first).to_be_visible()
    main = page.locator('[data-testid="stMain"]')
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert main.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert sidebar.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The sidebar sits on the right, where an Arabic reader starts.
    assert sidebar.bounding_box()["x"] > main.bounding_box()["x"]
    expect(page.get_by_text(re.compile(r"\d+ (أحداث|حدثًا) في سوريا"))).to_be_visible()
    wait_for_arabic_chrome(page)
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


# --- Streamlit's own widget words ------------------------------------------------------------


def _type_in_sidebar_search(page) -> None:
    """Typing shows the field's "Press Enter to apply" line (no rerun until Enter)."""
    field = page.locator('[data-testid="stSidebar"] input[aria-label="بحث نصي"]')
    field.click()
    field.type("ab")


def _overview(page, wait_for_app) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    # A typed date that is no date: the box says so, in Arabic.
    start = sidebar.locator('input[aria-label="من"]')
    start.click()  # the search box typed in before applies as it loses focus: let it run
    wait_for_app(page)
    start.fill("11 May")
    start.press("Enter")
    expect(sidebar.get_by_text(re.compile(r"^ليس تاريخًا"))).to_be_visible(timeout=30_000)
    wait_for_app(page)
    settle(page)
    check_page(page, "overview, a typed date refused")
    sidebar.locator('[data-testid="stMultiSelect"]').first.click(force=True)
    page.keyboard.type("zzzz")
    expect(page.locator('[role="listbox"][data-empty]')).to_be_visible()
    settle(page)
    check_page(page, "overview, multiselect with no match")
    page.keyboard.press("Escape")


def _table(page, wait_for_app) -> None:
    frame = page.locator('[data-testid="stDataFrame"]').first
    frame.hover()
    button = page.locator('[data-testid="stElementToolbarButton"]').first
    button.hover()
    settle(page, 800)
    check_page(page, "table, toolbar shown")


def _event(page, wait_for_app) -> None:
    page.locator('[data-testid="stExpander"] summary', has_text="تحرير هذا الحدث").click()
    expect(page.locator('[data-testid="stForm"]').first).to_be_visible()
    page.locator('[data-testid="stForm"] textarea').first.click()
    page.keyboard.type("x")
    settle(page)
    check_page(page, "event, edit form open")


def _curate(page, wait_for_app) -> None:
    page.locator('[data-testid="stForm"] textarea').first.click()
    page.keyboard.type("x")
    settle(page)
    check_page(page, "curate, typing in the article form")
    # A date the field refuses: the message under it and in its error tooltip.
    published = page.locator('[data-testid="stForm"] [data-testid="stDateInput"]').first
    published.locator('[role="spinbutton"]').first.click()
    page.keyboard.type("18000101")
    page.keyboard.press("Tab")
    error_icon = published.locator('[data-testid="stTooltipErrorHoverTarget"]')
    expect(error_icon).to_be_visible()
    error_icon.hover()
    expect(page.locator('[data-testid="stTooltipErrorContent"]')).to_be_visible()
    settle(page)
    check_page(page, "curate, a refused date")


def _import(page, wait_for_app) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[
            {
                "name": UPLOAD_NAME,
                "mimeType": "text/csv",
                "buffer": b"event_id,event_date,event_type,title,country\n"
                b"x-1,2022-01-01,meeting,Test,SYR\n",
            }
        ]
    )
    expect(page.locator('[data-testid="stFileChip"]')).to_be_visible()
    wait_for_app(page)
    settle(page)
    check_page(page, "import, file uploaded")


def _map(page, wait_for_app) -> None:
    """Leaflet's own controls, inside the map's document, named in Arabic too (the frame's
    own title is put into Arabic as well, so it is found by Streamlit's test id)."""
    frame = page.frame_locator('iframe[data-testid="stCustomComponentV1"]').first
    zoom_in = frame.locator(".leaflet-control-zoom-in")
    expect(zoom_in).to_have_attribute("title", "تكبير", timeout=30_000)
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "تصغير")
    expect(frame.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "الطبقات")
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale.nth(1)).to_be_hidden()  # miles


ARABIC_PAGES = {
    "overview": ("/?lang=ar", _overview),
    "map": ("/map?lang=ar", _map),
    "timeline": ("/timeline?lang=ar", None),
    "table": ("/table?lang=ar", _table),
    "event": (f"/event?event={EVENT}&lang=ar", _event),
    "actors": ("/actors?type=meeting&lang=ar", None),
    "map-playback": ("/map?country=SYR&from=2022-01-01&to=2022-02-28&step=2022-01&lang=ar", None),
    "curate": ("/curate?lang=ar", _curate),
    "import": ("/import?lang=ar", _import),
}


def check_page(page, where: str) -> None:
    english = english_chrome(page)
    assert not english, f"Streamlit's English left on the Arabic page ({where}): {english}"
    latin = latin_attributes(page)
    assert not latin, f"Latin placeholders/labels on the Arabic page ({where}): {latin}"


@pytest.mark.parametrize("name", list(ARABIC_PAGES))
def test_no_streamlit_english_on_arabic_pages(name, page, open_app, wait_for_app, screenshot):
    path, interact = ARABIC_PAGES[name]
    open_app(page, path)
    wait_for_arabic_chrome(page)
    check_page(page, f"{name}, as loaded")
    _type_in_sidebar_search(page)
    expect(page.locator('[data-testid="InputInstructions"]').first).to_be_visible()
    settle(page)
    check_page(page, f"{name}, typing in the search box")
    if interact is not None:
        interact(page, wait_for_app)
    assert page.evaluate("document.documentElement.dataset.dashboardChrome") == "ar"
    assert page.page_errors == [], page.page_errors
    screenshot(page, f"arabic-chrome-{name}")


def test_import_page_in_arabic_has_arabic_uploader(page, open_app, wait_for_app, screenshot):
    open_app(page, "/import?lang=ar")
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(uploader.locator("button", has_text="رفع ملف")).to_be_visible()
    expect(uploader.get_by_text(re.compile(r"^الحد \d+ ميغابايت لكل ملف$"))).to_be_visible()
    wait_for_arabic_chrome(page)
    screenshot(page, "arabic-import-empty")
    _import(page, wait_for_app)
    chip = page.locator('[data-testid="stFileChip"]')
    expect(chip.get_by_text(UPLOAD_NAME)).to_be_visible()  # the name is never changed
    expect(chip.get_by_text(re.compile(r"^[\d.]+ بايت$"))).to_be_visible()
    remove = chip.locator('[data-testid="stFileChipDeleteBtn"] button')
    assert remove.get_attribute("aria-label") == f"إزالة {UPLOAD_NAME}"
    screenshot(page, "arabic-import")


def test_switching_back_to_english_restores_streamlit_words(page, open_app, wait_for_app):
    open_app(page, "/import?lang=ar")
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(uploader.locator("button", has_text="رفع ملف")).to_be_visible()
    page.locator('[data-testid="stSidebar"] button', has_text="English").click()
    expect(uploader.locator("button", has_text="Upload")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    settle(page, 1000)
    assert page.evaluate("document.documentElement.dataset.dashboardChrome") == "off"
    sidebar = page.locator('[data-testid="stSidebar"]')
    help_labels = sidebar.locator('[data-testid="stTooltipHoverTarget"] button')
    assert help_labels.first.get_attribute("aria-label").startswith("Help for ")
    start = sidebar.locator('input[aria-label="From"]')
    assert start.get_attribute("placeholder") == "YYYY-MM-DD"
