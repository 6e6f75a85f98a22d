"""Sharing a view: the link pinned to the data version, short links, watched views.

urlsync calls :func:`decode_link` to read the address bar and :func:`address` to write
it; the pages call :func:`pinned` (under the sentence), :func:`panel` (the share box) and
:func:`watchlist` (the overview). The state itself lives in dashboard.saved_views and
dashboard.versions; this module only draws it.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st

from dashboard import engines, geo, saved_views, urlstate, versions
from dashboard.filters import ViewState
from dashboard.store import StoreBusy
from dashboard.strings import t

from . import resources
from .keys import KEYS, PAGE_NAMES

#: Session keys: (view id, query string it holds) of the short link in the address bar.
_SHORT = "_short_link"
_AUTOSAVED = "_short_autosaved"
_MADE = "_short_made"


def data_version() -> int:
    """The data version the pages are showing (that of the in-memory copy; on Spark, the
    store's version the lake was exported at, else the store's)."""
    if engines.configured() == "spark":
        entry = resources.query().engine.history_entry
        if entry and entry.get("store_version") is not None:
            return int(entry["store_version"])
        return versions.current(resources.store_path())
    cursor = resources.hot_copy().cursor()
    return int(cursor.execute("SELECT version FROM _store").fetchone()[0] or 0)


def decode_link(pairs: list[tuple[str, str]], page: str):
    """A link's state and notices; ``?view=ID`` opens the saved view (on its own page)."""
    ids = [value for key, value in pairs if key == "view"]
    rest = [(key, value) for key, value in pairs if key != "view"]
    if not ids:
        return urlstate.decode(rest, is_country=geo.is_country_code, page=page)
    view_id = ids[0]
    found = saved_views.load(resources.store_path(), view_id, is_country=geo.is_country_code)
    if found is None:
        state, notices = urlstate.decode(rest, is_country=geo.is_country_code, page=page)
        lang = state.lang
        return state, [
            *notices,
            urlstate.Notice("view", view_id, t("view_unknown", lang, id=view_id)),
        ]
    state, notices = found
    if state.page != page and state.page in _pages():
        st.switch_page(f"pages/{state.page}.py", query_params={"view": view_id})
    state = replace(state, page=page)
    st.session_state[_SHORT] = (view_id, urlstate.query_string(state))
    saved = saved_views.get(resources.store_path(), view_id)
    if saved is not None and saved.watched:
        saved_views.mark_seen(resources.store_path(), view_id)
    return state, notices


def _pages() -> tuple[str, ...]:

    return PAGE_NAMES


def address(state: ViewState, params: dict, query: str) -> tuple[dict, str]:
    """What the address bar holds for ``state``: its short link while the view is the one
    the short link opened, or one saved now when the long form is too long to be opened."""
    ss = st.session_state
    short = ss.get(_SHORT)
    if short and short[1] == query:
        return {"view": [short[0]]}, f"view={short[0]}"
    if saved_views.too_long(query):
        view_id = saved_views.save(resources.store_path(), state)
        ss[_SHORT] = (view_id, query)
        ss[_AUTOSAVED] = len(query.encode("utf-8"))
        return {"view": [view_id]}, f"view={view_id}"
    ss.pop(_SHORT, None)
    return params, query


