"""GDELT event rows translated a whole batch at a time, with the row reader's exact results.

:mod:`dashboard.sources.gdelt` documents the crosswalk; this module is the same crosswalk
written as Polars expressions over a batch of string columns
(:func:`dashboard.sources.columns.string_batches`, read without quoting as GDELT writes
its tab-separated files), the way :mod:`dashboard.sources.acled_columns` reads ACLED.
Values GDELT repeats (dates, CAMEO codes, FIPS place codes, source links) are translated
once each by the row reader's own functions. A row without coordinates (the importer may
fill them), with a count of fields other than the first row's, or with any problem is
"odd" and goes through the row reader.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from dashboard.schema import MAX_YEAR, MIN_YEAR

from . import RowError, SourceError
from .columns import (
    DECIMAL,
    ID,
    NotColumnar,
    Plan,
    guards,
    known,
    per_unique,
    read_cells,
    read_head,
    record_columns,
    split,
    string_batches,
    two_actors,
)
from .detect import Detected
from .gdelt import (
    CAMEO_CODES,
    CAMEO_ROOTS,
    COLUMN_NAMES,
    GEO_TYPE_NAMES,
    GEO_TYPES,
    LAYOUTS,
    _day,
    _Reader,
    event_type,
    fips_table,
    published_on,
    sources,
)

_CELLS = {
    "origin": "GLOBALEVENTID",
    "sqldate": "SQLDATE",
    "code": "EventCode",
    "geo_type": "ActionGeo_Type",
    "fips": "ActionGeo_CountryCode",
    "lat": "ActionGeo_Lat",
    "lon": "ActionGeo_Long",
    "place": "ActionGeo_FullName",
    "feature": "ActionGeo_FeatureID",
    "a1": "Actor1Name",
    "a2": "Actor2Name",
    "added": "DATEADDED",
    "url": "SOURCEURL",
    "quad": "QuadClass",
    "goldstein": "GoldsteinScale",
    "articles": "NumArticles",
    "n_sources": "NumSources",
    "tone": "AvgTone",
}
_FACTS = (
    ("quad", "QuadClass "),
    ("goldstein", "Goldstein scale "),
    ("articles", "articles "),
    ("n_sources", "sources "),
    ("tone", "average tone "),
)


def plan(path: Path, detected: Detected, chunk_rows: int) -> Plan:
    """The GDELT row reader laid out on the file's first row (or header), and the
    translation of its batches."""
    gdelt = _Reader(path, detected)
    try:
        header, head = read_head(path, detected, 1, quoting=gdelt.records.quoting)
    except SourceError as exc:
        raise NotColumnar(str(exc)) from exc
    if not head or not isinstance(head[0][1], list):
        raise NotColumnar("the first row needs the row reader")
    try:
        gdelt._layout(head[0][1], header)
    except SourceError as exc:
        raise NotColumnar(str(exc)) from exc
    names = header if detected.has_header else LAYOUTS[gdelt.width]
    batches = string_batches(path, detected, names, chunk_rows, quoted=detected.has_header)
    return Plan(gdelt, dict(COLUMN_NAMES), batches, lambda frame: translate(frame, gdelt))


def _day_or_none(value: str):
    try:
        return _day(value, "SQLDATE")
    except RowError:
        return None


def _label(code: str) -> str | None:
    if not code.isdigit():
        return None
    return CAMEO_CODES.get(code) or CAMEO_ROOTS.get(code[:2], f"CAMEO {code}")


def _country(raw: str) -> str | None:
    iso3, _ = fips_table().get(raw.upper(), ("", ""))
    return iso3 or None


def _flag(raw: str) -> str:
    fips = raw.upper()
    if not fips:
        return ""
    iso3, name = fips_table().get(fips, ("", ""))
    if iso3:
        return ""
    named = f" ({name})" if name else " (not in data/fips_iso3.csv)"
    return f"GDELT place code {fips}{named} names no country"


def _sources_json(values: dict) -> str | None:
    """The stored sources of a link and its day; None when the schema would refuse the day."""
    published = values["published"]
    if published and not MIN_YEAR <= int(published[:4]) <= MAX_YEAR:
        return None
    return json.dumps(sources(values["url"], published), ensure_ascii=False)


def translate(frame: pl.DataFrame, reader) -> tuple[pl.DataFrame, list[int]]:
    """``(records, odd)``: the batch's clean rows as record columns (with ``_pos``, the
    row's position in the batch), and the positions of the rows the row reader must read.

    ``reader`` is the GDELT row reader after its layout is known.
    """
    used = sorted(set(reader.index.values()))
    cells = frame.with_row_index("_pos").select(
        "_pos", *read_cells(reader.index, _CELLS), _odd_text=guards(used)
    )
    cells = cells.with_columns(
        day=per_unique(cells, ["sqldate"], _day_or_none, pl.Date),
        label=per_unique(cells, ["code"], _label, pl.String),
        event_type=per_unique(cells, ["code"], event_type, pl.String),
        country_raw=per_unique(cells, ["fips"], _country, pl.String),
        geo_flag=per_unique(cells, ["fips"], _flag, pl.String),
        published=per_unique(cells, ["added"], published_on, pl.String),
        lat_n=pl.col("lat").cast(pl.Float64, strict=False),
        lon_n=pl.col("lon").cast(pl.Float64, strict=False),
    )
    cells = cells.with_columns(
        country=per_unique(cells, ["country_raw"], known, pl.String),
        sources=per_unique(cells, ["url", "published"], _sources_json, pl.String),
    )
    ok = (
        ~pl.col("_odd_text")
        & (pl.col("origin") != "")
        & ("gdelt:" + pl.col("origin")).str.contains(ID)
        & pl.col("day").dt.year().is_between(MIN_YEAR, MAX_YEAR)
        & pl.col("label").is_not_null()
        & (pl.col("country_raw").is_null() | pl.col("country").is_not_null())
        & pl.col("lat").str.contains(DECIMAL)
        & pl.col("lon").str.contains(DECIMAL)
        & pl.col("lat_n").is_between(-90, 90)
        & pl.col("lon_n").is_between(-180, 180)
        & pl.col("sources").is_not_null()
    )
    cells = cells.with_columns(_ok=ok.fill_null(False))
    return split(_records(cells))


def _records(cells: pl.DataFrame) -> pl.DataFrame:
    """Record columns, named as :func:`dashboard.schema.validate_record` returns them."""
    a1, a2, place = pl.col("a1"), pl.col("a2"), pl.col("place")
    who = pl.concat_str(
        [pl.when(a1 != "").then(a1), pl.when(a2 != "").then(a2)],
        separator=" → ",
        ignore_nulls=True,
    ).fill_null("")
    title = pl.when(who != "").then(pl.col("label") + " (" + who + ")").otherwise(pl.col("label"))
    title = pl.when(place != "").then(title + " – " + place).otherwise(title)
    facts = pl.concat_str(
        [
            "CAMEO " + pl.col("code") + " (" + pl.col("label") + ")",
            *(pl.when(pl.col(c) != "").then(text + pl.col(c)) for c, text in _FACTS),
        ],
        separator=", ",
        ignore_nulls=True,
    )
    geo_type = pl.col("geo_type")
    basis = pl.when(geo_type.is_in(list(GEO_TYPE_NAMES))).then(
        "GDELT ActionGeo_Type "
        + geo_type
        + " ("
        + geo_type.replace_strict(GEO_TYPE_NAMES, default="", return_dtype=pl.String)
        + ")"
        + pl.when(pl.col("feature") != "")
        .then(", feature " + pl.col("feature"))
        .otherwise(pl.lit(""))
    )
    return cells.select(
        "_pos",
        "_ok",
        *record_columns(
            event_id="gdelt:" + pl.col("origin"),
            event_date=pl.col("day"),
            date_precision=pl.lit("day"),
            event_type=pl.col("event_type"),
            sub_type=pl.col("label"),
            title=title,
            summary="Machine-coded by GDELT from news reports: " + facts + ".",
            location=place,
            coord_basis=basis.fill_null(""),
            origin_id=pl.col("origin"),
            origin_type=pl.col("code"),
            geo_flag=pl.col("geo_flag"),
            actors=two_actors(a1, a2),
            country=pl.col("country"),
            latitude=pl.col("lat_n"),
            longitude=pl.col("lon_n"),
            geo_precision=geo_type.replace_strict(GEO_TYPES, default=None, return_dtype=pl.String),
            machine_coded=pl.lit(True),
            sources=pl.col("sources"),
            dataset=pl.lit("gdelt"),
        ),
    )
