"""An event's place in the filtered list, for the event page's Previous and Next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Place:
    """``index`` (from 0) of the event in a list of ``total``; ``None`` when it is not in
    the list (the filters leave it out), and then there is neither previous nor next."""

    index: int | None
    total: int
    previous: str | None
    next: str | None


def place_in(ids, event_id: str) -> Place:
    """Where ``event_id`` sits in ``ids`` (the list in the table's order) and its two
    neighbours; the first has no previous and the last no next (no wrapping round: the
    reader should see the list end)."""
    ids = np.asarray(ids, dtype=object)
    hits = np.flatnonzero(ids == str(event_id))
    if not len(hits):
        return Place(None, len(ids), None, None)
    i = int(hits[0])
    return Place(
        i,
        len(ids),
        str(ids[i - 1]) if i > 0 else None,
        str(ids[i + 1]) if i + 1 < len(ids) else None,
    )
