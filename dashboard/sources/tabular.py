"""What the CSV readers share: streaming records with their row numbers, and cell parsing.

Cell parsers raise :class:`CellError` with a message that quotes the value, so a
reader can turn it into "row 17, column event_date: '2022-13-01' is not a date".
Dates are read strictly: a value that could mean two different days is refused
rather than guessed, and a two-digit year must agree with the file's year column.
"""

from __future__ import annotations

import calendar
import csv
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from dashboard.schema import Problem

from . import Row, SourceError, read_row
from .detect import Detected, decode_failure, open_text

#: A cell larger than this is refused (the schema keeps at most 20,000 characters anyway);
#: the csv module's own default of 128 KiB would stop the whole file instead.
FIELD_LIMIT = 4 * 1024 * 1024
#: Spellings of "no value" that R, pandas and spreadsheets write.
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})
#: Give up on a file whose rows keep failing to parse: it is not the format we think.
MAX_BROKEN_RECORDS = 1000


class CellError(ValueError):
    pass


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().lower() in MISSING


_MISSING_LONGEST = max(map(len, MISSING))


def cell(value) -> str:
    """A cell as text; R's and pandas' spellings of "no value" become empty."""
    if type(value) is str:  # nearly every cell of a CSV: one strip, rarely a lower()
        text = value.strip()
        if len(text) > _MISSING_LONGEST or text.lower() not in MISSING:
            return text
        return ""
    if is_missing(value):
        return ""
    return str(value).strip()


#: Digits with an optional sign, point and exponent; ``float()`` alone also reads ``1_0`` as 10
#: and ``infinity`` as a number.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def number(value) -> float | None:
    if is_missing(value):
        return None
    raw = str(value).strip()
    if len(raw) > 40 or not _NUMBER.fullmatch(raw):
        raise CellError(f"{raw[:40]!r} is not a number")
    result = float(raw)
    if not math.isfinite(result):
        raise CellError(f"{raw[:40]!r} is not a number")
    return result


def whole(value) -> int | None:
    result = number(value)
    if result is None:
        return None
    if not result.is_integer():
        raise CellError(f"{str(value).strip()[:40]!r} is not a whole number")
    if result < 0:
        raise CellError(f"{str(value).strip()[:40]!r} is negative")
    return int(result)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
#: A time of day may follow an ISO date (database exports write one); nothing else may.
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}|\s*UTC)?)?$"
)
_SLASHED_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_NAMED_DMY = re.compile(r"^(\d{1,2})[\s\-/]+([A-Za-z]+)\.?[\s\-/,]+(\d{2}|\d{4})$")
_NAMED_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _year(raw: str, year_hint: int | None, value: str) -> int:
    if len(raw) == 4:
        return int(raw)
    two = int(raw)
    if year_hint is not None:
        if year_hint % 100 != two:
            raise CellError(f"{value!r}: the two-digit year {raw} does not match year {year_hint}")
        return year_hint
    this = date.today().year
    return 2000 + two if 2000 + two <= this else 1900 + two


def _make(y: int, m: int, d: int, value: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"{value!r} is not a date") from None


