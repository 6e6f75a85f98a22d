"""One sentence read into event mentions: each event word with its date and its venue.

Work is linear in the sentence: every date, place and event word is found once, and each
place and date is given to its event word by a binary search over the words' positions,
so a long sentence full of places costs no more than its length (see drafts.py for the
cap on sentence length that bounds the rest).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from dashboard import geo

from .actors import find_actors
from .dates import DateMention, find_dates
from .gazetteer import (
    _RANK,
    Place,
    PlaceMention,
    _city_place,
    _gazetteer,
    _iso3_from_name,
    _nationalities,
)
from .places import find_places
from .triggers import Trigger, find_triggers

#: Quoted passages longer than this are speech, whose places are not the event's.
QUOTE_SPEECH_CHARS = 25

_VIRTUAL = re.compile(
    r"\bvirtual(?:ly)?\b|\bvideo ?conferenc\w*|\bwritten procedure\b|افتراضي|عبر الفيديو|"
    r"عبر تقنيه الفيديو|عن بعد|بالفيديو",
    re.I,
)
#: A host named next to the hosting word is the venue: «المغرب يحتضن الاجتماع», "hosted by".
_HOSTING = re.compile(
    r"^\s*(?:[وف]?(?:ي|ت)?(?:حتضن|ستضيف|ستقبل)\w*|hosts?\b|hosted\b|will host\b)", re.I
)
_HOSTED_BY = re.compile(r"(?:hosted by|تستضيفه|يستضيفه|تحتضنه)\s*$", re.I)
#: The ministry whose capital a statement comes from when it names no other place.
_AR_MINISTRY = re.compile(r"(?:وزاره\s+)?(?:ال)?خارجيه\s+(?:ال)?(?P<who>[^\s،,.]+)")
#: «وزارة الخارجية وشؤون المغتربين الأردنية», «الخارجية والتعاون الدولي المغربية»: the
#: nationality comes after the ministry's other portfolio.
_AR_MINISTRY_LONG = re.compile(
    r"(?:وزاره\s+)?(?:ال)?خارجيه\s+و\S+(?:\s+\S+)?\s+(?:ال)?(?P<who>[^\s،,.]+)"
)
#: A country that is the subject of a verb of saying speaks for itself: «أدانت مصر»,
#: «أن العراق أعلن», "Egypt condemned".
_SAYING_AR = (
    r"(?:اعلن|اعلنت|قال|قالت|ادان|ادانت|دان|دانت|اكد|اكدت|اعرب|اعربت|رحب|رحبت|ندد|نددت|استنكر|"
    r"استنكرت|طالب|طالبت|جدد|جددت|دعا|دعت)"
)
_COUNTRY_SPEAKS = re.compile(
    rf"(?<![^\W_])[وف]?{_SAYING_AR}\s+(?P<after>\S+(?:\s+\S+){{0,2}})|"
    rf"(?:^|(?<=\s))(?P<before>\S+)\s+[وف]?{_SAYING_AR}(?![^\W_])|"
    r"(?P<en>(?:[A-Z][a-z]+ )?[A-Z][a-z]+) (?:(?:last|this|on) \w+ )?"
    r"(?:condemned|announced|declared|said in a statement)"
)
_EN_MINISTRY = re.compile(
    r"(?P<us>(?:U\.?S\.? |United States )?(?:Department of State|State Department))|"
    r"(?P<who>[A-Z][a-z]+) (?:[Ff]oreign|[Ii]nterior|[Dd]efen[cs]e) [Mm]inistry"
)


@dataclass
class Mention:
    """An event word of one sentence, with the date and place the sentence gives it."""

    sentence_index: int
    trigger: Trigger
    date: DateMention | None
    date_note: str
    place: PlaceMention | None
    place_note: str
    actors: list[str] = field(default_factory=list)
    actor_text: list[str] = field(default_factory=list)


def _quoted_spans(folded: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[\u201c\u00ab\"]([^\u201d\u00bb\"]*)[\u201d\u00bb\"]", folded):
        if len(m.group(1)) > QUOTE_SPEECH_CHARS:
            spans.append((m.start(), m.end()))
    return spans


def _owners(positions: list[int], triggers: list[Trigger]) -> list[int | None]:
    """For each position, the index of its event word: the nearest before it, else after."""
    starts = [t.start for t in triggers]
    out: list[int | None] = []
    for pos in positions:
        i = bisect.bisect_right(starts, pos)
        out.append(i - 1 if i > 0 else (0 if triggers else None))
    return out


#: «، وأنه», "and that": a new reported clause
_NEW_CLAUSE = re.compile(r"(?<![^\W_])و(?:ان|انه|انها|بان)(?![^\W_])|\band that\b", re.I)


#: A sentence about a Council decision: a vote, a resolution, a renewal.
_VOTE = re.compile(
    r"\b(?:vot\w*|resolution|adopt\w*|renew\w*|extend\w*)\b|"
    r"(?<![^\W_])[وف]?(?:ال)?(?:تصويت|قرار|صوت|مدد|تمديد|اعتمد)",
    re.I,
)
_SITTING_BEFORE = re.compile(
    r"(?:Security Council|\bCouncil(?:['\u2019]s)?|\b(?:in|at|during) (?:a|the|its|that))\s*$",
    re.I,
)
_SITTING_AFTER = re.compile(r"^\s*(?:\S+\s+)?[لو]?(?:ل|ال)?(?:مجلس الامن|المجلس)(?![^\W_])")


#: "met in Addis Ababa", «في جلسة عقدت في»: where a Council sat away from New York; a
#: place after anything else ("the mission in Hudaydah") is what the decision is about.
_SAT_IN = re.compile(
    r"(?:\b(?:met|meeting|session|convened|sitting)|(?<![^\W_])(?:عقدت|عقد|اجتماع|"
    r"اجتماعه|جلسه|جلسته|انعقد|المنعقد|المنعقده))(?:\s+\S+){0,2}\s+(?:in|at|في|ب)\s*(?:ال)?$",
    re.I,
)


def _council_sitting(t: Trigger, folded: str) -> bool:
    """Whether a meeting word is the Security Council's own sitting ("a Security Council
    meeting", "said in a meeting", «جلسة لمجلس الأمن») in a sentence on its decision."""
    if t.event_type != "meeting" or t.planned:
        return False
    if _SITTING_BEFORE.search(folded[max(0, t.start - 30) : t.start]):
        return True
    return bool(re.match(r"جلس|اجتماع", t.text.lstrip("وف").removeprefix("ال"))) and bool(
        _SITTING_AFTER.match(folded[t.end : t.end + 30])
    )


