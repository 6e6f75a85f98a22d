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
from .schema import COLUMNS, IMPORT_COLUMNS, RecordError, validate_record

SOURCE_KEYS = ("publisher", "url", "published", "language")

MAX_EDITOR = 80
#: Fields an edit never changes: where a record came from (its dataset, its source's own
#: id and type, the import batch it belongs to) and what an import derived from it.
PROVENANCE = ("dataset", "batch_id", *IMPORT_COLUMNS)
#: Read with every record: the columns of the record plus the batch it was imported in.
READ_COLUMNS = (*COLUMNS, "batch_id")
#: Coordinates are shown to 4 decimals (11 m): a form that returns them rounded so has not
#: changed them.
COORD_PLACES = 4


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
    #: What was done, in words (a restore names the deleted version it brought back).
    summary: str = ""


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
        f"SELECT {', '.join(READ_COLUMNS)} FROM events WHERE event_id = ?", [event_id]
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    record = dict(zip(READ_COLUMNS, row, strict=True))
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


def _comparable(field: str, value):
    """A value as an edit compares it: an empty text is no text, a coordinate is what the
    form shows of it, a list or a source list as JSON would hold it."""
    value = _plain(value)
    if value == "" or value == []:
        return None
    if field in ("latitude", "longitude") and isinstance(value, int | float):
        return round(float(value), COORD_PLACES)
    if field == "sources" and isinstance(value, list):
        return [{k: (s.get(k) or None) for k in SOURCE_KEYS} for s in value]
    return value


def changed_fields(loaded: dict, edited: dict) -> dict:
    """The fields an editor changed, compared one by one with the record as loaded.

    A form returns every field; saving all of them would write what the widgets made of
    values nobody touched (a coordinate rounded to the shown decimals, an empty text for
    a missing one). Only what differs is an edit.
    """
    return {
        field: value
        for field, value in edited.items()
        if field != "event_id"
        and _comparable(field, loaded.get(field)) != _comparable(field, value)
    }


