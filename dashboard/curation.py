"""Adding, editing, deleting and restoring events, with an audit log and undo.

Every change is one transaction that writes the event and its audit rows together,
so a crash leaves either both or neither. An edit carries the fingerprint of the
record the editor started from; if someone saved the event in between, the save is
refused instead of silently overwriting their change. Deleted events go to a trash
table, whole, so they can be restored exactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from . import store
from .schema import COLUMNS, RecordError, validate_record

MAX_EDITOR = 80


class CurationError(store.StoreError):
    """A change that was not made, and why."""


class StaleEdit(CurationError):
    pass


@dataclass(frozen=True)
class Change:
    change_id: int
    event_id: str
    action: str
    editor: str


def _editor(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise CurationError("say who you are: the audit log records a name with every change")
    if len(name) > MAX_EDITOR:
        raise CurationError(f"the name is longer than {MAX_EDITOR} characters")
    return name


def _plain(value):
    """A value as JSON can hold it (dates as ISO text, NaN as null)."""
    if isinstance(value, date | datetime | pd.Timestamp):
        return value.isoformat()[:10]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def fingerprint(record: dict) -> str:
    """What an editor started from; a save checks the stored record still has it."""
    canon = {k: _plain(record.get(k)) for k in COLUMNS}
    return hashlib.sha256(json.dumps(canon, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _read(con: duckdb.DuckDBPyConnection, event_id: str) -> dict | None:
    rows = con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM events WHERE event_id = ?", [event_id]
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    record = dict(zip(COLUMNS, row, strict=True))
    record["sources"] = json.loads(record["sources"] or "[]")
    record["actors"] = list(record["actors"] or [])
    record["related"] = list(record["related"] or [])
    return record


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """First row or None, with the result read to the end: DuckDB refuses new work on a
    connection (registering a table) while a result is only partly fetched."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def get_event(path: Path, event_id: str) -> dict | None:
    with store.connect(path, read_only=True) as con:
        return _read(con, event_id)


def _begin(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("BEGIN TRANSACTION")
    return _one(con, "SELECT COALESCE(max(change_id), 0) + 1 FROM audit")[0]


def _log(con, change_id, event_id, action, editor, diffs: list[tuple[str, object, object]]):
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = diffs or [(None, None, None)]
    for field, old, new in rows:
        con.execute(
            "INSERT INTO audit (change_id, event_id, action, editor, changed_at, field, old_value, "
            "new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                change_id,
                event_id,
                action,
                editor,
                now,
                field,
                None if old is None else json.dumps(_plain(old), ensure_ascii=False, default=str),
                None if new is None else json.dumps(_plain(new), ensure_ascii=False, default=str),
            ],
        )


def _insert(con, record: dict) -> None:
    table = store.rows_to_arrow([store.stored_row(record)])
    con.register("incoming", table)
    try:
        con.execute(
            f"INSERT INTO events ({', '.join(store.STORED_COLUMNS)}) SELECT * FROM incoming"
        )
    finally:
        con.unregister("incoming")


def _diff(old: dict, new: dict) -> list[tuple[str, object, object]]:
    return [
        (k, old.get(k), new.get(k))
        for k in COLUMNS
        if _plain(old.get(k)) != _plain(new.get(k)) and k != "event_id"
    ]


def _validate(raw: dict) -> dict:
    from .geo import is_country_code

    try:
        return validate_record(raw, known_country=is_country_code)
    except RecordError as exc:
        raise CurationError(f"not saved: {exc}") from exc


def _transaction(path: Path, work) -> Change:
    with store.connect(path) as con:
        change_id = _begin(con)
        try:
            change = work(con, change_id)
            store.bump_version(con)
            con.execute("COMMIT")
            return change
        except Exception:
            con.execute("ROLLBACK")
            raise


def create_event(path: Path, raw: dict, editor: str) -> Change:
    editor = _editor(editor)
    record = _validate({**raw, "dataset": raw.get("dataset") or "curated"})

    def work(con, change_id):
        if _read(con, record["event_id"]) is not None:
            raise CurationError(f"not saved: an event with id {record['event_id']} exists")
        _insert(con, record)
        _log(con, change_id, record["event_id"], "create", editor, _diff({}, record))
        return Change(change_id, record["event_id"], "create", editor)

    return _transaction(path, work)


def update_event(path: Path, event_id: str, changes: dict, editor: str, expected: str) -> Change:
    """Apply ``changes`` to the event if it is still the version the editor saw."""
    editor = _editor(editor)

    def work(con, change_id):
        old = _read(con, event_id)
        if old is None:
            raise CurationError(f"not saved: event {event_id} no longer exists")
        if fingerprint(old) != expected:
            raise StaleEdit(
                f"not saved: event {event_id} was changed by someone else after you opened it; "
                "reload it and make your change again"
            )
        new = _validate({**old, **changes, "event_id": event_id})
        diffs = _diff(old, new)
        if not diffs:
            raise CurationError("nothing changed")
        con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
        _insert(con, new)
        _log(con, change_id, event_id, "update", editor, diffs)
        return Change(change_id, event_id, "update", editor)

    return _transaction(path, work)


def delete_event(path: Path, event_id: str, editor: str, expected: str | None = None) -> Change:
    editor = _editor(editor)

    def work(con, change_id):
        old = _read(con, event_id)
        if old is None:
            raise CurationError(f"event {event_id} does not exist")
        if expected is not None and fingerprint(old) != expected:
            raise StaleEdit(f"not deleted: event {event_id} was changed after you opened it")
        con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
        con.execute("DELETE FROM trash WHERE event_id = ?", [event_id])
        con.execute(
            "INSERT INTO trash VALUES (?, ?, ?, ?)",
            [
                event_id,
                datetime.now(UTC).replace(tzinfo=None),
                editor,
                json.dumps({k: _plain(v) for k, v in old.items()}, ensure_ascii=False, default=str),
            ],
        )
        _log(con, change_id, event_id, "delete", editor, [])
        return Change(change_id, event_id, "delete", editor)

    return _transaction(path, work)


