"""One table of links, run through every engine: each answers what the oracle answers.

A link (the query string of a shared URL) is decoded by the URL codec into the one
filter model; every engine then answers the questions a page asks (count, counts by
field, weekly and monthly counts, table pages in several orders, map cells and points)
and each answer must equal the pandas oracle's (tests/oracle.py), row for row. The
table runs on the shipped records and on shipped plus generated records.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard import geo, hotcopy, importer, store, synthetic, urlstate
from dashboard.engines.sql import SqlEngine
from dashboard.query import IN_VIEW_COLUMNS, EventQuery, cell_degrees, viewport_bounds
from tests import oracle

#: Links as analysts write them; each must mean the same on every engine.
LINKS = [
    "",
    "country=SYR",
    "country=SYR&country=IRQ&from=2022-01-01&to=2022-06-30",
    "country=MAR,ITA&type=meeting",
    "type=attack&type=statement",
    "from=2022-01-25&to=2022-01-25",
    "from=2022-05-11&to=2022-05-11",  # one day, at both edges of one-day events
    "from=2020-03-01&to=2020-03-31&type=attack",
    "to=2021-12-31",
    "actor=Global%20Coalition",
    "actor=Islamic%20State&actor=SDF",
    "q=ghwayran",
    "q=%D8%BA%D9%88%D9%8A%D8%B1%D8%A7%D9%86",  # غويران
    "q=coalition%20meeting",
    "q=marrakesh&type=meeting",
    "q=airstrikes&country=YEM",
    "q=%25",  # %
    "q=_",
    "q=%27%20OR%201%3D1%20--",  # ' OR 1=1 --
    "q=a%5Cb",  # a backslash
    "country=SYR&type=attack&from=2019-01-01&to=2021-12-31&actor=Kurdish",
    "country=NGA&q=place",
    # Pinned to a data version: the shipped build is version 1, the generated import 2.
    "v=1",
    "v=0",
    "v=1&type=attack&q=coalition",
    "v=2&country=SYR",
    # Places (a place name or a province, as whole words, any of them), sub-types, deaths.
    "place=Marrakesh&place=Rome",
    "place=marrakesh&place=ROME&type=meeting",
    "place=Lazio",  # a province
    "place=%C3%8Ele-de-France",  # Île: accents folded
    "place=Washington%2C%20D.C.",  # a comma is part of the name, not a separator
    "place=Syria%20place%201",  # not "Syria place 17"
    "place=province%201&country=IRQ",  # province 1 of each country, not province 10 or 11
    "place=Rome&v=1",
    "subtype=joint%20statement",
    "subtype=ARMED%20CLASH&subtype=Air%2Fdrone%20strike",  # ACLED's, any case
    "subtype=ministerial&place=Rome",
    "fatalities_min=1",
    "fatalities_max=0",
    "fatalities_min=3&fatalities_max=10&country=SYR",
    "fatalities_min=10&fatalities_max=3",  # swapped
    "fatalities_min=0&type=meeting",  # unknown counts left out
    # Hostile values of the new keys: rows, never an error.
    "place=%25",
    "place=_",
    "place=%27%20OR%201%3D1%20--",
    "place=a%5Cb",
    "place=.%2A",
    "subtype=%25&subtype=_",
    "subtype=%27%29%3B%20DROP%20TABLE%20events%3B%20--",
    "fatalities_min=%27%20OR%201%3D1",
]
SORTS = [("event_date", True), ("event_date", False), ("title", False), ("fatalities", True)]


def _decode(link: str):
    state, _ = urlstate.decode(link, is_country=geo.is_country_code)
    return state.filters


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    return store.ensure_store(tmp_path_factory.mktemp("shipped") / "events.duckdb")


@pytest.fixture(scope="module")
def generated(shipped, tmp_path_factory):
    """The shipped records plus 3,000 generated ACLED rows, imported as a user would."""
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "events.duckdb"
    shutil.copy(shipped, path)
    synthetic.write_acled_csv(folder / "acled.csv", 3000)
    result = importer.import_file(folder / "acled.csv", path, fmt="acled")
    assert result.committed and result.accepted == 3000
    return path


def _file_engine(path):
    """SQL straight over the store file (every field there, the search text included)."""
    con = duckdb.connect(str(path), read_only=True)
    return lambda: SqlEngine(con.cursor())


def _frame_engine(path, text_held: bool):
    hot = hotcopy.load(path, engine="frame")
    assert hot.ready.wait(120)
    if not text_held:  # as past DASHBOARD_TEXT_MEMORY_MB, without the index: the file
        hot.frame.text = None
        hot.frame.index = None
    else:
        assert hot.frame.index is not None and hot.frame.text is None  # read from the store
    return hot.engine


def _scan_engine(path):
    """The frame without its word index: the held text scanned row by row."""
    hot = hotcopy.load(path, engine="frame")
    assert hot.ready.wait(120)
    hot.frame.hold_text(index=False)
    hot.frame.index = None
    assert hot.frame.text is not None
    return hot.engine


#: name -> (store path -> a function making a fresh engine, as each session run does)
ENGINES = {
    "sql-file": lambda path: _file_engine(path),
    "sql-hot": lambda path: hotcopy.load(path, engine="sql").engine,
    "frame": lambda path: _frame_engine(path, text_held=True),
    "frame-text-in-file": lambda path: _frame_engine(path, text_held=False),
    "frame-scan": lambda path: _scan_engine(path),
}


@pytest.fixture(scope="module", params=["shipped", "generated"])
def dataset(request):
    path = request.getfixturevalue(request.param)
    return path, oracle.frame(path)


@pytest.fixture(scope="module", params=list(ENGINES))
def engine_of(request, dataset):
    path, _ = dataset
    return ENGINES[request.param](path)


@pytest.mark.parametrize("link", LINKS)
def test_every_engine_answers_the_link_as_the_oracle_does(engine_of, dataset, link):
    _, df = dataset
    f = _decode(link)
    q = EventQuery(engine_of())
    sel = oracle.select(df, f)
    assert q.count(f) == len(sel)
    assert q.count_located(f) == len(oracle.located(sel))
    for column in ("event_type", "country", "dataset", "verification"):
        got = q.counts_by(f, column)
        pairs = [
            (None if v is None or v != v else v, int(n)) for v, n in got.itertuples(index=False)
        ]
        assert pairs == oracle.counts_by(sel, column), column
    for unit in ("week", "month"):
        got = q.period_counts(f, unit)
        rows = sorted(
            (p.date(), t, int(n))
            for p, t, n in got[["period", "event_type", "events"]].itertuples(index=False)
        )
        assert rows == oracle.period_counts(sel, unit), unit
        deaths = q.period_deaths(f, unit)
        pairs = [(p.date(), int(n)) for p, n in deaths.itertuples(index=False)]
        assert pairs == oracle.period_deaths(sel, unit), unit
    for sort, descending in SORTS:
        for limit, offset in ((10, 0), (10, 10), (None, 0)):
            page = q.rows(f, sort=sort, descending=descending, limit=limit, offset=offset)
            want = oracle.table_ids(sel, sort, descending, limit, offset)
            assert page["event_id"].tolist() == want, (sort, descending, limit, offset)


@pytest.mark.parametrize("link", ["", "country=SYR&country=IRQ", "type=attack", "q=ghwayran"])
@pytest.mark.parametrize("zoom", [2, 5, 9])
def test_every_engine_draws_the_same_map(engine_of, dataset, link, zoom):
    _, df = dataset
    f = _decode(link)
    engine = engine_of()
    sel = oracle.select(df, f)
    size = cell_degrees(zoom)
    cells = engine.map_cells(f, size)
    got = [
        (int(c.gy), int(c.gx), int(c.events), c.event_type) for c in cells.itertuples(index=False)
    ]
    assert got == oracle.cells(sel, size)
    bounds = (30.0, 35.0, 38.0, 45.0)
    assert engine.count_located(f, bounds) == len(oracle.located(sel, bounds))
    points = engine.map_points(f, ("event_id",), bounds)
    newest = oracle.located(sel, bounds).sort_values(
        ["event_date", "event_id"], ascending=False, kind="stable"
    )
    assert points["event_id"].tolist() == newest["event_id"].tolist()
    layer = EventQuery(engine_of()).map_layer(f, zoom=zoom, max_points=50)
    assert layer.located == len(oracle.located(sel))


#: Map viewports as the side list receives them: Syria and Iraq, the Maghreb, a view wider
#: than the world (Leaflet reports longitudes past 180), and one over open sea.
VIEWPORTS = [
    (30.0, 35.0, 38.0, 45.0),
    (27.0, -13.0, 37.5, 12.0),
    (-85.0, -250.0, 85.0, 250.0),
    (-40.0, -30.0, -35.0, -20.0),
]


@pytest.mark.parametrize("link", ["", "country=SYR&country=IRQ", "type=meeting", "q=ghwayran"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_engine_lists_the_events_in_view_as_the_oracle_does(
    engine_of, dataset, link, viewport
):
    """The map's side list: newest first, only what lies in the viewport, and its count."""
    _, df = dataset
    f = _decode(link)
    rows, total = EventQuery(engine_of()).events_in_view(f, viewport, limit=7)
    bounds = viewport_bounds(viewport)
    inside = oracle.located(oracle.select(df, f), bounds).sort_values(
        ["event_date", "event_id"], ascending=False, kind="stable"
    )
    assert total == len(inside)
    assert rows["event_id"].tolist() == inside["event_id"].head(7).tolist()
    assert list(rows.columns) == list(IN_VIEW_COLUMNS)


