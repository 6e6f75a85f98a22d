"""The one Streamlit module of the package: sidebar, URL sync, share link, cached handles.

URL sync follows one rule (Panel's guard, in words): the address bar wins when it
changed since we last wrote it (a new session, or a link followed inside the app);
otherwise the widgets win and the address bar is rewritten from them. That keeps a
shared link exact, and keeps the filters when a page switch empties the URL.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from . import geo, store, urlstate
from .filters import Filters, ViewState
from .query import EventQuery
from .schema import EVENT_TYPES
from .strings import (
    LANG_NAMES,
    date_text,
    plotly_locale,
    sentence_strings,
    t,
    type_label,
    value_label,
)
from .text import md_escape

STATIC_DIR = store.REPO / "static"
_KEYS = {
    "countries": "f_country",
    "date_from": "f_from",
    "date_to": "f_to",
    "types": "f_type",
    "actors": "f_actor",
    "text": "f_q",
    "batch": "f_batch",  # no widget: set by a link, cleared by a button
}
_LAST_QS = "_url_last_written"
_VIEW = "_view_extra"
_NOTICES = "_url_notices"


@st.cache_resource(show_spinner=False, max_entries=2)
def _memory(path: str, version: tuple) -> object:
    """The in-memory copy of the store for this version of the file (shared by all sessions)."""
    return store.load_memory(Path(path))


@st.cache_resource(show_spinner="Preparing the event store…")
def _ensure(path: str) -> tuple[str, tuple[str, ...]]:
    """The store ready to open, and what to say about it (a store of a newer layout is
    read-only). A file that is not a store raises: errors are not cached, so a fixed
    path is tried again on the next run."""
    notices: list[str] = []
    store.ensure_store(Path(path), notices=notices)
    from .maps import ensure_outlines
    from .static_assets import ensure_static_assets

    ensure_static_assets(STATIC_DIR)
    ensure_outlines(STATIC_DIR)
    return path, tuple(notices)


def store_path() -> Path:
    """The store's path; if the file there is not a store the app can use (someone else's
    database, a layout it cannot upgrade), the page says so and stops: nothing is changed."""
    try:
        path, _ = _ensure(str(store.default_store_path()))
    except store.StoreError as exc:
        st.error(md_escape(str(exc)))
        st.stop()
    return Path(path)


def store_notices() -> None:
    for notice in _ensure(str(store.default_store_path()))[1]:
        st.warning(md_escape(notice))


def hot_copy() -> store.HotCopy:
    """The in-memory copy of the store's current version, shared by every session."""
    path = store_path()
    return _memory(str(path), store.store_version(path))


def query() -> EventQuery:
    """A query object on a fresh cursor: one DuckDB connection, a cursor per session run."""
    return EventQuery(hot_copy())


@st.cache_data(show_spinner=False, max_entries=4)
def _actor_names(version: tuple) -> list[str]:
    return query().actor_names()


def _url_pairs() -> list[tuple[str, str]]:
    qp = st.query_params
    return [(key, value) for key in qp for value in qp.get_all(key)]


def _adopt(state: ViewState) -> None:
    ss = st.session_state
    f = state.filters
    ss[_KEYS["countries"]] = list(f.countries)
    ss[_KEYS["date_from"]] = f.date_from
    ss[_KEYS["date_to"]] = f.date_to
    ss[_KEYS["types"]] = list(f.types)
    ss[_KEYS["actors"]] = list(f.actors)
    ss[_KEYS["text"]] = f.text
    ss[_KEYS["batch"]] = f.batch
    ss[_VIEW] = {
        "event": state.event,
        "lang": state.lang,
        "lat": state.lat,
        "lon": state.lon,
        "zoom": state.zoom,
    }


def _widget_filters() -> Filters:
    ss = st.session_state
    start, end = ss.get(_KEYS["date_from"]), ss.get(_KEYS["date_to"])
    if start and end and start > end:
        start, end = end, start
    return Filters(
        countries=tuple(ss.get(_KEYS["countries"]) or ()),
        date_from=start,
        date_to=end,
        types=tuple(x for x in EVENT_TYPES if x in (ss.get(_KEYS["types"]) or ())),
        actors=tuple(dict.fromkeys(a.strip() for a in ss.get(_KEYS["actors"]) or () if a.strip())),
        text=(ss.get(_KEYS["text"]) or "").strip()[:200],
        batch=ss.get(_KEYS["batch"]) or "",
    )


def current_state(page: str = "overview") -> ViewState:
    extra = st.session_state.get(_VIEW, {})
    return ViewState(page=page, filters=_widget_filters(), **extra)


def _oversized_link_check(lang: str) -> None:
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


def _set_lang() -> None:
    choice = st.session_state.get("_lang_choice") or "en"
    st.session_state[_VIEW] = {**st.session_state.get(_VIEW, {}), "lang": choice}


