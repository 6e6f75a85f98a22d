"""The lake writer: what a distributed engine reads is whole, checked and never doubled.

Runs without Spark: the lake is plain Parquet plus a manifest, read here with DuckDB.
"""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from dashboard import cli, importer, lake, store, synthetic


def _acled(path, n, start=0):
    """Generated ACLED rows ``start``..``start+n`` (ids follow the row number, so files
    made with different ``start`` hold different events)."""
    frame = synthetic.acled_frame(n, start=start)
    frame["event_id_cnty"] = [f"GEN{start + i + 1}" for i in range(n)]
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return path


def _rows(lake_dir) -> list[tuple]:
    parts = lake.part_paths(lake_dir)
    if not parts:
        return []
    return duckdb.sql(
        "SELECT event_id, batch_id, year = year(event_date), search_text "
        "FROM read_parquet(?, hive_partitioning = true) ORDER BY event_id",
        params=[parts],
    ).fetchall()


def _files(lake_dir) -> set[str]:
    return {str(p.relative_to(lake_dir)) for p in lake_dir.rglob("*.parquet")}


def test_ingest_is_idempotent_and_each_batch_changes_the_snapshot(tmp_path):
    root = tmp_path / "lake"
    a, b = _acled(tmp_path / "a.csv", 300), _acled(tmp_path / "b.csv", 200, start=300)
    assert lake.snapshot(root) == "empty"
    first = lake.ingest([a], root)
    assert first.committed and first.rows == 300 and first.problems_total == 0
    rows = _rows(root)
    assert len(rows) == 300 and {r[1] for r in rows} == {first.batch_id}
    assert all(r[2] for r in rows)  # each row in the partition of its year
    assert all(r[3] for r in rows)  # the folded search text is there, precomputed
    again = lake.ingest([a, a], root)
    assert again.rows == 0 and again.batch_id is None
    assert [f.already for f in again.files] == [True, True]
    assert again.snapshot == first.snapshot == lake.snapshot(root)
    second = lake.ingest([a, b], root)
    assert second.rows == 200 and [f.already for f in second.files] == [True, False]
    assert second.snapshot not in (first.snapshot, "empty")
    assert len(_rows(root)) == 500
    manifest = lake.read_manifest(root)
    assert [b["rows"] for b in manifest["batches"]] == [300, 200]
    assert {f["name"] for b in manifest["batches"] for f in b["files"]} == {"a.csv", "b.csv"}


def test_a_bad_file_stops_the_whole_batch(tmp_path):
    root = tmp_path / "lake"
    lake.ingest([_acled(tmp_path / "a.csv", 100)], root)
    before = (lake.read_manifest(root), _files(root))
    good = _acled(tmp_path / "b.csv", 100, start=100)
    junk = tmp_path / "c.csv"
    junk.write_bytes(b"\x00\x01\x02 not a table \xff\xfe" * 50)
    with pytest.raises(lake.LakeError, match="c.csv.*nothing was written"):
        lake.ingest([good, junk], root)
    assert (lake.read_manifest(root), _files(root)) == before
    assert not (root / lake.STAGING_DIR).exists()
    assert lake.ingest([good], root).rows == 100  # b.csv was not recorded as ingested


def test_rows_with_problems_are_reported_by_file_row_and_column(tmp_path):
    root = tmp_path / "lake"
    a = _acled(tmp_path / "a.csv", 50)
    lake.ingest([a], root)
    frame = synthetic.acled_frame(5, start=50)
    frame["event_id_cnty"] = ["NEW1", "NEW2", "GEN3", "NEW1", "NEW5"]
    frame.loc[1, "event_date"] = "2022-13-45"
    b = tmp_path / "b.csv"
    frame.to_csv(b, index=False)
    result = lake.ingest([b], root)
    report = result.files[0]
    assert (report.rows_read, report.accepted, report.problems_total) == (5, 2, 3)
    text = [str(p) for p in report.problems]
    assert text[0].startswith("row 3, column event_date:")
    assert "row 4, column event_id_cnty: duplicate id 'acled:GEN3' already in the lake" in text[1]
    assert text[2] == (
        "row 5, column event_id_cnty: duplicate id 'acled:NEW1': already in this file at row 2"
    )
    assert len(_rows(root)) == 52
    cancelled = lake.ingest([_acled(tmp_path / "c.csv", 3, start=0)], root, on_problem="cancel")
    assert cancelled.cancelled and cancelled.rows == 0 and len(_rows(root)) == 52


def test_an_interrupted_writer_leaves_nothing_a_reader_sees(tmp_path):
    root = tmp_path / "lake"
    lake.ingest([_acled(tmp_path / "a.csv", 40)], root)
    snapshot = lake.snapshot(root)
    orphan = root / lake.EVENTS_DIR / "year=2022" / "part-crashed-0.parquet"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"COPY (SELECT 'x' AS event_id) TO '{orphan}' (FORMAT parquet)")
    assert str(orphan) not in lake.part_paths(root) and lake.snapshot(root) == snapshot
    lake.ingest([_acled(tmp_path / "b.csv", 10, start=40)], root)
    assert not orphan.exists()
    assert len(_rows(root)) == 50


def test_export_makes_the_lake_hold_the_store(tmp_path):
    path = store.ensure_store(tmp_path / "events.duckdb")
    root = tmp_path / "lake"
    first = lake.export_store(path, root)
    with store.connect(path, read_only=True) as con:
        stored = con.execute("SELECT event_id, batch_id FROM events ORDER BY event_id").fetchall()
    assert [(r[0], r[1]) for r in _rows(root)] == stored
    assert lake.export_store(path, root).files[0].already  # same content: nothing written
    assert lake.snapshot(root) == first.snapshot
    imported = importer.import_file(_acled(tmp_path / "a.csv", 30), path, fmt="acled")
    second = lake.export_store(path, root)
    assert second.snapshot != first.snapshot
    assert len(_rows(root)) == len(stored) + 30
    # the import's batch link selects the same rows in the lake as in the store
    assert sum(r[1] == imported.batch_id for r in _rows(root)) == 30
    assert len(lake.read_manifest(root)["batches"]) == 1


