"""The Spark engine: the same answers as the embedded engines, over a Parquet lake.

For data that has outgrown one machine (:mod:`dashboard.lake` writes the dataset). Every
operation is built with Spark's DataFrame API: filter values enter the plan as literal
expressions (``F.lit``, ``isin``), never as SQL text, so there is nothing to escape and
nothing to parse; the same plan runs in a local session and through Spark Connect (the
thin client: no JVM in the dashboard's process). Transpiling the SQL engine's DuckDB
SQL was the alternative; it needs a transpiler that cannot read all of it, and the
DataFrame API states each rule once, in Python, next to the others.

Rules that make the answers equal to the other engines' row for row:

- the free text follows :class:`dashboard.aliases.SearchTerm` over the precomputed folded
  ``search_text``: plain spellings as substrings, word-start spellings behind a substring
  test and :func:`dashboard.aliases.word_start_pattern` (Java regex reads it as RE2 does);
- a week is ``trunc(date, 'week')``, the Monday, on dates (no time zone involved; the
  session is set to UTC all the same);
- the most common type of a map cell is the one with most events, alphabetically first
  of equals (the smallest ``(-events, type)``);
- strings sort by code point (Spark compares UTF-8 bytes, which orders the same).

Answers are kept per filter in a small LRU keyed by the lake's snapshot, so a rerun that
asks the same thing again costs nothing and a new snapshot never serves an old answer.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import facets, store
from dashboard import lake as lakes
from dashboard.aliases import search_terms, word_start_pattern
from dashboard.filters import MAX_TERMS, Filters
from dashboard.schema import COLUMNS, LIST_COLUMNS
from dashboard.text import normalise

from .base import check_column, check_facet, check_unit, decode, order_of

#: Answers kept per engine (each a count or a small frame; a page is 100 rows).
CACHE_ANSWERS = 256
#: Up to this many ids, full records are asked for with an IN list; beyond, by a join.
IDS_IN_LIST = 1000
#: Engines over earlier versions kept per lake engine (each a plan, no data).
AS_OF_KEPT = 8

_ARROW_TO_SPARK = {
    "string": "STRING",
    "date32[day]": "DATE",
    "double": "DOUBLE",
    "int32": "INT",
    "bool": "BOOLEAN",
    "list<item: string>": "ARRAY<STRING>",
}


def lake_schema() -> str:
    """The lake's columns as a Spark DDL schema (the store's columns plus ``year``)."""
    schema = store.rows_to_arrow([]).schema
    fields = [f"`{f.name}` {_ARROW_TO_SPARK[str(f.type)]}" for f in schema]
    # The store's data version that added the row (empty for files ingested straight
    # into the lake): what a link pinned to a version (v=) selects by.
    return ", ".join([*fields, "`added_in` BIGINT", "`year` INT"])


def session(remote: str | None = None, master: str | None = None):
    """A Spark session: Spark Connect at ``remote`` (``sc://host:port``), else a local one.

    The local session (``local[2]`` unless DASHBOARD_SPARK_MASTER says otherwise) serves
    the tests and one big machine; a cluster is reached through Connect.
    """
    from pyspark.sql import SparkSession

    remote = remote or os.environ.get("DASHBOARD_SPARK_REMOTE") or None
    if remote:
        builder = SparkSession.builder.remote(remote)
    else:
        master = master or os.environ.get("DASHBOARD_SPARK_MASTER") or "local[2]"
        builder = (
            SparkSession.builder.master(master)
            .appName("conflict-diplomacy-dashboard")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", os.environ.get("DASHBOARD_SPARK_SHUFFLE", "8"))
            .config("spark.driver.memory", os.environ.get("DASHBOARD_SPARK_MEMORY", "1g"))
        )
    spark = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    # Connect sessions may be shared: set the zone on this session too.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    return spark


class SparkEngine:
    """The operations of :class:`dashboard.engines.base.Engine` over the lake at ``lake``.

    One engine serves every session of the dashboard (answers are shared through the
    cache); it reads the files the manifest listed when it was made, so its answers belong
    to one snapshot (:attr:`version`) however the lake changes meanwhile.
    """

    name = "spark"

    def __init__(self, spark, lake: Path | str):
        from pyspark.sql import functions as F

        self.F = F
        self.spark = spark
        self.lake = Path(lake)
        manifest = lakes.read_manifest(self.lake)
        #: The lake's snapshot id: the data version a link made on this engine names.
        self.version = lakes.snapshot_of(manifest)
        self.max_span_days = int(manifest.get("max_span_days", 0))
        parts = lakes.part_paths(self.lake, manifest)
        schema = lake_schema()
        if parts:
            self.events = (
                spark.read.schema(schema)
                .option("basePath", str(self.lake / lakes.EVENTS_DIR))
                .parquet(*parts)
            )
        else:
            self.events = spark.createDataFrame([], schema)
        self._cache: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._init_history(manifest)

    # ------------------------------------------------------------------ earlier versions

    def _init_history(self, manifest: dict) -> None:
        """The export's history (:mod:`dashboard.lake_history`), when the lake has one."""
        #: The manifest's history entry; None for a lake only ingested into (no store).
        self.history_entry = manifest.get("history")
        #: The store version this engine answers as of (None: the lake as it is).
        self._pinned: int | None = None
        self._at: dict[int, SparkEngine] = {}
        self._patches: dict = {}
        self._history = None
        path = lakes.history_path(manifest)
        if path:
            ddl = lake_schema() + ", `v_from` BIGINT, `v_to` BIGINT, `shown` BOOLEAN"
            self._history = self.spark.read.schema(ddl).parquet(str(self.lake / path))

    @property
    def has_history(self) -> bool:
        """Whether a pinned link sees the events edited and deleted since as they were."""
        return self.history_entry is not None

    def _then(self, version: int):
        """The shown and hidden history rows of ``version`` (values as plan literals)."""
        F = self.F
        v = F.lit(int(version))
        return self._history.where((F.col("v_from") <= v) & (F.col("v_to") >= v))

    def engine_at(self, version: int | None) -> SparkEngine | None:
        """An engine over the rows as they were at store version ``version``, or None when
        the lake's rows are those (nothing edited or deleted since, or no history kept):
        the stored rows of events changed since are left out (an anti-join with their
        ids) and their rows of then put in (a union), every operation reading that."""
        from dashboard import lake_history

        if version is None or self._history is None or self._pinned is not None:
            return None
        version = int(version)
        if not lake_history.patched_at(self.history_entry, version):
            return None
        with self._lock:
            engine = self._at.get(version)
            if engine is None:
                F = self.F
                rows = self._then(version)
                gone = rows.where(~F.col("shown")).select("event_id")
                shown = rows.where(F.col("shown")).select(*self.events.columns)
                engine = copy.copy(self)
                engine._pinned = version
                engine._at = {}
                engine.events = self.events.join(
                    F.broadcast(gone), "event_id", "left_anti"
                ).unionByName(shown)
                self._at[version] = engine
                while len(self._at) > AS_OF_KEPT:
                    self._at.pop(next(iter(self._at)))
            return engine

    def patch(self, version: int):
        """What a page says of ``version`` (:class:`dashboard.versions.Patch`): the ids
        shown as they were (edited, deleted since) and the rows nothing kept. The records
        themselves stay in the lake (``records`` empty); ``known`` False without history."""
        from dashboard import lake_history
        from dashboard.versions import Patch

        if self.history_entry is None:
            return Patch(int(version), known=False)
        version = int(version)
        entry = self.history_entry or {}
        first = entry.get("first_version")
        if version >= int(entry.get("store_version", 0)):
            return Patch(version)
        if first is None or version < int(first):
            return Patch(version, known=False)
        lost = lake_history.lost_at(entry, version)
        if self._history is None or not lake_history.patched_at(entry, version):
            return Patch(version, lost=lost)
        with self._lock:
            hit = self._patches.get(version)
        if hit is None:
            rows = self._then(version).select("event_id", "shown").collect()
            hidden = sorted({r[0] for r in rows if not r[1]})
            shown = sorted({r[0] for r in rows if r[1]})
            hit = Patch(
                version,
                tuple(hidden),
                (),
                lost,
                True,
                tuple(i for i in shown if i in set(hidden)),
                tuple(i for i in shown if i not in set(hidden)),
            )
            with self._lock:
                self._patches[version] = hit
        return hit

    # ------------------------------------------------------------------ plumbing

    def _cached(self, key: tuple, compute):
        key = (self.version, *key, self._pinned)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                hit = self._cache[key]
                return hit.copy() if isinstance(hit, pd.DataFrame) else hit
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_ANSWERS:
                self._cache.popitem(last=False)
        return value.copy() if isinstance(value, pd.DataFrame) else value

    @staticmethod
    def _frame(df) -> pd.DataFrame:
        """Collect as Arrow; DuckDB turns it into pandas exactly as the SQL engine's answers."""
        return duckdb.from_arrow(df.toArrow()).df()

    def condition(self, f: Filters):
        """The filter model as one Column expression (values as literals in the plan)."""
        F = self.F
        cond = F.lit(True)
        if f.countries:
            cond &= F.col("country").isin(list(f.countries))
        if f.types:
            cond &= F.col("event_type").isin(list(f.types))
        # Any part of the span in the range; the year conditions repeat that on the
        # partition column so Spark skips whole years of files.
        if f.date_from is not None:
            cond &= F.col("span_end") >= F.lit(f.date_from)
            earliest = f.date_from - timedelta(days=self.max_span_days)
            cond &= F.col("year") >= F.lit(earliest.year)
        if f.date_to is not None:
            cond &= F.col("span_start") <= F.lit(f.date_to)
            cond &= F.col("year") <= F.lit(f.date_to.year)
        if f.actors:
            any_actor = F.lit(False)
            for actor in f.actors:
                any_actor |= F.col("actors_norm").contains(F.lit(normalise(actor)))
            cond &= any_actor
        if f.batch:
            cond &= F.col("batch_id") == F.lit(f.batch)
        if f.as_of is not None:
            cond &= F.coalesce(F.col("added_in"), F.lit(0)) <= F.lit(int(f.as_of))
        cond &= self._facets(f)
        for term in search_terms(f.text, MAX_TERMS):
            cond &= self._term(term)
        return cond

    # -- place, sub-type and deaths filters (dashboard.facets)
    def _facets(self, f: Filters):
        F = self.F
        cond = F.lit(True)
        picked = facets.pick(f, self.facet_values)
        if picked is not None:  # the stored values the words pick; null never matches
            if f.places:
                at = F.col("location").isin(list(picked.location)) | F.col("admin1").isin(
                    list(picked.admin1)
                )
                cond &= F.coalesce(at, F.lit(False))
            if f.sub_types:
                cond &= F.coalesce(F.col("sub_type").isin(list(picked.sub_type)), F.lit(False))
        if f.fatalities_min is not None:
            cond &= F.col("fatalities") >= F.lit(int(f.fatalities_min))
        if f.fatalities_max is not None:
            cond &= F.col("fatalities") <= F.lit(int(f.fatalities_max))
        return cond

    def facet_values(self, column: str) -> list[str]:
        F = self.F
        column = check_facet(column)

        def compute():
            rows = (
                self.events.where(F.col(column).isNotNull() & (F.col(column) != F.lit("")))
                .groupBy(column)
                .agg(F.count(F.lit(1)).alias("n"))
                .orderBy(F.col("n").desc(), column)
                .collect()
            )
            return [r[0] for r in rows]

        return list(self._cached(("facet", column), compute))

    def _term(self, term):
        F = self.F
        text = F.col("search_text")
        plain, words = term.split()
        hit = F.lit(False)
        for alt in plain:
            hit |= text.contains(F.lit(alt))
        if words:
            candidate = F.lit(False)
            for alt in words:
                candidate |= text.contains(F.lit(alt))
            hit |= candidate & F.regexp_like(text, F.lit(word_start_pattern(words)))
        # A null text matches nothing, as in the other engines.
        return F.coalesce(hit, F.lit(False))

    def select(self, f: Filters):
        return self.events.where(self.condition(f))

    def _located(self, df, bounds):
        F = self.F
        df = df.where(F.col("latitude").isNotNull())
        if bounds is not None:
            south, west, north, east = (float(b) for b in bounds)
            df = df.where(
                F.col("latitude").between(F.lit(south), F.lit(north))
                & F.col("longitude").between(F.lit(west), F.lit(east))
            )
        return df

    # ------------------------------------------------------------------ operations

    #: The groupings one summary job counts at once, by name: the columns grouped.
    _SETS = {
        "all": (),
        "located": ("located",),
        "event_type": ("event_type",),
        "country": ("country",),
        "dataset": ("dataset",),
        "verification": ("verification",),
        "week": ("week", "event_type"),
        "month": ("month", "event_type"),
    }
    _SET_COLUMNS = ("located", "event_type", "country", "dataset", "verification", "week", "month")

    def summary(self, f: Filters) -> dict:
        """Count, located count, counts by each countable column and by week and month.

        One job (grouping sets) answers them all: a page asks for most of them for the
        same filters, and on a cluster each separate answer would be another scan.
        """
        F = self.F

        def compute():
            sel = self.select(f).select(
                F.col("latitude").isNotNull().alias("located"),
                "event_type",
                "country",
                "dataset",
                "verification",
                F.trunc("event_date", "week").alias("week"),
                F.trunc("event_date", "month").alias("month"),
            )
            sets = [list(cols) for cols in self._SETS.values()]
            grouped = sel.groupingSets(sets, *self._SET_COLUMNS).agg(
                F.count(F.lit(1)).alias("events"), F.grouping_id().alias("g")
            )
            frame = self._frame(grouped)
            width = len(self._SET_COLUMNS)
            out = {}
            for name, cols in self._SETS.items():
                g = sum(
                    1 << (width - 1 - i) for i, c in enumerate(self._SET_COLUMNS) if c not in cols
                )
                part = frame.loc[frame["g"] == g, [*cols, "events"]].reset_index(drop=True)
                part["events"] = part["events"].astype("int64")
                out[name] = part
            return out

        return self._cached(("summary", f), compute)

    def count(self, f: Filters) -> int:
        events = self.summary(f)["all"]["events"]
        return int(events.iloc[0]) if len(events) else 0

    def count_located(self, f: Filters, bounds=None) -> int:
        if bounds is None:
            located = self.summary(f)["located"]
            return int(located.loc[located["located"].astype(bool), "events"].sum())
        key = ("located", f, tuple(map(float, bounds)))
        return self._cached(key, lambda: self._located(self.select(f), bounds).count())

    def counts_by(self, f: Filters, column: str) -> pd.DataFrame:
        column = check_column(column)
        part = self.summary(f)[column].copy()
        # Most events first, ties by value (code point order), no value last.
        part["_none"] = part[column].isna()
        part = part.sort_values(
            ["events", "_none", column], ascending=[False, True, True], kind="stable"
        )
        return part.drop(columns="_none").reset_index(drop=True)

    def period_counts(self, f: Filters, unit: str) -> pd.DataFrame:
        unit = check_unit(unit)
        part = self.summary(f)[unit].rename(columns={unit: "period"})
        part["period"] = pd.to_datetime(part["period"])
        return part.sort_values(["period", "event_type"], kind="stable").reset_index(drop=True)

    def period_deaths(self, f: Filters, unit: str) -> pd.DataFrame:
        F = self.F
        unit = check_unit(unit)

        def compute():
            grouped = (
                self.select(f)
                .where(F.col("fatalities").isNotNull())
                .groupBy(F.trunc("event_date", unit).alias("period"))
                .agg(F.sum("fatalities").alias("fatalities"))
            )
            frame = self._frame(grouped)
            frame["period"] = pd.to_datetime(frame["period"])
            frame["fatalities"] = frame["fatalities"].astype("int64")
            return frame.sort_values("period", kind="stable").reset_index(drop=True)

        return self._cached(("deaths", f, unit), compute)

    def table_page(self, f, *, sort, descending, limit, offset, columns) -> pd.DataFrame:
        F = self.F
        order = order_of(sort)
        columns = tuple(columns)

        def compute():
            key = F.col(order).desc_nulls_last() if descending else F.col(order).asc_nulls_last()
            tie = F.col("event_id").desc() if descending else F.col("event_id").asc()
            df = self.select(f).orderBy(key, tie)
            if limit is not None:
                # The first offset + limit rows in order (a top-k, not a full sort);
                # the page is cut from them here.
                df = df.limit(int(offset) + int(limit))
            frame = self._frame(df.select(*columns))
            return decode(frame.iloc[int(offset) :].reset_index(drop=True))

        key = ("page", f, order, bool(descending), limit, int(offset), columns)
        return self._cached(key, compute)

    def map_cells(self, f: Filters, size: float, bounds=None) -> pd.DataFrame:
        F = self.F
        size = float(size)

        def compute():
            pts = self._located(self.select(f), bounds).select(
                F.floor(F.col("latitude") / F.lit(size)).cast("int").alias("gy"),
                F.floor(F.col("longitude") / F.lit(size)).cast("int").alias("gx"),
                "latitude",
                "longitude",
                "event_type",
            )
            by_type = pts.groupBy("gy", "gx", "event_type").agg(
                F.count(F.lit(1)).alias("n"),
                F.sum("latitude").alias("lat"),
                F.sum("longitude").alias("lon"),
            )
            cells = (
                by_type.groupBy("gy", "gx")
                .agg(
                    F.sum("n").alias("events"),
                    (F.sum("lat") / F.sum("n")).alias("latitude"),
                    (F.sum("lon") / F.sum("n")).alias("longitude"),
                    # Most events first, then the alphabetically first type.
                    F.min(F.struct((-F.col("n")).alias("k"), F.col("event_type").alias("t")))
                    .getField("t")
                    .alias("event_type"),
                )
                .orderBy(F.col("events").desc(), "gy", "gx")
            )
            frame = self._frame(cells)
            frame["events"] = frame["events"].astype("int64")
            return frame

        key = ("cells", f, size, None if bounds is None else tuple(map(float, bounds)))
        return self._cached(key, compute)

    def actor_lists(self, f: Filters) -> pd.DataFrame:
        """Grouped by the folded list, as every engine; a lake keeps no store order, so a
        group's actors are those of its event with the smallest id (the same list in all
        but a group whose events spell their actors differently)."""
        F = self.F

        def compute():
            groups = (
                self.select(f)
                .where(F.length(F.col("actors_norm")) > 2)
                .groupBy("actors_norm")
                .agg(
                    F.count(F.lit(1)).alias("events"),
                    F.min("event_date").alias("first"),
                    F.max("event_date").alias("last"),
                    F.min(F.struct("event_id", "actors")).getField("actors").alias("actors"),
                )
                .select(F.col("actors_norm").alias("key"), "actors", "events", "first", "last")
                .orderBy(F.col("events").desc(), "key")
            )
            out = self._frame(groups)
            out["events"] = out["events"].astype("int64")
            out["first"] = pd.to_datetime(out["first"])
            out["last"] = pd.to_datetime(out["last"])
            return decode(out)

        return self._cached(("actor_lists", f), compute)

    def map_points(self, f: Filters, columns, bounds=None, limit=None) -> pd.DataFrame:
        F = self.F
        columns = tuple(columns)

        def compute():
            df = self._located(self.select(f), bounds).orderBy(
                F.col("event_date").desc(), F.col("event_id").desc()
            )
            if limit is not None:
                df = df.limit(int(limit))
            return decode(self._frame(df.select(*columns)))

        key = ("points", f, columns, None if bounds is None else tuple(map(float, bounds)), limit)
        return self._cached(key, compute)

    def records(self, ids: list[str]) -> pd.DataFrame:
        F = self.F
        ids = [str(i) for i in ids]
        if not ids:
            return decode(self._frame(self.events.select(*COLUMNS).limit(0)))
        if len(ids) <= IDS_IN_LIST:
            found = self._frame(self.events.where(F.col("event_id").isin(ids)).select(*COLUMNS))
        else:
            wanted = self.spark.createDataFrame(pd.DataFrame({"event_id": ids}))
            found = self._frame(self.events.join(wanted, "event_id", "inner").select(*COLUMNS))
        order = {event_id: i for i, event_id in enumerate(dict.fromkeys(ids))}
        found = found[found["event_id"].isin(order)]
        found = found.iloc[found["event_id"].map(order).argsort(kind="stable")]
        return decode(found.reset_index(drop=True))

    def referencing(self, event_id: str) -> pd.DataFrame:
        F = self.F

        def compute():
            df = (
                self.events.where(F.array_contains(F.col("related"), F.lit(str(event_id))))
                .orderBy("event_date", "event_id")
                .select(*LIST_COLUMNS)
            )
            return decode(self._frame(df))

        return self._cached(("referencing", str(event_id)), compute)

    def actor_names(self, limit: int) -> list[str]:
        F = self.F

        def compute():
            names = (
                self.events.select(F.explode("actors").alias("a"))
                .select(F.trim(F.substring_index("a", "(", 1)).alias("name"))
                .where(F.col("name") != F.lit(""))
                .groupBy("name")
                .agg(F.count(F.lit(1)).alias("n"))
                .orderBy(F.col("n").desc(), "name")
                .limit(int(limit))
            )
            return [r[0] for r in names.collect()]

        return list(self._cached(("actors", int(limit)), compute))

    def info(self) -> dict:
        """Counts by type, country and dataset, as ``python -m dashboard info`` prints."""
        everything = Filters()

        def pairs(column: str) -> list[tuple[str, int]]:
            frame = self.counts_by(everything, column)
            return [("-" if v is None or v != v else v, int(n)) for v, n in frame.itertuples(False)]

        return {
            "lake": str(self.lake),
            "events": self.count(everything),
            "by_type": pairs("event_type"),
            "by_country": pairs("country"),
            "by_dataset": pairs("dataset"),
            "version": self.version,
        }


_OPEN: dict = {}
_OPEN_LOCK = threading.Lock()


def open_lake_engine(lake: Path | str | None = None, remote: str | None = None) -> SparkEngine:
    """The process's engine over ``lake`` (default DASHBOARD_LAKE), made again when the
    lake's snapshot changes; the Spark session is made once per process.

    The dashboard asks this at every rerun: it costs one read of the manifest.
    """
    lake = lake or os.environ.get("DASHBOARD_LAKE")
    if not lake:
        raise lakes.LakeError("DASHBOARD_ENGINE=spark needs DASHBOARD_LAKE (the lake directory)")
    lake = Path(lake).expanduser()
    remote = remote or os.environ.get("DASHBOARD_SPARK_REMOTE") or None
    with _OPEN_LOCK:
        spark = _OPEN.get(("session", remote))
        if spark is None:
            spark = _OPEN[("session", remote)] = session(remote)
        engine = _OPEN.get(("engine", str(lake), remote))
        if engine is None or engine.version != lakes.snapshot(lake):
            engine = _OPEN[("engine", str(lake), remote)] = SparkEngine(spark, lake)
        return engine