#: Right-to-left for the Arabic interface. Streamlit has none of its own; text blocks,
#: widgets and the sidebar flip, while charts, maps and data grids keep their own
#: left-to-right geometry (their axes and canvases are not text).
RTL_CSS = """<style>
.stApp { font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "Source Sans", sans-serif; }
[data-testid="stSidebar"], [data-testid="stMain"] { direction: rtl; }
[data-testid="stMarkdownContainer"], [data-testid="stText"], [data-testid="stCaptionContainer"],
[data-testid="stWidgetLabel"], h1, h2, h3 { text-align: right; }
[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], iframe,
[data-testid="stCode"], [data-testid="stDateInputFieldsScroller"] { direction: ltr; }
</style>"""


@st.cache_resource(show_spinner=False)
def _arabic_chrome_html() -> str:
    """The tag that loads the Arabic-chrome script (Streamlit's own widget words in Arabic).

    The script is fixed (see static_assets.chrome_script): it is served from static/ like
    the map's Leaflet; where static/ cannot be written it goes inline instead.
    """
    from .static_assets import chrome_script, write_chrome_script

    try:
        url = write_chrome_script(STATIC_DIR)
        return f'<script src="{url}" data-dashboard-chrome="ar"></script>'
    except OSError:
        script = chrome_script()
        return f'<script data-dashboard-chrome="ar">{script}</script>' if "</" not in script else ""


def _arabic_chrome() -> None:
    """Load the Arabic-chrome script (once per page; it keeps working across reruns)."""
    html = _arabic_chrome_html()
    if html:
        st.html(html, unsafe_allow_javascript=True)


def _clear_batch() -> None:
    st.session_state[_KEYS["batch"]] = ""


def batch_link(batch_id: str, lang: str) -> dict[str, list[str]]:
    """Query parameters of the events of one import batch, in this language."""
    return urlstate.encode(ViewState(filters=Filters(batch=batch_id), lang=lang))


def _clear_filters() -> None:
    _adopt(ViewState(lang=st.session_state.get(_VIEW, {}).get("lang", "en")))


#: The pages in navigation order; names match the files under pages/ and the url paths.
PAGE_NAMES = ("overview", "map", "timeline", "table", "event", "curate", "import")


def page(name: str) -> tuple[ViewState, EventQuery]:
    """What every page starts with: the sidebar drawn, the link read and written."""
    state = sidebar(name)
    store_notices()
    return state, query()


def sidebar(page: str) -> ViewState:
    """Read the link, draw navigation and filters, write the link; returns the view state."""
    ss = st.session_state
    pairs = _url_pairs()
    url_qs = urlencode(pairs)
    if _LAST_QS not in ss or (pairs and url_qs != ss[_LAST_QS]):
        state, notices = urlstate.decode(pairs, is_country=geo.is_country_code, page=page)
        _adopt(state)
        ss[_NOTICES] = notices
    elif ss["_state"].page != page:
        # Widgets on another page are other widgets to Streamlit, which starts them
        # empty; the state the last page settled on puts the filters back.
        _adopt(ss["_state"])
    lang = ss[_VIEW].get("lang", "en")
    ss["_lang_choice"] = lang
    if not pairs:
        _oversized_link_check(lang)
    if lang == "ar":
        st.html(RTL_CSS)

    with st.sidebar:
        st.markdown(f"### {t('app_title', lang)}")
        st.segmented_control(
            t("language", lang),
            list(LANG_NAMES),
            key="_lang_choice",
            format_func=LANG_NAMES.get,
            on_change=_set_lang,
            label_visibility="collapsed",
        )
        nav_state = urlstate.filters_only(current_state(page))
        for name in PAGE_NAMES:
            st.page_link(
                f"pages/{name}.py",
                label=t(f"nav_{name}", lang),
                query_params=urlstate.encode(nav_state),
            )
        st.divider()
        st.markdown(f"**{t('filters', lang)}**")
        codes = geo.countries()["iso3"].tolist()
        st.multiselect(
            t("countries", lang),
            codes,
            key=_KEYS["countries"],
            format_func=lambda c: f"{geo.country_name(c, lang)} ({c})",
            placeholder=t("choose", lang),
        )
        col1, col2 = st.columns(2)
        bounds = dict(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31), format="YYYY-MM-DD")
        col1.date_input(t("date_from", lang), key=_KEYS["date_from"], **bounds)
        col2.date_input(t("date_to", lang), key=_KEYS["date_to"], **bounds)
        st.multiselect(
            t("types", lang),
            list(EVENT_TYPES),
            key=_KEYS["types"],
            format_func=lambda x: type_label(x, lang),
            placeholder=t("choose", lang),
        )
        path = store_path()
        names = _actor_names(store.store_version(path))
        chosen = ss.get(_KEYS["actors"]) or []
        st.multiselect(
            t("actors", lang),
            list(dict.fromkeys([*chosen, *names])),
            key=_KEYS["actors"],
            accept_new_options=True,
            placeholder=t("choose_or_add", lang),
            help=t("actors_help", lang),
        )
        st.text_input(t("text", lang), key=_KEYS["text"], help=t("text_help", lang), max_chars=200)
        if ss.get(_KEYS["batch"]):
            st.caption(t("batch_only", lang, b=ss[_KEYS["batch"]]))
            st.button(t("batch_clear", lang), on_click=_clear_batch)
        st.button(t("reset", lang), on_click=_clear_filters)
        if lang == "ar":
            _arabic_chrome()

    state = current_state(page)
    new = urlstate.encode(state)
    new_qs = urlencode(new, doseq=True)
    if new_qs != url_qs:
        st.query_params.from_dict(new)
    ss[_LAST_QS] = new_qs
    ss["_state"] = state
    return state


