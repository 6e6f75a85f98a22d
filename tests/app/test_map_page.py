"""The Map page under AppTest: the list of the events in view beside the map."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "apptest-store.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))


def open_map(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/map.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_side_list_names_each_event_in_view_newest_first_with_its_link():
    # Before the browser reports its viewport, the map's own extent: every located event.
    at = open_map({"country": "MAR", "type": "meeting"})
    assert "**In view: 2 events**" in [m.value for m in at.markdown]
    links = [link.proto for link in at.get("page_link") if "event=" in link.proto.query_string]
    assert [link.query_string.split("event=")[1] for link in links] == [
        "ref-2022-05-11-marrakesh-meeting",
        "ref-2018-06-26-rabat-meeting",
    ]
    assert all(link.page == "event" and "country=MAR" in link.query_string for link in links)
    # Titles are escaped for Markdown (shown as written, never as markup).
    assert links[0].label.startswith("Ministerial meeting of the Global Coalition")
    assert "\\-" in links[0].label
    assert [x.value for x in at.text][-2:] == ["11 May 2022 · meeting", "26 June 2018 · meeting"]


def test_the_side_list_speaks_arabic():
    at = open_map({"country": "MAR", "type": "meeting", "lang": "ar"})
    assert any(m.value.startswith("**في هذا الجزء من الخريطة: ") for m in at.markdown)
    assert "11 مايو 2022 · اجتماع" in [x.value for x in at.text]
