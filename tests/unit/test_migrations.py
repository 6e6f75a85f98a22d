"""A file that is not our store is never changed; an older store is upgraded, not rebuilt.

The older stores are the fixtures under tests/fixtures/stores, written by the code of the
releases that wrote layouts 2 and 3 (see make_stores.py there): what a user upgrading
has on disk, with curated edits, deletions, a restore, an undo and an imported batch.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from dashboard import cli, curation, migrations, store

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "stores"
MEETING = "ref-2022-05-11-marrakesh-meeting"
ROME = "ref-2021-06-28-rome-meeting"
ATTACK = "ref-2022-01-20-al-hasakah-attack"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> dict[str, list]:
    """Every row of every table, read without the project's code."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        ).fetchall()
        found = {
            f"{s}.{t}": con.execute(f'SELECT * FROM "{s}"."{t}" ORDER BY ALL').fetchall()
            for s, t in tables
        }
    # When a version was made differs between two runs of the same upgrade; what it did not.
    if "main.versions" in found:
        found["main.versions"] = [(r[0], None, *r[2:]) for r in found["main.versions"]]
    return found


def without_added_in(rows: list[tuple]) -> list[tuple]:
    """Events as an earlier layout held them: layout 5 appended the version that added
    each row, 0 for every row an upgrade found (a link of any version shows them), and
    layout 6 the row's document number in the word index."""
    return without_doc([row[:-1] + row[-1:] for row in rows], added_in=True)


def without_doc(rows: list[tuple], *, added_in: bool = False) -> list[tuple]:
    """Events without the document number layout 6 appended (and the version before it,
    with ``added_in``): every row numbered, each number once."""
    docs = [row[-1] for row in rows]
    assert None not in docs and len(set(docs)) == len(docs)
    if added_in:
        assert {row[-2] for row in rows} <= {0}
        return [row[:-2] for row in rows]
    return [row[:-1] for row in rows]


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture()
def colleagues(tmp_path) -> Path:
    """A colleague's analysis database: 1,000 rows, and tables named like ours."""
    path = tmp_path / "analysis.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE analysis AS SELECT range AS id, 'row ' || range AS note FROM range(1000)"
        )
        con.execute("CREATE TABLE events (event_id VARCHAR, score DOUBLE)")
        con.execute("INSERT INTO events VALUES ('a', 1.5), ('b', 2.5)")
        con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema', '3'), ('owner', 'colleague')")
    return path


def batch_file(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    batch = folder / "batch.jsonl"
    record = {
        "event_id": "syn-1",
        "event_date": "2023-01-01",
        "event_type": "statement",
        "title": "Synthetic",
        "sources": [{"url": "https://example.org/1"}],
    }
    batch.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return batch


def run_cli(capsys, *argv) -> tuple[int, str]:
    status = cli.main(list(argv))
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["info", "--json"],
        ["export", "--query", "country=SYR", "-o", "OUT"],
        ["import", "BATCH"],
        ["import", "BATCH", "--dry-run"],
        ["batches"],
        ["remove-batch", "some-batch"],
    ],
)
def test_a_database_that_is_not_a_store_is_refused_and_left_as_it_was(
    colleagues, tmp_path, capsys, command
):
    batch = batch_file(tmp_path / "in")
    argv = [
        a.replace("OUT", str(tmp_path / "out.csv")).replace("BATCH", str(batch)) for a in command
    ]
    before, digest, listing = dump(colleagues), sha256(colleagues), files(tmp_path)
    status, err = run_cli(capsys, *argv, "--store", str(colleagues))
    assert dump(colleagues) == before and sha256(colleagues) == digest
    assert files(tmp_path) == listing  # no store, WAL, staging folder or export beside it
    assert status == 2, err
    assert str(colleagues) in err and "not a store of this dashboard" in err
    if command[0] != "remove-batch":
        assert "analysis (1,000 rows)" in err and "events (2 rows)" in err


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path, capsys):
    path = tmp_path / "notes.duckdb"
    path.write_text("my notes, not a database\n", encoding="utf-8")
    status, err = run_cli(capsys, "info", "--store", str(path))
    assert status == 2 and str(path) in err and "cannot open it as a database" in err
    assert path.read_text(encoding="utf-8") == "my notes, not a database\n"
    assert files(tmp_path) == ["notes.duckdb"]