def _trigger_for_date(d: DateMention, triggers: list[Trigger], folded: str, dates=()):
    if not triggers:
        return None, ""
    starts = [t.start for t in triggers]
    after = bisect.bisect_left(starts, d.end)
    # "the 11 May meeting", "Wednesday's statement": the date modifies the next word.
    if after < len(triggers) and re.fullmatch(
        r"(?:'s|\u2019s)?\s+", folded[d.end : triggers[after].start]
    ):
        return triggers[after], "the date qualifies the word after it"
    before = bisect.bisect_right(starts, d.start) - 1
    if (
        before >= 0
        and triggers[before].end <= d.start
        and _NEW_CLAUSE.search(folded[triggers[before].end : d.start])
    ):
        # «… نجاح الجولة الجديدة، وأنه قام اليوم بدعوة الوفود»: the date is in a clause of
        # its own, whose verb is no event word
        return None, ""
    if before >= 0 and triggers[before].end <= d.start:
        return triggers[before], ""
    if before >= 0:
        return triggers[before], ""
    # «بتعميم المسودة في 17 ديسمبر، وفي اليوم التالي (18 ديسمبر) اجتمع الأعضاء»: the next
    # event word has a date of its own nearer to it
    if any(d.end <= e.start < triggers[after].start for e in dates if e is not d):
        return None, ""
    return triggers[after], "no event word before the date; the next one is used"


def _new_york(note: str) -> tuple[PlaceMention | None, str]:
    index, iso3, _ = _gazetteer()
    cities = [c for c in index.get("new york city", []) if iso3.get(c["countrycode"]) == "USA"]
    place = (
        _city_place(cities[0], "نيويورك")
        if cities
        else Place("New York", "نيويورك", "USA", 40.71, -74.01, "city", "", "")
    )
    return PlaceMention(0, 0, "", place, "capital", note, True), note


@lru_cache(maxsize=4096)
def _ministry_place(folded: str) -> tuple[PlaceMention | None, str]:
    """The capital of the ministry that speaks in the sentence, if it names one."""
    code = None
    for pattern in (_AR_MINISTRY_LONG, _AR_MINISTRY):
        m = pattern.search(folded)
        if m:
            code = (
                _nationalities().get(m["who"])
                or _nationalities().get("ال" + m["who"])
                # «وزارة خارجية كازاخستان»: the country itself after the ministry
                or (None if pattern is _AR_MINISTRY_LONG else _iso3_from_name(m["who"]))
            )
        if code:
            break
    if code is None:
        m = _EN_MINISTRY.search(folded)
        if m:
            code = "USA" if m["us"] else _nationalities().get(m["who"].lower())
    who = "ministry"
    if not code:
        m, code = _country_speaking(folded)
        who = "country"
    if not code:
        return None, ""
    why = f"the capital of the {who} that speaks («{m.group(0).strip()}»)"
    return PlaceMention(m.start(), m.end(), m.group(0), _capital(code), "capital", why, True), why


