"""The Arabic interface keeps data text in its own direction and its own words in Arabic:
the Curate page's drafts and notes, the link's notices, the Event page's mixed lines."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import curation, store
from dashboard.strings import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ARTICLE = "Ministers met in Marrakesh on 11 May 2022 to discuss the coalition against ISIS."
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "arabic.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return store.ensure_store(path)


def open_page(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_english_article_drafted_in_arabic_gets_arabic_notes_and_isolated_text(store_path):
    at = open_page("pages/curate.py", {"lang": "ar"})
    at.text_area[0].set_value(ARTICLE)
    at.date_input[0].set_value(date(2022, 5, 12))
    next(b for b in at.button if b.label == t("draft_events", "ar")).click()
    at.run()
    # the sentence, English inside an Arabic page, keeps its own order
    assert f"{FSI}{ARTICLE}{PDI}" in [x.value for x in at.text]
    # the article's words quoted in the reasoning keep their order too
    assert f"«{FSI}met{PDI}» ← اجتماع" in " ".join(x.value for x in at.text)
    label = at.expander[0].label
    assert re.search(f"{FSI}[^{PDI}]*(Marrakesh|مراكش)[^{PDI}]*{PDI}", label), label
    notes = at.text_area(key="draft_0_notes").value
    assert notes.startswith("مستخرج من المقال (درجة الثقة ")
    assert "التاريخ: " in notes and "Drafted" not in notes and "date:" not in notes
    at.text_input(key="draft_0_editor").set_value("ليلى")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:draft_0")).click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = curation.get_event(store_path, curation.history(store_path)["event_id"].iloc[0])
    assert saved["notes"] == notes


def test_an_english_page_keeps_the_extractor_s_english_notes(store_path):
    at = open_page("pages/curate.py", {})
    at.text_area[0].set_value(ARTICLE)
    at.date_input[0].set_value(date(2022, 5, 12))
    next(b for b in at.button if b.label == t("draft_events", "en")).click()
    at.run()
    assert at.text_area(key="draft_0_notes").value.startswith("Drafted from the article")
    assert ARTICLE in [x.value for x in at.text]  # no isolate marks on an English page


def test_a_link_with_many_refused_parts_says_how_many_more_in_arabic(store_path):
    params = {f"junk{i}": "1" for i in range(25)}
    at = open_page("pages/table.py", {"lang": "ar", **params})
    texts = [x.value for x in at.text]
    assert t("notice_more", "ar", n=5) in texts
    assert not any(x.endswith(" more") for x in texts)


def test_the_arabic_event_page_isolates_coordinates_quotes_and_related_titles(store_path):
    event = curation.get_event(store_path, "ref-2014-09-11-jeddah-meeting")
    at = open_page("pages/event.py", {"lang": "ar", "event": event["event_id"]})
    texts = [x.value for x in at.text]
    coords = next(x for x in texts if x.startswith(LRI))
    assert re.fullmatch(f"{LRI}-?\\d+\\.\\d{{4}}, -?\\d+\\.\\d{{4}}.*{PDI}", coords), coords
    assert f"“{FSI}{event['evidence']}{PDI}”" in texts
    related = curation.get_event(store_path, event["related"][0])
    title = related["title_ar"] or related["title"]
    links = [link.label for link in at.get("page_link")]
    # The related event's chip isolates its title, wherever the chip puts it.
    assert any(f"{FSI}{title}{PDI}" in label for label in links), (title, links)


def test_a_refused_change_on_the_arabic_page_says_why_in_arabic(store_path):
    at = open_page("pages/curate.py", {"lang": "ar"})
    at.text_input(key="editor_name").set_value("ليلى").run()
    at.button(key="undo_last").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [f"لا تغيير لـ{FSI}ليلى{PDI} يمكن التراجع عنه"]
    at.text_input(key="new_event_id").set_value("curated-ar-1")
    at.text_input(key="new_event_editor").set_value("ليلى")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:new_event")).click()
    at.run()
    (error,) = [e.value for e in at.error]
    assert error == f"لم يُحفظ: «{t('f_date', 'ar')}»: مفقود", error
    assert curation.get_event(store_path, "curated-ar-1") is None
