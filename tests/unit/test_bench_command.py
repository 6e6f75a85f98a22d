"""`python -m dashboard bench` end to end, at a size that runs in seconds (nothing timed)."""

import json
import subprocess
import sys

from dashboard import store

REQUIRED = {
    "import",
    "peak_rss_mb",
    "cold_start",
    "filter_round",
    "text_search",
    "map_payload_bytes",
    "timeline_payload_bytes",
    "page_rerun",
    "actor_network_all",
    "actor_network_round",
    "before_after",
}


def test_bench_prints_one_json_object_per_measure(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "bench", "--events", "3000", "--runs", "1"]
        + ["--json", "--tmp", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=store.REPO,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    by_measure = {row["measure"]: row for row in rows}
    assert set(by_measure) >= REQUIRED
    for row in rows:
        assert row["events"] == 3000
        assert row["min"] <= row["median"] <= row["max"], row
    round_ = by_measure["filter_round"]
    assert round_["naive_median"] > 0 and round_["ratio"] == round(
        round_["naive_median"] / round_["median"], 1
    )
    # The round against pandas both with the naive map and without it, each naming the
    # other's ratio, and the target's ratio is the one without the map.
    plain = by_measure["filter_round_vs_pandas"]
    assert plain["ratio"] == round_["ratio_without_map"]
    assert plain["ratio_with_map"] == round_["ratio"]
    assert "target" in plain["note"] and isinstance(plain["meets_target"], bool)
    assert by_measure["import"]["rows"] == 3000
    assert by_measure["map_payload_bytes"]["median"] < 2 * 1024 * 1024
    assert by_measure["actor_network_all"]["actors"] > 10  # the synthetic actor pool
    assert list(tmp_path.iterdir()) == []  # the scratch store is gone


def test_bench_table_names_every_measure(tmp_path):
    from dashboard.bench import format_table

    rows = [
        {"events": 10, "measure": m, "unit": "ms", "median": 2.0, "min": 1.0, "max": 3.0}
        for m in sorted(REQUIRED)
    ]
    rows[0].update(naive_median=20.0, ratio=10.0)
    table = format_table(rows).splitlines()
    assert len(table) == 2 + len(REQUIRED)
    assert "10.0x" in table[2]
    assert {line.split()[1] for line in table[2:]} == REQUIRED
