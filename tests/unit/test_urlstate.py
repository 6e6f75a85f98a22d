"""The URL codec: a shared link restores the view exactly; a bad one opens with notices."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import MAX_DEATHS, MAX_VALUES, Filters, ViewState
from dashboard.schema import EVENT_TYPES
from dashboard.urlstate import (
    MAX_PAGE,
    SORT_KEYS,
    UNITS,
    decode,
    encode,
    filters_only,
    oversized,
    parse_query_string,
    query_string,
)

KNOWN = {"SYR", "IRQ", "MAR", "ITA", "USA", "FRA"}


def read(qs: str, page: str = "overview"):
    return decode(qs, is_country=KNOWN.__contains__, page=page)


def test_full_link_is_read():
    state, notices = read(
        "country=SYR&country=IRQ&from=2022-01-01&to=2022-06-30&type=meeting&type=attack"
        "&actor=Antony%20Blinken&q=%D8%BA%D9%88%D9%8A%D8%B1%D8%A7%D9%86"
        "&event=ref-2022-05-11-marrakesh-meeting&lang=ar&lat=33.5&lon=38.2&zoom=6"
    )
    assert notices == []
    assert state.filters == Filters(
        countries=("SYR", "IRQ"),
        date_from=date(2022, 1, 1),
        date_to=date(2022, 6, 30),
        types=("meeting", "attack"),
        actors=("Antony Blinken",),
        text="غويران",
    )
    assert (state.event, state.lang, state.lat, state.lon, state.zoom) == (
        "ref-2022-05-11-marrakesh-meeting",
        "ar",
        33.5,
        38.2,
        6,
    )


def test_comma_separated_codes_are_accepted_but_actor_names_are_not_split():
    state, notices = read("country=syr,IRQ&type=meeting,attack&actor=Saudi Arabia (FM, chair)")
    assert state.filters.countries == ("SYR", "IRQ")
    assert state.filters.types == ("meeting", "attack")
    assert state.filters.actors == ("Saudi Arabia (FM, chair)",)
    assert notices == []


def test_encode_writes_repeated_keys_and_omits_defaults():
    state = ViewState(filters=Filters(countries=("SYR", "IRQ"), types=("attack",)))
    assert query_string(state) == "country=SYR&country=IRQ&type=attack"
    assert encode(ViewState()) == {}


def test_an_import_batch_link_round_trips():
    state, notices = read("batch=20261129065012-1a2b3c4d&country=SYR")
    assert notices == []
    assert state.filters == Filters(countries=("SYR",), batch="20261129065012-1a2b3c4d")
    assert encode(state) == {"country": ["SYR"], "batch": ["20261129065012-1a2b3c4d"]}
    assert "imported in batch 20261129065012-1a2b3c4d" in state.filters.describe(3)


@pytest.mark.parametrize(
    ("qs", "param", "reason_part"),
    [
        ("country=XXX", "country", "ISO 3166"),
        ("country=SYRIA", "country", "ISO 3166"),
        ("from=2022-02-30", "from", "not a date"),
        ("to=99999-01-01", "to", "not a date"),
        ("type=party", "type", "not one of"),
        ("lang=fr", "lang", "en or ar"),
        ("zoom=99", "zoom", "between"),
        ("lat=NaN&lon=3", "lat", "between"),
        ("event=%3Cscript%3E", "event", "not a valid event id"),
        ("colour=red", "colour", "unknown parameter"),
        ("q=%FF%FE", "q", "not valid text"),
        ("q=" + "a" * 5000, "q", "longer than"),
        ("q=a%00b", "q", "not valid text"),
        ("batch=%27%20OR%201%3D1", "batch", "not an import batch id"),
    ],
)
def test_bad_values_are_dropped_with_a_notice(qs, param, reason_part):
    state, notices = read(qs)
    assert any(n.param == param and reason_part in n.reason for n in notices), notices
    assert state.filters == Filters() or param == "lat"


def test_reversed_range_is_swapped_with_a_notice():
    state, notices = read("from=2022-12-31&to=2022-01-01")
    assert (state.filters.date_from, state.filters.date_to) == (
        date(2022, 1, 1),
        date(2022, 12, 31),
    )
    assert notices and notices[0].param == "to"


def test_thousands_of_values_are_capped():
    qs = "&".join(f"actor=a{i}" for i in range(10_000))
    state, notices = read(qs)
    assert len(state.filters.actors) == MAX_VALUES
    assert any("only the first" in n.reason for n in notices)


def test_sql_metacharacters_stay_plain_text():
    state, notices = read("q=' OR '1'='1&actor=x'); DROP TABLE events; --")
    assert state.filters.text == "' OR '1'='1"
    assert state.filters.actors == ("x'); DROP TABLE events; --",)
    where, params = state.filters.where()
    assert "'1'='1" not in where and "DROP" not in where
    assert notices == []


def test_parse_query_string_survives_broken_percent_encoding():
    assert parse_query_string("?q=%E0%A4%A&x=%%") == [("q", "\ufffd%A"), ("x", "%%")]


def test_oversized_links_are_recognised():
    assert oversized(1001, 10) and oversized(5, 600_000) and not oversized(10, 100)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
deaths = st.integers(0, MAX_DEATHS)
#: Values a link may carry to break a query: each must come back as the same text.
HOSTILE = ["%", "_", "\\", "' OR '1'='1", "'); DROP TABLE events; --", ".*", "a,b", "a&b=c", "#x"]
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffd"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() == s and s.strip())


@given(
    countries=st.lists(st.sampled_from(sorted(KNOWN)), unique=True, max_size=4),
    types=st.lists(st.sampled_from(EVENT_TYPES), unique=True),
    actors=st.lists(text, unique=True, max_size=4),
    q=st.one_of(st.just(""), text),
    span=st.tuples(dates, dates).map(sorted),
    event=st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9:._-]{0,30}", fullmatch=True)),
    lang=st.sampled_from(["en", "ar"]),
    places=st.lists(st.one_of(text, st.sampled_from(HOSTILE)), unique=True, max_size=4),
    sub_types=st.lists(st.one_of(text, st.sampled_from(HOSTILE)), unique=True, max_size=4),
    deaths=st.tuples(st.one_of(st.none(), deaths), st.one_of(st.none(), deaths)),
)
def test_round_trip(countries, types, actors, q, span, event, lang, places, sub_types, deaths):
    low, high = deaths
    if low is not None and high is not None:
        low, high = sorted(deaths)
    state = ViewState(
        filters=Filters(
            countries=tuple(countries),
            date_from=span[0],
            date_to=span[1],
            types=tuple(t for t in EVENT_TYPES if t in types),
            actors=tuple(actors),
            text=q,
            places=tuple(places),
            sub_types=tuple(sub_types),
            fatalities_min=low,
            fatalities_max=high,
        ),
        event=event,
        lang=lang,
    )
    decoded, notices = read(query_string(state))
    assert notices == []
    assert decoded == state


@given(
    countries=st.lists(st.sampled_from(sorted(KNOWN) + [c.lower() for c in KNOWN]), max_size=70),
    types=st.lists(st.sampled_from(EVENT_TYPES + ("Meeting", "ATTACK")), max_size=9),
    actors=st.lists(st.one_of(text, st.just(" padded "), st.just("")), max_size=70),
    q=st.one_of(st.just(""), text),
    span=st.tuples(st.one_of(st.none(), dates), st.one_of(st.none(), dates)),
    batch=st.one_of(st.just(""), st.from_regex(r"\d{14}-[0-9a-f]{8}", fullmatch=True)),
    centre=st.one_of(
        st.none(),
        st.tuples(
            st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 4)),
            st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 4)),
        ),
    ),
    zoom=st.one_of(st.none(), st.integers(1, 18)),
    places=st.lists(st.one_of(text, st.just(" padded "), st.just(""), st.sampled_from(HOSTILE))),
    sub_types=st.lists(st.one_of(text, st.just("Armed clash"), st.sampled_from(HOSTILE))),
    deaths=st.tuples(st.one_of(st.none(), deaths), st.one_of(st.none(), deaths)),
)
def test_every_state_the_sidebar_can_make_survives_its_link(
    countries, types, actors, q, span, batch, centre, zoom, places, sub_types, deaths
):
    """Whatever the widgets hold (duplicates, lower case, too many values, dates the
    wrong way round), the filter they make goes through Filters.clean, as a link's does,
    so the link written from it reads back as the very same view."""
    f, _ = Filters.clean(
        countries=countries,
        date_from=span[0],
        date_to=span[1],
        types=types,
        actors=actors,
        text=q,
        batch=batch,
        places=places,
        sub_types=sub_types,
        fatalities_min=deaths[0],
        fatalities_max=deaths[1],
        is_country=lambda c: c in KNOWN,
    )
    assert len(f.countries) <= MAX_VALUES and len(f.actors) <= MAX_VALUES
    assert len(f.places) <= MAX_VALUES and len(f.sub_types) <= MAX_VALUES
    if f.fatalities_min is not None and f.fatalities_max is not None:
        assert f.fatalities_min <= f.fatalities_max
    state = ViewState(
        filters=f,
        lat=centre[0] if centre else None,
        lon=centre[1] if centre else None,
        zoom=zoom,
    )
    decoded, notices = read(query_string(state))
    assert notices == []
    assert decoded == state


def test_a_map_centre_keeps_its_four_decimals():
    state = ViewState(lat=-33.8688, lon=123.4567, zoom=7)
    assert "lon=123.4567" in query_string(state)
    assert read(query_string(state))[0] == state


# --- the insight views' keys: before/after window, map playback step -------------------


@given(
    window=st.one_of(st.none(), st.integers(1, 730)),
    window_types=st.lists(st.sampled_from(EVENT_TYPES), unique=True),
    country=st.one_of(st.none(), st.sampled_from(sorted(KNOWN))),
    step=st.one_of(
        st.none(),
        dates.map(lambda d: d.strftime("%Y-%m")),
        dates.filter(lambda d: d.weekday() == 0).map(date.isoformat),
    ),
)
def test_window_and_step_round_trip(window, window_types, country, step):
    types = tuple(t for t in EVENT_TYPES if t in window_types)
    state = ViewState(
        page="event",
        event="ref-2022-05-11-marrakesh-meeting",
        window=window,
        window_types=types,
        step=step,
    )
    again, notices = decode(query_string(state), page="event")
    assert notices == []
    assert again == state


def test_the_before_after_link_opens_with_its_window():
    state, notices = read("event=ref-2022-05-11-marrakesh-meeting&window=90")
    assert notices == [] and state.window == 90 and state.window_types == ()
    assert encode(state) == {"event": ["ref-2022-05-11-marrakesh-meeting"], "window": ["90"]}


@given(
    sort=st.sampled_from(SORT_KEYS),
    desc=st.booleans(),
    table_page=st.integers(1, MAX_PAGE),
    unit=st.sampled_from(UNITS),
)
def test_table_order_page_and_timeline_unit_round_trip(sort, desc, table_page, unit):
    state = ViewState(page="table", sort=sort, desc=desc, table_page=table_page, unit=unit)
    decoded, notices = read(query_string(state), page="table")
    assert notices == []
    assert decoded == state


def test_view_settings_have_short_keys_and_defaults_are_omitted():
    state = ViewState(sort="title", desc=False, table_page=3, unit="week")
    assert query_string(state) == "sort=title&desc=0&page=3&unit=week"
    assert query_string(ViewState()) == ""


@pytest.mark.parametrize(
    ("qs", "param"),
    [
        ("window=0", "window"),
        ("window=100000", "window"),
        ("window=ninety", "window"),
        ("window_type=party", "window_type"),
        ("window_country=XXX", "window_country"),
        ("step=2022-13", "step"),
        ("step=2022-01-18", "step"),  # a Tuesday: weeks start on Monday
        ("step=January", "step"),
    ],
)
def test_bad_window_or_step_is_dropped_with_a_notice(qs, param):
    state, notices = read(qs)
    assert [n.param for n in notices] == [param]
    assert (state.window, state.window_types, state.step) == (None, (), None)


def test_window_and_step_do_not_follow_the_user_to_another_page():
    from dashboard.urlstate import filters_only

    state = ViewState(
        filters=Filters(countries=("SYR",)), window=30, window_country="SYR", step="2022-01"
    )
    assert filters_only(state) == ViewState(filters=Filters(countries=("SYR",)))


@pytest.mark.parametrize(
    ("qs", "param"),
    [
        ("sort=title;drop", "sort"),
        ("sort=rowid", "sort"),
        ("desc=yes", "desc"),
        ("page=0", "page"),
        ("page=-2", "page"),
        ("page=1e9", "page"),
        ("page=%D9%A3", "page"),  # an Arabic-Indic digit is not read as a number
        (f"page={MAX_PAGE + 1}", "page"),
        ("unit=day", "unit"),
    ],
)
def test_bad_view_settings_fall_back_with_a_notice(qs, param):
    state, notices = read(qs)
    assert [n.param for n in notices] == [param]
    settings = (state.sort, state.desc, state.table_page, state.unit)
    assert settings == ("event_date", True, 1, "month")


def test_sort_keys_are_the_engines_sortable_columns():
    from dashboard.query import SORTABLE

    assert tuple(SORTABLE) == SORT_KEYS


def test_a_page_switch_drops_the_table_and_timeline_settings():
    state = ViewState(page="table", sort="title", desc=False, table_page=4, unit="week")
    assert query_string(filters_only(state)) == ""


def test_places_sub_types_and_deaths_are_read_from_a_link():
    state, notices = read(
        "place=Marrakesh&place=Washington,%20D.C.&subtype=Armed%20clash&subtype=joint%20statement"
        "&fatalities_min=5&fatalities_max=50"
    )
    assert notices == []
    assert state.filters == Filters(
        places=("Marrakesh", "Washington, D.C."),  # a comma is part of a name
        sub_types=("Armed clash", "joint statement"),
        fatalities_min=5,
        fatalities_max=50,
    )
    assert query_string(state) == (
        "place=Marrakesh&place=Washington%2C+D.C.&subtype=Armed+clash&subtype=joint+statement"
        "&fatalities_min=5&fatalities_max=50"
    )


@pytest.mark.parametrize(
    "qs, param, reason_part",
    [
        ("fatalities_min=-1", "fatalities_min", "whole number of deaths"),
        ("fatalities_max=1e3", "fatalities_max", "whole number of deaths"),
        ("fatalities_min=%27%20OR%201%3D1", "fatalities_min", "whole number of deaths"),
        ("fatalities_max=99999999999999", "fatalities_max", "whole number of deaths"),
        ("fatalities_min=9&fatalities_max=2", "fatalities_max", "swapped"),
        ("place=" + "x" * 201, "place", "longer than"),
        ("subtype=a%00b", "subtype", "not valid text"),
    ],
)
def test_bad_places_sub_types_and_deaths_are_dropped_with_a_notice(qs, param, reason_part):
    state, notices = read(qs)
    assert [n.param for n in notices] == [param]
    assert reason_part in notices[0].reason
    if "swapped" in reason_part:
        assert (state.filters.fatalities_min, state.filters.fatalities_max) == (2, 9)


def test_the_sentence_names_places_sub_types_and_deaths_in_both_languages():
    from dashboard.strings import sentence_strings, sub_type_label

    f, _ = Filters.clean(
        places=["Marrakesh", "Rome"], sub_types=["joint statement"], fatalities_min=1
    )
    assert f.describe(3) == (
        "3 events, at Marrakesh or Rome, sub-types: joint statement, deaths: at least 1"
    )
    arabic = f.describe(
        3, strings=sentence_strings("ar"), sub_type_name=lambda x: sub_type_label(x, "ar")
    )
    assert "Marrakesh أو Rome" in arabic and "بيان مشترك" in arabic
    assert "القتلى: 1 على الأقل" in arabic
    assert Filters(fatalities_max=0).describe(2) == "2 events, deaths: at most 0"
    assert Filters(fatalities_min=2, fatalities_max=9).describe(2).endswith("deaths: 2 to 9")
