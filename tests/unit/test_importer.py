"""Imports end to end: what lands in the store, what is refused and why, and what never changes.

Each test gets its own store in a temporary folder, built from the shipped records, so
"the shipped records are untouched" can be checked by count and content.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dashboard import hotcopy, importer, store
from dashboard.cli import main
from dashboard.schema import Problem
from tests.fixtures.imports import build

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return build.write_all(tmp_path_factory.mktemp("fixtures"))


@pytest.fixture
def store_path(tmp_path) -> Path:
    return store.ensure_store(tmp_path / "store" / "events.duckdb")


def query(path: Path, sql: str, params=()):
    with store.connect(path, read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def count(path: Path, where: str = "TRUE") -> int:
    return query(path, f"SELECT count(*) FROM events WHERE {where}")[0][0]


def snapshot(path: Path):
    """Everything a user could see: every stored row, every batch, the version."""
    return (
        query(path, "SELECT * EXCLUDE (actors, related) FROM events ORDER BY event_id"),
        query(path, "SELECT * FROM batches ORDER BY batch_id"),
        query(path, "SELECT value FROM meta WHERE key = 'version'"),
    )


def stored(path: Path, event_id: str) -> dict:
    with store.connect(path, read_only=True) as con:
        cur = con.execute("SELECT * FROM events WHERE event_id = ?", [event_id])
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    assert row is not None, event_id
    return dict(zip(names, row, strict=True))


# --------------------------------------------------------------------------- end to end


@pytest.mark.parametrize(
    ("name", "fmt", "accepted", "rejected", "dataset"),
    [
        ("acled_current.csv", "acled", 6, 9, "acled"),
        ("acled_2019.csv", "acled", 2, 1, "acled"),
        ("acled_pre2017_cp1252.csv", "acled", 3, 0, "acled"),
        ("acled_pre2017_named_dates.csv", "acled", 2, 1, "acled"),
        ("ucdp_ged.csv", "ucdp", 7, 3, "ucdp"),
        ("ucdp_hdx.csv", "ucdp", 3, 0, "ucdp"),
        ("gdelt2.export.CSV", "gdelt", 7, 2, "gdelt"),
        ("gdelt1_58.tsv", "gdelt", 7, 2, "gdelt"),
        ("gdelt1_57.tsv", "gdelt", 7, 2, "gdelt"),
        ("gdelt2.export.CSV.zip", "gdelt", 7, 2, "gdelt"),
        ("native.csv", "native", 3, 4, "user"),
        ("native.json", "native", 3, 4, "user"),
        ("native.jsonl", "native", 3, 4, "user"),
        ("native.geojson", "native", 3, 4, "user"),
        ("native.parquet", "native", 3, 4, "user"),
        ("arabic_cp1256.csv", "native", 2, 0, "user"),
        ("arabic_utf16.csv", "native", 2, 0, "user"),
    ],
)
def test_each_format_imports_end_to_end(fx, store_path, name, fmt, accepted, rejected, dataset):
    shipped = count(store_path, "dataset = 'reference'")
    result = importer.import_file(fx[name], store_path)
    assert (result.format, result.accepted, result.rejected) == (fmt, accepted, rejected)
    assert result.committed and result.batch_id
    assert count(store_path, f"batch_id = '{result.batch_id}'") == accepted
    assert count(store_path, f"dataset = '{dataset}'") == accepted
    assert count(store_path, "dataset = 'reference'") == shipped
    (batch,) = importer.list_batches(store_path)
    assert batch["batch_id"] == result.batch_id and batch["file_name"] == name
    assert (batch["rows_read"], batch["rows_accepted"], batch["rows_rejected"]) == (
        accepted + rejected,
        accepted,
        rejected,
    )
    assert batch["content_sha256"] == result.content_sha256 and len(result.content_sha256) == 64
    assert batch["format"].startswith(fmt)


def test_every_kind_of_bad_row_is_explained_with_row_and_column(fx, store_path):
    result = importer.import_file(fx["acled_current.csv"], store_path)
    got = {p.row: (p.column, p.message) for p in result.problems}
    assert set(got) == set(build.ACLED_CURRENT_PROBLEMS)
    for row, (column, text) in build.ACLED_CURRENT_PROBLEMS.items():
        assert got[row][0] == (column if column != "event_id" else "event_id_cnty")
        assert text in got[row][1], (row, got[row])
    assert str(result.problems[0]) == "row 7, column event_date: '2022-13-01' is not a date"
    assert result.duplicates == 1 and result.problems_total == 9


def test_imported_rows_keep_origin_precision_and_honesty_marks(fx, store_path):
    importer.import_file(fx["acled_current.csv"], store_path)
    importer.import_file(fx["gdelt2.export.CSV"], store_path)
    importer.import_file(fx["ucdp_ged.csv"], store_path)
    acled = stored(store_path, "acled:SYR90002")
    assert (acled["date_precision"], acled["span_start"], acled["span_end"]) == (
        "month",
        date(2022, 6, 1),
        date(2022, 6, 30),
    )
    assert acled["origin_id"] == "SYR90002" and acled["verification"] == "unverified"
    gdelt = stored(store_path, "gdelt:990000003")
    assert (gdelt["machine_coded"], gdelt["event_type"], gdelt["origin_type"]) == (
        True,
        "agreement",
        "057",
    )
    ucdp = stored(store_path, "ucdp:990002")
    assert (ucdp["span_start"], ucdp["span_end"]) == (date(2022, 1, 20), date(2022, 1, 23))
    assert (ucdp["fatalities"], ucdp["fatalities_low"], ucdp["fatalities_high"]) == (3, 2, 5)
    sources = json.loads(stored(store_path, "acled:SYR90001")["sources"])
    assert sources[-1] == {
        "publisher": "ACLED",
        "url": "https://acleddata.com",
        "published": None,
        "language": "",
    }


def test_arabic_text_round_trips_through_the_store(fx, store_path):
    importer.import_file(fx["arabic_cp1256.csv"], store_path)
    row = stored(store_path, "test-ar-1")
    assert row["title_ar"] == "هجوم تجريبي على سجن غويران في الحسكة"
    assert list(row["actors"]) == ["تنظيم الدولة", "قوات سوريا الديمقراطية"]
    # the search column is folded the same way as a query typed in the sidebar
    assert "غويران" in row["search_text"]


# --------------------------------------------------------------------------- places


def test_a_point_outside_its_country_is_flagged_not_moved(fx, store_path):
    result = importer.import_file(fx["acled_current.csv"], store_path)
    flagged = stored(store_path, "acled:SYR90010")
    assert (flagged["latitude"], flagged["longitude"], flagged["country"]) == (39.93, 32.85, "SYR")
    assert flagged["geo_flag"] == (
        "coordinates (39.9300, 32.8500) are in Turkey (TUR), more than 25 km from Syria (SYR); "
        "kept as given"
    )
    assert stored(store_path, "acled:SYR90001")["geo_flag"] == ""
    assert result.flagged == 1


def test_a_point_at_sea_near_the_coast_is_within_tolerance(store_path, tmp_path):
    path = tmp_path / "coast.csv"
    row = build._acled_current_row(
        event_id_cnty="SYR1", location="off Latakia", latitude="35.55", longitude="35.70"
    )
    path.write_text(build._csv([row], header=build.ACLED_CURRENT), encoding="utf-8")
    importer.import_file(path, store_path)
    assert stored(store_path, "acled:SYR1")["geo_flag"] == ""


def test_missing_coordinates_get_the_country_label_point_and_say_so(fx, store_path):
    result = importer.import_file(fx["native.csv"], store_path)
    row = stored(store_path, "test-2022-01-20-hasakah-attack")
    assert row["geo_precision"] == "country"
    assert row["coord_basis"] == "country label point: the file gives no coordinates"
    assert row["latitude"] is not None and row["geo_flag"] == ""
    virtual = stored(store_path, "test-2022-01-virtual-statement")
    assert virtual["latitude"] is None and virtual["country"] is None
    assert result.filled == 1


def test_an_excel_workbook_imports_with_typed_cells_and_row_numbers(store_path, tmp_path):
    """Dates typed as dates, numbers as numbers, Arabic text intact; problems name the
    sheet's own row numbers; formulas are never imported, only their cached values."""
    import openpyxl

    path = tmp_path / "analyst.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append(
        [
            "event_id",
            "event_date",
            "event_type",
            "title",
            "title_ar",
            "country",
            "latitude",
            "longitude",
            "fatalities",
            "actors",
            "sources",
        ]
    )
    sheet.append(
        [
            "xl-1",
            datetime(2022, 5, 11),
            "meeting",
            "Ministerial in Marrakesh",
            "الاجتماع الوزاري في مراكش",
            "MAR",
            31.63,
            -8.0,
            None,
            "Global Coalition; Morocco",
            "https://news.example.org/a",
        ]
    )
    sheet.append(
        [
            "xl-2",
            "2022-13-01",
            "attack",
            "Bad date",
            "",
            "SYR",
            None,
            None,
            3,
            "",
            "Synthetic Gazette",
        ]
    )
    sheet.append([])  # an empty row is skipped, not a problem
    sheet.append(
        [
            "xl-3",
            datetime(2022, 1, 20),
            "attack",
            '=HYPERLINK("http://x")',
            "هجوم تجريبي",
            "SYR",
            36.5,
            40.7,
            "=1+2",
            "",
            "Synthetic Gazette",
        ]
    )
    book.save(path)

    result = importer.import_file(path, store_path)
    assert result.layout == "native records (Excel workbook, first sheet)"
    assert (result.rows_read, result.accepted) == (3, 2)
    (problem,) = result.problems
    assert (problem.row, problem.column) == (3, "event_date")
    first = stored(store_path, "xl-1")
    assert str(first["event_date"]) == "2022-05-11" and first["country"] == "MAR"
    assert first["title_ar"] == "الاجتماع الوزاري في مراكش"
    assert list(first["actors"]) == ["Global Coalition", "Morocco"]
    third = stored(store_path, "xl-3")
    # openpyxl saved no cached values: the formula cells arrive empty, never as formulas
    assert third["fatalities"] is None and third["title"] == ""


