"""What a test compares to say "the store is untouched": shared by the upload-limit tests."""

from __future__ import annotations

from pathlib import Path

from dashboard import importer, store


def snapshot(path: Path):
    """What must not change: row count, version, batches, and the file itself."""
    with store.connect(path, read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
        version = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        batches = con.execute("SELECT * FROM batches ORDER BY batch_id").fetchall()
    return rows, version, batches, store.store_version(path)


def staged(store_path: Path) -> list[str]:
    """Files left in the import's staging folder (there should be none)."""
    staging = store_path.parent / importer.STAGING_DIR
    return sorted(p.name for p in staging.iterdir()) if staging.exists() else []
