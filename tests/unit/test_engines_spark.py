"""The URL -> rows table of tests/unit/test_engines.py, run on the Spark engine over a lake.

One local[2] Spark session for the module; the lake is exported from a store holding the
shipped records plus 20,000 generated ACLED rows imported as a user would, so the Spark
engine and the pandas oracle read the same rows. Every link of the table, and the hostile
search strings of the hardening tests, must give the oracle's rows, row for row.

Spark needs Java: without it the module is skipped, unless DASHBOARD_REQUIRE_SPARK=1
(CI sets it), where a missing Java is a failure.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pandas as pd
import pytest

from dashboard import export, importer, lake, store, synthetic
from dashboard.query import EventQuery
from tests import oracle
from tests.spark_checks import need_spark
from tests.unit import test_engines as table

#: The first test of the module starts the JVM and builds the lake; the first Connect test
#: starts the server: more than the suite's per-test timeout on a busy machine.
pytestmark = [pytest.mark.distributed, pytest.mark.slow, pytest.mark.timeout(900)]

GENERATED = 20_000
#: The strings the hardening tests search for: each is matched literally, as text.
HOSTILE = ["%", "_", "%%", "' OR '1'='1", "'); DROP TABLE events; --", ".*", "[a-z]+", "\\", "*"]
HOSTILE_LINKS = [f"{key}={quote(s)}" for key in ("q", "actor", "place", "subtype") for s in HOSTILE]


@pytest.fixture(scope="module")
def spark():
    need_spark()
    from dashboard.engines.spark import session

    s = session(master="local[2]")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def lake_data(tmp_path_factory):
    """(store path, lake dir, oracle frame): the shipped records plus generated ones."""
    folder = tmp_path_factory.mktemp("spark-lake")
    path = store.ensure_store(folder / "events.duckdb")
    synthetic.write_acled_csv(folder / "acled.csv", GENERATED)
    result = importer.import_file(folder / "acled.csv", path, fmt="acled")
    assert result.committed and result.accepted == GENERATED
    exported = lake.export_store(path, folder / "lake")
    df = oracle.frame(path)
    assert exported.committed and exported.rows == len(df)
    return path, folder / "lake", df


@pytest.fixture(scope="module")
def engine(spark, lake_data):
    from dashboard.engines.spark import SparkEngine

    return SparkEngine(spark, lake_data[1])


@pytest.mark.parametrize("link", table.LINKS)
def test_spark_answers_the_link_as_the_oracle_does(engine, lake_data, link):
    path, _, df = lake_data
    table.test_every_engine_answers_the_link_as_the_oracle_does(lambda: engine, (path, df), link)


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_hostile_strings_are_matched_literally_on_spark(engine, lake_data, link):
    """No error, and the oracle's rows: a value is never read as SQL, a pattern or a regex."""
    _, _, df = lake_data
    f = table._decode(link)
    assert f.text or f.actors or f.places or f.sub_types  # the link kept its string
    sel = oracle.select(df, f)
    q = EventQuery(engine)
    assert q.count(f) == len(sel)
    assert q.rows(f, limit=10)["event_id"].tolist() == oracle.table_ids(
        sel, "event_date", True, 10, 0
    )
    assert q.count(table._decode("")) == len(df)  # and the lake is still all there


@pytest.mark.parametrize("link", ["", "country=SYR&country=IRQ", "type=attack", "q=ghwayran"])
@pytest.mark.parametrize("zoom", [2, 5, 9])
def test_spark_draws_the_same_map(engine, lake_data, link, zoom):
    path, _, df = lake_data
    table.test_every_engine_draws_the_same_map(lambda: engine, (path, df), link, zoom)


@pytest.mark.parametrize("link", ["", "country=SYR&country=IRQ", "type=meeting"])
@pytest.mark.parametrize("viewport", table.VIEWPORTS)
def test_spark_lists_the_events_in_view_as_the_oracle_does(engine, lake_data, link, viewport):
    path, _, df = lake_data
    table.test_every_engine_lists_the_events_in_view_as_the_oracle_does(
        lambda: engine, (path, df), link, viewport
    )