def test_refusals_name_the_file_the_user_uploaded_not_our_copy(store_path, tmp_path):
    copy = tmp_path / "upload-0123abcd-events.csv"
    copy.write_text("colour,shape\nred,round\n", encoding="utf-8")
    with pytest.raises(importer.ImportFailed) as refused:
        importer.import_file(copy, store_path, file_name="my events.csv")
    assert "cannot tell the format of my events.csv" in str(refused.value)
    assert "upload-" not in str(refused.value)
    with pytest.raises(importer.ImportFailed, match="my events.csv is 0 MB; the limit is 0 MB"):
        importer.import_file(copy, store_path, file_name="my events.csv", max_bytes=10)


def test_an_import_that_runs_out_of_memory_says_so_and_changes_nothing(
    store_path, tmp_path, monkeypatch
):
    path = tmp_path / "big.csv"
    path.write_text(
        build._csv(
            [build._acled_current_row(event_id_cnty=f"SYR{i}") for i in range(20_000)],
            header=build.ACLED_CURRENT,
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(importer, "WRITE_MEMORY", "4MB")
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match="needs more memory than DASHBOARD_IMPORT"):
        importer.import_file(path, store_path)
    assert snapshot(store_path) == before


def test_the_link_to_a_batch_shows_that_batch_only(fx, store_path):
    from dashboard.filters import Filters
    from dashboard.query import EventQuery

    one = importer.import_file(fx["acled_current.csv"], store_path)
    two = importer.import_file(fx["ucdp_ged.csv"], store_path)
    q = EventQuery(hotcopy.load(store_path, engine="sql").engine())
    assert q.count(Filters(batch=one.batch_id)) == one.accepted
    ids = set(q.rows(Filters(batch=two.batch_id), limit=None)["event_id"])
    assert len(ids) == two.accepted and all(i.startswith("ucdp:") for i in ids)
    assert q.count(Filters(batch="20000101000000-00000000")) == 0


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unopened(store_path, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + " " * 20_000_000 + "/>")
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match="the workbook inside bomb.xlsx is 20 MB"):
        importer.import_file(path, store_path, max_bytes=10_000_000)
    assert snapshot(store_path) == before


