"""UCDP GED rows translated a whole batch at a time, with the row reader's exact results.

:mod:`dashboard.sources.ucdp` documents the crosswalk; this module is the same crosswalk
written as Polars expressions over a batch of string columns
(:func:`dashboard.sources.columns.string_batches`), the way
:mod:`dashboard.sources.acled_columns` reads ACLED. It takes the rows whose every value is
in a form it reads exactly as the row reader would: ISO dates (a time of day after them
allowed), codes 1-3 / 1-5 / 1-6 (or ``2.0``), whole death counts, a country it knows,
plain decimal coordinates. Any other row (international waters, no coordinates, a problem)
is "odd" and the importer reads it with the row reader. HDX's HXL tag row is skipped and
counted as a row, as the row reader does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from dashboard.schema import MAX_LIST, MAX_YEAR, MIN_YEAR

from . import SourceError
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
from .ucdp import (
    COLUMN_NAMES,
    DATE_NOTES,
    DATE_PREC,
    VIOLENCE,
    WHERE_BASIS,
    WHERE_PREC,
    _Reader,
    is_hxl,
    sources,
)

#: ISO dates as :func:`dashboard.sources.tabular.parse_date` reads them (digits written
#: as ASCII only; any other form goes to the row reader).
_DATE = (
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2}| ?UTC)?)?$"
)
#: A whole count as :func:`dashboard.sources.tabular.whole` reads it, ``3.0`` included.
_WHOLE = r"^([0-9]{1,9})(?:\.0*)?$"
_PARTIES = (
    ("side A", "deaths_a"),
    ("side B", "deaths_b"),
    ("civilians", "deaths_civilians"),
    ("unknown", "deaths_unknown"),
)
_CELLS = {
    "origin": "id",
    "violence": "type_of_violence",
    "start_text": "date_start",
    "end_text": "date_end",
    "prec": "date_prec",
    "relid": "relid",
    "where": "where_prec",
    "country_name": "country",
    "iso3": "iso3",
    "best": "best",
    "low": "low",
    "high": "high",
    "side_a": "side_a",
    "side_b": "side_b",
    "dyad_name": "dyad_name",
    "location": "where_coordinates",
    "admin1": "adm_1",
    "conflict": "conflict_name",
    "description": "where_description",
    "office": "source_office",
    "source_date": "source_date",
    "original": "source_original",
    "lat": "latitude",
    "lon": "longitude",
    **{column: column for _, column in _PARTIES},
}


def plan(path: Path, detected: Detected, chunk_rows: int) -> Plan:
    """The UCDP row reader prepared on the file's header, and the translation of its
    batches (without HDX's tag row)."""
    ucdp = _Reader(path, detected)
    try:
        header, head = read_head(path, detected, 1)
        ucdp.prepare(header)
    except SourceError as exc:
        raise NotColumnar(str(exc)) from exc
    tags = bool(head) and is_hxl(head[0][1])
    columns = {key: ucdp.names.get(name, name) for key, name in COLUMN_NAMES.items()}
    batches = string_batches(path, detected, header, chunk_rows)
    return Plan(ucdp, columns, _without_tags(batches, tags), lambda frame: translate(frame, ucdp))


def _without_tags(batches: Iterator, tags: bool) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """The batches, the first without its first row when that is the HXL tag row."""
    for frame, first_row, done in batches:
        if tags:
            tags = False
            frame, first_row = frame.slice(1), first_row + 1
            if frame.is_empty():
                continue
        yield frame, first_row, done


def _code(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(r"\.0$", "")


def _whole(name: str) -> pl.Expr:
    return pl.col(name).str.extract(_WHOLE).cast(pl.Int64)


def _listed(items: list[tuple[str, str]]) -> pl.Expr:
    """``", ".join(f"{label} {n}")`` over the counts given (the others left out)."""
    parts = [
        pl.when(pl.col(name).is_not_null()).then(pl.lit(label + " ") + pl.col(name).cast(pl.String))
        for label, name in items
    ]
    if not parts:
        return pl.lit("")
    return pl.concat_str(parts, separator=", ", ignore_nulls=True).fill_null("")


def _sources_json(values: dict) -> str | None:
    """The stored sources of one combination of source cells; None for what the schema
    would refuse (the row reader says so)."""
    found = sources(values["office"], values["source_date"], values["original"])
    if len(found) > MAX_LIST:
        return None
    for source in found:
        year = int(source["published"][:4]) if source["published"] else MIN_YEAR
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
    return json.dumps(found, ensure_ascii=False)


def _day(prefix: str) -> pl.Expr:
    parts = pl.col(f"{prefix}_text").str.extract_groups(_DATE)
    text = pl.format(
        "{}-{}-{}",
        parts.struct.field("1"),
        parts.struct.field("2").str.zfill(2),
        parts.struct.field("3").str.zfill(2),
    )
    return text.str.to_date("%Y-%m-%d", strict=False)


def _date_notes() -> pl.Expr:
    start, end = pl.col("start").dt.to_string("%Y-%m-%d"), pl.col("end").dt.to_string("%Y-%m-%d")
    notes = pl.lit("")
    for prec, template in DATE_NOTES.items():
        assert template.index("{start}") < template.index("{end}")
        text = pl.format(template.replace("{start}", "{}").replace("{end}", "{}"), start, end)
        notes = pl.when(pl.col("prec") == prec).then(text).otherwise(notes)
    return notes


def _joined(parts: list[pl.Expr]) -> pl.Expr:
    """``" ".join`` of the parts that are not empty."""
    return pl.concat_str(
        [pl.when(p != "").then(p) for p in parts], separator=" ", ignore_nulls=True
    ).fill_null("")


def translate(frame: pl.DataFrame, reader) -> tuple[pl.DataFrame, list[int]]:
    """``(records, odd)``: the batch's clean rows as record columns (with ``_pos``, the
    row's position in the batch), and the positions of the rows the row reader must read.

    ``reader`` is the UCDP row reader after :meth:`prepare`.
    """
    parties = [(label, column) for label, column in _PARTIES if column in reader.index]
    used = sorted(set(reader.index.values()))
    cells = frame.with_row_index("_pos").select(
        "_pos",
        *read_cells(reader.index, _CELLS),
        _odd_text=guards(used, reader.header),
    )
    counts = ["best", "low", "high", *(column for _, column in parties)]
    cells = cells.with_columns(
        origin=_code(pl.col("origin")),
        violence=_code(pl.col("violence")),
        prec=pl.when(_code(pl.col("prec")) == "")
        .then(pl.lit("1"))
        .otherwise(_code(pl.col("prec"))),
        where=_code(pl.col("where")),
        iso3=pl.col("iso3").str.to_uppercase(),
        start=_day("start"),
        end=_day("end"),
        lat_n=pl.col("lat").cast(pl.Float64, strict=False),
        lon_n=pl.col("lon").cast(pl.Float64, strict=False),
        **{f"{c}_n": _whole(c) for c in counts},
        _counts_ok=pl.all_horizontal(
            [(pl.col(c) == "") | pl.col(c).str.contains(_WHOLE) for c in counts]
        ),
    )
    iso3_known = per_unique(cells, ["iso3"], known, pl.String)
    by_name = per_unique(cells, ["country_name"], lambda n: known(reader._country(n)), pl.String)
    cells = cells.with_columns(
        country=pl.coalesce(iso3_known, by_name),
        sources=per_unique(cells, ["office", "source_date", "original"], _sources_json, pl.String),
        conflict_repr=per_unique(cells, ["conflict"], repr, pl.String),
    )
    ok = (
        ~pl.col("_odd_text")
        & (pl.col("origin") != "")
        & ("ucdp:" + pl.col("origin")).str.contains(ID)
        & pl.col("violence").is_in(list(VIOLENCE))
        & pl.col("start").dt.year().is_between(MIN_YEAR, MAX_YEAR)
        & pl.col("end").dt.year().is_between(MIN_YEAR, MAX_YEAR)
        & (pl.col("end") >= pl.col("start"))
        & pl.col("prec").is_in(list(DATE_PREC))
        & pl.col("where").is_in(["", *(w for w, p in WHERE_PREC.items() if p is not None)])
        & pl.col("country").is_not_null()
        & pl.col("_counts_ok")
        & pl.col("lat").str.contains(DECIMAL)
        & pl.col("lon").str.contains(DECIMAL)
        & pl.col("lat_n").is_between(-90, 90)
        & pl.col("lon_n").is_between(-180, 180)
        & pl.col("sources").is_not_null()
    )
    cells = cells.with_columns(_ok=ok.fill_null(False))
    return split(_records(cells, parties))


def _records(cells: pl.DataFrame, parties: list[tuple[str, str]]) -> pl.DataFrame:
    """Record columns, named as :func:`dashboard.schema.validate_record` returns them."""
    estimates = _listed([("best", "best_n"), ("low", "low_n"), ("high", "high_n")])
    counts = _listed([(label, f"{column}_n") for label, column in parties])
    fatalities_text = (
        "UCDP deaths: "
        + estimates
        + pl.when(counts != "").then(" (" + counts + ")").otherwise(pl.lit(""))
    )
    violence = pl.col("violence").replace_strict(VIOLENCE, default="", return_dtype=pl.String)
    side_a, side_b = pl.col("side_a"), pl.col("side_b")
    dyad = (
        pl.when(pl.col("dyad_name") != "")
        .then(pl.col("dyad_name"))
        .otherwise(
            pl.concat_str(
                [pl.when(side_a != "").then(side_a), pl.when(side_b != "").then(side_b)],
                separator=" - ",
                ignore_nulls=True,
            ).fill_null("")
        )
    )
    place = (
        pl.when(pl.col("location") != "")
        .then(pl.col("location"))
        .when(pl.col("admin1") != "")
        .then(pl.col("admin1"))
        .otherwise(pl.col("country_name"))
    )
    title = (
        pl.when(place != "")
        .then(dyad + " (" + place + ")")
        .when(dyad != "")
        .then(dyad)
        .otherwise("UCDP event " + pl.col("origin"))
    )
    first = (
        "UCDP "
        + violence
        + pl.when(pl.col("conflict") != "")
        .then(" in the conflict " + pl.col("conflict_repr"))
        .otherwise(pl.lit(""))
        + "."
    )
    summary = _joined(
        [
            first,
            pl.when(pl.col("description") != "")
            .then("Place: " + pl.col("description") + ".")
            .otherwise(pl.lit("")),
            pl.when(estimates != "").then(fatalities_text + ".").otherwise(pl.lit("")),
        ]
    )
    relid = pl.when(pl.col("relid") != "").then("UCDP relid " + pl.col("relid") + ".")
    where = pl.col("where")
    return cells.select(
        "_pos",
        "_ok",
        *record_columns(
            event_id="ucdp:" + pl.col("origin"),
            event_date=pl.col("start"),
            end_date=pl.when(pl.col("end") > pl.col("start")).then(pl.col("end")),
            date_precision=pl.col("prec").replace_strict(
                DATE_PREC, default=None, return_dtype=pl.String
            ),
            event_type=pl.lit("attack"),
            sub_type=violence,
            title=title,
            summary=summary,
            admin1=pl.col("admin1"),
            location=pl.col("location"),
            fatalities_text=pl.when(estimates != "").then(fatalities_text).otherwise(pl.lit("")),
            notes=_joined([_date_notes(), relid.fill_null("")]),
            coord_basis=where.replace_strict(WHERE_BASIS, default="", return_dtype=pl.String),
            origin_id=pl.col("origin"),
            origin_type=pl.col("violence") + " " + violence,
            actors=two_actors(side_a, side_b),
            country=pl.col("country"),
            latitude=pl.col("lat_n"),
            longitude=pl.col("lon_n"),
            geo_precision=where.replace_strict(
                {k: v for k, v in WHERE_PREC.items() if v}, default=None, return_dtype=pl.String
            ),
            fatalities=pl.col("best_n").cast(pl.Int32, strict=False),
            fatalities_low=pl.col("low_n").cast(pl.Int32, strict=False),
            fatalities_high=pl.col("high_n").cast(pl.Int32, strict=False),
            sources=pl.col("sources"),
            dataset=pl.lit("ucdp"),
        ),
    )
