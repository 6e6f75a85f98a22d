"""ACLED exports (CSV) -> candidate records, for all three column generations.

Generations told apart by the header (column names are matched case-insensitively):
the current export (``event_id_cnty, event_date, ..., tags, timestamp``), the 2019-2022
export (adds ``data_id, event_id_no_cnty, iso3``) and the pre-2017 upper-case export
(``GWNO ... ALLY_ACTOR_1 ...``, read as ``assoc_actor_1``). Optional population
columns and anything else we do not use are ignored.

Ids: ``acled:<event_id_cnty>``; the ACLED id is kept in ``origin_id`` and
``"<event_type> / <sub_event_type>"`` in ``origin_type``.

Event types:

| ACLED event_type (any generation) | sub_event_type | ours |
|---|---|---|
| Battles; the pre-2017 "Battle-..." types | any | attack |
| Explosions/Remote violence; Remote violence | any | attack |
| Violence against civilians | any | attack |
| Protests; Riots; Riots/Protests | any | other |
| Strategic developments (Strategic development) | Agreement | agreement |
| Strategic developments (Strategic development) | any other | other |
| Non-violent transfer of territory; Headquarters or base established | - | other |
| anything else | - | other (the ACLED type stays in origin_type) |

Dates (``time_precision``). ACLED codes one day for every event and says how sure it
is; we never present a day ACLED did not know:

| time_precision | ACLED meaning | date_precision |
|---|---|---|
| 1 | the source gives the day | day |
| 2 | the source gives a week or "around" a date; ACLED codes a day in it | month (of ACLED's day) |
| 3 | the source gives the month; ACLED codes a day in it | month |

A week can straddle two months: for time_precision 2 near a month's edge the event
may lie in the neighbouring month; the notes say so for every such record. Dates are
read as written in each generation: ``2022-05-23``, ``23/05/2022`` (dd/mm/yyyy, the
pre-2017 files; a file whose dates only fit mm/dd is read that way, decided on its
first rows), ``01-January-2015`` and ``9-May-20`` (two-digit years must agree with
the ``year`` column; a date in another year than ``year`` is refused).

Places (``geo_precision``):

| geo_precision | ACLED meaning | geo_precision (ours) |
|---|---|---|
| 1 | the particular town | exact |
| 2 | near a town, or a small part of a region | city |
| 3 | a larger region: coordinates of its capital or centre | admin1 |

Country: the ``iso3`` column when it holds a code we know, else the ``country`` name
(English names and ACLED spellings via :func:`dashboard.geo.iso3_from_name`). An
event at sea (no country, or a "country" that is a body of water such as "Red Sea")
keeps no country and says so in ``geo_flag``; any other unknown name is refused.

Actors: ``actor1``, ``assoc_actor_1`` (split at ";"), ``actor2``, ``assoc_actor_2``.
Sources: each name in ``source`` (split at ";") as a publisher without a link, plus
ACLED itself {publisher: "ACLED", url: "https://acleddata.com"}.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path

from dashboard import geo

from . import CHUNK_ROWS, Chunk, Row, RowError, SourceError, file_chunks
from .detect import Detected, detect
from .tabular import (
    CellError,
    CsvRecords,
    cell,
    header_index,
    header_row,
    number,
    numeric_order,
    parse_date,
    whole,
)

CITATION = {"publisher": "ACLED", "url": "https://acleddata.com", "published": None, "language": ""}

EVENT_TYPES = {
    "battles": "attack",
    "battle-no change of territory": "attack",
    "battle-government regains territory": "attack",
    "battle-non-state actor overtakes territory": "attack",
    "explosions/remote violence": "attack",
    "remote violence": "attack",
    "violence against civilians": "attack",
    "protests": "other",
    "riots": "other",
    "riots/protests": "other",
    "strategic developments": "other",
    "strategic development": "other",
    "non-violent transfer of territory": "other",
    "headquarters or base established": "other",
}
STRATEGIC = ("strategic developments", "strategic development")

TIME_PRECISION = {"1": "day", "2": "month", "3": "month"}
TIME_NOTES = {
    "2": "ACLED time_precision 2: the source gives a week or an approximate date; ACLED "
    "coded {day}, shown here as its month (the week may reach into the next or previous "
    "month).",
    "3": "ACLED time_precision 3: the source gives only the month; ACLED coded {day}, "
    "shown here as the month.",
}
GEO_PRECISION = {"1": "exact", "2": "city", "3": "admin1"}
GEO_BASIS = {
    "1": "ACLED geo_precision 1: coordinates of the named town",
    "2": "ACLED geo_precision 2: near the named town or in a small part of a region",
    "3": "ACLED geo_precision 3: a larger region; coordinates of its capital or centre",
}
REQUIRED = ("event_id_cnty", "event_date", "event_type", "country")
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
WATER = re.compile(
    r"\b(sea|ocean|gulf|bay|strait|straits|channel|waters|lake|bab[ -]el[ -]mandeb)\b",
    re.IGNORECASE,
)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


class _Reader:
    def __init__(self, path: Path, detected: Detected, chunk_rows: int):
        self.records = CsvRecords(path, detected)
        self.chunk_rows = chunk_rows
        self.countries: dict[str, str | None] = {}
        self.day_first = True

    def _country(self, name: str) -> str | None:
        if name not in self.countries:
            self.countries[name] = geo.iso3_from_name(name)
        return self.countries[name]

    def prepare(self, header: list[str]) -> None:
        """Learn where each column is; refuse a file that is not an ACLED export."""
        self.header = header
        self.index = {ALIASES.get(k, k): v for k, v in header_index(header).items()}
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            raise SourceError(
                f"this is not an ACLED export: no column {', '.join(missing)} in the header"
            )
        self.names = {key: header[i] for key, i in self.index.items()}

    def decide_order(self, dates: list[str]) -> None:
        """dd/mm or mm/dd, from the event dates of the file's first rows."""
        self.day_first = numeric_order(dates) is not False

    def rows(self) -> Iterator[Row]:
        records = iter(self.records)
        head = list(islice(records, self.chunk_rows))
        self.prepare(self.records.header)
        at = self.index["event_date"]
        self.decide_order([f[at] for _, f in head if isinstance(f, list) and len(f) > at])
        for number_, fields in chain(head, records):
            yield self.row(number_, fields)

    def row(self, number_: int, fields) -> Row:
        """One record of the file as the importer takes it: a raw record or its problem."""
        return header_row(number_, fields, self.header, self.record, self.names)

    def get(self, fields: list[str], column: str) -> str:
        i = self.index.get(column)
        return cell(fields[i]) if i is not None and i < len(fields) else ""

    def record(self, fields: list[str]) -> dict:
        def get(column: str) -> str:
            return self.get(fields, column)

        def parsed(column: str, parse):
            try:
                return parse(get(column))
            except CellError as exc:
                raise RowError(column, str(exc)) from None

        origin = get("event_id_cnty")
        if not origin:
            raise RowError("event_id_cnty", "missing")
        year = parsed("year", whole) if "year" in self.index else None
        try:
            day = parse_date(get("event_date"), day_first=self.day_first, year_hint=year)
        except CellError as exc:
            raise RowError("event_date", str(exc)) from None
        if year is not None and day.year != year:
            raise RowError(
                "event_date", f"{get('event_date')!r} is in {day.year} but year is {year}"
            )
        notes = []
        code = get("time_precision") or "1"
        if code.endswith(".0"):
            code = code[:-2]
        if code not in TIME_PRECISION:
            raise RowError("time_precision", f"{code!r} is not 1, 2 or 3")
        if code in TIME_NOTES:
            notes.append(TIME_NOTES[code].format(day=day.isoformat()))

        kind = get("event_type")
        if not kind:
            raise RowError("event_type", "missing")
        sub = get("sub_event_type")
        key = kind.lower()
        event_type = EVENT_TYPES.get(key, "other")
        if key in STRATEGIC and sub.lower() == "agreement":
            event_type = "agreement"

        geo_flag = ""
        name = get("country")
        location, admin1 = get("location"), get("admin1")
        code3 = get("iso3").upper()
        country = code3 if code3 and geo.is_country_code(code3) else None
        if country is None and name:
            country = self._country(name)
        if country is None:
            if WATER.search(name) or (not name and WATER.search(f"{location} {admin1}")):
                place = name or location or admin1
                geo_flag = f"at sea ({place}): no country"
            elif name:
                raise RowError("country", f"{name[:60]!r} is not a country we know")
            else:
                raise RowError("country", "missing (and the place is not a body of water)")

        lat = parsed("latitude", number)
        lon = parsed("longitude", number)
        gp = get("geo_precision")
        if gp.endswith(".0"):
            gp = gp[:-2]
        if gp and gp not in GEO_PRECISION:
            raise RowError("geo_precision", f"{gp!r} is not 1, 2 or 3")
        fatalities = parsed("fatalities", whole)

        actors = []
        for column in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"):
            actors.extend(_split(get(column)))
        actors = list(dict.fromkeys(actors))

        sources = [
            {"publisher": p, "url": "", "published": None, "language": ""}
            for p in _split(get("source"))
        ]
        sources.append(dict(CITATION))

        place = location or admin1 or name
        what = sub or kind
        return {
            "event_id": f"acled:{origin}",
            "event_date": day,
            "end_date": None,
            "date_precision": TIME_PRECISION[code],
            "event_type": event_type,
            "sub_type": sub or kind,
            "title": f"{what} in {place}" if place else what,
            "summary": get("notes"),
            "actors": actors,
            "country": country,
            "admin1": admin1,
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": GEO_PRECISION.get(gp),
            "fatalities": fatalities,
            "sources": sources,
            "verification": "unverified",
            "notes": " ".join(notes),
            "coord_basis": GEO_BASIS.get(gp, ""),
            "dataset": "acled",
            "origin_id": origin,
            "origin_type": f"{kind} / {sub}" if sub else kind,
            "machine_coded": False,
            "geo_flag": geo_flag,
        }


#: Canonical column -> the ACLED column a problem found later should name.
COLUMN_NAMES = {
    "event_id": "event_id_cnty",
    "event_date": "event_date",
    "date_precision": "time_precision",
    "event_type": "event_type",
    "title": "event_type",
    "summary": "notes",
    "actors": "actor1",
    "country": "country",
    "admin1": "admin1",
    "location": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": "geo_precision",
    "fatalities": "fatalities",
    "sources": "source",
}


def read(
    path: Path, detected: Detected | None = None, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    detected = detected or detect(path, "acled")
    yield from file_chunks(_Reader(Path(path), detected, chunk_rows), chunk_rows, COLUMN_NAMES)