#: A country that expresses something in the sentences after a ministry's statement:
#: «وتؤكد مصر», «تتقدم مصر، حكومة وشعباً», «على دعم العراق للجهود».
_COUNTRY_EXPRESSES = re.compile(
    r"(?<![^\W_])[وف]?(?:تتقدم|يتقدم|تجدد|يجدد|توكد|يوكد|تعرب|يعرب|تشدد|يشدد|تدين|يدين|"
    r"دعم|موقف)\s+(?P<who>[^\s،,.]+(?:\s+[^\s،,.]+)?)"
)


def capital_place(code: str, text: str, why: str) -> PlaceMention:
    """The capital of a country as the place a statement comes from."""
    return PlaceMention(0, 0, text, _capital(code), "capital", why, True)


def _capital(code: str) -> Place:
    """The gazetteer's city that is the country's capital, or the country itself."""
    index, iso3, capitals = _gazetteer()
    name = capitals.get(code, "")
    cities = [c for c in index.get(name.lower(), []) if iso3.get(c["countrycode"]) == code]
    if cities:
        return _city_place(cities[0], "")
    return Place(geo.country_name(code), geo.country_name(code, "ar"), code, None, None, "country")


def speaking_country(folded_sentences: list[str]) -> tuple[str, str] | None:
    """(ISO3, words) of the one country that expresses itself in these sentences, if one."""
    found: dict[str, str] = {}
    for folded in folded_sentences:
        for m in _COUNTRY_EXPRESSES.finditer(folded):
            words = m["who"].split()
            for n in range(len(words), 0, -1):
                if code := _iso3_from_name(" ".join(words[:n])):
                    found.setdefault(code, m.group(0))
                    break
    if len(found) != 1:
        return None
    return next(iter(found.items()))


_CLAIM = re.compile(
    r"(?<![^\W_])(?:[وف]?مسووليت(?:ه|ها|هم)\s+عن|[وف]?(?:تبني|تبنت|يتبني|تتبني))(?![^\W_])|"
    r"\bclaim(?:ed|s|ing)? (?:the )?responsibility\b",
    re.I,
)
#: Where a missile or drone was aimed, and where it was fired from.
_TOWARDS = re.compile(
    r"(?:(?<![^\W_])(?:تجاه|باتجاه|نحو|صوب)(?:\s+[^\s\d]+){0,3}|\b(?:towards?|targeting|"
    r"aimed at)(?:\s+\S+){0,3})\s*(?:ال)?$",
    re.I,
)
_LAUNCHED_FROM = re.compile(
    r"(?:(?<![^\W_])[وف]?(?:اطلق|اطلقت|اطلقها|اطلقه|اطلقتها|اطلقوا|اطلاق)\S*|"
    r"\b(?:launched|fired))(?:\s+\S+){0,4}?\s+(?:من|في|from|in|by\s+\S+(?:\s+\S+){0,3}\s+in)"
    r"\s*(?:ال)?$",
    re.I,
)


@lru_cache(maxsize=4096)
def _hit_places(folded: str, starts: tuple[int, ...]) -> tuple[int, ...]:
    """Indices of the places an attack can have hit: not where it was fired from, and
    when the sentence says where it was aimed, that place and those after it."""
    aimed = [k for k, a in enumerate(starts) if _TOWARDS.search(folded[max(0, a - 30) : a])]
    keep = [
        k
        for k, a in enumerate(starts)
        if k in aimed or not _LAUNCHED_FROM.search(folded[max(0, a - 50) : a])
    ]
    if aimed:
        keep = [k for k in keep if k in aimed or starts[k] > starts[aimed[0]]]
    return tuple(keep)


def _in_a_list(p: PlaceMention, places: list[PlaceMention], folded: str) -> bool:
    """Whether a country is one of several named together («سوريا والعراق», "Syria and Iraq")."""
    for q in places:
        if q is p or q.place.geo_precision != "country":
            continue
        a, b = (p, q) if p.start < q.start else (q, p)
        between = folded[a.end : b.start]
        if 0 <= b.start - a.end <= 6 and re.fullmatch(r"[\s,،]*(?:و|and|or|او)?\s*", between):
            return True
    return False


