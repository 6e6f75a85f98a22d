"""The app opens in a real browser: title shown, no Python traceback, no JS crash."""

from __future__ import annotations

from playwright.sync_api import expect


def test_home_page_opens_without_errors(page, open_app, screenshot):
    open_app(page, "/")
    screenshot(page, "smoke-home")

    tracebacks = page.locator('[data-testid="stException"]')
    assert tracebacks.count() == 0, "Python error shown:\n" + tracebacks.first.inner_text()
    expect(page.get_by_text("Conflict diplomacy").first).to_be_visible()
    assert page.page_errors == [], "uncaught JavaScript errors in the page"
