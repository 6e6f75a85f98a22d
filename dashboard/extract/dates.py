"""Dates of a sentence, resolved against the article's reference date.

A wrong year is worse than no date: a year the text does not write is worked out from the
reference date only, and without one the mention keeps what the text says (day and month,
a weekday) and no date; the reason goes with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.text import fold_letters

from .date_words import (
    _AR_PATTERNS,
    _AR_REL_WORDS,
    _AR_THIS_MONTH,
    _DATELINE,
    _EN_PATTERNS,
    _FUTURE_HINTS,
    _MONTHS_AR,
    _MONTHS_EN,
    _REL_EN,
    _THIS_MONTH_EN,
    _WEAK_MONTHS_AR,
    _WEEKDAYS_AR,
    _WEEKDAYS_EN,
)

#: A day and month without a year that would fall more than this many days after the
#: reference date is taken to be last year's ("11 May" in an article of 2 January).
FUTURE_SLACK_DAYS = 7


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    event_date: date
    precision: str  # 'day' | 'month'
    end_date: date | None
    certainty: float
    how: str
    style: str  # month-name style of the article ('levantine', 'standard', ..., 'en')


def _rel_kind(word: str | None) -> str | None:
    if not word:
        return None
    word = word.strip()
    for kind, words in _AR_REL_WORDS.items():
        if word in words:
            return kind
    return _REL_EN.get(word.lower())


def _month_year(month: int, rel: str | None, ref: date, future: bool) -> tuple[int, str]:
    """Year of a month named without one, and why."""
    if rel == "past":
        year = ref.year if month < ref.month else ref.year - 1
        return year, "the last such month before publication"
    if rel == "current":
        return ref.year, "the year of publication"
    if rel == "future":
        year = ref.year if month > ref.month else ref.year + 1
        return year, "the next such month after publication"
    if month <= ref.month:
        if future and month < ref.month:
            return ref.year + 1, "future tense: the next such month"
        return ref.year, "the most recent such month"
    if future:
        return ref.year, "future tense: later in the year of publication"
    return ref.year - 1, "a later month than publication: the year before"


def _day_year(month: int, day: int, rel: str | None, ref: date, future: bool) -> tuple[int, str]:
    if rel in ("past", "current", "future"):
        return _month_year(month, rel, ref, future)
    try:
        candidate = date(ref.year, month, day)
    except ValueError:
        return ref.year, "the year of publication"
    if candidate > ref + timedelta(days=FUTURE_SLACK_DAYS) and not future:
        return ref.year - 1, "would fall after publication: the year before"
    if future and candidate < ref - timedelta(days=FUTURE_SLACK_DAYS):
        return ref.year + 1, "future tense: the next such day"
    return ref.year, "the year of publication"


def _weekday_before(ref: date, weekday: int, rel: str | None) -> tuple[date, str]:
    if rel == "future":
        delta = (weekday - ref.weekday()) % 7 or 7
        return ref + timedelta(days=delta), "the next such weekday after publication"
    delta = (ref.weekday() - weekday) % 7
    if rel == "past" and delta == 0:
        delta = 7
    return ref - timedelta(days=delta), "the most recent such weekday on or before publication"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(folded: str, published: date | None, lang: str) -> list[DateMention]:
    """Every date the sentence writes, resolved against the publication date.

    `folded` is the sentence after :func:`fold_letters` (case kept). Overlapping
    matches are resolved by pattern order: a range beats a day, a day beats a month.
    """
    ref = published or date.today()
    assumed = published is None
    patterns = _AR_PATTERNS + _EN_PATTERNS if lang == "ar" else _EN_PATTERNS + _AR_PATTERNS
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in patterns:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            # Future tense only counts when it governs this date: "will be held on 11 May",
            # not "announced on 9 May that the meeting would be held".
            future = bool(_FUTURE_HINTS.search(folded[max(0, m.start() - 60) : m.start()]))
            if _DATELINE.match(folded[: m.start()]):
                continue
            mention = _resolve(kind, m, ref, future)
            if mention is None:
                if kind in ("range", "day", "iso", "dmy"):
                    taken.append((m.start(), m.end()))  # "31 شباط": no such day, no date
                continue
            if assumed and mention.how and "written" not in mention.how:
                mention = DateMention(
                    **{
                        **mention.__dict__,
                        "certainty": mention.certainty * 0.6,
                        "how": mention.how + "; no publication date given, "
                        "so today's date was used",
                    }
                )
            taken.append((m.start(), m.end()))
            found.append(mention)
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match, ref: date, future: bool) -> DateMention | None:
    g = m.groupdict()
    text = m.group(0).strip()
    start, end = m.start(), m.end()
    month_word = g.get("month")
    month = None
    style = "en"
    if month_word:
        if month_word.isdigit():
            month = int(month_word)
            style = "numeric"
        elif month_word in _MONTHS_AR:
            month, style = _MONTHS_AR[month_word]
        else:
            month = _MONTHS_EN.get(month_word.rstrip("."))
    year = int(g["year"]) if g.get("year") else None
    rel = _rel_kind(g.get("rel"))

    if kind in ("iso", "dmy"):
        d = _safe_date(year, month, int(g["day"])) if month else None
        if d is None:
            return None
        return DateMention(start, end, text, d, "day", None, 1.0, "written in full", "numeric")

    if kind == "yesterday":
        back = 2 if fold_letters(g["yesterday"]).startswith("اول") else 1
        return DateMention(
            start,
            end,
            text,
            ref - timedelta(days=back),
            "day",
            None,
            0.75,
            f"{back} day(s) before publication",
            "en",
        )

    if kind == "weekday":
        if g.get("rel") and g["rel"].lower() == "this":
            rel = None
        weekday = _WEEKDAYS_AR.get(g["weekday"], _WEEKDAYS_EN.get(g["weekday"]))
        if weekday is None:
            return None
        if future and rel is None:
            rel = "future" if _weekday_before(ref, weekday, None)[0] != ref else None
        d, how = _weekday_before(ref, weekday, rel)
        return DateMention(start, end, text, d, "day", None, 0.6, how, "en")

    if kind in ("this_month", "day_this_month"):
        word = g["thismonth"].strip()
        rel_kind = next((k for k, ws in _AR_THIS_MONTH.items() if word in ws), None)
        rel_kind = rel_kind or _THIS_MONTH_EN.get(word.lower())
        first = ref.replace(day=1)
        if rel_kind == "past":
            first = (first - timedelta(days=1)).replace(day=1)
        elif rel_kind == "future":
            first = (first + timedelta(days=32)).replace(day=1)
        if kind == "this_month":
            return DateMention(
                start,
                end,
                text,
                first,
                "month",
                None,
                0.7,
                "the month relative to publication",
                "en",
            )
        d = _safe_date(first.year, first.month, int(g["day"]))
        if d is None:
            return None
        return DateMention(
            start, end, text, d, "day", None, 0.9, "day of the month relative to publication", "en"
        )

    if month is None:
        return None

    if kind == "month":
        weak = month_word in _WEAK_MONTHS_AR
        if year is None and rel is None and (weak or not g.get("prep")):
            return None
        if year is not None:
            return DateMention(
                start,
                end,
                text,
                date(year, month, 1),
                "month",
                None,
                0.95,
                "month and year written",
                style,
            )
        y, how = _month_year(month, rel, ref, future)
        certainty = 0.85 if rel else 0.6
        return DateMention(
            start, end, text, date(y, month, 1), "month", None, certainty, how, style
        )

    day = int(g["day"])
    day2 = int(g["day2"]) if g.get("day2") else None
    if year is not None:
        y, how, certainty = year, "written in full", 1.0
    else:
        y, how = _day_year(month, day, rel, ref, future)
        certainty = 0.85
    d = _safe_date(y, month, day)
    if d is None:
        return None
    weekday_word = g.get("weekday")
    if weekday_word:
        weekday = _WEEKDAYS_AR.get(weekday_word, _WEEKDAYS_EN.get(weekday_word))
        if d.weekday() == weekday:
            certainty = min(1.0, certainty + 0.1)
            how += f"; {d:%A} confirms it"
        elif year is None:
            other = _safe_date(y - 1, month, day)
            if (
                other
                and other.weekday() == weekday
                and other <= ref + timedelta(days=FUTURE_SLACK_DAYS)
            ):
                d, how = other, f"the year whose {month}/{day} falls on that weekday"
            else:
                certainty *= 0.6
                how += "; the weekday written does not match"
        else:
            certainty *= 0.6
            how += "; the weekday written does not match"
    end_date = None
    if day2 is not None:
        end_date = _safe_date(d.year, month, day2)
        if end_date is None or end_date < d:
            return None
    return DateMention(start, end, text, d, "day", end_date, certainty, how, style)