@lru_cache(maxsize=4096)
def _country_speaking(folded: str):
    """(match, ISO3) of a country named as the one that speaks, if the sentence has one."""
    for m in _COUNTRY_SPEAKS.finditer(folded):
        words = (m["after"] or m["before"] or m["en"] or "").split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n] if m["after"] else words[-n:])
            if code := _iso3_from_name(name):
                return m, code
    return None, None


def _venue(
    trigger: Trigger,
    index: int,
    places: list[PlaceMention],
    owner: list[int | None],
    triggers: list[Trigger],
    folded: str,
) -> tuple[PlaceMention | None, str]:
    """The place an event word governs: the venue, not the topic, not the outlet's city."""
    if trigger.event_type == "resolution":
        local = [
            p
            for p in places
            if p.cued
            and not p.topic
            and p.place.geo_precision != "country"
            and p.start > trigger.end
            and _SAT_IN.search(folded[max(0, p.start - 30) : p.start])
        ]
        if not local:
            return _new_york(
                "a Security Council decision sits in New York unless the text says otherwise"
            )
    if trigger.event_type in ("meeting", "statement", "resolution") and _VIRTUAL.search(folded):
        return None, "held remotely: no venue"
    same_type = {i for i, t in enumerate(triggers) if t.event_type == trigger.event_type}
    candidates = []
    if trigger.event_type == "attack":
        # "drones launched by the Houthis in Yemen towards Abha": where it was fired from is
        # not where it hit; the place after "towards" is, when the sentence names one.
        keep = _hit_places(folded, tuple(p.start for p in places))
        if len(keep) < len(places):
            places = [places[k] for k in keep]
            owner = _owners([p.start for p in places], triggers)
    for p, o in zip(places, owner, strict=True):
        target = p.topic.split()[-1].lower() if p.topic else ""
        if p.topic and not (trigger.event_type == "attack" and target in ("علي", "on", "over")):
            continue  # an attack "on" or "over" a place hits it; a meeting "on" it discusses it
        hosting = bool(_HOSTING.match(folded[p.end : p.end + 14])) or bool(
            _HOSTED_BY.search(folded[max(0, p.start - 25) : p.start])
        )
        if not (p.cued or hosting or p.source not in ("country", "nationality")):
            continue
        if p.source == "nationality" and not hosting:
            continue
        if p.place.geo_precision == "country" and not hosting and _in_a_list(p, places, folded):
            continue  # «يقاتل داعش في سوريا والعراق», "in Syria and Iraq": a scope, not a venue
        mine = o == index
        kin = o in same_type
        if not (mine or kin) and any(
            t.event_type != trigger.event_type and not t.reporting for t in triggers
        ):
            continue  # another kind of event's place («البيان ... بالهجوم على سجن غويران»)
        candidates.append(
            (
                not mine,
                not kin,
                not hosting,
                _RANK[p.place.geo_precision],
                abs(p.start - trigger.end),
                p,
            )
        )
    if not candidates:
        return None, ""
    best = min(candidates, key=lambda c: c[:5])
    p = best[5]
    # A country in another clause: only when it is the sentence's one venue-like place.
    if best[0] and best[1] and best[2] == _RANK["country"]:  # noqa: SIM102 - two reasons
        if len({c[5].place.country for c in candidates}) > 1:
            return None, "several countries in the sentence and none governed by the event word"
    why = (
        "governed by the event word"
        if not best[0]
        else ("named for the same event in the sentence" if not best[1] else "the sentence's venue")
    )
    return p, why


