"""Data versions: what changed in the store since a link was made, and the rows as they were.

Every write advances the store's version (:func:`dashboard.store.bump_version`) and
records what it added, edited and removed. A link carries the version it was made on
(``v=``); rows added since are left out by the filter model (``Filters.as_of``). Events
edited or deleted since are brought back as they were by :func:`patch_at`, from what
curation already keeps: the audit log holds every edited field's value before the edit,
the trash every deleted record whole. What a store never kept cannot be brought back:
rows an import replaced or a removed batch took out, and shipped records a refresh of
data/ changed in place; :attr:`Patch.lost` counts the first two, the page says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Patch:
    """How the stored rows differ from the rows of version ``version``.

    ``hidden``: ids of rows stored now that are not as they were then (edited since, or
    brought back or created since): they are left out. ``records``: those events as they
    were then, whole (the record's columns and its ``batch_id``), deleted ones included.
    ``lost``: rows removed since that nothing kept (a removed batch, an import's
    replacement), so not shown. ``known`` is False when the store recorded no history
    that reaches back to ``version`` (nothing is patched then).
    """

    version: int
    hidden: tuple[str, ...] = ()
    records: tuple[dict, ...] = ()
    lost: int = 0
    known: bool = True
    #: Ids of the events shown as they were (edited since) and brought back (deleted since).
    edited: tuple[str, ...] = field(default=(), compare=False)
    deleted: tuple[str, ...] = field(default=(), compare=False)

    @property
    def empty(self) -> bool:
        return not (self.hidden or self.records)


#: Curation's actions that end with the event absent, present, or changed in place,
#: walked backwards from now to the version of a link.
_GONE_BEFORE = ("create", "restore", "undo delete")
_WHOLE_BEFORE = ("delete", "undo create", "undo restore")


def _last_change(con, version: int) -> int | None:
    """The newest audit change that version ``version`` included (None: not recorded)."""
    row = con.execute(
        "SELECT last_change FROM versions WHERE version <= ? ORDER BY version DESC LIMIT 1",
        [version],
    ).fetchone()
    if row:
        return int(row[0])
    first = con.execute(
        "SELECT version, last_change FROM versions ORDER BY version LIMIT 1"
    ).fetchone()
    # The version just before the first recorded one: nothing was audited in between
    # (the first recorded write is the build or the upgrade, which audit nothing).
    return int(first[1]) if first and version == first[0] - 1 else None


def patch_at(path: Path, version: int, *, stored: dict | None = None) -> Patch:
    """The events of version ``version`` that are not stored as they were then.

    Each event curation touched after that version is walked back from its stored state,
    change by change, newest first: an edit puts back the fields' earlier values, a
    deletion (or an undone creation or restore) puts back the record the trash kept, a
    creation or a restore means it was not there. What remains is the event at that
    version, or nothing. ``stored``: the stored records read so far, by id, kept by a
    caller that asks for many versions of an unchanging store (a lake export).
    """
    from . import curation, store
    from .schema import COLUMNS

    with store.connect(path, read_only=True) as con:
        try:
            now = int(store._meta(con, "version") or 0)
            last = _last_change(con, version) if version < now else None
        except duckdb.CatalogException:  # a store of an earlier layout: no versions kept
            return Patch(version, known=False)
        if version >= now:
            return Patch(version)
        if last is None:
            return Patch(version, known=False)
        changes = con.execute(
            "SELECT change_id, event_id, action, field, old_value, new_value FROM audit "
            "WHERE change_id > ? ORDER BY change_id DESC, field",
            [last],
        ).fetchall()
        trash = dict(
            con.execute(
                "SELECT change_id, record FROM trash WHERE change_id > ?", [last]
            ).fetchall()
        )
        removed = con.execute(
            "SELECT COALESCE(sum(removed), 0) FROM versions WHERE version > ?", [version]
        ).fetchone()[0]
        by_change: dict[int, list[tuple]] = {}
        for change in changes:
            by_change.setdefault(change[0], []).append(change)
        # An undone edit is walked back through the edit it undid, which may be older.
        undone = {
            int(json.loads(c[5])) for c in changes if c[2] == "undo update" and c[3] == "undoes"
        }
        undone |= {
            int(json.loads(c[5])) for c in changes if c[2] == "undo restore" and c[3] == "undoes"
        }
        older = sorted(c for c in undone if c <= last)
        if older:
            marks = ", ".join("?" * len(older))
            for change in con.execute(
                "SELECT change_id, event_id, action, field, old_value, new_value FROM audit "
                f"WHERE change_id IN ({marks})",
                older,
            ).fetchall():
                by_change.setdefault(change[0], []).append(change)
            trash.update(
                con.execute(
                    f"SELECT change_id, record FROM trash WHERE change_id IN ({marks})", older
                ).fetchall()
            )
        ids = list(dict.fromkeys(c[1] for c in changes))
        stored = {} if stored is None else stored
        for event_id in ids:
            if event_id not in stored:
                stored[event_id] = curation._read(con, event_id)
        current = {event_id: stored[event_id] for event_id in ids}
        added = (
            {
                event_id: added_in
                for event_id, added_in in con.execute(
                    "SELECT event_id, COALESCE(added_in, 0) FROM events "
                    f"WHERE event_id IN ({', '.join('?' * len(ids))})",
                    ids,
                ).fetchall()
            }
            if ids
            else {}
        )
        # Deleted versions restored before this one: the restore's own audit row names them.
        restored_from = {
            c[0]: int(json.loads(c[5]))
            for rows in by_change.values()
            for c in rows
            if c[2] == "restore" and c[3] == "deleted_change"
        }
        missing = set(restored_from.values()) - set(trash)
        if missing:
            marks = ", ".join("?" * len(missing))
            trash.update(
                con.execute(
                    f"SELECT change_id, record FROM trash WHERE change_id IN ({marks})",
                    sorted(missing),
                ).fetchall()
            )

    hidden, records, edited, deleted = [], [], [], []
    curated_removals = 0
    for event_id in ids:
        state = _copy(current[event_id])
        from_trash = False
        steps = sorted({c[0] for c in changes if c[1] == event_id}, reverse=True)
        for change_id in steps:
            rows = by_change[change_id]
            action = rows[0][2]
            if action == "update":
                if state is not None:
                    for _, _, _, name, old, _ in rows:
                        if name:
                            state[name] = _value(old)
            elif action == "undo update":
                target = next((int(json.loads(r[5])) for r in rows if r[3] == "undoes"), None)
                if state is not None and target in by_change:
                    for _, _, _, name, _, new in by_change[target]:
                        if name:
                            state[name] = _value(new)
            elif action in _GONE_BEFORE:
                state = None
            elif action in _WHOLE_BEFORE:
                curated_removals += 1
                kept = trash.get(change_id)
                if kept is None and action == "undo restore":
                    target = next((int(json.loads(r[5])) for r in rows if r[3] == "undoes"), None)
                    kept = trash.get(restored_from.get(target))
                state = json.loads(kept) if kept is not None else None
                from_trash = True
        stored = current[event_id]
        if stored is not None and not from_trash and added.get(event_id, 0) > version:
            state = None  # an import after the version added it; edits since change nothing
        if state is None:
            if stored is not None:
                hidden.append(event_id)
            continue
        if (
            stored is not None
            and added.get(event_id, 0) <= version
            and (curation.fingerprint(stored) == curation.fingerprint(state))
        ):
            continue  # as it was (an edit and its undo)
        if stored is not None:
            hidden.append(event_id)
            edited.append(event_id)
        else:
            deleted.append(event_id)
        records.append({k: state.get(k) for k in (*COLUMNS, "batch_id")})
    lost = max(int(removed) - curated_removals, 0)
    return Patch(version, tuple(hidden), tuple(records), lost, True, tuple(edited), tuple(deleted))


def _copy(record: dict | None) -> dict | None:
    return None if record is None else dict(record)


def _value(stored: str | None):
    """An audit cell back to the value it was (JSON, as curation wrote it)."""
    return None if stored is None else json.loads(stored)
