"""A delimited file read column by column, for imports that validate whole columns at once.

The row reader (:class:`dashboard.sources.tabular.CsvRecords`) hands Python one list of
strings per record; at a million rows that loop was most of an import (README,
performance). Here pyarrow's CSV reader splits the file into batches of string columns,
and a source's translation works on the columns with Polars expressions.

Only a file that both readers split the same way is read here. Anything the row reader
treats specially raises :class:`NotColumnar`, and the importer reads the whole file row by
row instead, so row numbers and problems never depend on the path taken: a blank line
(the row reader skips it but counts it), a row with more or fewer fields than the header,
a header spanning lines, a file without a header, a text that does not decode.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard import geo
from dashboard.schema import MAX_TEXT, TEXT_COLUMNS

from .detect import Detected, open_binary
from .tabular import FIELD_LIMIT, MISSING, CsvRecords

#: What Python's ``str.strip()`` removes (Polars' default is Rust's idea of whitespace,
#: which lacks the four separator controls \x1c-\x1f).
PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
#: Bytes pyarrow reads at a time; a batch holds the rows of one block.
BLOCK_BYTES = 4 << 20


class NotColumnar(Exception):
    """The file needs the row reader; nothing read so far is kept."""


def read_head(
    path: Path, detected: Detected, rows: int, *, quoting: int = csv.QUOTE_MINIMAL
) -> tuple[list[str], list]:
    """The header as the row reader sees it (stripped, without a byte-order mark) and its
    first ``rows`` records, from which a reader decides how the file writes dates."""
    records = CsvRecords(path, detected, quoting=quoting)
    stream = iter(records)
    try:
        head = list(islice(stream, rows))
    finally:
        stream.close()
    return records.header, head


def string_batches(
    path: Path, detected: Detected, header: list[str], chunk_rows: int, *, quoted: bool = True
) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """``(frame, first_row, bytes_done)`` per batch of at most ``chunk_rows`` records.

    The frame's columns are ``c0 .. cN`` (the header's positions), every value a string
    as written; ``first_row`` is the spreadsheet row of the frame's first record (the
    header is row 1; a file without one starts at row 1, ``header`` then names the
    columns every row must have). ``quoted=False`` reads '"' as an ordinary character, as
    the row reader does for GDELT. Raises :class:`NotColumnar` when the row reader must
    read the file.
    """
    if detected.container != "csv" or not header or any("\n" in h or "\r" in h for h in header):
        raise NotColumnar("the header needs the row reader")
    encoding = detected.encoding or "utf8"
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        encoding = "utf8"  # a byte-order mark sits in the header row, which is skipped
    names = [f"c{i}" for i in range(len(header))]
    if not detected.has_header and encoding == "utf8":
        with open_binary(path, detected) as start:
            if start.read(3) == b"\xef\xbb\xbf":
                # The row reader keeps a byte-order mark in the first value of the first row.
                raise NotColumnar("a byte-order mark before the first row")
    source = open_binary(path, detected)
    try:
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(
                    skip_rows=1 if detected.has_header else 0,
                    column_names=names,
                    block_size=BLOCK_BYTES,
                    encoding=encoding,
                    use_threads=True,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=detected.delimiter,
                    quote_char='"' if quoted else False,
                    newlines_in_values=quoted,
                    ignore_empty_lines=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                    check_utf8=True,
                ),
            )
        except StopIteration:  # a header and nothing else
            return
        row, done, held = (2 if detected.has_header else 1), 0, None
        for frame in _rechunked(_frames(reader), chunk_rows):
            if held is not None:
                # pyarrow reads blocks ahead of the rows it hands out, so the bytes done are
                # the rows' own length (cells, separators and line ends) until the end.
                done = min(done + _length(held, len(header)), max(detected.size - 1, 0))
                yield held, row, done
                row += held.height
            held = frame
        if held is not None:
            yield held, row, max(detected.size, source.count)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise NotColumnar(str(exc)) from exc
    finally:
        source.close()


def _frames(reader) -> Iterator[pl.DataFrame]:
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        if frame.select(pl.all_horizontal(pl.all().fill_null("") == "").any()).item():
            # A blank line (pyarrow gives it empty cells): the row reader skips it.
            raise NotColumnar("a blank line")
        if frame.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item() > FIELD_LIMIT:
            # The csv module refuses a cell this long and may split the rest differently.
            raise NotColumnar("a cell beyond the row reader's field limit")
        yield frame


def _rechunked(frames: Iterator[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """Frames of exactly ``rows`` rows (the last may be shorter), whatever pyarrow's blocks."""
    pending: list[pl.DataFrame] = []
    count = 0
    for frame in frames:
        pending.append(frame)
        count += frame.height
        while count >= rows:
            joined = pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]
            yield joined.slice(0, rows)
            rest = joined.slice(rows)
            pending, count = ([rest] if rest.height else []), rest.height
    if count:
        yield pl.concat(pending, rechunk=False) if len(pending) > 1 else pending[0]


