"""The link and the widgets, kept in step both ways.

One rule (Panel's guard, in words): the address bar wins when it changed since we last
wrote it (a new session, or a link followed inside the app); otherwise the widgets win
and the address bar is rewritten from them. That keeps a shared link exact, and keeps
the filters when a page switch empties the URL.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from dashboard import urlstate
from dashboard.filters import Filters, ViewState
from dashboard.schema import EVENT_TYPES
from dashboard.strings import t

from . import share

#: Filter field -> session-state key of its widget.
KEYS = {
    "countries": "f_country",
    "date_from": "f_from",
    "date_to": "f_to",
    "types": "f_type",
    "actors": "f_actor",
    "text": "f_q",
    "batch": "f_batch",  # no widget: set by a link, cleared by a button
    "as_of": "f_v",  # no widget: the data version a link was made on (ui/share.py)
}
_LAST_QS = "_url_last_written"
_VIEW = "_view_extra"
_NOTICES = "_url_notices"
_STATE = "_state"


def _url_pairs() -> list[tuple[str, str]]:
    qp = st.query_params
    return [(key, value) for key in qp for value in qp.get_all(key)]


def _adopt(state: ViewState) -> None:
    ss = st.session_state
    f = state.filters
    ss[KEYS["countries"]] = list(f.countries)
    ss[KEYS["date_from"]] = f.date_from
    ss[KEYS["date_to"]] = f.date_to
    ss[KEYS["types"]] = list(f.types)
    ss[KEYS["actors"]] = list(f.actors)
    ss[KEYS["text"]] = f.text
    ss[KEYS["batch"]] = f.batch
    ss[KEYS["as_of"]] = f.as_of
    ss[_VIEW] = {
        "event": state.event,
        "lang": state.lang,
        "lat": state.lat,
        "lon": state.lon,
        "zoom": state.zoom,
        "window": state.window,
        "window_types": state.window_types,
        "window_country": state.window_country,
        "step": state.step,
    }


def _widget_filters() -> Filters:
    ss = st.session_state
    start, end = ss.get(KEYS["date_from"]), ss.get(KEYS["date_to"])
    if start and end and start > end:
        start, end = end, start
    return Filters(
        countries=tuple(ss.get(KEYS["countries"]) or ()),
        date_from=start,
        date_to=end,
        types=tuple(x for x in EVENT_TYPES if x in (ss.get(KEYS["types"]) or ())),
        actors=tuple(dict.fromkeys(a.strip() for a in ss.get(KEYS["actors"]) or () if a.strip())),
        text=(ss.get(KEYS["text"]) or "").strip()[:200],
        batch=ss.get(KEYS["batch"]) or "",
        as_of=ss.get(KEYS["as_of"]),
    )


def current_state(page: str = "overview") -> ViewState:
    extra = st.session_state.get(_VIEW, {})
    return ViewState(page=page, filters=_widget_filters(), **extra)


def read_link(page: str) -> tuple[str, str]:
    """Adopt the link when it is new; returns (the UI language, the query string read)."""
    ss = st.session_state
    pairs = _url_pairs()
    url_qs = urlencode(pairs)
    if _LAST_QS not in ss or (pairs and url_qs != ss[_LAST_QS]):
        state, notices = share.decode_link(pairs, page)
        _adopt(state)
        ss[_NOTICES] = notices
    elif ss[_STATE].page != page:
        # Widgets on another page are other widgets to Streamlit, which starts them
        # empty; the state the last page settled on puts the filters back.
        _adopt(ss[_STATE])
    lang = ss[_VIEW].get("lang", "en")
    if not pairs:
        oversized_link_check(lang)
    return lang, url_qs


def write_link(page: str, url_qs: str) -> ViewState:
    """Write the widgets' state to the address bar (when it differs); returns that state."""
    ss = st.session_state
    state = current_state(page)
    new = urlstate.encode(state)
    new, new_qs = share.address(state, new, urlencode(new, doseq=True))
    if new_qs != url_qs:
        st.query_params.from_dict(new)
    ss[_LAST_QS] = new_qs
    ss[_STATE] = state
    return state