def test_a_viewport_past_the_date_line_is_read_as_the_world_it_shows():
    assert viewport_bounds(None) is None
    assert viewport_bounds((-85.0, -250.0, 85.0, 250.0)) == (-85.0, -180.0, 85.0, 180.0)
    # Panned one world east: the same Levant, shifted back.
    assert viewport_bounds((30.0, 395.0, 38.0, 405.0)) == (30.0, 35.0, 38.0, 45.0)


def test_the_table_names_real_events_on_the_shipped_data(shipped):
    """Hand-checked answers, so the oracle itself is held to what an analyst knows."""
    for make in (ENGINES["sql-hot"](shipped), ENGINES["frame"](shipped)):
        q = EventQuery(make())
        marrakesh = _decode("country=MAR&type=meeting&from=2022-05-11&to=2022-05-11")
        assert "ref-2022-05-11-marrakesh-meeting" in q.rows(marrakesh)["event_id"].tolist()
        prison = q.rows(_decode("q=ghwayran&type=attack"))
        assert len(prison) >= 1
        assert set(prison["country"]) == {"SYR"}
        assert all(pd.Timestamp(d).year == 2022 for d in prison["event_date"])
        rome = q.rows(_decode("country=ITA&from=2021-06-01&to=2021-06-30"))
        assert len(rome) >= 1
        assert all(pd.Timestamp(d) >= pd.Timestamp(date(2021, 6, 1)) for d in rome["event_date"])


