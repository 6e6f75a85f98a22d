"""Draft events from an article: one per event, each with its sentence and reasoning.

Nothing here is stored: a draft becomes an event only when a person saves it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from dashboard import geo

from .actors import find_actors
from .article import article_text, fold_with_map, language_of, sentences
from .date_words import MONTH_NAMES_AR, MONTH_NAMES_EN
from .dates import DateMention, find_dates
from .gazetteer import _RANK, Place, PlaceMention, normalise
from .places import find_places
from .triggers import _SUBTYPE_HINTS, Trigger, find_triggers

#: Quoted passages longer than this are speech, whose places are not the event's.
QUOTE_SPEECH_CHARS = 25


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


def drafts_json(drafts: list[Draft]) -> str:
    return json.dumps([d.as_dict() for d in drafts], ensure_ascii=False, indent=2)
