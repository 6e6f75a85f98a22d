"""How two linked events are related, read from the records; an event's neighbours."""

from __future__ import annotations

import pytest

from dashboard.neighbours import place_in
from dashboard.relations import relation


def ev(kind: str, day: str, end: str | None = None, sub: str = "", precision: str = "day"):
    return {
        "event_type": kind,
        "event_date": day,
        "end_date": end,
        "sub_type": sub,
        "date_precision": precision,
    }


@pytest.mark.parametrize(
    ("mine", "other", "kind"),
    [
        (ev("meeting", "2022-05-11"), ev("statement", "2022-05-11"), "same_meeting"),
        (ev("statement", "2022-05-11"), ev("meeting", "2022-05-10", "2022-05-12"), "same_meeting"),
        (ev("statement", "2022-05-11"), ev("resolution", "2022-05-11"), "same_day"),
        # an attack the statement speaks of, also while the siege goes on
        (ev("statement", "2022-05-11"), ev("attack", "2022-01-20", "2022-01-30"), "cited_attack"),
        (ev("statement", "2022-01-26"), ev("attack", "2022-01-20", "2022-01-30"), "cited_attack"),
        (ev("attack", "2022-01-20", "2022-01-30"), ev("statement", "2022-01-26"), "cites_this"),
        # an attack after the statement is not one it refers to
        (ev("statement", "2022-01-26"), ev("attack", "2022-03-01"), "follow_up"),
        (ev("resolution", "2017-09-21"), ev("resolution", "2023-09-15"), "series_later"),
        (ev("meeting", "2019-10-30", sub="talks"), ev("meeting", "2018-01-30"), "series_earlier"),
        (ev("meeting", "2019-10-30", sub="talks"), ev("meeting", "2018-01-30", sub="x"), "earlier"),
        (ev("statement", "2022-05-09"), ev("meeting", "2022-05-11"), "follow_up"),
        (ev("meeting", "2022-05-11"), ev("statement", "2022-05-09"), "earlier"),
        # "May 2022" covers the month: a meeting on the 11th is within it
        (
            ev("meeting", "2022-05-01", precision="month"),
            ev("statement", "2022-05-11"),
            "same_meeting",
        ),
    ],
)
def test_the_kind_of_link_follows_the_stated_rule(mine, other, kind):
    assert relation(mine, other) == kind


def test_every_kind_has_words_in_both_languages():
    from dashboard.relations import KINDS
    from dashboard.strings import AR, EN

    for kind in KINDS:
        assert EN[f"rel_{kind}"] and AR[f"rel_{kind}"] != EN[f"rel_{kind}"]


def test_neighbours_in_the_list_and_none_past_its_ends():
    ids = ["c", "b", "a"]
    middle = place_in(ids, "b")
    assert (middle.index, middle.total, middle.previous, middle.next) == (1, 3, "c", "a")
    first, last = place_in(ids, "c"), place_in(ids, "a")
    assert first.previous is None and first.next == "b"
    assert last.previous == "b" and last.next is None
    outside = place_in(ids, "z")
    assert outside.index is None and outside.previous is None and outside.next is None
    assert place_in([], "a").total == 0
