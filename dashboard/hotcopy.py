"""The in-memory copy of the store that the dashboard's pages query.

The file stays free for writers (an import in a terminal, an editor in another tab):
pages read a copy of the columns every rerun needs, made once per version of the file
and shared by every browser session, each of which takes its own cursor of it. Which
engine answers is chosen when the copy is loaded and never changes afterwards: the
frame engine's columns are made before :func:`load` returns, so the first page after a
cold start is answered by the same engine as every later one.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from pathlib import Path

import duckdb

from .engines import EMBEDDED
from .engines.frame import FilterFrame, FrameEngine
from .engines.sql import SqlEngine
from .memory import give_back_memory
from .schema import LIST_COLUMNS
from .store import _IN_PROCESS, StoreBusy, StoreError, _file_version, _patience, store_version

#: What the interactive path reads on every rerun: the filter, sort, count, map and list
#: columns. The long texts a page shows for one event (summary, evidence, notes) and the
#: provenance columns stay in the file and are read by id
#: (:class:`dashboard.engines.records.Records`). So does the folded search text, which
#: would be most of the copy's size: the frame engine reads the store's word index of it
#: instead (:mod:`dashboard.wordstore`), and the SQL engine matches a term in the file.
#: The copy adds ``file_row``, each row's rowid in the file, which a match there names.
#: ``admin1`` and ``sub_type`` are there for the place and sub-type filters.
HOT_COLUMNS = (
    *LIST_COLUMNS,
    "dataset",
    "batch_id",
    "actors_norm",
    "added_in",
    "admin1",
    "sub_type",
)


#: How many copies :func:`load` has made in this process: what a test watches to see a
#: copy reused (a saved view) or remade (an import).
BUILDS = 0
#: The last (file token, freshness) read per path: a rerun whose file is untouched by any
#: writer costs one ``stat``, not a visit to the file.
_SEEN: dict[str, tuple[tuple, tuple]] = {}
_SEEN_LOCK = threading.Lock()


def freshness(path: Path) -> tuple:
    """What the copy is kept for: the file's identity (device, inode) and its data version.

    The file's modification time changes with writes that leave every event as it was
    (saving, renaming or watching a view, marking a watched view seen); the data version
    changes only with writes to events (:func:`dashboard.store.bump_version`). Keyed by
    the version, a saved view does not make every session's next run copy a million rows
    again; a file replaced by another one (a restore from a backup) has a new inode and is
    copied even if it carries the same version number.
    """
    path = Path(path)
    token = store_version(path)
    with _SEEN_LOCK:
        seen = _SEEN.get(str(path))
    if seen is not None and seen[0] == token:
        return seen[1]
    stat = path.stat()
    from .store import connect

    with connect(path, read_only=True) as con:
        fresh = (stat.st_dev, stat.st_ino, _file_version(con))
    with _SEEN_LOCK:
        _SEEN[str(path)] = (token, fresh)
    return fresh


def load(path: Path, *, engine: str = "frame", retries: int = 20, prepare: bool = True):
    """An in-memory copy of the columns every rerun reads (:data:`HOT_COLUMNS`).

    The copy is made inside DuckDB (the file attached read-only for the copy's duration,
    then detached), with no Python or Arrow round trip; rows keep the file's order.
    ``_store`` names the file and its version, for the full records and text matches.
    ``prepare=False`` (a one-shot command): nothing is compressed or held afterwards.
    """
    global BUILDS
    if engine not in EMBEDDED:
        raise ValueError(f"the hot copy has no engine {engine!r} (one of {', '.join(EMBEDDED)})")
    path = Path(path)
    mem = duckdb.connect(":memory:")
    # A compressed in-memory database: a quarter of the memory, at the same scan speed.
    mem.execute("ATTACH ':memory:' AS hot (COMPRESS)")
    mem.execute("USE hot")
    busy = f"the store {path} is being written by another process; try again when it finishes"
    if not _IN_PROCESS.acquire(timeout=max(_patience(retries), 0.01)):
        raise StoreBusy(busy)
    try:
        for attempt in range(retries):
            try:
                mem.execute("ATTACH ? AS src (READ_ONLY)", [str(path)])
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"cannot open the store {path}: {exc}") from exc
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        else:
            raise StoreBusy(busy)
        try:
            mem.execute(
                f"CREATE TABLE events AS SELECT rowid AS file_row, {', '.join(HOT_COLUMNS)} "
                "FROM src.events"
            )
            version = _file_version(mem, "src")
        finally:
            mem.execute("DETACH src")
    finally:
        _IN_PROCESS.release()
    mem.execute(
        "CREATE TABLE _store AS SELECT ?::VARCHAR AS path, ?::VARCHAR AS version",
        [str(path), version],
    )
    BUILDS += 1
    return HotCopy(mem, engine=engine, prepare=prepare)


#: Patched copies of earlier versions kept beside one hot copy (each is a copy of it).
AS_OF_KEPT = 2

#: Threads preparing a hot copy. A process that exits while one is inside DuckDB or
#: Polars is aborted by the C++ runtime, so exiting waits for them (a few seconds at most).
_PREPARING: set[threading.Thread] = set()
_PREPARING_LOCK = threading.Lock()


@atexit.register
def _finish_preparing() -> None:
    with _PREPARING_LOCK:
        running = list(_PREPARING)
    for thread in running:
        thread.join(timeout=60)


class HotCopy:
    """The hot copy's connection and, for the frame engine, its filter frame.

    DuckDB gives each cursor the default catalog, not the connection's ``USE``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, *, engine: str, prepare: bool = True):
        self._con = con
        self.kind = engine
        #: Versions a link asked for: their patches, and the patched copies of those with
        #: events edited or deleted since (catalog name, filter frame), oldest first.
        self._patches: dict[int, object] = {}
        self._as_of: dict[int, tuple[str, FilterFrame | None]] = {}
        self._as_of_lock = threading.Lock()
        con.execute("SET allocator_background_threads = true")
        #: Read while the columns are still plain (before compression), which is faster.
        self.frame = FilterFrame(self.cursor(), keep=True) if engine == "frame" else None
        #: Set once the rows are compressed. They are compressed when checkpointed, not
        #: as they are inserted; that runs beside the first queries (DuckDB lets them read
        #: meanwhile), and the allocator's background threads hand the uncompressed pages
        #: back to the system, where they would otherwise stay.
        self.compressed = threading.Event()
        #: Set when all of it is done: the frame has read the word index.
        self.ready = threading.Event()
        if not prepare:
            self.compressed.set()
            self.ready.set()
            return
        thread = threading.Thread(target=self._prepare, name="hot-copy-prepare", daemon=True)
        with _PREPARING_LOCK:
            _PREPARING.add(thread)
        thread.start()

    def _prepare(self) -> None:
        """Compression, then the frame's text: in that order the memory the uncompressed
        copy held is reused (text first pinned the uncompressed pages)."""
        try:
            self._con.cursor().execute("CHECKPOINT hot")
        except duckdb.Error:  # still correct, only larger: never worth failing a page
            pass
        finally:
            self.compressed.set()
        try:
            if self.frame is not None:
                self._step(self.frame.hold_text, "search text not held: matched in the file")
                # Kept after the text: ``ready`` waits for it, the first pages do not.
                self._step(self.frame.keep, "filter frame not kept: built at the next start")
            self._step(give_back_memory, "freed memory not handed back to the system")
        finally:
            self.ready.set()
            with _PREPARING_LOCK:
                _PREPARING.discard(threading.current_thread())

    @staticmethod
    def _step(step, failed: str) -> None:
        """A preparation step that is never worth failing a page: logged if it fails."""
        try:
            step()
        except Exception:  # noqa: BLE001
            logging.getLogger(__name__).exception(failed)

    def engine(self):
        """A fresh engine of the configured kind for one session run (its own cursor)."""
        if self.frame is not None:
            return FrameEngine(self.frame, self.cursor())
        return SqlEngine(self.cursor())

    def cursor(self, catalog: str = "hot") -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute(f"USE {catalog}")
        return cursor

    # --- the data as it stood at an earlier version (dashboard.asof) -------------------

    def patch(self, version: int):
        """What differs between this copy's rows and those of ``version`` (read once)."""
        from .versions import Patch, patch_at

        path, current = self.cursor().execute("SELECT path, version FROM _store").fetchone()
        if version >= int(current or 0):
            return Patch(version)
        with self._as_of_lock:
            if version not in self._patches:
                self._patches[version] = patch_at(Path(path), version)
                while len(self._patches) > AS_OF_KEPT * 4:
                    self._patches.pop(next(iter(self._patches)))
            return self._patches[version]

    def engine_at(self, version: int | None):
        """An engine over the rows as they were at ``version``, or None when this copy's
        own rows are those (nothing edited or deleted since: the filter leaves out what
        was added). The patched copy is made once per version and shared."""
        if version is None:
            return None
        patch = self.patch(version)
        if patch.empty:
            return None
        from . import asof

        with self._as_of_lock:
            if version not in self._as_of:
                name = f"asof_{int(version)}"
                asof.attach(self._con, name, patch, HOT_COLUMNS)
                frame = FilterFrame(self.cursor(name)) if self.kind == "frame" else None
                self._as_of[version] = (name, frame)
                while len(self._as_of) > AS_OF_KEPT:
                    old, _ = self._as_of.pop(next(iter(self._as_of)))
                    self._con.cursor().execute(f"DETACH {old}")
            name, frame = self._as_of[version]
        if frame is not None:
            return FrameEngine(frame, self.cursor(name))
        return SqlEngine(self.cursor(name))
