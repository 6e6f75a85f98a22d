"""UI words: the Arabic table is complete, placeholders agree, dates follow precision."""

import re
from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.strings import AR, EN, count_events, date_text, sentence_strings, t


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
    assert date_text(date(2022, 1, 20), date(2022, 1, 30), "day") == "20–30 January 2022"
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


@pytest.mark.parametrize(
    ("start", "end", "precision", "lang", "text"),
    [
        ("2021-12-28", "2022-01-03", "day", "en", "28 December 2021 – 3 January 2022"),
        ("2022-01-28", "2022-02-03", "day", "en", "28 January – 3 February 2022"),
        ("2022-01-20", "2022-01-30", "day", "ar", "20–30 يناير 2022"),
        ("2022-01-20", "2022-01-20", "day", "en", "20 January 2022"),
        ("2022-01-20", "2022-01-18", "day", "en", "20 January 2022"),
        ("2022-01-01", "2022-01-31", "month", "en", "January 2022"),
        ("2022-01-01", "2022-03-15", "month", "en", "January 2022 – 15 March 2022"),
        ("2022-01-01", "2022-03-15", "month", "ar", "يناير 2022 – 15 مارس 2022"),
        ("2022-01-01", None, "year", "en", "2022"),
        ("2022-01-01", "2022-12-31", "year", "en", "2022"),
        ("2022-01-01", "2023-02-01", "year", "en", "2022 – 1 February 2023"),
    ],
)
def test_one_wording_of_dates_for_every_page(start, end, precision, lang, text):
    assert date_text(start, end, precision, lang) == text


def test_timeline_map_and_table_say_a_span_the_same_way():
    """The issue this guards: the timeline said "20–30 Jan 2022" and the table
    "20 January 2022 – 30 January 2022" for the same siege."""
    from dashboard import charts
    from dashboard.filters import ViewState
    from dashboard.maps import popup_html
    from dashboard.ui.views import _display_frame

    for lang in ("en", "ar"):
        frame = pd.DataFrame(
            {
                "event_id": ["siege"],
                "event_date": [pd.Timestamp("2022-01-20")],
                "end_date": [pd.Timestamp("2022-01-30")],
                "date_precision": ["day"],
                "event_type": ["attack"],
                "title": ["Prison siege"],
                "title_ar": ["حصار السجن"],
                "country": ["SYR"],
                "location": ["Hasakah"],
                "verification": ["verified"],
                "sources": [[]],
            }
        )
        want = date_text("2022-01-20", "2022-01-30", "day", lang)
        table = _display_frame(ViewState(lang=lang), frame).iloc[0, 0]
        fig = charts.timeline_figure(frame, None, lang=lang)
        hover = {
            d[2]
            for trace in fig.data
            if trace.customdata is not None
            for d in trace.customdata
            if d[0]  # not the break between two spans
        }
        popup = popup_html(frame.iloc[0].to_dict(), lang=lang)
        assert table == want and hover == {want} and f"<td>{want}</td>" in popup


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "لا أحداث"),
        (1, "حدث واحد"),
        (2, "حدثان"),
        (3, "3 أحداث"),
        (10, "10 أحداث"),
        (11, "11 حدثًا"),
        (76, "76 حدثًا"),
        (100, "100 حدث"),
        (102, "102 حدث"),
        (103, "103 أحداث"),
        (111, "111 حدثًا"),
        (1000, "1,000 حدث"),
    ],
)
def test_arabic_counts_agree_with_the_number(n, words):
    assert count_events(n, "ar") == words


def test_the_arabic_sentence_counts_with_the_plural_rule():
    sentence = Filters(countries=("SYR",)).describe(
        7, country_name=lambda c: "سوريا", strings=sentence_strings("ar")
    )
    assert sentence == "7 أحداث في سوريا"
    assert Filters().describe(1, strings=sentence_strings("ar")) == "حدث واحد"
    assert Filters().describe(2) == "2 events"


