"""`python -m dashboard bench`: the dashboard's interactive path at scale, against the naive way.

Synthetic ACLED-like events (fixed seed; a few countries hold most events, bursts in
time, ~200-character notes mixing Arabic and English, actors drawn from a skewed pool)
are written as an ACLED CSV into a temporary directory and stored into a scratch store
there, never the user's, through ``dashboard.importer.import_file``. Each measurement
runs several times; median, min and max are reported, beside the naive counterpart
(pandas boolean masks over the whole frame, one folium marker per event) measured in
the same run on the same data.

Nothing here imports streamlit: AppTest runs in a subprocess, so the cold start is a real
process start.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from . import store
from .filters import Filters
from .text import normalise

SEED = 20220511
EPOCH = date(2014, 1, 1)
DAYS = (date(2024, 12, 31) - EPOCH).days + 1
#: The naive map draws one folium marker per event; past this many it takes minutes and
#: the browser stops, so the naive round is measured on the newest NAIVE_MARKER_CAP events.
NAIVE_MARKER_CAP = 2000
DEFAULT_SIZES = (100_000, 1_000_000)
CHUNK_ROWS = 100_000

# --------------------------------------------------------------------------- synthetic data

#: (ISO3, ACLED country name, share of events, centre lat, centre lon, spread in degrees)
_COUNTRIES = (
    ("SYR", "Syria", 0.34, 35.0, 38.5, 1.6),
    ("IRQ", "Iraq", 0.20, 33.3, 43.7, 2.0),
    ("YEM", "Yemen", 0.14, 15.4, 45.0, 1.8),
    ("LBY", "Libya", 0.07, 30.0, 16.0, 3.0),
    ("NGA", "Nigeria", 0.06, 10.0, 8.0, 3.0),
    ("SOM", "Somalia", 0.05, 4.5, 45.5, 2.0),
    ("AFG", "Afghanistan", 0.05, 34.0, 66.0, 2.5),
    ("MLI", "Mali", 0.03, 15.0, -3.0, 2.5),
    ("EGY", "Egypt", 0.02, 28.0, 30.5, 2.0),
    ("LBN", "Lebanon", 0.015, 33.9, 35.8, 0.4),
    ("JOR", "Jordan", 0.01, 31.5, 36.5, 0.8),
    ("MAR", "Morocco", 0.005, 32.0, -7.0, 1.5),
)
_ACLED_TYPES = (
    # (ACLED event type, share, sub event types, canonical type)
    ("Battles", 0.30, ("Armed clash", "Government regains territory"), "attack"),
    (
        "Explosions/Remote violence",
        0.30,
        ("Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"),
        "attack",
    ),
    ("Violence against civilians", 0.14, ("Attack", "Abduction/forced disappearance"), "attack"),
    ("Protests", 0.15, ("Peaceful protest", "Protest with intervention"), "other"),
    ("Riots", 0.04, ("Violent demonstration", "Mob violence"), "other"),
    (
        "Strategic developments",
        0.07,
        ("Agreement", "Headquarters or base established", "Non-violent transfer of territory"),
        "other",
    ),
)
_ACTORS = (
    "Military Forces of Syria (2000-)",
    "Islamic State (Syria)",
    "Islamic State (Iraq)",
    "SDF: Syrian Democratic Forces",
    "Military Forces of Turkey (2016-)",
    "Military Forces of Iraq (2014-)",
    "PMF: Popular Mobilization Forces",
    "Houthi Movement",
    "Military Forces of Yemen (2016-) Hadi Faction",
    "AQAP: Al Qaeda in the Arabian Peninsula",
    "Al Shabaab",
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
    "Taliban",
    "LNA: Libyan National Army",
    "Global Coalition against Daesh",
    "Unidentified Armed Group",
    "Protesters",
    "Rioters",
    "Civilians",
    "Police Forces",
    "HTS: Hayat Tahrir al Sham",
    "Hezbollah",
    "JNIM: Group for Support of Islam and Muslims",
    "Military Forces of Russia (2000-)",
    "Military Forces of the United States (2021-)",
)
_PUBLISHERS = ("SOHR", "Liveuamap", "Shafaq News", "Al Masirah", "Reuters", "AFP", "Enab Baladi")
_EN = (
    "clashes took place between armed members near the main road",
    "warplanes reportedly carried out airstrikes on a site near the town",
    "an IED exploded targeting a military vehicle on the highway",
    "residents protested to demand better services and salaries",
    "forces shelled the outskirts of the village with heavy artillery",
    "militants abducted a civilian from his home at night",
    "a ceasefire agreement was announced after mediation by tribal elders",
    "reinforcements were brought in ahead of an expected offensive",
    "Casualties unknown.",
    "Neither fatalities nor injuries were reported.",
)
_AR = (
    "اشتباكات بين قوات سوريا الديمقراطية وعناصر تنظيم الدولة قرب سجن غويران",
    "قصفٌ مدفعيّ على أطراف القرية وفق مصادر محلية",
    "إنفجار عبوة ناسفة استهدفت سيارة عسكرية على الطريق الرئيسي",
    "مظاهرة للمطالبة بتحسين الخدمات في مدينة الحسكة",
    "أعلنت الأطراف إتفاق وقف إطلاق النار بوساطة وجهاء العشائر",
    "غارة جوية لطائرة مسيرة على موقع في ريف دير الزور",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


def _choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _burst_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days since EPOCH: a slow background plus a few dozen bursts (offensives, sieges)."""
    background = rng.integers(0, DAYS, size=n)
    centres = rng.integers(0, DAYS, size=40)
    widths = rng.integers(3, 40, size=40)
    which = rng.integers(0, 40, size=n)
    burst = np.clip(np.round(rng.normal(centres[which], widths[which])), 0, DAYS - 1)
    return np.where(rng.random(n) < 0.55, burst, background).astype(np.int64)


