"""Cached handles shared by every session: the store, its in-memory copy, query results.

Each browser session is a thread of one server process; what is cached here is built once
per version of the store file and shared. Nothing stale is served: every key holds the
store's version, which changes with every import or edit.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import engines, hotcopy, store
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.text import md_escape

STATIC_DIR = store.REPO / "static"

#: The timeline draws at most this many events one by one (all are in its counts).
TIMELINE_MAX_EVENTS = 2000
#: Above this many located events, the map draws counts per grid cell instead.
MAP_MAX_POINTS = 2000


@st.cache_resource(show_spinner=False, max_entries=2)
def _memory(path: str, version: tuple, engine: str) -> hotcopy.HotCopy:
    """The in-memory copy of the store for this data version of the file (shared by all
    sessions); a write that changes no event (a saved view) keeps it."""
    return hotcopy.load(Path(path), engine=engine)


@st.cache_resource(show_spinner="Preparing the event store…")
def _ensure(path: str) -> tuple[str, tuple[str, ...]]:
    """The store ready to open, and what to say about it (a store of a newer layout is
    read-only). A file that is not a store raises: errors are not cached, so a fixed
    path is tried again on the next run."""
    notices: list[str] = []
    store.ensure_store(Path(path), notices=notices)
    from dashboard.importer import clean_staging
    from dashboard.static_assets import ensure_admin1, ensure_outlines, ensure_static_assets

    clean_staging(Path(path))  # what imports killed before this start left behind

    ensure_static_assets(STATIC_DIR)
    ensure_outlines(STATIC_DIR)
    ensure_admin1(STATIC_DIR)
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
    """Say that the store is read-only (a newer layout), on every page."""
    for notice in _ensure(str(store.default_store_path()))[1]:
        st.warning(md_escape(notice))


def hot_copy() -> hotcopy.HotCopy:
    """The in-memory copy of the store's current version, shared by every session."""
    path = store_path()
    return _memory(str(path), hotcopy.freshness(path), engines.configured())


def query() -> EventQuery:
    """A query object on a fresh engine: the configured one (DASHBOARD_ENGINE). Embedded:
    one DuckDB connection, a cursor per session run; Spark: the lake at DASHBOARD_LAKE,
    one session per process."""
    if engines.configured() == "spark":
        from dashboard.engines.spark import open_lake_engine

        engine = open_lake_engine()
        return EventQuery(engine, at=engine.engine_at)
    copy = hot_copy()
    return EventQuery(copy.engine(), at=copy.engine_at)


@st.cache_data(show_spinner=False, max_entries=4)
def _saved_views(path: str, token: tuple) -> list:
    from dashboard import saved_views

    return saved_views.listed(Path(path))


def saved_views_listed() -> list:
    """The saved views, read again only when the file has been written since (its size
    and modification time, and its WAL's): the overview's watch list asks on every rerun,
    and opening the store each time cost about a twentieth of a rerun."""
    path = store_path()
    return _saved_views(str(path), store.store_version(path))


def version() -> tuple:
    """What every cached answer is keyed by: the store's version and, on Spark, the lake's
    snapshot, so an ingest into the lake is seen by the next run as an import is."""
    current = hotcopy.freshness(store_path())
    if engines.configured() == "spark":
        return (*current, query().engine.version)
    return current


@st.cache_data(show_spinner=False, max_entries=4)
def _actor_names(version: tuple) -> list[str]:
    return query().actor_names()


def actor_names() -> list[str]:
    """Every actor named in the store, for the sidebar's choices."""
    return _actor_names(version())


def as_of_patch(version: int):
    """How the data of ``version`` differs from the stored rows (dashboard.versions.Patch);
    on Spark, what the lake's history says (an empty one for a lake with none)."""
    if engines.configured() == "spark":
        return query().engine.patch(version)
    return hot_copy().patch(version)


#: Places offered by the sidebar (more can be typed): the provinces and place names with
#: the most events, so a million ACLED events do not send every village on each rerun.
PLACE_CHOICES = 1000


