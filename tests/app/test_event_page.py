"""The Event page under AppTest: Previous and Next walk the filtered list, in the table's
order when the link has one; each related event says how it is related; a translated
Arabic title says so."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "apptest-event-store.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))


def open_event(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.switch_page("pages/event.py")  # the link opens the event page itself, as a browser does
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def links(at: AppTest) -> dict[str, dict[str, list[str]]]:
    """Label -> query parameters of every link in the page's body."""
    return {
        link.label: parse_qs(link.proto.query_string)
        for link in at.main.get("page_link")
        if link.proto.page.endswith("event.py") or "event" in link.proto.page
    }


def shipped() -> pd.DataFrame:
    frame = pd.DataFrame(store.read_shipped())
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def test_previous_and_next_are_the_neighbours_in_the_filtered_list_newest_first():
    statements = shipped().query("event_type == 'statement'")
    order = statements.sort_values(["event_date", "event_id"], ascending=False)["event_id"]
    order = order.tolist()
    i = order.index("ref-2022-05-11-marrakesh-statement")
    at = open_event({"event": order[i], "type": "statement"})
    found = links(at)
    previous, following = found["← Previous"], found["Next →"]
    assert previous["event"] == [order[i - 1]] and following["event"] == [order[i + 1]]
    # the hop keeps the filters, so the next page walks the same list
    assert previous["type"] == ["statement"] and following["type"] == ["statement"]
    assert f"{i + 1} of {len(order)} in the filtered list" in [c.value for c in at.caption]


def test_the_tables_order_from_the_link_is_the_order_walked_and_kept():
    attacks = shipped().query("event_type == 'attack'")
    order = attacks.sort_values(["title", "event_id"])["event_id"].tolist()
    at = open_event({"event": order[0], "type": "attack", "sort": "title", "desc": "0"})
    found = links(at)
    assert "← Previous" not in found  # the first of the list has no previous
    assert found["Next →"]["event"] == [order[1]]
    assert found["Next →"]["sort"] == ["title"] and found["Next →"]["desc"] == ["0"]
    assert at.query_params["sort"] == ["title"] or at.query_params["sort"] == "title"


def test_an_event_the_filters_leave_out_has_no_previous_or_next_and_says_why():
    at = open_event({"event": "ref-2022-05-11-marrakesh-statement", "type": "attack"})
    assert "← Previous" not in links(at) and "Next →" not in links(at)
    assert any("Not in the filtered list" in c.value for c in at.caption)


def test_each_related_event_says_how_it_is_related():
    at = open_event({"event": "ref-2022-05-11-marrakesh-statement"})
    labels = [label for label in links(at) if "·" in label]
    meeting = [x for x in labels if "Ministerial meeting" in x]
    attack = [x for x in labels if "Sina" in x or "Ghwayran" in x]
    assert meeting and meeting[0].startswith("**same meeting**"), labels
    assert attack and attack[0].startswith("**attack it refers to**"), labels
    at = open_event({"event": "ref-2022-01-20-al-hasakah-attack", "lang": "ar"})
    labels = [label for label in links(at) if "·" in label]
    assert labels and all(x.startswith("**يشير إلى هذا الهجوم**") for x in labels), labels


def test_a_translated_arabic_title_is_marked_and_the_mark_leaves_the_notes():
    from dashboard.titles import TRANSLATED

    translated = shipped()
    translated = translated[translated["notes"].str.endswith(TRANSLATED)].iloc[0]
    at = open_event({"event": translated["event_id"], "lang": "ar"})
    assert at.title[0].value.replace("\\", "") == translated["title_ar"]
    assert "العنوان العربي مترجم من العنوان الإنجليزي" in [c.value for c in at.caption]
    assert not any(TRANSLATED in x.value for x in at.text)
