"""Draft events from an article: one per event, each with its sentence and reasoning.

Nothing here is stored: a draft becomes an event only when a person saves it.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dashboard import geo

from .article import fold_with_map, read_document
from .cancel import Cancelled, CancelToken, never
from .gazetteer import _RANK, Place, PlaceMention
from .mentions import Mention, capital_place, read_sentence, speaking_country, with_original_text
from .merge import join_rounds, merge
from .places import article_countries, label_points
from .triggers import SECURITY_COUNCIL
from .wording import (
    SUBTYPE_AR,
    SUBTYPE_EN,
    TYPE_AR,
    TYPE_EN,
    _format_date,
    _location,
    _place_reason,
    _reasoning_ar,
    _sub_type,
    _title,
)

__all__ = [
    "SUBTYPE_AR",
    "SUBTYPE_EN",
    "TYPE_AR",
    "TYPE_EN",
    "CancelToken",
    "Cancelled",
    "Draft",
    "drafts_json",
    "extract",
]

#: Quoted passages longer than this are speech, whose places are not the event's.
QUOTE_SPEECH_CHARS = 25


@dataclass
class Draft:
    """One candidate event, with the sentence it came from and how sure the rules are."""

    #: None when the article gives no year and no reference date: never guessed
    event_date: date | None
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
    #: announced for later ("will be held", «سيعقد», a date after publication)
    planned: bool = False
    #: why the date, the place and the type are what they are, in English and Arabic:
    #: {"date": ..., "place": ..., "type": ...}
    reasoning: dict = field(default_factory=dict)
    reasoning_ar: dict = field(default_factory=dict)
    #: the words of the text that date the event (kept when no date could be worked out)
    date_text: str = ""

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
            "event_date": self.event_date.isoformat() if self.event_date else None,
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


#: How many sentences after an undated event word in the lead a dated, definite mention of
#: the same kind ("the statement, issued on Wednesday 11 May") is taken to be the same event.
#: «في الشهر التالي» counts from a month named at most this many sentences before.
ANCHOR_SENTENCES = 2
LEAD_LOOKAHEAD = 3
#: How many sentences on an event with no place may find it named for the same kind of
#: event ("signed today ... the ceremony took place at the UN in Geneva").
PLACE_LOOKAHEAD = 4
#: Sentences of the lead: an undated event word there is the article's news.
LEAD_SENTENCES = 2
#: A dated mention this close to the reference date is the lead's news, dated; one further
#: away ("recalling their statement of February 6, 2019") is background.
NEWS_DAYS = 7
#: The lead is found among the first sentences of the body only.
LEAD_SEARCH = 5


@dataclass
class _When:
    """A draft's date: from a date mention, from the reference date, or not known."""

    event_date: date | None
    precision: str
    end_date: date | None
    style: str
    text: str
    how: str
    certainty: float
    future: bool = False


def extract(
    text: str,
    published: date | None = None,
    publisher: str = "",
    url: str = "",
    *,
    check: Callable[[], None] = never,
) -> list[Draft]:
    """Draft events from an article (Arabic or English, plain text or HTML).

    The document gives the reference date (`published`, the page's meta tag, or the date
    line printed at its head); every date the article writes is paired with the event
    word it belongs to and the sentence gives its venue; an undated event word in the lead
    is the article's news and takes the reference date. Mentions that agree on type, date
    and place become one draft. No year is ever taken from today's date.

    `check` is called between sentences and between drafts (a few milliseconds apart on a
    200,000-character article); it stops the run by raising, e.g. :class:`Cancelled` from a
    :class:`CancelToken`. Nothing is returned or kept from a stopped run.
    """
    check()
    doc = read_document(text, published)
    check()
    mentions: list[Mention] = []
    sentence_text: dict[int, str] = {}
    folded_text: dict[int, str] = {}
    headlines = {s.index for s in doc.sentences if s.headline}
    folds = []
    for s in doc.sentences:
        check()
        folds.append(fold_with_map(s.text))
    about = article_countries([f for f, _ in folds])
    doc.about = about
    council = any(SECURITY_COUNCIL.search(f) for f, _ in folds)
    check()
    anchor, anchored_at = None, -1
    for s, (folded, where) in zip(doc.sentences, folds, strict=True):
        check()
        speech = [(bisect.bisect_left(where, a), bisect.bisect_left(where, b)) for a, b in s.speech]
        if s.index - anchored_at > ANCHOR_SENTENCES:
            anchor = None
        found, _ = read_sentence(
            s.index,
            s.text,
            folded,
            s.reference,
            doc.lang,
            s.skip,
            s.dateline_date_end,
            speech,
            about,
            council,
            anchor,
        )
        # the last month this sentence dates an event in: «في الشهر التالي» counts from it
        last = max(
            (
                m
                for m in found
                if m.date is not None
                and m.date.event_date is not None
                and m.date.precision in ("day", "month")
            ),
            key=lambda m: m.date.start,
            default=None,
        )
        if last is not None:
            anchor, anchored_at = last.date.event_date, s.index
        for m in found:
            m.trigger = with_original_text(m.trigger, s.text, where)
            m.date = with_original_text(m.date, s.text, where)
            m.place = with_original_text(m.place, s.text, where) if m.place else None
        mentions.extend(found)
        sentence_text[s.index] = s.text.strip()
        folded_text[s.index] = folded
    drafts = []
    for m in mentions:
        check()
        if m.date is not None:
            how = m.date.how
            basis = doc.sentences[m.sentence_index].reference_basis
            if m.date.relative and m.date.event_date is not None and basis:
                how += f"; counted from {basis}"
            when = _When(
                m.date.event_date,
                m.date.precision,
                m.date.end_date,
                m.date.style,
                m.date.text,
                how,
                m.date.certainty,
                m.date.future,
            )
            drafts.append(
                _draft(m, when, mentions, doc, sentence_text, folded_text, publisher, url)
            )
    drafts.extend(
        _lead_drafts(doc, mentions, headlines, sentence_text, folded_text, publisher, url, check)
    )
    drafts.extend(
        _agreements_at_talks(doc, mentions, sentence_text, folded_text, publisher, url, check)
    )
    check()
    merged = merge(sorted(drafts, key=lambda d: d.sentence_index), check)
    return join_rounds(merged, check)


