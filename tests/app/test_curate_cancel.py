"""The Curate page stops a drafting run it no longer needs, and says so in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.testing.v1 import AppTest

import dashboard.extract
from dashboard.strings import t
from dashboard.ui import curation

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ARTICLE = (
    "Ministers met in Marrakesh on 11 May 2022 to discuss the coalition. "
    "An attack on the prison in Hasakah took place on 20 January 2022."
)


@pytest.fixture()
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "curation.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))
    return path


def curate(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/curate.py")
    at.query_params["lang"] = lang
    at.run()
    return at


def draft(at: AppTest, lang: str, text: str = ARTICLE) -> None:
    at.text_area[0].set_value(text)
    at.date_input[0].set_value(date(2022, 5, 12))
    next(b for b in at.button if b.label == t("draft_events", lang)).click()
    at.run()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_run_past_its_time_is_stopped_with_a_message_and_earlier_drafts_kept(
    store_path, monkeypatch, lang
):
    at = curate(lang)
    draft(at, lang)
    assert not at.exception, [e.value for e in at.exception]
    kept = at.session_state["_drafts"]
    assert kept
    monkeypatch.setattr(curation, "DRAFT_SECONDS", 0)  # every run is over its time at once
    draft(at, lang, ARTICLE + " Talks were held in Geneva on 3 March 2022.")
    assert not at.exception, [e.value for e in at.exception]
    stopped = [w.value for w in at.warning]
    assert any(t("draft_cancelled", lang, seconds="0", limit=0) == w for w in stopped), stopped
    # nothing half-done: the drafts of the earlier article are still there, unchanged
    assert at.session_state["_drafts"] is kept
    assert not any("Geneva" in e.label for e in at.expander)


def test_a_closed_session_stops_the_extraction_at_its_next_check(store_path, monkeypatch):
    """When the tab closes, the runtime disconnects the session, which asks its script
    run to stop (Runtime.disconnect_session -> AppSession.request_script_stop ->
    ScriptRequests.request_stop). The same request is made here, mid-extraction."""
    real = dashboard.extract.extract
    seen = {"checks": 0, "finished": False}

    def closing_tab(text, *args, check, **kwargs):
        def spy():
            seen["checks"] += 1
            if seen["checks"] == 3:
                get_script_run_ctx().script_requests.request_stop()  # the tab closes
            check()

        drafts = real(text, *args, check=spy, **kwargs)
        seen["finished"] = True
        return drafts

    monkeypatch.setattr(dashboard.extract, "extract", closing_tab)
    at = curate("en")
    draft(at, "en")
    assert seen["checks"] == 3  # the check right after the request ended the run
    assert not seen["finished"]
    assert not at.exception, [e.value for e in at.exception]
    assert "_drafts" not in at.session_state


def test_a_rerun_asked_for_mid_extraction_ends_the_old_run(store_path, monkeypatch):
    """A widget changed while drafting (the analyst clicks elsewhere): Streamlit queues a
    rerun; the extraction ends at its next check and the page runs again."""
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    real = dashboard.extract.extract
    seen = {"checks": 0, "finished": 0, "runs": 0}

    def clicked_elsewhere(text, *args, check, **kwargs):
        seen["runs"] += 1

        def spy():
            seen["checks"] += 1
            if seen["checks"] == 3:
                ctx = get_script_run_ctx()
                ctx.script_requests.request_rerun(RerunData(query_string=ctx.query_string))
            check()

        drafts = real(text, *args, check=spy, **kwargs)
        seen["finished"] += 1
        return drafts

    monkeypatch.setattr(dashboard.extract, "extract", clicked_elsewhere)
    at = curate("en")
    draft(at, "en")
    assert seen["runs"] == 1 and seen["checks"] == 3 and not seen["finished"]
    assert not at.exception, [e.value for e in at.exception]
    assert "_drafts" not in at.session_state