def test_ensure_store_raises_for_a_foreign_file_instead_of_replacing_it(colleagues):
    before = dump(colleagues)
    with pytest.raises(store.NotAStore, match=r"analysis \(1,000 rows\)"):
        store.ensure_store(colleagues)
    assert dump(colleagues) == before


def test_only_a_missing_or_empty_path_is_built(tmp_path):
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.duckdb"
    duckdb.connect(str(blank)).close()  # a DuckDB database with no table in it
    for path in (tmp_path / "missing.duckdb", empty, blank):
        store.ensure_store(path)
        assert store.info(path)["events"] == 76
        assert migrations.examine(path) == migrations.Found("store", store.SCHEMA_VERSION)


def test_a_writer_never_creates_or_writes_a_file_that_is_not_a_current_store(colleagues, tmp_path):
    before = dump(colleagues)
    with pytest.raises(store.StoreError, match="nothing was written"):
        curation.delete_event(colleagues, "a", "Layla")
    assert dump(colleagues) == before
    with pytest.raises(store.StoreError, match="there is no store"):
        curation.delete_event(tmp_path / "nowhere.duckdb", "a", "Layla")
    assert not (tmp_path / "nowhere.duckdb").exists()


def older(tmp_path: Path, layout: str) -> Path:
    """A copy of the fixture store of ``layout``, as a user would have it on disk."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "events.duckdb"
    path.write_bytes(gzip.decompress((FIXTURES / f"layout-{layout}.duckdb.gz").read_bytes()))
    return path


def test_fixtures_are_stores_of_the_layouts_they_are_named_for(tmp_path):
    for layout in ("2", "3", "4", "5"):
        path = older(tmp_path / layout, layout)
        assert migrations.examine(path) == migrations.Found("store", layout)


def test_layout_3_store_is_upgraded_keeping_everything_people_wrote(tmp_path):
    path = older(tmp_path, "3")
    original, digest = dump(path), sha256(path)
    migrations.upgrade(path)  # what a start does first (then it refreshes shipped records)
    after = dump(path)
    # Every event (edited, restored, created, imported) and every audit row and batch.
    assert without_added_in(after["main.events"]) == original["main.events"]
    assert after["main.audit"] == original["main.audit"] and len(after["main.audit"]) == 32
    assert after["main.batches"] == original["main.batches"] and len(after["main.batches"]) == 1
    # Every deleted event, whole, now named by the change that deleted it.
    assert sorted(row[1:5] for row in after["main.trash"]) == sorted(original["main.trash"])
    assert sorted((r[0], r[1], r[5]) for r in after["main.trash"]) == [
        (3, ATTACK, None),
        (9, "fixture-import-2", None),
    ]
    meta = dict(after["main.meta"])
    assert meta["application_id"] == store.APPLICATION_ID and meta["schema"] == store.SCHEMA_VERSION
    assert int(meta["version"]) == int(dict(original["main.meta"])["version"]) + 1
    # The upgrade is the first version recorded: it added, edited and removed nothing.
    assert [r[:1] + r[2:6] for r in after["main.versions"]] == [
        (int(meta["version"]), len(after["main.events"]), 0, 0, 0)
    ]
    # What the release wrote, read through this version's code after a whole start.
    store.ensure_store(path)
    assert curation.get_event(path, MEETING)["summary"] == "Edited by Layla."
    assert curation.get_event(path, ROME)["title"] == "Rome ministerial (edited by Omar)"
    assert curation.get_event(path, ATTACK) is None
    assert curation.get_event(path, "fixture-curated-1")["dataset"] == "curated"
    batch = store_batches(path)
    assert [(b["rows_accepted"], b["events"]) for b in batch] == [(4, 3)]
    # The backup beside it is the old file, byte for byte.
    backup = migrations.backup_name(path, "3")
    assert files(tmp_path) == sorted([path.name, backup.name]) and sha256(backup) == digest
    # And it is a store like any other: a restore names the version, undo works per editor.
    change = curation.restore_event(path, ATTACK, "Layla")
    assert "change 3" in change.summary and "Layla deleted it" in change.summary
    assert curation.undo_last(path, "Omar").action == "undo restore"  # his restore of Rome
    assert curation.get_event(path, ROME) is None
    assert set(curation.deleted_events(path)["event_id"]) == {ROME, "fixture-import-2"}


def test_layout_4_store_is_upgraded_and_links_pin_its_data_from_then_on(tmp_path):
    from dashboard import importer, synthetic, urlstate, versions
    from dashboard.engines.sql import SqlEngine
    from dashboard.query import EventQuery

    path = older(tmp_path, "4")
    original, digest = dump(path), sha256(path)
    old_version = int(dict(original["main.meta"])["version"])
    migrations.upgrade(path)
    after = dump(path)
    assert without_added_in(after["main.events"]) == original["main.events"]
    for table in ("audit", "trash", "batches"):
        assert after[f"main.{table}"] == original[f"main.{table}"]
    assert after["main.views"] == [] and sha256(migrations.backup_name(path, "4")) == digest
    store.ensure_store(path)

    def count(link):
        state, _ = urlstate.decode(link)
        with duckdb.connect(str(path), read_only=True) as con:
            return EventQuery(SqlEngine(con.cursor())).count(state.filters)

    # A link made before the upgrade: every row then is still there for it.
    assert count(f"v={old_version}") == count("") == len(original["main.events"])
    made_on = versions.current(path)
    synthetic.write_acled_csv(tmp_path / "acled.csv", 50)
    assert importer.import_file(tmp_path / "acled.csv", path, fmt="acled").committed
    assert count(f"v={made_on}") == len(original["main.events"]) == count("") - 50
    # What changed since a version before versions were recorded cannot all be told.
    assert versions.since(path, old_version - 3).known is False
    assert versions.since(path, made_on).added == 50


def test_layout_5_store_is_upgraded_with_a_word_index_of_every_row(tmp_path):
    """The word index is built by the upgrade, from the rows as they were: searching the
    upgraded store finds what the old store's text held, and nothing is lost."""
    from dashboard import hotcopy, wordstore
    from dashboard.engines.sql import SqlEngine
    from dashboard.filters import Filters
    from dashboard.query import EventQuery

    path = older(tmp_path, "5")
    original, digest = dump(path), sha256(path)
    with duckdb.connect(str(path), read_only=True) as con:
        scanned = {
            text: EventQuery(SqlEngine(con.cursor())).count(Filters(text=text))
            for text in ("Marrakesh", "synthetic fixture", "Ghwayran", "مراكش")
        }
    migrations.upgrade(path)
    after = dump(path)
    assert without_doc(after["main.events"]) == original["main.events"]
    for table in ("audit", "trash", "batches", "versions", "views"):
        rows = after[f"main.{table}"]
        assert rows[: len(original[f"main.{table}"])] == original[f"main.{table}"]
    assert sha256(migrations.backup_name(path, "5")) == digest
    with duckdb.connect(str(path), read_only=True) as con:
        assert wordstore.current(con)
        assert wordstore.live_pairs(con) == wordstore.fresh_pairs(con)
    hot = hotcopy.load(path)
    assert hot.ready.wait(60) and hot.frame.index is not None and hot.frame.text is None
    engine = EventQuery(hot.engine())
    assert {text: engine.count(Filters(text=text)) for text in scanned} == scanned
    assert scanned["Marrakesh"] >= 1 and scanned["synthetic fixture"] >= 1


