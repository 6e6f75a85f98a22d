"""The scratch files of imports and uploads next to the store, and their cleanup.

An import stages its accepted rows, and the Import page saves an upload, under names of our
own in one folder beside the store (never the repository), so files left by a killed
process can be found and removed without touching anything else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
import time
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

STAGING_DIR = ".import-staging"


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


def staging_dir(store_path: Path) -> Path:
    """Scratch space next to the store (never the repository): staging files and uploads."""
    folder = Path(store_path).parent / STAGING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    clean_staging(store_path)
    return folder


def save_upload(store_path: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file next to the store under a name of our own; the caller deletes it."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-80:] or "upload"
    target = staging_dir(store_path) / f"upload-{_owner()}-{secrets.token_hex(8)}-{safe}"
    target.write_bytes(data)
    return target


#: The staged postings' columns: a token, the first file row of the batch it was cut from,
#: and the batch's file rows holding it.
WORDS_SCHEMA = pa.schema(
    [("token", pa.string()), ("part", pa.int64()), ("docs", pa.list_(pa.int32()))]
)


def words_of(staged: Path) -> Path:
    """The staged postings beside the staged rows ``staged``."""
    return staged.with_name(staged.name + ".words")


class StagedRows:
    """An import's accepted rows, in a Parquet file beside the store, and their postings
    for the word index (:func:`dashboard.wordstore.postings`, by file row) in a second
    one, ``<file>.words``: the write phase then stores both without cutting any text."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = Path(path)
        self.words = words_of(self.path)
        self._rows = pq.ParquetWriter(self.path, schema, compression="lz4")
        self._words = pq.ParquetWriter(self.words, WORDS_SCHEMA, compression="lz4")

    def write(self, table: pa.Table, words: pa.Table | None = None) -> None:
        """Stage ``table`` (stored columns, ``_row`` after them) and its postings
        (:meth:`postings_of`, cut here unless given)."""
        if not table.num_rows:
            return
        self._rows.write_table(table)
        self._words.write_table(self.postings_of(table) if words is None else words)

    @staticmethod
    def postings_of(table: pa.Table) -> pa.Table:
        """The staged postings of ``table``'s rows: cut on a batch's own thread, which
        shares the work between the cores."""
        import polars as pl

        from .wordstore import postings

        rows = pl.from_arrow(table.select(["_row", "search_text"]))
        cut = postings(rows, "_row")
        part = pa.array([int(rows["_row"][0])] * cut.num_rows, type=pa.int64())
        return pa.table([cut["token"].cast(pa.string()), part, cut["docs"]], schema=WORDS_SCHEMA)

    def close(self) -> None:
        self._rows.close()
        self._words.close()
