"""The fast path answers exactly what the naive way answers, and the map stays small at scale.

Synthetic ACLED-like events from the benchmark's generator (fixed seed), written as an
ACLED CSV and stored through the project's importer, as the benchmark does. Nothing here
is timed: speed is `python -m dashboard bench`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import bench, hotcopy, importer, store, synthetic
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters
from dashboard.query import EventQuery
from dashboard.text import actors_blob, search_blob


def _stored(n: int, directory: Path) -> Path:
    """The shipped records plus n synthetic events, imported as a user would."""
    csv_path, path = directory / "acled.csv", directory / "events.duckdb"
    synthetic.write_acled_csv(csv_path, n)
    store.ensure_store(path)
    result = importer.import_file(csv_path, path, fmt="acled")
    assert result.accepted == n, result.problems[:3]
    return path


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    return _stored(20_000, tmp_path_factory.mktemp("scale"))


@pytest.fixture(scope="module")
def mem(stored, tmp_path_factory) -> hotcopy.HotCopy:
    """The hot copy of the synthetic events alone: the naive way knows no aliases, and
    the shipped records name Ghwayran in several spellings."""
    synthetic = tmp_path_factory.mktemp("synthetic") / "events.duckdb"
    shutil.copy(stored, synthetic)
    with store.connect(synthetic) as con:
        con.execute("DELETE FROM events WHERE dataset = 'reference'")
    hot = hotcopy.load(synthetic)
    assert hot.ready.wait(60) and hot.frame is not None
    assert hot.frame.index is not None  # text terms matched in Polars; SQL: the file
    return hot


@pytest.fixture(scope="module")
def frame(mem):
    """The naive way's frame, from the file the hot copy was made of."""
    return bench.naive_frame(mem.frame.path)


FILTERS = [
    Filters(),
    Filters(countries=("SYR",)),
    Filters(countries=("SYR", "IRQ", "YEM", "LBY", "NGA"), types=("attack", "other")),
    Filters(date_from=date(2019, 1, 1), date_to=date(2021, 12, 31)),
    Filters(date_from=date(2022, 3, 15), date_to=date(2022, 3, 15)),
    Filters(types=("agreement",), date_to=date(2016, 6, 30)),
    Filters(actors=("Islamic State",)),
    Filters(actors=("houthi", "al shabaab"), countries=("YEM", "SOM")),
    bench.ROUND_FILTERS,
    Filters(text="airstrikes"),
    Filters(text="غويران", countries=("SYR",)),  # Arabic, with the store's folding
    Filters(text="إنفجار"),  # hamza folded on both sides
    Filters(text="clashes road", date_from=date(2020, 1, 1)),
    Filters(countries=("MAR",), types=("meeting",)),  # nothing matches
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[8:60])
def test_fast_path_equals_naive_masks(mem, frame, f):
    q = EventQuery(mem.engine())
    assert q.engine.name == "frame"  # the filter frame answers, as on every page
    naive = frame[bench.naive_mask(frame, f)]
    assert q.count(f) == len(naive)

    weekly = q.period_counts(f, "week")
    week = naive["event_date"] - pd.to_timedelta(naive["event_date"].dt.day_of_week, unit="D")
    expected = naive.groupby([week, "event_type"]).size()
    got = weekly.set_index(["period", "event_type"])["events"]
    assert sorted(got.items()) == sorted(
        ((pd.Timestamp(p), t), n) for (p, t), n in expected.items()
    )

    countries = dict(q.counts_by(f, "country").dropna().itertuples(index=False))
    assert countries == naive["country"].value_counts().to_dict()

    page = q.rows(f, limit=100)
    newest = naive.sort_values(["event_date", "event_id"], ascending=False).head(100)
    assert page["event_id"].tolist() == newest["event_id"].tolist()
    second = q.rows(f, limit=100, offset=100)
    assert second["event_id"].tolist() == (
        naive.sort_values(["event_date", "event_id"], ascending=False)
        .iloc[100:200]["event_id"]
        .tolist()
    )
    oldest = q.rows(f, descending=False, limit=50)
    assert oldest["event_id"].tolist() == (
        naive.sort_values(["event_date", "event_id"]).head(50)["event_id"].tolist()
    )


def _query(mem, engine: str) -> EventQuery:
    """The page's way (the hot copy's filter frame) or the SQL one (a plain cursor)."""
    return EventQuery(mem.engine()) if engine == "frame" else EventQuery(SqlEngine(mem.cursor()))


@pytest.mark.parametrize("engine", ["frame", "sql"])
def test_map_layer_counts_every_located_event(mem, frame, engine):
    f = bench.ROUND_FILTERS
    layer = _query(mem, engine).map_layer(f, zoom=4, max_points=100)
    naive = frame[bench.naive_mask(frame, f)].dropna(subset=["latitude"])
    assert layer.kind == "cells"
    assert layer.frame["events"].sum() == len(naive) == layer.located
    few = _query(mem, engine).map_layer(Filters(countries=("MAR",)), max_points=5000)
    assert few.kind == "points"
    assert set(few.frame["event_id"]) == set(
        frame[(frame["country"] == "MAR") & frame["latitude"].notna()]["event_id"]
    )


