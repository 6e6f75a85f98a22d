"""Dates of a sentence, resolved against the article's reference date.

A wrong year is worse than no date: a year the text does not write is worked out from the
reference date only, and without one the mention keeps what the text says (day and month,
a weekday) and no date; the reason goes with it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.text import fold_letters

from .date_words import (
    _AR_ORDINALS,
    _AR_PATTERNS,
    _AR_REL_WORDS,
    _AR_THIS_MONTH,
    _DATELINE,
    _EN_PATTERNS,
    _FUTURE_AFTER,
    _FUTURE_HINTS,
    _HIJRI_MONTHS,
    _MONTHS_AR,
    _MONTHS_EN,
    _REL_EN,
    _THIS_MONTH_EN,
    _WEAK_MONTHS_AR,
    _WEEKDAYS_AR,
    _WEEKDAYS_EN,
    NEXT_MONTH,
    YEAR_OFFSETS,
)

#: A day and month without a year that would fall more than this many days after the
#: reference date is taken to be last year's ("11 May" in an article of 2 January).
FUTURE_SLACK_DAYS = 7


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    #: None when the text gives no year and there is no reference date to work it out
    event_date: date | None
    precision: str  # 'day' | 'month' | 'year'
    end_date: date | None
    certainty: float
    how: str
    style: str  # month-name style of the article ('levantine', 'standard', ..., 'en')
    #: the date needs the reference date (a weekday, "yesterday", a day without a year)
    relative: bool = False
    #: future tense governs it ("will be held on 3 February"): resolved forward
    future: bool = False
    #: a year named with words that make it a period («في النصف الثاني من العام الجاري»,
    #: "next year"): it dates the sentence's event word at any distance, as a month does
    wide: bool = False


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


def find_dates(
    folded: str, published: date | None, lang: str, anchor: date | None = None
) -> list[DateMention]:
    """Every date the sentence writes, resolved against the reference date.

    `folded` is the sentence after :func:`fold_letters` (case kept). Overlapping
    matches are resolved by pattern order: a range beats a day, a day beats a month.
    Without a reference, a date that needs one comes back with no `event_date` and says
    what the text gives, so that no year is ever filled in from today's date. `anchor` is
    the month the article named just before, which «في الشهر التالي» counts from.
    """
    # «الـ19 من يناير» folds to "ال19": the article is not part of the number
    folded = re.sub(r"(?<![^\W_])(?:ال|لل)(?=\d)", lambda m: " " * len(m.group(0)), folded)
    patterns = _AR_PATTERNS + _EN_PATTERNS if lang == "ar" else _EN_PATTERNS + _AR_PATTERNS
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in patterns:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            # Future tense only counts when it governs this date: "will be held on 11 May",
            # not "announced on 9 May that the meeting would be held".
            future = bool(
                _FUTURE_HINTS.search(folded[max(0, m.start() - 60) : m.start()])
                or _FUTURE_AFTER.match(folded[m.end() : m.end() + 40])
            )
            if _DATELINE.match(folded[: m.start()]):
                continue
            if re.search(r"\d[-/.]$", folded[: m.start()]):
                continue  # "2017-12-15": not the range "12-15" of a longer number
            mention = _resolve(kind, m, published, future, lang)
            if mention is None:
                if kind in ("range", "day", "iso", "numeric", "hijri", "ordinal"):
                    taken.append((m.start(), m.end()))  # "31 شباط": no such day, no date
                continue
            taken.append((m.start(), m.end()))
            found.append(dataclasses.replace(mention, future=future))
    found = _year_of_the_date_before(found, folded)
    if anchor is not None:
        for m in NEXT_MONTH.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            first = (anchor.replace(day=1) + timedelta(days=32)).replace(day=1)
            how = f"the month after {anchor:%B %Y}, the month named just before"
            found.append(
                DateMention(m.start(), m.end(), m.group(0), first, "month", None, 0.6, how, "en")
            )
    return sorted(found, key=lambda d: d.start)


def _year_of_the_date_before(found: list[DateMention], folded: str) -> list[DateMention]:
    """«حتى نهاية أكتوبر العام المقبل», «من آيار (مايو) العام المقبل»: a year counted from
    publication right after a month or day without a year is that date's year."""
    found = sorted(found, key=lambda d: d.start)
    out: list[DateMention] = []
    for d in found:
        before = out[-1] if out else None
        if (
            d.wide
            and d.relative
            and before is not None
            and before.precision in ("day", "month")
            and before.relative
            and re.fullmatch(r"[\s()\w]{0,12}", folded[before.end : d.start] or "")
            and not re.search(r"\d", folded[before.end : d.start])
        ):
            if d.event_date is not None and before.event_date is not None:
                day = before.event_date
                moved = _safe_date(d.event_date.year, day.month, day.day)
                if moved is not None:
                    how = before.how + f"; the year: {d.text}"
                    out[-1] = dataclasses.replace(
                        before, event_date=moved, end=d.end, how=how, wide=False
                    )
            continue
        out.append(d)
    return out


