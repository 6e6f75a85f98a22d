"""GDELT event files -> candidate records (machine-coded, dataset "gdelt").

Layouts, told apart by the number of tab-separated fields on the first line (no
header row, as GDELT publishes them, plain or inside the .zip they come in):

| fields | layout |
|---|---|
| 61 | GDELT 2.0 event export: GLOBALEVENTID .. DATEADDED (YYYYMMDDHHMMSS), SOURCEURL |
| 58 | GDELT 1.0 daily file: 2.0 without the three ``*Geo_ADM2Code`` fields, DATEADDED as YYYYMMDD |
| 57 | GDELT 1.0 historical backfile: 58 without SOURCEURL |

A file with a header row naming ``GLOBALEVENTID`` (a BigQuery export, for example) is
read by column name instead. A row with a different number of fields than the file's
first row is refused with both counts.

Ids: ``gdelt:<GLOBALEVENTID>``; GLOBALEVENTID in ``origin_id``, the full CAMEO
``EventCode`` (as text: codes have leading zeros) in ``origin_type``. Every record is
``machine_coded`` and ``unverified``: software coded it from news text, nobody
checked it.

CAMEO event codes -> event_type:

| CAMEO | meaning | event_type |
|---|---|---|
| 01x | make public statement | statement |
| 04x | consult (telephone, visits, meetings, mediation, negotiation) | meeting |
| 057 | sign formal agreement | agreement |
| other 05x | engage in diplomatic cooperation | meeting |
| 18x | assault | attack |
| 19x | fight | attack |
| 20x | use unconventional mass violence | attack |
| anything else (02, 03, 06-17) | appeals, aid, demands, threats, protests ... | other |

Places, from the ``ActionGeo_*`` fields (where the action happened):

| ActionGeo_Type | GDELT meaning | geo_precision |
|---|---|---|
| 1 | country | country |
| 2 | US state | admin1 |
| 3 | US city | city |
| 4 | world city | city |
| 5 | world state (first-order division) | admin1 |
| 0 or empty | no place | none |

``ActionGeo_CountryCode`` is a FIPS 10-4 code (SY Syria, IZ Iraq, MO Morocco, IS
Israel, TU Turkey ...), translated with data/fips_iso3.csv. A code naming no country
(OS oceans, a dissolved or disputed entity) or one not in the table keeps no country
and says so in ``geo_flag``; the row is not refused, since the code is GDELT's, not
the user's.

Titles are built from the fields, e.g. "Fight (ISRAEL → SYRIA) – Damascus, Dimashq,
Syria"; the summary lists CAMEO code, Goldstein scale, article counts and tone.
Sources: SOURCEURL (published = DATEADDED) and GDELT itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

from dashboard.schema import Problem

from . import CHUNK_ROWS, Chunk, Row, RowError, SourceError, file_chunks, read_row
from .detect import Detected, detect
from .tabular import CellError, CsvRecords, cell, header_index, host_of, number

FIPS_CSV = Path(__file__).resolve().parents[2] / "data" / "fips_iso3.csv"
CITATION = {
    "publisher": "GDELT Project",
    "url": "https://www.gdeltproject.org",
    "published": None,
    "language": "",
}

_ACTOR = [
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
]
_EVENT = [
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
]


def _geo(prefix: str, adm2: bool) -> list[str]:
    fields = ["Type", "FullName", "CountryCode", "ADM1Code"]
    fields += ["ADM2Code"] if adm2 else []
    fields += ["Lat", "Long", "FeatureID"]
    return [f"{prefix}Geo_{f}" for f in fields]


def _columns(adm2: bool, url: bool) -> list[str]:
    names = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    names += [f"Actor1{f}" for f in _ACTOR] + [f"Actor2{f}" for f in _ACTOR] + _EVENT
    for prefix in ("Actor1", "Actor2", "Action"):
        names += _geo(prefix, adm2)
    names += ["DATEADDED"] + (["SOURCEURL"] if url else [])
    return names


#: Field names by row width, in GDELT's order (codebook V2.0 names; 1.0 as published).
LAYOUTS = {61: _columns(True, True), 58: _columns(False, True), 57: _columns(False, False)}

CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
#: The diplomatic sub-codes this dashboard is about, named in titles.
CAMEO_CODES = {
    "040": "Consult",
    "041": "Discuss by telephone",
    "042": "Make a visit",
    "043": "Host a visit",
    "044": "Meet at a third location",
    "045": "Mediate",
    "046": "Engage in negotiation",
    "050": "Engage in diplomatic cooperation",
    "051": "Praise or endorse",
    "052": "Defend verbally",
    "053": "Rally support on behalf of",
    "054": "Grant diplomatic recognition",
    "055": "Apologize",
    "056": "Forgive",
    "057": "Sign formal agreement",
}
GEO_TYPES = {"1": "country", "2": "admin1", "3": "city", "4": "city", "5": "admin1"}
GEO_TYPE_NAMES = {
    "1": "country",
    "2": "US state",
    "3": "US city",
    "4": "world city",
    "5": "world state",
}


def event_type(code: str) -> str:
    """Our event type for a CAMEO event code (see the table above)."""
    root = code[:2]
    if root == "01":
        return "statement"
    if root == "04":
        return "meeting"
    if root == "05":
        return "agreement" if code.startswith("057") else "meeting"
    if root in ("18", "19", "20"):
        return "attack"
    return "other"


@lru_cache(maxsize=1)
def fips_table() -> dict[str, tuple[str, str]]:
    """FIPS 10-4 code -> (ISO3 or "", name), from data/fips_iso3.csv."""
    with open(FIPS_CSV, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {r["fips"]: (r["iso3"], r["name"]) for r in csv.DictReader(lines)}


def iso3_from_fips(code: str) -> str | None:
    iso3, _ = fips_table().get(code.strip().upper(), ("", ""))
    return iso3 or None


def _day(value: str, column: str) -> date:
    digits = value.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        raise RowError(column, f"{value[:20]!r} is not a date in YYYYMMDD form")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise RowError(column, f"{value[:20]!r} is not a date") from None


def published_on(added: str) -> str | None:
    """The day of a DATEADDED cell, None when it holds none."""
    try:
        return _day(added, "DATEADDED").isoformat() if added else None
    except RowError:
        return None


def sources(url: str, published: str | None) -> list[dict]:
    """The record's sources: the SOURCEURL cell (a link, or a name without one), then GDELT."""
    found = []
    if url.lower().startswith(("http://", "https://")):
        found.append(
            {"publisher": host_of(url) or url, "url": url, "published": published, "language": ""}
        )
    elif url:
        found.append({"publisher": url, "url": "", "published": published, "language": ""})
    found.append(dict(CITATION))
    return found


