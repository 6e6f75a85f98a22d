"""The store built from data/, and the command line on the same store and filter model."""

import io
import json
from pathlib import Path

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


def test_arabic_titles_reach_a_store_built_before_them(tmp_path):
    """A store made from the file without Arabic titles picks them up on the next start."""
    lines = store.SHIPPED_FILE.read_text(encoding="utf-8").splitlines()
    untitled = [
        json.dumps({**json.loads(line), "title_ar": ""}, ensure_ascii=False) for line in lines
    ]
    shipped = tmp_path / "events.jsonl"
    shipped.write_text("\n".join(untitled) + "\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    store.ensure_store(path, shipped)
    sql = "SELECT title_ar FROM events WHERE event_id = 'ref-2014-08-03-sinjar-attack'"
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute(sql).fetchone()[0] == ""
    shipped.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store.ensure_store(path, shipped)
    with duckdb.connect(str(path), read_only=True) as con:
        assert "سنجار" in con.execute(sql).fetchone()[0]
    # A word only the Arabic title has finds the event.
    state, _ = urlstate.decode("q=الإبادة", is_country=is_country_code)
    found = EventQuery(hotcopy.load(path).engine()).rows(state.filters, limit=None)
    assert list(found["event_id"]) == ["ref-2014-08-03-sinjar-attack"]


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


# --------------------------------------------------------------------------- where an export goes


def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(
    store_file, tmp_path, capsys
):
    """`-o link` writes the file the link names (as a shell's `>` does): the link used to be
    replaced by a regular file, its target left untouched."""
    target = tmp_path / "real" / "events.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    code, _, err = run_cli(["export", "-o", str(link), "--store", str(store_file)], capsys)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_bytes().decode("utf-8-sig").startswith("event_id,")
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.csv"]


def test_a_dangling_symlink_is_followed_to_a_new_file(tmp_path):
    from dashboard import export

    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    export.write_atomic(b"data", link)
    assert link.is_symlink() and (tmp_path / "new.csv").read_bytes() == b"data"


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to fifo"])
def test_export_refuses_what_is_not_a_regular_file(store_file, tmp_path, capsys, kind):
    """A device, pipe or folder at the path is refused and stays what it was (run as root,
    `-o /dev/full` used to replace the device with a CSV file)."""
    import os
    import stat

    special = tmp_path / "special"
    if kind == "folder":
        special.mkdir()
    else:
        os.mkfifo(special)
    path = special
    if kind == "link to fifo":
        path = tmp_path / "link"
        path.symlink_to(special)
    before = os.lstat(special).st_mode
    code, _, err = run_cli(["export", "-o", str(path), "--store", str(store_file)], capsys)
    assert code == 2 and "regular files only" in err and "Traceback" not in err
    assert os.lstat(special).st_mode == before
    assert stat.S_ISFIFO(before) or stat.S_ISDIR(before)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_a_device_is_refused_without_being_opened():
    from dashboard import export

    with pytest.raises(export.UnsafeTarget, match="is a device"):
        export.real_target(Path("/dev/full"))
    with pytest.raises(export.UnsafeTarget, match="is a device"):
        export.write_atomic(b"x", Path("/dev/null"))


def test_an_export_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    import os

    from dashboard import export

    target = tmp_path / "out.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    export.write_atomic(b"new", target)
    assert target.read_bytes() == b"new" and (os.stat(target).st_mode & 0o777) == 0o640


def test_the_temporary_file_is_never_a_planted_link(tmp_path, monkeypatch):
    """The temporary name is random and opened as new: a link placed at a guessable name
    cannot redirect the write."""
    import os

    from dashboard import export

    victim = tmp_path / "victim"
    victim.write_text("keep")
    for n in range(5):  # the old name was ".<name>.<pid>.part"
        (tmp_path / f".out.csv.{os.getpid()}.part").unlink(missing_ok=True)
        (tmp_path / f".out.csv.{os.getpid()}.part").symlink_to(victim)
        export.write_atomic(f"v{n}".encode(), tmp_path / "out.csv")
    assert victim.read_text() == "keep" and (tmp_path / "out.csv").read_text() == "v4"


# --------------------------------------------------------------------------- staging leftovers


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_staging_files_of_a_killed_import_go_at_the_next_import(tmp_path):
    """A killed import's staging file (and a killed session's upload) used to stay for 24 h;
    now they go as soon as their process is gone. Files of live processes, of another
    machine and of unknown names younger than a day stay."""
    import os

    from dashboard import importer

    store_path = tmp_path / "events.duckdb"
    folder = tmp_path / importer.STAGING_DIR
    folder.mkdir()
    host = importer._host_tag()
    dead = _dead_pid()
    gone = [f"{dead}@{host}-0123456789ab.parquet", f"upload-{dead}@{host}-0123456789abcdef-a.csv"]
    kept = [
        f"{os.getpid()}@{host}-0123456789ab.parquet",  # this process: alive
        f"{dead}@00000000-0123456789ab.parquet",  # another machine's: cannot be judged here
        "notes.txt",
    ]
    for name in gone + kept:
        (folder / name).write_bytes(b"x")
    importer.save_upload(store_path, "next.csv", b"x").unlink()
    assert sorted(p.name for p in folder.iterdir()) == sorted(kept)
    assert importer.clean_staging(store_path) == 0


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
    # Places are named too; sub-types and deaths mark the file as a selection.
    assert file_stem(Filters(places=("Marrakesh", "Île-de-France"))) == (
        "events_marrakesh-ile-de-france"
    )
    assert file_stem(Filters(places=("مراكش",), fatalities_min=1)) == "events_places_selection"
