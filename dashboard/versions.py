"""Data versions: what changed in the store since a link was made.

Every write advances the store's version (:func:`dashboard.store.bump_version`) and
records what it added, edited and removed. A link carries the version it was made on
(``v=``); rows added since are left out by the filter model (``Filters.as_of``). Edits and
removals cannot be undone by a filter, so the page says exactly how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import store


@dataclass(frozen=True)
class Since:
    """What changed between version ``since`` and ``now``. ``known`` is False when the
    store recorded versions only after ``since`` (a store upgraded from layout 4)."""

    since: int
    now: int
    added: int = 0
    edited: int = 0
    removed: int = 0
    known: bool = True

    @property
    def changed(self) -> bool:
        return self.now > self.since


def current(path: Path) -> int:
    """The store's data version now."""
    with store.connect(path, read_only=True) as con:
        return int(store._meta(con, "version") or 0)


def since(path: Path, version: int) -> Since:
    """Counts of the changes after ``version`` (events added, edited, removed)."""
    with store.connect(path, read_only=True) as con:
        now = int(store._meta(con, "version") or 0)
        try:
            first, added, edited, removed = con.execute(
                "SELECT min(version), COALESCE(sum(added), 0), COALESCE(sum(edited), 0), "
                "COALESCE(sum(removed), 0) FROM versions WHERE version > ?",
                [version],
            ).fetchone()
            recorded = con.execute("SELECT min(version) FROM versions").fetchone()[0]
        except duckdb.CatalogException:  # a read-only store of an earlier layout
            return Since(version, now, known=False)
    known = recorded is not None and (version >= recorded - 1 or first is None)
    return Since(version, now, int(added), int(edited), int(removed), known)


def changed_events(path: Path, version: int, limit: int = 200) -> list[tuple[str, str]]:
    """(event id, 'added' or 'edited') of the events still stored that were added or
    edited after ``version``, newest first: what a watchlist lists."""
    with store.connect(path, read_only=True) as con:
        last = con.execute(
            "SELECT last_change FROM versions WHERE version <= ? ORDER BY version DESC LIMIT 1",
            [version],
        ).fetchone()
        rows = con.execute(
            "SELECT event_id, 'added' AS how, added_in AS v FROM events WHERE added_in > ? "
            "UNION ALL SELECT a.event_id, 'edited', NULL FROM audit a "
            "JOIN events e USING (event_id) WHERE a.change_id > ? "
            "AND a.action IN ('update', 'undo update') AND e.added_in <= ? "
            "ORDER BY v DESC NULLS LAST, event_id LIMIT ?",
            [version, last[0] if last else 0, version, limit * 4],
        ).fetchall()
    seen: dict[str, str] = {}
    for event_id, how, _ in rows:
        seen.setdefault(event_id, how)
    return list(seen.items())[:limit]
