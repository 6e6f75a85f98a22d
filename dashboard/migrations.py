"""Telling our store from someone else's file, and upgrading an older store in place.

A store's meta table carries the project's marker (``application_id``) and its layout
(``schema``). Stores of layouts 2 and 3 predate the marker; they are recognised by that
layout number together with exactly their tables. Anything else at the store's path is
someone else's file and is never written to.

A store of an earlier layout is upgraded, never rebuilt: a backup copy is written beside
it (``<name>.layout-<old>.backup``) and checked (same bytes, opens, same rows), then every
step from its layout to the current one runs in one transaction, which commits only if
every table still holds the rows it held. A crash at any point leaves the old store or the
upgraded one, and the backup. A layout no step leads from (one written by a newer
version) is left as it is, with a message saying so.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from . import storefile
from .storefile import (  # noqa: F401 - re-exported: callers ask migrations what a file is
    LEGACY_TABLES,
    NAMED_TABLES,
    Found,
    _kind,
    _left_alone,
    _marks,
    _tables,
    describe,
    examine,
    refusal,
)

#: Called with the name of each point of an upgrade (tests kill the process there).
HOOK: Callable[[str], None] | None = None


def _hook(point: str) -> None:
    if HOOK is not None:
        HOOK(point)


# --- the steps, one per layout change; each is frozen once released ----------------------


def _to_3(con: duckdb.DuckDBPyConnection) -> None:
    """Layout 3 added the audit log and the trash (one deleted version per event)."""
    con.execute(
        """
        CREATE TABLE audit (
            change_id BIGINT NOT NULL,
            event_id VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            editor VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            field VARCHAR,
            old_value VARCHAR,
            new_value VARCHAR,
            undone BOOLEAN DEFAULT FALSE
        );
        CREATE TABLE trash (
            event_id VARCHAR PRIMARY KEY,
            deleted_at TIMESTAMP NOT NULL,
            editor VARCHAR NOT NULL,
            record VARCHAR NOT NULL
        );
        """
    )


def _to_4(con: duckdb.DuckDBPyConnection) -> None:
    """Layout 4 keeps every deleted version, named by the change that deleted it.

    A layout-3 trash row is the event's latest deletion that was not undone; it takes that
    change's id (or a negative one if the audit log lacks it, which the code never wrote).
    """
    con.execute(
        """
        CREATE TABLE trash_4 (
            change_id BIGINT PRIMARY KEY,
            event_id VARCHAR NOT NULL,
            deleted_at TIMESTAMP NOT NULL,
            editor VARCHAR NOT NULL,
            record VARCHAR NOT NULL,
            restored_by BIGINT
        );
        INSERT INTO trash_4
        SELECT COALESCE(
                   (SELECT max(a.change_id) FROM audit a
                    WHERE a.event_id = t.event_id AND a.action = 'delete' AND NOT a.undone),
                   -row_number() OVER (ORDER BY t.deleted_at, t.event_id)),
               t.event_id, t.deleted_at, t.editor, t.record, NULL
        FROM trash t;
        DROP TABLE trash;
        ALTER TABLE trash_4 RENAME TO trash;
        """
    )


def _to_5(con: duckdb.DuckDBPyConnection) -> None:
    """Layout 5 records data versions: the version that added each row (0 for the rows
    already there: a link of any version shows them), one row per version from now on,
    and the saved views (short links and watchlists)."""
    con.execute(
        """
        ALTER TABLE events ADD COLUMN added_in BIGINT;
        UPDATE events SET added_in = 0;
        CREATE TABLE versions (
            version BIGINT PRIMARY KEY,
            made_at TIMESTAMP NOT NULL,
            events BIGINT NOT NULL,
            added BIGINT NOT NULL,
            edited BIGINT NOT NULL,
            removed BIGINT NOT NULL,
            last_change BIGINT NOT NULL
        );
        CREATE TABLE views (
            view_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            page VARCHAR NOT NULL,
            query VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            watched BOOLEAN NOT NULL DEFAULT FALSE,
            seen_version BIGINT,
            seen_at TIMESTAMP
        );
        """
    )


def _to_6(con: duckdb.DuckDBPyConnection) -> None:
    """Layout 6 keeps the word index of the search text (dashboard/wordstore.py): a
    document number on every row (numbered in the file's row order), the tokens, and one
    segment of postings of every row, built here in SQL."""
    con.execute(
        """
        CREATE SEQUENCE IF NOT EXISTS event_doc START 1;
        ALTER TABLE events ADD COLUMN doc INTEGER DEFAULT nextval('event_doc');
        CREATE TABLE word_tokens (token_id INTEGER NOT NULL, token VARCHAR NOT NULL);
        CREATE TABLE word_postings (
            segment INTEGER NOT NULL, token_id INTEGER NOT NULL, docs INTEGER[] NOT NULL
        );
        CREATE TEMP TABLE _words AS
            SELECT token, list_sort(list_distinct(list(doc))) AS docs FROM (
                SELECT doc, unnest(string_split(search_text, ' ')) AS token FROM events
            ) WHERE token <> '' GROUP BY token;
        INSERT INTO word_tokens
            SELECT row_number() OVER (ORDER BY token) - 1, token FROM _words;
        INSERT INTO word_postings
            SELECT 1, t.token_id, w.docs FROM _words w JOIN word_tokens t USING (token);
        DROP TABLE _words;
        INSERT OR REPLACE INTO meta
            SELECT 'indexed_doc', CAST(COALESCE(max(doc), 0) AS VARCHAR) FROM events
            UNION ALL SELECT 'indexed_rows', CAST(count(*) AS VARCHAR) FROM events;
        """
    )


#: layout -> (the next layout, the step to it).
STEPS: dict[str, tuple[str, Callable[[duckdb.DuckDBPyConnection], None]]] = {
    "2": ("3", _to_3),
    "3": ("4", _to_4),
    "4": ("5", _to_5),
    "5": ("6", _to_6),
}


def _census(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {table: rows for schema, table, rows in _tables(con) if schema == "main"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup_name(path: Path, layout: str, n: int = 1) -> Path:
    suffix = f".layout-{layout}.backup" + (f".{n}" if n > 1 else "")
    return path.with_name(path.name + suffix)


def _backup(path: Path, layout: str, census: dict[str, int]) -> Path:
    """A copy of the store beside it, checked byte for byte and by opening it; an existing
    backup is never overwritten (an identical one, from an interrupted upgrade, is kept)."""
    digest = _sha256(path)
    n = 1
    while (target := backup_name(path, layout, n)).exists():
        if _sha256(target) == digest:
            return target
        n += 1
    part = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(path, part)
        _hook("copied")
        with open(part, "rb") as handle:
            os.fsync(handle.fileno())
        if _sha256(part) != digest:
            raise storefile.StoreError(f"the backup copy {part} differs from {path}")
        with duckdb.connect(str(part), read_only=True) as copy:
            if _census(copy) != census:
                raise storefile.StoreError(f"the backup copy {part} does not hold the same rows")
        os.replace(part, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        raise storefile.StoreError(
            f"{path} was not upgraded: its backup copy could not be written "
            f"({exc.strerror or exc}); the store is unchanged"
        ) from exc
    finally:
        part.unlink(missing_ok=True)
    return target


def upgrade(path: Path) -> Path | None:
    """Migrate the store at ``path`` to the current layout; returns the backup's path
    (None if another process upgraded it meanwhile). The file is held for writing from
    the check to the commit, so no one writes it between the backup and the upgrade."""
    path = Path(path)
    current = storefile.SCHEMA_VERSION
    with storefile.connect(path, checked=False) as con:
        marker, layout = _marks(con)
        if layout == current and marker == storefile.APPLICATION_ID:
            return None
        if layout not in STEPS:
            known = ", ".join(sorted(STEPS))
            raise storefile.NewerLayout(
                f"{path} is a store of layout {layout}; this version of the dashboard writes "
                f"layout {current} and upgrades layouts {known}. A newer version wrote it: use "
                "that version. The file is left as it is"
            )
        con.execute("CHECKPOINT")
        before = _census(con)
        backup = _backup(path, layout, before)
        _hook("backed-up")
        con.execute("BEGIN TRANSACTION")
        try:
            step = layout
            while step != current:
                step, migrate = STEPS[step]
                migrate(con)
                _hook(f"layout-{step}")
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema', ?), ('application_id', ?), "
                "('upgraded_from', ?)",
                [current, storefile.APPLICATION_ID, layout],
            )
            storefile.bump_version(con)
            after = _census(con)
            # The upgrade's own version is one more row of versions (from layout 5 on).
            grown = {"versions": 1}
            lost = {
                t: (n, after.get(t))
                for t, n in before.items()
                if t != "meta" and after.get(t) != n + grown.get(t, 0)
            }
            if lost:
                raise storefile.StoreError(
                    f"{path} was not upgraded: rows would change in {lost}; the store is unchanged"
                )
            _hook("before-commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        _hook("committed")
        con.execute("CHECKPOINT")
    return backup
