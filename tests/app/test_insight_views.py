"""The insight views under AppTest: actors, before/after on the event page, map playback."""

from __future__ import annotations

import pytest

from tests.app.test_pages import markdown_text, no_exception, open_app

MARRAKESH = "ref-2022-05-11-marrakesh-meeting"


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "apptest-store.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))


def texts(at) -> str:
    return "\n".join(x.value for x in at.text)


def test_actors_page_lists_the_coalition_ministerials_co_participants():
    at = open_app({"type": "meeting", "q": "coalition"}, page="pages/actors.py")
    no_exception(at)
    assert at.title[0].value == "Actors"
    table = at.dataframe[0].value
    assert table.columns.tolist() == ["Actor", "Kind", "Events", "First", "Last", "Partners"]
    first = table.iloc[0]
    assert first["Actor"] == "United States" and first["Kind"] == "state"
    assert first["Partners"] > 10
    assert "European Union" in table["Actor"].tolist()  # "EU" and "European Union" merged
    assert "EU" not in table["Actor"].tolist()
    assert "actors," in texts(at) and "pairs" in texts(at)
    assert at.query_params["type"] == "meeting"


def test_choosing_a_pair_lists_the_events_the_two_share():
    at = open_app({"type": "meeting", "q": "coalition"}, page="pages/actors.py")
    pair = at.selectbox(key="actors_pair")
    us_italy = next(o for o in pair.options if "Italy" in o and "United States" in o)
    pair.set_value(us_italy).run()
    no_exception(at)
    assert "events name both Italy and United States" in texts(at)
    rows = at.dataframe[1].value
    assert len(rows) >= 3 and rows["Title"].str.contains("Rome|Coalition").any()


def test_actors_page_merges_spellings_of_isis_and_says_when_nothing_matches():
    at = open_app({"country": "SYR", "type": "attack"}, page="pages/actors.py")
    no_exception(at)
    names = at.dataframe[0].value["Actor"].tolist()
    assert "ISIS" in names and "Islamic State" not in names and "ISIL" not in names
    at = open_app({"to": "1950-01-01"}, page="pages/actors.py")
    no_exception(at)
    assert any("No actors" in i.value for i in at.info)


def test_actors_page_in_arabic():
    at = open_app({"type": "meeting", "q": "coalition", "lang": "ar"}, page="pages/actors.py")
    no_exception(at)
    assert at.title[0].value == "الأطراف"
    table = at.dataframe[0].value
    assert table.columns.tolist()[0] == "الطرف"
    assert "دولة" in table["النوع"].tolist()


def test_before_after_opens_from_its_link_with_the_window():
    at = open_app({"event": MARRAKESH, "window": "90"}, page="pages/event.py")
    no_exception(at)
    assert "Before and after" in [s.value for s in at.subheader]
    shown = markdown_text(at)
    assert "in the 90 days before" in shown and "in the 90 days after" in shown
    assert any("not a cause" in c.value for c in at.caption)
    assert at.query_params["window"] == "90"


def test_before_after_counts_attacks_in_syria_around_marrakesh():
    params = {"event": MARRAKESH, "window": "120", "window_country": "SYR"}
    at = open_app(params, page="pages/event.py")
    no_exception(at)
    shown = markdown_text(at)
    # The Ghwayran prison attack (20-30 January 2022) and the Atmeh raid (3 February 2022)
    # are 101 to 111 and 97 days before the ministerial: in 120 days, not in 90.
    assert "**2 in the 120 days before, 0 in the 120 days after**" in shown.splitlines()
    assert "could be chance" in texts(at)
    country = at.selectbox(key="ba_country")
    assert country.value == "SYR"
    next(n for n in at.number_input if n.label == "Days before and after").set_value(90).run()
    no_exception(at)
    assert at.query_params["window"] == "90"
    assert "0 in the 90 days before, 0 in the 90 days after" in markdown_text(at)


def test_before_after_in_arabic():
    at = open_app({"event": MARRAKESH, "window": "90", "lang": "ar"}, page="pages/event.py")
    no_exception(at)
    assert "قبل الحدث وبعده" in [s.value for s in at.subheader]
    assert "في الأيام الـ90 السابقة" in markdown_text(at)


def test_playback_opens_at_the_step_of_its_link():
    params = {"country": "SYR", "from": "2022-01-01", "to": "2022-02-28", "step": "2022-01"}
    at = open_app(params, page="pages/map.py")
    no_exception(at)
    assert at.toggle[1].value is True
    assert at.select_slider(key="pb_step").value == "2022-01"
    assert at.select_slider(key="pb_step").options == ["January 2022", "February 2022"]
    assert "2 events in January 2022." in texts(at).splitlines()
    at.button(key="pb_next").click().run()
    no_exception(at)
    assert at.query_params["step"] == "2022-02"
    # The Atmeh raid of 3 February 2022.
    assert "1 event in February 2022." in texts(at).splitlines()


def test_playback_by_week_and_switching_it_off():
    params = {"country": "SYR", "from": "2022-01-01", "to": "2022-02-28", "step": "2022-01-17"}
    at = open_app(params, page="pages/map.py")
    no_exception(at)
    slider = at.select_slider(key="pb_step")
    assert slider.value == "2022-01-17" and slider.options[0] == "week of 27 December 2021"
    assert "1 event in week of 17 January 2022." in texts(at)  # the Ghwayran attack
    at.toggle[1].set_value(False).run()
    no_exception(at)
    assert "step" not in at.query_params


def test_playback_in_arabic():
    params = {
        "country": "SYR",
        "from": "2022-01-01",
        "to": "2022-02-28",
        "step": "2022-01",
        "lang": "ar",
    }
    at = open_app(params, page="pages/map.py")
    no_exception(at)
    assert at.toggle[1].label == "تشغيل عبر الزمن"
    assert "حدثان في يناير 2022." in texts(at)  # the noun agrees with the count (two)


def test_before_after_of_a_virtual_meeting_asks_for_a_country():
    at = open_app({"event": "ref-2020-11-10-virtual-meeting"}, page="pages/event.py")
    no_exception(at)
    assert any("no country of its own" in i.value for i in at.info)
    at = open_app(
        {"event": "ref-2020-11-10-virtual-meeting", "window_country": "IRQ"}, page="pages/event.py"
    )
    no_exception(at)
    assert "in the 90 days before" in markdown_text(at)