def test_a_place_name_without_coordinates_gets_its_unambiguous_city(store_path, tmp_path):
    """The offline gazetteer places a named city, in either script; an ambiguous name
    or one it does not know gets the country's label point instead."""
    rows = [
        build._acled_current_row(
            event_id_cnty=code, country=country, location=location, latitude="", longitude=""
        )
        for code, country, location in (
            ("MAR1", "Morocco", "Marrakesh"),
            ("SYR1", "Syria", "الحسكة"),
            ("USA1", "United States", "Springfield"),  # nine of them
            ("SYR2", "Syria", "Ghwayran"),  # a district: not a gazetteer city
        )
    ]
    path = tmp_path / "named.csv"
    path.write_text(build._csv(rows, header=build.ACLED_CURRENT), encoding="utf-8")
    result = importer.import_file(path, store_path)
    assert result.accepted == 4 and result.filled == 4
    marrakesh, hasakah = stored(store_path, "acled:MAR1"), stored(store_path, "acled:SYR1")
    assert marrakesh["geo_precision"] == hasakah["geo_precision"] == "city"
    assert (round(marrakesh["latitude"], 1), round(marrakesh["longitude"], 1)) == (31.6, -8.0)
    assert (round(hasakah["latitude"], 1), round(hasakah["longitude"], 1)) == (36.5, 40.7)
    assert "gazetteer, geonames" in hasakah["coord_basis"]
    for event_id in ("acled:USA1", "acled:SYR2"):
        row = stored(store_path, event_id)
        assert row["geo_precision"] == "country", event_id
        assert "country label point" in row["coord_basis"]