def set_view(**values) -> None:
    """Change page state held in the link (selected event, map viewport) and rewrite the URL."""
    extra = dict(st.session_state.get(_VIEW, {}))
    extra.update(values)
    st.session_state[_VIEW] = extra
    state = current_state(st.session_state.get("_state", ViewState()).page)
    st.session_state["_state"] = state
    new = urlstate.encode(state)
    st.query_params.from_dict(new)
    st.session_state[_LAST_QS] = urlencode(new, doseq=True)


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


def header(state: ViewState, q: EventQuery, count: int | None = None) -> int:
    """Notices about the link, the plain-language sentence, and the share link."""
    lang = state.lang
    link_notices(lang)
    if count is None:
        try:
            count = q.count(state.filters)
        except store.StoreChanged:
            # An import or an edit landed during this run: the next run reads the new
            # version (the text of this page is matched first, here, on every page).
            st.rerun()
    st.markdown(
        describe(state, count)
        .replace("\\", "\\\\")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("[", "\\[")
    )
    return count


def describe(state: ViewState, count: int) -> str:
    lang = state.lang
    return state.filters.describe(
        count,
        country_name=lambda c: geo.country_name(c, lang),
        type_name=lambda x: type_label(x, lang),
        strings=sentence_strings(lang),
    )


def share_link(state: ViewState) -> None:
    base = st.context.url or ""
    qs = urlstate.query_string(state)
    with st.expander(t("share", state.lang)):
        st.caption(t("share_help", state.lang))
        st.code(f"{base}?{qs}" if qs else base, language=None, wrap_lines=True)


def event_link(event_id: str, state: ViewState) -> str:
    """A relative link to an event that keeps the current filters."""
    target = replace(urlstate.filters_only(state), event=event_id)
    return "event?" + urlstate.query_string(target)


def goto_event(event_id: str) -> None:
    state = replace(urlstate.filters_only(current_state()), event=event_id)
    st.switch_page("pages/event.py", query_params=urlstate.encode(state))


# --- views shared by the pages -------------------------------------------------------------

TIMELINE_MAX_EVENTS = 2000
MAP_MAX_POINTS = 2000
PAGE_SIZE = 100


def _type_labels(lang: str) -> dict[str, str]:
    return {x: type_label(x, lang) for x in EVENT_TYPES}


@st.cache_resource(show_spinner=False)
def _boundaries():
    """Shared, read-only: builders copy what they change."""
    from .maps import country_frame

    return country_frame(STATIC_DIR)


@st.cache_data(show_spinner=False, max_entries=64)
def _aggregate(version: tuple, f: Filters, what: str, arg: object = None):
    """One view's query results for one filter model on one version of the store.

    Shared by reruns and sessions: going back to a filter, or a second reader of the same
    link, costs no query. ``version`` changes with every import or edit, so nothing stale
    is served.
    """
    q = query()
    if what == "types":
        return q.counts_by(f, "event_type")
    if what == "timeline":
        return q.rows(f, limit=TIMELINE_MAX_EVENTS), q.period_counts(f, arg), q.count(f)
    if what == "map":
        layer = q.map_layer(f, zoom=arg, max_points=MAP_MAX_POINTS)
        counts = q.counts_by(f, "country")
        return layer, counts, q.count(f) - q.count_located(f)
    raise ValueError(what)


def _version() -> tuple:
    return store.store_version(store_path())


def type_counts_chart(state: ViewState, q: EventQuery) -> None:
    from . import charts

    counts = _aggregate(_version(), state.filters, "types")
    st.markdown(f"**{t('by_type', state.lang)}**")
    fig = charts.type_counts_figure(counts, labels=_type_labels(state.lang))
    st.plotly_chart(
        fig, width="stretch", config={"displayModeBar": False, **plotly_locale(state.lang)}
    )


def timeline_chart(state: ViewState, q: EventQuery, *, freq: str, height: int, key: str) -> None:
    """The timeline; a click on an event selects it (event=ID in the link)."""
    from . import charts

    events, counts, total = _aggregate(_version(), state.filters, "timeline", freq)
    if total > TIMELINE_MAX_EVENTS:
        # Every event is in the counts below; only the newest are drawn one by one.
        st.caption(t("timeline_capped", state.lang, shown=f"{len(events):,}", n=f"{total:,}"))
    fig = charts.timeline_figure(
        events,
        counts,
        freq=freq,
        labels=_type_labels(state.lang),
        selected_id=state.event,
        lang=state.lang,
        empty_text=t("no_events", state.lang),
    )
    fig.update_layout(height=height)
    result = st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False, **plotly_locale(state.lang)},
    )
    picked = _picked_event(result)
    if picked and picked != state.event:
        set_view(event=picked)
        st.rerun()


