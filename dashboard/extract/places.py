"""Places a sentence names, and which of them is an event's venue rather than its topic."""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from dashboard import aliases, geo
from dashboard.text import fold_letters, fold_words

from .date_words import _WEEKDAYS_EN, MONTH_NAMES_AR, MONTH_NAMES_EN
from .gazetteer import (
    _RANK,
    Place,
    PlaceMention,
    _alias_place,
    _city_place,
    _gazetteer,
    _iso3_from_name,
    _nationalities,
    _rank_cities,
    normalise,
)
from .triggers import _AR_TRIGGER_RES

_AR_PREFIXES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل", "ك")
_TOKEN = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")
#: An event noun right before a place names where it sat: «مؤتمر برلين», «لقاء موسكو»;
#: in English the place comes first: "the Berlin conference", "Geneva talks".
_AR_EVENT_NOUNS = set(
    fold_words("مؤتمر", "بمؤتمر", "قمة", "اجتماع", "لقاء", "محادثات", "مباحثات", "مفاوضات", "اتفاق")
)
_EN_EVENT_AFTER = re.compile(r"^\s+(?:conference|summit|talks|meeting|agreement|accord)\b", re.I)
_AR_STRONG_LOCATIVE = set(
    fold_words(
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
        # what stands in a place: «مطار أربيل», «قاعدة بلد», «قبالة عدن», «ميناء الحديدة»
        "مطار",
        "بمطار",
        "قاعدة",
        "بقاعدة",
        "معسكر",
        "بمعسكر",
        "ميناء",
        "بميناء",
        "قبالة",
        "ساحل",
        "سواحل",
    )
)
_AR_LOCATIVE = _AR_STRONG_LOCATIVE | set(
    fold_words(
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
_AR_NOT_PLACES = set(
    fold_words("مدينة", "المدينة", "بيان", "الحرية", "الجديدة", "الحي", "العاصمة", "وقف", "لوقف")
)
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
    "over",
    "towards",
    "toward",
}
_NOT_PLACES = (
    {normalise(w) for w in [*MONTH_NAMES_EN, *_WEEKDAYS_EN]}
    | {normalise(w) for names in MONTH_NAMES_AR.values() for w in names}
    # "The talks had begun": a word that opens a sentence is no town ("The" is an other
    # name of Teresina in the gazetteer)
    | {
        normalise(w)
        for w in (
            "The",
            "This",
            "That",
            "These",
            "Those",
            "Its",
            "Their",
            "His",
            "Her",
            "Our",
            "Next",
            "Last",
            "First",
            "Second",
            "Third",
            "Both",
            "Each",
            "Another",
            "Other",
            "Previous",
            "Latest",
            "Further",
            "Direct",
            "Peace",
            "Final",
        )
    }
)


@lru_cache(maxsize=65536)
def _alias_key(phrase: str) -> str:
    return aliases.alias_key(phrase)


@lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    """ISO3 -> the country's label point, read once (a frame lookup per place is slow)."""
    frame = geo.countries()
    return {
        code: (float(lat), float(lon))
        for code, lat, lon in zip(
            frame["iso3"], frame["label_lat"], frame["label_lon"], strict=True
        )
    }


@lru_cache(maxsize=65536)
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


#: Words before a place that make it the event's topic, not its venue.
_TOPIC_BEFORE = re.compile(
    r"(?:(?<![^\W_])(?:[وف]?(?:بشان|حول|حيال|ازاء|تجاه|بخصوص)|(?:ال)?خاص(?:ه)?\s+ب|"
    r"(?:ال)?متعلق(?:ه)?\s+ب|(?:ال)?مبعوث\w*(?:\s+\S+){0,3}\s+(?:الي|ل)|لدي|"
    r"(?:بعثه|بعثتها|مهمه|قوات|قوه)(?:\s+\S+){0,6}\s+(?:في|ب)|لحفظ السلام في|"
    r"[وف]?(?:الوضع|الازمه|الحرب|الصراع|النزاع|الملف|التسويه|العدوان)\s+(?:في|علي)|"
    # «رغم تجدد القتال في شرق دمشق», "despite fighting in": what the event went on despite
    r"(?:بال)?رغم(?:\s+\S+){1,3}\s+(?:في|ب)(?:\s+(?:شرق|غرب|شمال|جنوب)\S*)?|"
    r"الاوضاع في|تسويه\s+الازمه\s+في|[لو]?(?:مسار|عمليه|صيغه|ثلاثي)\s+)"
    r"|\b(?:on|about|regarding|concerning|over|into|for|envoy to|envoy for|mission in|"
    r"situation in|crisis in|war in|conflict in|deliveries into|aid into|process|format|"
    r"despite (?:\w+ ){1,3}in))"
    r"[\s\"\u201c\u201d\u00ab\u00bb]*(?:ال)?$",
    re.I,
)


def _topic(folded: str, start: int) -> str:
    before = folded[max(0, start - 60) : start]
    m = _TOPIC_BEFORE.search(before)
    return m.group(0).strip() if m else ""


def find_places(folded: str, article: frozenset = frozenset()) -> list[PlaceMention]:
    """Places of a sentence, each marked as a topic when the words before it make it one.

    A name several places share goes to the one in a country the sentence names, or in
    the country of another place it names («الإسكندرية جنوبي بغداد» is in Iraq), else in
    the country the article is mostly about (`article`), else to the largest.
    """
    found = _find_places(folded, _context_countries(folded), article)
    near = {p.place.country for p in found if p.source == "alias" and p.place.country}
    if any(p.source == "gazetteer" and p.note for p in found) and near - _context_countries(folded):
        found = _find_places(folded, _context_countries(folded) | near, article)
    found = [
        dataclasses.replace(p, topic=_topic(folded, p.start)) if _topic(folded, p.start) else p
        for p in found
    ]
    return _series_names(folded, found)


#: A place that names a series of talks rather than where a round sat: «أستانا 17»,
#: "“Astana 10” talks", «بصيغة "محادثات أستانا"», "the “Astana formula”".
_SERIES_AFTER = re.compile(
    r"^[\s\"'\u201c\u201d\u00ab\u00bb\-\u2013]*(?:\d{1,2}(?!\d)|formula\b|format\b|process\b|"
    r"track\b|talks\b)",
    re.I,
)
_SERIES_BEFORE = re.compile(
    r"(?<![^\W_])[بل]?(?:صيغه|مسار)\s*[\"\u201c\u201d\u00ab\u00bb]?\s*(?:محادثات|مفاوضات|اجتماعات)?"
    r"\s*[\"\u201c\u201d\u00ab\u00bb]?\s*(?:ال)?$"
)
#: "the Russian city of Sochi", «في مدينة سوتشي الروسية»: a place said to be a town.
_TOWN_BEFORE = re.compile(
    r"(?:\b(?:city|town|resort|capital)\s+of\s+(?:the\s+)?|(?<![^\W_])[وب]?(?:مدينه|منتجع|العاصمه)\s+)$",
    re.I,
)


def _series_names(folded: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """A series' name yields to the town the sentence says a round sat in: in "“Astana 10”
    talks in the Russian city of Sochi" Astana is the talks' name and Sochi their venue."""
    series = [
        i
        for i, p in enumerate(found)
        if not p.topic
        and p.source not in ("country", "nationality")
        and (
            _SERIES_AFTER.match(folded[p.end : p.end + 14])
            or _SERIES_BEFORE.search(folded[max(0, p.start - 40) : p.start])
        )
    ]
    if not series:
        return found
    towns = {
        p.place.country
        for i, p in enumerate(found)
        if i not in series
        and not p.topic
        and p.source not in ("country", "nationality")
        and _TOWN_BEFORE.search(folded[max(0, p.start - 40) : p.start])
    }
    if not towns:
        return found
    return [
        dataclasses.replace(p, topic="the name of a series of talks")
        if i in series and p.place.country not in towns
        else p
        for i, p in enumerate(found)
    ]


def article_countries(sentences: list[str]) -> frozenset:
    """The countries named in the most sentences of an article: what it is about."""
    counts: dict[str, int] = {}
    for folded in sentences:
        for code in _context_countries(folded):
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return frozenset()
    top = max(counts.values())
    return frozenset(c for c, n in counts.items() if n == top and n >= 2)


def _find_places(folded: str, context: set, article: frozenset) -> list[PlaceMention]:
    """Places the sentence names: alias table, countries, nationalities, gazetteer cities."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    index, _, capitals = _gazetteer()
    found: list[PlaceMention] = []
    i = 0
    while i < len(tokens):
        hit = None
        for length in range(min(5, len(tokens) - i), 0, -1):
            first = tokens[i][2]
            rest = " ".join(t[2] for t in tokens[i + 1 : i + length])
            for word, prefix, skip in _prefix_variants(first):
                phrase = (word + " " + rest).strip()
                hit = _place_for(phrase, prefix, tokens, i, folded, index, context, article)
                if hit:
                    start = tokens[i][0] + skip
                    end = tokens[i + length - 1][1]
                    previous = tokens[i - 1][2] if i > 0 else ""
                    cued = (
                        prefix.endswith("ب")
                        or normalise(previous) in _EN_LOCATIVE
                        or (fold_letters(previous) in _AR_LOCATIVE)
                        or fold_letters(previous) in _AR_EVENT_NOUNS
                        or bool(_EN_EVENT_AFTER.match(folded[end : end + 14]))
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
    found = [
        p
        for p in found
        if not (
            p.source == "nationality"
            and _PERSON_BEFORE.search(folded[max(0, p.start - 12) : p.start])
        )
        and not (
            p.source == "gazetteer" and _TITLE_BEFORE.search(folded[max(0, p.start - 40) : p.start])
        )
        # «كتائب حزب الله المدعومة من إيران», "Iran-backed militias": who backs a group,
        # not where anything happened
        and not _BACKED_BEFORE.search(folded[max(0, p.start - 30) : p.start])
        and not re.match(r"[-\u2010\u2011 ]?(?:backed|aligned|allied|sponsored)\b", folded[p.end :])
    ]
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


_BACKED_BEFORE = re.compile(
    r"(?:(?<![^\W_])(?:ال)?(?:مدعوم|مدعومه|موالي|مواليه|متحالف|متحالفه|تابع|تابعه)\w*"
    r"\s+(?:من\s+|ل|مع\s+)?(?:قبل\s+)?|\b(?:backed|supported|funded|sponsored|armed) by\s+"
    r"(?:the\s+)?)$",
    re.I,
)


#: «للمغنية الأميركية», "the American singer": a nationality that says who someone is, not
#: where anything happened
_PERSON_BEFORE = re.compile(
    r"(?:^|\s)(?:[وبل]?(?:لل|ال)?(?:مغني|مغنيه|ممثل|ممثله|لاعب|لاعبه|صحفي|صحفيه|كاتب|كاتبه|"
    r"ناشط|ناشطه|مواطن|مواطنه|سائح|سائحه|مطرب|مطربه)|singer|actor|actress|player|"
    r"journalist|writer|activist|citizen|tourist)\s*$",
    re.I,
)


#: «الرئيس الأميركي باراك أوباما», "President Obama": after a title comes a person's name,
#: even when it is also a town's (Arak)
_TITLE_BEFORE = re.compile(
    r"(?:^|\s)(?:[وبل]?(?:ال)?(?:رييس|رئيس|وزير|سيد|امير|ملك|شيخ|جنرال|عميد|لواء|مبعوث|سفير|نائب)|"
    r"president|minister|mr\.?|mrs\.?|king|prince|general|ambassador|envoy)"
    r"(?:\s+(?:ال)?\S+(?:ي|يه|ان|ian|an|ese|ish|i))?\s*[بل]?$",
    re.I,
)


def _context_countries(folded: str) -> set[str]:
    """Countries a sentence names or qualifies with a nationality, to rank city names."""
    found = set()
    nationalities = _nationalities()
    tokens = list(_TOKEN.finditer(folded))
    words = [m.group(0) for m in tokens]
    for i, token in enumerate(words):
        if _PERSON_BEFORE.search(folded[max(0, tokens[i].start() - 12) : tokens[i].start()]):
            continue
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


def _place_for(phrase, prefix, tokens, i, folded, index, context, article=frozenset()):
    """(Place, source, note) for one candidate phrase starting at token i, or None."""
    key = _alias_key(phrase)
    if len(key) < 3 or normalise(phrase) in _NOT_PLACES:
        return None
    groups = aliases.lookup(phrase, "place")
    if groups:
        place = _alias_place(groups[0].canonical, frozenset(context))
        if place:
            return place, "alias", ""
    latin = not re.match("[\u0600-\u06ff]", phrase)
    if latin and any(
        not w[:1].isupper() and w.lower() not in ("al", "el", "de", "of", "bin", "d.c")
        for w in phrase.split()
    ):
        return None
    code = _iso3_from_name(phrase)
    if code and not (latin and phrase.isupper() and len(phrase) <= 3 and phrase != "US"):
        lat, lon = label_points().get(code, (None, None))
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
    about = False
    if not in_context and article:
        ranked = _rank_cities(cities, set(article))
        about = _gazetteer()[1].get(ranked[0]["countrycode"]) in article
    big = int(ranked[0].get("population") or 0) >= _WEAK_CUE_POPULATION
    if latin:
        cue = normalise(previous) in _EN_LOCATIVE or bool(
            _EN_EVENT_AFTER.match(folded[tokens[i][1] :][:14])
        )
        accepted = cue or (in_context and big)
    else:
        strong = fold_letters(previous) in _AR_STRONG_LOCATIVE
        if prefix and not big and not strong:
            return None  # «كبار» is not Bar, «بايدن» not Eden: a clitic reading needs a big place
        cue = (prefix.endswith("ب") and big) or fold_letters(previous) in _AR_LOCATIVE
        strong = strong or fold_letters(previous) in _AR_EVENT_NOUNS
        accepted = strong or (cue and (in_context or big)) or (in_context and big)
    if not accepted:
        return None
    note = ""
    if len({c["geonameid"] for c in cities}) > 1:
        chosen = ranked[0]
        why = (
            "a country named in the sentence"
            if in_context
            else "the country the article is about"
            if about
            else "the region of the countries named, then the largest population"
        )
        note = (
            f"{len({c['geonameid'] for c in cities})} places of that name; "
            f"{chosen['name']} ({_gazetteer()[1].get(chosen['countrycode'])}) chosen by {why}"
        )
    return _city_place(ranked[0], phrase), "gazetteer", note
