"""What kind of link joins an event to one in its ``related`` list.

The record keeps only the ids (``related``, both ways), not why two events are linked,
so the kind is read from the two records themselves, by a fixed rule the page states:

1. one is an attack and the other is not, and the attack began first (or the same day):
   the attack is the one the other refers to ("attack it refers to" on the other's page,
   "refers to this attack" on the attack's page) - the shipped data links the statement,
   the meeting or the resolution that speaks of an attack to that attack, also while a
   siege still goes on;
2. their days overlap: "same meeting" when either is a meeting, else "same time";
3. the same type (and the same sub-type where both have one): "earlier" or "later in the
   series" (a resolution and its renewal, a meeting and the next one);
4. otherwise by date alone: "earlier" or "follow-up".

Each kind is a key of dashboard.strings (``rel_*``), so the page says it in its language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .schema import span_of
from .strings import as_day

KINDS = (
    "same_meeting",
    "same_day",
    "cited_attack",
    "cites_this",
    "series_earlier",
    "series_later",
    "earlier",
    "follow_up",
)


def _day(value) -> date | None:
    day = as_day(value)
    return None if day is None else day.date()


def _span(event: Mapping) -> tuple[date, date]:
    first = _day(event.get("event_date"))
    precision = event.get("date_precision") or "day"
    return span_of(first, _day(event.get("end_date")), str(precision))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def relation(event: Mapping, other: Mapping) -> str:
    """The kind of link from ``event`` (the page's) to ``other`` (a related event): one
    of :data:`KINDS`."""
    (s1, e1), (s2, e2) = _span(event), _span(other)
    mine, theirs = event.get("event_type"), other.get("event_type")
    if theirs == "attack" and mine != "attack" and s2 <= s1:
        return "cited_attack"
    if mine == "attack" and theirs != "attack" and s1 <= s2:
        return "cites_this"
    if s1 <= e2 and s2 <= e1:
        return "same_meeting" if "meeting" in (mine, theirs) else "same_day"
    later = s2 > s1
    sub1, sub2 = _text(event.get("sub_type")), _text(other.get("sub_type"))
    if mine == theirs and (not sub1 or not sub2 or sub1 == sub2):
        return "series_later" if later else "series_earlier"
    return "follow_up" if later else "earlier"