def parse_date(value, *, day_first: bool = True, year_hint: int | None = None) -> date:
    """A date as sources write it: 2022-05-23, 23/05/2022, 9-May-20, 01-January-2015,
    23 May 2022, May 23, 2022, 20220523.

    Numeric day/month order follows ``day_first`` (ACLED writes dd/mm/yyyy); a value
    impossible in that order is refused, never silently read the other way round.
    """
    if is_missing(value):
        raise CellError("missing")
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if m := _ISO.match(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _SLASHED_YMD.match(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _COMPACT.match(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _NUMERIC_DMY.match(raw):
        a, b = int(m[1]), int(m[3])
        day, month = (a, b) if day_first else (b, a)
        if month > 12:
            order = "day/month/year" if day_first else "month/day/year"
            raise CellError(f"{raw!r} is not a date in {order} order")
        return _make(_year(m[4], year_hint, raw), month, day, raw)
    if m := _NAMED_DMY.match(raw):
        month = _MONTHS.get(m[2].lower())
        if month:
            return _make(_year(m[3], year_hint, raw), month, int(m[1]), raw)
    if m := _NAMED_MDY.match(raw):
        month = _MONTHS.get(m[1].lower())
        if month:
            return _make(int(m[3]), month, int(m[2]), raw)
    raise CellError(f"{raw[:40]!r} is not a date")


def numeric_order(values: list[str]) -> bool | None:
    """Whether dd/mm (True) or mm/dd (False) order fits these dates; None if undecided."""
    day_first = month_first = False
    for value in values:
        m = _NUMERIC_DMY.match(str(value).strip())
        if not m:
            continue
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            day_first = True
        elif b > 12 >= a:
            month_first = True
    if day_first and not month_first:
        return True
    if month_first and not day_first:
        return False
    return None


def problem(number: int, column: str, message: str) -> Problem:
    return Problem(number, column, message)


class CsvRecords:
    """Records of a delimited file with their spreadsheet row numbers.

    Iterating yields ``(row_number, fields)`` for every data record, or
    ``(row_number, Problem)`` for a record the csv module could not split. ``position()``
    is how many bytes of the file have been read so far.
    """

    def __init__(self, path: Path, detected: Detected, *, quoting: int = csv.QUOTE_MINIMAL):
        self.path = path
        self.detected = detected
        self.quoting = quoting
        self.header: list[str] = []
        self._stream = None
        self._counter = None

    def position(self) -> int:
        return self._counter.count if self._counter is not None else 0

    def __iter__(self) -> Iterator[tuple[int, list[str] | Problem]]:
        csv.field_size_limit(FIELD_LIMIT)
        stream, self._counter = open_text(self.path, self.detected)
        broken = 0
        try:
            records = csv.reader(
                stream, delimiter=self.detected.delimiter, quoting=self.quoting, strict=False
            )
            number = 0
            if self.detected.has_header:
                number = 1
                try:
                    self.header = [h.strip().lstrip("\ufeff") for h in next(records)]
                except StopIteration:
                    return
            while True:
                number += 1
                try:
                    fields = next(records)
                except StopIteration:
                    return
                except csv.Error as exc:
                    broken += 1
                    if broken > MAX_BROKEN_RECORDS:
                        raise SourceError(
                            f"more than {MAX_BROKEN_RECORDS} rows cannot be split into fields "
                            f"(last at row {number}: {exc}); is the format right?"
                        ) from exc
                    yield number, Problem(number, "(row)", f"cannot be read: {exc}")
                    continue
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue  # a blank line: nothing to import, nothing wrong
                yield number, fields
        except UnicodeDecodeError as exc:
            raise decode_failure(self.path, self.detected, self.position()) from exc
        finally:
            stream.close()


def header_index(header: list[str]) -> dict[str, int]:
    """Lower-cased column name -> position; the first of repeated names wins."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        if key and key not in index:
            index[key] = i
    return index


def header_row(number: int, fields: list[str] | Problem, header: list[str], read, names) -> Row:
    """One row of a file with a header: the reader's own problem, a row of the wrong
    width, or ``read(fields)`` (its problems under the file's column names)."""
    if isinstance(fields, Problem):
        return Row(number, None, fields)
    bad = width_problem(number, fields, header)
    if bad:
        return Row(number, None, bad)
    return read_row(number, read, fields, names=names)


def width_problem(number: int, fields: list[str], header: list[str]) -> Problem | None:
    """A row whose field count differs from the header's, beyond empty trailing cells."""
    named = len(header)
    while named and not header[named - 1].strip():
        named -= 1
    if len(fields) < named:
        return Problem(
            number,
            "(row)",
            f"has {len(fields)} fields where the header has {named}: a broken quote or a "
            "truncated line",
        )
    if any(f.strip() for f in fields[len(header) :]) or any(
        fields[i].strip() for i in range(named, min(len(fields), len(header)))
    ):
        return Problem(
            number,
            "(row)",
            f"has values beyond the {named} named columns: a broken quote or an unquoted delimiter",
        )
    return None


def host_of(url: str) -> str:
    m = re.match(r"^[a-z][a-z0-9+.\-]*://([^/?#:]+)", url.strip(), re.IGNORECASE)
    return m[1].lower().removeprefix("www.") if m else ""