def _picked_event(result) -> str | None:
    try:
        points = result["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data:
            data = data[0]
        if isinstance(data, str) and data:
            return data
    return None


def _map(
    state: ViewState, q: EventQuery, *, tiles: bool, height: int, key: str, viewport: bool = False
) -> None:
    from streamlit_folium import st_folium

    from . import maps

    # Few events: each is a marker. Many: counts per grid cell, made in the query engine
    # and finer at a higher zoom, so the map stays small however many events match.
    layer, counts, hidden = _aggregate(_version(), state.filters, "map", state.zoom)
    points = layer.frame if layer.kind == "points" else layer.frame.iloc[0:0]
    counts = counts.rename(columns={"country": "iso3"})
    center = [state.lat, state.lon] if state.lat is not None else None
    fmap = maps.build_event_map(
        points,
        counts.dropna(),
        _boundaries(),
        lang=state.lang,
        center=center,
        zoom=state.zoom,
        tiles=tiles,
        selected_id=state.event,
        labels=_type_labels(state.lang),
        cells=layer.frame if layer.kind == "cells" else None,
        viewport_in_link=viewport,
    )
    if layer.kind == "cells":
        st.caption(t("map_cells", state.lang, n=f"{layer.located:,}"))
    result = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=maps.MAP_RETURNED_OBJECTS,
    )
    clicked = (result or {}).get("last_object_clicked")
    if clicked:
        picked = maps.event_at(
            points,
            clicked.get("lat"),
            clicked.get("lng"),
            tooltip=result.get("last_object_clicked_tooltip"),
        )
        if picked and picked != state.event:
            set_view(event=picked)
            st.rerun()
    if hidden:
        st.caption(t("map_hidden", state.lang, n=hidden))


def small_map(state: ViewState, q: EventQuery, *, key: str) -> None:
    _map(state, q, tiles=False, height=360, key=key)


def event_map(state: ViewState, q: EventQuery, *, tiles: bool, height: int, key: str) -> None:
    _map(state, q, tiles=tiles, height=height, key=key, viewport=True)


def _first_url(sources) -> str | None:
    from .maps import safe_url

    for source in sources or []:
        url = safe_url(source.get("url"))
        if url:
            return url
    return None


def _display_frame(state: ViewState, frame):
    import pandas as pd

    lang = state.lang
    return pd.DataFrame(
        {
            t("col_date", lang): [
                date_text(r.event_date, r.end_date, r.date_precision, lang)
                for r in frame.itertuples()
            ],
            t("col_type", lang): [type_label(x, lang) for x in frame["event_type"]],
            t("col_title", lang): [_title(r.title, r.title_ar, lang) for r in frame.itertuples()],
            t("col_country", lang): [geo.country_name(c, lang) for c in frame["country"]],
            t("col_location", lang): frame["location"].fillna(""),
            t("col_verification", lang): [
                t("unverified", lang) if v == "unverified" else "" for v in frame["verification"]
            ],
            t("col_source", lang): [_first_url(s) for s in frame["sources"]],
            t("col_event", lang): [event_link(e, state) for e in frame["event_id"]],
        }
    )


def _title(title: str, title_ar: str, lang: str) -> str:
    """The title in the UI language, or the other one marked as such."""
    if lang == "ar":
        return title_ar or (f"{title} {t('in_english', lang)}" if title else "")
    return title or (f"{title_ar} {t('in_arabic', lang)}" if title_ar else "")


def events_table(state: ViewState, frame, *, key: str) -> None:
    """Rows as plain text (never HTML); source and event columns are links."""
    lang = state.lang
    display = _display_frame(state, frame)
    result = st.dataframe(
        display,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            t("col_source", lang): st.column_config.LinkColumn(display_text=t("source_link", lang)),
            t("col_event", lang): st.column_config.LinkColumn(display_text=t("open_event", lang)),
        },
    )
    rows = (result or {}).get("selection", {}).get("rows", []) if result else []
    if rows:
        goto_event(frame["event_id"].iloc[rows[0]])


