"""The filter model as a table: filters -> the event ids a user would see."""

from datetime import date

import pytest

from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.store import memory_from_records


def record(event_id, day, event_type="meeting", **extra):
    base = {
        "event_id": event_id,
        "event_date": day,
        "event_type": event_type,
        "title": extra.pop("title", event_id),
        "sources": [{"publisher": "test", "url": "https://example.org/x"}],
    }
    base.update(extra)
    return base


RECORDS = [
    record(
        "m1",
        "2022-05-11",
        country="MAR",
        location="Marrakesh",
        actors=[
            "Morocco (FM Nasser Bourita, co-host)",
            "United States (SecState Antony Blinken, co-host)",
        ],
        latitude=31.63,
        longitude=-8.01,
    ),
    record(
        "a1",
        "2022-01-20",
        "attack",
        end_date="2022-01-30",
        country="SYR",
        location="al-Hasakah (Ghwayran/al-Sina'a prison)",
        actors=["Islamic State"],
        title="ISIS attack on al-Sina'a (Ghwayran) prison",
        latitude=36.48,
        longitude=40.76,
    ),
    record("s1", "2022-01-26", "statement", country="SYR", actors=["Syrian Democratic Forces"]),
    record(
        "mo",
        "2022-03-01",
        "attack",
        date_precision="month",
        country="IRQ",
        title="Attack somewhere in March",
    ),
    record("r1", "2015-12-18", "resolution", country="USA", actors=["UN Security Council"]),
    record(
        "v1", "2020-06-04", "meeting", title="Virtual meeting", actors=["Italy (FM Luigi Di Maio)"]
    ),
    record(
        "ar",
        "2021-06-28",
        "meeting",
        country="ITA",
        title="",
        title_ar="اجتماع التحالف في روما",
        actors=["إيطاليا"],
    ),
]


@pytest.fixture(scope="module")
def q():
    return EventQuery(SqlEngine(memory_from_records(RECORDS)))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"m1", "a1", "s1", "mo", "r1", "v1", "ar"}),
        (Filters(countries=("SYR",)), {"a1", "s1"}),
        (Filters(countries=("SYR", "MAR")), {"a1", "s1", "m1"}),
        (Filters(types=("attack",)), {"a1", "mo"}),
        (Filters(countries=("SYR",), types=("statement",)), {"s1"}),
        # a span overlapping the range counts: the prison siege runs 20-30 January
        (Filters(date_from=date(2022, 1, 25), date_to=date(2022, 1, 25)), {"a1"}),
        (Filters(date_from=date(2022, 1, 27)), {"a1", "mo", "m1"}),
        (Filters(date_to=date(2016, 1, 1)), {"r1"}),
        # month precision covers the month, not just the 1st
        (Filters(date_from=date(2022, 3, 15), date_to=date(2022, 3, 20)), {"mo"}),
        (Filters(actors=("Antony Blinken",)), {"m1"}),
        (Filters(actors=("blinken", "islamic state")), {"m1", "a1"}),
        (Filters(actors=("Di Maio",)), {"v1"}),
        (Filters(text="ghwayran"), {"a1"}),
        (Filters(text="GHWAYRAN prison"), {"a1"}),
        (Filters(text="marrakesh"), {"m1"}),
        (Filters(text="روما"), {"ar"}),
        (Filters(text="أجتماع"), {"ar"}),  # hamza folded on both sides
        (Filters(text="' OR '1'='1"), set()),
        (Filters(countries=("FRA",)), set()),
    ],
)
def test_filters_select_expected_events(q, filters, expected):
    ids = set(q.rows(filters, limit=None)["event_id"])
    assert ids == expected
    assert q.count(filters) == len(expected)


def test_rows_are_sorted_and_paged(q):
    newest = q.rows(Filters(), limit=3)
    assert list(newest["event_id"]) == ["m1", "mo", "s1"]
    second = q.rows(Filters(), limit=3, offset=3)
    assert list(second["event_id"]) == ["a1", "ar", "v1"]
    oldest = q.rows(Filters(), descending=False, limit=1)
    assert list(oldest["event_id"]) == ["r1"]


def test_unknown_sort_column_falls_back_to_date(q):
    frame = q.rows(Filters(), sort="title; DROP TABLE events", limit=2)
    assert list(frame["event_id"]) == ["m1", "mo"]


def test_aggregates(q):
    by_type = dict(q.counts_by(Filters(), "event_type").itertuples(index=False))
    assert by_type == {"meeting": 3, "attack": 2, "statement": 1, "resolution": 1}
    by_country = q.counts_by(Filters(types=("attack", "statement")), "country")
    assert dict(by_country.itertuples(index=False)) == {"SYR": 2, "IRQ": 1}
    months = q.period_counts(Filters(countries=("SYR",)), "month")
    assert months["events"].sum() == 2
    assert months["period"].dt.strftime("%Y-%m-%d").tolist() == ["2022-01-01", "2022-01-01"]
    weeks = q.period_counts(Filters(countries=("SYR",)), "week")
    # 2022-01-20 is a Thursday (week of Monday 17th), 2022-01-26 a Wednesday (week of 24th)
    assert sorted(weeks["period"].dt.strftime("%Y-%m-%d")) == ["2022-01-17", "2022-01-24"]


def test_map_points_only_located_events(q):
    assert set(q.map_points(Filters())["event_id"]) == {"m1", "a1"}
    assert q.count_located(Filters()) == 2


def test_event_and_lists_decode(q):
    event = q.event("m1")
    assert event["actors"][1] == "United States (SecState Antony Blinken, co-host)"
    assert event["sources"][0]["url"] == "https://example.org/x"
    assert q.event("nope") is None


def test_actor_names_are_heads_of_actor_labels(q):
    names = q.actor_names()
    assert "United States" in names and "Morocco" in names and "Islamic State" in names