def acled_frame(n: int, *, seed: int = SEED, start: int = 0) -> pd.DataFrame:
    """``n`` ACLED-like rows (export columns) for rows ``start``..``start+n`` of one seed.

    Chunks of the same seed are independent draws (the seed is mixed with ``start``),
    so a 5M-row file is written chunk by chunk in bounded memory.
    """
    rng = np.random.default_rng([seed, start])
    c = _choice(rng, n, [x[2] for x in _COUNTRIES])
    t = _choice(rng, n, [x[1] for x in _ACLED_TYPES])
    days = _burst_days(rng, n)
    iso3 = np.array([x[0] for x in _COUNTRIES])[c]
    names = np.array([x[1] for x in _COUNTRIES])[c]
    # Events happen at a few hundred places per country, not uniformly over it.
    place = rng.zipf(1.4, size=n) % 400
    prng = np.random.default_rng(seed)
    offsets = prng.normal(0.0, 1.0, size=(len(_COUNTRIES), 400, 2))
    spread = np.array([x[5] for x in _COUNTRIES])[c]
    lat = np.array([x[3] for x in _COUNTRIES])[c] + offsets[c, place, 0] * spread
    lon = np.array([x[4] for x in _COUNTRIES])[c] + offsets[c, place, 1] * spread
    located = rng.random(n) > 0.01
    a1 = rng.zipf(1.6, size=n) % len(_ACTORS)
    a2 = rng.zipf(1.6, size=n) % len(_ACTORS)
    has_a2 = rng.random(n) < 0.6
    sub_pick = rng.integers(0, 3, size=n)
    fatalities = np.minimum(rng.geometric(0.35, size=n) - 1, 500)
    precision = _choice(rng, n, [0.95, 0.04, 0.01]) + 1
    en1 = rng.integers(0, len(_EN), size=n)
    en2 = rng.integers(0, len(_EN), size=n)
    ar = rng.integers(0, len(_AR), size=n)
    publisher = rng.integers(0, len(_PUBLISHERS), size=n)

    dates = [EPOCH + timedelta(days=int(d)) for d in days]
    rows: dict[str, list] = {k: [] for k in ACLED_COLUMNS}
    for i in range(n):
        d = dates[i]
        code = iso3[i]
        etype, _share, subs, _canonical = _ACLED_TYPES[t[i]]
        sub = subs[sub_pick[i] % len(subs)]
        loc = f"{names[i]} place {int(place[i])}"
        actor1 = f"{_ACTORS[a1[i]]}"
        actor2 = _ACTORS[a2[i]] if has_a2[i] else ""
        note = (
            f"On {d.day} {_MONTHS[d.month - 1]} {d.year}, {_EN[en1[i]]} in {loc}. "
            f"{_AR[ar[i]]}. {_EN[en2[i]]}"
        )
        rows["event_id_cnty"].append(f"{code}{start + i + 1}")
        rows["event_date"].append(d.isoformat())
        rows["year"].append(d.year)
        rows["time_precision"].append(int(precision[i]))
        rows["disorder_type"].append("Political violence")
        rows["event_type"].append(etype)
        rows["sub_event_type"].append(sub)
        rows["actor1"].append(actor1)
        rows["assoc_actor_1"].append("")
        rows["inter1"].append(1)
        rows["actor2"].append(actor2)
        rows["assoc_actor_2"].append("")
        rows["inter2"].append(3 if actor2 else 0)
        rows["interaction"].append(13)
        rows["civilian_targeting"].append("")
        rows["iso"].append(0)
        rows["region"].append("Middle East")
        rows["country"].append(names[i])
        rows["admin1"].append(f"{names[i]} province {int(place[i]) % 12}")
        rows["admin2"].append("")
        rows["admin3"].append("")
        rows["location"].append(loc)
        rows["latitude"].append(round(float(lat[i]), 4) if located[i] else None)
        rows["longitude"].append(round(float(lon[i]), 4) if located[i] else None)
        rows["geo_precision"].append(1)
        rows["source"].append(_PUBLISHERS[publisher[i]])
        rows["source_scale"].append("National")
        rows["notes"].append(note)
        rows["fatalities"].append(int(fatalities[i]) if t[i] < 3 else 0)
        rows["tags"].append("")
        rows["timestamp"].append(1_650_000_000)
    return pd.DataFrame(rows, columns=list(ACLED_COLUMNS))


