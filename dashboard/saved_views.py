"""Saved views: a whole view kept in the store under an unguessable short id (``?view=ID``).

A saved view is the query string of the view's link (:func:`dashboard.urlstate.encode`,
the data version included) and its page; opening one decodes that string again like any
link, so a view saved by an older version, or altered in the file, is validated, never
trusted. Saving a view is not a change of the data: the data version stays as it is.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import store, urlstate
from .filters import ViewState

#: 16 characters of 64 kinds: 96 random bits, never guessed, never enumerated.
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16}$")
#: A name is a label: plain text, bounded.
MAX_NAME = 120
#: Streamlit's web server (Tornado) answers HTTP 400, before the app sees anything, to a
#: request whose request line and headers pass 128 KiB (measured: README, "Links"). A
#: link's query string gets a quarter of that: the browser's other headers (cookies
#: above all) share the budget, and a proxy in front of the server may allow less.
SERVER_LIMIT = 131_072
QUERY_LIMIT = SERVER_LIMIT // 4


class ViewError(ValueError):
    """A saved view that cannot be used, said plainly."""


@dataclass(frozen=True)
class Saved:
    view_id: str
    name: str
    page: str
    query: str
    created_at: datetime
    watched: bool
    seen_version: int | None


def too_long(query: str) -> bool:
    """True when a link of this query string would be refused by the server."""
    return len(query.encode("utf-8")) > QUERY_LIMIT


def new_id() -> str:
    return secrets.token_urlsafe(12)


def _name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if len(name) > MAX_NAME:
        raise ViewError(f"a name has at most {MAX_NAME} characters")
    return name


def save(path: Path, state: ViewState, name: str = "", *, watched: bool = False) -> str:
    """Keep ``state`` under a new id; returns the id."""
    query = urlstate.query_string(state)
    view_id = new_id()
    with store.connect(path) as con:
        seen = int(store._meta(con, "version") or 0) if watched else None
        con.execute(
            "INSERT INTO views VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [view_id, _name(name), state.page, query, _now(), watched, seen, _now()],
        )
    return view_id


def get(path: Path, view_id: str) -> Saved | None:
    if not ID_PATTERN.match(view_id or ""):
        return None
    with store.connect(path, read_only=True) as con:
        row = con.execute(
            "SELECT view_id, name, page, query, created_at, watched, seen_version FROM views "
            "WHERE view_id = ?",
            [view_id],
        ).fetchone()
    return Saved(*row) if row else None


def load(
    path: Path, view_id: str, *, is_country=lambda code: True
) -> tuple[ViewState, list[urlstate.Notice]] | None:
    """The saved view, decoded and checked like any link; None for an unknown id."""
    saved = get(path, view_id)
    if saved is None:
        return None
    page = saved.page if re.fullmatch(r"[a-z_]{1,32}", saved.page or "") else "overview"
    return urlstate.decode(saved.query, is_country=is_country, page=page)


def from_link(
    path: Path, query: str, *, is_country=lambda code: True, page: str = "overview"
) -> tuple[ViewState, list[urlstate.Notice]]:
    """A link's view, whether long (its parameters) or short (``view=ID``): what a script
    gets for the same address as the app. A short link opens the saved view whole, through
    :func:`load` (the app's own check), so its pinned data version comes with it; other
    parameters beside it are ignored, and said to be. An unknown id raises
    :class:`ViewError` rather than quietly exporting every event.
    """
    pairs = urlstate.parse_query_string(query.lstrip("?"))
    ids = [value for key, value in pairs if key == "view"]
    if not ids:
        return urlstate.decode(pairs, is_country=is_country, page=page)
    found = load(path, ids[0], is_country=is_country)
    if found is None:
        raise ViewError(f"there is no saved view {ids[0]!r} in the store {path}")
    state, notices = found
    ignored = [
        urlstate.Notice(key[:40], value, "a saved view is opened whole")
        for key, value in pairs
        if key != "view" or value != ids[0]
    ]
    return state, [*notices, *ignored]


def listed(path: Path) -> list[Saved]:
    with store.connect(path, read_only=True) as con:
        rows = con.execute(
            "SELECT view_id, name, page, query, created_at, watched, seen_version FROM views "
            "ORDER BY created_at DESC, view_id"
        ).fetchall()
    return [Saved(*row) for row in rows]


def _update(path: Path, view_id: str, sql: str, params: list) -> None:
    with store.connect(path) as con:
        found = con.execute("SELECT count(*) FROM views WHERE view_id = ?", [view_id]).fetchone()
        if not found[0]:
            raise ViewError(f"there is no saved view {view_id}")
        con.execute(f"UPDATE views SET {sql} WHERE view_id = ?", [*params, view_id])  # noqa: S608 - sql is one of the literals below


def rename(path: Path, view_id: str, name: str) -> None:
    _update(path, view_id, "name = ?", [_name(name)])


def watch(path: Path, view_id: str, watched: bool = True) -> None:
    """Watch a view from the current data version on (or stop watching it)."""
    _update(
        path,
        view_id,
        "watched = ?, seen_version = ?, seen_at = ?",
        [watched, _version(path) if watched else None, _now()],
    )


def mark_seen(path: Path, view_id: str) -> None:
    """The analyst opened the watched view: later changes are new from here."""
    _update(path, view_id, "seen_version = ?, seen_at = ?", [_version(path), _now()])


def delete(path: Path, view_id: str) -> None:
    with store.connect(path) as con:
        con.execute("DELETE FROM views WHERE view_id = ?", [view_id])


def _version(path: Path) -> int:
    with store.connect(path, read_only=True) as con:
        return int(store._meta(con, "version") or 0)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