def _begin(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("BEGIN TRANSACTION")
    return _one(con, "SELECT COALESCE(max(change_id), 0) + 1 FROM audit")[0]


def _json(value) -> str | None:
    return None if value is None else json.dumps(_plain(value), ensure_ascii=False, default=str)


def _log(con, change_id, event_id, action, editor, diffs: list[tuple[str, object, object]]):
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = diffs or [(None, None, None)]
    for field, old, new in rows:
        con.execute(
            "INSERT INTO audit (change_id, event_id, action, editor, changed_at, field, old_value, "
            "new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [change_id, event_id, action, editor, now, field, _json(old), _json(new)],
        )


def _insert(con, record: dict, batch_id: str | None = None) -> None:
    table = store.rows_to_arrow([store.stored_row(record, batch_id)])
    con.register("incoming", table)
    try:
        con.execute(
            f"INSERT INTO events ({', '.join(store.STORED_COLUMNS)}) SELECT * FROM incoming"
        )
    finally:
        con.unregister("incoming")


def _write_fields(con, event_id: str, record: dict, fields: list[str]) -> None:
    """Write ``fields`` of ``record`` (validated) and the columns derived from them; every
    other stored column, the batch id among them, stays exactly as it is."""
    row = store.stored_row(record)
    derived = ["span_start", "span_end", "search_text", "actors_norm"]
    columns = [*dict.fromkeys([*fields, *derived])]
    table = store.rows_to_arrow([row]).select(columns)
    con.register("edited", table)
    try:
        assignments = ", ".join(f"{c} = edited.{c}" for c in columns)
        # A new document number: the word index indexes the new text (dashboard.wordstore).
        assignments += ", doc = nextval('event_doc')"
        con.execute(
            f"UPDATE events SET {assignments} FROM edited WHERE events.event_id = ?",  # noqa: S608 - column names from the schema
            [event_id],
        )
    finally:
        con.unregister("edited")


def _diff(old: dict, new: dict, fields=COLUMNS) -> list[tuple[str, object, object]]:
    return [
        (k, old.get(k), new.get(k))
        for k in fields
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


def _title(record: dict) -> str:
    return record.get("title") or record.get("title_ar") or ""


def _when(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def _waiting(con, event_id: str) -> list[tuple]:
    """Deleted versions of ``event_id`` not brought back: (change, when, editor, record)."""
    return con.execute(
        "SELECT change_id, deleted_at, editor, record FROM trash "
        "WHERE event_id = ? AND restored_by IS NULL ORDER BY change_id DESC",
        [event_id],
    ).fetchall()


def _to_trash(con, change_id: int, event_id: str, editor: str, record: dict) -> None:
    con.execute(
        "INSERT INTO trash (change_id, event_id, deleted_at, editor, record) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            change_id,
            event_id,
            datetime.now(UTC).replace(tzinfo=None),
            editor,
            json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False, default=str),
        ],
    )


def create_event(path: Path, raw: dict, editor: str, *, reuse_deleted_id: bool = False) -> Change:
    """Add an event. An id that a deleted event still holds is refused unless the editor
    says to reuse it (``reuse_deleted_id``); the deleted version stays in the trash."""
    editor = _editor(editor)
    record = _validate({**raw, "dataset": raw.get("dataset") or "curated"})
    event_id = record["event_id"]

    def work(con, change_id):
        if _read(con, event_id) is not None:
            raise CurationError(f"not saved: an event with id {event_id} exists")
        waiting = _waiting(con, event_id)
        if waiting and not reuse_deleted_id:
            deleted, when, by, old = waiting[0]
            raise CurationError(
                f"not saved: the id {event_id} belongs to a deleted event "
                f"({_title(json.loads(old))!r}, deleted by {by} on {_when(when)}, change "
                f"{deleted}); restore it from the deleted events, or say that the id is to be "
                "reused (the deleted version stays there)"
            )
        _insert(con, record)
        _log(con, change_id, event_id, "create", editor, _diff({}, record))
        return Change(change_id, event_id, "create", editor, f"created {event_id}")

    return _transaction(path, work)


def update_event(path: Path, event_id: str, changes: dict, editor: str, expected: str) -> Change:
    """Apply ``changes`` to the event if it is still the version the editor saw.

    Only the fields in ``changes`` are written (pass :func:`changed_fields`); provenance
    (:data:`PROVENANCE`) is refused, the batch id is kept.
    """
    editor = _editor(editor)
    touched = [k for k in changes if k != "event_id"]
    unknown = sorted(set(touched) - set(COLUMNS) - {"batch_id"})
    if unknown:
        raise CurationError(f"not saved: unknown fields {', '.join(unknown)}")

    def work(con, change_id):
        old = _read(con, event_id)
        if old is None:
            raise CurationError(f"not saved: event {event_id} no longer exists")
        if fingerprint(old) != expected:
            raise StaleEdit(
                f"not saved: event {event_id} was changed by someone else after you opened it; "
                "reload it and make your change again"
            )
        kept = [k for k in touched if k in PROVENANCE and _plain(changes[k]) != _plain(old[k])]
        if kept:
            raise CurationError(
                f"not saved: {', '.join(kept)} record where the event came from and are not edited"
            )
        fields = [k for k in touched if k not in PROVENANCE]
        new = _validate({**old, **{k: changes[k] for k in fields}, "event_id": event_id})
        diffs = _diff(old, new, fields)
        if not diffs:
            raise CurationError("nothing changed")
        _write_fields(con, event_id, new, [field for field, _, _ in diffs])
        _log(con, change_id, event_id, "update", editor, diffs)
        return Change(change_id, event_id, "update", editor, f"edited {event_id}")

    return _transaction(path, work)


def delete_event(path: Path, event_id: str, editor: str, expected: str | None = None) -> Change:
    """Move the event to the trash, as a version of its own (earlier ones stay too)."""
    editor = _editor(editor)

    def work(con, change_id):
        old = _read(con, event_id)
        if old is None:
            raise CurationError(f"event {event_id} does not exist")
        if expected is not None and fingerprint(old) != expected:
            raise StaleEdit(f"not deleted: event {event_id} was changed after you opened it")
        con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
        _to_trash(con, change_id, event_id, editor, old)
        _log(con, change_id, event_id, "delete", editor, [])
        return Change(change_id, event_id, "delete", editor, f"deleted {event_id}")

    return _transaction(path, work)


def _bring_back(con, deleted: int, restorer: int) -> dict:
    record = json.loads(_one(con, "SELECT record FROM trash WHERE change_id = ?", [deleted])[0])
    _insert(con, _validate(record), record.get("batch_id"))
    con.execute("UPDATE trash SET restored_by = ? WHERE change_id = ?", [restorer, deleted])
    return record


def restore_event(
    path: Path, event_id: str, editor: str, *, deleted_change: int | None = None
) -> Change:
    """Bring back one deleted version of ``event_id``: the one deleted by
    ``deleted_change``, or the only one waiting (several: the editor must choose)."""
    editor = _editor(editor)

    def work(con, change_id):
        waiting = _waiting(con, event_id)
        if deleted_change is not None:
            waiting = [w for w in waiting if w[0] == deleted_change]
        if not waiting:
            which = f" by change {deleted_change}" if deleted_change is not None else ""
            raise CurationError(f"event {event_id} is not among the deleted events{which}")
        if len(waiting) > 1:
            versions = "; ".join(f"change {c} by {by} on {_when(w)}" for c, w, by, _ in waiting)
            raise CurationError(
                f"nothing restored: {len(waiting)} deleted versions of {event_id} are kept "
                f"({versions}); choose one"
            )
        if _read(con, event_id) is not None:
            raise CurationError(f"an event with id {event_id} exists again; nothing restored")
        deleted, when, by, _ = waiting[0]
        record = _bring_back(con, deleted, change_id)
        _log(con, change_id, event_id, "restore", editor, [("deleted_change", None, deleted)])
        summary = (
            f"restored {event_id} ({_title(record)!r}) as {by} deleted it on {_when(when)} "
            f"(change {deleted})"
        )
        return Change(change_id, event_id, "restore", editor, summary)

    return _transaction(path, work)


def _later_by_others(con, target: int, event_id: str, editor: str):
    """The first change to ``event_id`` after ``target`` by someone else that still stands
    (their own undos, and changes they undid, left the event as it was)."""
    return _one(
        con,
        "SELECT change_id, editor, action, changed_at FROM audit WHERE event_id = ? "
        "AND change_id > ? AND editor <> ? AND NOT undone AND action NOT LIKE 'undo%' "
        "ORDER BY change_id LIMIT 1",
        [event_id, target, editor],
    )


def undo_last(path: Path, editor: str) -> Change:
    """Reverse this editor's newest change that is not yet undone, if no one else has
    changed that event since; the undo is itself logged, naming the change it reverses."""
    editor = _editor(editor)

    def work(con, change_id):
        last = _one(
            con,
            "SELECT change_id, event_id, action FROM audit WHERE NOT undone AND editor = ? "
            "AND action IN ('create', 'update', 'delete', 'restore') "
            "ORDER BY change_id DESC LIMIT 1",
            [editor],
        )
        if last is None:
            raise CurationError(f"{editor} has no change to undo")
        target, event_id, action = last
        later = _later_by_others(con, target, event_id, editor)
        if later is not None:
            number, other, what, when = later
            raise CurationError(
                f"not undone: {other} changed {event_id} after your {action} "
                f"({what}, change {number}, {_when(when)}); undoing yours would overwrite theirs"
            )
        current = _read(con, event_id)
        if action == "create":
            if current is None:
                raise CurationError(f"cannot undo the creation of {event_id}: it was deleted")
            con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
            _to_trash(con, change_id, event_id, editor, current)
        elif action == "restore":
            if current is None:
                raise CurationError(f"cannot undo the restore of {event_id}: it was deleted since")
            brought = _one(
                con, "SELECT change_id, record FROM trash WHERE restored_by = ?", [target]
            )
            con.execute("DELETE FROM events WHERE event_id = ?", [event_id])
            if brought is not None and fingerprint(current) == fingerprint(json.loads(brought[1])):
                con.execute("UPDATE trash SET restored_by = NULL WHERE change_id = ?", [brought[0]])
            else:  # changed since, or restored before layout 4 kept versions: kept as it is now
                _to_trash(con, change_id, event_id, editor, current)
        elif action == "delete":
            if current is not None:
                raise CurationError(f"cannot undo the deletion of {event_id}: it was restored")
            waiting = _one(
                con, "SELECT 1 FROM trash WHERE change_id = ? AND restored_by IS NULL", [target]
            )
            if waiting is None:
                raise CurationError(f"cannot undo the deletion of {event_id}: it was restored")
            _bring_back(con, target, change_id)
        else:
            if current is None:
                raise CurationError(f"cannot undo the edit of {event_id}: it was deleted since")
            fields = con.execute(
                "SELECT field, old_value, new_value FROM audit WHERE change_id = ?", [target]
            ).fetchall()
            moved = [
                f
                for f, _, new in fields
                if _comparable(f, current.get(f)) != _comparable(f, _loads(new))
            ]
            if moved:
                raise CurationError(
                    f"not undone: {', '.join(moved)} of {event_id} changed since your edit "
                    "(by an import or a refresh of the shipped records)"
                )
            old = {f: _loads(v) for f, v, _ in fields}
            restored = _validate({**current, **old})
            _write_fields(con, event_id, restored, list(old))
        con.execute("UPDATE audit SET undone = TRUE WHERE change_id = ?", [target])
        _log(con, change_id, event_id, f"undo {action}", editor, [("undoes", None, target)])
        return Change(
            change_id, event_id, f"undo {action}", editor, f"undid {action} of {event_id}"
        )

    return _transaction(path, work)


def _loads(value: str | None):
    return json.loads(value) if value is not None else None


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
    """Deleted versions waiting in the trash, newest first; ``change_id`` names each (the
    change that deleted it), so one id deleted twice shows two versions."""
    columns = ["change_id", "event_id", "deleted_at", "editor", "title"]
    with store.connect(path, read_only=True) as con:
        try:
            frame = con.execute(
                "SELECT change_id, event_id, deleted_at, editor, record FROM trash "
                "WHERE restored_by IS NULL ORDER BY change_id DESC"
            ).df()
        except duckdb.CatalogException:
            return pd.DataFrame(columns=columns)
    frame["title"] = [_title(json.loads(r)) for r in frame.pop("record")]
    return frame[columns]


def parse_lines(text: str | None) -> list[str]:
    """Related event ids, one per line (an id holds no line break or space)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _cell(value) -> str | None:
    """A table cell as text: None for an empty cell, else exactly what was typed."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def sources_from_rows(rows) -> list[dict]:
    """Sources as the editor's table holds them, one row each, every cell kept exactly
    (a "|" in a publisher is part of its name); a row left empty is dropped."""
    sources = []
    for row in rows:
        source = {k: _cell(row.get(k)) for k in SOURCE_KEYS}
        if any(v and v.strip() for v in source.values()):
            sources.append(source)
    return sources


def items_from_rows(rows, column: str = "value") -> list[str]:
    """A list field (actors, related ids) from a one-column table: one entry per row,
    kept whole (a line break inside a cell does not make two entries)."""
    return [text for row in rows if (text := _cell(row.get(column))) and text.strip()]


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
