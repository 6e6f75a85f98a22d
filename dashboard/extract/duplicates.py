"""Existing events that are probably a draft's event, so the analyst can merge instead."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.schema import span_of

from .gazetteer import normalise

if TYPE_CHECKING:
    from .drafts import Draft


def _as_date(value) -> date | None:
    """A date from whatever a frame holds: date, Timestamp, datetime64, text, NaT or None."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def duplicates(draft: Draft, candidates, *, days: int = 3, limit: int = 5) -> list[str]:
    """Event ids of existing events that are probably the draft's event, likeliest first.

    Same type; periods (a month-precision date covers its month) at most `days` apart;
    and, when both have one, the same country or a point within 50 km. An undated draft
    (no year in the article and no publication date) matches nothing until it is dated.
    """
    if candidates is None or len(candidates) == 0 or draft.event_date is None:
        return []
    start, end = span_of(draft.event_date, draft.end_date, draft.date_precision)
    scored = []
    for row in candidates.to_dict("records"):
        if row.get("event_type") != draft.event_type:
            continue
        c_start = _as_date(row.get("span_start")) or _as_date(row.get("event_date"))
        c_end = _as_date(row.get("span_end"))
        if c_start is None:
            continue
        if c_end is None:
            c_end = span_of(
                c_start, _as_date(row.get("end_date")), row.get("date_precision") or "day"
            )[1]
        gap = max(0, (c_start - end).days, (start - c_end).days)
        if gap > days:
            continue
        country = row.get("country")
        country = country if isinstance(country, str) and country else None
        lat, lon = row.get("latitude"), row.get("longitude")
        near = None
        if (
            draft.latitude is not None
            and lat is not None
            and lat == lat
            and lon == lon
            and draft.geo_precision in ("exact", "city")
        ):
            near = _km(draft.latitude, draft.longitude, float(lat), float(lon)) <= 50
        if draft.country and country and draft.country != country:
            continue
        same_place = bool(near) or bool(
            draft.location and normalise(draft.location) in normalise(row.get("location") or "")
        )
        scored.append(
            (
                gap + (0 if same_place else 1) + (0 if country == draft.country else 0.5),
                str(row["event_id"]),
            )
        )
    scored.sort()
    return [event_id for _, event_id in scored[:limit]]