_CLOSING = re.compile(
    r"ختام|الختامي|اختتام|اختتم|\bfinal\b|\bclosing\b|\bconcluding\b|\bat the end of\b|"
    r"\bconcluded\b",
    re.I,
)


def _lead_drafts(doc, mentions, headlines, sentence_text, folded_text, publisher, url, check):
    """The article's news: the main undated event word of the lead, dated by the reference.

    Only the first event word of a lead sentence is its news ("the Council voted to extend
    the mission ... in line with the peace agreement": the vote, not the agreement), and
    only when the article does not date that kind of event nearby itself. A closing or
    joint statement takes the date of the meeting it closed.
    """
    events = [m for m in mentions if m.sentence_index not in headlines]
    main = [
        m
        for m in events
        if not (m.trigger.reporting or m.trigger.channel) and m.trigger.strength >= 0.8
    ]
    body = sorted({s.index for s in doc.sentences if not s.headline})[:LEAD_SEARCH]
    lead = sorted({m.sentence_index for m in main if m.sentence_index in body})[:LEAD_SENTENCES]
    if len(lead) > 1 and lead[1] != lead[0] + 1:
        lead = lead[:1]  # the lead is the opening, not a sentence further down
    window = (lead[-1] if lead else 0) + LEAD_LOOKAHEAD
    out = []
    done: set[str] = set()
    for index in lead:
        check()
        m = min((n for n in main if n.sentence_index == index), key=lambda n: n.trigger.start)
        event_type = m.trigger.event_type
        if m.date is not None or event_type in done or m.trigger.planned:
            continue  # a plan with no date of its own has no date
        if m.trigger.definite and any(
            n.trigger.event_type == event_type
            and n.sentence_index < index
            and not n.trigger.reporting
            for n in mentions
        ):
            continue  # «وأكد البيان ...»: the statement the sentences before named
        if _talks_for(m, mentions, folded_text, doc) is not None:
            continue  # an agreement reached at talks the article dates: dated by them
        ref = doc.sentences[index].reference
        if any(
            n.trigger.event_type == event_type
            and n.date is not None
            and n.sentence_index <= window
            and (
                ref is None
                or n.date.event_date is None
                or n.sentence_index == index
                or abs((n.date.event_date - ref).days)
                <= (NEWS_DAYS if n.date.precision == "day" else 2 * 31)
            )
            for n in mentions
        ) or (event_type == "statement" and _CLOSING.search(folded_text[index])):
            continue  # the article dates this event itself close by
        done.add(event_type)
        out.append(
            _draft(
                m,
                _reference_when(doc, sentence_ref(doc, index)),
                mentions,
                doc,
                sentence_text,
                folded_text,
                publisher,
                url,
            )
        )
    for m in mentions:
        check()
        if m.trigger.event_type != "statement" or m.date is not None or m.trigger.reporting:
            continue
        title = m.sentence_index in headlines and m.trigger.sub_type == "joint statement"
        if not (_CLOSING.search(folded_text[m.sentence_index]) or title) or "statement" in done:
            continue
        meetings = [
            n
            for n in events
            if n.trigger.event_type == "meeting"
            and n.date is not None
            and n.date.event_date is not None
            and n.date.precision != "year"  # a year gives no closing day
            and (not doc.reference or n.date.event_date <= doc.reference)
            and -LEAD_LOOKAHEAD * title <= m.sentence_index - n.sentence_index <= LEAD_LOOKAHEAD
        ]
        if not meetings:
            continue
        # the round the statement closed is the latest one the article dates
        n = max(meetings, key=lambda n: (n.date.event_date, n.sentence_index))
        day = n.date.end_date or n.date.event_date
        when = _When(
            day,
            "day" if n.date.precision == "day" else n.date.precision,
            None,
            n.date.style,
            n.date.text,
            f"a closing statement: the last day of the meeting it closed ({n.date.how})",
            0.6,
        )
        done.add("statement")
        if m.place is None and n.place is not None:
            m = dataclasses.replace(
                m, place=n.place, place_note="the place of the meeting it closed"
            )
        out.append(_draft(m, when, mentions, doc, sentence_text, folded_text, publisher, url))
    return out