def view_lang() -> str:
    return st.session_state.get(_VIEW, {}).get("lang", "en")


def set_lang(choice: str) -> None:
    st.session_state[_VIEW] = {**st.session_state.get(_VIEW, {}), "lang": choice}


def clear_filters() -> None:
    _adopt(ViewState(lang=view_lang()))


def clear_batch() -> None:
    st.session_state[KEYS["batch"]] = ""


def set_view(**values) -> None:
    """Change page state held in the link (selected event, map viewport) and rewrite the URL."""
    extra = dict(st.session_state.get(_VIEW, {}))
    extra.update(values)
    st.session_state[_VIEW] = extra
    state = current_state(st.session_state.get(_STATE, ViewState()).page)
    st.session_state[_STATE] = state
    new = urlstate.encode(state)
    st.query_params.from_dict(new)
    st.session_state[_LAST_QS] = urlencode(new, doseq=True)


def oversized_link_check(lang: str) -> None:
    """Say so when Streamlit dropped the whole query string of an oversized link.

    The server never sees such a link (it drops more than 1,000 fields or 512 KB without a
    word), so only the browser can tell: a fixed script, with no data in it, compares the
    address bar with those limits and puts our notice at the top of the page.
    """
    message = json.dumps(t("oversized", lang))
    script = (
        "<script>(function(){const q=window.location.search.slice(1);"
        f"if(!q||(q.split('&').length<={urlstate.STREAMLIT_MAX_FIELDS}"
        f"&&q.length<={urlstate.STREAMLIT_MAX_CHARS}))return;"
        "if(document.querySelector('[data-testid=oversized-link-notice]'))return;"
        "const d=document.createElement('div');"
        "d.setAttribute('data-testid','oversized-link-notice');"
        f"d.setAttribute('role','alert');d.textContent={message};"
        "d.style.cssText='background:#fff3cd;color:#664d03;padding:.75rem 1rem;margin:.5rem 0;"
        "border-radius:.5rem;border:1px solid #ffe69c';"
        "const m=document.querySelector('[data-testid=stMainBlockContainer]')||document.body;"
        "m.prepend(d);})();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def link_notices(lang: str) -> None:
    """What the link asked for and did not get, once, on the page it opened (every page
    shows them: kept for a later page, they would describe a link nobody just followed)."""
    notices = st.session_state.pop(_NOTICES, [])
    if notices:
        with st.container(border=True):
            st.warning(t("notice_title", lang))
            for notice in notices[:20]:
                st.text(str(notice))
            if len(notices) > 20:
                st.text(f"… {len(notices) - 20} more")


def share_link(state: ViewState) -> None:
    share.panel(state)


def batch_link(batch_id: str, lang: str) -> dict[str, list[str]]:
    """Query parameters of the events of one import batch, in this language."""
    return urlstate.encode(ViewState(filters=Filters(batch=batch_id), lang=lang))


def event_params(event_id: str, state: ViewState) -> dict[str, list[str]]:
    """Query parameters of one event's page that keep the current filters."""
    return urlstate.encode(replace(urlstate.filters_only(state), event=event_id))


def event_link(event_id: str, state: ViewState) -> str:
    """A relative link to an event that keeps the current filters."""
    target = replace(urlstate.filters_only(state), event=event_id)
    return "event?" + urlstate.query_string(target)


def goto_event(event_id: str) -> None:
    st.switch_page("pages/event.py", query_params=event_params(event_id, current_state()))


def set_filters(filters: Filters) -> None:
    """Open the current page with other filters (a click on an actor): the link is
    rewritten and the next run adopts it, as it adopts any link followed inside the app."""
    state = replace(current_state(st.session_state.get(_STATE, ViewState()).page), filters=filters)
    st.query_params.from_dict(urlstate.encode(state))
    st.rerun()
