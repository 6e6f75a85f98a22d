"""A pinned link on the Spark engine over a lake exported from a curated store, under
AppTest: the count of then, the notice of the embedded engines (edits and deletions shown
as they were), and the event page of a deleted event showing it."""

from __future__ import annotations

import re

import pytest

from dashboard import lake, versions
from tests.app.test_share import event_page, run, sentence
from tests.spark_checks import need_spark

pytestmark = [pytest.mark.distributed, pytest.mark.slow, pytest.mark.timeout(900)]


def test_a_pinned_link_on_spark_shows_edited_and_deleted_events_as_they_were(
    store_path, tmp_path, monkeypatch
):
    need_spark()
    from dashboard import curation
    from dashboard.engines import spark

    # A session of its own: one an earlier test stopped must not be the one asked.
    monkeypatch.setattr(spark, "_OPEN", {})

    meeting, rabat = "ref-2022-05-11-marrakesh-meeting", "ref-2023-02-28-rabat-statement"
    made_on = versions.current(store_path)
    link = {"country": "MAR", "v": str(made_on)}
    count = re.search(r"([\d,]+) events in Morocco", sentence(run(link))).group(1)
    event = curation.get_event(store_path, meeting)
    curation.update_event(
        store_path, meeting, {"title": "Renamed since"}, "Layla", curation.fingerprint(event)
    )
    curation.delete_event(store_path, rabat, "Layla")
    lake.export_store(store_path, tmp_path / "lake")
    monkeypatch.setenv("DASHBOARD_ENGINE", "spark")
    monkeypatch.setenv("DASHBOARD_LAKE", str(tmp_path / "lake"))
    at = run(link)
    assert re.search(r"([\d,]+) events in Morocco", sentence(at)).group(1) == count
    said = " ".join(x.value for x in at.text)
    assert "1 edited (shown as they were then), 1 removed (shown as they were then)" in said
    assert "keeps no history" not in said
    now = re.search(r"([\d,]+) events in Morocco", sentence(run({"country": "MAR"}))).group(1)
    assert int(now.replace(",", "")) == int(count.replace(",", "")) - 1
    page = event_page({**link, "event": rabat})
    assert any("Africa Focus Group" in t.value for t in page.title)
    assert any("deleted since" in w.value for w in page.warning)
    page = event_page({**link, "event": meeting})
    assert not any("Renamed since" in t.value for t in page.title)
    assert any("edited since" in i.value for i in page.info)
    for key, session in spark._OPEN.items():
        if key[0] == "session":
            session.stop()