def restore_event(path: Path, event_id: str, editor: str) -> Change:
    editor = _editor(editor)

    def work(con, change_id):
        row = _one(con, "SELECT record FROM trash WHERE event_id = ?", [event_id])
        if row is None:
            raise CurationError(f"event {event_id} is not among the deleted events")
        if _read(con, event_id) is not None:
            raise CurationError(f"an event with id {event_id} exists again; nothing restored")
        record = _validate(json.loads(row[0]))
        _insert(con, record)
        con.execute("DELETE FROM trash WHERE event_id = ?", [event_id])
        _log(con, change_id, event_id, "restore", editor, [])
        return Change(change_id, event_id, "restore", editor)

    return _transaction(path, work)


def undo_last(path: Path, editor: str) -> Change:
    """Reverse the newest change not yet undone (an undo is itself logged)."""
    editor = _editor(editor)

    def work(con, change_id):
        last = _one(
            con,
            "SELECT change_id, event_id, action FROM audit WHERE NOT undone "
            "AND action IN ('create', 'update', 'delete', 'restore') "
            "ORDER BY change_id DESC LIMIT 1",
        )
        if last is None:
            raise CurationError("there is no change to undo")
        target, event_id, action = last
        current = _read(con, event_id)
        if action in ("create", "restore"):
            if current is not None:
                con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
            if action == "restore" and current is not None:
                con.execute(
                    "INSERT INTO trash VALUES (?, ?, ?, ?)",
                    [
                        event_id,
                        datetime.now(UTC).replace(tzinfo=None),
                        editor,
                        json.dumps(
                            {k: _plain(v) for k, v in current.items()},
                            ensure_ascii=False,
                            default=str,
                        ),
                    ],
                )
        elif action == "delete":
            row = _one(con, "SELECT record FROM trash WHERE event_id = ?", [event_id])
            if row is None or current is not None:
                raise CurationError(f"cannot undo the deletion of {event_id}: it was restored")
            _insert(con, _validate(json.loads(row[0])))
            con.execute("DELETE FROM trash WHERE event_id = ?", [event_id])
        else:
            if current is None:
                raise CurationError(f"cannot undo the edit of {event_id}: it was deleted since")
            fields = con.execute(
                "SELECT field, old_value FROM audit WHERE change_id = ?", [target]
            ).fetchall()
            old = {f: (json.loads(v) if v is not None else None) for f, v in fields}
            con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
            _insert(con, _validate({**current, **old}))
        con.execute("UPDATE audit SET undone = TRUE WHERE change_id = ?", [target])
        _log(con, change_id, event_id, f"undo {action}", editor, [])
        return Change(change_id, event_id, f"undo {action}", editor)

    return _transaction(path, work)


def history(path: Path, event_id: str | None = None, limit: int = 200) -> pd.DataFrame:
    """Audit rows, newest first: who changed which field, when, from what to what."""
    with store.connect(path, read_only=True) as con:
        try:
            where, params = ("WHERE event_id = ?", [event_id]) if event_id else ("", [])
            return con.execute(
                "SELECT change_id, changed_at, editor, action, event_id, field, old_value, "
                f"new_value, undone FROM audit {where} ORDER BY change_id DESC, field LIMIT ?",
                [*params, limit],
            ).df()
        except duckdb.CatalogException:
            return pd.DataFrame(
                columns=[
                    "change_id",
                    "changed_at",
                    "editor",
                    "action",
                    "event_id",
                    "field",
                    "old_value",
                    "new_value",
                    "undone",
                ]
            )


def deleted_events(path: Path) -> pd.DataFrame:
    with store.connect(path, read_only=True) as con:
        try:
            frame = con.execute(
                "SELECT event_id, deleted_at, editor, record FROM trash ORDER BY deleted_at DESC"
            ).df()
        except duckdb.CatalogException:
            return pd.DataFrame(columns=["event_id", "deleted_at", "editor", "title"])
    frame["title"] = [
        json.loads(r).get("title") or json.loads(r).get("title_ar") for r in frame.pop("record")
    ]
    return frame


def parse_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_sources(text: str | None) -> list[dict]:
    """Sources typed one per line as ``publisher | url | published | language``."""
    sources = []
    for line in parse_lines(text):
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        publisher, url, published, language = parts[:4]
        if publisher.startswith(("http://", "https://")) and not url:
            publisher, url = "", publisher
        sources.append(
            {
                "publisher": publisher,
                "url": url,
                "published": published or None,
                "language": language,
            }
        )
    return sources


def format_sources(sources: list[dict]) -> str:
    return "\n".join(
        " | ".join(
            [
                s.get("publisher") or "",
                s.get("url") or "",
                s.get("published") or "",
                s.get("language") or "",
            ]
        ).rstrip(" |")
        for s in sources or []
    )


def merge_source(path: Path, event_id: str, source: dict, editor: str) -> Change:
    """Cite one more source on an existing event (a draft found to be a duplicate)."""
    event = get_event(path, event_id)
    if event is None:
        raise CurationError(f"event {event_id} does not exist")
    urls = {s.get("url") for s in event["sources"]}
    if source.get("url") and source["url"] in urls:
        raise CurationError("the event already cites this source")
    return update_event(
        path, event_id, {"sources": [*event["sources"], source]}, editor, fingerprint(event)
    )
