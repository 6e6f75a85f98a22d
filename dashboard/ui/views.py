"""The views pages share: type counts, timeline, maps, the events table, exports, the card
of the selected event. Each asks resources for cached results and a pure builder
(charts, maps) for the figure, then draws it; a click selects an event in the link.
"""

from __future__ import annotations

import streamlit as st

from dashboard import geo
from dashboard.filters import ViewState
from dashboard.query import EventQuery
from dashboard.schema import EVENT_TYPES
from dashboard.strings import count_events, date_text, plotly_locale, t, type_label
from dashboard.text import isolate, md_escape

from . import resources
from .resources import TIMELINE_MAX_EVENTS
from .urlsync import event_link, event_params, goto_event, set_view

PAGE_SIZE = 100


def type_labels(lang: str) -> dict[str, str]:
    return {x: type_label(x, lang) for x in EVENT_TYPES}


def title_text(title: str, title_ar: str, lang: str) -> str:
    """The title in the UI language, or the other one marked as such."""
    if lang == "ar":
        return title_ar or (f"{title} {t('in_english', lang)}" if title else "")
    return title or (f"{title_ar} {t('in_arabic', lang)}" if title_ar else "")


def place_text(event: dict, lang: str) -> str:
    parts = [
        event.get("location") or "",
        event.get("admin1") or "",
        geo.country_name(event.get("country"), lang),
    ]
    if lang == "ar":
        # Arabic's comma, and each name (often Latin) isolated so the list keeps its order.
        text = "، ".join(isolate(p) for p in parts if p)
    else:
        text = ", ".join(p for p in parts if p)
    return text or t("virtual", lang)


def event_date_text(event, lang: str) -> str:
    """An event's date in the one wording every page uses."""
    return date_text(event["event_date"], event["end_date"], event["date_precision"], lang)


# --- charts ----------------------------------------------------------------------------------


def type_counts_chart(state: ViewState, q: EventQuery) -> None:
    from dashboard import charts

    counts = resources.type_counts(state.filters)
    st.markdown(f"**{t('by_type', state.lang)}**")
    fig = charts.type_counts_figure(counts, labels=type_labels(state.lang))
    st.plotly_chart(
        fig, width="stretch", config={"displayModeBar": False, **plotly_locale(state.lang)}
    )


def timeline_chart(state: ViewState, q: EventQuery, *, freq: str, height: int, key: str) -> None:
    """The timeline; a click on an event selects it (event=ID in the link), and a drag
    across it brushes a period that becomes the date filter (from/to in the link)."""
    from dashboard import charts

    events, counts, total = resources.timeline_data(state.filters, freq)
    deaths = None
    if total > TIMELINE_MAX_EVENTS:
        # Every event is in the counts below; only the newest are drawn one by one.
        st.caption(
            t(
                "timeline_capped",
                state.lang,
                shown=f"{len(events):,}",
                events=count_events(total, state.lang),
            )
        )
        deaths = resources.timeline_deaths(state.filters, freq)  # of all, not the drawn
    fig = charts.timeline_figure(
        events,
        counts,
        freq=freq,
        labels=type_labels(state.lang),
        selected_id=state.event,
        lang=state.lang,
        empty_text=t("no_events", state.lang),
        fatalities=deaths,
        fatalities_name=t("fatalities", state.lang),
    )
    fig.update_layout(height=height)
    # A brush starts a new chart: the old box would otherwise stay drawn over the new
    # period and swallow the next click.
    chart_key = f"{key}_{st.session_state.get(_BRUSHES, 0)}"
    result = st.plotly_chart(
        fig,
        width="stretch",
        key=chart_key,
        on_select=lambda: _brushed(chart_key),
        selection_mode=("points", "box"),
        # The toolbar always shown: its Box Select is the brush.
        config={"displaylogo": False, "displayModeBar": True, **plotly_locale(state.lang)},
    )
    st.caption(f"{t('timeline_brush_hint', state.lang)} {t('timeline_labels_rule', state.lang)}")
    picked = None if _brush_range(result) else _picked_event(result)
    if picked and picked != state.event:
        set_view(event=picked)
        st.rerun()


_BRUSHES = "_timeline_brushes"


def _brush_range(result):
    """(first day, last day) of a box dragged on the timeline, or None."""
    import pandas as pd

    try:
        boxes = result["selection"]["box"]
    except (KeyError, TypeError):
        return None
    for box in boxes or []:
        xs = box.get("x") if isinstance(box, dict) else None
        if not xs or len(xs) < 2:
            continue
        try:
            lo, hi = sorted(pd.Timestamp(x) for x in xs[:2])
        except (TypeError, ValueError):
            continue
        if pd.isna(lo) or pd.isna(hi):
            continue
        return lo.date(), hi.date()
    return None