def _length(frame: pl.DataFrame, columns: int) -> int:
    """Bytes the frame's rows took in the file, near enough for a progress bar."""
    cells = frame.select(pl.sum_horizontal(pl.all().str.len_bytes()).sum()).item() or 0
    return int(cells) + frame.height * columns


def cell(expr: pl.Expr) -> pl.Expr:
    """:func:`dashboard.sources.tabular.cell` of a column: stripped, "no value" spellings
    ("NA", "null", "-") empty."""
    text = expr.str.strip_chars(PY_WHITESPACE)
    return pl.when(text.str.to_lowercase().is_in(list(MISSING))).then(pl.lit("")).otherwise(text)


#: Longest cell a column translation takes: a title joins two cells and must stay within
#: MAX_TEXT; a longer one goes to the row reader, which says what the schema says.
LONGEST_CELL = MAX_TEXT // 2 - 10
#: The schema's id, and the number forms read here exactly as the row reader reads them.
ID = r"^[A-Za-z0-9][A-Za-z0-9:._\-]{0,127}$"
DECIMAL = r"^[+-]?[0-9]{1,4}(?:\.[0-9]{1,15})?$"
COUNT = r"^[0-9]{1,9}$"


#: The formats with a column translation (``<format>_columns.py``).
COLUMN_FORMATS = ("acled", "ucdp", "gdelt")


class Plan(NamedTuple):
    """How the importer reads one file column by column.

    ``reader`` is the format's row reader, ready for :meth:`row` (the odd rows);
    ``columns`` maps canonical columns to the file's names; ``batches`` are
    :func:`string_batches`; ``translate(frame) -> (records, odd positions)``.
    """

    reader: Any
    columns: dict
    batches: Iterator[tuple[pl.DataFrame, int, int]]
    translate: Callable[[pl.DataFrame], tuple[pl.DataFrame, list[int]]]


def plan(path: Path, detected: Detected, chunk_rows: int) -> Plan:
    """The column reading of a file; :class:`NotColumnar` for a format or file without one."""
    from importlib import import_module

    if detected.format not in COLUMN_FORMATS or detected.container != "csv":
        raise NotColumnar(f"no column reader for {detected.format} in {detected.container}")
    module = import_module(f"{__package__}.{detected.format}_columns")
    return module.plan(Path(path), detected, chunk_rows)


def read_cells(index: dict[str, int], names: dict[str, str]) -> list[pl.Expr]:
    """``name=cell(column)`` for each ``names`` item (name -> file column), "" when absent."""

    def get(column: str) -> pl.Expr:
        i = index.get(column)
        return cell(pl.col(f"c{i}")) if i is not None else pl.lit("")

    return [get(column).alias(name) for name, column in names.items()]