def test_every_reason_a_link_can_be_refused_for_is_said_in_arabic():
    from dashboard.strings import notice_text
    from dashboard.urlstate import decode

    hostile = (
        "bogus=1&country=XXX&from=2022-02-30&event=%3Cb%3E&lang=fr&lat=99&lat=1&zoom=x"
        "&type=party&sort=rowid&desc=2&page=0&unit=day&batch=nope&q=" + "x" * 201
    )
    _, notices = decode(hostile, is_country=lambda c: c == "SYR")
    assert len(notices) >= 12
    for n in notices:
        line = notice_text(n.param, n.value, n.reason, "ar")
        # What remains in Latin letters is the link's own text: parameter, value, codes.
        words = set(re.findall(r"[A-Za-z]{2,}", line.split("لم يُستخدم:")[1]))
        assert words <= {"YYYY", "MM", "DD", "ISO", "alpha", "en", "ar", "lat", "lon"} | set(
            re.findall(r"[A-Za-z]{2,}", n.reason.split("of ")[-1])
        ), (n, line)


def test_data_text_is_isolated_and_cannot_close_its_isolate_early():
    from dashboard.text import isolate

    assert isolate("US raid in Atmeh") == "\u2068US raid in Atmeh\u2069"
    assert isolate("36.4775, 40.7625", ltr=True) == "\u206636.4775, 40.7625\u2069"
    # A stranger's bidi controls are dropped: only our own pair remains.
    hostile = isolate("abc\u2069\u202eevil")
    assert hostile == "\u2068abcevil\u2069"
    assert isolate("") == "" and isolate(None) == ""


def test_the_insight_views_and_version_reasons_are_said_in_arabic_too():
    from dashboard.strings import notice_text
    from dashboard.urlstate import decode

    _, notices = decode(
        "step=2022-13&v=abc&window=x&window_type=party&window_country=XXX",
        is_country=lambda c: c == "SYR",
    )
    assert {n.param for n in notices} == {"step", "v", "window", "window_type", "window_country"}
    for n in notices:
        reason = notice_text(n.param, n.value, n.reason, "ar").split("لم يُستخدم:")[1]
        assert reason.strip() != n.reason
        words = set(re.findall(r"[A-Za-z]{2,}", reason))
        assert words <= {"YYYY", "MM", "DD", "ISO", "alpha"} | set(
            re.findall(r"[A-Za-z]{2,}", n.reason.split("of ")[-1])
        ), (n, reason)


def test_every_sub_type_the_app_can_write_has_an_arabic_name():
    import json
    from pathlib import Path

    from dashboard.extract import SUBTYPE_AR
    from dashboard.strings import sub_type_label

    shipped = Path(__file__).resolve().parents[2] / "data" / "events.jsonl"
    written = {json.loads(line).get("sub_type") for line in shipped.open(encoding="utf-8")}
    for sub_type in (written | set(SUBTYPE_AR)) - {None, ""}:
        label = sub_type_label(sub_type, "ar")
        assert "بالإنجليزية" not in label and not re.search(r"[A-Za-z]", label), sub_type


def test_the_arabic_filter_sentence_isolates_the_searched_phrase_and_the_actors():
    from dashboard.filters import Filters
    from dashboard.strings import sentence_strings

    arabic = sentence_strings("ar")
    sentence = Filters(text="air strikes", actors=("US", "Ministry of Foreign Affairs")).describe(
        3, strings=arabic
    )
    assert "تطابق «\u2068air strikes\u2069»" in sentence
    assert "الفاعلون: \u2068US, Ministry of Foreign Affairs\u2069" in sentence
    # a phrase cannot close its isolate early and reorder the rest of the line
    hostile = Filters(text="abc\u2069\u202eevil").describe(3, strings=arabic)
    assert "«\u2068abcevil\u2069»" in hostile and "\u202e" not in hostile
    assert "\u2068" not in Filters(text="air strikes").describe(3)  # English: as written


@pytest.mark.parametrize(
    "key", ["imp_done", "imp_removed", "net_pair_rows", "pb_shown", "watch_new"]
)
def test_arabic_messages_with_a_count_use_the_plural_rule(key):
    """No "3 من الأحداث" or "3 حدثًا": the noun of every counted message agrees."""
    values = {"b": 4, "a": "أ", "period": "2022", "name": "ن"}
    assert "3 أحداث" in t(key, "ar", n=3, **values)
    assert "11 حدثًا" in t(key, "ar", n=11, **values)
    assert "من الأحداث" not in t(key, "ar", n=3, **values)
    assert "3 events" in t(key, "en", n=3, **values)


def test_the_arabic_brief_says_how_many_more_with_the_plural_rule():
    from dashboard.brief import WORDS

    assert WORDS["ar"]["rest"].format(n=3, events=count_events(3, "ar")).startswith("و3 أحداث")