def _brushed(chart_key: str) -> None:
    """A box dragged on the timeline becomes the date filter: the date boxes take it, so
    the link is rewritten from them as after any filter change."""
    from .urlsync import set_date_range

    span = _brush_range(st.session_state.get(chart_key))
    if span is None:
        return
    set_date_range(*span)
    st.session_state[_BRUSHES] = st.session_state.get(_BRUSHES, 0) + 1


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


# --- maps ------------------------------------------------------------------------------------


def _map(
    state: ViewState, q: EventQuery, *, tiles: bool, height: int, key: str, viewport: bool = False
):
    from streamlit_folium import st_folium

    from dashboard import maps

    from . import map_feed

    center = [state.lat, state.lon] if state.lat is not None else None
    zoom = state.zoom
    if viewport:  # the Map page: panning reruns (the side list) but must not redraw
        center, zoom = map_feed.anchor(state, tiles)
    # Few events: each is a marker. Many: counts per grid cell, made in the query engine
    # and finer at a higher zoom, so the map stays small however many events match.
    layer, counts, hidden = resources.map_data(state.filters, zoom)
    points = layer.frame if layer.kind == "points" else layer.frame.iloc[0:0]
    counts = counts.rename(columns={"country": "iso3"})
    fmap = maps.build_event_map(
        points,
        counts.dropna(),
        resources.boundaries(),
        lang=state.lang,
        center=center,
        zoom=zoom,
        tiles=tiles,
        selected_id=state.event,
        labels=type_labels(state.lang),
        cells=layer.frame if layer.kind == "cells" else None,
        viewport_in_link=viewport,
    )
    if layer.kind == "cells":
        st.caption(t("map_cells", state.lang, events=count_events(layer.located, state.lang)))
    result = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=maps.MAP_RETURNED_OBJECTS + (["bounds"] if viewport else []),
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
        st.caption(t("map_hidden", state.lang, events=count_events(hidden, state.lang)))
    return map_feed.bounds_of(result) if viewport else None


def small_map(state: ViewState, q: EventQuery, *, key: str) -> None:
    _map(state, q, tiles=False, height=360, key=key)


def event_map(state: ViewState, q: EventQuery, *, tiles: bool, height: int, key: str):
    """The Map page's map; returns the viewport it shows (south, west, north, east), or
    None before the browser has reported one."""
    return _map(state, q, tiles=tiles, height=height, key=key, viewport=True)


def one_event_map(frame, lang: str, *, key: str, selected_id: str | None = None) -> None:
    """A small map of one located event (the Event page), outlined, with the events in
    ``frame`` besides it (its related events) for context.

    The view fits the events when they lie in one region; when they are all at one spot
    (a meeting and its statement) or far apart, it centres on the event at a country's
    scale, so the map never zooms to a street or to the whole world.
    """
    from streamlit_folium import st_folium

    from dashboard import maps

    event_id = str(selected_id or frame["event_id"].iloc[0])
    here = frame[frame["event_id"].astype(str) == event_id].iloc[0]
    lat, lon = frame["latitude"].astype(float), frame["longitude"].astype(float)
    spread = max(lat.max() - lat.min(), lon.max() - lon.min())
    fit = 1.0 <= spread <= 25.0
    fmap = maps.build_event_map(
        frame,
        None,
        resources.boundaries(),
        lang=lang,
        selected_id=event_id,
        zoom=None if fit else 5,
        center=None if fit else [float(here["latitude"]), float(here["longitude"])],
        labels=type_labels(lang),
    )
    st_folium(fmap, key=key, height=320, use_container_width=True, returned_objects=[])


# --- table and exports -----------------------------------------------------------------------


def _first_url(sources) -> str | None:
    from dashboard.maps.escape import safe_url

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
            t("col_title", lang): [
                title_text(r.title, r.title_ar, lang) for r in frame.itertuples()
            ],
            t("col_country", lang): [geo.country_name(c, lang) for c in frame["country"]],
            t("col_location", lang): frame["location"].fillna(""),
            t("col_verification", lang): [
                t("unverified", lang) if v == "unverified" else "" for v in frame["verification"]
            ],
            t("col_source", lang): [_first_url(s) for s in frame["sources"]],
            t("col_event", lang): [event_link(e, state) for e in frame["event_id"]],
        }
    )


