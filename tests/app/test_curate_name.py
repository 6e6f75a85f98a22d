"""The name the change log needs is asked beside the button that records the change, and a
press without it is refused with a message naming that field, in the page's language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import curation, store
from dashboard.strings import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ARTICLE = "Ministers met in Marrakesh on 11 May 2022 to discuss the coalition against ISIS."
EVENT = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "curation.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return store.ensure_store(path)


def curate(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/curate.py")
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def beside(at: AppTest, key: str):
    """The button in the column right after the one holding the text box `key`."""
    columns = list(at.columns)
    for i, column in enumerate(columns[:-1]):
        if any(box.key == key for box in column.text_input):
            return columns[i + 1].button[0]
    raise AssertionError(f"no column holds {key}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_saving_a_draft_asks_for_the_name_beside_its_button(store_path, lang):
    at = curate(lang)
    at.text_area[0].set_value(ARTICLE)
    at.date_input[0].set_value(date(2022, 5, 12))
    next(b for b in at.button if b.label == t("draft_events", lang)).click()
    at.run()
    assert at.session_state["_drafts"]
    save = beside(at, "draft_0_editor")
    assert save.label == t("save_new", lang)
    assert at.text_input(key="draft_0_editor").label == t("editor_name", lang)
    before = store.info(store_path)["events"]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    refusal = t("name_required", lang, field=t("editor_name", lang))
    assert refusal in [e.value for e in at.error]
    assert store.info(store_path)["events"] == before  # nothing saved
    at.text_input(key="draft_0_editor").set_value("Layla")
    beside(at, "draft_0_editor").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert refusal not in [e.value for e in at.error]
    assert store.info(store_path)["events"] == before + 1
    log = curation.history(store_path)
    assert set(log["editor"]) == {"Layla"} and set(log["action"]) == {"create"}
    # the name given once is the session's: the undo box beside its button has it
    assert at.text_input(key="editor_name").value == "Layla"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_undo_and_restore_without_a_name_are_refused_naming_the_field(store_path, lang):
    curation.delete_event(store_path, EVENT, "Omar")
    at = curate(lang)
    undo = beside(at, "editor_name")
    assert undo.key == "undo_last"
    undo.click().run()
    refusal = t("name_required", lang, field=t("editor_name", lang))
    assert [e.value for e in at.error] == [refusal]
    deleted = int(curation.deleted_events(store_path)["change_id"].iloc[0])
    at.button(key=f"restore_{deleted}").click().run()
    assert [e.value for e in at.error] == [refusal]
    assert curation.get_event(store_path, EVENT) is None  # neither undone nor restored
    at.text_input(key="editor_name").set_value("Omar").run()
    at.button(key=f"restore_{deleted}").click().run()
    assert not at.error and curation.get_event(store_path, EVENT) is not None


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_new_event_without_an_id_or_a_name_says_which_field_is_missing(store_path, lang):
    at = curate(lang)
    submit = beside(at, "new_event_editor")
    assert submit.label == t("save_new", lang)
    submit.click().run()
    assert [e.value for e in at.error] == [t("field_required", lang, field=t("f_event_id", lang))]
    at.text_input(key="new_event_id").set_value("curated-test-1")
    beside(at, "new_event_editor").click().run()
    assert [e.value for e in at.error] == [t("name_required", lang, field=t("editor_name", lang))]
    assert curation.get_event(store_path, "curated-test-1") is None
