"""The store built from data/, and the command line on the same store and filter model."""

import io
import json

import duckdb
import pandas as pd
import pytest

from dashboard import cli, hotcopy, store, urlstate
from dashboard.geo import is_country_code
from dashboard.query import EventQuery


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "events.duckdb"
    store.ensure_store(path)
    return path


def test_store_holds_every_shipped_record(store_file):
    with duckdb.connect(str(store_file), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 76
        unverified = con.execute(
            "SELECT count(*) FROM events WHERE verification = 'unverified'"
        ).fetchone()[0]
        assert unverified == 2


def test_second_ensure_does_not_rebuild(store_file):
    before = store.store_version(store_file)
    store.ensure_store(store_file)
    assert store.store_version(store_file) == before


def test_changed_shipped_file_refreshes_reference_records(tmp_path):
    shipped = tmp_path / "events.jsonl"
    lines = store.SHIPPED_FILE.read_text(encoding="utf-8").splitlines()
    shipped.write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    store.ensure_store(path, shipped)
    shipped.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    store.ensure_store(path, shipped)
    assert store.info(path)["events"] == 12


def test_bad_shipped_line_is_named_and_no_store_is_left(tmp_path):
    shipped = tmp_path / "events.jsonl"
    lines = store.SHIPPED_FILE.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[3])
    bad["event_type"] = "party"
    shipped.write_text("\n".join([*lines[:3], json.dumps(bad)]) + "\n", encoding="utf-8")
    with pytest.raises(store.StoreError, match="line 4: event_type"):
        store.ensure_store(tmp_path / "s.duckdb", shipped)
    assert not (tmp_path / "s.duckdb").exists()


def test_insert_is_all_or_nothing_on_duplicate_id(store_file, tmp_path):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(store_file.read_bytes())
    existing = store.info(path)["events"]
    dup = {
        "event_id": "ref-2022-05-11-marrakesh-meeting",
        "event_date": "2022-05-11",
        "event_type": "meeting",
        "title": "dup",
        "sources": [{"url": "https://x.org"}],
    }
    new = dict(dup, event_id="new-1")
    with pytest.raises(store.StoreError, match="already in the store"):
        store.insert_records(path, [new, dup])
    assert store.info(path)["events"] == existing


def test_insert_reports_bad_rows_by_number(tmp_path, store_file):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(store_file.read_bytes())
    good = {
        "event_id": "u-1",
        "event_date": "2023-01-02",
        "event_type": "statement",
        "title": "ok",
        "sources": [{"url": "https://x.org"}],
    }
    problems = store.insert_records(
        path,
        [good, dict(good, event_id="u-2", latitude=999), dict(good, event_id="u-3", country="ZZZ")],
    )
    assert [(p.row, p.column) for p in problems] == [(2, "latitude"), (3, "country")]
    assert store.info(path)["events"] == 77


def run_cli(args, capsys):
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_info_counts(store_file, capsys):
    code, out, _ = run_cli(["info", "--store", str(store_file), "--json"], capsys)
    assert code == 0
    summary = json.loads(out)
    assert summary["events"] == 76
    assert dict(summary["by_dataset"]) == {"reference": 76}


LINKS = [
    "country=SYR",
    "country=SYR&from=2022-01-01&to=2022-12-31",
    "type=meeting&country=ITA",
    "actor=Blinken",
    "q=ghwayran",
    "",
]