class _Reader:
    def __init__(self, path: Path, detected: Detected):
        self.detected = detected
        # GDELT never quotes: a '"' inside a name or a URL is an ordinary character.
        quoting = csv.QUOTE_MINIMAL if detected.has_header else csv.QUOTE_NONE
        self.records = CsvRecords(path, detected, quoting=quoting)
        self.width = None
        self.index: dict[str, int] = {}

    def _layout(self, fields: list[str], header: list[str]) -> None:
        """Where each field is: by name in a file with a header, else by the first row's
        width; refuse a file that is no GDELT event file."""
        if self.detected.has_header:
            by_name = header_index(header)
            aliases = {"sqldate": ("sqldate", "day")}
            self.index = {}
            for name in LAYOUTS[61]:
                key = name.lower()
                for alias in aliases.get(key, (key,)):
                    if alias in by_name:
                        self.index[name] = by_name[alias]
                        break
            missing = [n for n in ("GLOBALEVENTID", "SQLDATE", "EventCode") if n not in self.index]
            if missing:
                raise SourceError(f"no GDELT column {', '.join(missing)} in the header")
            self.width = None
            return
        if len(fields) not in LAYOUTS:
            raise SourceError(
                f"the first row has {len(fields)} tab-separated fields; GDELT event rows have "
                "61 (2.0), 58 (1.0) or 57 (1.0 historical)"
            )
        self.width = len(fields)
        self.index = {name: i for i, name in enumerate(LAYOUTS[self.width])}

    def rows(self) -> Iterator[Row]:
        for number_, fields in self.records:
            if not self.index and not isinstance(fields, Problem):
                self._layout(fields, self.records.header)
            yield self.row(number_, fields)

    def row(self, number_: int, fields) -> Row:
        """One record of the file as the importer takes it: a raw record or its problem."""
        if isinstance(fields, Problem):
            return Row(number_, None, fields)
        if self.width is not None and len(fields) != self.width:
            message = f"has {len(fields)} fields; this file's rows have {self.width}"
            return Row(number_, None, Problem(number_, "(row)", message))
        return read_row(number_, self.record, fields)

    def record(self, fields: list[str]) -> dict:
        index = self.index

        def get(name: str) -> str:
            i = index.get(name)
            return cell(fields[i]) if i is not None and i < len(fields) else ""

        def num(name: str) -> float | None:
            try:
                return number(get(name))
            except CellError as exc:
                raise RowError(name, str(exc)) from None

        origin = get("GLOBALEVENTID")
        if not origin:
            raise RowError("GLOBALEVENTID", "missing")
        day = _day(get("SQLDATE"), "SQLDATE")
        code = get("EventCode")
        if not code.isdigit():
            raise RowError("EventCode", f"{code[:20]!r} is not a CAMEO code")
        label = CAMEO_CODES.get(code) or CAMEO_ROOTS.get(code[:2], f"CAMEO {code}")

        geo_type = get("ActionGeo_Type")
        geo_flag = ""
        fips = get("ActionGeo_CountryCode").upper()
        country = None
        if fips:
            iso3, name = fips_table().get(fips, ("", ""))
            country = iso3 or None
            if country is None:
                named = f" ({name})" if name else " (not in data/fips_iso3.csv)"
                geo_flag = f"GDELT place code {fips}{named} names no country"
        lat, lon = num("ActionGeo_Lat"), num("ActionGeo_Long")
        place = get("ActionGeo_FullName")

        a1, a2 = get("Actor1Name"), get("Actor2Name")
        who = " → ".join(a for a in (a1, a2) if a)
        title = f"{label} ({who})" if who else label
        if place:
            title += f" – {place}"

        found = sources(get("SOURCEURL"), published_on(get("DATEADDED")))

        facts = [f"CAMEO {code} ({label})"]
        for name, text in (
            ("QuadClass", "QuadClass {}"),
            ("GoldsteinScale", "Goldstein scale {}"),
            ("NumArticles", "articles {}"),
            ("NumSources", "sources {}"),
            ("AvgTone", "average tone {}"),
        ):
            if get(name):
                facts.append(text.format(get(name)))
        basis = ""
        if geo_type in GEO_TYPE_NAMES:
            basis = f"GDELT ActionGeo_Type {geo_type} ({GEO_TYPE_NAMES[geo_type]})"
            if get("ActionGeo_FeatureID"):
                basis += f", feature {get('ActionGeo_FeatureID')}"

        return {
            "event_id": f"gdelt:{origin}",
            "event_date": day,
            "end_date": None,
            "date_precision": "day",
            "event_type": event_type(code),
            "sub_type": label,
            "title": title,
            "summary": "Machine-coded by GDELT from news reports: " + ", ".join(facts) + ".",
            "actors": [a for a in dict.fromkeys((a1, a2)) if a],
            "country": country,
            "admin1": "",
            "location": place,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": GEO_TYPES.get(geo_type) if lat is not None else None,
            "fatalities": None,
            "sources": found,
            "verification": "unverified",
            "notes": "",
            "coord_basis": basis,
            "dataset": "gdelt",
            "origin_id": origin,
            "origin_type": code,
            "machine_coded": True,
            "geo_flag": geo_flag,
        }


COLUMN_NAMES = {
    "event_id": "GLOBALEVENTID",
    "event_date": "SQLDATE",
    "event_type": "EventCode",
    "title": "EventCode",
    "actors": "Actor1Name",
    "country": "ActionGeo_CountryCode",
    "location": "ActionGeo_FullName",
    "latitude": "ActionGeo_Lat",
    "longitude": "ActionGeo_Long",
    "geo_precision": "ActionGeo_Type",
    "sources": "SOURCEURL",
}


def read(
    path: Path, detected: Detected | None = None, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    detected = detected or detect(path, "gdelt")
    yield from file_chunks(_Reader(Path(path), detected), chunk_rows, COLUMN_NAMES)
