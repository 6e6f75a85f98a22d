"""Sharing under AppTest: a pinned link after an import, a short link, a watched view."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import importer, saved_views, synthetic, versions
from dashboard.filters import Filters, ViewState

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sentence(at: AppTest) -> str:
    """The page's Markdown as a reader sees it: escapes undone, invisible joiners gone."""
    return "\n".join(re.sub(r"\\(.)", r"\1", m.value).replace("\u2060", "") for m in at.markdown)


def test_a_link_made_before_an_import_shows_what_it_showed_and_says_what_changed(
    store_path, tmp_path
):
    made_on = versions.current(store_path)
    before = run({"country": "SYR", "v": str(made_on)})
    count = re.search(r"([\d,]+) events in Syria", sentence(before)).group(1)
    synthetic.write_acled_csv(tmp_path / "acled.csv", 300)
    assert importer.import_file(tmp_path / "acled.csv", store_path, fmt="acled").committed
    after = run({"country": "SYR", "v": str(made_on)})
    assert re.search(r"([\d,]+) events in Syria", sentence(after)).group(1) == count
    said = " ".join(x.value for x in after.text)
    assert "300 events added (left out here), 0 edited" in said
    now = run({"country": "SYR"})
    assert re.search(r"([\d,]+) events in Syria", sentence(now)).group(1) != count


def test_a_short_link_opens_the_saved_view(store_path):
    state = ViewState(page="overview", filters=Filters(countries=("SYR",), types=("attack",)))
    view_id = saved_views.save(store_path, state, "Syria attacks")
    at = run({"view": view_id})
    assert "in Syria" in sentence(at) and "types: attack" in sentence(at)
    assert at.query_params["view"] in (view_id, [view_id])  # the address bar keeps it
    unknown = run({"view": "A" * 16})
    assert any("no saved view" in w.value for w in unknown.text)


def test_the_overview_lists_what_is_new_in_a_watched_view(store_path, tmp_path):
    view_id = saved_views.save(
        store_path, ViewState(filters=Filters(countries=("SYR",))), "Syria", watched=True
    )
    synthetic.write_acled_csv(tmp_path / "acled.csv", 200)
    importer.import_file(tmp_path / "acled.csv", store_path, fmt="acled")
    [entry] = __import__("dashboard.watch").watch.report(store_path)
    assert entry["view"] == view_id and entry["new"]
    at = run({})
    said = " ".join(x.value for x in at.text)
    assert f"{len(entry['new'])} events added or changed since you last opened “Syria”" in said


def test_a_busy_store_leaves_the_watched_views_out_and_says_so(store_path, monkeypatch):
    """At a cold start of a big store the file is busy while its word index is read:
    the overview is drawn without the watched views instead of failing."""
    from dashboard.store import StoreBusy

    def busy(path):
        raise StoreBusy(f"the store {path} is being written by another process")

    monkeypatch.setattr(saved_views, "listed", busy)
    st.cache_data.clear()
    for lang, words in (("en", "Watched views are not shown yet"), ("ar", "لا تظهر العروض")):
        at = run({"lang": lang})
        assert any(words in c.value for c in at.caption), lang
        assert "events" in sentence(at) or "أحداث" in sentence(at) or "حدث" in sentence(at)


def test_the_share_box_makes_a_short_link_and_a_brief(store_path):
    at = run({"country": "IRQ"})
    at.button(key="share_short").click().run()
    assert not at.exception
    shown = [c.value for c in at.code]
    short = [c for c in shown if "/?view=" in c]
    assert len(short) == 1
    view_id = short[0].rsplit("=", 1)[1]
    loaded, _ = saved_views.load(store_path, view_id)
    assert loaded.filters.countries == ("IRQ",)
    assert loaded.filters.as_of == versions.current(store_path)  # pinned to the data
    at.button(key="brief_make").click().run()
    assert not at.exception
    names = {b.label for b in at.get("download_button")}
    assert {"brief.html", "brief.pdf", "map.png", "timeline.png"} <= names


def test_a_view_too_long_for_the_server_is_saved_and_the_user_told_why(store_path):
    actors = [f"{i:02d}" + "غ" * 198 for i in range(50)]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["actor"] = actors
    at.query_params["lang"] = "ar"
    at.run()
    assert not at.exception
    [view_id] = (
        at.query_params["view"]
        if isinstance(at.query_params["view"], list)
        else [at.query_params["view"]]
    )
    assert "actor" not in at.query_params
    assert any("كيلوبايت" in i.value for i in at.info)
    loaded, notices = saved_views.load(store_path, view_id)
    assert notices == [] and list(loaded.filters.actors) == actors


def event_page(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/event.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_link_shows_events_edited_and_deleted_since_as_they_were(store_path):
    from dashboard import curation

    meeting, rabat = "ref-2022-05-11-marrakesh-meeting", "ref-2023-02-28-rabat-statement"
    made_on = versions.current(store_path)
    link = {"country": "MAR", "v": str(made_on)}
    table_then = run({**link, "page": "1"})
    count = re.search(r"([\d,]+) events in Morocco", sentence(table_then)).group(1)
    event = curation.get_event(store_path, meeting)
    curation.update_event(
        store_path, meeting, {"title": "Renamed since"}, "Layla", curation.fingerprint(event)
    )
    curation.delete_event(store_path, rabat, "Layla")
    at = run(link)
    assert re.search(r"([\d,]+) events in Morocco", sentence(at)).group(1) == count
    said = " ".join(x.value for x in at.text)
    assert "1 edited (shown as they were then), 1 removed (shown as they were then)" in said
    # The event page of the deleted event shows it, and says it was deleted since.
    page = event_page({**link, "event": rabat})
    assert any("Africa Focus Group" in t.value for t in page.title)
    assert any("deleted since" in w.value for w in page.warning)
    page = event_page({**link, "event": meeting})
    assert not any("Renamed since" in t.value for t in page.title)
    assert any("edited since" in i.value for i in page.info)
    now = event_page({"event": meeting})
    assert any("Renamed since" in t.value for t in now.title)