#: «تم الاتفاق خلالها», "agreed during the talks": an agreement reached at a meeting
_DURING = re.compile(r"(?<![^\W_])(?:خلال|خلالها|خلاله|اثناء|في ختام)(?![^\W_])|\bduring\b", re.I)


_TO_HOLD = re.compile(
    r"(?:علي|ب)\s*(?:ال)?(?:تنظيم|عقد)\s+(?:ال)?(?:اجتماع|جوله|قمه|لقاء|موتمر)|"
    r"\bto (?:hold|organi[sz]e|convene)\b",
    re.I,
)


def _talks_for(m, mentions, folded_text, doc):
    """The talks an undated agreement was reached at (see _agreements_at_talks), or None."""
    if m.trigger.event_type != "agreement" or m.date is not None or m.trigger.planned:
        return None
    if _TO_HOLD.search(folded_text[m.sentence_index][m.trigger.end : m.trigger.end + 140]):
        return None  # agreed on holding a meeting: a plan, not an agreement
    if any(
        n.trigger.event_type == "agreement"
        and n.date is not None
        and abs(n.sentence_index - m.sentence_index) <= 1
        for n in mentions
    ):
        return None  # the article dates this agreement itself
    talks = [
        n
        for n in mentions
        if n.trigger.event_type == "meeting"
        and (
            not n.trigger.planned
            # «الدول الراعية لمحادثات أستانا، أمس»: talks already held
            or (
                n.sentence_index == m.sentence_index
                and n.date is not None
                and n.date.event_date is not None
                and doc.reference is not None
                and n.date.event_date <= doc.reference
            )
        )
        and n.date is not None
        and n.date.event_date is not None
        and n.date.precision == "day"
        and (
            n.sentence_index == m.sentence_index
            or (
                0 < m.sentence_index - n.sentence_index <= 2
                and _DURING.search(folded_text[m.sentence_index])
            )
        )
    ]
    if not talks:
        return None
    return max(talks, key=lambda n: (n.sentence_index, n.date.event_date))


def _agreements_at_talks(doc, mentions, sentence_text, folded_text, publisher, url, check):
    """An agreement the sentence does not date, reached at talks the article dates: in the
    same sentence («اتفقت الدول الراعية لمحادثات أستانا أمس على ...»), or in a sentence
    just before when this one says it was reached during them («تم الاتفاق خلالها»). It
    takes the day the talks ended and, when it names no place, where they sat."""
    out = []
    for m in mentions:
        check()
        if m.trigger.event_type != "agreement" or m.date is not None or m.trigger.planned:
            continue
        n = _talks_for(m, mentions, folded_text, doc)
        if n is None:
            continue
        day = n.date.end_date or n.date.event_date
        if any(
            k.trigger.event_type == "agreement"
            and k.date is not None
            and k.date.event_date is not None
            and k.date.event_date.replace(day=1) == day.replace(day=1)
            for k in mentions
        ):
            continue  # the article dates an agreement of that month itself
        # the day is the agreement's when the talks ended that day or the sentence dates
        # both; talks known by their first day only give the month
        known = (
            n.date.end_date is not None
            or (n.sentence_index == m.sentence_index and m.trigger.start < n.trigger.start)
            or bool(_CLOSING.search(folded_text[n.sentence_index]))
        )
        when = _When(
            day if known else day.replace(day=1),
            "day" if known else "month",
            None,
            n.date.style,
            n.date.text,
            f"reached at the talks the article dates ({n.date.how}): "
            + ("their last day" if known else "the month they sat (their last day is not given)"),
            0.6,
        )
        if n.place is not None and (m.place is None or m.place.place.geo_precision == "country"):
            m = dataclasses.replace(m, place=n.place, place_note="the place of the talks")
        out.append(_draft(m, when, mentions, doc, sentence_text, folded_text, publisher, url))
    return out


