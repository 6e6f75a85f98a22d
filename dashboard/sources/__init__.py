"""Readers that turn analysts' files and public event datasets into candidate records.

Every reader streams: ``read(path, detected) -> Iterator[Chunk]``, a chunk being a
list of :class:`Row` of at most ``chunk_rows`` rows, so a file of a million rows never
sits in memory at once. A reader never decides what is stored; it translates its
source's columns and codes into the canonical record (crosswalks documented in each
module and in docs/crosswalks.md) and reports what it cannot translate as a
:class:`~dashboard.schema.Problem` carrying the row number the user sees in the file
and the file's own column name. :mod:`dashboard.importer` validates, checks places and
writes.

Row numbers are spreadsheet rows: in a file with a header the header is row 1 and the
first record row 2, a record with line breaks inside a quoted cell is still one row,
and an HXL tag row counts as a row. Headerless GDELT files start at row 1. JSON
arrays, GeoJSON features and Parquet rows are numbered from 1 in file order, JSON
lines by line.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from itertools import chain
from typing import NamedTuple

from dashboard.schema import Problem

FORMATS: tuple[str, ...] = ("native", "acled", "ucdp", "gdelt")
#: Deepest nesting of lists and objects a value may have. A native record needs three levels
#: (record, sources, source); a file nesting a thousand deep made the parser (and anything
#: that printed the value) fail with a RecursionError instead of naming the row.
MAX_DEPTH = 32
#: Rows per chunk: memory holds one chunk's Python objects at each stage; larger chunks use
#: more memory and are no faster (README, performance).
CHUNK_ROWS = 10_000


class SourceError(ValueError):
    """The file as a whole cannot be read (wrong format, encoding, junk); nothing is imported."""


class Row(NamedTuple):
    """One record of the file: a raw record for validation, or the reason it has none."""

    number: int
    raw: dict | None
    problem: Problem | None


class Chunk(list):
    """Rows plus what the importer needs to report progress and name columns.

    ``bytes_done`` is how far into the file the reader has got; ``columns`` maps a
    canonical column to the name the file uses for it, so a problem found later by the
    schema ("latitude: 999 is outside -90..90") names the column the user can find.
    """

    def __init__(self, rows=(), *, bytes_done: int = 0, columns: dict | None = None):
        super().__init__(rows)
        self.bytes_done = bytes_done
        self.columns = columns or {}


#: What zipfile raises for a member it cannot give back: a wrong CRC or a size that lies
#: (BadZipFile), encryption (RuntimeError), a compression method it lacks
#: (NotImplementedError).
_UNREADABLE_ZIP = (zipfile.BadZipFile, RuntimeError, NotImplementedError)


def unreadable_zip(exc: Exception) -> str:
    return (
        f"the zip archive cannot be read ({exc}); unpack it with an archive tool and "
        "import the file itself"
    )


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it, for progress reporting."""

    def __init__(self, raw, also_close=()):
        super().__init__()
        self._raw = raw
        self._also_close = tuple(also_close)
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except _UNREADABLE_ZIP as exc:
            raise SourceError(unreadable_zip(exc)) from exc
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        try:
            self._raw.close()
            for other in self._also_close:
                other.close()
        finally:
            super().close()


class RowError(Exception):
    """One row's value cannot be read: ``column`` (the canonical or the file's name) and why."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than ``limit``; walked without recursion, so
    the check itself cannot fail on the values it is there to refuse. Only containers are
    stacked: a record's scalars cost one type check each."""
    if not isinstance(value, dict | list | tuple):
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list | tuple):
                stack.append((child, depth + 1))
    return False


DEPTH_MESSAGE = f"lists or objects nested more than {MAX_DEPTH} levels deep"


def unexpected(exc: BaseException) -> str:
    """A failure no check foresaw, said in one line, so one odd value costs its row and not
    the whole file (the user sees the row; a developer sees the exception's type)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"cannot be read ({type(exc).__name__}{': ' + text[:80] if text else ''})"


def read_row(number: int, read, *args, names: dict | None = None, **kwargs) -> Row:
    """``Row(number, read(*args, **kwargs))``, or the problem ``read`` raised, under the
    column name the file uses (``names`` maps canonical names to the file's). Any other
    failure of a value is that row's problem too."""
    try:
        return Row(number, read(*args, **kwargs), None)
    except RowError as exc:
        column = (names or {}).get(exc.column, exc.column)
        return Row(number, None, Problem(number, column, exc.message))
    except (SourceError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence, named in the problem
        return Row(number, None, Problem(number, "(row)", unexpected(exc)))


def file_chunks(reader, chunk_rows: int, column_names: dict) -> Iterator[Chunk]:
    """A tabular reader's rows in chunks. The first row is read before the columns are
    named, because reading it reads the header, which holds the file's own names."""
    rows = reader.rows()
    first = next(rows, None)
    if first is None:
        return
    names = getattr(reader, "names", None) or {}
    columns = {key: names.get(name, name) for key, name in column_names.items()}
    yield from chunked(chain([first], rows), chunk_rows, reader.records.position, columns)


def chunked(rows: Iterator[Row], size: int, position, columns: dict) -> Iterator[Chunk]:
    """Group rows into chunks; ``position()`` says how many bytes have been consumed."""
    chunk = Chunk(columns=columns)
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            chunk.bytes_done = position()
            yield chunk
            chunk = Chunk(columns=columns)
    chunk.bytes_done = position()
    if chunk:
        yield chunk


def reader(fmt: str):
    """The ``read`` function of a format."""
    from . import acled, gdelt, native, ucdp

    modules = {"native": native, "acled": acled, "ucdp": ucdp, "gdelt": gdelt}
    if fmt not in modules:
        raise SourceError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return modules[fmt].read
