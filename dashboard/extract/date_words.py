"""The words of dates in Arabic and English news, compiled into patterns.

News in Arabic writes months three ways (Levantine, Egyptian/standard, Maghrebi and
Algerian), often paired («تشرين الثاني/نوفمبر», «كانون الثاني يناير»), joins day and
month with «من», writes days as ordinals («السادس من فبراير») and dates events relative to
the publication («كانون الثاني الماضي», «أمس»). dateparser 1.5.0 reads none of the
Levantine names and misreads "15 آب 2021", hence rules.
"""

from __future__ import annotations

import calendar
import re

from dashboard.strings import MONTHS
from dashboard.text import fold_letters, fold_words

#: Each way of naming the months, January first (the standard names are the ones the
#: pages show, so a date reads the same in an article and on screen).
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
    "standard": list(MONTHS["ar"]),
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
_MONTHS_AR: dict[str, tuple[int, str]] = {}
for _style, _names in MONTH_NAMES_AR.items():
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
_WEAK_MONTHS_AR = set(fold_words("آب", "مارس", "نيسان", "ماي", "تموز", "أوت", "جوان", "أيار"))

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
_AR_MONTH_ALT = (
    rf"(?:\s*[/(،-]\s*(?:{_alt(_MONTHS_AR)})\s*\)?"
    rf"|\s+(?:{_alt(m for m in _MONTHS_AR if m not in _WEAK_MONTHS_AR)}))?"
)
_AR_WEEKDAY = (
    rf"(?:(?:يوم|مساء|صباح|ليله|ليل|ظهر|فجر|عصر)\s+)?(?P<weekday>{_alt(_WEEKDAYS_AR)})\s*،?\s*"
)
_AR_YEAR = (
    r"(?:\s*،?\s*(?:من\s+)?(?:عام|العام|لعام|سنه|لسنه)?\s*(?P<year>(?:19|20)\d\d)(?:\s*م"
    + _NA
    + r")?)?"
)
_AR_REL_WORDS = {
    "past": fold_words(
        "الماضي",
        "المنصرم",
        "الفائت",
        "السابق",
        "من العام الماضي",
        "من العام المنصرم",
        "من السنة الماضية",
    ),
    "current": fold_words(
        "الحالي",
        "الجاري",
        "من العام الحالي",
        "من العام الجاري",
        "من هذا العام",
        "من السنة الحالية",
        "بداية العام الجاري",
        "بداية العام الحالي",
        "مطلع العام الجاري",
        "مطلع العام الحالي",
        "من بداية العام الجاري",
    ),
    "future": fold_words("المقبل", "القادم", "من العام المقبل", "من العام القادم"),
}
_AR_REL = r"(?:\s+(?P<rel>" + _alt([w for ws in _AR_REL_WORDS.values() for w in ws]) + "))?"
_AR_THIS_MONTH = {
    "current": fold_words("الشهر الحالي", "الشهر الجاري", "هذا الشهر"),
    "past": fold_words("الشهر الماضي", "الشهر المنصرم", "الشهر الفائت"),
    "future": fold_words("الشهر المقبل", "الشهر القادم"),
}
#: «العام المقبل», «العام الماضي», "next year": a year counted from publication.
_AR_YEAR_REL = {
    **{w: 0 for w in fold_words("الجاري", "الحالي")},
    **{w: 1 for w in fold_words("المقبل", "القادم")},
    **{w: -1 for w in fold_words("الماضي", "المنصرم", "الفائت")},
}
YEAR_OFFSETS = {
    **_AR_YEAR_REL,
    fold_letters("هذا العام"): 0,
    fold_letters("هذه السنة"): 0,
    "this": 0,
    "next": 1,
    "last": -1,
}
#: «في الشهر التالي», "the following month": the month after the one last named.
NEXT_MONTH = re.compile(
    r"(?<![^\W_])(?:ال)?شهر\s+(?:التالي|اللاحق|الذي\s+(?:تلاه|يليه|تلا\s+ذلك))(?![^\W_])|"
    r"\b(?:the\s+following\s+month|the\s+month\s+after)\b(?!\s+(?:next|that|the))",
    re.I,
)
_DAY = r"(?P<day>[0-3]?\d)" + r"(?!\d)"
_DAY2 = r"(?P<day2>[0-3]?\d)(?!\d)"

