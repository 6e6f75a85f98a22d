"""Every page in both languages, photographed for review (tests/browser/screenshots) and
two of them for the README (readme-*.png, the only screenshots kept in git)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

EVENT = "ref-2022-01-20-al-hasakah-attack"
PAGES = {
    "overview": "/?country=SYR&country=IRQ",
    "map": "/map?country=SYR&country=IRQ",
    "timeline": "/timeline?from=2021-01-01&to=2022-12-31",
    "table": "/table?country=SYR",
    "event": f"/event?event={EVENT}",
    "curate": "/curate",
    "import": "/import",
}
README = {("map", "en"): "readme-map", ("event", "ar"): "readme-event-ar"}


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_both_languages(name, lang, page, open_app, screenshot):
    path = PAGES[name]
    if lang == "ar":
        path += ("&" if "?" in path else "?") + "lang=ar"
    open_app(page, path)
    assert page.locator('[data-testid="stException"]').count() == 0
    if name in ("overview", "map", "event"):
        frame = page.frame_locator('iframe[data-testid="stCustomComponentV1"]').first
        expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1500)  # the map's fitted zoom and the charts settle
    screenshot(page, f"page-{name}-{lang}")
    if (name, lang) in README:
        page.screenshot(path=str(screenshot(page, README[(name, lang)])), full_page=False)
    assert page.page_errors == []