@pytest.mark.parametrize("engine", ["frame", "sql"])
def test_zooming_in_makes_finer_cells(mem, engine):
    q = _query(mem, engine)
    wide = q.map_layer(Filters(), zoom=3, max_points=100)
    close = q.map_layer(Filters(), zoom=7, max_points=100)
    assert close.cell_degrees < wide.cell_degrees
    assert len(close.frame) > len(wide.frame)


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: repr(f)[8:60])
def test_filter_frame_answers_what_sql_answers(mem, f):
    """Every question a page asks, through the filter frame and through SQL alone."""
    fast, sql = EventQuery(mem.engine()), EventQuery(SqlEngine(mem.cursor()))
    assert fast.count(f) == sql.count(f)
    assert fast.count_located(f) == sql.count_located(f)
    for column in ("event_type", "country"):
        # (DuckDB gives an empty result object columns, Polars str ones: values matter)
        got, want = fast.counts_by(f, column), sql.counts_by(f, column)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    for freq in ("week", "month"):
        got, want = fast.period_counts(f, freq), sql.period_counts(f, freq)
        pd.testing.assert_frame_equal(
            got.astype({"period": "datetime64[s]"}),
            want.astype({"period": "datetime64[s]"}),
            check_dtype=False,
        )
    for sort, descending, offset in (
        ("event_date", True, 0),
        ("event_date", False, 30),
        ("country", True, 0),
        ("title", False, 10),
        ("fatalities", True, 0),
    ):
        got = fast.rows(f, sort=sort, descending=descending, limit=40, offset=offset)
        want = sql.rows(f, sort=sort, descending=descending, limit=40, offset=offset)
        assert got["event_id"].tolist() == want["event_id"].tolist(), (sort, descending)
    assert fast.rows(f, limit=None)["event_id"].tolist() == (
        sql.rows(f, limit=None)["event_id"].tolist()
    )
    # The newest 300 located: which of the events sharing the 300th date is left out
    # is not defined, so their dates are compared, and the ids when there is no tie.
    got, want = fast.map_points(f, limit=300), sql.map_points(f, limit=300)
    assert got["event_date"].tolist() == want["event_date"].tolist()
    if fast.count_located(f) <= 300:
        assert got["event_id"].tolist() == want["event_id"].tolist()
    for zoom, bounds in ((4, None), (7, (30.0, 35.0, 37.0, 42.0)), (2, (-10.0, -20.0, 10.0, 20.0))):
        got = fast.map_layer(f, zoom=zoom, bounds=bounds, max_points=500)
        want = sql.map_layer(f, zoom=zoom, bounds=bounds, max_points=500)
        shape = (got.kind, got.located, got.cell_degrees)
        assert shape == (want.kind, want.located, want.cell_degrees)
        if got.kind == "points":
            assert got.frame["event_id"].tolist() == want.frame["event_id"].tolist()
        else:
            columns = ["events", "latitude", "longitude"]
            pd.testing.assert_frame_equal(got.frame[columns], want.frame[columns], rtol=1e-9)


def test_the_filter_frame_remembers_a_text_term_only_for_its_own_store(mem):
    """A term asked twice is matched once; the matches never outlive their hot copy."""
    f = Filters(text="airstrikes", countries=("SYR",))
    q = EventQuery(mem.engine())
    first = q.count(f)
    assert "airstrikes" in mem.frame._text
    assert EventQuery(mem.engine()).count(Filters(text="airstrikes", countries=("IRQ",))) > 0
    assert (
        EventQuery(mem.engine()).count(f) == first == EventQuery(SqlEngine(mem.cursor())).count(f)
    )
    mem.frame.forget_text()
    assert EventQuery(mem.engine()).count(f) == first


def test_an_import_stores_its_batch_in_date_order(stored):
    """Table pages read the newest rows of a selection; stored by date, they lie together."""
    with store.connect(stored, read_only=True) as con:
        dates = con.sql("SELECT event_date FROM events WHERE dataset = 'acled' ORDER BY rowid")
        dates = [d for (d,) in dates.fetchall()]
    assert len(dates) == 20_000 and dates == sorted(dates)


def test_imported_search_column_is_what_one_record_would_store(stored):
    """The import folds text in bulk; every row holds what the one-record path writes."""
    columns = (
        "title, title_ar, summary, actors, location, admin1, evidence, notes, sub_type, origin_type"
    )
    with store.connect(stored, read_only=True) as con:
        rows = con.sql(
            f"SELECT {columns}, search_text, actors_norm FROM events WHERE dataset = 'acled'"
        ).fetchall()
    names = [c.strip() for c in columns.split(",")]
    assert len(rows) == 20_000
    for row in rows:
        record = dict(zip(names, row, strict=False))
        assert row[-2] == search_blob(record)
        assert row[-1] == actors_blob(record["actors"])


def test_map_payload_stays_under_2_mb_at_100k_events(tmp_path):
    big = hotcopy.load(_stored(100_000, tmp_path))
    q = EventQuery(big.engine())
    for f, zoom in ((Filters(), None), (Filters(), 8), (bench.ROUND_FILTERS, 5)):
        layer = q.map_layer(f, zoom=zoom)
        assert layer.located > 2000 and layer.kind == "cells"
        assert bench.map_payload(layer) < 2 * 1024 * 1024


def test_the_hot_copy_is_compressed_soon_after_it_answers(stored):
    """Queries run at once; the checkpoint that compresses the copy follows beside them."""
    hot = hotcopy.load(stored)
    first = EventQuery(SqlEngine(hot.cursor())).count(bench.ROUND_FILTERS)
    assert hot.compressed.wait(120)
    assert EventQuery(SqlEngine(hot.cursor())).count(bench.ROUND_FILTERS) == first
    plain = duckdb.connect(":memory:")
    plain.execute("ATTACH ? AS src (READ_ONLY)", [str(stored)])
    plain.execute(
        f"CREATE TABLE events AS SELECT rowid AS file_row, {', '.join(hotcopy.HOT_COLUMNS)} "
        "FROM src.events"
    )
    usage = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'"
    compressed, uncompressed = (
        hot.cursor().execute(usage).fetchone()[0],
        plain.execute(usage).fetchone()[0],
    )
    assert compressed < uncompressed / 2, (compressed, uncompressed)
