"""Watched views: what was added to or changed in a saved view since it was last opened.

The overview and ``python -m dashboard watch`` both ask :func:`report`, so they agree.
"""

from __future__ import annotations

from dataclasses import replace

from . import saved_views, urlstate, versions
from .engines.sql import SqlEngine
from .query import EventQuery
from .store import connect


def news(path, view: saved_views.Saved, limit: int = 200) -> list[tuple[str, str]]:
    """(event id, 'added'/'edited') of the events the view selects now that were added or
    edited after the version its watcher last saw, newest first."""
    seen = view.seen_version or 0
    changed = versions.changed_events(path, seen, limit=10_000)
    if not changed:
        return []
    state, _ = urlstate.decode(view.query)
    # Watching means following the view forward: its filters, on the current data.
    f = replace(state.filters, as_of=None)
    with connect(path, read_only=True) as con:
        ids = set(
            EventQuery(SqlEngine(con.cursor()))
            .rows(f, limit=None, columns=("event_id",))["event_id"]
            .tolist()
        )
    return [(event_id, how) for event_id, how in changed if event_id in ids][:limit]


def report(path) -> list[dict]:
    """One entry per watched view: its id, name, link and what is new in it."""
    out = []
    for view in saved_views.listed(path):
        if not view.watched:
            continue
        found = news(path, view)
        out.append(
            {
                "view": view.view_id,
                "name": view.name,
                "page": view.page,
                "link": f"/?view={view.view_id}",
                "seen_version": view.seen_version,
                "new": [{"event_id": e, "how": how} for e, how in found],
            }
        )
    return out