def paged_table(state: ViewState, q: EventQuery, count: int) -> None:
    from .query import SORTABLE

    lang = state.lang
    c1, c2, c3 = st.columns([2, 1, 1])
    sort = c1.selectbox(
        t("sort_by", lang),
        list(SORTABLE),
        key="table_sort",
        format_func=lambda c: t(f"col_{_SORT_LABEL.get(c, c)}", lang),
        placeholder=t("choose", lang),
    )
    descending = c2.toggle(t("descending", lang), value=True, key="table_desc")
    pages = max(1, -(-count // PAGE_SIZE))
    page = c3.number_input(
        t("page", lang), min_value=1, max_value=pages, value=1, step=1, key="table_page"
    )
    offset = (int(page) - 1) * PAGE_SIZE
    frame = q.rows(state.filters, sort=sort, descending=descending, limit=PAGE_SIZE, offset=offset)
    st.caption(t("rows_of", lang, a=min(offset + 1, count), b=offset + len(frame), n=f"{count:,}"))
    events_table(state, frame, key="table_rows")


_SORT_LABEL = {
    "event_date": "date",
    "event_type": "type",
    "location": "location",
    "title": "title",
    "country": "country",
    "fatalities": "fatalities",
}


def export_buttons(state: ViewState, q: EventQuery) -> None:
    """Downloads of exactly the rows the filters select, built when asked for."""
    from . import export

    lang = state.lang
    st.markdown(f"**{t('export', lang)}**")
    cols = st.columns(len(export.FORMATS))
    mime = {
        "csv": "text/csv",
        "geojson": "application/geo+json",
        "parquet": "application/vnd.apache.parquet",
    }
    for col, fmt in zip(cols, export.FORMATS, strict=True):
        col.download_button(
            t(f"export_{fmt}", lang),
            data=lambda fmt=fmt: export.render(q.export_rows(state.filters), fmt),
            file_name=f"events.{fmt}",
            mime=mime[fmt],
            key=f"export_{fmt}",
            on_click="ignore",
        )


def event_card(state: ViewState, q: EventQuery) -> None:
    """The selected event, short, beside a map or under the timeline."""
    lang = state.lang
    if not state.event:
        st.caption(t("map_click_hint", lang))
        return
    event = q.event(state.event)
    if event is None:
        st.info(t("event_missing", lang, id=state.event))
        return
    with st.container(border=True):
        st.caption(t("map_selected", lang))
        st.markdown(f"**{md_escape(_title(event['title'], event['title_ar'], lang))}**")
        if event["verification"] == "unverified":
            st.warning(t("unverified", lang), icon=":material/help:")
        st.text(date_text(event["event_date"], event["end_date"], event["date_precision"], lang))
        st.text(f"{type_label(event['event_type'], lang)} · {_place(event, lang)}")
        st.page_link(
            "pages/event.py",
            label=t("open_event", lang),
            query_params=urlstate.encode(
                replace(urlstate.filters_only(state), event=event["event_id"])
            ),
        )


def _place(event: dict, lang: str) -> str:
    parts = [
        event.get("location") or "",
        event.get("admin1") or "",
        geo.country_name(event.get("country"), lang),
    ]
    text = ", ".join(p for p in parts if p)
    return text or t("virtual", lang)


def event_detail(state: ViewState, q: EventQuery) -> None:
    lang = state.lang
    link_notices(lang)
    if not state.event:
        st.title(t("nav_event", lang))
        st.info(t("event_pick", lang))
        return
    event = q.event(state.event)
    if event is None:
        st.title(t("nav_event", lang))
        st.error(t("event_missing", lang, id=state.event))
        return
    st.title(_title(event["title"], event["title_ar"], lang), anchor=False)
    if event["title"] and event["title_ar"]:
        st.text(event["title_ar"] if lang != "ar" else event["title"])
    if event["verification"] == "unverified":
        st.warning(f"{t('unverified', lang)}: {t('unverified_help', lang)}", icon=":material/help:")
    left, right = st.columns([3, 2])
    with left:
        rows = [
            (
                "field_when",
                date_text(event["event_date"], event["end_date"], event["date_precision"], lang),
            ),
            (
                "field_type",
                type_label(event["event_type"], lang)
                + (f" · {event['sub_type']}" if event["sub_type"] else ""),
            ),
            ("field_where", _place(event, lang)),
            ("field_coords", _coords(event)),
            ("field_fatalities", _fatalities(event)),
            ("field_id", event["event_id"]),
            ("field_dataset", event["dataset"]),
        ]
        for key, value in rows:
            if value:
                st.markdown(f"**{t(key, lang)}**")
                st.text(value)
        if event["actors"]:
            st.markdown(f"**{t('field_actors', lang)}**")
            for actor in event["actors"]:
                st.text(f"• {actor}")
        if event["evidence"]:
            st.markdown(f"**{t('field_evidence', lang)}**")
            st.text(f"“{event['evidence']}”")
        if event["notes"]:
            st.markdown(f"**{t('field_notes', lang)}**")
            st.text(event["notes"])
        st.markdown(f"**{t('field_sources', lang)}**")
        for source in event["sources"]:
            _source_line(source, lang)
        edit_panel(state, event["event_id"])
    with right:
        one = q.events_by_id([event["event_id"]])
        if one["latitude"].notna().any():
            from streamlit_folium import st_folium

            from . import maps

            fmap = maps.build_event_map(
                one,
                None,
                _boundaries(),
                lang=lang,
                selected_id=event["event_id"],
                zoom=6,
                center=[float(one["latitude"].iloc[0]), float(one["longitude"].iloc[0])],
                labels=_type_labels(lang),
            )
            st_folium(
                fmap, key="event_map", height=320, use_container_width=True, returned_objects=[]
            )
        related_ids = list(
            dict.fromkeys(
                [*event["related"], *q.referencing(event["event_id"])["event_id"].tolist()]
            )
        )
        if related_ids:
            st.markdown(f"**{t('field_related', lang)}**")
            for _, rel in q.events_by_id(related_ids).iterrows():
                label = (
                    f"{date_text(rel['event_date'], rel['end_date'], rel['date_precision'], lang)}"
                    f" · {type_label(rel['event_type'], lang)} · "
                    f"{_title(rel['title'], rel['title_ar'], lang)}"
                )
                st.page_link(
                    "pages/event.py",
                    label=md_escape(label),
                    query_params=urlstate.encode(
                        replace(urlstate.filters_only(state), event=rel["event_id"])
                    ),
                )


def _source_line(source: dict, lang: str) -> None:
    from .maps import safe_url

    url = safe_url(source.get("url"))
    publisher = source.get("publisher") or url or ""
    if url:
        st.link_button(f"{publisher[:90]} ↗", url, type="tertiary")
    else:
        st.text(f"{publisher} {t('no_link', lang)}")


def _coords(event: dict) -> str:
    lat, lon = event.get("latitude"), event.get("longitude")
    if lat is None or lon is None or lat != lat:
        return ""
    basis = f" ({event['coord_basis']})" if event.get("coord_basis") else ""
    return f"{lat:.4f}, {lon:.4f}{basis}"


def _fatalities(event: dict) -> str:
    number = event.get("fatalities")
    text = event.get("fatalities_text") or ""
    if number is not None and number == number:
        return f"{int(number)}" + (f" ({text})" if text and text != str(int(number)) else "")
    return text


# --- curation --------------------------------------------------------------------------------


def _editor_name(lang: str) -> str:
    """The name written to the audit log; asked once per session, kept in the session."""
    return st.text_input(
        t("editor_name", lang), key="editor_name", max_chars=80, help=t("editor_help", lang)
    )


def _opt_date(value):
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _opt_float(value):
    return None if value is None or value != value else float(value)


def record_form(lang: str, record: dict, *, key: str, submit_label: str) -> dict | None:
    """A form over every field of a record; returns the raw record when submitted."""
    import pandas as pd

    from .curation import SOURCE_KEYS, items_from_rows, parse_lines, sources_from_rows
    from .schema import DATE_PRECISIONS, GEO_PRECISIONS, VERIFICATION

    codes = [None, *geo.countries()["iso3"].tolist()]
    with st.form(key, border=True):
        c1, c2 = st.columns(2)
        # No max_chars anywhere: a widget limit would cut a stored value without a word;
        # the schema refuses a value too long, naming the field.
        title = c1.text_input(t("f_title", lang), record.get("title") or "", key=f"{key}_title")
        title_ar = c2.text_input(
            t("f_title_ar", lang), record.get("title_ar") or "", key=f"{key}_title_ar"
        )
        summary = st.text_area(
            t("f_summary", lang), record.get("summary") or "", height=80, key=f"{key}_summary"
        )
        c1, c2, c3, c4 = st.columns(4)
        event_type = c1.selectbox(
            t("field_type", lang),
            EVENT_TYPES,
            index=EVENT_TYPES.index(record.get("event_type") or "other"),
            format_func=lambda x: type_label(x, lang),
            key=f"{key}_event_type",
            placeholder=t("choose", lang),
        )
        sub_type = c2.text_input(
            t("f_sub_type", lang), record.get("sub_type") or "", key=f"{key}_sub_type"
        )
        verification = c3.selectbox(
            t("col_verification", lang),
            VERIFICATION,
            index=VERIFICATION.index(record.get("verification") or "verified"),
            format_func=lambda v: value_label(v, lang),
            key=f"{key}_verification",
            placeholder=t("choose", lang),
        )
        precision = c4.selectbox(
            t("f_precision", lang),
            DATE_PRECISIONS,
            index=DATE_PRECISIONS.index(record.get("date_precision") or "day"),
            format_func=lambda v: value_label(v, lang),
            key=f"{key}_precision",
            placeholder=t("choose", lang),
        )
        c1, c2 = st.columns(2)
        bounds = dict(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
        event_date = c1.date_input(
            t("f_date", lang),
            _opt_date(record.get("event_date")),
            **bounds,
            key=f"{key}_event_date",
        )
        end_date = c2.date_input(
            t("f_end_date", lang),
            _opt_date(record.get("end_date")),
            **bounds,
            key=f"{key}_end_date",
        )
        c1, c2, c3 = st.columns(3)
        current = record.get("country")
        country = c1.selectbox(
            t("col_country", lang),
            codes,
            index=codes.index(current) if current in codes else 0,
            format_func=lambda c: geo.country_name(c, lang) if c else "—",
            key=f"{key}_country",
            placeholder=t("choose", lang),
        )
        admin1 = c2.text_input(t("f_admin1", lang), record.get("admin1") or "", key=f"{key}_admin1")
        location = c3.text_input(
            t("col_location", lang), record.get("location") or "", key=f"{key}_location"
        )
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input(
            t("f_lat", lang),
            -90.0,
            90.0,
            _opt_float(record.get("latitude")),
            format="%.4f",
            key=f"{key}_lat",
        )
        lon = c2.number_input(
            t("f_lon", lang),
            -180.0,
            180.0,
            _opt_float(record.get("longitude")),
            format="%.4f",
            key=f"{key}_lon",
        )
        geo_choices = [None, *GEO_PRECISIONS]
        geo_precision = c3.selectbox(
            t("f_geo_precision", lang),
            geo_choices,
            index=geo_choices.index(record.get("geo_precision")),
            format_func=lambda g: value_label(g, lang),
            key=f"{key}_geo_precision",
            placeholder=t("choose", lang),
        )
        # Lists are edited as rows, never parsed back from text: a line break inside an
        # actor's name or a "|" in a publisher's stays part of that one value.
        st.caption(t("f_actors", lang))
        actors = st.data_editor(
            pd.DataFrame({"actor": list(record.get("actors") or [])}, dtype="object"),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={"actor": st.column_config.TextColumn(t("col_actor", lang))},
            key=f"{key}_actors",
        )
        c1, c2 = st.columns([1, 3])
        fatalities = c1.number_input(
            t("field_fatalities", lang),
            0,
            None,
            record.get("fatalities")
            if record.get("fatalities") == record.get("fatalities")
            else None,
            step=1,
            key=f"{key}_fatalities",
        )
        fatalities_text = c2.text_input(
            t("f_fatalities_text", lang),
            record.get("fatalities_text") or "",
            key=f"{key}_fatalities_text",
        )
        st.caption(t("f_sources", lang), help=t("f_sources_help", lang))
        sources = st.data_editor(
            pd.DataFrame(
                [{k: s.get(k) for k in SOURCE_KEYS} for s in record.get("sources") or []],
                columns=list(SOURCE_KEYS),
                dtype="object",
            ),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                k: st.column_config.TextColumn(t(f"col_{k}", lang)) for k in SOURCE_KEYS
            },
            key=f"{key}_sources",
        )
        related = st.text_area(
            t("f_related", lang),
            "\n".join(record.get("related") or []),
            height=68,
            key=f"{key}_related",
        )
        evidence = st.text_area(
            t("field_evidence", lang),
            record.get("evidence") or "",
            height=68,
            key=f"{key}_evidence",
        )
        notes = st.text_area(
            t("field_notes", lang), record.get("notes") or "", height=68, key=f"{key}_notes"
        )
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        **record,
        "title": title,
        "title_ar": title_ar,
        "summary": summary,
        "event_type": event_type,
        "sub_type": sub_type,
        "verification": verification,
        "date_precision": precision,
        "event_date": event_date,
        "end_date": end_date,
        "country": country,
        "admin1": admin1,
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo_precision,
        "actors": items_from_rows(actors.to_dict("records"), "actor"),
        "fatalities": fatalities,
        "fatalities_text": fatalities_text,
        "sources": sources_from_rows(sources.to_dict("records")),
        "related": parse_lines(related),
        "evidence": evidence,
        "notes": notes,
    }


def _run_change(change, *args, **kwargs):
    """Run one curation call; returns its Change, or None after showing the refusal (as
    text: it quotes titles and ids) instead of a traceback."""
    from .curation import CurationError

    try:
        return change(*args, **kwargs)
    except (CurationError, store.StoreError) as exc:
        st.error(md_escape(str(exc)))
        return None


def _editor() -> str:
    return st.session_state.get("editor_name", "")


def edit_panel(state: ViewState, event_id: str) -> None:
    """Edit, delete and history of one event (the Event page)."""
    from . import curation

    lang = state.lang
    path = store_path()
    record = curation.get_event(path, event_id)
    if record is None:
        return
    with st.expander(t("edit_event", lang)):
        _editor_name(lang)
        # The version the editor started from: a save over someone else's newer change is
        # refused rather than silently undoing it.
        fp_key = f"_fp_{event_id}"
        st.session_state.setdefault(fp_key, curation.fingerprint(record))
        raw = record_form(lang, record, key=f"edit_{event_id}", submit_label=t("save", lang))
        # Only what the editor changed, field by field against the record as loaded.
        changes = curation.changed_fields(record, raw or {})
        expected = st.session_state[fp_key]
        if raw is not None and not changes:
            st.info(t("nothing_changed", lang))
        elif raw is not None and _run_change(
            curation.update_event, path, event_id, changes, _editor(), expected
        ):
            del st.session_state[fp_key]
            st.rerun()
        if st.button(t("delete_event", lang), key=f"delete_{event_id}") and _run_change(
            curation.delete_event, path, event_id, _editor(), expected
        ):
            st.session_state.pop(fp_key, None)
            set_view(event=None)
            st.rerun()
    log = curation.history(path, event_id)
    if not log.empty:
        with st.expander(t("history", lang)):
            st.dataframe(log.drop(columns=["event_id"]), hide_index=True, width="stretch")


def curate_page(state: ViewState, q: EventQuery) -> None:
    from . import curation

    lang = state.lang
    link_notices(lang)
    path = store_path()
    _editor_name(lang)
    tab_article, tab_new, tab_changes = st.tabs(
        [t("tab_article", lang), t("tab_new", lang), t("tab_changes", lang)]
    )
    with tab_article:
        _article_drafts(state, q)
    with tab_new:
        blank = {
            "event_id": "",
            "event_type": "meeting",
            "verification": "verified",
            "date_precision": "day",
            "sources": [],
            "actors": [],
            "related": [],
        }
        new_id = st.text_input(
            t("f_event_id", lang),
            key="new_event_id",
            max_chars=128,
            help=t("f_event_id_help", lang),
        )
        reuse = st.checkbox(t("reuse_deleted_id", lang), key="new_event_reuse")
        raw = record_form(lang, blank, key="new_event", submit_label=t("save_new", lang))
        if raw is not None and _run_change(
            curation.create_event,
            path,
            {**raw, "event_id": new_id.strip()},
            _editor(),
            reuse_deleted_id=reuse,
        ):
            goto_event(new_id.strip())
    with tab_changes:
        done = st.session_state.pop("_curation_done", None)
        if done:
            st.text(done)  # names the restored version; text, since it quotes a title
        if st.button(t("undo_last", lang), key="undo_last") and (
            change := _run_change(curation.undo_last, path, _editor())
        ):
            st.success(t("undone", lang))
            st.text(change.summary)
        st.markdown(f"**{t('recent_changes', lang)}**")
        st.dataframe(curation.history(path, limit=100), hide_index=True, width="stretch")
        st.markdown(f"**{t('deleted_events', lang)}**")
        trash = curation.deleted_events(path)
        if trash.empty:
            st.caption(t("none", lang))
        for row in trash.itertuples():
            c1, c2 = st.columns([4, 1])
            c1.text(
                f"{row.event_id} · {row.title} · {row.editor} · {row.deleted_at:%Y-%m-%d %H:%M}"
            )
            if c2.button(t("restore", lang), key=f"restore_{row.change_id}") and (
                change := _run_change(
                    curation.restore_event,
                    path,
                    row.event_id,
                    _editor(),
                    deleted_change=int(row.change_id),
                )
            ):
                st.session_state["_curation_done"] = change.summary
                st.rerun()


def _article_drafts(state: ViewState, q: EventQuery) -> None:
    """Paste or upload an article, get draft events, review, save or merge each."""
    from . import curation, extract

    lang = state.lang
    path = store_path()
    with st.form("article"):
        text = st.text_area(t("article_text", lang), height=200, max_chars=200_000)
        upload = st.file_uploader(t("article_file", lang), type=["txt", "html", "htm"])
        c1, c2, c3 = st.columns(3)
        publisher = c1.text_input(t("publisher", lang), max_chars=200)
        url = c2.text_input(t("article_url", lang), max_chars=2000)
        published = c3.date_input(t("published", lang), None, format="YYYY-MM-DD")
        go = st.form_submit_button(t("draft_events", lang), type="primary")
    if go:
        body = upload.getvalue().decode("utf-8", errors="replace") if upload else text
        if not body.strip():
            st.error(t("article_empty", lang))
        else:
            st.session_state["_drafts"] = extract.extract(
                body, published, publisher=publisher, url=url
            )
            if not st.session_state["_drafts"]:
                st.info(t("no_drafts", lang))
    drafts = st.session_state.get("_drafts") or []
    existing = q.rows(Filters(), limit=None) if drafts else None
    for i, draft in enumerate(drafts):
        record = draft.to_record()
        when = date_text(
            record["event_date"], record.get("end_date"), record["date_precision"], lang
        )
        label = (
            f"{i + 1}. {when} · {type_label(record['event_type'], lang)} · "
            f"{record.get('location') or ''} · {draft.confidence:.0%}"
        )
        with st.expander(label, expanded=i == 0):
            st.caption(t("draft_sentence", lang))
            st.text(draft.sentence)
            st.caption(" · ".join(draft.reasons))
            raw = record_form(lang, record, key=f"draft_{i}", submit_label=t("save_new", lang))
            if raw is not None and _run_change(curation.create_event, path, raw, _editor()):
                _drop_draft(i)
                st.rerun()
            c1, c2 = st.columns(2)
            if c1.button(t("drop_draft", lang), key=f"drop_{i}"):
                _drop_draft(i)
                st.rerun()
            for dup in extract.duplicates(draft, existing)[:3]:
                if c2.button(t("merge_into", lang, id=dup), key=f"merge_{i}_{dup}") and (
                    _run_change(curation.merge_source, path, dup, record["sources"][0], _editor())
                ):
                    _drop_draft(i)
                    st.rerun()


def _drop_draft(i: int) -> None:
    drafts = list(st.session_state.get("_drafts") or [])
    if i < len(drafts):
        drafts.pop(i)
    st.session_state["_drafts"] = drafts
