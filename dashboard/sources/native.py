"""The project's own record format, as CSV, JSON (array or lines), GeoJSON and Parquet.

The columns are those of :data:`dashboard.schema.COLUMNS` (what the dashboard's
export writes), matched case-insensitively; unknown columns are ignored, so an export
re-imports unchanged. Required: ``event_id``, ``event_date`` (YYYY-MM-DD; a
spreadsheet's "11/05/2022" is refused rather than guessed), ``event_type``, a
``title`` or ``title_ar`` and at least one source. docs/crosswalks.md has the full
table and docs/templates/events-template.csv a file to copy.

How cells are read:

| column | in CSV | in JSON / GeoJSON / Parquet |
|---|---|---|
| ``actors``, ``related`` | ``;``-separated text, or a JSON list | a list |
| ``sources`` | ``source_<n>_<field>`` columns (below), else a JSON list of objects, or | a list |
| | ``;``-separated URLs / "Publisher - URL" / names | |
| ``machine_coded`` | true/false, yes/no, 1/0 | a boolean |
| numbers | text; empty, NA, NaN mean "no value" | numbers or null |
| ``latitude``/``longitude`` | columns | GeoJSON: the Point geometry when the properties have none |

Source objects are {publisher, url, published, language}. The CSV export writes them as
``source_count`` then ``source_1_publisher``, ``source_1_url``, ``source_1_published``,
``source_1_language``, ``source_2_...``: as many sources as ``source_count`` says are read
(without it, each numbered source with a value); older exports' JSON cell is read too.
Cells the export protected against spreadsheet formulas (see :mod:`dashboard.export`) are read back
without their one added apostrophe, so an export re-imports to the same text.
``dataset`` is kept from the file except "reference", which only shipped records
carry: imported rows get "user".
``verification`` defaults to "unverified": importing a record does not verify it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from dashboard.export import needs_apostrophe
from dashboard.schema import COLUMNS, Problem

from . import (
    CHUNK_ROWS,
    DEPTH_MESSAGE,
    Chunk,
    Row,
    RowError,
    SourceError,
    chunked,
    read_row,
    too_deep,
    unexpected,
)
from .detect import Detected, decode_failure, detect, open_text
from .tabular import CsvRecords, host_of, is_missing

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_KNOWN = frozenset(COLUMNS)
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}
#: One JSON record larger than this is refused: it is a broken file, not an event.
MAX_JSON_RECORD = 16 * 1024 * 1024


def _unformula(value):
    """Undo the export's protection: one apostrophe off a cell it would have protected."""
    if isinstance(value, str) and value[:1] == "'" and needs_apostrophe(value[1:]):
        return value[1:]
    return value


_LONG_NUMBER = "a number of more than 4,300 digits"