@st.cache_data(show_spinner=False, max_entries=4)
def _facet_names(version: tuple, what: str) -> list[str]:
    q = query()
    if what == "sub_type":
        return q.facet_values("sub_type", PLACE_CHOICES)
    # Place names first: typing "Marrakesh" and Enter picks the city, not the province
    # "Marrakesh-Safi", which the box offers after it.
    provinces = q.facet_values("admin1", PLACE_CHOICES // 4)
    places = q.facet_values("location", PLACE_CHOICES - len(provinces))
    return list(dict.fromkeys([*places, *provinces]))


def place_names() -> list[str]:
    """Place names, then provinces, most events first, for the sidebar's place filter."""
    return _facet_names(version(), "place")


def sub_type_names() -> list[str]:
    """Every stored sub-type (ours and an import's), for the sidebar's choices."""
    return _facet_names(version(), "sub_type")


@st.cache_resource(show_spinner=False)
def boundaries():
    """Shared, read-only: builders copy what they change."""
    from dashboard.static_assets import country_frame

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
    if what == "count":
        return q.count(f)
    if what == "page":
        sort, descending, limit, offset = arg
        return q.rows(f, sort=sort, descending=descending, limit=limit, offset=offset)
    if what == "deaths":
        return q.period_deaths(f, arg)
    raise ValueError(what)


def _ask(f: Filters, what: str, arg: object = None):
    """A cached answer; while one is being computed (a fresh round on Spark takes seconds)
    the page says which part of the view it is waiting for. Answers from the cache, and
    embedded rounds, come back before the spinner's half-second delay: nothing flickers."""
    from dashboard.strings import t

    from .urlsync import view_lang

    with st.spinner(t(f"working_{what}", view_lang()), show_time=True):
        return _aggregate(version(), f, what, arg)


def type_counts(f: Filters):
    """Events per type (cached per filter and store version)."""
    return _ask(f, "types")


def timeline_data(f: Filters, freq: str):
    """(newest events, counts per period and type, total) for the timeline."""
    return _ask(f, "timeline", freq)


def timeline_deaths(f: Filters, freq: str):
    """Deaths per period of every selected event (the timeline draws only the newest), for
    when more events match than the timeline draws."""
    return _ask(f, "deaths", freq)


@st.cache_resource(show_spinner=False, max_entries=8)
def _ordered_ids(version: tuple, f: Filters, sort: str, descending: bool):
    """Shared and never copied (a cached frame would be copied on every hop): read only."""
    rows = query().rows(f, sort=sort, descending=descending, limit=None, columns=("event_id",))
    return rows["event_id"].astype(str).to_numpy(dtype=object)


def place_of(event_id: str, f: Filters, sort: str, descending: bool):
    """The event's place in the selected events in the table's order, and its neighbours
    (dashboard.neighbours.Place): the event page's Previous and Next walk it, and each hop
    along one list costs no query."""
    from dashboard.neighbours import place_in
    from dashboard.strings import t

    from .urlsync import view_lang

    with st.spinner(t("working_order", view_lang()), show_time=True):
        ids = _ordered_ids(version(), f, sort, descending)
    return place_in(ids, event_id)


def map_data(f: Filters, zoom):
    """(map layer, counts per country, events without a place) for a map."""
    return _ask(f, "map", zoom)


# --- the insight views: actor network, before/after, playback periods ----------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _insight(version: tuple, f: Filters, what: str, arg: object = None):
    """The insight views' results for one filter on one version of the store (shared, so
    the same filter draws the same network without asking again)."""
    from dashboard import beforeafter, network

    q = query()
    if what == "network":
        return network.build(q.actor_lists(f))
    if what == "before_after":
        event_id, window, types, country = arg
        event = q.event(event_id)
        if event is None:
            return None
        return beforeafter.compare(q, event, window=window, types=types, country=country)
    if what == "periods":
        return q.period_counts(f, arg)
    raise ValueError(what)


def actor_network(f: Filters):
    """The co-participation network of the filtered events (dashboard.network.Network)."""
    return _insight(version(), f, "network")


def before_after(event_id: str, window: int, types: tuple[str, ...], country: str | None):
    """dashboard.beforeafter.Comparison around one event, or None if it is not stored."""
    return _insight(version(), Filters(), "before_after", (event_id, window, types, country))


def period_counts(f: Filters, unit: str):
    return _insight(version(), f, "periods", unit)


def count(f: Filters) -> int:
    """How many events the filters select (cached per filter and version)."""
    return _ask(f, "count")


def table_page(f: Filters, *, sort: str, descending: bool, limit: int, offset: int):
    """One page of the table (cached per filter, order, page and version)."""
    return _ask(f, "page", (sort, descending, limit, offset))
