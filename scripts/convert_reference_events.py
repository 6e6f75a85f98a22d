#!/usr/bin/env python3
"""Convert the cited reference events (a CSV kept by the researchers) into data/events.jsonl.

The CSV is the research record; data/events.jsonl is what the store loads and what a
reviewer diffs. Every rule that turns one into the other is written down here, so each
shipped fact can be traced back to a cited row and nothing is added that the row does
not say. Derived fields (ids, ISO3 codes, geo precision, sub types, links between
events) come from explicit tables below, each entry with its reason, and the script
refuses to write anything when a row breaks a rule instead of guessing.

Usage (from anywhere; paths default to the repository layout):

    python scripts/convert_reference_events.py [CSV] [--output data/events.jsonl]
        [--titles data/titles_ar.csv]

The Arabic titles are not in the researchers' CSV: they are kept, one reviewed row per
event, in data/titles_ar.csv and merged here, so a rerun never drops them.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO_ROOT.parent / "shared" / "data" / "reference-events.csv"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "events.jsonl"
DEFAULT_TITLES = REPO_ROOT / "data" / "titles_ar.csv"

#: Key order of every line. It is the canonical column order of dashboard/schema.py,
#: repeated here so the script runs without the package on the import path.
KEYS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "event_type",
    "sub_type",
    "title",
    "title_ar",
    "summary",
    "actors",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_text",
    "sources",
    "related",
    "verification",
    "evidence",
    "notes",
    "coord_basis",
    "dataset",
)
SOURCE_KEYS = ("publisher", "url", "published", "language")

CSV_COLUMNS = (
    "date",
    "date_precision",
    "end_date",
    "event_type",
    "title",
    "place",
    "admin1",
    "country",
    "latitude",
    "longitude",
    "coord_basis",
    "actors",
    "fatalities",
    "source",
    "verification",
    "evidence_phrase",
    "notes",
)

EVENT_TYPES = ("meeting", "statement", "attack", "resolution", "agreement", "other")
DATE_PRECISIONS = ("day", "month", "year")
VERIFICATION = ("verified", "unverified")
DATASET = "reference"

#: English country names used in the CSV -> ISO 3166-1 alpha-3. An empty name (virtual
#: meetings) becomes null; a name missing from this table stops the conversion, so a new
#: country is added here by a person, not guessed.
COUNTRY_ISO3: dict[str, str] = {
    "Belgium": "BEL",
    "Egypt": "EGY",
    "France": "FRA",
    "Iraq": "IRQ",
    "Italy": "ITA",
    "Jordan": "JOR",
    "Kazakhstan": "KAZ",
    "Kuwait": "KWT",
    "Morocco": "MAR",
    "Mozambique": "MOZ",
    "Netherlands": "NLD",
    "Niger": "NER",
    "Russia": "RUS",
    "Saudi Arabia": "SAU",
    "Switzerland": "CHE",
    "Syria": "SYR",
    "Tunisia": "TUN",
    "United Kingdom": "GBR",
    "United States": "USA",
}

#: coord_basis wording -> geo_precision. A point read from a source's infobox is the
#: source's own coordinate ("exact"); a city centroid added by the researcher is only
#: good to the city; a virtual meeting has no place at all.
GEO_PRECISION_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"^approx\. city centroid \(not from source\)$"), "city"),
    (re.compile(r"^source \(.*infobox\)$"), "exact"),
    (re.compile(r"^n/a \(virtual\)$"), None),
)

#: sub_type from words of the title. First matching rule wins; a rule only applies to
#: the event types listed with it. No match -> "". (types, pattern, sub_type, reason)
SUB_TYPE_RULES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        ("resolution",),
        r"\bUNSC Resolution\b",
        "UN Security Council resolution",
        "title names a UNSC resolution",
    ),
    (
        ("statement",),
        r"\bjoint statement\b|\bcommuniqu[eé]\b|\bstatement by the ministers\b",
        "joint statement",
        "title says joint statement, communique or statement by the ministers",
    ),
    (
        ("statement",),
        r"\bannounces\b",
        "announcement",
        "title says someone announces something",
    ),
    (
        ("meeting",),
        r"\bministerial\b|\bministers\b",
        "ministerial",
        "title says ministerial or ministers",
    ),
    (
        ("meeting",),
        r"\bsenior officials\b|\bsenior diplomats\b|\bpolitical directors\b",
        "senior officials",
        "title says senior officials / senior diplomats / political directors",
    ),
    (("meeting",), r"\btalks\b", "talks", "title says talks"),
    (("attack",), r"\bprison\b", "prison attack", "title names a prison as the target"),
    (("attack",), r"\braid\b", "raid", "title says raid"),
    (("attack",), r"\bsuicide bombing\b", "suicide bombing", "title says suicide bombing"),
    (("attack",), r"\bbombing\b", "bombing", "title says bombing"),
    (("attack",), r"\bshooting\b", "shooting", "title says shooting"),
)

#: Source language is not given per source. Default: "ar" when the publisher text says
#: Arabic, else "en" (every title in the file is English and so are the evidence
#: phrases, with the exceptions below). publisher -> (language, reason)
LANGUAGE_OVERRIDES: dict[str, tuple[str, str]] = {
    "Agenzia Nova": (
        "it",
        "the evidence phrase quoted from it is Italian ('Si e svolto ieri a Roma')",
    ),
    "elnashra.com (Kazakh MFA)": (
        "ar",
        "the evidence notes quote its text in Arabic ('يومي 14 و15 أيلول')",
    ),
}

#: Links between events. Rules (the file states the connection; nothing is inferred):
#:   issued at  - a joint statement / communique / announcement made at a meeting: same
#:                date and place, or the title/evidence says so.
#:   announces  - an announcement names the date of the meeting it announces.
#:   reports on - a statement about an event in progress (date within its span).
#:   cites      - the title, evidence or notes of one row say it cites the other event.
#:   follows up - the titles say one act continues the other (same body, same mandate).
#: Every pair is written out below and checked against its rule; links are symmetric.
#: (event_id, event_id, rule, reason)
RELATED_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    (
        "ref-2014-09-11-jeddah-statement",
        "ref-2014-09-11-jeddah-meeting",
        "issued at",
        "same date and place; the meeting title names the Jeddah Communique",
    ),
    (
        "ref-2014-12-03-brussels-statement",
        "ref-2014-12-03-brussels-meeting",
        "issued at",
        "title: 'issued by partners at the first Counter-ISIL Coalition ministerial'",
    ),
    (
        "ref-2016-02-02-rome-statement",
        "ref-2016-02-02-rome-meeting",
        "issued at",
        "same date and place; evidence: ministers of the Small Group 'met today in Rome'",
    ),
    (
        "ref-2021-03-30-virtual-statement",
        "ref-2021-03-30-virtual-meeting",
        "issued at",
        "title: joint statement 'after virtual meeting'; same date",
    ),
    (
        "ref-2021-06-28-rome-statement",
        "ref-2021-06-28-rome-meeting",
        "issued at",
        "same date and place; notes: 'A statement issued by the Rome meeting'",
    ),
    (
        "ref-2022-05-11-marrakesh-statement",
        "ref-2022-05-11-marrakesh-meeting",
        "issued at",
        "same date and place; joint communique of the ministers who met in Marrakesh",
    ),
    (
        "ref-2022-12-07-the-hague-statement",
        "ref-2022-12-07-the-hague-meeting",
        "issued at",
        "evidence: announcement made 'during its participation in the meeting of the"
        " coalition's political directors' in The Hague",
    ),
    (
        "ref-2023-06-08-riyadh-statement",
        "ref-2023-06-08-riyadh-meeting",
        "issued at",
        "same date and place; evidence: released 'following today's meeting'",
    ),
    (
        "ref-2023-12-05-rome-statement",
        "ref-2023-12-05-rome-meeting",
        "issued at",
        "same date and place; evidence: Italy 'hosted a meeting ... today in Rome'",
    ),
    (
        "ref-2024-09-30-washington-statement",
        "ref-2024-09-30-washington-meeting",
        "issued at",
        "same date and place; evidence: the ministerial 'issued, Monday in Washington,"
        " a communique'",
    ),
    (
        "ref-2020-05-27-washington-statement",
        "ref-2020-06-04-virtual-meeting",
        "announces",
        "title: announces virtual Small Group ministerial 'for June 4' (with Italy)",
    ),
    (
        "ref-2021-06-19-rome-statement",
        "ref-2021-06-28-rome-meeting",
        "announces",
        "title: announces Rome Coalition ministerial 'for 28 June'",
    ),
    (
        "ref-2021-06-21-washington-statement",
        "ref-2021-06-28-rome-meeting",
        "announces",
        "title: announces Blinken to co-host Rome Coalition ministerial 'on 28 June'",
    ),
    (
        "ref-2022-05-09-rabat-statement",
        "ref-2022-05-11-marrakesh-meeting",
        "announces",
        "title: announces Marrakesh Coalition ministerial 'on 11 May'",
    ),
    (
        "ref-2023-02-28-rabat-statement",
        "ref-2023-03-01-niamey-meeting",
        "announces",
        "title: announces Africa Focus Group plenary in Niamey '(1-2 March)'",
    ),
    (
        "ref-2022-01-26-al-hasakah-statement",
        "ref-2022-01-20-al-hasakah-attack",
        "reports on",
        "title: SDF announces full control of al-Sina'a (Ghwayran) prison; attack notes:"
        " 'SDF announced full control 26 Jan'",
    ),
    (
        "ref-2022-05-11-marrakesh-statement",
        "ref-2022-01-20-al-hasakah-attack",
        "cites",
        "title: '(cites Al-Sinaa attack)'; attack notes: 'cited in Marrakesh communique'",
    ),
    (
        "ref-2021-03-30-virtual-statement",
        "ref-2021-01-21-baghdad-attack",
        "cites",
        "title: 'cites Baghdad double suicide attack'; attack notes: 'cited in 30 Mar 2021"
        " Coalition statement'",
    ),
    (
        "ref-2015-06-02-paris-meeting",
        "ref-2015-05-17-ramadi-attack",
        "cites",
        "meeting notes: co-chairs' statement cites Daesh offensives in Ramadi; Ramadi notes:"
        " 'Cited in Paris 2 June 2015 co-chairs' statement'",
    ),
    (
        "ref-2015-06-02-paris-meeting",
        "ref-2015-05-20-palmyra-attack",
        "cites",
        "meeting notes: co-chairs' statement cites Daesh offensives in ... Palmyra",
    ),
    (
        "ref-2015-11-20-new-york-resolution",
        "ref-2015-06-26-port-el-kantaoui-attack",
        "cites",
        "resolution title: 'after Sousse ... attacks'; Sousse notes: 'Cited in UNSCR 2249'",
    ),
    (
        "ref-2015-11-20-new-york-resolution",
        "ref-2015-10-31-near-hasna-attack",
        "cites",
        "resolution title: 'after ... Sinai ... attacks'; Metrojet notes: 'Cited in UNSCR 2249'",
    ),
    (
        "ref-2019-02-06-washington-meeting",
        "ref-2019-01-16-manbij-attack",
        "cites",
        "meeting notes: 'Pompeo cited the Manbij suicide bombing'; Manbij notes: 'Cited by"
        " Pompeo at 6 Feb 2019 ministerial'",
    ),
    (
        "ref-2017-02-23-geneva-meeting",
        "ref-2015-12-18-new-york-resolution",
        "cites",
        "Geneva IV notes: 'Talks based on UNSCR 2254'",
    ),
    (
        "ref-2019-10-30-geneva-meeting",
        "ref-2018-01-30-sochi-meeting",
        "follows up",
        "Sochi title: 'decides to form Constitutional Committee'; Geneva title: 'Syrian"
        " Constitutional Committee launched'",
    ),
    (
        "ref-2023-09-15-new-york-resolution",
        "ref-2017-09-21-new-york-resolution",
        "follows up",
        "titles: 2379 establishes UNITAD; 2697 renews the UNITAD mandate",
    ),
)

#: Links that were considered and deliberately not made, and why. A joint statement or
#: announcement with no link at all stops the conversion unless it is listed here.
NOT_LINKED: dict[str, str] = {
    "ref-2022-12-07-the-hague-statement": (
        "linked to the meeting it was made at; not linked to the 2023 Riyadh ministerial"
        " because the file does not name the date of the ministerial it announces"
    ),
    "ref-2021-03-30-virtual-statement": (
        "'Mozambique' in the title does not name the Palma assault, so no link to it"
    ),
}

#: Columns of data/titles_ar.csv. basis is "source" (the headline of an Arabic report of
#: the event, cited in url) or "translation" (a translation of the English title).
#: headline_from says where the headline was read: the page itself, or the page's address
#: when the stored copy of the page starts below its headline. date_phrase quotes the
#: words of the page that place it on the event's date, for the reviewer.
TITLE_COLUMNS = (
    "event_id",
    "basis",
    "title_ar",
    "headline_from",
    "publisher",
    "url",
    "published",
    "date_phrase",
)
TITLE_BASES = ("source", "translation")
HEADLINE_FROM = ("page", "address")
#: The fixed sentence added to ``notes`` that says where title_ar comes from. The record
#: layout has no field for it, and a sentence in notes survives the store, the export and
#: every import; a reader (or the UI) finds it by this exact wording.
TITLE_AR_NOTE_TRANSLATED = "Arabic title: translated from the English title."
TITLE_AR_NOTE_SOURCE = "Arabic title: headline of the Arabic source {url}"
NOTE_SEPARATOR = " | "
_LATIN_RE = re.compile(r"[A-Za-z]")
_ARABIC_RE = re.compile(r"[\u0621-\u064a]")

_URL_RE = re.compile(r"https?://\S+")
_INT_RE = re.compile(r"^[0-9]+$")


class ConversionError(ValueError):
    """A CSV row that cannot be converted without guessing; names the row and column."""

    def __init__(self, row: int, column: str, message: str):
        super().__init__(f"row {row}, column {column}: {message}")
        self.row = row
        self.column = column


def split_actors(field: str) -> list[str]:
    """Split on ';' only outside parentheses.

    "UN Security Council (unanimous; 104 co-sponsors; Chapter VII)" is one actor with a
    description; cutting inside the brackets would invent actors called "Chapter VII)".
    """
    actors: list[str] = []
    depth = 0
    current: list[str] = []
    for char in field:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == ";" and depth == 0:
            actors.append("".join(current))
            current = []
        else:
            current.append(char)
    actors.append("".join(current))
    return [a.strip() for a in actors if a.strip()]


def parse_fatalities(field: str) -> int | None:
    """A number only when the source gives one plain number; ranges and estimates stay text."""
    text = field.strip()
    return int(text) if _INT_RE.match(text) else None


def source_language(publisher: str) -> str:
    if publisher in LANGUAGE_OVERRIDES:
        return LANGUAGE_OVERRIDES[publisher][0]
    if "arabic" in publisher.lower():
        return "ar"
    return "en"


def parse_sources(field: str) -> list[dict]:
    """Split the source field into {publisher, url, published, language} entries.

    Parts are separated by " ; ". A part is "Publisher - URL", publisher text with a URL
    inside, a bare URL, or a bare reference without a scheme ("dailyjubba.com"). Only an
    http(s) URL that is written out becomes a url: a scheme is never added, so a bare
    domain stays a publisher reference. A bare URL's publisher is its host name.
    """
    sources = []
    for part in field.split(" ; "):
        part = part.strip()
        if not part:
            continue
        match = _URL_RE.search(part)
        if match:
            url = match.group(0)
            publisher = (part[: match.start()] + part[match.end() :]).strip()
            publisher = re.sub(r"\s+-$", "", publisher).strip()
            if not publisher:
                publisher = urlsplit(url).hostname or ""
        else:
            url, publisher = "", part
        sources.append(
            {
                "publisher": publisher,
                "url": url,
                "published": None,
                "language": source_language(publisher),
            }
        )
    return sources


def geo_precision(coord_basis: str) -> str | None:
    for pattern, precision in GEO_PRECISION_RULES:
        if pattern.match(coord_basis):
            return precision
    raise KeyError(coord_basis)


def derive_sub_type(event_type: str, title: str) -> str:
    for types, pattern, sub_type, _reason in SUB_TYPE_RULES:
        if event_type in types and re.search(pattern, title, flags=re.IGNORECASE):
            return sub_type
    return ""


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def place_slug(place: str) -> str:
    """Short slug of a place: no parenthesised detail, nothing after the first comma.

    "al-Hasakah (Ghwayran/al-Sina'a prison)" -> "al-hasakah",
    "Washington, D.C. (State Department)" -> "washington".
    """
    depth = 0
    kept: list[str] = []
    for char in place:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return slugify("".join(kept).split(",")[0])


def make_ids(rows: list[dict]) -> list[str]:
    """ref-DATE-PLACE-TYPE; a repeated id gets -2, -3 in CSV order, so reruns agree."""
    ids: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        base = f"ref-{row['date']}-{place_slug(row['place'])}-{row['event_type']}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def _date(value: str, row: int, column: str) -> str | None:
    if value == "":
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConversionError(row, column, f"not a YYYY-MM-DD date: {value!r}") from None


def _coord(value: str, row: int, column: str, limit: float) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ConversionError(row, column, f"not a number: {value!r}") from None
    if not -limit <= number <= limit:
        raise ConversionError(row, column, f"{number} is outside -{limit}..{limit}")
    return number


def convert_row(row: dict, event_id: str, line: int) -> dict:
    """One CSV row -> one record, facts copied verbatim, derived fields by the tables above."""
    start = _date(row["date"], line, "date")
    if start is None:
        raise ConversionError(line, "date", "missing")
    end = _date(row["end_date"], line, "end_date")
    if end is not None and end < start:
        raise ConversionError(line, "end_date", f"{end} is before {start}")
    if row["date_precision"] not in DATE_PRECISIONS:
        raise ConversionError(line, "date_precision", f"unknown: {row['date_precision']!r}")
    if row["event_type"] not in EVENT_TYPES:
        raise ConversionError(line, "event_type", f"unknown: {row['event_type']!r}")
    if row["verification"] not in VERIFICATION:
        raise ConversionError(line, "verification", f"unknown: {row['verification']!r}")

    country_name = row["country"].strip()
    if country_name and country_name not in COUNTRY_ISO3:
        raise ConversionError(line, "country", f"no ISO3 code in COUNTRY_ISO3 for {country_name!r}")
    try:
        precision = geo_precision(row["coord_basis"])
    except KeyError:
        raise ConversionError(
            line, "coord_basis", f"no geo_precision rule for {row['coord_basis']!r}"
        ) from None

    lat = _coord(row["latitude"], line, "latitude", 90)
    lon = _coord(row["longitude"], line, "longitude", 180)
    if (lat is None) != (lon is None):
        raise ConversionError(line, "latitude", "latitude and longitude must be given together")

    sources = parse_sources(row["source"])
    if not any(s["url"].startswith(("http://", "https://")) for s in sources):
        raise ConversionError(line, "source", "no source with an http(s) URL")

    values = {
        "event_id": event_id,
        "event_date": start,
        "end_date": end,
        "date_precision": row["date_precision"],
        "event_type": row["event_type"],
        "sub_type": derive_sub_type(row["event_type"], row["title"]),
        "title": row["title"],
        "title_ar": "",
        "summary": "",
        "actors": split_actors(row["actors"]),
        "country": COUNTRY_ISO3[country_name] if country_name else None,
        "admin1": row["admin1"],
        "location": row["place"],
        "latitude": lat,
        "longitude": lon,
        "geo_precision": precision,
        "fatalities": parse_fatalities(row["fatalities"]),
        "fatalities_text": row["fatalities"],
        "sources": sources,
        "related": [],
        "verification": row["verification"],
        "evidence": row["evidence_phrase"],
        "notes": row["notes"],
        "coord_basis": row["coord_basis"],
        "dataset": DATASET,
    }
    return {key: values[key] for key in KEYS}


def _check_pair(a: dict, b: dict, rule: str) -> str | None:
    """Why a listed pair breaks its own rule, or None when it holds."""
    if rule == "issued at":
        stmt, meeting = a, b
        if stmt["event_type"] != "statement" or meeting["event_type"] != "meeting":
            return "'issued at' links a statement to a meeting"
        if stmt["event_date"] != meeting["event_date"]:
            return "'issued at' needs the same date"
        if place_slug(stmt["location"]) != place_slug(meeting["location"]):
            return "'issued at' needs the same place"
    elif rule == "announces":
        if a["event_type"] != "statement" or b["event_type"] != "meeting":
            return "'announces' links a statement to a meeting"
        if not a["event_date"] < b["event_date"]:
            return "an announcement comes before the meeting"
    elif rule == "reports on":
        span_end = b["end_date"] or b["event_date"]
        if not b["event_date"] <= a["event_date"] <= span_end:
            return "'reports on' needs the statement inside the event's span"
    elif rule in ("cites", "follows up"):
        if a["event_date"] < b["event_date"]:
            return f"'{rule}' needs the first event on or after the second"
    else:
        return f"unknown rule {rule!r}"
    return None


def link_related(records: list[dict], pairs: Iterable[tuple[str, str, str, str]]) -> None:
    """Fill ``related`` both ways from the reviewed pair table, checking each pair's rule."""
    by_id = {r["event_id"]: r for r in records}
    problems = []
    for left, right, rule, _reason in pairs:
        if left not in by_id or right not in by_id:
            problems.append(f"related pair {left} / {right}: unknown event id")
            continue
        problem = _check_pair(by_id[left], by_id[right], rule)
        if problem:
            problems.append(f"related pair {left} / {right}: {problem}")
            continue
        by_id[left]["related"].append(right)
        by_id[right]["related"].append(left)
    for record in records:
        record["related"] = sorted(set(record["related"]))
        needs_link = record["sub_type"] in ("joint statement", "announcement")
        if needs_link and not record["related"] and record["event_id"] not in NOT_LINKED:
            problems.append(
                f"{record['event_id']}: a {record['sub_type']} with no related meeting or event;"
                " add it to RELATED_PAIRS or NOT_LINKED with a reason"
            )
    if problems:
        raise ValueError("\n".join(problems))