# --------------------------------------------------------------------------- duplicates


def test_reimporting_a_file_skips_every_row_and_says_it_was_seen(fx, store_path):
    first = importer.import_file(fx["ucdp_ged.csv"], store_path)
    again = importer.import_file(fx["ucdp_ged.csv"], store_path)
    assert (again.accepted, again.duplicates) == (0, 7)
    assert not again.committed and again.batch_id is None
    assert again.same_content == [first.batch_id]
    assert f"already in store (batch {first.batch_id})" in again.problems[0].message
    assert [b["batch_id"] for b in importer.list_batches(store_path)] == [first.batch_id]


def test_replace_policy_replaces_earlier_imports_only(fx, store_path, tmp_path):
    first = importer.import_file(fx["native.jsonl"], store_path)
    changed = [dict(r, notes="second version") for r in build.NATIVE[:3]]
    changed.append(
        {
            "event_id": "ref-2022-05-11-marrakesh-meeting",
            "event_date": "2022-05-11",
            "event_type": "meeting",
            "title": "An attempt to overwrite a shipped record",
            "sources": [{"publisher": "x", "url": ""}],
        }
    )
    path = tmp_path / "second.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in changed), "utf-8")
    shipped = stored(store_path, "ref-2022-05-11-marrakesh-meeting")
    result = importer.import_file(path, store_path, on_duplicate="replace")
    assert (result.accepted, result.replaced, result.duplicates) == (3, 3, 1)
    assert result.problems[0].row == 4
    assert "already in store (a shipped record)" in result.problems[0].message
    row = stored(store_path, "test-2022-05-11-marrakesh-meeting")
    assert row["notes"] == "second version" and row["batch_id"] == result.batch_id
    assert stored(store_path, "ref-2022-05-11-marrakesh-meeting") == shipped
    assert count(store_path, f"batch_id = '{first.batch_id}'") == 0


