"""The link and the widgets, kept in step both ways.

One rule (Panel's guard, in words): the address bar wins when it changed since we last
wrote it (a new session, or a link followed inside the app); otherwise the widgets win
and the address bar is rewritten from them. That keeps a shared link exact, and keeps
the filters when a page switch empties the URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from dashboard import filters as filters_module
from dashboard import geo, urlstate
from dashboard.filters import Filters, ViewState
from dashboard.strings import notice_text, t

from . import share
from .keys import KEYS

#: Filter field -> session-state key of its widget.
#: View setting -> session-state key of its widget, and the page the widget is on.
VIEW_KEYS = {
    "sort": ("table_sort", "table"),
    "desc": ("table_desc", "table"),
    "table_page": ("table_page", "table"),
    "unit": ("timeline_freq", "timeline"),
}
#: The parameters the map's own script writes as the user pans (see maps.ViewportInLink).
VIEWPORT = ("lat", "lon", "zoom")
_LAST_QS = "_url_last_written"
_VIEW = "_view_extra"
_NOTICES = "_url_notices"
_STATE = "_state"
_ADOPTED = "_url_adopted_this_run"
#: The table's order as the event page keeps it (no widget there: Previous and Next walk
#: the filtered list in this order, and the event's link carries it).
_EVENT_ORDER = "_event_order"


def _url_pairs() -> list[tuple[str, str]]:
    qp = st.query_params
    return [(key, value) for key in qp for value in qp.get_all(key)]


def _adopt(state: ViewState) -> None:
    ss = st.session_state
    f = state.filters
    ss[KEYS["countries"]] = list(f.countries)
    ss[KEYS["date_from"]] = f.date_from.isoformat() if f.date_from else ""
    ss[KEYS["date_to"]] = f.date_to.isoformat() if f.date_to else ""
    ss[KEYS["types"]] = list(f.types)
    ss[KEYS["actors"]] = list(f.actors)
    ss[KEYS["text"]] = f.text
    ss[KEYS["batch"]] = f.batch
    ss[KEYS["as_of"]] = f.as_of
    ss[KEYS["places"]] = list(f.places)
    ss[KEYS["sub_types"]] = list(f.sub_types)
    ss[KEYS["fatalities_min"]] = f.fatalities_min
    ss[KEYS["fatalities_max"]] = f.fatalities_max
    for name, (key, _page) in VIEW_KEYS.items():
        ss[key] = getattr(state, name)
    ss[_EVENT_ORDER] = (state.sort, state.desc)
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


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹/", "01234567890123456789-")


def typed_date(text: str | None, *, end: bool = False) -> date | None:
    """A date typed in a box: 2022-05-11, or 2022-05 / 2022 for a whole month or year (its
    last day when it ends a range); Arabic-Indic digits and slashes are read too.

    Raises ValueError for text that is not such a date between 1900 and 2100.
    """
    text = (text or "").strip().translate(_DIGITS)
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(x) if x else None for x in match.groups())
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    if month is None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    if day is None:
        if end:
            following = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(year, month, 1)
    return date(year, month, day)


def _box_date(field: str) -> date | None:
    try:
        return typed_date(st.session_state.get(KEYS[field]), end=field == "date_to")
    except ValueError:
        return None


def _widget_filters() -> Filters:
    ss = st.session_state
    filters, _dropped = Filters.clean(
        countries=ss.get(KEYS["countries"]) or (),
        date_from=_box_date("date_from"),
        date_to=_box_date("date_to"),
        types=ss.get(KEYS["types"]) or (),
        actors=ss.get(KEYS["actors"]) or (),
        text=(ss.get(KEYS["text"]) or "")[: filters_module.MAX_TEXT],
        batch=ss.get(KEYS["batch"]) or "",
        as_of=ss.get(KEYS["as_of"]),
        places=ss.get(KEYS["places"]) or (),
        sub_types=ss.get(KEYS["sub_types"]) or (),
        fatalities_min=_whole(ss.get(KEYS["fatalities_min"])),
        fatalities_max=_whole(ss.get(KEYS["fatalities_max"])),
        is_country=geo.is_country_code,
    )
    return filters


def _whole(value) -> int | None:
    """A number box's value as the filter takes it (the box may hand back a float)."""
    return None if value is None else int(value)