def title_note(basis: str, url: str = "") -> str:
    """The notes sentence that marks where an Arabic title comes from."""
    if basis == "translation":
        return TITLE_AR_NOTE_TRANSLATED
    return TITLE_AR_NOTE_SOURCE.format(url=url)


def _check_title_row(row: dict, line: int) -> list[str]:
    problems = []

    def problem(column: str, message: str) -> None:
        problems.append(f"titles row {line}, column {column}: {message}")

    title = row["title_ar"].strip()
    if not title:
        problem("title_ar", "empty")
    elif _LATIN_RE.search(title):
        problem("title_ar", f"has Latin letters (write names in Arabic): {title!r}")
    elif not _ARABIC_RE.search(title):
        problem("title_ar", f"has no Arabic letters: {title!r}")
    if title != row["title_ar"]:
        problem("title_ar", "leading or trailing spaces")
    basis = row["basis"]
    source_columns = ("headline_from", "publisher", "url", "published", "date_phrase")
    if basis not in TITLE_BASES:
        problem("basis", f"{basis!r} is not one of {TITLE_BASES}")
    elif basis == "translation":
        for column in source_columns:
            if row[column]:
                problem(column, "a translation cites no source; leave it empty")
    else:
        if row["headline_from"] not in HEADLINE_FROM:
            problem("headline_from", f"{row['headline_from']!r} is not one of {HEADLINE_FROM}")
        if not row["publisher"].strip():
            problem("publisher", "empty")
        if not row["url"].startswith(("http://", "https://")) or any(
            c.isspace() for c in row["url"]
        ):
            problem("url", f"not an http(s) address: {row['url']!r}")
        if not row["date_phrase"].strip():
            problem("date_phrase", "quote the words that place the page on the event's date")
        if row["published"]:
            try:
                date.fromisoformat(row["published"])
            except ValueError:
                problem("published", f"not a YYYY-MM-DD date: {row['published']!r}")
    return problems