def test_skip_policy_never_touches_a_shipped_record(store_path, tmp_path):
    path = tmp_path / "ref.jsonl"
    path.write_text(
        json.dumps(
            {
                "event_id": "ref-2022-05-11-marrakesh-meeting",
                "event_date": "2022-05-11",
                "event_type": "meeting",
                "title": "x",
                "sources": [{"publisher": "x"}],
            }
        )
    )
    before = snapshot(store_path)
    result = importer.import_file(path, store_path)
    assert result.accepted == 0 and "a shipped record" in result.problems[0].message
    assert snapshot(store_path) == before


# --------------------------------------------------------------------------- policies, limits


def test_dry_run_writes_nothing_and_reports_the_same(fx, store_path):
    before = snapshot(store_path)
    dry = importer.import_file(fx["acled_current.csv"], store_path, dry_run=True)
    assert snapshot(store_path) == before
    assert not dry.committed and dry.batch_id is None
    real = importer.import_file(fx["acled_current.csv"], store_path)
    assert (dry.accepted, dry.problems) == (real.accepted, real.problems)
    assert [p["event_id"] for p in dry.preview][:2] == ["acled:SYR90001", "acled:SYR90002"]
    assert dry.preview[0]["row"] == 2 and dry.preview[0]["sources"][-1]["publisher"] == "ACLED"
    # the preview shows only rows that would be stored: row 12 repeats row 2's id
    assert [p["row"] for p in dry.preview] == [2, 3, 4, 5, 6, 13]


def test_dry_run_without_a_store_creates_none(fx, tmp_path):
    target = tmp_path / "none" / "events.duckdb"
    result = importer.import_file(fx["ucdp_ged.csv"], target, dry_run=True)
    assert result.accepted == 7 and not target.exists()


