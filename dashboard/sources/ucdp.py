"""UCDP Georeferenced Event Dataset (GED) CSV -> candidate records.

Two layouts, told apart by the header: the GED download (49 columns, ``id, relid,
year, ...``) and the Humanitarian Data Exchange per-country file (45 columns, no
``relid``/``code_status``/``where_description``, extra ``start_year, end_year,
iso3``, deaths in the order ``low, best, high``, and an HXL tag row as row 2, which is
skipped and still counted as a row). Columns are read by name, so the order does not
matter.

Ids: ``ucdp:<id>``; ``id`` is kept in ``origin_id``, ``relid`` (when present) in the
notes, and ``type_of_violence`` as "<code> <name>" in ``origin_type``.

| type_of_violence | UCDP meaning | event_type | sub_type |
|---|---|---|---|
| 1 | state-based armed conflict | attack | state-based conflict |
| 2 | non-state conflict | attack | non-state conflict |
| 3 | one-sided violence | attack | one-sided violence |

Dates: ``date_start`` and ``date_end`` are the earliest and latest possible dates;
``date_prec`` says how sure UCDP is.

| date_prec | UCDP meaning | event_date .. end_date | date_precision |
|---|---|---|---|
| 1 | exact date (a multi-day event when start < end) | date_start .. date_end | day |
| 2 | one day within a 2-6 day window | date_start .. date_end (the window) | day |
| 3 | within a week | date_start .. date_end (the window) | day |
| 4 | within a month | date_start (.. date_end if later) | month |
| 5 | within a year or longer | date_start (.. date_end if later) | year |

For 2 and 3 the window is the event's span, so filters and the timeline cover every
day it may have happened on; the notes say it is a window, not a multi-day event.

Places (``where_prec``); we never claim a finer place than UCDP does:

| where_prec | UCDP meaning | geo_precision |
|---|---|---|
| 1 | exact location | exact |
| 2 | within about 25 km of a known point | city |
| 3 | second-order administrative division (ADM2) | admin1 |
| 4 | first-order administrative division (ADM1) | admin1 |
| 5 | a part of the country, a road or a border stretch | country |
| 6 | the country only (coordinates are its centre) | country |
| 7 | international waters or airspace | none, with a geo_flag |

Deaths: ``best`` -> fatalities, ``low`` -> fatalities_low, ``high`` ->
fatalities_high, all three in fatalities_text with the per-party counts.
Country: ``iso3`` (HDX) when known, else the ``country`` name, e.g. "Yemen (North
Yemen)". Actors: ``side_a``, ``side_b``. Sources: each of ``source_office`` (split at
";") with the matching ``source_date``, plus UCDP itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest
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
    parse_date,
    whole,
)

CITATION = {
    "publisher": "UCDP Georeferenced Event Dataset (GED)",
    "url": "https://ucdp.uu.se/downloads/",
    "published": None,
    "language": "",
}
VIOLENCE = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
DATE_PREC = {"1": "day", "2": "day", "3": "day", "4": "month", "5": "year"}
DATE_NOTES = {
    "2": "UCDP date_prec 2: one day between {start} and {end} (not a multi-day event).",
    "3": "UCDP date_prec 3: one day in the week {start} to {end} (not a multi-day event).",
    "4": "UCDP date_prec 4: known to the month ({start} to {end}).",
    "5": "UCDP date_prec 5: known to the year or less precisely ({start} to {end}).",
}
WHERE_PREC = {
    "1": "exact",
    "2": "city",
    "3": "admin1",
    "4": "admin1",
    "5": "country",
    "6": "country",
    "7": None,
}
WHERE_BASIS = {
    "1": "UCDP where_prec 1: exact location",
    "2": "UCDP where_prec 2: within about 25 km of the named place",
    "3": "UCDP where_prec 3: second-order administrative division",
    "4": "UCDP where_prec 4: first-order administrative division",
    "5": "UCDP where_prec 5: part of the country (a region, road or border stretch)",
    "6": "UCDP where_prec 6: country only; coordinates are its centre",
    "7": "UCDP where_prec 7: international waters or airspace",
}
REQUIRED = ("id", "type_of_violence", "date_start", "date_end", "country", "best")
COLUMN_NAMES = {
    "event_id": "id",
    "event_date": "date_start",
    "end_date": "date_end",
    "date_precision": "date_prec",
    "event_type": "type_of_violence",
    "title": "dyad_name",
    "actors": "side_a",
    "country": "country",
    "admin1": "adm_1",
    "location": "where_coordinates",
    "latitude": "latitude",
    "longitude": "longitude",
    "geo_precision": "where_prec",
    "fatalities": "best",
    "fatalities_low": "low",
    "fatalities_high": "high",
    "sources": "source_office",
}


def _code(value: str) -> str:
    return value[:-2] if value.endswith(".0") else value


def is_hxl(fields) -> bool:
    """Whether the file's first record is HDX's row of HXL tags."""
    if not isinstance(fields, list):
        return False
    values = [f.strip() for f in fields if f.strip()]
    return bool(values) and all(v.startswith("#") for v in values)


def sources(office: str, dates: str, original: str) -> list[dict]:
    """The record's sources from the ``source_office``, ``source_date`` and
    ``source_original`` cells, UCDP's citation last."""
    found = []
    offices = [s.strip() for s in office.split(";")]
    published_dates = [s.strip() for s in dates.split(";")]
    for name, when in zip_longest(offices, published_dates, fillvalue=""):
        if not name:
            continue
        try:
            published = parse_date(when).isoformat() if when else None
        except CellError:
            published = None
        found.append({"publisher": name, "url": "", "published": published, "language": ""})
    if not found and original:
        found.append({"publisher": original, "url": "", "published": None, "language": ""})
    found.append(dict(CITATION))
    return found