def write_acled_csv(path: Path, n: int, *, seed: int = SEED, chunk: int = CHUNK_ROWS) -> None:
    """The synthetic events as one ACLED CSV, written chunk by chunk."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for first in range(0, n, chunk):
            frame = acled_frame(min(chunk, n - first), seed=seed, start=first)
            frame.to_csv(handle, index=False, header=first == 0, quoting=csv.QUOTE_MINIMAL)


def import_csv(csv_path: Path, store_path: Path) -> int:
    """Store the CSV through the project's importer, as a user's import would; returns rows."""
    from .importer import import_file

    store.ensure_store(store_path)
    result = import_file(csv_path, store_path, fmt="acled")
    if result.problems_total:
        raise AssertionError(f"synthetic rows refused: {result.problems[:3]}")
    return result.accepted


# --------------------------------------------------------------------------- measurements

#: The sidebar of a broad but ordinary view: five countries, three years, three types, one actor.
ROUND_FILTERS = Filters(
    countries=("SYR", "IRQ", "YEM", "LBY", "NGA"),
    date_from=date(2019, 1, 1),
    date_to=date(2021, 12, 31),
    types=("attack", "other", "agreement"),
    actors=("Islamic State",),
)
#: A plain word (no alias group) and an aliased name, each over every event.
TEXT_TERM = "airstrikes"
ALIAS_TERM = "ghwayran"


def _stats(samples: list[float]) -> dict:
    return {
        "median": round(statistics.median(samples), 2),
        "min": round(min(samples), 2),
        "max": round(max(samples), 2),
    }


def _timed(fn: Callable, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, result


def fast_round(mem, f: Filters, zoom: int = 4) -> dict:
    """One page change on the fast path, on a fresh cursor as a new rerun would have."""
    from .query import EventQuery

    q = EventQuery(mem)
    return {
        "count": q.count(f),
        "weekly": q.period_counts(f, "week"),
        "countries": q.counts_by(f, "country"),
        "page": q.rows(f, limit=100),
        "map": q.map_layer(f, zoom=zoom),
    }


def naive_frame(store_path: Path) -> pd.DataFrame:
    """What a tutorial dashboard holds: the events as one pandas frame."""
    with store.connect(store_path, read_only=True) as con:
        return con.sql(
            "SELECT event_id, event_date, span_start, span_end, event_type, country, title, "
            "location, latitude, longitude, actors_norm, search_text FROM events"
        ).df()


def naive_mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    if f.countries:
        mask &= df["country"].isin(f.countries)
    if f.types:
        mask &= df["event_type"].isin(f.types)
    if f.date_from is not None:
        mask &= df["span_end"] >= pd.Timestamp(f.date_from)
    if f.date_to is not None:
        mask &= df["span_start"] <= pd.Timestamp(f.date_to)
    if f.actors:
        hit = pd.Series(False, index=df.index)
        for actor in f.actors:
            hit |= df["actors_norm"].str.contains(normalise(actor), regex=False)
        mask &= hit
    for term in f.text_terms():
        mask &= df["search_text"].str.contains(term, regex=False)
    return mask


def naive_round(df: pd.DataFrame, f: Filters, *, markers: bool = True) -> dict:
    """The same answers by boolean masks over the whole frame, and one marker per event."""
    sel = df[naive_mask(df, f)]
    week = sel["event_date"] - pd.to_timedelta(sel["event_date"].dt.day_of_week, unit="D")
    out = {
        "count": len(sel),
        "weekly": sel.groupby([week, "event_type"]).size(),
        "countries": sel["country"].value_counts(),
        "page": sel.sort_values(["event_date", "event_id"], ascending=False).head(100),
    }
    if markers:
        out["map"] = naive_map(sel)
    return out


def naive_map(sel: pd.DataFrame):
    import folium

    located = sel.dropna(subset=["latitude"]).sort_values("event_date", ascending=False)
    fmap = folium.Map(location=[30, 30], zoom_start=4)
    for row in located.head(NAIVE_MARKER_CAP).itertuples():
        folium.Marker([row.latitude, row.longitude], tooltip=str(row.title)).add_to(fmap)
    return fmap


def map_payload(layer) -> int:
    """Bytes of the map document the browser receives for this layer on each rerun (the
    country outlines are a static file it fetches once: :func:`outlines_bytes`)."""
    from . import geo, maps

    outlines = geo.display_boundaries()  # the same country outlines at every size
    if layer.kind == "cells":
        fmap = maps.build_event_map(None, None, outlines, cells=layer.frame)
    else:
        fmap = maps.build_event_map(layer.frame, None, outlines)
    return len(fmap.get_root().render().encode())


def outlines_bytes() -> int:
    from . import geo, maps

    return len(maps.outlines_geojson(geo.display_boundaries()).encode())


def timeline_payload(mem, f: Filters) -> tuple[int, int]:
    """(fast, naive) bytes of the timeline figure: capped events + counts vs every event."""
    import plotly.graph_objects as go

    from . import charts
    from .query import EventQuery

    q = EventQuery(mem)
    events = q.rows(f, limit=TIMELINE_CAP)
    fig = charts.timeline_figure(events, q.period_counts(f, "week"), freq="week")
    fast = len(fig.to_json().encode())
    every = q.rows(f, limit=None, columns=("event_id", "event_date", "event_type", "title"))
    naive = go.Figure(
        go.Scatter(
            x=every["event_date"], y=every["event_type"], text=every["title"], mode="markers"
        )
    )
    return fast, len(naive.to_json().encode())


#: Events drawn one by one on the timeline (ui.TIMELINE_MAX_EVENTS); the rest are counts.
TIMELINE_CAP = 2000

_APP_WORKER = r"""
import itertools, json, os, sys, time
t0 = float(os.environ["BENCH_T0"])
from streamlit.testing.v1 import AppTest
from dashboard import ui
from dashboard.schema import EVENT_TYPES
at = AppTest.from_file(sys.argv[1], default_timeout=600)
at.run()
cold = time.time() - t0
assert not at.exception, [e.value for e in at.exception]
# Each rerun picks types not picked before, so no cached answer serves it.
picks = [list(c) for k in (1, 2, 3) for c in itertools.combinations(EVENT_TYPES, k)]
def reruns(n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        at.multiselect(key="f_type").set_value(picks.pop(0)).run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    return times
first = reruns(int(sys.argv[2]))
ui.hot_copy().ready.wait()  # warm: frame made, rows compressed, text held if it fits
warm = reruns(int(sys.argv[2]))
print(json.dumps({"cold_start": cold, "first": first, "reruns": warm}))
"""

_IMPORT_WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from dashboard import bench
start = time.perf_counter()
rows = bench.import_csv(Path(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": seconds, "peak_rss_mb": peak}))
"""


def _python(code: str, *args: str, env: dict | None = None) -> dict:
    run_env = {**os.environ, **(env or {})}
    run_env["PYTHONPATH"] = str(store.REPO) + os.pathsep + run_env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=store.REPO,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(n: int, *, runs: int = 5, workdir: Path | None = None, log=print) -> list[dict]:
    """Every measurement at ``n`` events, in a scratch directory removed afterwards."""
    results: list[dict] = []

    def add(measure_name, unit, samples, naive=None, **extra):
        row = {"events": n, "measure": measure_name, "unit": unit, **_stats(samples)}
        if naive is not None:
            row["naive_median"] = round(statistics.median(naive), 2)
            row["ratio"] = round(row["naive_median"] / row["median"], 1) if row["median"] else None
        row.update(extra)
        results.append(row)

    scratch = Path(tempfile.mkdtemp(prefix="dashboard-bench-", dir=workdir))
    try:
        csv_path, store_path = scratch / "acled.csv", scratch / "bench.duckdb"
        started = time.perf_counter()
        log(f"[{n:,}] writing the synthetic ACLED CSV ...")
        write_acled_csv(csv_path, n)
        log(f"[{n:,}] importing in a subprocess ...")
        imported = _python(_IMPORT_WORKER, str(csv_path), str(store_path))
        csv_path.unlink()
        add("import", "s", [imported["seconds"]], rows=imported["rows"], runs=1)
        add("peak_rss_mb", "MB", [imported["peak_rss_mb"]], of="import", runs=1)

        log(f"[{n:,}] cold start and reruns (AppTest, subprocess) ...")
        app = str(store.REPO / "app.py")
        env = {"DASHBOARD_STORE": str(store_path)}
        cold, first, reruns = [], [], []
        for i in range(max(1, min(runs, 3))):
            out = _python(
                _APP_WORKER, app, "0" if i else str(runs), env={**env, "BENCH_T0": str(time.time())}
            )
            cold.append(out["cold_start"] * 1000)
            first.extend(out["first"])
            reruns.extend(out["reruns"])
        add("cold_start", "ms", cold)
        add(
            "page_rerun",
            "ms",
            reruns,
            note="warm: the copy ready, each rerun a filter not asked before",
            first_seconds_median=round(statistics.median(first), 1),
        )

        log(f"[{n:,}] filter rounds, fast and naive ...")
        before = _rss_mb()
        mem = store.load_memory(store_path)
        loaded = _rss_mb() - before
        mem.ready.wait()  # frame made, rows compressed, text held if it fits
        time.sleep(3)  # the allocator returns the uncompressed copy's pages in the background
        add(
            "hot_memory_mb",
            "MB",
            [_rss_mb() - before],
            of="in-memory copy, this process, once compressed",
            at_load=round(loaded),
        )
        fast, result = _timed(lambda: fast_round(mem, ROUND_FILTERS), runs)
        frame = naive_frame(store_path)
        naive, naive_result = _timed(lambda: naive_round(frame, ROUND_FILTERS), runs)
        if result["count"] != naive_result["count"]:
            raise AssertionError(f"fast {result['count']} != naive {naive_result['count']}")
        add(
            "filter_round",
            "ms",
            fast,
            naive,
            matched=result["count"],
            naive_marker_cap=NAIVE_MARKER_CAP,
        )
        no_map, _ = _timed(lambda: naive_round(frame, ROUND_FILTERS, markers=False), runs)
        add("filter_round_vs_pandas", "ms", fast, no_map, note="naive without the folium map")

        from .query import EventQuery

        def asked_afresh(f: Filters) -> int:
            mem.filter_frame.forget_text()
            return EventQuery(mem).count(f)

        for name, term in (("text_search", TEXT_TERM), ("text_search_alias", ALIAS_TERM)):
            f = Filters(text=term)
            fast_t, hits = _timed(lambda f=f: asked_afresh(f), runs)
            naive_t, naive_hits = _timed(lambda f=f: int(naive_mask(frame, f).sum()), runs)
            extra = {"term": term, "matched": hits}
            if name == "text_search":
                if hits != naive_hits:
                    raise AssertionError(f"text: fast {hits} != naive {naive_hits}")
                add(name, "ms", fast_t, naive_t, **extra)
            else:  # the naive way knows no aliases: nothing to compare with
                add(name, "ms", fast_t, **extra)

        # A rerun that keeps a text term and changes another filter: the term's matches
        # are remembered from the first time it was asked.
        texted = replace(ROUND_FILTERS, text=TEXT_TERM)
        EventQuery(mem).count(replace(texted, types=()))
        kept, kept_result = _timed(lambda: fast_round(mem, texted), runs)
        naive_kept, naive_kept_result = _timed(lambda: naive_round(frame, texted), runs)
        if kept_result["count"] != naive_kept_result["count"]:
            counts = kept_result["count"], naive_kept_result["count"]
            raise AssertionError(f"text kept: fast {counts[0]} != naive {counts[1]}")
        add(
            "filter_round_text_kept",
            "ms",
            kept,
            naive_kept,
            term=TEXT_TERM,
            matched=kept_result["count"],
            note="the round with a text term asked before, another filter changed",
        )

        map_bytes = map_payload(result["map"])
        naive_map_bytes = len(naive_result["map"].get_root().render().encode())
        add(
            "map_payload_bytes",
            "B",
            [map_bytes],
            [naive_map_bytes],
            layer=result["map"].kind,
            rows=len(result["map"].frame),
            outlines_file_once=outlines_bytes(),
            naive_marker_cap=NAIVE_MARKER_CAP,
        )
        fast_tl, naive_tl = timeline_payload(mem, ROUND_FILTERS)
        add("timeline_payload_bytes", "B", [fast_tl], [naive_tl], events_cap=TIMELINE_CAP)
        frame = mem = None  # free both before the next size
        log(f"[{n:,}] done in {time.perf_counter() - started:.0f} s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def format_table(rows: list[dict]) -> str:
    head = f"{'events':>10}  {'measure':<24}{'unit':<5}{'median':>12}{'min':>12}{'max':>12}"
    head += f"{'naive':>14}{'ratio':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        naive = r.get("naive_median")
        ratio = r.get("ratio")
        lines.append(
            f"{r['events']:>10,}  {r['measure']:<24}{r['unit']:<5}{r['median']:>12,.1f}"
            f"{r['min']:>12,.1f}{r['max']:>12,.1f}"
            + (f"{naive:>14,.1f}" if naive is not None else f"{'':>14}")
            + (f"{ratio:>7.1f}x" if ratio is not None else "")
        )
    return "\n".join(lines)


def run(
    sizes: list[int], *, runs: int = 5, as_json: bool = False, workdir: Path | None = None
) -> int:
    """The benchmark the CLI runs; prints a table or one JSON object per line."""

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    log(f"naive map capped at {NAIVE_MARKER_CAP:,} folium markers")
    rows: list[dict] = []
    for n in sizes:
        part = measure(n, runs=runs, workdir=workdir, log=log)
        rows.extend(part)
        if as_json:
            for row in part:
                print(json.dumps(row, ensure_ascii=False), flush=True)
    if not as_json:
        print(format_table(rows))
    return 0
