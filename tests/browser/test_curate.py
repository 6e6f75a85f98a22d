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
    # the name the change log needs sits beside the button that saves
    first.get_by_role("textbox", name="اسمك (لسجل التغييرات)").fill("ليلى")
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


MEETING = "ref-2022-05-11-marrakesh-meeting"
ROME = "ref-2021-06-28-rome-meeting"


def _say_who(page, name: str, wait_for_app) -> None:
    box = page.get_by_role("textbox", name="Your name (for the change log)")
    box.fill(name)
    box.press("Enter")
    wait_for_app(page)


def _edit_notes(page, server, event_id: str, name: str, notes: str, wait_for_app) -> None:
    page.goto(f"{server.url}/event?event={event_id}")
    wait_for_app(page)
    page.get_by_text("Edit or delete this event").click()
    _say_who(page, name, wait_for_app)
    page.get_by_role("textbox", name="Notes").fill(notes)
    page.get_by_role("button", name="Save changes").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def _undo(page, server, name: str, wait_for_app) -> None:
    page.goto(f"{server.url}/curate")
    wait_for_app(page)
    page.get_by_role("tab", name="Changes and deleted events").click()
    _say_who(page, name, wait_for_app)
    page.get_by_role("button", name="Undo my last change").click()
    wait_for_app(page)


def test_two_editors_in_two_browsers_each_undo_only_their_own_change(
    tmp_path, start_streamlit, browser, wait_for_app
):
    """Layla and Omar edit at once in two browser sessions; Layla's undo takes back her
    change, not Omar's newer one; once Omar has changed her event, her undo is refused."""
    path = tmp_path / "two.duckdb"
    server = start_streamlit(env={"DASHBOARD_STORE": str(path)})
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(2)]
    try:
        layla, omar = (context.new_page() for context in contexts)
        _edit_notes(layla, server, MEETING, "Layla", "Layla's note", wait_for_app)
        _edit_notes(omar, server, ROME, "Omar", "Omar's note", wait_for_app)
        _undo(layla, server, "Layla", wait_for_app)
        expect(layla.get_by_text("Your last change was undone.")).to_be_visible()
        shipped = next(r for r in store.read_shipped() if r["event_id"] == MEETING)
        assert curation.get_event(path, MEETING)["notes"] == shipped["notes"]
        assert curation.get_event(path, ROME)["notes"] == "Omar's note"
        _edit_notes(layla, server, MEETING, "Layla", "Layla again", wait_for_app)
        _edit_notes(omar, server, MEETING, "Omar", "Omar on the meeting", wait_for_app)
        _undo(layla, server, "Layla", wait_for_app)
        expect(layla.get_by_text(re.compile("Omar changed"))).to_be_visible()
        assert curation.get_event(path, MEETING)["notes"] == "Omar on the meeting"
        log = curation.history(path)
        assert list(log[log.action == "undo update"]["editor"]) == ["Layla"]
    finally:
        for context in contexts:
            context.close()
