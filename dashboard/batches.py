"""Imported batches: their ids, the list of them, and taking one back out of the store.

Every import is one batch, so a wrong file can be removed as a whole; shipped records
carry no batch and are never touched here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from . import store


def new_batch_id(sha: str) -> str:
    return f"{datetime.now(UTC):%Y%m%d%H%M%S}-{sha[:8]}"


def has_table(con, name: str, schema: str = "main", catalog: str | None = None) -> bool:
    query = "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = ?"
    params = [name, schema]
    if catalog:
        query += " AND database_name = ?"
        params.append(catalog)
    return con.execute(query, params).fetchone()[0] > 0


def list_batches(store_path: Path | None = None) -> list[dict]:
    """Imported batches, oldest first, with how many of their events are still stored."""
    store_path = Path(store_path or store.default_store_path())
    if not store_path.exists():
        return []
    with store.connect(store_path, read_only=True) as con:
        if not has_table(con, "batches"):
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
