"""UI words: the Arabic table is complete, placeholders agree, dates follow precision."""

import re
from datetime import date

import pandas as pd

from dashboard.strings import AR, EN, date_text, t


def test_every_english_ui_string_has_an_arabic_one_with_the_same_placeholders():
    assert sorted(set(EN) - set(AR)) == []
    for key, text in AR.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", EN[key])), key


def test_arabic_text_is_used_and_unknown_language_falls_back_to_english():
    assert t("nav_map", "ar") == "الخريطة"
    assert t("nav_map", "fr") == "Map"


def test_dates_follow_their_precision():
    assert date_text(date(2022, 1, 1), None, "month") == "January 2022"
    assert date_text(date(2022, 1, 1), None, "month", "ar") == "يناير 2022"
    assert (
        date_text(date(2022, 1, 20), date(2022, 1, 30), "day")
        == "20 January 2022 – 30 January 2022"
    )
    assert date_text(date(2015, 6, 1), None, "year") == "2015"


def test_every_stored_value_of_a_closed_field_has_words_in_both_languages():
    from dashboard.schema import DATE_PRECISIONS, GEO_PRECISIONS, VERIFICATION
    from dashboard.strings import value_label

    for value in (*DATE_PRECISIONS, *GEO_PRECISIONS, *VERIFICATION):
        arabic = value_label(value, "ar")
        assert arabic != value and not any("a" <= c.lower() <= "z" for c in arabic), value
        assert value_label(value, "en")
    assert value_label(None, "ar") == "—"


def test_date_text_never_invents_a_day_and_reads_missing_values_as_none():
    assert date_text(pd.Timestamp("2022-01-01"), None, "month") == "January 2022"
    assert date_text("2022-05-11", None, "day") == "11 May 2022"
    assert date_text(pd.NaT) == ""
    assert date_text("2022-05-11", float("nan"), "day") == "11 May 2022"