#: 19-2-2017, 3/23/2019, 11.5.2022: the order is decided by the numbers when one is over 12,
#: else by the article (day first in Arabic and British English) and flagged as ambiguous.
_NUMERIC = [
    (
        "numeric",
        re.compile(
            _NB + r"(?P<a>[0-3]?\d)[/.\-](?P<b>[01]?\d|[0-3]\d)[/.\-](?P<year>(?:19|20)\d\d)" + _NA
        ),
    ),
]
_AR_ORDINALS = {
    fold_letters(w): n
    for n, ws in enumerate(
        [
            ["الأول", "الاول", "أول"],
            ["الثاني"],
            ["الثالث"],
            ["الرابع"],
            ["الخامس"],
            ["السادس"],
            ["السابع"],
            ["الثامن"],
            ["التاسع"],
            ["العاشر"],
            ["الحادي عشر"],
            ["الثاني عشر"],
            ["الثالث عشر"],
            ["الرابع عشر"],
            ["الخامس عشر"],
            ["السادس عشر"],
            ["السابع عشر"],
            ["الثامن عشر"],
            ["التاسع عشر"],
            ["العشرين"],
            ["الحادي والعشرين"],
            ["الثاني والعشرين"],
            ["الثالث والعشرين"],
            ["الرابع والعشرين"],
            ["الخامس والعشرين"],
            ["السادس والعشرين"],
            ["السابع والعشرين"],
            ["الثامن والعشرين"],
            ["التاسع والعشرين"],
            ["الثلاثين"],
            ["الحادي والثلاثين"],
        ],
        start=1,
    )
    for w in ws
}
_HIJRI_MONTHS = {
    fold_letters(w): n
    for n, ws in enumerate(
        [
            ["محرم"],
            ["صفر"],
            ["ربيع الأول"],
            ["ربيع الثاني", "ربيع الآخر"],
            ["جمادى الأولى", "جمادى الأول"],
            ["جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"],
            ["رجب"],
            ["شعبان"],
            ["رمضان"],
            ["شوال"],
            ["ذو القعدة", "ذي القعدة"],
            ["ذو الحجة", "ذي الحجة"],
        ],
        start=1,
    )
    for w in ws
}

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
    # 9 من الشهر الحالي, الثالث من الشهر الجاري
    (
        "day_this_month",
        re.compile(
            _NB
            + f"(?:{_AR_WEEKDAY})?"
            + r"(?:(?P<ordinal>"
            + _alt(_AR_ORDINALS)
            + r")\s+(?:و\s*(?:"
            + _alt(_AR_ORDINALS)
            + r")\s+)?|"
            + _DAY
            + r"\s*)(?:من\s+)?(?P<thismonth>"
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
    # ليل الاثنين الثلاثاء, ليلة الأحد-الاثنين: a night, dated by the day it began
    (
        "weekday_range",
        re.compile(
            _NB
            + r"(?:ليل|ليله)\s+(?P<weekday>"
            + _alt(_WEEKDAYS_AR)
            + r")\s*(?:[-/–]\s*|\s+(?:علي|الي)\s+|\s+)(?P<weekday2>"
            + _alt(_WEEKDAYS_AR)
            + r")"
            + _NA
        ),
    ),
    # عقدت الأربعاء والخميس: two days, the first is the event's start
    (
        "weekday_range",
        re.compile(
            _NB
            + r"(?:(?:يومي|يوم)\s+)?(?P<weekday>"
            + _alt(_WEEKDAYS_AR)
            + r")\s+و\s*(?P<weekday2>"
            + _alt(_WEEKDAYS_AR)
            + r")"
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
    # اليوم الاثنين, فجر أمس الأحد, الليلة الماضية: a day relative to the reference,
    # with the weekday that can confirm it
    (
        "relday",
        re.compile(
            _NB
            + r"[وف]?(?:(?:يوم|مساء|صباح|ليله|ليل|ظهر|فجر|عصر)\s+)?"
            + r"(?P<relword>اول\s+امس|امس|الامس|البارحه|"
            # «اليوم التالي», «اليوم نفسه»: the day after, the same day - not today
            + r"اليوم(?!\s+(?:التالي|الموالي|نفسه|ذاته|السابق|الذي|الاول|الثاني|الثالث))|"
            + r"الليله الماضيه|ليله امس|"
            + r"بعد\s+غد|غدا|غد)"
            + r"(?:\s*[(،,]?\s*(?:يوم\s+)?(?P<weekday>"
            + _alt(_WEEKDAYS_AR)
            + r")\s*\)?)?"
            + _NA
        ),
    ),
    (
        "iso",
        re.compile(
            _NB + r"(?P<year>(?:19|20)\d\d)[-/](?P<month>[01]?\d)[-/](?P<day>[0-3]?\d)" + _NA
        ),
    ),
    *_NUMERIC,
    # السادس من فبراير, الثاني من نيسان/أبريل 2022: days written as ordinals
    (
        "ordinal",
        re.compile(
            _NB
            + f"(?:{_AR_WEEKDAY})?"
            + r"(?<!كانون )(?<!تشرين )(?P<ordinal>"
            + _alt(_AR_ORDINALS)
            + r")\s+(?:من\s+)?(?:شهر\s+)?"
            + _AR_MONTH
            + _AR_MONTH_ALT
            + _AR_YEAR
            + _AR_REL
            + _NA
        ),
    ),
    # 15 رجب 1440 هـ
    (
        "hijri",
        re.compile(
            _NB
            + _DAY
            + r"\s*(?:من\s+)?(?P<hmonth>"
            + _alt(_HIJRI_MONTHS)
            + r")\s*(?:سنه\s+|عام\s+)?(?P<hyear>1[34]\d\d)\s*(?:ه|هجري|هجريه|للهجره)?"
            + _NA
        ),
    ),
    ("lastweek", re.compile(_NB + r"(?P<lastweek>الاسبوع الماضي|الاسبوع المنصرم)" + _NA)),
    # في النصف الثاني من العام الجاري, العام المقبل, هذا العام: a year counted from publication
    (
        "year_rel",
        re.compile(
            _NB
            + r"(?:[وف]?(?:في|خلال)\s+)?(?:(?:مطلع|اوائل|بدايه|منتصف|اواسط|اواخر|نهايه)\s+|"
            + r"(?:ال)?(?:نصف|ربع)\s+(?:ال)?\S+\s+من\s+)?"
            + r"(?:(?P<yrel>هذا العام|هذه السنه)|(?:العام|السنه)\s+(?P<yrel2>"
            + _alt(_AR_YEAR_REL)
            + r"))"
            + _NA
        ),
    ),
    # في النصف الثاني من عام 2024: a part of a year, at year precision
    (
        "year_part",
        re.compile(
            _NB
            + r"(?:[وف]?(?:في|خلال)\s+)?(?:ال)?(?:نصف|ربع)\s+(?:ال)?\S+\s+من\s+"
            + r"(?:عام\s+|العام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d)(?!\d)"
        ),
    ),
    # مطلع 2022, عام 2017, في عام 2018: a year and nothing finer
    (
        "year",
        re.compile(
            _NB
            + r"[وف]?(?:في|خلال|مطلع|اوائل|اواخر|منتصف|نهايه|بدايه|اوايل|عام|العام|لعام)"
            + r"\s+(?:عام\s+|العام\s+)?(?P<year>(?:19|20)\d\d)(?:\s*م)?"
            + r"(?!\d)"
        ),
    ),
]

_EN_MONTH = r"(?P<month>" + _alt(_MONTHS_EN) + r")\.?"
_EN_ORD = r"(?:st|nd|rd|th)?"
_EN_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_EN_WEEKDAY = r"(?:(?P<weekday>" + _alt(_WEEKDAYS_EN) + r"),?\s+(?:the\s+)?)?"
#: "early", "the second half of", "the last quarter of": a part of a year
_EN_PART_OF_YEAR = (
    r"(?:[Ee]arly|[Ll]ate|[Ll]ater|[Ee]arlier|[Mm]id-|[Tt]he (?:first|second) half of|"
    r"[Tt]he (?:first|second|third|fourth|last) quarter of)"
)
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
    (
        "relday",
        re.compile(
            r"\b(?P<relword>[Yy]esterday|[Tt]o(?:day|night|morrow)|[Ll]ast night|[Tt]his morning)"
            r"(?:,?\s+(?P<weekday>" + _alt(_WEEKDAYS_EN) + r"))?\b"
        ),
    ),
    ("lastweek", re.compile(r"\b(?P<lastweek>[Ll]ast week)\b")),
    *_NUMERIC,
    (
        "year_rel",
        re.compile(
            # governed by a preposition, a period word or a verb of holding: "this year
            # meeting" and "This year Nobel Peace Prize winner" are not dates of their own
            rf"\b(?:{_EN_PART_OF_YEAR}\s+)?(?P<yrel>[Tt]his|[Nn]ext|[Ll]ast) year\b"
            # "this year's meeting", "This year Nobel Peace Prize winner": a year that
            # qualifies a noun is not a date of its own
            r"(?!\s*(?:'s|\u2019s|\u00eds)|\s+(?!(?:in|at|on|and|or|to|with|after|before|when|"
            # "Iraq last year announced": a verb after it, the year dates the verb
            r"as|but|for|by|from|under|amid)\b|[a-z]+ed\b)[A-Za-z])"
        ),
    ),
    (
        "year_part",
        re.compile(
            r"\b[Tt]he (?:(?:first|second) half|(?:first|second|third|fourth|last) quarter)"
            r" of\s+(?P<year>(?:19|20)\d\d)\b(?![-/])"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-|[Dd]uring|[Bb]y the end of)\s+"
            r"(?P<year>(?:19|20)\d\d)\b(?![-/])"
        ),
    ),
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
    r"\b(?:will|would|shall|to be held|is to|are to|scheduled|upcoming|plans? to|next|"
    r"looks? forward to|set to|expected to|to co-host|to host)\b|"
    + "|".join(
        re.escape(w)
        for w in fold_words(
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
            "سيتولى",
            "ستنطلق",
            "سينطلق",
            "ستبدأ",
            "سيبدأ",
            "ستستأنف",
            "ستجري",
            "سيجري",
            "سيركز",
            "ستركز",
            "سيبحث",
            "ستبحث",
            "سيناقش",
            "ستناقش",
        )
    )
)


#: «وفي 23 آذار، سيركز اجتماع ...», "On 23 March, leaders will meet": a future verb right
#: after the date governs it as well.
_FUTURE_AFTER = re.compile(
    r"^\s*[،,]?\s*(?:\S+\s+)?(?:(?<![^\W_])[وف]?س[يت](?:عقد|نعقد|ركز|بحث|ناقش|جتمع|لتقي|"
    r"ستضيف|نطلق|بدا|ستانف|جري|شارك|توجه|زور)|\bwill\b|\bshall\b)",
    re.I,
)


#: "RIYADH, June 9 (Reuters) -": the wire's own date line, not an event date.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'\-]{2,},\s*$")


def _relday_first(patterns):
    """A weekday inside «أمس الخميس» belongs to the relative word, and «الثاني من نيسان»
    is a day, not the month: relative days, ordinals and Hijri dates are tried first."""
    first = [p for p in patterns if p[0] in ("relday", "ordinal", "hijri")]
    return first + [p for p in patterns if p not in first]


_AR_PATTERNS = _relday_first(_AR_PATTERNS)
_EN_PATTERNS = _relday_first(_EN_PATTERNS)