def _loads(text: str, column: str, what: str):
    """JSON in a cell: a syntax error, a nesting bomb or a number of thousands of digits is
    this row's problem."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RowError(column, f"not {what}: {exc.msg}") from None
    except RecursionError:
        raise RowError(column, DEPTH_MESSAGE) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise RowError(column, f"not {what}: {_LONG_NUMBER}") from None
    if too_deep(parsed):
        raise RowError(column, DEPTH_MESSAGE)
    return parsed


def _list(value, column: str) -> list:
    if is_missing(value):
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):  # numpy arrays from Parquet via pandas
        return list(value.tolist())
    text = str(value).strip()
    if text.startswith("["):
        parsed = _loads(text, column, "a JSON list")
        if not isinstance(parsed, list):
            raise RowError(column, "not a JSON list")
        return parsed
    return [part.strip() for part in text.split(";") if part.strip()]


def _source_item(text: str) -> dict:
    text = text.strip()
    match = _URL.search(text)
    if not match:
        return {"publisher": text, "url": ""}
    url = match[0].rstrip(".,;)")
    rest = (text[: match.start()] + text[match.start() + len(url) :]).strip(" -–—:|,()")
    return {"publisher": rest or host_of(url), "url": url}


def _sources(value) -> list:
    if is_missing(value):
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("[", "{")):
            return _sources(_loads(text, "sources", "valid JSON"))
        return [_source_item(p) for p in text.split(";") if p.strip()]
    items = _list(value, "sources")
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(_source_item(item))
        elif isinstance(item, dict):
            out.append(item)
        else:
            raise RowError("sources", "each source must be an object or a text")
    return out


#: A source as the CSV export writes it: ``source_<n>_<field>`` (see export.source_columns).
_SOURCE_COLUMN = re.compile(r"^source_([1-9][0-9]{0,2})_(publisher|url|published|language)$")


def _source_columns(cells: dict) -> list:
    """Sources from ``source_count`` and ``source_<n>_<field>`` cells: as many as
    ``source_count`` says (so a source with every cell empty is kept), else each ``n`` with
    a value. Cells are taken as written: a publisher "NA" stays "NA"."""
    groups: dict[int, dict] = {}
    for name, value in cells.items():
        match = _SOURCE_COLUMN.match(name)
        if match:
            empty = value is None or (isinstance(value, float) and math.isnan(value))
            groups.setdefault(int(match[1]), {})[match[2]] = "" if empty else str(value)
    filled = [n for n, g in groups.items() if any(v.strip() for v in g.values())]
    count = cells.get("source_count")
    if is_missing(count) or (isinstance(count, str) and not count.strip()):
        wanted = max(filled, default=0)
    else:
        text = str(count).strip()
        if text.endswith(".0"):  # a spreadsheet's number
            text = text[:-2]
        if not (text.isascii() and text.isdigit() and int(text) <= 999):
            raise RowError("source_count", f"{text[:20]!r} is not a whole number of sources")
        wanted = int(text)
        extra = [n for n in filled if n > wanted]
        if extra:
            column = f"source_{min(extra)}_*"
            raise RowError(column, f"holds a source beyond source_count ({wanted})")
    out = []
    for n in range(1, wanted + 1):
        group = groups.get(n, {})
        published = group.get("published", "").strip()
        out.append(
            {
                "publisher": group.get("publisher", ""),
                "url": group.get("url", ""),
                "published": published or None,
                "language": group.get("language", ""),
            }
        )
    return out


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or text in ("nan", "na", "null", "none"):
        return False
    raise RowError("machine_coded", f"{str(value)[:20]!r} is not true or false")


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_missing(value):
        return None
    return value


def _number(value):
    if isinstance(value, str):
        value = value.strip()
        return None if is_missing(value) else value
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_record(values: dict, *, from_text: bool) -> dict:
    """A raw record for :func:`~dashboard.schema.validate_record` from one row of a file."""
    row, cells = {}, {}
    for key, value in values.items():
        name = str(key).strip().lower()
        if name in _KNOWN and name not in row:
            row[name] = _unformula(value) if from_text else value
        elif (name == "source_count" or _SOURCE_COLUMN.match(name)) and name not in cells:
            cells[name] = _unformula(value) if from_text else value
    record = {k: v for k, v in row.items() if k not in ("actors", "related", "sources")}
    record["actors"] = [str(a) for a in _list(row.get("actors"), "actors")]
    record["related"] = [str(r) for r in _list(row.get("related"), "related")]
    record["sources"] = _source_columns(cells) or _sources(row.get("sources"))
    for column in ("event_date", "end_date"):
        record[column] = _date(row.get(column))
    for column in ("latitude", "longitude", "fatalities", "fatalities_low", "fatalities_high"):
        record[column] = _number(row.get(column))
    for column in ("event_id", "event_type", "date_precision", "geo_precision", "country"):
        value = row.get(column)
        record[column] = "" if is_missing(value) else str(value).strip()
    record["country"] = record["country"].upper() or None
    record["machine_coded"] = _bool(row.get("machine_coded"))
    verification = row.get("verification")
    record["verification"] = "unverified" if is_missing(verification) else str(verification)
    dataset = "" if is_missing(row.get("dataset")) else str(row.get("dataset")).strip()
    record["dataset"] = "user" if dataset in ("", "reference") else dataset
    for column in ("title", "title_ar", "summary", "notes", "origin_id", "geo_flag"):
        if is_missing(record.get(column)):
            record[column] = ""
    return record


def _row(number: int, values: dict, *, from_text: bool, checked: bool = False) -> Row:
    """One record; ``checked`` says its nesting was measured where it was parsed."""
    if not from_text and not checked and too_deep(values):
        return Row(number, None, Problem(number, "(record)", DEPTH_MESSAGE))
    return read_row(number, to_record, values, from_text=from_text)


def _csv_rows(records: CsvRecords) -> Iterator[Row]:
    names = None
    for number, fields in records:
        if isinstance(fields, Problem):
            yield Row(number, None, fields)
            continue
        if names is None:
            names = [h.strip().lower() for h in records.header]
            if "event_id" not in names:
                raise SourceError("no column event_id in the header: not a native records file")
        if len(fields) > len(names) and any(f.strip() for f in fields[len(names) :]):
            message = f"has {len(fields)} fields where the header has {len(names)}"
            yield Row(number, None, Problem(number, "(row)", message))
            continue
        yield _row(number, dict(zip(names, fields, strict=False)), from_text=True)


class Unreadable(NamedTuple):
    """A value of a JSON array that could not be decoded although the array goes on: its
    row gets this message and the next item is read."""

    message: str


#: Strings (whole), a quote that opens a string not yet complete, and brackets: enough to
#: find where a value ends without decoding it.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|"|[\[\]{}]')
_JSON_SCALAR = re.compile(r"[^,\]}\s]+")


class _JsonStream:
    """Values read one at a time from a large JSON text, so an array need not fit in memory."""

    def __init__(self, stream):
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> None:
        data = self.stream.read(1 << 16)
        if not data:
            self.eof = True
        self.buffer = self.buffer[self.pos :] + data
        self.pos = 0

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if self.eof:
                return ""
            self._fill()

    def expect(self, char: str, where: str) -> None:
        if self.peek() != char:
            got = self.peek() or "the end of the file"
            raise SourceError(f"malformed JSON {where}: expected {char!r}, found {got!r}")
        self.pos += 1

    def _value_end(self) -> int | None:
        """Where the value at ``pos`` ends, or None if the buffer does not hold all of it."""
        if self.buffer[self.pos] not in "[{":
            match = _JSON_SCALAR.match(self.buffer, self.pos)
            end = match.end() if match else self.pos + 1
            return end if end < len(self.buffer) or self.eof else None
        depth = 0
        for match in _JSON_TOKEN.finditer(self.buffer, self.pos):
            token = match[0]
            if token == '"':
                return None  # a string runs past the buffer
            if token in "[{":
                depth += 1
            elif token in "]}":
                depth -= 1
                if depth == 0:
                    return match.end()
        return None

    def _skip(self, where: str, message: str) -> Unreadable:
        """Step over a value the decoder gave up on (too deep, too long a number)."""
        while (end := self._value_end()) is None:
            if self.eof or len(self.buffer) - self.pos > MAX_JSON_RECORD:
                raise SourceError(f"malformed JSON {where}: {message}")
            self._fill()
        self.pos = end
        return Unreadable(message)

    def value(self, where: str, *, skip_bad: bool = False):
        """The next value; with ``skip_bad`` a value too deep or with too long a number
        comes back as :class:`Unreadable` and reading goes on after it."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                if not skip_bad:
                    raise SourceError(f"malformed JSON {where}: {DEPTH_MESSAGE}") from None
                return self._skip(where, DEPTH_MESSAGE)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise SourceError(f"malformed JSON {where}: {exc.msg}") from None
                if len(self.buffer) - self.pos > MAX_JSON_RECORD:
                    raise SourceError(
                        f"malformed JSON {where}: no complete value in "
                        f"{MAX_JSON_RECORD // (1 << 20)} MB"
                    ) from None
                self._fill()
                continue
            except ValueError:  # an integer of more than 4,300 digits
                if not skip_bad:
                    raise SourceError(f"malformed JSON {where}: {_LONG_NUMBER}") from None
                return self._skip(where, _LONG_NUMBER)
            if end == len(self.buffer) and not self.eof:
                self._fill()  # a number may continue in the next block
                continue
            self.pos = end
            return value

    def array(self, where: str) -> Iterator:
        self.expect("[", where)
        if self.peek() == "]":
            self.pos += 1
            return
        n = 0
        while True:
            n += 1
            yield self.value(f"{where}, item {n}", skip_bad=True)
            nxt = self.peek()
            self.pos += 1
            if nxt == "]":
                return
            if nxt != ",":
                raise SourceError(f"malformed JSON {where} after item {n}: found {nxt!r}")