def normalise_date_box(field: str) -> None:
    """A typed date settles into its full form (2022 -> 2022-01-01) when it is applied,
    so the box shows the very date the filter uses; text that is no date is kept, for the
    message under the box."""
    key = KEYS[field]
    try:
        value = typed_date(st.session_state.get(key), end=field == "date_to")
    except ValueError:
        return
    st.session_state[key] = value.isoformat() if value else ""


PRESET_KEY = "_date_preset"


def apply_date_preset() -> None:
    """A preset fills both date boxes (they stay editable) and the picker returns to its
    prompt, so the same preset can be chosen again after an edit."""
    from datetime import timedelta

    ss = st.session_state
    choice = ss.get(PRESET_KEY)
    today = date.today()
    if choice == "last30":
        start, end = today - timedelta(days=29), today
    elif choice == "thisyear":
        start, end = date(today.year, 1, 1), today
    elif isinstance(choice, int):
        start, end = date(choice, 1, 1), date(choice, 12, 31)
    else:
        return
    ss[KEYS["date_from"]], ss[KEYS["date_to"]] = start.isoformat(), end.isoformat()
    ss[PRESET_KEY] = None


def set_date_range(start: date, end: date) -> None:
    """Put a period chosen elsewhere (the timeline's brush) into the date boxes; called
    from a widget's callback, before the boxes are drawn, so the next run filters by it."""
    lo, hi = (max(min(d, date(2100, 12, 31)), date(1900, 1, 1)) for d in (start, end))
    st.session_state[KEYS["date_from"]] = lo.isoformat()
    st.session_state[KEYS["date_to"]] = hi.isoformat()


def date_box_error(field: str) -> str | None:
    """The text of a date box that is not a date (the filter ignores it), else None."""
    text = st.session_state.get(KEYS[field]) or ""
    try:
        typed_date(text)
    except ValueError:
        return text
    return None


def _view_settings(page: str) -> dict:
    """The table's and timeline's settings, from their widgets on their own page."""
    ss = st.session_state
    out = {}
    defaults = ViewState()
    for name, (key, on_page) in VIEW_KEYS.items():
        value = ss.get(key) if on_page == page else None
        out[name] = getattr(defaults, name) if value is None else value
    out["table_page"] = max(1, int(out["table_page"]))
    out["desc"] = bool(out["desc"])
    if page == "event":
        out["sort"], out["desc"] = ss.get(_EVENT_ORDER, (defaults.sort, defaults.desc))
    return out


def current_state(page: str = "overview") -> ViewState:
    extra = st.session_state.get(_VIEW, {})
    return ViewState(page=page, filters=_widget_filters(), **extra, **_view_settings(page))


def _without_viewport(pairs: list[tuple[str, str]]) -> str:
    return urlencode([(k, v) for k, v in pairs if k not in VIEWPORT])


def _strip_viewport(qs: str) -> str:
    return _without_viewport(urlstate.parse_query_string(qs))


def read_link(page: str) -> tuple[str, str]:
    """Adopt the link when it is new; returns (the UI language, the query string read).

    The map writes its viewport into the address bar itself, without a rerun; a link
    that differs from the one we wrote only there is the same view moved, so the
    widgets still win (their newest change is not undone by the older filters the
    address bar still holds) and only the viewport is taken from it.
    """
    ss = st.session_state
    pairs = _url_pairs()
    url_qs = urlencode(pairs)
    last = ss.get(_LAST_QS)
    ss[_ADOPTED] = False
    if last is None or (
        pairs and url_qs != last and _without_viewport(pairs) != _strip_viewport(last)
    ):
        state, notices = share.decode_link(pairs, page)
        _adopt(state)
        ss[_NOTICES] = notices
        ss[_ADOPTED] = last is not None
    elif pairs and url_qs != last:
        moved, notices = urlstate.decode(pairs, is_country=geo.is_country_code, page=page)
        ss[_VIEW] = {**ss[_VIEW], "lat": moved.lat, "lon": moved.lon, "zoom": moved.zoom}
        ss[_NOTICES] = notices  # the map writes valid ones; a hand-made link may not
    elif ss[_STATE].page != page:
        # Widgets on another page are other widgets to Streamlit, which starts them
        # empty; the state the last page settled on puts the filters back.
        _adopt(ss[_STATE])
    lang = ss[_VIEW].get("lang", "en")
    if not pairs:
        oversized_link_check(lang)
    return lang, url_qs