def test_cancel_policy_writes_nothing_when_a_row_fails(fx, store_path):
    before = snapshot(store_path)
    result = importer.import_file(fx["ucdp_ged.csv"], store_path, on_problem="cancel")
    assert result.cancelled and not result.committed and result.accepted == 0
    assert result.problems_total == 3
    assert snapshot(store_path) == before
    clean = importer.import_file(fx["ucdp_hdx.csv"], store_path, on_problem="cancel")
    assert clean.committed and clean.accepted == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_bytes": 100}, "the limit is"),
        ({"max_rows": 5, "chunk_rows": 5}, "more than 5 rows"),
        ({"fmt": "gdelt"}, "does not look like a GDELT"),
        ({"on_problem": "maybe"}, "unknown policy"),
    ],
)
def test_limits_and_bad_arguments_stop_before_anything_is_written(fx, store_path, kwargs, message):
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match=message):
        importer.import_file(fx["acled_current.csv"], store_path, **kwargs)
    assert snapshot(store_path) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("junk.csv", "not a text file"),
        ("image.csv", "not a text file"),
        ("empty.csv", "is empty"),
        ("unknown_layout.csv", "cannot tell the format"),
        ("template", "holds no records"),
    ],
)
def test_files_that_are_not_records_change_nothing(fx, store_path, name, message):
    path = REPO / "docs" / "templates" / "events-template.csv" if name == "template" else fx[name]
    before = snapshot(store_path)
    with pytest.raises(importer.ImportFailed, match=message):
        importer.import_file(path, store_path)
    assert snapshot(store_path) == before


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(store_path, tmp_path):
    import zipfile

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("events.CSV", build.gdelt(61) + "\n" * 2_000_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(importer.ImportFailed, match="MB unpacked"):
        importer.import_file(path, store_path, max_bytes=1_000_000)


def test_problems_kept_in_memory_are_capped_and_the_rest_counted(store_path, tmp_path):
    path = tmp_path / "bad.csv"
    rows = [build._acled_current_row(event_id_cnty=f"X{i}", event_date="bad") for i in range(50)]
    path.write_text(build._csv(rows, header=build.ACLED_CURRENT), encoding="utf-8")
    result = importer.import_file(path, store_path, max_problems=10)
    assert len(result.problems) == 10 and result.problems_total == 50
    assert [p.row for p in result.problems] == list(range(2, 12))


def test_progress_reports_rows_and_bytes_up_to_the_whole_file(store_path, tmp_path):
    path = build.write_synthetic_acled(tmp_path / "s.csv", 2_500)
    calls = []
    importer.import_file(
        path, store_path, chunk_rows=1_000, progress=lambda *a: calls.append(a), dry_run=True
    )
    assert [c[0] for c in calls] == [1_000, 2_000, 2_500]
    assert all(c[2] == path.stat().st_size for c in calls)
    assert calls[-1][1] == path.stat().st_size and calls[0][1] < calls[-1][1]


def test_problems_report_is_a_csv_a_spreadsheet_cannot_run(fx, store_path):
    result = importer.import_file(fx["native.csv"], store_path, dry_run=True)
    text = importer.problems_csv(result.problems).decode("utf-8-sig")
    assert text.splitlines()[0] == "row,column,problem"
    assert text.splitlines()[1] == "5,title,title and title_ar are both empty"
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_problems_report_neutralises_formulas_and_bare_line_breaks():
    """A file's own text reaches the report (a bad value is quoted in the message)."""
    hostile = [
        Problem(2, "=HYPERLINK(1)", "=cmd|' /C calc'!A0"),
        Problem(3, "title", "'x'\r=1+1 is not a date"),
        Problem(4, "title", "\t@SUM(A1)"),
    ]
    text = importer.problems_csv(hostile).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[0] for r in rows] == ["row", "2", "3", "4"]  # no row of its own for "=1+1"
    for _, column, message in rows[1:]:
        assert not column.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert not message.startswith(("=", "+", "-", "@", "\t", "\r"))


# --------------------------------------------------------------------------- batches


def test_removing_a_batch_removes_its_events_only(fx, store_path):
    before = snapshot(store_path)
    one = importer.import_file(fx["acled_current.csv"], store_path)
    two = importer.import_file(fx["ucdp_ged.csv"], store_path)
    assert importer.remove_batch(store_path, one.batch_id) == 6
    assert count(store_path, "dataset = 'acled'") == 0
    assert count(store_path, "dataset = 'ucdp'") == 7
    assert [b["batch_id"] for b in importer.list_batches(store_path)] == [two.batch_id]
    importer.remove_batch(store_path, two.batch_id)
    after = snapshot(store_path)
    assert after[:2] == before[:2]  # every shipped row as it was, no batches
    assert int(after[2][0][0]) > int(before[2][0][0])  # the dashboard sees a new version


def test_removing_an_unknown_batch_changes_nothing(fx, store_path):
    importer.import_file(fx["ucdp_ged.csv"], store_path)
    before = snapshot(store_path)
    with pytest.raises(KeyError):
        importer.remove_batch(store_path, "no-such-batch")
    assert snapshot(store_path) == before


def test_an_import_bumps_the_version_the_dashboard_watches(fx, store_path):
    version = query(store_path, "SELECT value FROM meta WHERE key = 'version'")[0][0]
    importer.import_file(fx["gdelt2.export.CSV"], store_path)
    after = query(store_path, "SELECT value FROM meta WHERE key = 'version'")[0][0]
    assert int(after) == int(version) + 1


# --------------------------------------------------------------------------- killed imports