def read_titles(path: Path) -> tuple[dict[str, dict], list[str]]:
    """The reviewed Arabic titles by event id, or every problem found in the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != TITLE_COLUMNS:
            return {}, [f"{path}: columns must be {', '.join(TITLE_COLUMNS)}"]
        titles: dict[str, dict] = {}
        problems: list[str] = []
        for index, raw in enumerate(reader):
            line = index + 2
            row = {k: (raw.get(k) or "") for k in TITLE_COLUMNS}
            if None in raw:
                problems.append(f"titles row {line}: more fields than columns")
            problems.extend(_check_title_row(row, line))
            if row["event_id"] in titles:
                problems.append(f"titles row {line}, column event_id: {row['event_id']} repeated")
            titles[row["event_id"]] = row
    return titles, problems


def apply_titles(records: list[dict], titles: dict[str, dict]) -> list[str]:
    """Set title_ar, mark its basis in notes and cite an Arabic source it came from.

    A title for an event the CSV does not have is a problem (a renamed id would otherwise
    lose its title silently); an event without a row keeps an empty title_ar.
    """
    by_id = {r["event_id"]: r for r in records}
    problems = [
        f"titles: {event_id} is not an event in the CSV"
        for event_id in titles
        if event_id not in by_id
    ]
    for event_id, row in titles.items():
        record = by_id.get(event_id)
        if record is None:
            continue
        record["title_ar"] = row["title_ar"]
        note = title_note(row["basis"], row["url"])
        record["notes"] = f"{record['notes']}{NOTE_SEPARATOR}{note}" if record["notes"] else note
        if row["basis"] == "source" and row["url"] not in {s["url"] for s in record["sources"]}:
            record["sources"].append(
                {
                    "publisher": row["publisher"].strip(),
                    "url": row["url"],
                    "published": row["published"] or None,
                    "language": "ar",
                }
            )
    return problems


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(missing)}")
        return [{k: (v or "") for k, v in row.items()} for row in reader]


def convert(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """All rows -> sorted records, or the list of every row problem found."""
    ids = make_ids(rows)
    records, problems = [], []
    for index, (row, event_id) in enumerate(zip(rows, ids, strict=True)):
        try:
            # Row numbers count the header as row 1, as a spreadsheet shows them.
            records.append(convert_row(row, event_id, index + 2))
        except ConversionError as exc:
            problems.append(str(exc))
    if problems:
        return [], problems
    records.sort(key=lambda r: (r["event_date"], r["event_id"]))
    return records, []


def render(records: list[dict]) -> str:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    return "".join(line + "\n" for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--output", "-o", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--titles", type=Path, default=DEFAULT_TITLES)
    args = parser.parse_args(argv)

    try:
        rows = read_rows(args.csv)
        titles, title_problems = read_titles(args.titles)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    records, problems = convert(rows)
    if not problems:
        try:
            link_related(records, RELATED_PAIRS)
        except ValueError as exc:
            problems = str(exc).splitlines()
    # Every problem is listed in one run: title rows are checked even when rows fail.
    problems = problems + title_problems
    if records:
        problems += apply_titles(records, titles)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"nothing written: {len(problems)} problem(s)", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(render(records))
    print(f"wrote {len(records)} records to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