_CLOSING = re.compile(
    r"ختام|الختامي|اختتام|\bfinal\b|\bclosing\b|\bconcluding\b|\bat the end of\b", re.I
)
#: Words that make a date a deadline or a mandate's end, not an event: «حتى 31 تشرين الأول»,
#: «لغاية 17 آذار 2025», "until January 10 2022", "which expired on 10 July", "to leave by
#: 30 June".
_DEADLINE = re.compile(
    r"(?:(?<![^\W_])(?:حتي|لغايه|لنهايه|غايه|ولغايه|وحتي|موعد اقصاه|اقصاه|قبل)|\buntil|\btill|"
    r"\bbefore|"
    r"\bthrough|\bno later than|\bby|\bexpir(?:e|es|ed|ing)(?: on)?|\bdeadline of|"
    r"(?<![^\W_])[لو]?[يت]نتهي(?:\s+\S+)?\s+في|\bends? on)\s*$",
    re.I,
)
#: The speaker right after a verb of saying is an institution whose word is an act.
_INSTITUTION = re.compile(
    r"\s*(?:[\w]+\s+){0,2}?(?:(?:ال)?وزاره|(?:ال)?خارجيه|(?:ال)?حكومه|(?:ال)?رئاسه|"
    r"(?:ال)?امم\s?المتحده|(?:ال)?(?:متحدث|ناطق)\w*\s+باسم|"
    r"(?:the\s+)?(?:\w+\s+)?(?:ministry|government|state department|foreign office|"
    r"united nations|spokes(?:wo)?man|spokesperson))",
    re.I,
)
_INSTITUTION_BEFORE = re.compile(
    r"(?:ministry|government|state department|foreign office|united nations|"
    r"spokes(?:wo)?man|spokesperson|وزاره \S+|الخارجيه \S+|(?:متحدث|ناطق)\w* باسم \S+)\s*$",
    re.I,
)
_MANY_EVENTS = re.compile(
    r"(?<![^\W_])(?:العديد من|عشرات|مئات)\s+(?:ال)?(?:اتفاق|هدن|هجم|غار|اجتماع|جول)\S*"
    r"(?:\s+(?:ال)?(?:هدن|تهدي|سلام|صاروخ|مسير)\S*)?|"
    r"\b(?:numerous|many|dozens of|hundreds of)\s+(?:\w+\s+)?(?:agreements|truces|attacks|"
    r"strikes|meetings|rounds)\b",
    re.I,
)
#: «البيان الختامي للاجتماع», «بيان المحادثات»: a statement word and the talks it came from
_OF_THE_MEETING = re.compile(r"^\s*(?:(?:ال)?ختامي\s+|(?:ال)?مشترك\s+)?(?:لل|ل)?\S{0,3}$|^\s*of\b")
#: "participants in the talks on Tuesday issued a statement"
_ISSUED = re.compile(
    r"\b(?:issued|released|adopted|published|agreed on)\b|(?<![^\W_])(?:اصدر|اصدرت|اصدروا)",
    re.I,
)
_SAID_CLAUSE = re.compile(r"(?<![^\W_])(?:ان|انه|انها|بان|بانه|الي)(?![^\W_])|\bthat\b|:", re.I)
_CONDEMNING = re.compile(r"ادان|دان|ندد|استنكر|condemn|denounc", re.I)
#: «أعلنت الوزارة أن ...», "said that ...": what follows is what was said.
_REPORTED_CLAUSE = re.compile(r"(?<![^\W_])(?:ان|انه|انها|بان|بانه)(?![^\W_])|\bthat\b", re.I)
_SINCE = re.compile(r"(?:(?<![^\W_])[وف]?منذ|\bsince)\s*\S*\s*$", re.I)
#: «كان من المقرر», "was scheduled": a plan, which the words below may say did not happen.
_SCHEDULED = re.compile(
    r"(?<![^\W_])[وف]?كان\s+(?:من\s+)?(?:المقرر|مقررا?|المزمع|مزمعا|المنتظر|المفترض)|"
    r"\b(?:was|were|had been|has been|have been)\s+(?:scheduled|due|planned|set|expected)\b|"
    r"\bwas to have\b",
    re.I,
)
#: «تم إرجاؤها», «تأجل», «أُلغي», "postponed", "called off": the plan did not happen then.
_CALLED_OFF = re.compile(
    r"(?<![^\W_])[وفب]?(?:ارجا\w*|ارجي\w*|تاجيل\w*|تاجل\w*|يتاجل|الغاء\w*|الغي\w*)|"
    r"\b(?:postpone[ds]?|postponement|put off|called off|cancell?ed|deferred|delayed)\b",
    re.I,
)
#: How far after «كان من المقرر» the plan's date may come when the postponement is told first.
SCHEDULED_REACH = 100
#: A year alone dates only the event word next to it ("the round early 2022 in Tehran").
YEAR_REACH = 30


def _forward(d: DateMention, reference) -> DateMention:
    """A planned event's date without a written year falls after the reference, not before."""
    if not d.relative or d.event_date is None or d.precision not in ("day", "month"):
        return d
    if d.event_date >= reference - timedelta(days=7) or d.end_date is not None:
        return d
    # «أواخر الشهر الجاري»: the month of publication is this month, not next year's
    if (d.event_date.year, d.event_date.month) == (reference.year, reference.month):
        return d
    try:
        later = d.event_date.replace(year=d.event_date.year + 1)
    except ValueError:
        return d
    if later < reference:
        return d
    how = d.how + "; a planned event: the next such date after publication"
    return dataclasses.replace(d, event_date=later, how=how)