@pytest.mark.parametrize(
    "link",
    ["", "country=SYR", "type=meeting", "actor=Islamic%20State", "q=ghwayran", "to=2014-01-01"],
)
def test_every_engine_groups_actor_lists_as_the_oracle_does(engine_of, dataset, link):
    """Who meets whom is counted from these groups; each engine must make the same ones."""
    path, df = dataset
    f = _decode(link)
    got = EventQuery(engine_of()).actor_lists(f)
    rows = [
        (k, list(a), int(n), pd.Timestamp(s).date(), pd.Timestamp(e).date())
        for k, a, n, s, e in got[["key", "actors", "events", "first", "last"]].itertuples(
            index=False
        )
    ]
    assert rows == oracle.actor_lists(oracle.select(df, f), oracle.actors_of(path))


# --- a pinned link over events edited and deleted since: the rows as they were --------------


@pytest.fixture(scope="module")
def curated(generated, tmp_path_factory):
    """The generated store, the oracle's rows at its version, then curated since: events
    edited (title, place, dates, the text searched), deleted, deleted and restored."""
    from dashboard import curation, versions

    path = tmp_path_factory.mktemp("curated") / "events.duckdb"
    shutil.copy(generated, path)
    made_on, then = versions.current(path), oracle.frame(path)
    syrian = then[then["country"] == "SYR"].sort_values("event_id")["event_id"].tolist()
    ghwayran = then[then["search_text"].str.contains("ghwayran")]["event_id"].tolist()

    def edit(event_id, **changes):
        event = curation.get_event(path, event_id)
        curation.update_event(path, event_id, changes, "Layla", curation.fingerprint(event))

    edit(syrian[0], country="IRQ", title="Moved and renamed", event_date="2019-02-03")
    edit(syrian[1], event_type="statement", latitude=10.5, longitude=20.5)
    edit(ghwayran[0], title="No longer about that prison", summary="", evidence="", notes="")
    for event_id in (syrian[2], syrian[3], ghwayran[1], then["event_id"].iloc[-1]):
        curation.delete_event(path, event_id, "Layla")
    curation.delete_event(path, syrian[4], "Layla")
    curation.restore_event(path, syrian[4], "Layla")
    return path, then, made_on