def guards(used: list[int], header: list[str] | None = None) -> pl.Expr:
    """True for a row the row reader shortens or refuses whatever its translation: a cell it
    reads that is too long or holds a NUL character, a value under an unnamed trailing
    column of ``header`` (a width problem)."""
    bad = [pl.col(f"c{i}").str.len_chars() > LONGEST_CELL for i in used]
    bad += [pl.col(f"c{i}").str.contains("\x00", literal=True) for i in used]
    if header:
        named = len(header)
        while named and not header[named - 1].strip():
            named -= 1
        bad += [
            pl.col(f"c{i}").str.strip_chars(PY_WHITESPACE) != "" for i in range(named, len(header))
        ]
    return pl.any_horizontal(bad or [pl.lit(False)])


def per_unique(frame: pl.DataFrame, columns: list[str], fn, dtype) -> pl.Series:
    """``fn`` once per distinct value (or combination) of ``columns``, joined back."""
    keys = frame.select(columns).unique()
    if len(columns) == 1:
        results = [fn(v) for v in keys[columns[0]].to_list()]
    else:
        results = [fn(row) for row in keys.iter_rows(named=True)]
    keyed = keys.with_columns(pl.Series("_out", results, dtype=dtype))
    joined = frame.select(columns).join(
        keyed, on=columns, how="left", maintain_order="left", nulls_equal=True
    )
    return joined["_out"]


def two_actors(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """``[x for x in dict.fromkeys((a, b)) if x]`` of two stripped cells."""
    return (
        pl.when((a == "") & (b == ""))
        .then(pl.lit([], pl.List(pl.String)))
        .when((b == "") | (a == b))
        .then(pl.concat_list([a]))
        .when(a == "")
        .then(pl.concat_list([b]))
        .otherwise(pl.concat_list([a, b]))
    )


def known(code: str | None) -> str | None:
    """The code if it is a country we know (the schema refuses any other)."""
    return code if code and geo.is_country_code(code) else None


def split(records: pl.DataFrame) -> tuple[pl.DataFrame, list[int]]:
    """``(clean records, odd positions)`` from record columns with ``_pos`` and ``_ok``;
    a text the schema would refuse as too long makes its row odd too."""
    long_text = pl.any_horizontal(
        [pl.col(c).str.len_chars() > MAX_TEXT for c in TEXT_COLUMNS if c in records.columns]
    )
    records = records.with_columns(_ok=(pl.col("_ok") & ~long_text).fill_null(False))
    odd = records.filter(~pl.col("_ok"))["_pos"].to_list()
    return records.filter(pl.col("_ok")).drop("_ok"), odd


def record_columns(**values: pl.Expr) -> list[pl.Expr]:
    """Every column :func:`dashboard.schema.validate_record` returns, in its order, with
    the values given and the empty value of the others."""
    empty: dict[str, pl.Expr] = {
        "end_date": pl.lit(None, pl.Date),
        "title_ar": pl.lit(""),
        "summary": pl.lit(""),
        "admin1": pl.lit(""),
        "location": pl.lit(""),
        "fatalities_text": pl.lit(""),
        "evidence": pl.lit(""),
        "notes": pl.lit(""),
        "coord_basis": pl.lit(""),
        "geo_flag": pl.lit(""),
        "geo_precision": pl.lit(None, pl.String),
        "fatalities": pl.lit(None, pl.Int32),
        "fatalities_low": pl.lit(None, pl.Int32),
        "fatalities_high": pl.lit(None, pl.Int32),
        "machine_coded": pl.lit(False),
        "related": pl.lit([], pl.List(pl.String)),
        "verification": pl.lit("unverified"),
    }
    order = (
        *("event_id", "event_date", "end_date", "date_precision", "event_type"),
        *TEXT_COLUMNS,
        *("actors", "country", "latitude", "longitude", "geo_precision"),
        *("fatalities", "fatalities_low", "fatalities_high", "machine_coded"),
        *("sources", "related", "verification", "dataset"),
    )
    return [(values[c] if c in values else empty[c]).alias(c) for c in order]