@pytest.mark.parametrize("link", LINKS)
def test_export_csv_rows_equal_the_query_rows(link, store_file, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, _, err = run_cli(
        ["export", "--query", link, "--format", "csv", "-o", str(out), "--store", str(store_file)],
        capsys,
    )
    assert code == 0, err
    exported = pd.read_csv(out, encoding="utf-8-sig")
    state, _ = urlstate.decode(link, is_country=is_country_code)
    expected = EventQuery(hotcopy.load(store_file).engine()).rows(state.filters, limit=None)
    assert list(exported["event_id"]) == list(expected["event_id"])
    assert len(exported) > 0


def test_export_geojson_and_parquet(store_file, tmp_path, capsys):
    geo_out, pq_out = tmp_path / "o.geojson", tmp_path / "o.parquet"
    link = "country=SYR&from=2022-01-01&to=2022-12-31"
    assert (
        run_cli(
            [
                "export",
                "--query",
                link,
                "--format",
                "geojson",
                "-o",
                str(geo_out),
                "--store",
                str(store_file),
            ],
            capsys,
        )[0]
        == 0
    )
    doc = json.loads(geo_out.read_text(encoding="utf-8"))
    ids = {f["properties"]["event_id"] for f in doc["features"]}
    assert "ref-2022-01-20-al-hasakah-attack" in ids
    attack = next(
        f
        for f in doc["features"]
        if f["properties"]["event_id"] == "ref-2022-01-20-al-hasakah-attack"
    )
    assert attack["geometry"] == {"type": "Point", "coordinates": [40.7625, 36.4775]}
    assert attack["properties"]["end_date"] == "2022-01-30"
    assert (
        run_cli(
            [
                "export",
                "--query",
                link,
                "--format",
                "parquet",
                "-o",
                str(pq_out),
                "--store",
                str(store_file),
            ],
            capsys,
        )[0]
        == 0
    )
    frame = pd.read_parquet(pq_out)
    assert set(frame["event_id"]) == ids


def test_export_warns_about_ignored_parts_and_strict_refuses(store_file, tmp_path, capsys):
    out = tmp_path / "x.csv"
    code, _, err = run_cli(
        ["export", "--query", "country=XXX&colour=red", "-o", str(out), "--store", str(store_file)],
        capsys,
    )
    assert code == 0 and "country='XXX' ignored" in err and "colour" in err
    code, _, err = run_cli(
        [
            "export",
            "--query",
            "country=XXX",
            "--strict",
            "-o",
            str(tmp_path / "y.csv"),
            "--store",
            str(store_file),
        ],
        capsys,
    )
    assert code == 2 and not (tmp_path / "y.csv").exists()


def test_export_to_unwritable_place_fails_cleanly(store_file, tmp_path, capsys):
    code, _, err = run_cli(
        ["export", "-o", str(tmp_path / "missing" / "x.csv"), "--store", str(store_file)], capsys
    )
    assert code == 2 and "cannot write" in err
    assert not list((tmp_path).glob("**/*.part"))


def test_bad_arguments_exit_2(capsys):
    assert run_cli(["export", "--format", "xls", "-o", "x"], capsys)[0] == 2


def test_csv_neutralises_formulas_but_keeps_arabic():
    from dashboard.export import to_csv

    frame = pd.DataFrame(
        {"event_id": ["a", "b"], "title": ['=HYPERLINK("x")', "هجوم غويران"], "fatalities": [-1, 5]}
    )
    text = to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "هجوم غويران" in text
    rows = pd.read_csv(io.StringIO(text))
    assert rows["fatalities"].tolist() == [-1, 5]


def test_an_export_file_is_named_after_its_filter():
    from datetime import date

    from dashboard.export import file_stem
    from dashboard.filters import Filters

    assert file_stem(Filters()) == "events"
    f = Filters(
        countries=("SYR", "IRQ"),
        date_from=date(2022, 1, 1),
        date_to=date(2022, 6, 30),
        types=("attack",),
        text="Ghwayran prison",
    )
    assert file_stem(f) == "events_SYR-IRQ_2022-01-01_2022-06-30_attack_ghwayran-prison"
    # Arabic or hostile text leaves nothing a file system or a shell could misread.
    assert file_stem(Filters(text="غويران")) == "events_search"
    assert file_stem(Filters(text="../../etc/passwd; rm")) == "events_etc-passwd-rm"