def store_batches(path):
    from dashboard import importer

    return importer.list_batches(path)


def test_layout_2_store_is_upgraded_keeping_its_records(tmp_path):
    path = older(tmp_path, "2")
    original, digest = dump(path), sha256(path)
    migrations.upgrade(path)
    after = dump(path)
    assert without_added_in(after["main.events"]) == original["main.events"]
    assert len(after["main.events"]) == 79
    assert after["main.batches"] == original["main.batches"]
    assert after["main.audit"] == [] and after["main.trash"] == []
    assert sha256(migrations.backup_name(path, "2")) == digest
    store.ensure_store(path)
    event = curation.get_event(path, "fixture-user-1")
    curation.update_event(path, "fixture-user-1", {"notes": "n"}, "A", curation.fingerprint(event))
    curation.delete_event(path, "fixture-user-2", "A")
    assert list(curation.deleted_events(path)["event_id"]) == ["fixture-user-2"]


def test_a_shipped_refresh_after_the_upgrade_keeps_curated_changes(tmp_path):
    path = older(tmp_path, "3")
    shipped = tmp_path / "events.jsonl"
    shipped.write_text(store.SHIPPED_FILE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.ensure_store(path, shipped)
    assert curation.get_event(path, MEETING)["summary"] == "Edited by Layla."
    assert curation.get_event(path, ATTACK) is None


def test_a_second_start_does_not_upgrade_or_back_up_again(tmp_path):
    path = older(tmp_path, "3")
    store.ensure_store(path)
    listing, before = files(tmp_path), dump(path)
    store.ensure_store(path)
    assert files(tmp_path) == listing and dump(path) == before


def test_a_store_of_a_newer_layout_is_read_only_and_never_replaced(tmp_path, capsys):
    path = store.ensure_store(tmp_path / "events.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
    before, digest = dump(path), sha256(path)
    with pytest.raises(store.NewerLayout, match="layout 9.*newer version"):
        store.ensure_store(path)
    status, err = run_cli(capsys, "info", "--store", str(path))
    assert status == 0 and "read-only" in err
    out = tmp_path / "out" / "syria.csv"
    out.parent.mkdir()
    status, err = run_cli(
        capsys, "export", "--query", "country=SYR", "-o", str(out), "--store", str(path)
    )
    assert status == 0 and "read-only" in err and out.stat().st_size > 0
    status, err = run_cli(capsys, "import", str(batch_file(tmp_path / "in")), "--store", str(path))
    assert status == 2 and "layout 9" in err
    with pytest.raises(store.StoreError, match="nothing was written"):
        curation.delete_event(path, MEETING, "Layla")
    assert dump(path) == before and sha256(path) == digest
    assert files(tmp_path) == ["events.duckdb", "in", "out"]


KILL = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from dashboard import migrations, store

    def hook(point):
        if point == sys.argv[2]:
            os.kill(os.getpid(), signal.SIGKILL)

    migrations.HOOK = hook
    store.ensure_store(Path(sys.argv[1]))
    print("FINISHED", flush=True)
    """
)


@pytest.mark.parametrize(
    ("layout", "point", "left"),
    [
        ("3", "copied", "old"),
        ("3", "backed-up", "old"),
        ("3", "layout-4", "old"),
        ("3", "layout-5", "old"),
        ("3", "before-commit", "old"),
        ("3", "committed", "new"),
        ("4", "layout-5", "old"),
        ("4", "committed", "new"),
        ("5", "layout-6", "old"),
        ("5", "before-commit", "old"),
        ("5", "committed", "new"),
        ("2", "layout-3", "old"),
        ("2", "committed", "new"),
    ],
)
def test_kill_during_an_upgrade_leaves_the_old_store_or_the_upgraded_one(
    tmp_path, layout, point, left
):
    reference = older(tmp_path / "reference", layout)
    original = dump(reference)
    migrations.upgrade(reference)
    upgraded = dump(reference)  # before the start's refresh of shipped records
    store.ensure_store(reference)
    started = dump(reference)
    path = older(tmp_path / "user", layout)
    digest = sha256(path)
    child = subprocess.run(
        [sys.executable, "-c", KILL, str(path), point],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    # Whatever the kill left opens cleanly, and is one of the two whole states.
    assert dump(path) == (original if left == "old" else upgraded)
    # The next start finishes the upgrade, with a backup of the old file beside it.
    store.ensure_store(path)
    assert dump(path) == started
    assert sha256(migrations.backup_name(path, layout)) == digest
    assert not [name for name in files(path.parent) if name.endswith(".part")]


def test_a_foreign_database_with_a_pending_log_is_left_as_it_was(tmp_path, capsys):
    """A database closed without a checkpoint keeps its last writes in a .wal file beside
    it; reading it to say what it holds must not fold that log into the file."""
    path = tmp_path / "analysis.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        con.execute("CREATE TABLE analysis AS SELECT range AS id FROM range(1000)")
        con.execute("INSERT INTO analysis VALUES (5000)")
    wal = Path(f"{path}.wal")
    assert wal.exists()
    before = {p.name: sha256(p) for p in (path, wal)}
    status, err = run_cli(capsys, "info", "--store", str(path))
    assert status == 2 and "analysis (1,001 rows)" in err
    assert {p.name: sha256(p) for p in (path, wal)} == before
    assert files(tmp_path) == sorted(before)
