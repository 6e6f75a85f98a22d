"""Editing from the Event page and undoing from the Curate page, through the widgets."""

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import curation, store
from dashboard.strings import date_text, t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EVENT = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "curation.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return path


def shown(elements) -> list[str]:
    """Messages as a reader sees them (they are Markdown-escaped: they quote data)."""
    return [e.value.replace("\\", "").replace("\u2060", "") for e in elements]


def event_page(params):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/event.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_edit_on_event_page_is_saved_and_logged(store_path):
    at = event_page({"event": EVENT})
    at.text_input(key="editor_name").set_value("Layla")
    at.text_area(key=f"edit_{EVENT}_summary").set_value("Ministers met in Marrakesh.")
    at.button(key=f"FormSubmitter:edit_{EVENT}-{'Save changes'}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert curation.get_event(store_path, EVENT)["summary"] == "Ministers met in Marrakesh."
    log = curation.history(store_path, EVENT)
    assert list(log["editor"]) == ["Layla"] and list(log["field"]) == ["summary"]
    history = [e for e in at.expander if e.label == "Change history"]
    assert history and "summary" in history[0].dataframe[0].value["field"].tolist()


def test_save_without_a_name_is_refused_with_a_message(store_path):
    at = event_page({"event": EVENT})
    at.text_area(key=f"edit_{EVENT}_notes").set_value("changed")
    at.button(key=f"FormSubmitter:edit_{EVENT}-{'Save changes'}").click().run()
    assert any("say who you are" in e.value for e in at.error)
    assert curation.get_event(store_path, EVENT)["notes"] != "changed"


def test_invalid_value_is_refused_naming_the_field(store_path):
    at = event_page({"event": EVENT})
    at.text_input(key="editor_name").set_value("Layla")
    at.text_input(key=f"edit_{EVENT}_title").set_value("")
    at.text_input(key=f"edit_{EVENT}_title_ar").set_value("")
    at.button(key=f"FormSubmitter:edit_{EVENT}-{'Save changes'}").click().run()
    assert any("title and title_ar are both empty" in m for m in shown(at.error))
    assert curation.get_event(store_path, EVENT)["title"]


def test_undo_and_restore_from_the_curate_page(store_path):
    store.ensure_store(store_path)
    curation.delete_event(store_path, EVENT, "Omar")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/curate.py").run()
    assert not at.exception
    at.text_input(key="editor_name").set_value("Omar").run()
    deleted = int(curation.deleted_events(store_path)["change_id"].iloc[0])
    at.button(key=f"restore_{deleted}").click().run()
    assert curation.get_event(store_path, EVENT) is not None
    assert any(f"(change {deleted})" in e.value for e in at.text)  # says which version
    at.button(key="undo_last").click().run()
    assert curation.get_event(store_path, EVENT) is None


SAVE = f"FormSubmitter:edit_{EVENT}-{'Save changes'}"
ROME = "ref-2021-06-28-rome-meeting"


def prepared(store_path, changes: dict) -> dict:
    """The event as a curator left it before this test's editor opens it."""
    store.ensure_store(store_path)
    event = curation.get_event(store_path, EVENT)
    curation.update_event(store_path, EVENT, changes, "setup", curation.fingerprint(event))
    return curation.get_event(store_path, EVENT)


def edit_notes(at, event_id=EVENT, name="Layla", notes="checked again"):
    at.text_input(key="editor_name").set_value(name)
    at.text_area(key=f"edit_{event_id}_notes").set_value(notes)
    at.button(key=f"FormSubmitter:edit_{event_id}-{'Save changes'}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, shown(at.error)


def test_a_notes_only_edit_leaves_a_600_character_title_whole(store_path):
    before = prepared(store_path, {"title": "Long title " * 60})
    at = event_page({"event": EVENT})
    assert at.text_input(key=f"edit_{EVENT}_title").value == before["title"]  # shown whole
    edit_notes(at)
    after = curation.get_event(store_path, EVENT)
    assert after["title"] == before["title"] and len(after["title"]) == 660
    assert after["notes"] == "checked again"
    assert list(curation.history(store_path, EVENT).query("editor == 'Layla'")["field"]) == [
        "notes"
    ]


def test_a_publisher_with_a_bar_and_an_actor_with_a_line_break_survive_an_edit(store_path):
    loaded = store.ensure_store(store_path) and curation.get_event(store_path, EVENT)
    sources = [{**loaded["sources"][0], "publisher": "Reuters | Middle East desk"}]
    actors = ["Nasser Bourita\nMinister of Foreign Affairs", *loaded["actors"][1:]]
    before = prepared(store_path, {"sources": sources, "actors": actors})
    at = event_page({"event": EVENT})
    edit_notes(at)
    after = curation.get_event(store_path, EVENT)
    assert after["sources"] == before["sources"] and after["actors"] == before["actors"]
    assert after["notes"] == "checked again"


def test_an_edit_through_the_form_keeps_the_batch_id(store_path, tmp_path):
    from dashboard import importer

    store.ensure_store(store_path)
    batch = tmp_path / "batch.jsonl"
    record = {
        "event_id": "syn-batch-1",
        "event_date": "2023-03-01",
        "event_type": "statement",
        "title": "Synthetic statement",
        "latitude": 36.123456789,
        "longitude": 40.987654321,
        "country": "SYR",
        "sources": [{"publisher": "Synthetic", "url": "https://example.org/1"}],
    }
    batch.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = importer.import_file(batch, store_path)
    before = curation.get_event(store_path, "syn-batch-1")
    at = event_page({"event": "syn-batch-1"})
    edit_notes(at, "syn-batch-1")
    after = curation.get_event(store_path, "syn-batch-1")
    assert after["batch_id"] == result.batch_id
    assert {k for k in after if after[k] != before[k]} == {"notes"}  # coordinates not rounded


def curate_page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/curate.py").run()
    at.text_input(key="editor_name").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_two_editors_interleaving_each_undo_takes_back_only_their_own(store_path):
    store.ensure_store(store_path)
    meeting, rome = (curation.get_event(store_path, e) for e in (EVENT, ROME))
    layla = event_page({"event": EVENT})
    omar = event_page({"event": ROME})
    edit_notes(layla, EVENT, "Layla", "Layla's note")
    edit_notes(omar, ROME, "Omar", "Omar's note")
    undo = curate_page("Layla")
    undo.button(key="undo_last").click().run()
    assert not undo.error, shown(undo.error)
    assert curation.get_event(store_path, EVENT) == meeting
    assert curation.get_event(store_path, ROME)["notes"] == "Omar's note"
    # Omar now changes the meeting after Layla's second change: her undo is refused.
    layla = event_page({"event": EVENT})  # her page showed the event before her undo
    edit_notes(layla, EVENT, "Layla", "Layla again")
    omar = event_page({"event": EVENT})
    edit_notes(omar, EVENT, "Omar", "Omar on the meeting")
    undo.button(key="undo_last").click().run()
    assert any("Omar changed" in m for m in shown(undo.error))
    assert curation.get_event(store_path, EVENT)["notes"] == "Omar on the meeting"
    log = curation.history(store_path)
    assert list(log[log.action == "undo update"]["editor"]) == ["Layla"]
    assert curation.get_event(store_path, ROME) != rome


def test_the_app_does_not_start_on_a_database_that_is_not_a_store(tmp_path, monkeypatch):
    path = tmp_path / "analysis.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE analysis AS SELECT range AS id FROM range(1000)")
    before = path.read_bytes()
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    message = " ".join(shown(at.error))
    assert "not a store of this dashboard" in message and "analysis (1,000 rows)" in message
    assert path.read_bytes() == before


def test_a_store_of_a_newer_layout_is_shown_read_only(store_path):
    store.ensure_store(store_path)
    with duckdb.connect(str(store_path)) as con:
        con.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    before = store_path.read_bytes()
    at = event_page({"event": EVENT})
    assert any("layout 9" in m and "read-only" in m for m in shown(at.warning))
    at.text_input(key="editor_name").set_value("Layla")
    at.text_area(key=f"edit_{EVENT}_notes").set_value("changed")
    at.button(key=SAVE).click().run()
    assert any("nothing was written" in m for m in shown(at.error))
    assert store_path.read_bytes() == before


ARTICLE = (
    "أعلنت وزارة الخارجية المغربية أن المملكة تحتضن يوم الأربعاء 11 مايو 2022 بمدينة "
    "مراكش الاجتماع الوزاري للتحالف الدولي ضد داعش."
)


@pytest.mark.parametrize(
    ("lang", "why_date", "undated"),
    [("en", "Date: ", "no date"), ("ar", "التاريخ: ", "بلا تاريخ")],
)
def test_article_drafts_show_their_sentence_and_reasoning_in_the_ui_language(
    store_path, lang, why_date, undated
):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/curate.py")
    at.query_params["lang"] = lang
    at.run()
    at.text_area[0].set_value(ARTICLE)
    next(b for b in at.button if b.label == t("draft_events", lang)).click()
    at.run()
    at.button(key="draft_undated").click().run()  # no publication date: asked first
    assert not at.exception, [e.value for e in at.exception]
    texts = [x.value for x in at.text]
    assert any("مراكش" in x for x in texts)  # the sentence itself, as plain text
    assert any(x.startswith(why_date) for x in texts)  # the date's reasoning, in the UI language
    labels = [e.label for e in at.expander]
    # The year is written in the article: the meeting is dated, never "no date".
    meeting = [
        label for label in labels if date_text(date(2022, 5, 11), None, "day", lang) in label
    ]
    assert meeting and not any(undated in label for label in meeting)


def test_an_article_without_a_publication_date_is_questioned_before_drafting(store_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/curate.py").run()
    at.text_area[0].set_value("Ministers met in Marrakesh on 11 May to discuss the coalition.")
    at.button[[b.label for b in at.button].index("Draft events")].click().run()
    assert not at.exception
    assert any("No publication date given" in w.value for w in at.warning)
    assert "_drafts" not in at.session_state  # nothing drafted yet
    at.button(key="draft_undated").click().run()
    assert not at.exception
    assert not any("No publication date given" in w.value for w in at.warning)
    assert "_drafts" in at.session_state