def test_lake_commands(tmp_path, capsys):
    root = tmp_path / "lake"
    a = _acled(tmp_path / "a.csv", 20)
    bad = tmp_path / "b.csv"
    frame = synthetic.acled_frame(2, start=20)
    frame.loc[0, "event_date"] = "not a date"
    frame.to_csv(bad, index=False)
    code = cli.main(["lake", "ingest", str(a), str(bad), "--lake", str(root), "--json"])
    out = capsys.readouterr()
    assert code == 1  # done, with a rejected row
    assert "rejected: b.csv: row 2, column event_date" in out.err
    assert json.loads(out.out)["rows"] == 21
    assert cli.main(["lake", "ingest", str(tmp_path / "missing.csv"), "--lake", str(root)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    path = store.ensure_store(tmp_path / "events.duckdb")
    assert cli.main(["lake", "export", "--store", str(path), "--lake", str(tmp_path / "l2")]) == 0
    assert "snapshot" in capsys.readouterr().out


def _curated(tmp_path):
    """A store with generated rows at version N, then curated: an event renamed, moved and
    redated, one deleted. (path, N, renamed id, deleted id)"""
    from dashboard import curation, versions

    path = store.ensure_store(tmp_path / "events.duckdb")
    importer.import_file(_acled(tmp_path / "a.csv", 30), path, fmt="acled")
    made_on = versions.current(path)
    renamed, deleted = "acled:GEN3", "acled:GEN7"
    event = curation.get_event(path, renamed)
    curation.update_event(
        path,
        renamed,
        {"title": "Renamed since", "country": "IRQ", "event_date": "2019-02-03"},
        "Layla",
        curation.fingerprint(event),
    )
    curation.delete_event(path, deleted, "Layla")
    return path, made_on, renamed, deleted


def test_export_writes_the_history_a_pinned_link_needs(tmp_path):
    """The events edited and deleted since version N are in the lake as they were at N,
    with the versions at which they held, listed in the manifest and in its snapshot."""
    from dashboard import curation

    path, made_on, renamed, deleted = _curated(tmp_path)
    root = tmp_path / "lake"
    result = lake.export_store(path, root)
    manifest = lake.read_manifest(root)
    entry = manifest["history"]
    assert entry["path"].startswith("history/") and (root / entry["path"]).exists()
    rows = duckdb.sql(
        "SELECT event_id, title, country, event_date::VARCHAR, shown, v_from, v_to "
        "FROM read_parquet(?) WHERE ? BETWEEN v_from AND v_to ORDER BY event_id, shown",
        params=[str(root / entry["path"]), made_on],
    ).fetchall()
    was = {r[0]: r for r in rows if r[4]}
    assert set(was) == {renamed, deleted}
    then = curation.get_event(path, renamed)  # now renamed; the lake keeps the old one
    assert then["title"] == "Renamed since"
    assert was[renamed][1] != "Renamed since" and was[renamed][3] != "2019-02-03"
    assert [r[0] for r in rows if not r[4]] == [renamed]  # the stored row is left out
    # nothing differs at the version now: the lake's rows are those
    now = entry["store_version"]
    latest = duckdb.sql(
        "SELECT max(v_to) FROM read_parquet(?)", params=[str(root / entry["path"])]
    ).fetchall()[0][0]
    assert made_on <= latest < now
    # the history is part of the snapshot: another history, another data version
    assert result.snapshot == lake.snapshot_of(manifest)
    assert lake.snapshot_of({**manifest, "history": None}) != result.snapshot
    # a later ingest keeps it; the next export replaces it and removes the old file
    lake.ingest([_acled(tmp_path / "b.csv", 5, start=100)], root)
    assert lake.read_manifest(root)["history"] == entry
    curation.delete_event(path, "acled:GEN9", "Layla")
    lake.export_store(path, root)
    again = lake.read_manifest(root)["history"]
    assert again["path"] != entry["path"]
    assert _files(root) >= {again["path"]} and entry["path"] not in _files(root)


def test_a_store_never_curated_exports_an_empty_history(tmp_path):
    path = store.ensure_store(tmp_path / "events.duckdb")
    importer.import_file(_acled(tmp_path / "a.csv", 10), path, fmt="acled")
    root = tmp_path / "lake"
    lake.export_store(path, root)
    entry = lake.read_manifest(root)["history"]
    assert entry["path"] is None and entry["rows"] == 0 and entry["patched"] == []
    assert not any(p.startswith("history/") for p in _files(root))


def test_an_export_stopped_before_its_manifest_leaves_the_old_history(tmp_path, monkeypatch):
    path, made_on, _, _ = _curated(tmp_path)
    root = tmp_path / "lake"
    lake.export_store(path, root)
    before = lake.read_manifest(root)
    from dashboard import curation

    curation.delete_event(path, "acled:GEN9", "Layla")

    def killed(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(lake, "_write_manifest", killed)
    with pytest.raises(KeyboardInterrupt):
        lake.export_store(path, root)
    monkeypatch.undo()
    assert lake.read_manifest(root) == before
    lake.ingest([_acled(tmp_path / "b.csv", 2, start=200)], root)  # the next writer tidies
    files = _files(root)
    assert before["history"]["path"] in files
    assert not [f for f in files if f.startswith("history/") and f != before["history"]["path"]]
