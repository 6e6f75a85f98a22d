"""Extract, review and save in a real browser, in Arabic: an article becomes cited events."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from dashboard import curation, store

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "articles" / "marrakech_maghreb_ar.txt"


def test_article_to_saved_event_in_arabic(
    tmp_path, start_streamlit, page, wait_for_app, screenshot
):
    path = tmp_path / "curate.duckdb"
    server = start_streamlit(env={"DASHBOARD_STORE": str(path)})
    page.goto(server.url + "/curate?lang=ar")
    wait_for_app(page)
    name = page.get_by_role("textbox", name="اسمك (لسجل التغييرات)")
    name.fill("ليلى")
    name.press("Enter")
    wait_for_app(page)
    page.get_by_role("textbox", name="نص المقال (عربي أو إنجليزي، نص عادي أو HTML)").fill(
        ARTICLE.read_text(encoding="utf-8")
    )
    page.get_by_role("textbox", name="الناشر").fill("Hespress")
    page.get_by_role("textbox", name="رابط المقال").fill("https://example.org/marrakech")
    date_box = page.locator('[data-testid="stForm"] [data-testid="stDateInput"] input').first
    date_box.fill("2022-05-12")
    date_box.press("Enter")
    page.get_by_role("button", name="استخراج مسودات الأحداث").click()
    wait_for_app(page)
    drafts = page.locator('[data-testid="stExpander"]', has_text=re.compile(r"\d+\. \d+ "))
    expect(drafts.first).to_be_visible(timeout=60_000)
    assert drafts.count() >= 4
    first = drafts.first
    expect(first).to_contain_text("11 مايو 2022")
    expect(first).to_contain_text("اجتماع")
    screenshot(page, "curate-drafts-ar")
    before = store.info(path)["events"]
    first.get_by_role("button", name="حفظ كحدث جديد").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert store.info(path)["events"] == before + 1
    log = curation.history(path)
    assert set(log["editor"]) == {"ليلى"} and set(log["action"]) == {"create"}
    saved = curation.get_event(path, log["event_id"].iloc[0])
    assert saved["event_date"].isoformat() == "2022-05-11"
    assert saved["country"] == "MAR"
    assert saved["sources"][0]["url"] == "https://example.org/marrakech"
    screenshot(page, "curate-after-save-ar")