class _Reader:
    def __init__(self, path: Path, detected: Detected):
        self.records = CsvRecords(path, detected)
        self.countries: dict[str, str | None] = {}
        self.names: dict[str, str] = {}

    def _country(self, name: str) -> str | None:
        if name not in self.countries:
            self.countries[name] = geo.iso3_from_name(name)
        return self.countries[name]

    def prepare(self, header: list[str]) -> None:
        """Learn where each column is; refuse a file that is not a UCDP GED file."""
        self.header = header
        self.index = header_index(header)
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            raise SourceError(
                f"this is not a UCDP GED file: no column {', '.join(missing)} in the header"
            )
        self.names = {key: header[i] for key, i in self.index.items()}

    def rows(self) -> Iterator[Row]:
        first = True
        for number_, fields in self.records:
            if first:
                self.prepare(self.records.header)
                first = False
                if is_hxl(fields):
                    continue  # HDX's tag row: a row of the file, not an event
            yield self.row(number_, fields)

    def row(self, number_: int, fields) -> Row:
        """One record of the file as the importer takes it: a raw record or its problem."""
        return header_row(number_, fields, self.header, self.record, self.names)

    def record(self, fields: list[str]) -> dict:
        index = self.index

        def get(column: str) -> str:
            i = index.get(column)
            return cell(fields[i]) if i is not None and i < len(fields) else ""

        def parsed(column: str, parse):
            try:
                return parse(get(column))
            except CellError as exc:
                raise RowError(column, str(exc)) from None

        origin = _code(get("id"))
        if not origin:
            raise RowError("id", "missing")
        violence = _code(get("type_of_violence"))
        if violence not in VIOLENCE:
            raise RowError("type_of_violence", f"{violence!r} is not 1, 2 or 3")
        start = parsed("date_start", lambda v: parse_date(v, day_first=True))
        end = parsed("date_end", lambda v: parse_date(v, day_first=True))
        if end < start:
            raise RowError("date_end", f"{end} is before date_start {start}")
        prec = _code(get("date_prec")) or "1"
        if prec not in DATE_PREC:
            raise RowError("date_prec", f"{prec!r} is not one of 1-5")
        notes = []
        if prec in DATE_NOTES:
            notes.append(DATE_NOTES[prec].format(start=start, end=end))
        relid = get("relid")
        if relid:
            notes.append(f"UCDP relid {relid}.")

        where = _code(get("where_prec"))
        if where and where not in WHERE_PREC:
            raise RowError("where_prec", f"{where!r} is not one of 1-7")
        geo_flag = ""
        if where == "7":
            geo_flag = "UCDP where_prec 7: international waters or airspace"
        name = get("country")
        code3 = get("iso3").upper()
        country = code3 if code3 and geo.is_country_code(code3) else None
        if country is None and name:
            country = self._country(name)
        if country is None:
            if name:
                raise RowError("country", f"{name[:60]!r} is not a country we know")
            raise RowError("country", "missing")

        best, low, high = (parsed(c, whole) for c in ("best", "low", "high"))
        parties = [
            (label, parsed(column, whole))
            for label, column in (
                ("side A", "deaths_a"),
                ("side B", "deaths_b"),
                ("civilians", "deaths_civilians"),
                ("unknown", "deaths_unknown"),
            )
            if column in index
        ]
        counts = ", ".join(f"{label} {n}" for label, n in parties if n is not None)
        estimates = ", ".join(
            f"{label} {n}"
            for label, n in (("best", best), ("low", low), ("high", high))
            if n is not None
        )
        fatalities_text = f"UCDP deaths: {estimates}" + (f" ({counts})" if counts else "")

        side_a, side_b = get("side_a"), get("side_b")
        dyad = get("dyad_name") or " - ".join(s for s in (side_a, side_b) if s)
        place = get("where_coordinates") or get("adm_1") or name
        conflict = get("conflict_name")
        summary = [f"UCDP {VIOLENCE[violence]}"]
        if conflict:
            summary[0] += f" in the conflict {conflict!r}"
        summary[0] += "."
        if get("where_description"):
            summary.append(f"Place: {get('where_description')}.")
        if estimates:
            summary.append(fatalities_text + ".")

        found = sources(get("source_office"), get("source_date"), get("source_original"))

        return {
            "event_id": f"ucdp:{origin}",
            "event_date": start,
            "end_date": end if end > start else None,
            "date_precision": DATE_PREC[prec],
            "event_type": "attack",
            "sub_type": VIOLENCE[violence],
            "title": f"{dyad} ({place})" if place else dyad or f"UCDP event {origin}",
            "summary": " ".join(summary),
            "actors": [s for s in dict.fromkeys((side_a, side_b)) if s],
            "country": country,
            "admin1": get("adm_1"),
            "location": get("where_coordinates"),
            "latitude": parsed("latitude", number),
            "longitude": parsed("longitude", number),
            "geo_precision": WHERE_PREC.get(where),
            "fatalities": best,
            "fatalities_low": low,
            "fatalities_high": high,
            "fatalities_text": fatalities_text if estimates else "",
            "sources": found,
            "verification": "unverified",
            "notes": " ".join(notes),
            "coord_basis": WHERE_BASIS.get(where, ""),
            "dataset": "ucdp",
            "origin_id": origin,
            "origin_type": f"{violence} {VIOLENCE[violence]}",
            "machine_coded": False,
            "geo_flag": geo_flag,
        }


def read(
    path: Path, detected: Detected | None = None, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    detected = detected or detect(path, "ucdp")
    yield from file_chunks(_Reader(Path(path), detected), chunk_rows, COLUMN_NAMES)
