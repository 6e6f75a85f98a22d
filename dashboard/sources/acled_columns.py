"""ACLED rows translated a whole batch at a time, with the row reader's exact results.

:mod:`dashboard.sources.acled` documents the crosswalk; this module is the same crosswalk
written as Polars expressions over a batch of string columns
(:func:`dashboard.sources.columns.string_batches`). It only takes the rows whose every
value is in a form it reads exactly as the row reader would: ISO, ``9-May-20``, ``9 May
2022`` and numeric dates, plain decimal coordinates and counts, a country it knows, texts
well inside the schema's limits, coordinates present. Any other row is returned as
"odd" and the importer reads it with the row reader, which says what is wrong with it
or how it was read (a body of water, a place filled from the gazetteer). Validation is
part of the translation: a row taken here passes :func:`dashboard.schema.validate_record`
unchanged, as a test checks on every kind of row.
"""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import polars as pl

from dashboard.schema import MAX_COUNT, MAX_LIST, MAX_YEAR, MIN_YEAR

from . import SourceError
from .acled import (
    CITATION,
    COLUMN_NAMES,
    EVENT_TYPES,
    GEO_BASIS,
    GEO_PRECISION,
    STRATEGIC,
    TIME_NOTES,
    TIME_PRECISION,
    _Reader,
    _split,
)
from .columns import (
    COUNT,
    DECIMAL,
    ID,
    NotColumnar,
    Plan,
    cell,
    guards,
    known,
    per_unique,
    read_head,
    string_batches,
)
from .detect import Detected

_MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
}


def _sources_json(value: str) -> str | None:
    """The stored sources of one ``source`` cell (ACLED repeats a few thousand of them);
    None for more than the schema takes (the row reader says so)."""
    sources = [
        {"publisher": p, "url": "", "published": None, "language": ""} for p in _split(value)
    ]
    if len(sources) >= MAX_LIST:
        return None
    sources.append(dict(CITATION))
    return json.dumps(sources, ensure_ascii=False)


def _actors(values: dict) -> list[str] | None:
    actors = []
    for column in ("a1", "aa1", "a2", "aa2"):
        actors.extend(_split(values[column]))
    actors = list(dict.fromkeys(actors))
    return actors if len(actors) <= MAX_LIST else None


def plan(path: Path, detected: Detected, chunk_rows: int) -> Plan:
    """The ACLED row reader prepared on the file's header and first rows (the order of
    numeric dates), and the translation of its batches."""
    acled = _Reader(path, detected, chunk_rows)
    try:
        header, head = read_head(path, detected, chunk_rows)
        acled.prepare(header)
    except SourceError as exc:
        raise NotColumnar(str(exc)) from exc
    at = acled.index["event_date"]
    acled.decide_order([f[at] for _, f in head if isinstance(f, list) and len(f) > at])
    columns = {key: acled.names.get(name, name) for key, name in COLUMN_NAMES.items()}
    return Plan(
        acled,
        columns,
        string_batches(path, detected, header, chunk_rows),
        lambda frame: translate(frame, acled),
    )