def _origin() -> str:
    url = st.context.url or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def pinned(state: ViewState) -> None:
    """Under the sentence: what a link of an earlier data version shows, and what changed."""
    lang = state.lang
    size = st.session_state.pop(_AUTOSAVED, None)
    if size:
        st.info(t("share_autosaved", lang, kb=size // 1024, limit=saved_views.QUERY_LIMIT // 1024))
    v = state.filters.as_of
    if v is None:
        return
    since = versions.since(resources.store_path(), v)
    if not since.changed:
        return
    with st.container(border=True):
        st.warning(t("pinned", lang, v=v, now=since.now))
        if since.known:
            st.text(
                t(
                    "pinned_changes_spark" if _no_history() else "pinned_changes",
                    lang,
                    added=since.added,
                    edited=since.edited,
                    removed=since.removed,
                )
            )
            lost = resources.as_of_patch(v).lost
            if lost:
                st.text(t("pinned_lost", lang, lost=lost))
        else:
            st.text(t("pinned_unknown", lang, v=v, first=v + 1))
        st.caption(t("pinned_as_was", lang, v=v))
        st.button(t("pinned_current", lang), on_click=_current, key="pinned_current")


def _no_history() -> bool:
    """On Spark over a lake that keeps no history (ingested only), edits and deletions
    since a link's version are shown as they are now: the notice says so."""
    return engines.configured() == "spark" and not resources.query().engine.has_history


def _current() -> None:

    st.session_state[KEYS["as_of"]] = None


def panel(state: ViewState) -> None:
    """The share box: the long link pinned to the data version, a short link, a brief."""
    lang = state.lang
    version = data_version()
    pinned_state = (
        state
        if state.filters.as_of is not None
        else replace(state, filters=replace(state.filters, as_of=version))
    )
    query = urlstate.query_string(pinned_state)
    base = st.context.url or ""
    with st.expander(t("share", lang)):
        st.caption(t("share_help", lang))
        st.caption(t("share_pinned", lang, v=pinned_state.filters.as_of))
        if not saved_views.too_long(query):
            st.code(f"{base}?{query}", language=None, wrap_lines=True)
        name = st.text_input(
            t("share_name", lang), key="share_name", max_chars=saved_views.MAX_NAME
        )
        watch = st.checkbox(t("share_watch", lang), key="share_watch")
        if st.button(t("share_short", lang), help=t("share_short_help", lang), key="share_short"):
            view_id = saved_views.save(resources.store_path(), pinned_state, name, watched=watch)
            st.session_state[_MADE] = view_id
        made = st.session_state.get(_MADE)
        if made:
            st.caption(t("share_short_made", lang))
            st.code(f"{_origin()}/?view={made}", language=None)
        _brief_buttons(pinned_state, made)


def _brief_buttons(state: ViewState, view_id: str | None) -> None:
    try:
        from . import brief_ui
    except ImportError:  # the brief is optional
        return
    brief_ui.buttons(state, view_id)


def watchlist(state: ViewState) -> None:
    """On the overview: per watched view, the events added or changed since last opened."""
    lang = state.lang
    path = resources.store_path()
    try:
        watched = [v for v in resources.saved_views_listed() if v.watched]
    except StoreBusy:  # a decoration of the overview: never worth failing the page
        st.caption(t("watch_busy", lang))
        return
    if not watched:
        return
    st.subheader(t("watch_title", lang))
    for view in watched:
        news = _news(path, view)
        name = view.name or view.view_id
        with st.container(border=True):
            if not news:
                st.text(t("watch_none", lang, name=name))
            else:
                st.text(t("watch_new", lang, n=len(news), name=name))
                for event_id, how in news[:10]:
                    st.page_link(
                        "pages/event.py",
                        label=f"{event_id} ({t('watch_' + how, lang)})",
                        query_params={"event": event_id, "lang": lang},
                    )
            st.page_link(
                f"pages/{view.page if view.page in _pages() else 'overview'}.py",
                label=t("watch_open", lang),
                query_params={"view": view.view_id},
            )


def _news(path, view: saved_views.Saved) -> list[tuple[str, str]]:
    from dashboard import watch

    return watch.news(path, view)


def views_page(state: ViewState) -> None:
    """The list of saved views: each opens, is renamed, watched or deleted in place."""
    lang = state.lang
    path = resources.store_path()
    views = saved_views.listed(path)
    if not views:
        st.info(t("views_none", lang))
        return
    for view in views:
        with st.container(border=True):
            label = view.name or view.view_id
            st.text(f"{label} · /{view.page} · {view.created_at:%Y-%m-%d %H:%M}")
            st.code(f"{_origin()}/?view={view.view_id}", language=None)
            cols = st.columns([3, 1, 1, 1])
            name = cols[0].text_input(
                t("views_rename", lang),
                value=view.name,
                key=f"rename_{view.view_id}",
                max_chars=saved_views.MAX_NAME,
            )
            if name != view.name:
                saved_views.rename(path, view.view_id, name)
                st.rerun()
            watched = cols[1].checkbox(
                t("views_watched", lang), value=view.watched, key=f"watch_{view.view_id}"
            )
            if watched != view.watched:
                saved_views.watch(path, view.view_id, watched)
                st.rerun()
            cols[2].page_link(
                f"pages/{view.page if view.page in _pages() else 'overview'}.py",
                label=t("views_open", lang),
                query_params={"view": view.view_id},
            )
            if cols[3].button(t("views_delete", lang), key=f"delete_{view.view_id}"):
                saved_views.delete(path, view.view_id)
                st.toast(t("views_deleted", lang, name=label))
                st.rerun()
