"""One draft per event: mentions that agree on type, date and place become one draft."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .cancel import never
from .duplicates import _km
from .gazetteer import _RANK

if TYPE_CHECKING:
    from .drafts import Draft


def _contains(coarse: Draft, fine: Draft) -> bool:
    """Whether the finer draft's date lies in the coarser draft's period."""
    if coarse.event_date is None or fine.event_date is None:
        return False
    order = {"year": 0, "month": 1, "day": 2}
    if order.get(coarse.date_precision, 2) >= order.get(fine.date_precision, 2):
        return False
    if coarse.date_precision == "year":
        return coarse.event_date.year == fine.event_date.year
    return (coarse.event_date.year, coarse.event_date.month) == (
        fine.event_date.year,
        fine.event_date.month,
    )


_ENDED = re.compile(
    r"انتهت|انتهي|اختتمت|اختتم|اختتام|تتوج|\bended\b|\bconcluded\b|\bclosed\b|\bwrapped up\b",
    re.I,
)
#: A meeting said to end this many days after a meeting of the same place began is its end.
MEETING_DAYS = 7


def join_rounds(drafts: list[Draft], check: Callable[[], None] = never) -> list[Draft]:
    """ "Talks began on 19 October ... the round ended on 23 October in Geneva": one meeting."""
    out: list[Draft] = []
    for draft in drafts:
        check()
        start = next(
            (
                d
                for d in out
                if draft.event_type == d.event_type == "meeting"
                and draft.event_date
                and d.event_date
                and draft.date_precision == d.date_precision == "day"
                and draft.country
                and draft.country == d.country
                and draft.location == d.location
                and 0 < (draft.event_date - d.event_date).days <= MEETING_DAYS
                and _ENDED.search(draft.sentence)
                and not d.end_date
            ),
            None,
        )
        if start is None:
            out.append(draft)
            continue
        start.end_date = draft.event_date
        start.reasons = [
            *start.reasons,
            f"ends on {draft.event_date} (sentence {draft.sentence_index + 1})",
        ]
        start.actors = list(dict.fromkeys(start.actors + draft.actors))
    return out


#: Two attacks of one day placed in towns this far apart are two attacks.
APART_KM = 50


def _apart(a: Draft, b: Draft) -> bool:
    """A missile on Jeddah and a drone on Khamis Mushait the same day: both attacks are
    placed at a town, and the towns are far apart."""
    if a.event_type != "attack" or b.event_type != "attack":
        return False
    fine = ("exact", "city")
    if a.geo_precision not in fine or b.geo_precision not in fine:
        return False
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    return _km(a.latitude, a.longitude, b.latitude, b.longitude) > APART_KM


def merge(drafts: list[Draft], check: Callable[[], None] = never) -> list[Draft]:
    """One draft per event: mentions that agree on type, date and place become one.

    Dates agree when they are the same at the same precision, or when a month or year
    holds the other's day ("last month's attack on the prison" and "the attack of
    Thursday 20 January"); places agree when they are the same country or one is unknown.
    """
    merged: list[Draft] = []
    for draft in drafts:
        check()
        twin = next(
            (
                m
                for m in merged
                if m.event_type == draft.event_type
                and m.event_date is not None
                and draft.event_date is not None
                and (
                    (m.event_date == draft.event_date and m.date_precision == draft.date_precision)
                    or _contains(m, draft)
                    or _contains(draft, m)
                )
                and (not m.country or not draft.country or m.country == draft.country)
                and not _apart(m, draft)
            ),
            None,
        )
        if twin is None:
            merged.append(draft)
            continue
        finer = {"day": 2, "month": 1, "year": 0}
        keep, other = twin, draft
        if finer.get(draft.date_precision, 0) > finer.get(twin.date_precision, 0) or (
            draft.date_precision == twin.date_precision
            and (_RANK.get(draft.geo_precision or "", 9), -draft.confidence)
            < (_RANK.get(twin.geo_precision or "", 9), -twin.confidence)
        ):
            keep, other = draft, twin
        if not keep.country and other.country:
            for name in (
                "location",
                "country",
                "latitude",
                "longitude",
                "geo_precision",
                "admin1",
                "coord_basis",
            ):
                setattr(keep, name, getattr(other, name))
            keep.reasoning = {**keep.reasoning, "place": other.reasoning.get("place", "")}
            keep.reasoning_ar = {**keep.reasoning_ar, "place": other.reasoning_ar.get("place", "")}
        keep.actors = list(dict.fromkeys(keep.actors + other.actors))
        keep.planned = keep.planned and other.planned
        keep.reasons = [*keep.reasons, f"also in sentence {other.sentence_index + 1}"]
        if keep is draft:
            merged[merged.index(twin)] = draft
    return merged