def sentence_ref(doc, index):
    s = doc.sentences[index]
    return s.reference, s.reference_basis


def _reference_when(doc, ref) -> _When:
    reference, basis = ref
    if reference is None:
        return _When(
            None,
            "",
            None,
            "en",
            "",
            "the article's news, but the article gives no "
            "date and no publication date: the date is left empty",
            0.3,
        )
    return _When(
        reference,
        "day",
        None,
        "en",
        "",
        f"no date of its own: the article's news, dated by {basis}",
        0.6,
    )


_OWN_PLACE = (
    "governed by the event word",
    "named for the same event in the sentence",
    "named right after the event's date",
    "the place of the meeting it closed",
)


def _dates_by_sentence(mentions: list[Mention]) -> dict:
    out: dict[tuple[int, str], set] = {}
    for n in mentions:
        if n.date is not None and n.date.event_date is not None:
            out.setdefault((n.sentence_index, n.trigger.event_type), set()).add(n.date.event_date)
    return out


def _earlier_place(m: Mention, mentions: list[Mention], closing: bool) -> Mention | None:
    """A mention of the same event that names the venue this sentence does not.

    Nearby, a mention of the same kind (or the meeting a statement came out of) lends its
    place; further back, only a definite reference ("the ministerial meeting") does, and
    only a finer place in the same country ("Morocco hosts" -> Marrakesh).
    """
    here = m.place.place.country if m.place else None
    mine = m.date.event_date if m.date is not None else None
    dated = _dates_by_sentence(mentions)
    near = []
    for n in mentions:
        if n is m or n.place is None or not n.place.place.country or n.place.topic:
            continue
        if n.place_note not in _OWN_PLACE:
            continue
        same = n.trigger.event_type == m.trigger.event_type
        kin = same or (
            closing and m.trigger.event_type == "statement" and n.trigger.event_type == "meeting"
        )
        ahead = PLACE_LOOKAHEAD if (same and m.place is None) else 1
        if not kin or n.sentence_index > m.sentence_index + ahead:
            continue
        gap = n.sentence_index - m.sentence_index
        close = (0 <= gap <= ahead) or (0 <= -gap <= LEAD_LOOKAHEAD)
        finer = (
            same
            and m.trigger.definite
            and here == n.place.place.country
            and _RANK[n.place.place.geo_precision] < _RANK["country"]
        )
        if not (close or finer):
            continue
        if here and n.place.place.country != here:
            continue
        theirs = (
            {n.date.event_date}
            if n.date is not None
            else dated.get((n.sentence_index, n.trigger.event_type), set())
        )
        if mine is not None and theirs and mine not in theirs:
            continue  # a mention of another day is another event
        near.append(n)
    if not near:
        return None
    return min(
        near,
        key=lambda n: (
            n.trigger.event_type != m.trigger.event_type,
            _RANK[n.place.place.geo_precision],
            abs(n.sentence_index - m.sentence_index),
        ),
    )