def read_sentence(
    index: int,
    sentence: str,
    folded: str,
    reference,
    lang: str,
    skip: int,
    dateline_end: int = 0,
    speech: list[tuple[int, int]] | None = None,
    article: frozenset = frozenset(),
    council: bool = False,
    anchor=None,
):
    """Mentions of one sentence. `skip` characters at its head are the outlet's dateline;
    a date ending before `dateline_end` is the line's date line; `speech` spans (folded
    positions) are a quotation begun or ended in another sentence; `anchor` is the month
    the sentences just before named («في الشهر التالي» is the month after it)."""
    quotes = _quoted_spans(folded) + [(a, b) for a, b in speech or [] if b - a > QUOTE_SPEECH_CHARS]
    found_dates = find_dates(folded, reference, lang, anchor)
    # a quotation that dates an event in full («الاجتماع ... الذي استضافته السعودية في جدة
    # يوم 14 نيسان 2023») reports that event, whoever is speaking
    quotes = [
        (a, b)
        for a, b in quotes
        if not any(
            a <= d.start < b
            and not d.relative
            and d.precision in ("day", "month")
            and d.event_date
            and re.search(r"\d{4}", d.text)
            for d in found_dates
        )
    ]
    dates = [
        d
        for d in found_dates
        if not _DEADLINE.search(folded[max(0, d.start - 20) : d.start])
        and not (dateline_end and d.end <= dateline_end)
        and not any(s <= d.start < e for s, e in quotes)
    ]
    # «العديد من اتفاقيات الهدنة خلال العام الماضي»: the date of many events of a kind
    # dates none of the sentence's other events
    for many in _MANY_EVENTS.finditer(folded):
        dates = [d for d in dates if not 0 <= d.start - many.end() <= 30]
    # a long quotation is speech: its event words are what someone said, not events
    triggers = [
        t
        for t in find_triggers(folded, lang, council)
        if not any(s <= t.start < e for s, e in quotes)
    ]
    # «كان من المقرر أن تستضيف ... في أيار الماضي، إلا أنه تم إرجاؤها», "had been scheduled
    # for 3 May but was postponed": a plan that did not happen on its date dates nothing,
    # and the events it names are plans
    called_off = _CALLED_OFF.search(folded)
    scheduled = _SCHEDULED.search(folded) if called_off else None
    if called_off and scheduled:
        span_end = (
            called_off.start()
            if called_off.start() > scheduled.end()
            else scheduled.end() + SCHEDULED_REACH
        )
        dates = [d for d in dates if not scheduled.start() <= d.start < span_end]
        triggers = [
            dataclasses.replace(t, planned=True)
            if scheduled.start() - SCHEDULED_REACH <= t.start < span_end
            else t
            for t in triggers
        ]
    # "adopted the resolution ... in a meeting on Thursday", «خلال جلسة لمجلس الأمن»: the
    # Council's sitting is where its decision was taken, not an event of its own; its date
    # is the decision's
    sittings: list[Trigger] = []
    if council and _VOTE.search(folded):
        sittings = [t for t in triggers if _council_sitting(t, folded)]
        triggers = [t for t in triggers if t not in sittings]
    claim = _CLAIM.search(folded)
    if claim and any(t.event_type == "attack" for t in triggers):
        # a claim of responsibility, and the statement it came in, are part of the attack
        triggers = [t for t in triggers if t.event_type != "statement"]
        # «أعلن اليوم مسؤوليته عن الهجوم ... أمس»: today is the claim's day, not the attack's
        if any(d.start > claim.end() for d in dates):
            dates = [d for d in dates if d.start > claim.end()]
    # «أعلن التحالف في بيان، الأربعاء، أن الدفاعات أسقطت صاروخاً», "said in a statement that
    # it had intercepted two drones": a statement whose clause reports an attack is how the
    # attack became known, not an event of its own (a condemnation is one)
    for i, t in enumerate(triggers):
        if t.event_type != "statement" or t.reporting or _CONDEMNING.search(t.text):
            continue
        attack = next((u for u in triggers if u.start >= t.end), None)
        if (
            attack is not None
            and attack.event_type == "attack"
            and not attack.definite
            and attack.start - t.end < 160
            and _REPORTED_CLAUSE.search(folded[t.end : attack.start])
        ):
            triggers[i] = dataclasses.replace(t, reporting=True)
    dropped: set[int] = set()
    speakers: set[int] = set()
    if any(not t.reporting for t in triggers):
        # «أعلن ... استهداف»: the announcement reports the attack; only a verb of saying
        # that carries its own date before a planned event ("announced on 9 May that
        # talks would follow") stays an event.
        for i, t in enumerate(triggers):
            if t.reporting:
                own = any(-60 < d.start - t.end < 25 for d in dates)
                # a ministry or government announcing what is to come is itself a
                # statement (the ministry's announcement of a meeting it will host)
                speaker = bool(
                    _INSTITUTION.match(folded[t.end : t.end + 40])
                    or _INSTITUTION_BEFORE.search(folded[max(0, t.start - 40) : t.start])
                    or _country_speaking(folded[t.start : t.end + 40])[1]
                )
                others = [u for u in triggers if not u.reporting and u.start > t.start]
                planned = [u.planned for u in others]
                # what the announcement is about is the event word right after it
                if speaker and planned and planned[0]:
                    triggers[i] = dataclasses.replace(t, reporting=False)
                    speakers.add(i)
                elif not (own and others and all(planned)):
                    dropped.add(i)
    places = [
        p
        for p in find_places(folded, article)
        if p.start >= skip
        and not any(s <= p.start < e for s, e in quotes)
        and not any(t.start <= p.start < t.end for t in triggers)  # «وقف إطلاق النار»
    ]
    actor_mentions = find_actors(folded)
    actors = list(dict.fromkeys(a.name for a in actor_mentions))
    dated: dict[int, list[DateMention]] = {}
    notes: dict[int, str] = {}

    def t_end(k: int) -> int:
        return triggers[k].end

    decisions = [k for k, t in enumerate(triggers) if t.event_type == "resolution"]
    for d in dates:
        if d.precision == "year" and _SINCE.search(folded[max(0, d.start - 20) : d.start]):
            continue
        if decisions and any(0 <= d.start - s.end <= 12 for s in sittings):
            dated.setdefault(decisions[0], []).append(d)
            notes[decisions[0]] = "the day of the Council's meeting that took the decision"
            continue
        trigger, note = _trigger_for_date(d, triggers, folded, dates)
        if trigger is None:
            continue
        i = triggers.index(trigger)
        if (
            trigger.reporting
            and i not in dropped
            and i not in speakers
            and _REPORTED_CLAUSE.search(folded[trigger.end : d.start])
        ):
            # «وقالت إن التصويت كان على مشروع قدم اليوم»: a date inside what was said
            # is not the day it was said
            continue
        if i in speakers and _REPORTED_CLAUSE.search(folded[trigger.end : d.start]):
            # "the ministry announced that the kingdom will host on 11 May the meeting":
            # the date is the announced event's, not the announcement's
            i = next(
                (
                    k
                    for k, u in enumerate(triggers)
                    if k not in dropped
                    and k not in speakers
                    and u.start >= trigger.end
                    and u.start - d.end <= 80
                ),
                i,
            )
            trigger = triggers[i]
        if i in dropped:
            # «أعلن الحوثيون، الخميس، استهداف منشأة»: the day it was announced dates the
            # event announced, unless that event is one the article already dated ("the
            # attack"): then the date is only when it was said.
            reported = next(
                (
                    k
                    for k, u in enumerate(triggers)
                    if k not in dropped
                    and 0 <= u.start - d.end <= 80
                    and not u.definite
                    and u.event_type in ("attack", "agreement")
                ),
                None,
            )
            if reported is None and _REPORTED_CLAUSE.search(folded[t_end(i) : d.start]):
                # «أعلنت الوزارة أن المملكة ستحتضن يوم الأربعاء 11 مايو الاجتماع»: a date
                # inside what was announced dates the event announced, not the saying
                reported = next(
                    (
                        k
                        for k, u in enumerate(triggers)
                        if k not in dropped and 0 <= u.start - d.end <= 80
                    ),
                    None,
                )
                if reported is not None:
                    i, note = reported, ""
                    dated.setdefault(i, []).append(
                        _forward(d, reference) if triggers[i].planned and reference else d
                    )
                    notes[i] = note
                continue
            if reported is None:
                continue
            # the event announced has a date of its own: the day it was said is not its day
            if any(
                e is not d
                and e.start > triggers[reported].start
                and _trigger_for_date(e, triggers, folded, dates)[0] is triggers[reported]
                for e in dates
            ):
                continue
            i, note = reported, "the day it was announced"
        if (
            d.precision == "year"
            and not d.wide
            and not (
                -YEAR_REACH < d.start - trigger.end < YEAR_REACH
                or -YEAR_REACH < trigger.start - d.end < YEAR_REACH
            )
        ):
            continue
        if triggers[i].planned and reference is not None:
            d = _forward(d, reference)
        dated.setdefault(i, []).append(d)
        notes[i] = note
    # «البيان الختامي للاجتماع "أستانا 6" اليوم الجمعة», "participants in the talks on
    # Tuesday issued a statement": the date is the statement's; the talks are named as
    # whose statement it is, not dated by it
    for k, t in enumerate(triggers):
        if t.event_type != "meeting" or k not in dated:
            continue
        owner_of = next(
            (
                j
                for j, u in enumerate(triggers)
                if u.event_type == "statement"
                and not u.reporting
                and j not in dropped
                and (
                    0 <= t.start - u.end <= 25
                    and _OF_THE_MEETING.match(folded[u.end : t.start + 3])
                    or 0 < u.start - t.end <= 90
                    and not t.planned
                    and _ISSUED.search(folded[t.end : u.start])
                )
            ),
            None,
        )
        if owner_of is not None and owner_of not in dated:
            dated[owner_of] = dated.pop(k)
            notes[owner_of] = "the day the statement of the talks was issued"
            # named as whose statement it is: not the article's news either
            triggers[k] = dataclasses.replace(t, channel=True)
    # an institution announcing an event speaks from its capital: the places of the
    # sentence belong to the event announced
    kept = [i for i in range(len(triggers)) if i not in dropped and i not in speakers]
    live = [triggers[i] for i in kept]
    owner = _owners([p.start for p in places], live)
    kept += sorted(speakers)
    mentions = []
    closing = bool(_CLOSING.search(folded))
    for j, i in enumerate(kept):
        trigger = triggers[i]
        if i in speakers:
            place, why = _ministry_place(folded)
        else:
            place, why = _venue(trigger, j, places, owner, live, folded)
            if (
                place is not None
                and trigger.event_type == "statement"
                and place.start > trigger.end
                and _SAID_CLAUSE.search(folded[trigger.end : place.start])
            ):
                # «وأضاف البيان: أن الدول ... في سورية»: a place in what the statement
                # says is its subject, not where it was issued
                place, why = None, ""
        if place is None and trigger.event_type == "statement" and why != "held remotely: no venue":
            place, why = _ministry_place(folded)
        if place is None and (
            (trigger.event_type == "statement" and closing) or trigger.event_type == "agreement"
        ):
            # «بيانا مشتركا في ختام اجتماعهم الذي عقد في مراكش»: where the meeting sat
            for k, other in enumerate(live):
                if other.event_type == "meeting":
                    found, _ = _venue(other, k, places, owner, live, folded)
                    if found is not None:
                        place, why = found, "the place of the meeting it closed"
                        break
        hosting = bool(re.search(r"ستضيف|حتضن|استضاف|host", trigger.text, re.I))
        if (
            (trigger.event_type == "statement" or hosting)
            and (place is None or why == "the sentence's venue")
            and why != "held remotely: no venue"
        ):
            place, why = _ministry_place(folded) if _ministry_place(folded)[0] else (place, why)
        base = (place, why)
        several = len(dated.get(i, [])) > 1
        for d in dated.get(i, [None]):
            place, why = base
            # «تفجيرات في بروكسل الأسبوع الماضي وعمليات قتل في باريس في نوفمبر»: with
            # several dates, a place right before a date goes with that date
            left = [
                p
                for p in places
                if several and d is not None and 0 <= d.start - p.end <= 6
                if p.cued and not p.topic
            ]
            if left:
                place, why = left[-1], "named right before this one of the event's dates"
            elif d is not None and trigger.event_type != "resolution":
                # "began on Monday in Geneva": a venue right after the date is the event's
                right = [
                    p
                    for p in places
                    if 0 <= p.start - d.end <= 25
                    and p.cued
                    and not p.topic
                    and p.place.geo_precision != "country"
                ]
                governed = (
                    why == "governed by the event word"
                    and place is not None
                    and trigger.end <= place.start < d.start
                    and not any(place.end <= q.start < d.start for q in places)
                )
                if right and not governed:
                    place, why = right[0], "named right after the event's date"
            mentions.append(
                Mention(
                    index,
                    trigger,
                    d,
                    notes.get(i, ""),
                    place,
                    why,
                    actors,
                    [a.text for a in actor_mentions],
                )
            )
    return mentions, places


def with_original_text(item, sentence: str, where: list[int]):
    """The article's own spelling of a folded span (hamzas and ta marbutas kept)."""
    if item is None or item.end <= item.start or item.end > len(where):
        return item
    text = sentence[where[item.start] : where[item.end - 1] + 1]
    return dataclasses.replace(item, text=text.strip(' \u201c\u201d\u00ab\u00bb"،,'))