AS_OF_ENGINES = ("sql", "frame")
PINNED = ["", "country=SYR", "country=IRQ&from=2019-01-01", "type=statement", "q=ghwayran"]


@pytest.mark.parametrize("kind", AS_OF_ENGINES)
@pytest.mark.parametrize("link", PINNED)
def test_a_pinned_link_answers_as_the_oracle_did_at_its_version(curated, kind, link):
    path, then, made_on = curated
    f = _decode(f"{link}&v={made_on}")
    hot = hotcopy.load(path, engine=kind, prepare=False)
    q = EventQuery(hot.engine(), at=hot.engine_at)
    sel = oracle.select(then, f)
    assert q.count(f) == len(sel)
    now = set(q.rows(_decode(link), limit=None, columns=("event_id",))["event_id"])
    assert now != set(sel["event_id"])  # the link's rows changed since it was made
    for column in ("event_type", "country"):
        got = q.counts_by(f, column).itertuples(index=False)
        pairs = [(None if v is None or v != v else v, int(n)) for v, n in got]
        assert pairs == oracle.counts_by(sel, column), column
    got = q.period_counts(f, "month")
    rows = sorted(
        (p.date(), t, int(n))
        for p, t, n in got[["period", "event_type", "events"]].itertuples(index=False)
    )
    assert rows == oracle.period_counts(sel, "month")
    for sort, descending in SORTS:
        page = q.rows(f, sort=sort, descending=descending, limit=10, offset=0)
        assert page["event_id"].tolist() == oracle.table_ids(sel, sort, descending, 10, 0)
    cells = q.map_layer(f, zoom=5)
    assert cells.located == len(oracle.located(sel))
    # The map's side list reads the same rows as the map: as they were, not as they are.
    listed, in_view = q.events_in_view(f, None, limit=10)
    assert in_view == len(oracle.located(sel))
    assert set(listed["event_id"]) <= set(oracle.located(sel)["event_id"])


def test_places_sub_types_and_deaths_name_real_events(shipped, generated):
    """Hand-checked: "Marrakesh or Rome" in one link, a province, ACLED's sub-types, deaths."""
    for make in (ENGINES["sql-hot"](generated), ENGINES["frame"](generated)):
        q = EventQuery(make())
        both = q.rows(_decode("place=marrakesh&place=ROME"), limit=None)
        assert set(both["location"]) == {"Marrakesh", "Rome", "Rome (Farnesina)"}
        assert set(both["country"]) == {"MAR", "ITA"}
        assert len(q.rows(_decode("place=Lazio"), limit=None)) == len(
            q.rows(_decode("place=Rome"), limit=None)
        )
        one = q.rows(_decode("place=Syria%20place%201&country=SYR"), limit=None)
        assert set(one["location"]) <= {"Syria place 1"}
        clash = q.counts_by(_decode("subtype=armed%20clash"), "dataset")
        assert clash["events"].sum() > 100 and set(clash["dataset"]) == {"acled"}
        deaths = q.rows(_decode("fatalities_min=3&fatalities_max=5"), limit=None)
        assert len(deaths) > 0 and deaths["fatalities"].between(3, 5).all()
        for hostile in ("place=%27%20OR%201%3D1%20--", "subtype=%25", "place=_"):
            assert q.count(_decode(hostile)) == 0