def _draft(m, when, mentions, doc, sentence_text, folded_text, publisher, url) -> Draft:
    trigger = m.trigger
    folded = folded_text[m.sentence_index]
    place_mention, place_why = m.place, m.place_note
    inherited = ""
    inherited_sub_type = ""
    inherit_ok = place_mention is None or (
        place_mention.place.geo_precision == "country"
        and place_mention.source in ("country", "nationality")
        and trigger.event_type != "resolution"
    )
    if (
        inherit_ok
        and place_why != "held remotely: no venue"
        and (trigger.definite or m.place is None)
    ):
        closing = trigger.sub_type == "joint statement" or bool(_CLOSING.search(folded))
        source = _earlier_place(m, mentions, closing)
        if source is not None and (
            place_mention is None or source.place.place.country == place_mention.place.country
        ):
            place_mention = source.place
            inherited_sub_type = _sub_type(source.trigger, folded_text[source.sentence_index])
            inherited = (
                f"not stated for this event word; sentence {source.sentence_index + 1} "
                f"names it for the same event («{source.trigger.text.strip()}»)"
            )
    if (
        place_mention is None
        and trigger.event_type == "attack"
        and len(doc.about) == 1
        and place_why != "held remotely: no venue"
    ):
        # an attack the sentence does not place, in an article about one country («استهدفوا
        # في نوفمبر الماضي مصنعاً لأرامكو»): that country, at country precision
        (code,) = doc.about
        lat, lon = label_points().get(code, (None, None))
        place_mention = PlaceMention(
            0,
            0,
            "",
            Place(geo.country_name(code), geo.country_name(code, "ar"), code, lat, lon, "country"),
            "country",
            "",
            True,
        )
        inherited = "not stated for this attack; the one country the article is about"
    if (
        place_mention is None
        and trigger.event_type == "statement"
        and place_why != "held remotely: no venue"
        and re.search(r"وزاره|الخارجيه", folded)
    ):
        # «أصدرت وزارة الخارجية بياناً …», then «وتؤكد مصر …»: a ministry named without its
        # country speaks for the country that expresses itself in the sentences after it
        after = [
            folded_text[k]
            for k in range(m.sentence_index, m.sentence_index + 4)
            if k in folded_text
        ]
        found = speaking_country(after)
        if found:
            code, words = found
            place_mention = capital_place(code, "", "")
            inherited = (
                f"the ministry names no country; the country that speaks after it («{words}»): "
                "its capital"
            )
    place = place_mention.place if place_mention else None
    reasons = []
    date_en = (
        f"“{when.text}” → "
        + (
            _format_date(when.event_date, when.precision, when.end_date, "en", "en")
            if when.event_date
            else "no date"
        )
        + f" ({when.how})"
        if when.text
        else (
            _format_date(when.event_date, when.precision, None, "en", "en")
            if when.event_date
            else "no date"
        )
        + f" ({when.how})"
    )
    reasons.append("date: " + date_en)
    type_reason = f"“{trigger.text.strip()}” → {trigger.event_type}"
    if m.date_note:
        type_reason += f" ({m.date_note})"
    reasons.append("type: " + type_reason)
    if place_mention is not None:
        place_reason = _place_reason(place_mention)
        why = inherited or place_why or place_mention.note
        if why and why not in place_reason:
            place_reason += f"; {why}"
    else:
        place_reason = "place: " + (place_why or "none found for this event")
    reasons.append(place_reason)
    actors = list(m.actors)
    if actors:
        reasons.append("actors: " + ", ".join(actors))
    lat, lon, basis = (place.latitude, place.longitude, place.basis) if place else (None, None, "")
    if (
        place is not None
        and place.geo_precision == "country"
        and lat is None
        and place.country in label_points()
    ):
        lat, lon = label_points()[place.country]
        basis = "country label point (data/boundaries)"
    if lat is not None and (lat != lat or lon != lon):
        lat = lon = None
    sub_type = _sub_type(trigger, folded) or inherited_sub_type
    place_score = (
        {"exact": 1.0, "city": 0.95, "admin1": 0.85, "country": 0.7}[place.geo_precision]
        if place
        else 0.2
    )
    confidence = (
        0.35 * when.certainty
        + 0.3 * trigger.strength * (0.8 if m.date_note else 1.0)
        + 0.25 * place_score
        + 0.1 * (1.0 if actors else 0.4)
    )
    planned = bool(
        trigger.planned
        or when.future
        or (when.event_date and doc.reference and when.event_date > doc.reference)
    )
    title_when = when if when.event_date else None
    return Draft(
        event_date=when.event_date,
        date_precision=when.precision if when.event_date else "",
        end_date=when.end_date,
        event_type=trigger.event_type,
        location=_location(place),
        country=place.country if place else None,
        latitude=lat,
        longitude=lon,
        geo_precision=place.geo_precision if place else None,
        actors=actors,
        title=_title(trigger.event_type, sub_type, place, title_when, doc.lang, when.text),
        sentence=sentence_text[m.sentence_index],
        confidence=round(min(1.0, max(0.05, confidence)), 2),
        reasons=reasons,
        sub_type=sub_type,
        admin1=place.admin1 if place else "",
        language=doc.lang,
        coord_basis=basis if lat is not None else "",
        publisher=publisher,
        url=url,
        published=doc.reference if doc.reference_basis == "the publication date given" else None,
        sentence_index=m.sentence_index,
        planned=planned,
        reasoning={
            "date": date_en,
            "type": type_reason,
            "place": place_reason.removeprefix("place: "),
        },
        reasoning_ar=_reasoning_ar(when, trigger, place_mention, place_why or inherited),
        date_text=when.text,
    )


def drafts_json(drafts: list[Draft]) -> str:
    return json.dumps([d.as_dict() for d in drafts], ensure_ascii=False, indent=2)
