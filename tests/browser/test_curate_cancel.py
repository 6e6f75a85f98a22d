"""Closing the tab while an article is drafted stops the drafting on the server."""

from __future__ import annotations

import re
import time

from dashboard import synthetic
from dashboard.extract import MAX_ARTICLE_CHARS

STOPPED = re.compile(
    r"Drafting stopped after ([\d.]+) s \(200,000 characters, ([\d,]+) checks\): (\w+)"
)


def test_closing_the_tab_stops_the_drafting(browser, start_streamlit, wait_for_app):
    server = start_streamlit()
    article = synthetic.long_article("places and event words", MAX_ARTICLE_CHARS)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(server.url + "/curate")
    wait_for_app(page)
    box = page.locator('[data-testid="stForm"] textarea').first
    date_box = page.locator('[data-testid="stForm"] [data-testid="stDateInput"] input').first
    date_box.fill("2022-05-12")
    date_box.press("Enter")
    # A first, short article: the place names are loaded once per server, on first use
    # (seconds, and not stoppable part way), so the long one is all reading.
    box.fill("Ministers met in Marrakesh on 11 May 2022.")
    page.get_by_role("button", name="Draft events").click()
    wait_for_app(page)
    page.locator('[data-testid="stExpander"]').first.wait_for(timeout=60_000)
    box.fill(article)
    page.get_by_role("button", name="Draft events").click()
    page.wait_for_timeout(1_000)  # the server is drafting (a whole run takes seconds)
    context.close()  # the tab, and its connection, are gone
    closed = time.monotonic()
    match = None
    while time.monotonic() - closed < 10 and match is None:
        match = STOPPED.search(server.log())
        time.sleep(0.1)
    assert match, server.log()[-3000:]
    print(f"\n{match.group(0)}; seen {time.monotonic() - closed:.1f} s after the tab closed")
    # stopped at the next check after the runtime asked the script to stop
    assert match.group(3) == "StopException", match.group(0)
    assert time.monotonic() - closed < 2.0
    assert "Traceback" not in server.log()