def write_link(page: str, url_qs: str) -> ViewState:
    """Write the widgets' state to the address bar (when it differs); returns that state.

    A new filter forgets the map's viewport, so the map fits what the filter selects. A
    link followed inside the app (a related event: the same page, another event) is
    written back even when the server already holds it: the browser's address bar has
    not moved yet, and writing it there adds the step to the browser's history.
    """
    ss = st.session_state
    state = current_state(page)
    before = ss.get(_STATE)
    changed = before is not None and before.page == page and before.filters != state.filters
    if changed and not ss.get(_ADOPTED):
        # A new filter: the map fits it anew and the table starts again at its first page.
        state = replace(state, lat=None, lon=None, zoom=None, table_page=1)
        ss[_VIEW] = {**ss[_VIEW], "lat": None, "lon": None, "zoom": None}
        ss[VIEW_KEYS["table_page"][0]] = 1
    new = urlstate.encode(state)
    new, new_qs = share.address(state, new, urlencode(new, doseq=True))
    if new_qs != url_qs or ss.get(_ADOPTED):
        _write_query_params(new)
    else:
        st.set_page_config(layout="wide")
    ss[_LAST_QS] = new_qs
    ss[_STATE] = state
    return state


def _write_query_params(params: dict[str, list[str]]) -> None:
    """Rewrite the address bar, keeping the wide layout: Streamlit's browser side falls
    back to the narrow, centred layout when the query string changes during a session's
    first run (and in a new server's first sessions), unless the layout is said again."""
    st.query_params.from_dict(params)
    st.set_page_config(layout="wide")


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
    _write_query_params(new)
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
                st.text(notice_text(notice.param, notice.value, notice.reason, lang))
            if len(notices) > 20:
                st.text(t("notice_more", lang, n=len(notices) - 20))


def share_link(state: ViewState) -> None:
    share.panel(state)


def batch_link(batch_id: str, lang: str) -> dict[str, list[str]]:
    """Query parameters of the events of one import batch, in this language."""
    return urlstate.encode(ViewState(filters=Filters(batch=batch_id), lang=lang))


def _event_view(event_id: str, state: ViewState) -> ViewState:
    """One event's page with the current filters and the table's order (its Previous and
    Next walk the filtered list in that order)."""
    return replace(urlstate.filters_only(state), event=event_id, sort=state.sort, desc=state.desc)


def event_params(event_id: str, state: ViewState) -> dict[str, list[str]]:
    """Query parameters of one event's page that keep the current filters."""
    return urlstate.encode(_event_view(event_id, state))


def event_link(event_id: str, state: ViewState) -> str:
    """A relative link to an event that keeps the current filters."""
    return "event?" + urlstate.query_string(_event_view(event_id, state))


def goto_event(event_id: str) -> None:
    page = st.session_state.get(_STATE, ViewState()).page
    st.switch_page("pages/event.py", query_params=event_params(event_id, current_state(page)))


def set_filters(filters: Filters) -> None:
    """Open the current page with other filters (a click on an actor): the link is
    rewritten and the next run adopts it, as it adopts any link followed inside the app."""
    state = replace(current_state(st.session_state.get(_STATE, ViewState()).page), filters=filters)
    st.query_params.from_dict(urlstate.encode(state))
    st.rerun()