#: Pixel widths of the table's columns, so every column fits a wide page (the title takes
#: what is left and ends in an ellipsis; the event page has it whole).
_COLUMN_WIDTHS = {
    "col_date": 125,
    "col_type": 80,
    "col_title": 300,
    "col_country": 90,
    "col_location": 110,
    "col_verification": 80,
    "col_source": 70,
    "col_event": 50,
}
_ROW_PX = 35


def events_table(state: ViewState, frame, *, key: str) -> None:
    """Rows as plain text (never HTML); source and event columns are links; a click on a
    row opens its event. All the rows of the page are shown at once (no inner scroll), and
    in Arabic the columns run right to left, the date first on the right."""
    lang = state.lang
    display = _display_frame(state, frame)
    config = {
        t(name, lang): st.column_config.Column(width=width)
        for name, width in _COLUMN_WIDTHS.items()
    }
    config[t("col_source", lang)] = st.column_config.LinkColumn(
        display_text=t("source_link", lang), width=_COLUMN_WIDTHS["col_source"]
    )
    config[t("col_event", lang)] = st.column_config.LinkColumn(
        display_text=t("open_event", lang), width=_COLUMN_WIDTHS["col_event"]
    )
    order = list(display.columns)
    result = st.dataframe(
        display,
        hide_index=True,
        width="stretch",
        height=_ROW_PX * (len(display) + 1) + 3,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        column_config=config,
        column_order=order[::-1] if lang == "ar" else order,
    )
    rows = (result or {}).get("selection", {}).get("rows", []) if result else []
    if rows:
        goto_event(frame["event_id"].iloc[rows[0]])


def latest_events(state: ViewState, q: EventQuery, *, n: int, key: str) -> None:
    """The newest ``n`` events that match the filters."""
    events_table(state, q.rows(state.filters, limit=n), key=key)


_SORT_LABEL = {
    "event_date": "date",
    "event_type": "type",
    "location": "location",
    "title": "title",
    "country": "country",
    "fatalities": "fatalities",
}


def paged_table(state: ViewState, q: EventQuery, count: int) -> None:
    """Sort, order and page are in the link (urlsync.VIEW_KEYS holds them in step)."""
    from dashboard.query import SORTABLE

    lang = state.lang
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.selectbox(
        t("sort_by", lang),
        list(SORTABLE),
        key="table_sort",
        format_func=lambda c: t(f"col_{_SORT_LABEL.get(c, c)}", lang),
        placeholder=t("choose", lang),
    )
    c2.toggle(t("descending", lang), key="table_desc")
    pages = max(1, -(-count // PAGE_SIZE))
    if st.session_state.get("table_page", 1) > pages:
        # A link's page past the end (the data changed since): its last page.
        st.session_state["table_page"] = pages
    c3.number_input(t("page", lang), min_value=1, max_value=pages, step=1, key="table_page")
    page = min(state.table_page, pages)
    offset = (page - 1) * PAGE_SIZE
    frame = resources.table_page(
        state.filters, sort=state.sort, descending=state.desc, limit=PAGE_SIZE, offset=offset
    )
    st.caption(t("rows_of", lang, a=min(offset + 1, count), b=offset + len(frame), n=f"{count:,}"))
    events_table(state, frame, key="table_rows")


def export_buttons(state: ViewState, q: EventQuery) -> None:
    """Downloads of exactly the rows the filters select, built when asked for."""
    from dashboard import export

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
            file_name=f"{export.file_stem(state.filters)}.{fmt}",
            mime=mime[fmt],
            key=f"export_{fmt}",
            on_click="ignore",
        )


# --- the selected event ----------------------------------------------------------------------


def event_card(state: ViewState, q: EventQuery) -> None:
    """The selected event, short, beside a map or under the timeline."""
    lang = state.lang
    if not state.event:
        st.caption(t("map_click_hint", lang))
        return
    event = q.at(state.filters.as_of).event(state.event)
    if event is None:
        st.info(t("event_missing", lang, id=md_escape(state.event)))
        return
    with st.container(border=True):
        st.caption(t("map_selected", lang))
        st.markdown(f"**{md_escape(title_text(event['title'], event['title_ar'], lang))}**")
        if event["verification"] == "unverified":
            st.warning(t("unverified", lang), icon=":material/help:")
        st.text(event_date_text(event, lang))
        st.text(f"{type_label(event['event_type'], lang)} · {place_text(event, lang)}")
        st.page_link(
            "pages/event.py",
            label=t("open_event", lang),
            query_params=event_params(event["event_id"], state),
        )