def translate(frame: pl.DataFrame, reader) -> tuple[pl.DataFrame, list[int]]:
    """``(records, odd)``: the batch's clean rows as record columns (with ``_pos``, the
    row's position in the batch), and the positions of the rows the row reader must read.

    ``reader`` is the ACLED row reader after :meth:`prepare` and :meth:`decide_order`.
    """

    def get(name: str) -> pl.Expr:
        i = reader.index.get(name)
        return cell(pl.col(f"c{i}")) if i is not None else pl.lit("")

    used = sorted(set(reader.index.values()))
    odd_text = guards(used, reader.header)
    cells = frame.with_row_index("_pos").select(
        "_pos",
        origin=get("event_id_cnty"),
        when=get("event_date"),
        year=get("year"),
        tp_raw=get("time_precision"),
        kind=get("event_type"),
        sub=get("sub_event_type"),
        country_name=get("country"),
        iso3=get("iso3").str.to_uppercase(),
        location=get("location"),
        admin1=get("admin1"),
        lat=get("latitude"),
        lon=get("longitude"),
        gp=get("geo_precision").str.replace(r"\.0$", ""),
        fat=get("fatalities"),
        notes_text=get("notes"),
        a1=get("actor1"),
        aa1=get("assoc_actor_1"),
        a2=get("actor2"),
        aa2=get("assoc_actor_2"),
        source=get("source"),
        _odd_text=odd_text,
    )
    iso3_known = per_unique(cells, ["iso3"], known, pl.String)
    by_name = per_unique(cells, ["country_name"], lambda n: known(reader._country(n)), pl.String)
    cells = cells.with_columns(
        country=pl.coalesce(iso3_known, by_name),
        tp=pl.col("tp_raw").str.replace(r"\.0$", ""),
        actors=per_unique(cells, ["a1", "aa1", "a2", "aa2"], _actors, pl.List(pl.String)),
        sources=per_unique(cells, ["source"], _sources_json, pl.String),
    )
    cells = cells.with_columns(_dates(reader.day_first))
    cells = cells.with_columns(
        year_n=pl.when(pl.col("year") == "")
        .then(None)
        .otherwise(pl.col("year").str.extract(r"^([0-9]{1,9})$"))
        .cast(pl.Int64, strict=False),
    )
    cells = cells.with_columns(
        day=_day(),
        lat_n=pl.col("lat").cast(pl.Float64, strict=False),
        lon_n=pl.col("lon").cast(pl.Float64, strict=False),
        fat_n=pl.col("fat").cast(pl.Int64, strict=False),
    )
    ok = (
        ~pl.col("_odd_text")
        & (pl.col("origin") != "")
        & ("acled:" + pl.col("origin")).str.contains(ID)
        & ((pl.col("year") == "") | pl.col("year_n").is_not_null())
        & pl.col("day").is_not_null()
        & pl.col("day").dt.year().is_between(MIN_YEAR, MAX_YEAR)
        & (pl.col("year_n").is_null() | (pl.col("day").dt.year() == pl.col("year_n")))
        & pl.col("tp_raw").is_in(["", *TIME_PRECISION, *(f"{c}.0" for c in TIME_PRECISION)])
        & pl.col("actors").is_not_null()
        & pl.col("sources").is_not_null()
        & (pl.col("kind") != "")
        & pl.col("country").is_not_null()
        & pl.col("lat").str.contains(DECIMAL)
        & pl.col("lon").str.contains(DECIMAL)
        & pl.col("lat_n").is_between(-90, 90)
        & pl.col("lon_n").is_between(-180, 180)
        & pl.col("gp").is_in(["", *GEO_PRECISION])
        & ((pl.col("fat") == "") | (pl.col("fat").str.contains(COUNT)))
        & (pl.col("fat_n").is_null() | (pl.col("fat_n") <= MAX_COUNT))
    )
    cells = cells.with_columns(_ok=ok.fill_null(False))
    odd = cells.filter(~pl.col("_ok"))["_pos"].to_list()
    clean = cells.filter(pl.col("_ok"))
    if clean.is_empty():
        return clean.select("_pos"), odd
    return _records(clean), odd


