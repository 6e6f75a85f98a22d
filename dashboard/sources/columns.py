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

import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from .detect import Detected, open_binary
from .tabular import MISSING, CsvRecords

#: What Python's ``str.strip()`` removes (Polars' default is Rust's idea of whitespace,
#: which lacks the four separator controls \x1c-\x1f).
PY_WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
#: Bytes pyarrow reads at a time; a batch holds the rows of one block.
BLOCK_BYTES = 4 << 20


class NotColumnar(Exception):
    """The file needs the row reader; nothing read so far is kept."""


def read_head(path: Path, detected: Detected, rows: int) -> tuple[list[str], list]:
    """The header as the row reader sees it (stripped, without a byte-order mark) and its
    first ``rows`` records, from which a reader decides how the file writes dates."""
    records = CsvRecords(path, detected)
    stream = iter(records)
    try:
        head = list(islice(stream, rows))
    finally:
        stream.close()
    return records.header, head


def string_batches(
    path: Path, detected: Detected, header: list[str], chunk_rows: int
) -> Iterator[tuple[pl.DataFrame, int, int]]:
    """``(frame, first_row, bytes_done)`` per batch of at most ``chunk_rows`` records.

    The frame's columns are ``c0 .. cN`` (the header's positions), every value a string
    as written; ``first_row`` is the spreadsheet row of the frame's first record (the
    header is row 1). Raises :class:`NotColumnar` when the row reader must read the file.
    """
    if (
        not detected.has_header
        or detected.container != "csv"
        or not header
        or any("\n" in h or "\r" in h for h in header)
    ):
        raise NotColumnar("the header needs the row reader")
    encoding = detected.encoding or "utf8"
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        encoding = "utf8"  # a byte-order mark sits in the header row, which is skipped
    names = [f"c{i}" for i in range(len(header))]
    source = open_binary(path, detected)
    try:
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(
                    skip_rows=1,
                    column_names=names,
                    block_size=BLOCK_BYTES,
                    encoding=encoding,
                    use_threads=True,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=detected.delimiter,
                    newlines_in_values=True,
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
        row, done, held = 2, 0, None
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