def test_records_links_and_actors_equal_the_store(engine, lake_data):
    """The event page, its related events, the sidebar's actor names and an export."""
    from dashboard.engines.sql import SqlEngine

    path, _, df = lake_data
    with store.connect(path, read_only=True) as con:
        ref = EventQuery(SqlEngine(con))
        spark_q = EventQuery(engine)
        generated = df.loc[df["dataset"] != "reference", "event_id"].tolist()
        ids = ["ref-2022-05-11-marrakesh-meeting", "no-such-event", generated[7], generated[3]]
        got, want = spark_q.events_by_id(ids), ref.events_by_id(ids)
        assert got["event_id"].tolist() == want["event_id"].tolist()
        assert got.to_dict("records") == want.to_dict("records")
        for event_id in want["event_id"]:
            assert (
                spark_q.referencing(event_id)["event_id"].tolist()
                == ref.referencing(event_id)["event_id"].tolist()
            )
        assert spark_q.actor_names(50) == ref.actor_names(50)
        for column in ("location", "admin1", "sub_type"):
            assert spark_q.engine.facet_values(column) == ref.engine.facet_values(column)
        f = table._decode("country=SYR")
        exported, expected = spark_q.export_rows(f), ref.export_rows(f)
        assert len(exported) > 1000  # past the IN list: ids asked for by a join
        assert exported.to_dict("records") == expected.to_dict("records")


def test_answers_are_cached_per_filter_and_snapshot(engine):
    f = table._decode("country=SYR&type=attack")
    first = engine.counts_by(f, "country")
    first.loc[0, "events"] = -1  # a caller changing its copy changes nothing kept
    assert engine.counts_by(f, "country").loc[0, "events"] > 0
    keys = [k for k in engine._cache if k[2] == f]
    assert keys and all(k[0] == engine.version for k in keys)