def _dates(day_first: bool) -> list[pl.Expr]:
    """Year, month and day columns of the forms read here (others stay null: odd rows)."""
    when = pl.col("when")
    iso = when.str.extract_groups(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
    named = when.str.extract_groups(r"^(\d{1,2})[ \-]([A-Za-z]+)[ \-](\d{2}|\d{4})$")
    numeric = when.str.extract_groups(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    first, second = numeric.struct.field("1"), numeric.struct.field("2")
    day_n, month_n = (first, second) if day_first else (second, first)
    month_named = (
        named.struct.field("2")
        .str.to_lowercase()
        .replace_strict(_MONTHS, default=None, return_dtype=pl.Int64)
    )
    return [
        pl.coalesce(
            iso.struct.field("1"), named.struct.field("3"), numeric.struct.field("3")
        ).alias("y_text"),
        pl.coalesce(
            iso.struct.field("2").cast(pl.Int64), month_named, month_n.cast(pl.Int64)
        ).alias("m"),
        pl.coalesce(iso.struct.field("3"), named.struct.field("1"), day_n)
        .cast(pl.Int64)
        .alias("d"),
    ]


def _day() -> pl.Expr:
    """The date, or null when it is not one. A two-digit year must be the ``year``
    column's (the row reader's rule); without a ``year`` the row reader decides."""
    y_text = pl.col("y_text")
    two = y_text.str.len_chars() == 2
    year = (
        pl.when(~two)
        .then(y_text.cast(pl.Int64, strict=False))
        .when(pl.col("year_n") % 100 == y_text.cast(pl.Int64, strict=False))
        .then(pl.col("year_n"))
        .otherwise(None)
    )
    text = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        pl.col("m").cast(pl.String).str.zfill(2),
        pl.col("d").cast(pl.String).str.zfill(2),
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def _records(clean: pl.DataFrame) -> pl.DataFrame:
    """Record columns, named as :func:`dashboard.schema.validate_record` returns them."""
    code = pl.when(pl.col("tp") == "").then(pl.lit("1")).otherwise(pl.col("tp"))
    iso_day = pl.col("day").dt.to_string("%Y-%m-%d")
    notes = pl.lit("")
    for precision, note in TIME_NOTES.items():
        before, after = note.split("{day}")
        notes = pl.when(code == precision).then(before + iso_day + after).otherwise(notes)
    key = pl.col("kind").str.to_lowercase()
    event_type = key.replace_strict(EVENT_TYPES, default="other", return_dtype=pl.String)
    event_type = (
        pl.when(key.is_in(list(STRATEGIC)) & (pl.col("sub").str.to_lowercase() == "agreement"))
        .then(pl.lit("agreement"))
        .otherwise(event_type)
    )
    what = pl.when(pl.col("sub") != "").then(pl.col("sub")).otherwise(pl.col("kind"))
    place = (
        pl.when(pl.col("location") != "")
        .then(pl.col("location"))
        .when(pl.col("admin1") != "")
        .then(pl.col("admin1"))
        .otherwise(pl.col("country_name"))
    )
    title = pl.when(place != "").then(what + " in " + place).otherwise(what)
    gp = pl.col("gp")
    return clean.select(
        "_pos",
        event_id="acled:" + pl.col("origin"),
        event_date=pl.col("day"),
        end_date=pl.lit(None, pl.Date),
        date_precision=code.replace_strict(TIME_PRECISION, return_dtype=pl.String),
        event_type=event_type,
        sub_type=what,
        title=title,
        title_ar=pl.lit(""),
        summary=pl.col("notes_text"),
        admin1=pl.col("admin1"),
        location=pl.col("location"),
        fatalities_text=pl.lit(""),
        evidence=pl.lit(""),
        notes=notes,
        coord_basis=gp.replace_strict(GEO_BASIS, default="", return_dtype=pl.String),
        origin_id=pl.col("origin"),
        origin_type=pl.when(pl.col("sub") != "")
        .then(pl.col("kind") + " / " + pl.col("sub"))
        .otherwise(pl.col("kind")),
        geo_flag=pl.lit(""),
        actors=pl.col("actors"),
        country=pl.col("country"),
        latitude=pl.col("lat_n"),
        longitude=pl.col("lon_n"),
        geo_precision=gp.replace_strict(GEO_PRECISION, default=None, return_dtype=pl.String),
        fatalities=pl.col("fat_n").cast(pl.Int32),
        fatalities_low=pl.lit(None, pl.Int32),
        fatalities_high=pl.lit(None, pl.Int32),
        machine_coded=pl.lit(False),
        sources=pl.col("sources"),
        related=pl.lit([], pl.List(pl.String)),
        verification=pl.lit("unverified"),
        dataset=pl.lit("acled"),
    )