def _json_rows(stream) -> Iterator[Row]:
    for number, item in enumerate(_JsonStream(stream).array("in the top-level array"), start=1):
        if isinstance(item, Unreadable):
            yield Row(number, None, Problem(number, "(record)", item.message))
            continue
        if not isinstance(item, dict):
            yield Row(number, None, Problem(number, "(record)", "not a JSON object"))
            continue
        yield _row(number, item, from_text=False)


def _jsonl_rows(stream) -> Iterator[Row]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = _loads(line, "(line)", "valid JSON")
        except RowError as exc:
            yield Row(number, None, Problem(number, "(line)", exc.message))
            continue
        if not isinstance(item, dict):
            yield Row(number, None, Problem(number, "(line)", "not a JSON object"))
            continue
        yield _row(number, item, from_text=False, checked=True)


def _kind(value) -> str:
    """A JSON value's kind in JSON's words, for a message."""
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number" if isinstance(value, int | float) else "a value")


def _feature_row(number: int, feature) -> Row:
    if isinstance(feature, Unreadable):
        return Row(number, None, Problem(number, "(feature)", feature.message))
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return Row(number, None, Problem(number, "(feature)", "not a GeoJSON Feature"))
    if too_deep(feature):
        return Row(number, None, Problem(number, "(feature)", DEPTH_MESSAGE))
    props = feature.get("properties")
    if props is not None and not isinstance(props, dict):
        message = f"must be an object of fields (or null), not {_kind(props)}"
        return Row(number, None, Problem(number, "properties", message))
    props = dict(props or {})
    geometry = feature.get("geometry")
    if geometry is not None:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind != "Point":
            shown = str(kind)[:40] if isinstance(geometry, dict) else _kind(geometry)
            message = f"only Point geometries can be imported, not {shown}"
            return Row(number, None, Problem(number, "geometry", message))
        coords = geometry.get("coordinates")
        if not isinstance(coords, list) or len(coords) < 2:
            message = (
                "a Point needs its coordinates as a list [longitude, latitude], "
                f"not {_kind(coords)}"
            )
            return Row(number, None, Problem(number, "geometry", message))
        if is_missing(props.get("latitude")) and is_missing(props.get("longitude")):
            props["longitude"], props["latitude"] = coords[0], coords[1]
    return _row(number, props, from_text=False)


