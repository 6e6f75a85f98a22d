"""The filter frame kept beside the store between starts (``<store>.frame``).

Building the frame reads a million rows of the copy and turns seven text columns into
categories: about a second of every cold start at 1M events. The store does not change
between most starts, so the frame made at one start is kept as an Arrow file, and the
next start of the same file and data version maps it back instead (README, performance).
The file is written to a temporary name and renamed, so a reader finds the old file or
the whole new one; a file of another store, version or layout, or one cut short, is not
used, and the frame is built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc


def layout(*parts: object) -> str:
    """A tag of what the frame is made of (its query and column kinds): a kept frame of
    another layout, written by another release, is not read."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def key_of(path: Path, version: str, rows: int, tag: str) -> dict | None:
    """What a kept frame must have been made of: this file (device, inode), its data
    version, its number of rows and the layout; None when the file is gone."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return {
        "file": [stat.st_dev, stat.st_ino],
        "version": str(version),
        "rows": rows,
        "layout": tag,
    }


def save(frame: pl.DataFrame, path: Path, key: dict) -> None:
    """Keep ``frame`` at ``path`` for the next start of the same ``key``."""
    table = frame.to_arrow().unify_dictionaries().combine_chunks()
    table = table.replace_schema_metadata({b"key": json.dumps(key).encode()})
    path = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.close(handle)
        with pa.OSFile(tmp, "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(path: Path, key: dict) -> pl.DataFrame | None:
    """The frame :func:`save` kept at ``path`` for this ``key``, or None (no file, another
    key, or a file that cannot be read whole)."""
    try:
        # Read into memory, not mapped: a file cut short later cannot fault a page.
        with pa.OSFile(str(path), "rb") as source:
            reader = ipc.open_file(source)
            meta = reader.schema.metadata or {}
            if json.loads(meta.get(b"key", b"null")) != key:
                return None
            table = reader.read_all()
    except (OSError, ValueError, pa.ArrowException):
        return None
    frame = pl.from_arrow(table)
    return frame if frame.height == key["rows"] else None
