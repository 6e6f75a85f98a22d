"""Editing from the Event page and undoing from the Curate page, through the widgets."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import curation, store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EVENT = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "curation.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return path


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
    at.text_area(key=f"edit_{EVENT}_sources").set_value("")
    at.button(key=f"FormSubmitter:edit_{EVENT}-{'Save changes'}").click().run()
    assert any("sources" in e.value for e in at.error)
    assert curation.get_event(store_path, EVENT)["sources"]


def test_undo_and_restore_from_the_curate_page(store_path):
    store.ensure_store(store_path)
    curation.delete_event(store_path, EVENT, "Omar")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/curate.py").run()
    assert not at.exception
    at.text_input(key="editor_name").set_value("Omar").run()
    at.button(key=f"restore_{EVENT}").click().run()
    assert curation.get_event(store_path, EVENT) is not None
    undo = next(b for b in at.button if b.label == "Undo the last change")
    undo.click().run()
    assert curation.get_event(store_path, EVENT) is None


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