def _unresolved(start, end, text, precision, what, style="en") -> DateMention:
    return DateMention(
        start,
        end,
        text,
        None,
        precision,
        None,
        0.0,
        f"{what}; no publication date, so the year is not known",
        style,
        relative=True,
    )


def _numeric(g: dict, lang: str) -> tuple[int, int, str] | None:
    """(month, day, how) of a numeric date, its order decided by the numbers or the article."""
    a, b = int(g["a"]), int(g["b"])
    if a > 12 and b <= 12:
        return b, a, "day first (the first number is over 12)"
    if b > 12 and a <= 12:
        return a, b, "month first (the second number is over 12)"
    if a > 12 or b > 12:
        return None
    if a == b:
        return a, b, "written in full"
    if lang == "ar":
        return b, a, "ambiguous order: read day first, as Arabic writes it"
    return b, a, "ambiguous order: read day first; check it"


def _resolve(kind: str, m: re.Match, ref: date | None, future: bool, lang: str = "en"):
    g = m.groupdict()
    text = m.group(0).strip()
    start, end = m.start(), m.end()
    month_word = g.get("month")
    month = None
    style = "en"
    if month_word:
        if month_word in _MONTHS_AR:
            month, style = _MONTHS_AR[month_word]
        else:
            month = _MONTHS_EN.get(month_word.rstrip("."))
    year = int(g["year"]) if g.get("year") else None
    rel = _rel_kind(g.get("rel"))

    if kind == "iso":
        d = _safe_date(year, int(g["month"]), int(g["day"]))
        if d is None:
            return None
        return DateMention(start, end, text, d, "day", None, 1.0, "written in full", "numeric")

    if kind == "numeric":
        order = _numeric(g, lang)
        d = _safe_date(year, order[0], order[1]) if order else None
        if d is None:
            return None
        certainty = 0.7 if "ambiguous" in order[2] else 1.0
        return DateMention(start, end, text, d, "day", None, certainty, order[2], "numeric")

    if kind == "hijri":
        return _hijri(start, end, text, g)

    if kind == "year_rel":
        word = (g.get("yrel") or g.get("yrel2") or "").lower()
        if ref is None:
            return _unresolved(start, end, text, "year", "a year relative to publication")
        how = "a year counted from publication"
        first = date(ref.year + YEAR_OFFSETS.get(word, 0), 1, 1)
        return DateMention(start, end, text, first, "year", None, 0.7, how, "en", True, wide=True)

    if kind == "year_part":
        how = "a part of a year: the year"
        first = date(year, 1, 1)
        return DateMention(start, end, text, first, "year", None, 0.8, how, "en", wide=True)

    if kind == "year":
        return DateMention(
            start, end, text, date(year, 1, 1), "year", None, 0.8, "a year and nothing finer", "en"
        )

    if kind == "relday":
        return _relday(start, end, text, g, ref)

    if kind == "lastweek":
        if ref is None:
            return None
        first, last = ref - timedelta(days=7), ref - timedelta(days=1)
        if (first.year, first.month) != (last.year, last.month):
            return None
        return DateMention(
            start,
            end,
            text,
            first.replace(day=1),
            "month",
            None,
            0.6,
            "the week before publication, kept at its month",
            "en",
            relative=True,
        )

    if kind == "weekday_range":
        first = _WEEKDAYS_AR.get(g["weekday"])
        second = _WEEKDAYS_AR.get(g["weekday2"])
        if ref is None or first is None or second is None:
            return (
                _unresolved(start, end, text, "day", f"weekdays ({text})") if ref is None else None
            )
        last, how = _weekday_before(ref, second, None)
        begin = last - timedelta(days=(second - first) % 7)
        return DateMention(start, end, text, begin, "day", last, 0.6, how, "en", relative=True)

    if kind == "weekday":
        if g.get("rel") and g["rel"].lower() == "this":
            rel = None
        weekday = _WEEKDAYS_AR.get(g["weekday"], _WEEKDAYS_EN.get(g["weekday"]))
        if weekday is None:
            return None
        if ref is None:
            return _unresolved(start, end, text, "day", f"a weekday ({text})")
        if future and rel is None:
            rel = "future" if _weekday_before(ref, weekday, None)[0] != ref else None
        d, how = _weekday_before(ref, weekday, rel)
        return DateMention(start, end, text, d, "day", None, 0.6, how, "en", relative=True)

    if kind in ("this_month", "day_this_month"):
        if ref is None:
            return _unresolved(
                start, end, text, "month" if kind == "this_month" else "day", "a month of its own"
            )
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
                relative=True,
            )
        day = _AR_ORDINALS.get(g["ordinal"]) if g.get("ordinal") else int(g["day"])
        d = _safe_date(first.year, first.month, day)
        if d is None:
            return None
        return DateMention(
            start,
            end,
            text,
            d,
            "day",
            None,
            0.9,
            "day of the month relative to publication",
            "en",
            relative=True,
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
        if ref is None:
            return _unresolved(start, end, text, "month", "a month without its year", style)
        y, how = _month_year(month, rel, ref, future)
        certainty = 0.85 if rel else 0.6
        return DateMention(
            start, end, text, date(y, month, 1), "month", None, certainty, how, style, True
        )

    if kind == "ordinal":
        day = _AR_ORDINALS.get(g["ordinal"])
        if day is None:
            return None
        g = {**g, "day": str(day)}
    day = int(g["day"])
    day2 = int(g["day2"]) if g.get("day2") else None
    if year is not None:
        y, how, certainty = year, "written in full", 1.0
    elif ref is None:
        return _unresolved(start, end, text, "day", "a day and month without a year", style)
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
                how += f"; the weekday written does not match ({d:%A}): check it"
        else:
            certainty *= 0.6
            how += f"; the weekday written does not match ({d:%A}): check it"
    end_date = None
    if day2 is not None:
        end_date = _safe_date(d.year, month, day2)
        if end_date is None or end_date < d:
            return None
    return DateMention(
        start, end, text, d, "day", end_date, certainty, how, style, relative=year is None
    )


def _hijri(start, end, text, g) -> DateMention | None:
    """A Hijri date, converted by the Umm al-Qura tables of the hijridate library."""
    from hijridate import Hijri  # noqa: PLC0415 - only articles with Hijri dates need it

    try:
        d = Hijri(int(g["hyear"]), _HIJRI_MONTHS[g["hmonth"]], int(g["day"])).to_gregorian()
    except (ValueError, OverflowError, KeyError):
        return None
    return DateMention(
        start,
        end,
        text,
        date(d.year, d.month, d.day),
        "day",
        None,
        0.95,
        "Hijri date, converted by the Umm al-Qura calendar",
        "hijri",
    )


def _relday(start, end, text, g, ref: date | None) -> DateMention | None:
    """اليوم / أمس / last night, checked against a weekday written with it."""
    word = fold_letters(g["relword"]).lower()
    # «غداً», «بعد غد», "tomorrow": the day after the reference, forward
    ahead = {"غد": 1, "غدا": 1, "tomorrow": 1}.get(word, 2 if word.startswith("بعد") else 0)
    back = (
        -ahead
        if ahead
        else 2
        if word.startswith("اول")
        else 0
        if word in ("اليوم", "today", "this morning", "tonight")
        else 1
    )
    weekday_word = g.get("weekday")
    weekday = (
        _WEEKDAYS_AR.get(weekday_word, _WEEKDAYS_EN.get(weekday_word)) if weekday_word else None
    )
    if ref is None:
        return _unresolved(start, end, text, "day", f"«{text}» is relative to the publication")
    d = ref - timedelta(days=back)
    how = (
        "the publication date"
        if back == 0
        else f"{back} day(s) before publication"
        if back > 0
        else f"{-back} day(s) after publication"
    )
    certainty = 0.75
    if weekday is not None:
        if d.weekday() == weekday:
            how += f"; {d:%A} confirms it"
            certainty = 0.9
        else:
            # The weekday is what the writer saw; the reference may be a day off (a page
            # dated after midnight, a publication date given by hand).
            d, _ = _weekday_before(ref, weekday, "future" if back < 0 else None)
            how = (
                f"the weekday written ({d:%A}) does not fall on «{g['relword']}» counted from "
                "the publication date: the weekday is taken; check it"
            )
            certainty = 0.6
    return DateMention(
        start, end, text, d, "day", None, certainty, how, "en", relative=True, future=back < 0
    )
