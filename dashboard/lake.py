"""The Parquet dataset (the "lake") a distributed engine reads, and how it is written.

Layout of a lake directory::

    manifest.json                          what the lake holds; its hash is the snapshot id
    events/year=YYYY/part-<batch>-N.parquet every stored column, derived ones included
    history/history-<batch>.parquet        an exported store's events as they were
    .staging/<batch>/                      a batch being written (never read)

The files hold exactly the store's rows (:data:`dashboard.store.STORED_COLUMNS`: the
span, the folded actors and the folded search text precomputed), zstd-compressed,
partitioned by the year of ``event_date`` (which is the year of ``span_start``) and
sorted by date inside each file, so a date filter skips whole years and row groups.

Readers read only the files the manifest lists. A batch is written into ``.staging``,
moved into ``events/`` and becomes visible when the manifest is replaced, which is one
atomic rename: a batch is in the lake whole or not at all, and a writer killed half-way
leaves files no reader sees (the next writer removes them). Source files are recorded by
content hash, so ingesting the same file again adds nothing. Rows are read, validated and
place-checked by the importer's own readers (:mod:`dashboard.importer`), with the same
per-row problem report as an import into the store.

The lake is written here on a local (or mounted) file system; a cluster reads the same
directory from wherever it is shared (HDFS, an object store, NFS).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from . import importer, store
from .lake_history import HISTORY_DIR, write_history
from .schema import Problem
from .sources import SourceError
from .sources.detect import detect

MANIFEST = "manifest.json"
EVENTS_DIR = "events"
STAGING_DIR = ".staging"
FORMAT_VERSION = 1
#: Rows per Parquet row group: small enough that a date filter skips most of a file.
ROW_GROUP_ROWS = 122_880


class LakeError(RuntimeError):
    """Nothing was written (unreadable file, busy lake, bad manifest); the lake is as it was."""


@dataclass
class FileReport:
    """One source file of a batch: what was read, kept and refused, and why."""

    name: str
    sha256: str
    format: str = ""
    rows_read: int = 0
    accepted: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    #: True when a file with this content was ingested before: nothing read again.
    already: bool = False
    #: The file's own name for the id column, used in duplicate problems.
    id_column: str = "event_id"

    @property
    def rejected(self) -> int:
        return self.rows_read - self.accepted


@dataclass
class BatchResult:
    batch_id: str | None
    files: list[FileReport]
    rows: int = 0
    snapshot: str = ""
    committed: bool = False
    cancelled: bool = False

    @property
    def problems_total(self) -> int:
        return sum(f.problems_total for f in self.files)

    def summary(self) -> str:
        new = [f for f in self.files if not f.already]
        if self.cancelled:
            return f"cancelled: {self.problems_total} problem(s); nothing was written"
        text = f"{self.rows:,} events from {len(new)} file(s) added to the lake"
        if self.problems_total:
            text += f"; {self.problems_total:,} row(s) rejected"
        if len(new) < len(self.files):
            text += f"; {len(self.files) - len(new)} file(s) already ingested, skipped"
        if self.batch_id:
            text += f"; batch {self.batch_id}"
        return text + f"; snapshot {self.snapshot}"


# --------------------------------------------------------------------------- the manifest


def empty_manifest() -> dict:
    return {"format": FORMAT_VERSION, "batches": [], "max_span_days": 0}


def read_manifest(lake: Path) -> dict:
    """The manifest of ``lake``; an empty one where none was written yet."""
    path = Path(lake) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty_manifest()
    except (OSError, ValueError) as exc:
        raise LakeError(f"cannot read {path}: {exc}") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise LakeError(f"{path}: unknown lake format {manifest.get('format')!r}")
    return manifest


def snapshot_of(manifest: dict) -> str:
    """The data version: a hash of the files the manifest lists (empty lake: "empty")."""
    parts = sorted(p for b in manifest["batches"] for p in b["parts"])
    # The history an export wrote is part of the data a pinned link reads.
    parts += [p for p in [history_path(manifest)] if p]
    if not parts:
        return "empty"
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def snapshot(lake: Path) -> str:
    return snapshot_of(read_manifest(lake))


def part_paths(lake: Path, manifest: dict | None = None) -> list[str]:
    """Every data file the lake holds now, as paths a reader can open."""
    manifest = read_manifest(lake) if manifest is None else manifest
    return [str(Path(lake) / p) for b in manifest["batches"] for p in b["parts"]]


def history_path(manifest: dict) -> str | None:
    """The lake-relative path of the history file, or None (nothing to patch, or no history)."""
    return (manifest.get("history") or {}).get("path")


def _write_manifest(lake: Path, manifest: dict) -> None:
    """Replace the manifest in one rename: readers see the old lake or the new one."""
    tmp = Path(lake) / f".{MANIFEST}.{secrets.token_hex(4)}"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, Path(lake) / MANIFEST)


@contextlib.contextmanager
def _writer(lake: Path):
    """One writer at a time; orphans of an interrupted writer are removed first."""
    lake = Path(lake)
    lake.mkdir(parents=True, exist_ok=True)
    with open(lake / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LakeError(f"another process is writing the lake {lake}") from exc
        shutil.rmtree(lake / STAGING_DIR, ignore_errors=True)
        manifest = read_manifest(lake)
        _remove_unlisted(lake, manifest)
        yield manifest


def _remove_unlisted(lake: Path, manifest: dict) -> None:
    listed = {p for b in manifest["batches"] for p in b["parts"]}
    listed.add(history_path(manifest))
    for folder in (lake / EVENTS_DIR, lake / HISTORY_DIR):
        if not folder.exists():
            continue
        for path in folder.rglob("*.parquet"):
            if str(path.relative_to(lake)) not in listed:
                path.unlink()


def _batch_id(seed: str) -> str:
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}-{seed[:8]}-{secrets.token_hex(2)}"


# --------------------------------------------------------------------------- writing


def _copy_parts(con, select_sql: str, out: Path, batch_id: str, *, own_batch: bool) -> int:
    """Write the rows ``select_sql`` gives (stored columns) as year partitions under ``out``.

    ``own_batch``: the rows' ``batch_id`` becomes this batch's (ingested files); else the
    store's is kept, so an import's ``batch=`` link selects the same rows on either engine.
    """
    params = [batch_id] if own_batch else []
    columns = ", ".join(
        "CAST(? AS VARCHAR) AS batch_id" if c == "batch_id" and own_batch else c
        for c in store.STORED_COLUMNS
    )
    # The store's data version that added each row, so a link pinned to a version (v=)
    # leaves out the same rows on either engine; files ingested straight into the lake
    # were never in a store version (empty: counted as there from the start).
    columns += ", CAST(NULL AS BIGINT) AS added_in" if own_batch else ", added_in"
    rows = con.execute(f"SELECT count(*) FROM ({select_sql})").fetchone()[0]
    if not rows:
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"COPY (SELECT {columns}, year(event_date) AS year FROM ({select_sql}) "
        "ORDER BY event_date, event_id) "
        f"TO '{_sql_path(out)}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year), "
        f"ROW_GROUP_SIZE {ROW_GROUP_ROWS}, FILENAME_PATTERN 'part-{batch_id}-{{i}}')",
        params,
    )
    return rows


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _publish(
    lake: Path,
    out: Path,
    manifest: dict,
    batch: dict,
    *,
    replace: bool,
    history: dict | None = None,
) -> dict:
    """Move a written batch into ``events/`` (and an export's history into ``history/``)
    and list it in a new manifest."""
    parts = []
    if history is not None and history.get("path"):
        staged = out / Path(history["path"]).name
        (lake / HISTORY_DIR).mkdir(parents=True, exist_ok=True)
        os.replace(staged, lake / history["path"])
    for path in sorted(out.rglob("*.parquet")):
        rel = Path(EVENTS_DIR) / path.relative_to(out)
        (lake / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, lake / rel)
        parts.append(str(rel))
    batch["parts"] = parts
    new = empty_manifest() if replace else dict(manifest)
    new["batches"] = [*([] if replace else manifest["batches"]), batch]
    new["max_span_days"] = max(
        batch.get("max_span_days", 0), 0 if replace else manifest.get("max_span_days", 0)
    )
    if history is not None:
        new["history"] = history
    _write_manifest(lake, new)
    return new


def _max_span_days(con, select_sql: str) -> int:
    row = con.execute(f"SELECT max(span_end - span_start) FROM ({select_sql})").fetchone()
    return int(row[0] or 0)


def export_store(store_path: Path, lake: Path) -> BatchResult:
    """Make the lake hold exactly the store's events (one batch replacing what was there).

    Idempotent: a store file whose content was exported last already is not written again.
    """
    store_path = Path(store.ensure_store(store_path))
    lake = Path(lake)
    sha = importer._sha256(store_path)
    report = FileReport(store_path.name, sha, format="store")
    with _writer(lake) as manifest:
        batches = manifest["batches"]
        if len(batches) == 1 and [f["sha256"] for f in batches[0]["files"]] == [sha]:
            report.already = True
            return BatchResult(None, [report], snapshot=snapshot_of(manifest), committed=True)
        batch_id = _batch_id(sha)
        out = lake / STAGING_DIR / batch_id
        with store.connect(store_path, read_only=True) as con:
            con.execute("SET enable_progress_bar = false")
            cols = ", ".join(store.STORED_COLUMNS)
            select = f"SELECT {cols}, added_in FROM events"
            rows = _copy_parts(con, select, out, batch_id, own_batch=False)
            span = _max_span_days(con, select)
        history = write_history(store_path, out, batch_id)
        report.rows_read = report.accepted = rows
        batch = _batch_entry(batch_id, "export", [report], rows, span)
        new = _publish(lake, out, manifest, batch, replace=True, history=history)
        _remove_unlisted(lake, new)
        shutil.rmtree(lake / STAGING_DIR, ignore_errors=True)
        return BatchResult(batch_id, [report], rows, snapshot_of(new), committed=True)


def _batch_entry(batch_id: str, kind: str, reports: list[FileReport], rows: int, span: int):
    return {
        "batch_id": batch_id,
        "kind": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "max_span_days": span,
        "files": [
            {
                "name": r.name,
                "sha256": r.sha256,
                "format": r.format,
                "rows_read": r.rows_read,
                "accepted": r.accepted,
                "rejected": r.rejected,
            }
            for r in reports
        ],
        "parts": [],
    }


def ingest(
    files: list[Path],
    lake: Path,
    *,
    fmt: str = "auto",
    on_problem: str = "skip",
    max_problems: int = importer.MAX_PROBLEMS,
    progress=None,
) -> BatchResult:
    """Add many source files to the lake as one batch: all of it, or nothing.

    Each file is read by the importer's reader for its format (validated, places
    checked); a row with a problem is reported (file, row, column, reason) and skipped,
    or with ``on_problem="cancel"`` the whole batch is dropped. An id already in the lake,
    or earlier in the batch, is refused as in an import. A file that cannot be read at all
    stops the batch: nothing is written. Files ingested before (same content) are skipped.
    """
    if on_problem not in importer.POLICIES:
        raise LakeError(f"unknown policy {on_problem!r}; one of {', '.join(importer.POLICIES)}")
    lake = Path(lake)
    with _writer(lake) as manifest:
        seen = {f["sha256"] for b in manifest["batches"] for f in b["files"]}
        batch_id = None
        reports: list[FileReport] = []
        staged: list[tuple[int, Path]] = []
        staging = lake / STAGING_DIR / f"read-{secrets.token_hex(4)}"
        staging.mkdir(parents=True)
        try:
            for index, path in enumerate(map(Path, files)):
                report = _read_file(path, fmt, index, staging, seen, max_problems, progress)
                reports.append(report)
                if not report.already:
                    seen.add(report.sha256)
                    staged.append((index, staging / f"{index}.parquet"))
            result = BatchResult(None, reports, snapshot=snapshot_of(manifest))
            if not staged:
                result.committed = True
                return result
            batch_id = _batch_id(reports[staged[0][0]].sha256)
            out = lake / STAGING_DIR / batch_id
            with duckdb.connect(":memory:") as con:
                con.execute("SET enable_progress_bar = false")
                con.execute("SET preserve_insertion_order = false")
                select = _refuse_duplicates(con, lake, manifest, staged, reports, max_problems)
                if on_problem == "cancel" and result.problems_total:
                    result.cancelled = True
                    for r in reports:
                        r.accepted = 0
                    return result
                rows = _copy_parts(con, select, out, batch_id, own_batch=True)
                span = _max_span_days(con, select)
            if not rows:
                result.committed = True
                return result
            batch = _batch_entry(
                batch_id, "ingest", [r for r in reports if not r.already], rows, span
            )
            new = _publish(lake, out, manifest, batch, replace=False)
            result.batch_id, result.rows = batch_id, rows
            result.snapshot, result.committed = snapshot_of(new), True
            return result
        finally:
            shutil.rmtree(lake / STAGING_DIR, ignore_errors=True)


def _read_file(path, fmt, index, staging, seen, max_problems, progress) -> FileReport:
    """Read and validate one source file into ``staging/<index>.parquet``."""
    try:
        sha = importer._sha256(path)
    except OSError as exc:
        raise LakeError(f"cannot read {path}: {exc.strerror or exc}; nothing was written") from exc
    report = FileReport(path.name, sha)
    if sha in seen:
        report.already = True
        return report
    try:
        detected = detect(path, fmt)
        result = importer.ImportResult(
            batch_id=None,
            format=detected.format,
            layout=detected.layout,
            encoding=detected.encoding,
            file_name=path.name,
            content_sha256=sha,
        )
        problems = importer._read_phase(
            path,
            detected,
            staging / f"{index}.parquet",
            result,
            progress,
            importer.MAX_ROWS,
            max_problems,
            importer.CHUNK_ROWS,
        )
    except (SourceError, importer.ImportFailed) as exc:
        raise LakeError(f"{path.name}: {exc}; nothing was written") from exc
    except OSError as exc:
        raise LakeError(
            f"cannot read {path.name}: {exc.strerror or exc}; nothing was written"
        ) from exc
    if result.rows_read == 0:
        raise LakeError(f"{path.name} holds no records (a header at most); nothing was written")
    report.format = f"{result.format}: {result.layout}"
    report.rows_read = result.rows_read
    report.problems = problems.kept
    report.problems_total = problems.total
    report.accepted = result.rows_read - problems.total
    report.id_column = result.id_column
    return report


def _refuse_duplicates(con, lake, manifest, staged, reports, max_problems) -> str:
    """Report ids already in the lake or earlier in the batch; the SQL of the rows kept."""
    con.execute(
        "CREATE TEMP TABLE incoming AS SELECT *, "
        "regexp_extract(filename, '(\\d+)\\.parquet$', 1)::INTEGER AS _file "
        "FROM read_parquet(?, filename = true)",
        [[str(p) for _, p in staged]],
    )
    parts = part_paths(lake, manifest)
    if parts:
        con.execute(
            "CREATE TEMP TABLE stored AS SELECT event_id, batch_id FROM read_parquet(?)", [parts]
        )
    else:
        con.execute("CREATE TEMP TABLE stored (event_id VARCHAR, batch_id VARCHAR)")
    con.execute(
        "CREATE TEMP TABLE dups AS WITH s AS ("
        "  SELECT _file, _row, event_id, "
        "  row_number() OVER (PARTITION BY event_id ORDER BY _file, _row) AS k, "
        "  first(_file ORDER BY _file, _row) OVER (PARTITION BY event_id) AS first_file, "
        "  first(_row ORDER BY _file, _row) OVER (PARTITION BY event_id) AS first_row "
        "  FROM incoming) "
        "SELECT s._file, s._row, s.event_id, t.event_id IS NOT NULL AS in_lake, "
        "s.first_file, s.first_row, t.batch_id "
        "FROM s LEFT JOIN stored t USING (event_id) "
        "WHERE s.k > 1 OR t.event_id IS NOT NULL"
    )
    by_index = {i: reports[i] for i, _ in staged}
    for file_index, row, event_id, in_lake, first_file, first_row, batch in con.execute(
        "SELECT * FROM dups ORDER BY _file, _row"
    ).fetchall():
        report = by_index[file_index]
        if in_lake:
            where = f"batch {batch}" if batch else "exported from a store"
            message = f"duplicate id {event_id!r} already in the lake ({where})"
        elif first_file == file_index:
            message = f"duplicate id {event_id!r}: already in this file at row {first_row}"
        else:
            earlier = by_index[first_file].name
            message = f"duplicate id {event_id!r}: already in {earlier} at row {first_row}"
        report.problems_total += 1
        report.accepted -= 1
        if len(report.problems) < max_problems:
            report.problems.append(Problem(row, report.id_column, message))
    for report in reports:
        report.problems.sort(key=lambda p: (p.row, p.column))
    return "SELECT i.* FROM incoming i ANTI JOIN dups d USING (_file, _row)"