_KILL_DRIVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import duckdb
    from dashboard import importer, store

    staging, store_path = Path(sys.argv[1]), Path(sys.argv[2])
    real_bump = store.bump_version

    def bump_then_hang(con):
        real_bump(con)
        # Every row is inserted, the version bumped; only COMMIT is missing.
        print("inserted", con.execute("SELECT count(*) FROM events").fetchone()[0], flush=True)
        time.sleep(600)

    store.bump_version = bump_then_hang
    result = importer.ImportResult(None, "acled", "synthetic", "utf-8", "big.csv", "0" * 64)
    importer._write_phase(staging, store_path, result, importer._Problems(10), "skip", "skip")
    """
)


def _staging_file(tmp_path: Path, rows: int) -> Path:
    """A staging file as the read phase writes it, with many rows (fast: no reading)."""
    source = build.write_synthetic_acled(tmp_path / "seed.csv", 2_000)
    seed = tmp_path / "seed.parquet"
    original = importer._write_phase
    try:
        importer._write_phase = lambda staging, *a, **k: seed.write_bytes(staging.read_bytes())
        importer.import_file(source, tmp_path / "scratch" / "s.duckdb", dry_run=True)
    finally:
        importer._write_phase = original
    big = tmp_path / "big.parquet"
    duckdb.sql(
        f"COPY (SELECT * REPLACE (event_id || '-' || k AS event_id, _row + k * 2000 AS _row) "
        f"FROM read_parquet('{seed}'), range({rows // 2000}) t(k)) TO '{big}' (FORMAT parquet)"
    )
    return big


@pytest.mark.slow
def test_an_import_killed_before_commit_leaves_the_store_as_it_was(store_path, tmp_path):
    """SIGKILL after 300,000 rows are inserted (more than DuckDB keeps in memory before
    writing row groups to the file) but before COMMIT: the store opens with its old rows."""
    staging = _staging_file(tmp_path, 300_000)
    before = snapshot(store_path)
    driver = tmp_path / "driver.py"
    driver.write_text(_KILL_DRIVER)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(staging), str(store_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("inserted"), proc.stderr.read()
        assert int(line.split()[1]) == len(before[0]) + 300_000
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store_path) == before
    # the store is usable afterwards: a new import lands whole
    result = importer.import_file(build.write_synthetic_acled(tmp_path / "s.csv", 50), store_path)
    assert result.committed and count(store_path, "dataset = 'acled'") == 50


@pytest.mark.slow
def test_a_cli_import_killed_while_reading_leaves_the_store_as_it_was(store_path, tmp_path):
    path = build.write_synthetic_acled(tmp_path / "big.csv", 60_000)
    before = snapshot(store_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "import", str(path), "--store", str(store_path)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        line = proc.stderr.readline()
        assert line.startswith("importing: 10,000 rows read"), line
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store_path) == before


# --------------------------------------------------------------------------- command line


def test_cli_exit_codes_and_rejected_rows_on_stderr(fx, store_path, capsys):
    assert main(["import", str(fx["ucdp_hdx.csv"]), "--store", str(store_path)]) == 0
    assert "imported 3 of 3 rows" in capsys.readouterr().out
    assert main(["import", str(fx["ucdp_ged.csv"]), "--store", str(store_path), "--quiet"]) == 1
    out = capsys.readouterr()
    assert "rejected: row 9, column type_of_violence: '4' is not 1, 2 or 3" in out.err
    assert "imported 4 of 10 rows" in out.out  # three rows were already imported from HDX
    before = snapshot(store_path)
    assert main(["import", str(fx["junk.csv"]), "--store", str(store_path)]) == 2
    assert "error: this is not a text file" in capsys.readouterr().err
    assert main(["import", str(fx["acled_current.csv"]), "--format", "nope"]) == 2
    assert (
        main(["import", str(fx["acled_current.csv"]), "--store", str(store_path), "--dry-run"]) == 1
    )
    assert main(["import", "/no/such/file.csv", "--store", str(store_path)]) == 2
    assert snapshot(store_path) == before


def test_cli_batches_info_and_remove_batch(fx, store_path, capsys, tmp_path):
    main(["import", str(fx["gdelt2.export.CSV"]), "--store", str(store_path), "--json", "--quiet"])
    result = json.loads(capsys.readouterr().out)
    assert result["accepted"] == 7 and result["format"] == "gdelt"
    assert main(["batches", "--store", str(store_path)]) == 0
    listing = capsys.readouterr().out
    assert result["batch_id"] in listing and "gdelt2.export.CSV" in listing
    assert main(["info", "--store", str(store_path)]) == 0
    assert f"{result['batch_id']}" in capsys.readouterr().out
    report = tmp_path / "problems.csv"
    main(["import", str(fx["gdelt1_58.tsv"]), "--store", str(store_path), "--report", str(report)])
    assert "already in store" in report.read_text(encoding="utf-8-sig")
    assert main(["remove-batch", result["batch_id"], "--store", str(store_path)]) == 0
    assert "removed batch" in capsys.readouterr().out
    assert main(["remove-batch", result["batch_id"], "--store", str(store_path)]) == 2


def test_cli_reports_a_busy_store_and_changes_nothing(fx, store_path):
    holder = duckdb.connect(str(store_path))  # another process would hold this lock
    try:
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dashboard",
                "import",
                str(fx["ucdp_ged.csv"]),
                "--store",
                str(store_path),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    finally:
        holder.close()
    assert done.returncode == 2, done.stderr
    assert "being written by another process" in done.stderr
    assert time.monotonic() - started < 60
    assert count(store_path, "dataset = 'ucdp'") == 0


# --------------------------------------------------------------------------- real samples


def test_every_real_sample_file_imports_or_explains_its_rows(tmp_path):
    if not SAMPLES.exists():
        pytest.skip("../shared/samples is not present")
    target = store.ensure_store(tmp_path / "samples.duckdb")
    seen: dict[str, tuple[int, int]] = {}
    for path in sorted(SAMPLES.glob("*/*")):
        if path.name.endswith(".md") or path.is_dir():
            continue
        result = importer.import_file(path, target)
        seen[path.name] = (result.rows_read, result.accepted)
        for problem in result.problems:
            # a row is refused only with a reason naming its row and column
            assert problem.row >= 1 and problem.column and problem.message
    assert seen["RPanlilio_acled_2020_syria_iraq.csv"] == (200, 200)
    assert seen["hdx_ACLED_All_Africa_2016_libya.csv"] == (200, 200)
    assert seen["katehara_ACLED_Asia_2015_head150.csv"] == (150, 150)
    assert seen["uncertainUCDP_ucdpged_23.1_syria_iraq.csv"] == (200, 200)
    assert seen["hdx_ucdp_conflict_data_irq_head200.csv"] == (200, 200)
    assert seen["gdelt1_events_57col_dateadded2013.tsv"] == (201, 201)
    # the SY/IZ extract repeats 3 events of the first 100 lines: refused as duplicates
    assert seen["gdelt2_20191024143000.export_actiongeo_SY_IZ.CSV"][1] == 78
    assert seen["gdelt2_20191024143000.export_head100.CSV"] == (100, 97)
    libya = stored(target, "acled:6643RTA")
    assert (libya["event_date"], libya["country"], libya["location"]) == (
        date(2015, 3, 8),
        "LBY",
        "Sirte",
    )
    assert "Sirte\u2019s District 3" in libya["summary"]
    hasakah = query(
        target, "SELECT count(*) FROM events WHERE dataset = 'acled' AND admin1 = 'Al Hasakeh'"
    )[0][0]
    assert hasakah > 0


def test_the_write_memory_grows_with_the_rows_the_key_index_holds():
    """Five million rows ran out of memory at the fixed 500 MB: the primary-key index of
    the stored and new rows cannot spill, so the limit grows with them up to the cap."""
    assert importer._sort_memory(1_000) == "500MB"
    assert importer._sort_memory(5_000_000) == "1000MB"
    assert importer._sort_memory(50_000_000) == "2000MB"
    with pytest.raises(importer.ImportFailed, match="500 megs"):
        importer._bytes("500 megs")
