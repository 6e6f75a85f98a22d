"""The place, sub-type and deaths filters in the sidebar: each writes the link, and a link
holding them opens with the widgets set and the sentence saying what they select."""

from __future__ import annotations

from tests.app.test_pages import isolated_store, no_exception, open_app, shown  # noqa: F401


def _all(at, key: str) -> list[str]:
    value = at.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def test_two_places_in_one_go_write_the_link_and_select_both():
    at = open_app()
    box = at.multiselect(key="f_place")
    assert {"Marrakesh", "Lazio", "Rome"} <= set(box.options)  # places and provinces
    box.set_value(["Marrakesh", "Rome"]).run()
    no_exception(at)
    assert _all(at, "place") == ["Marrakesh", "Rome"]
    # Marrakesh's 2 events, Rome's 7 (also "Rome (Farnesina)"): one sentence, one count.
    assert "9 events, at Marrakesh or Rome" in shown(at)


def test_a_sub_type_and_a_range_of_deaths_write_the_link():
    at = open_app()
    at.multiselect(key="f_subtype").set_value(["joint statement"]).run()
    no_exception(at)
    assert at.query_params.get("subtype") == "joint statement"
    assert "9 events, sub-types: joint statement" in shown(at)
    at.multiselect(key="f_subtype").set_value([]).run()
    at.number_input(key="f_deaths_min").set_value(1).run()
    no_exception(at)
    assert at.query_params.get("fatalities_min") == "1"
    assert "subtype" not in at.query_params
    # The one shipped event with a death count (224, North Sinai).
    assert "1 event, deaths: at least 1" in shown(at)
    at.number_input(key="f_deaths_max").set_value(100).run()
    assert at.query_params.get("fatalities_max") == "100"
    assert "0 events, deaths: 1 to 100" in shown(at)  # 224 is past the maximum


def test_a_link_with_the_new_keys_opens_with_the_widgets_set_in_arabic():
    at = open_app(
        {
            "place": ["rome", "Nowhere at all"],
            "subtype": ["ministerial"],
            "fatalities_max": "0",
            "lang": "ar",
        }
    )
    no_exception(at)
    assert at.multiselect(key="f_place").value == ["rome", "Nowhere at all"]
    assert at.multiselect(key="f_subtype").value == ["ministerial"]
    assert at.number_input(key="f_deaths_max").value == 0
    text = " ".join(shown(at))
    assert "rome أو Nowhere at all" in text and "اجتماع وزاري" in text
    assert "القتلى: 0 على الأكثر" in text


def test_hostile_values_of_the_new_keys_give_rows_or_a_notice_never_an_error():
    at = open_app(
        {
            "place": ["' OR 1=1 --", "%", "_", "a\\b"],
            "subtype": ["'); DROP TABLE events; --"],
            "fatalities_min": "1 OR 1=1",
        }
    )
    no_exception(at)
    text = " ".join(shown(at))
    assert "at ' OR 1=1 -- or % or _ or a\\b" in text
    assert any("fatalities_min" in t.value for t in at.text)  # the notice names the key
    assert _all(at, "place") == ["' OR 1=1 --", "%", "_", "a\\b"]
    assert "fatalities_min" not in at.query_params