def _geojson_rows(stream) -> Iterator[Row]:
    doc = _JsonStream(stream)
    doc.expect("{", "at the start of the GeoJSON")
    while True:
        key = doc.value("in the GeoJSON object")
        doc.expect(":", f"after {key!r}")
        if key == "features":
            for number, feature in enumerate(doc.array("in features"), start=1):
                yield _feature_row(number, feature)
        else:
            doc.value(f"in {key!r}")
        nxt = doc.peek()
        doc.pos += 1
        if nxt == "}":
            return
        if nxt != ",":
            raise SourceError(f"malformed GeoJSON after {key!r}: found {nxt!r}")


def _parquet_chunks(path: Path, detected: Detected, chunk_rows: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise SourceError(f"cannot read the Parquet file: {exc}") from exc
    total = max(1, table.metadata.num_rows)
    names = {n.strip().lower() for n in table.schema_arrow.names}
    if "event_id" not in names:
        raise SourceError("no column event_id in the Parquet file: not a native records file")
    done = 0
    for batch in table.iter_batches(batch_size=chunk_rows):
        chunk = Chunk(columns={})
        for values in _parquet_rows(batch):
            done += 1
            if isinstance(values, Unreadable):
                chunk.append(Row(done, None, Problem(done, "(row)", values.message)))
            else:
                chunk.append(_row(done, values, from_text=False))
        chunk.bytes_done = int(detected.size * done / total)
        yield chunk


def _parquet_rows(batch) -> list:
    """A batch's rows as dicts; a row Python cannot hold (a timestamp past the year 9999,
    say) is :class:`Unreadable` instead of failing the whole batch."""
    try:
        return batch.to_pylist()
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        rows = []
        for i in range(batch.num_rows):
            try:
                rows.append(batch.slice(i, 1).to_pylist()[0])
            except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
                rows.append(Unreadable(unexpected(exc)))
        return rows


def _xlsx_cell(value):
    """Workbook cells keep their types; a date typed into a cell arrives as a datetime."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _xlsx_chunks(path: Path, detected: Detected, chunk_rows: int) -> Iterator[Chunk]:
    """The first sheet, streamed (read-only mode holds one row at a time); cached values
    of formulas, never the formulas themselves, and a text cell's leading apostrophe
    undone as in a CSV."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SourceError(f"cannot read the Excel workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        names = [str(h).strip().lower() if h is not None else "" for h in header or ()]
        if "event_id" not in names:
            raise SourceError(
                f"no column event_id in the first row of sheet {sheet.title!r}: "
                "not a native records file"
            )
        total = max(1, (sheet.max_row or 2) - 1)

        done = [0]

        def records() -> Iterator[Row]:
            for number, cells in enumerate(rows, start=2):
                done[0] = number - 1
                if cells is None or all(c is None or c == "" for c in cells):
                    continue
                values = {
                    name: _unformula(_xlsx_cell(cell))
                    for name, cell in zip(names, cells, strict=False)
                    if name
                }
                yield _row(number, values, from_text=False)

        def position() -> int:
            return int(detected.size * min(1.0, done[0] / total))

        yield from chunked(records(), chunk_rows, position, {})
    finally:
        book.close()


def read(
    path: Path, detected: Detected | None = None, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[Chunk]:
    path = Path(path)
    detected = detected or detect(path, "native")
    if detected.container == "parquet":
        yield from _parquet_chunks(path, detected, chunk_rows)
        return
    if detected.container == "xlsx":
        yield from _xlsx_chunks(path, detected, chunk_rows)
        return
    if detected.container == "csv":
        records = CsvRecords(path, detected)
        yield from chunked(_csv_rows(records), chunk_rows, records.position, {})
        return
    stream, counter = open_text(path, detected)
    rows = {"json": _json_rows, "jsonl": _jsonl_rows, "geojson": _geojson_rows}[detected.container]
    try:
        yield from chunked(rows(stream), chunk_rows, lambda: counter.count, {})
    except UnicodeDecodeError as exc:
        raise decode_failure(path, detected, counter.count) from exc
    finally:
        stream.close()
