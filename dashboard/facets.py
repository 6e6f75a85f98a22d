"""The place and sub-type facets: which stored values a filter's words pick.

A place or a sub-type is compared folded (:func:`dashboard.text.normalise`: case, accents,
Arabic letter forms), which only Python does exactly. So every engine answers these two
filters the same way: it lists the distinct values of the column (a few thousand even in
a million ACLED events), this module says which of them match, and the engine keeps the
rows holding one of those. What the engines receive are stored values, never the link's
words, so a quote, ``%``, ``_`` or a backslash in a link is only ever text.

- a **place** matches when its folded words appear, as whole words, in the folded place
  name (``location``) or province (``admin1``): "Rome" matches "Rome (Farnesina)" and the
  province "Lazio" matches every event in Lazio, but "Aden" does not match "Baden";
- a **sub-type** matches when it equals the stored sub-type, folded ("armed clash" is
  ACLED's "Armed clash").

Several values of one facet are alternatives (any of them); the facets, like every
other filter, must all hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .text import normalise, normalise_many

#: The columns the facets read.
PLACE_COLUMNS = ("location", "admin1")
SUB_TYPE_COLUMN = "sub_type"


@dataclass(frozen=True)
class Picked:
    """The stored values a filter's places and sub-types pick, per column."""

    location: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    sub_type: tuple[str, ...] = ()


@lru_cache(maxsize=256)
def _place_pattern(folded: str) -> re.Pattern:
    """Whole words: no letter or digit may touch the value where it starts or ends with one."""
    head = r"(?<!\w)" if folded[:1].isalnum() else ""
    tail = r"(?!\w)" if folded[-1:].isalnum() else ""
    return re.compile(head + re.escape(folded) + tail)


def matching_places(names: Iterable[str], places: Iterable[str]) -> list[str]:
    """The ``names`` (distinct stored values) in which one of ``places`` appears."""
    names = [n for n in names if n]
    patterns = [_place_pattern(p) for p in {normalise(p) for p in places} if p]
    if not names or not patterns:
        return []
    folded = normalise_many(names)
    return [n for n, f in zip(names, folded, strict=True) if any(p.search(f) for p in patterns)]


def matching_sub_types(names: Iterable[str], sub_types: Iterable[str]) -> list[str]:
    """The ``names`` (distinct stored sub-types) equal to one of ``sub_types``, folded."""
    wanted = {normalise(s) for s in sub_types} - {""}
    names = [n for n in names if n]
    if not names or not wanted:
        return []
    return [n for n, f in zip(names, normalise_many(names), strict=True) if f in wanted]


def pick(f, values: Callable[[str], list[str]]) -> Picked | None:
    """What ``f``'s places and sub-types pick among ``values(column)`` (the distinct stored
    values of a column); None when ``f`` has neither."""
    if not (f.places or f.sub_types):
        return None
    if f.places:
        location = tuple(matching_places(values("location"), f.places))
        admin1 = tuple(matching_places(values("admin1"), f.places))
    else:
        location = admin1 = ()
    sub_type = tuple(matching_sub_types(values("sub_type"), f.sub_types)) if f.sub_types else ()
    return Picked(location, admin1, sub_type)