def test_info_and_export_commands_on_spark_match_the_store(engine, lake_data, tmp_path, capsys):
    """The CLI's --engine spark --lake: the same counts and the same exported rows."""
    import json

    from dashboard import cli

    path, root, _ = lake_data
    assert cli.main(["info", "--engine", "spark", "--lake", str(root), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = store.info(path)
    assert got["version"] == engine.version
    for key in ("events", "by_type", "by_dataset"):
        assert got[key] == json.loads(json.dumps(want[key])), key
    query = "country=IRQ&type=attack&q=airstrikes"
    spark_csv, store_csv = tmp_path / "spark.csv", tmp_path / "store.csv"
    spark_args = ["--engine", "spark", "--lake", str(root)]
    assert cli.main(["export", "--query", query, "-o", str(spark_csv), *spark_args]) == 0
    assert cli.main(["export", "--query", query, "-o", str(store_csv), "--store", str(path)]) == 0
    assert spark_csv.read_bytes() == store_csv.read_bytes()
    assert len(spark_csv.read_text(encoding="utf-8").splitlines()) > 10


# --------------------------------------------------------------------------- Spark Connect


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def connect_url(spark, tmp_path_factory):
    """A Spark Connect server started offline by scripts/spark_connect_server.sh."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            ["bash", str(store.REPO / "scripts" / "spark_connect_server.sh"), str(port)],
            env={**os.environ, "PYTHON": sys.executable},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Connect server did not start: {log.read_text()[-2000:]}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)


#: Run in a process of its own, as the dashboard would be: a process holding a local
#: session cannot open a Connect one, and a Connect client starts no JVM.
_CONNECT_CLIENT = r"""
import sys
import pyspark
from dashboard.engines.spark import SparkEngine, session
from tests import oracle
from tests.spark_checks import need_spark
from tests.unit import test_engines as table
url, store_path, lake_dir, *links = sys.argv[1:]
remote = session(remote=url)
assert type(remote).__module__.startswith("pyspark.sql.connect"), type(remote)
engine = SparkEngine(remote, lake_dir)
df = oracle.frame(store_path)
for link in links:
    table.test_every_engine_answers_the_link_as_the_oracle_does(
        lambda: engine, (store_path, df), link
    )
    table.test_every_engine_draws_the_same_map(lambda: engine, (store_path, df), link, 5)
assert pyspark.SparkContext._gateway is None, "a JVM was started in the client"
print("connect ok", len(links))
"""


def test_the_connect_client_answers_as_the_oracle_does(connect_url, lake_data):
    import subprocess
    import sys

    path, root, _ = lake_data
    links = ["country=SYR&type=attack", "q=ghwayran", "q=%27%20OR%201%3D1%20--"]
    done = subprocess.run(
        [sys.executable, "-c", _CONNECT_CLIENT, connect_url, str(path), str(root), *links],
        capture_output=True,
        text=True,
        cwd=store.REPO,
        env={**os.environ, "PYTHONPATH": str(store.REPO)},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "connect ok 3" in done.stdout


@pytest.mark.parametrize("link", ["", "country=SYR", "type=meeting", "q=ghwayran"])
def test_spark_groups_actor_lists_as_the_oracle_does(engine, lake_data, link):
    """Who meets whom: the same groups, counts and dates as the oracle (a lake has no store
    order, so a group's actors come from its smallest event id; compared where its events
    spell them one way)."""
    path, _, df = lake_data
    f = table._decode(link)
    got = EventQuery(engine).actor_lists(f)
    want = oracle.actor_lists(oracle.select(df, f), oracle.actors_of(path))
    assert [
        (k, int(n), pd.Timestamp(a).date(), pd.Timestamp(b).date())
        for k, n, a, b in got[["key", "events", "first", "last"]].itertuples(index=False)
    ] == [(k, n, a, b) for k, _, n, a, b in want]
    assert len(got) > 0 or link == "q=ghwayran"


def test_a_link_pinned_to_a_data_version_leaves_out_later_imports_on_spark(engine, lake_data):
    path, _, df = lake_data
    for link in ("v=1", "v=1&type=attack"):
        f = table._decode(link)
        assert EventQuery(engine).count(f) == len(oracle.select(df, f)) < len(df)


# --------------------------------------------------------------- a pinned link on a curated lake


@pytest.fixture(scope="module")
def curated_lake(spark, tmp_path_factory):
    """A store at version N (shipped records and 2,000 generated ones), then curated as
    an analyst would (an event renamed, moved to another country and redated, one
    retyped and relocated, one's searched text cleared, events deleted, one deleted and
    restored) and imported into again; exported to a lake after all of it.
    (store path, lake engine, N, the oracle's rows at N, the ids edited and deleted)"""
    from dashboard import curation, versions
    from dashboard.engines.spark import SparkEngine

    folder = tmp_path_factory.mktemp("spark-pinned")
    path = store.ensure_store(folder / "events.duckdb")
    synthetic.write_acled_csv(folder / "acled.csv", 2000)
    assert importer.import_file(folder / "acled.csv", path, fmt="acled").committed
    made_on, then = versions.current(path), oracle.frame(path)
    syrian = then[then["country"] == "SYR"].sort_values("event_id")["event_id"].tolist()
    ghwayran = then[then["search_text"].str.contains("ghwayran")]["event_id"].tolist()

    def edit(event_id, **changes):
        event = curation.get_event(path, event_id)
        curation.update_event(path, event_id, changes, "Layla", curation.fingerprint(event))

    edit(syrian[0], country="IRQ", title="Moved and renamed", event_date="2019-02-03")
    edit(syrian[1], event_type="statement", latitude=10.5, longitude=20.5)
    edit(ghwayran[0], title="No longer about that prison", summary="", evidence="", notes="")
    deleted = [syrian[2], syrian[3], ghwayran[1]]
    for event_id in deleted:
        curation.delete_event(path, event_id, "Layla")
    curation.delete_event(path, syrian[4], "Layla")
    curation.restore_event(path, syrian[4], "Layla")
    synthetic.acled_frame(40, start=5000).to_csv(folder / "later.csv", index=False)
    assert importer.import_file(folder / "later.csv", path, fmt="acled").committed
    assert lake.export_store(path, folder / "lake").committed
    engine = SparkEngine(spark, folder / "lake")
    return path, engine, made_on, then, [syrian[0], syrian[1], ghwayran[0]], deleted


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, a missing value (NaN, NaT, None) as None, so equal rows compare equal."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


PINNED_SPARK = ["", "country=SYR", "country=IRQ&from=2019-01-01", "type=statement", "q=ghwayran"]


@pytest.mark.parametrize("link", PINNED_SPARK)
def test_a_pinned_link_on_an_exported_lake_answers_as_the_store_did(curated_lake, link):
    """Edits and deletions made after the link are undone on Spark as on the embedded
    engines: the count, counts, weekly and monthly counts, table pages and map cells of
    the rows as they were, row for row."""
    from dashboard import hotcopy

    path, engine, made_on, then, _, _ = curated_lake
    f = table._decode(f"{link}&v={made_on}")
    q = EventQuery(engine, at=engine.engine_at)
    hot = hotcopy.load(path, engine="sql", prepare=False)
    ref = EventQuery(hot.engine(), at=hot.engine_at)
    sel = oracle.select(then, f)
    assert q.count(f) == ref.count(f) == len(sel)
    now = set(
        EventQuery(engine).rows(table._decode(link), limit=None, columns=("event_id",))["event_id"]
    )
    assert now != set(sel["event_id"])  # the link's rows changed since it was made
    for column in ("event_type", "country", "dataset"):
        got = q.counts_by(f, column).itertuples(index=False)
        pairs = [(None if v is None or v != v else v, int(n)) for v, n in got]
        assert pairs == oracle.counts_by(sel, column), column
    for unit in ("week", "month"):
        got, want = q.period_counts(f, unit), ref.period_counts(f, unit)
        assert got.astype(str).to_dict("records") == want.astype(str).to_dict("records"), unit
        deaths = [(p.date(), int(n)) for p, n in q.period_deaths(f, unit).itertuples(False)]
        assert deaths == oracle.period_deaths(sel, unit), unit
    for sort, descending in table.SORTS:
        page = q.rows(f, sort=sort, descending=descending, limit=10, offset=0)
        assert page["event_id"].tolist() == oracle.table_ids(sel, sort, descending, 10, 0)
        assert _records(page) == _records(
            ref.rows(f, sort=sort, descending=descending, limit=10, offset=0)
        )
    cells = engine.engine_at(made_on).map_cells(f, 1.0)
    got = [(int(c.gy), int(c.gx), int(c.events), c.event_type) for c in cells.itertuples(False)]
    assert got == oracle.cells(sel, 1.0)
    assert q.map_layer(f, zoom=5).located == len(oracle.located(sel))
    points = q.map_points(f, limit=50)
    assert _records(points) == _records(ref.map_points(f, limit=50))
    exported, expected = q.export_rows(f), ref.export_rows(f)
    assert exported["event_id"].tolist() == expected["event_id"].tolist()
    for fmt in ("csv", "geojson"):  # the files a user downloads, byte for byte
        assert export.render(exported, fmt) == export.render(expected, fmt), fmt


def test_a_pinned_event_page_shows_the_event_as_it_was_on_spark(curated_lake, tmp_path):
    """Records by id (the event page, a list of ids) and the CLI's export of a pinned
    link: the renamed event under its old title, the deleted ones back, the same bytes."""
    from dashboard import cli, hotcopy

    path, engine, made_on, then, edited, deleted = curated_lake
    hot = hotcopy.load(path, engine="sql", prepare=False)
    ids = [*edited, *deleted]
    got = EventQuery(engine, at=engine.engine_at).at(made_on).events_by_id(ids)
    want = EventQuery(hot.engine(), at=hot.engine_at).at(made_on).events_by_id(ids)
    assert sorted(got["event_id"]) == sorted(ids)
    assert _records(got) == _records(want)
    was, shown = then.set_index("event_id"), got.set_index("event_id")
    renamed = shown.loc[edited[0]]
    assert renamed["title"] == was.loc[edited[0], "title"] != "Moved and renamed"
    assert renamed["country"] == "SYR"
    assert str(renamed["event_date"])[:10] == str(was.loc[edited[0], "event_date"])[:10]
    assert str(renamed["event_date"])[:10] != "2019-02-03"
    now = EventQuery(engine).events_by_id(ids).set_index("event_id")
    assert sorted(now.index) == sorted(edited)  # as it is: renamed, the deleted gone
    assert now.loc[edited[0], "title"] == "Moved and renamed"
    patch = engine.patch(made_on)
    embedded = hot.patch(made_on)  # what the event page says: edited, or deleted since
    assert set(patch.edited) == set(embedded.edited) >= set(edited)
    assert set(patch.deleted) == set(embedded.deleted) == set(deleted)
    assert patch.lost == embedded.lost
    assert engine.patch(made_on).known and not engine.patch(10**6).hidden
    query = f"country=SYR&v={made_on}"
    spark_csv, store_csv = tmp_path / "spark.csv", tmp_path / "store.csv"
    lake_dir = str(engine.lake)
    assert (
        cli.main(
            [
                "export",
                "--query",
                query,
                "-o",
                str(spark_csv),
                "--engine",
                "spark",
                "--lake",
                lake_dir,
            ]
        )
        == 0
    )
    assert cli.main(["export", "--query", query, "-o", str(store_csv), "--store", str(path)]) == 0
    assert spark_csv.read_bytes() == store_csv.read_bytes()
    assert any(e in spark_csv.read_text(encoding="utf-8") for e in deleted)


def test_a_lake_only_ingested_into_keeps_no_history(spark, tmp_path):
    """No store, no history: a pinned link leaves out later rows only, and says so."""
    from dashboard.engines.spark import SparkEngine

    csv_path = tmp_path / "a.csv"
    synthetic.acled_frame(20).to_csv(csv_path, index=False)
    lake.ingest([csv_path], tmp_path / "lake")
    engine = SparkEngine(spark, tmp_path / "lake")
    assert not engine.has_history
    assert engine.engine_at(1) is None and not engine.patch(1).known
