"""Readers: detection, encodings, crosswalks and row numbers, on our fixtures and on real files.

The fixtures are written by tests/fixtures/imports/build.py in each source's real layout
(synthetic rows). The real files under ../shared/samples (see their SOURCE.md) are read
when that folder exists and the tests skip otherwise; they are never copied here.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from dashboard import export, geo
from dashboard.schema import COLUMNS, validate_record
from dashboard.sources import SourceError, acled, gdelt, native, reader, ucdp
from dashboard.sources.detect import detect, detect_encoding
from dashboard.sources.tabular import CellError, numeric_order, parse_date
from tests.fixtures.imports import build

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def fx(tmp_path_factory) -> dict[str, Path]:
    return build.write_all(tmp_path_factory.mktemp("fixtures"))


def rows_of(path: Path, fmt: str = "auto", encoding: str | None = None):
    detected = detect(path, fmt, encoding)
    return detected, [row for chunk in reader(detected.format)(path, detected) for row in chunk]


def accepted(rows) -> dict[int, dict]:
    return {r.number: r.raw for r in rows if r.raw is not None}


def problems(rows) -> dict[int, tuple[str, str]]:
    return {r.number: (r.problem.column, r.problem.message) for r in rows if r.problem}


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "fmt", "container", "encoding", "layout"),
    [
        ("acled_current.csv", "acled", "csv", "utf-8", "current layout"),
        ("acled_2019.csv", "acled", "csv", "utf-8", "2019-2022"),
        ("acled_pre2017_cp1252.csv", "acled", "csv", "cp1252", "pre-2017"),
        ("acled_pre2017_named_dates.csv", "acled", "csv", "utf-8", "pre-2017"),
        ("ucdp_ged.csv", "ucdp", "csv", "utf-8", "49-column"),
        ("ucdp_hdx.csv", "ucdp", "csv", "utf-8", "HDX"),
        ("gdelt2.export.CSV", "gdelt", "csv", "utf-8", "GDELT 2.0"),
        ("gdelt1_58.tsv", "gdelt", "csv", "utf-8", "58 columns"),
        ("gdelt1_57.tsv", "gdelt", "csv", "utf-8", "57 columns"),
        ("gdelt2.export.CSV.zip", "gdelt", "csv", "utf-8", "GDELT 2.0"),
        ("native.csv", "native", "csv", "utf-8-sig", "CSV"),
        ("native_semicolon.csv", "native", "csv", "utf-8", "CSV"),
        ("native.json", "native", "json", "utf-8", "JSON array"),
        ("native.jsonl", "native", "jsonl", "utf-8", "JSON lines"),
        ("native.geojson", "native", "geojson", "utf-8", "GeoJSON"),
        ("native.parquet", "native", "parquet", None, "Parquet"),
        ("arabic_cp1256.csv", "native", "csv", "cp1256", "CSV"),
        ("arabic_utf16.csv", "native", "csv", "utf-16", "CSV"),
        ("arabic_utf8.csv", "native", "csv", "utf-8", "CSV"),
    ],
)
def test_format_layout_and_encoding_are_detected_from_the_bytes(
    fx, name, fmt, container, encoding, layout
):
    detected = detect(fx[name])
    assert (detected.format, detected.container, detected.encoding) == (fmt, container, encoding)
    assert layout in detected.layout


def test_a_zip_is_read_through_its_one_member(fx):
    detected = detect(fx["gdelt2.export.CSV.zip"])
    assert detected.member == "20220511120000.export.CSV"
    assert detected.size == len(build.gdelt(61).encode())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("junk.csv", "not a text file"),
        ("image.csv", "not a text file"),
        ("unknown_layout.csv", "cannot tell the format"),
        ("empty.csv", "is empty"),
    ],
)
def test_files_that_are_not_records_are_refused_with_a_reason(fx, name, message):
    with pytest.raises(SourceError, match=message):
        detect(fx[name])


def test_a_forced_format_that_does_not_fit_names_the_missing_columns(fx):
    with pytest.raises(SourceError, match="no column event_id_cnty"):
        rows_of(fx["ucdp_ged.csv"], "acled")
    with pytest.raises(SourceError, match="does not look like a GDELT"):
        detect(fx["native.csv"], "gdelt")


def test_an_excel_workbook_is_native_records_and_nothing_else(tmp_path):
    import openpyxl

    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["event_id", "event_date", "event_type", "title"])
    book.active.append(["x-1", "2022-05-11", "meeting", "Ministerial"])
    book.save(path)
    detected = detect(path)
    assert (detected.format, detected.container) == ("native", "xlsx")
    with pytest.raises(SourceError, match="only be read as native records"):
        detect(path, "acled")


def test_a_zip_bomb_named_xlsx_is_measured_unpacked(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<" + " " * 50_000_000 + "/>")
    assert path.stat().st_size < 200_000
    assert detect(path).size > 50_000_000  # what the import's size limit is checked against


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("هجوم على سجن غويران في الحسكة، ومقتل عدد من العناصر", "cp1256", "cp1256"),
        ("Sirte\u2019s café, déjà vu, naïve señor, Zürich", "cp1252", "cp1252"),
        ("هجوم على سجن غويران", "utf-8", "utf-8"),
        ("plain ascii only", "utf-8", "utf-8"),
    ],
)
def test_encoding_heuristic_tells_arabic_from_western_windows_pages(text, encoding, expected):
    assert detect_encoding([text.encode(encoding)], whole=True) == expected


def test_a_utf8_character_late_in_a_big_file_is_found_by_the_windows(tmp_path):
    path = tmp_path / "late.csv"
    body = "event_id,event_date,event_type,title,sources\n" + "x,2022-01-01,other,a,b\n" * 40_000
    path.write_bytes((body + "y,2022-01-02,other,مراكش,b\n").encode("utf-8"))
    assert detect(path).encoding == "utf-8"


def test_a_file_in_another_encoding_than_guessed_stops_with_the_offset(tmp_path):
    path = tmp_path / "mixed.csv"
    head = "event_id,event_date,event_type,title,sources\n" + "x,2022-01-01,other,a,b\n" * 20
    path.write_bytes(head.encode() + "y,2022-01-02,other,caf\xe9,b\n".encode("cp1252"))
    with pytest.raises(SourceError, match="not valid utf-8"):
        rows_of(path, encoding="utf-8")


@pytest.mark.parametrize("name", ["arabic_cp1256.csv", "arabic_utf16.csv", "arabic_utf8.csv"])
def test_arabic_survives_every_encoding(fx, name):
    _, rows = rows_of(fx[name])
    got = accepted(rows)
    assert got[2]["title_ar"] == "هجوم تجريبي على سجن غويران في الحسكة"
    assert got[2]["actors"] == ["تنظيم الدولة", "قوات سوريا الديمقراطية"]
    assert got[3]["location"] == "مراكش"
    assert got[2]["sources"][0]["publisher"] == "صحيفة تجريبية"


# --------------------------------------------------------------------------- cell parsing


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("2022-05-23", {}, date(2022, 5, 23)),
        ("2013-01-03 00:00:00.000", {}, date(2013, 1, 3)),
        ("23/05/2022", {}, date(2022, 5, 23)),
        ("05/23/2022", {"day_first": False}, date(2022, 5, 23)),
        ("9-May-20", {"year_hint": 2020}, date(2020, 5, 9)),
        ("01-January-2015", {}, date(2015, 1, 1)),
        ("23 May 2022", {}, date(2022, 5, 23)),
        ("May 23, 2022", {}, date(2022, 5, 23)),
        ("20191024", {}, date(2019, 10, 24)),
    ],
)
def test_dates_as_sources_write_them(value, kwargs, expected):
    assert parse_date(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("2022-13-01", {}, "'2022-13-01' is not a date"),
        ("05/23/2022", {}, "not a date in day/month/year order"),
        ("9-May-21", {"year_hint": 2020}, "two-digit year 21 does not match year 2020"),
        ("31-February-2015", {}, "is not a date"),
        ("yesterday", {}, "'yesterday' is not a date"),
        ("", {}, "missing"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused(value, kwargs, message):
    with pytest.raises(CellError, match=message):
        parse_date(value, **kwargs)


def test_numeric_date_order_is_decided_from_unambiguous_values():
    assert numeric_order(["01/02/2016", "23/02/2016"]) is True
    assert numeric_order(["01/02/2016", "02/23/2016"]) is False
    assert numeric_order(["01/02/2016", "03/04/2016"]) is None


# --------------------------------------------------------------------------- ACLED


def test_acled_current_crosswalk_row_by_row(fx):
    _, rows = rows_of(fx["acled_current.csv"])
    got = accepted(rows)
    assert sorted(got) == [
        2,
        3,
        4,
        5,
        6,
        8,
        9,
        12,
        13,
    ]  # 8, 9, 12: the schema and importer refuse them
    first = got[2]
    assert first["event_id"] == "acled:SYR90001"
    assert first["origin_id"] == "SYR90001"
    assert first["origin_type"] == "Battles / Armed clash"
    assert first["title"] == "Armed clash in Al Hasakeh - Ghwayran"
    assert (first["event_type"], first["date_precision"], first["geo_precision"]) == (
        "attack",
        "day",
        "exact",
    )
    assert first["actors"] == [
        "Islamic State (Syria)",
        "QSD: Syrian Democratic Forces",
        "YPG: Peoples Protection Units",
        "Asayish",
    ]
    assert [s["publisher"] for s in first["sources"]] == ["SOHR", "Hawar News Agency", "ACLED"]
    assert first["sources"][-1]["url"] == "https://acleddata.com"
    assert first["summary"].endswith("(السجن) in Ghwayran.")
    assert (first["country"], first["fatalities"], first["dataset"]) == ("SYR", 3, "acled")
    assert first["verification"] == "unverified" and first["machine_coded"] is False
    # every precision code
    assert (got[3]["date_precision"], got[3]["geo_precision"]) == ("month", "city")
    assert "time_precision 2" in got[3]["notes"] and "2022-06-28" in got[3]["notes"]
    assert (got[4]["date_precision"], got[4]["geo_precision"]) == ("month", "admin1")
    assert got[4]["event_type"] == "agreement"
    assert got[5]["event_type"] == "other"


def test_acled_event_at_sea_keeps_no_country_and_says_so(fx):
    _, rows = rows_of(fx["acled_current.csv"])
    at_sea = accepted(rows)[6]
    assert at_sea["country"] is None
    assert at_sea["geo_flag"] == "at sea (Red Sea): no country"
    validate_record(at_sea, known_country=geo.is_country_code)


def test_acled_bad_rows_are_explained_with_the_files_columns(fx):
    _, rows = rows_of(fx["acled_current.csv"])
    found = problems(rows)
    # rows 8, 9 and 12 pass the reader: the schema and the importer refuse them
    # (tests/unit/test_importer.py checks the whole list).
    for number, (column, text) in build.ACLED_CURRENT_PROBLEMS.items():
        if number in found:
            assert found[number][0] == column
            assert text in found[number][1]
    assert set(found) == {7, 10, 11, 14, 15, 16}


@pytest.mark.parametrize(
    ("kind", "sub", "expected"),
    [
        ("Battles", "Armed clash", "attack"),
        ("Battle-No change of territory", "", "attack"),
        ("Battle-Government regains territory", "", "attack"),
        ("Explosions/Remote violence", "Air/drone strike", "attack"),
        ("Remote violence", "", "attack"),
        ("Violence against civilians", "Abduction/forced disappearance", "attack"),
        ("Protests", "Peaceful protest", "other"),
        ("Riots", "Mob violence", "other"),
        ("Riots/Protests", "", "other"),
        ("Strategic developments", "Agreement", "agreement"),
        ("Strategic developments", "Arrests", "other"),
        ("Strategic development", "", "other"),
        ("Non-violent transfer of territory", "", "other"),
    ],
)
def test_acled_event_type_crosswalk(tmp_path, kind, sub, expected):
    path = tmp_path / "one.csv"
    row = build._acled_current_row(event_type=kind, sub_event_type=sub)
    path.write_text(build._csv([row], header=build.ACLED_CURRENT), encoding="utf-8")
    record = accepted(rows_of(path)[1])[2]
    assert record["event_type"] == expected
    assert record["origin_type"] == (f"{kind} / {sub}" if sub else kind)


def test_acled_2019_layout_with_two_digit_years(fx):
    _, rows = rows_of(fx["acled_2019.csv"])
    got = accepted(rows)
    assert got[2]["event_date"] == date(2020, 5, 9)
    assert got[2]["country"] == "SYR"
    assert got[3]["event_date"] == date(2020, 4, 28) and got[3]["date_precision"] == "month"
    assert got[3]["geo_precision"] == "admin1"
    assert problems(rows) == {
        4: ("event_date", "'9-May-21': the two-digit year 21 does not match year 2020")
    }


def test_acled_pre2017_windows1252_day_first_with_empty_header_cells(fx):
    _, rows = rows_of(fx["acled_pre2017_cp1252.csv"])
    got = accepted(rows)
    assert [got[n]["event_date"] for n in (2, 3, 4)] == [
        date(2015, 3, 8),
        date(2016, 2, 13),
        date(2016, 3, 7),
    ]
    assert got[2]["summary"] == "Synthetic test row in Sirte\u2019s District 3 (café)."
    assert [got[n]["date_precision"] for n in (2, 3, 4)] == ["day", "month", "month"]
    assert got[4]["event_type"] == "attack"
    assert got[4]["origin_type"] == "Battle-Government regains territory"
    assert all(r["country"] == "LBY" for r in got.values())


def test_acled_line_breaks_inside_notes_keep_row_numbers_right(fx):
    _, rows = rows_of(fx["acled_pre2017_named_dates.csv"])
    got = accepted(rows)
    assert got[2]["summary"] == "Synthetic test row, first line.\nSecond line.\nThird line."
    assert got[2]["event_date"] == date(2015, 1, 1)
    assert got[2]["actors"] == ["Rioters (Bangladesh)", "AL: Awami League"]
    assert got[3]["event_date"] == date(2015, 1, 13)
    # the third record starts on line 8 of the file but is row 4 of the sheet
    assert problems(rows) == {4: ("EVENT_DATE", "'31-February-2015' is not a date")}


def test_acled_month_first_file_is_read_month_first(tmp_path):
    path = tmp_path / "us.csv"
    rows = [
        build._acled_current_row(event_id_cnty="SYR1", event_date="01/02/2022"),
        build._acled_current_row(event_id_cnty="SYR2", event_date="01/23/2022"),
    ]
    path.write_text(build._csv(rows, header=build.ACLED_CURRENT), encoding="utf-8")
    got = accepted(rows_of(path)[1])
    assert got[2]["event_date"] == date(2022, 1, 2)
    assert got[3]["event_date"] == date(2022, 1, 23)


def test_acled_ragged_row_is_refused_not_shifted(tmp_path):
    path = tmp_path / "ragged.csv"
    good = build._acled_current_row()
    text = build._csv([good, good[:20]], header=build.ACLED_CURRENT)
    path.write_text(text, encoding="utf-8")
    found = problems(rows_of(path)[1])
    assert found == {3: ("(row)", found[3][1])}
    assert "has 20 fields where the header has 31" in found[3][1]


# --------------------------------------------------------------------------- UCDP


def test_ucdp_every_date_and_place_precision(fx):
    _, rows = rows_of(fx["ucdp_ged.csv"])
    got = accepted(rows)
    expected = {
        2: ("day", None, "exact"),
        3: ("day", date(2022, 1, 23), "city"),
        4: ("day", date(2022, 1, 26), "admin1"),
        5: ("month", date(2022, 1, 31), "admin1"),
        6: ("year", date(2022, 12, 31), "country"),
        7: ("day", None, "country"),
        8: ("day", None, None),
    }
    for number, (precision, end, where) in expected.items():
        record = got[number]
        assert (record["date_precision"], record["end_date"], record["geo_precision"]) == (
            precision,
            end,
            where,
        ), number
    assert "a multi-day event" in got[3]["notes"]
    assert got[8]["geo_flag"] == "UCDP where_prec 7: international waters or airspace"
    assert got[8]["country"] == "YEM"
    assert (got[8]["sub_type"], got[8]["actors"]) == (
        "one-sided violence",
        ["Government of Syria", "Civilians"],
    )
    assert got[7]["origin_type"] == "2 non-state conflict"


def test_ucdp_keeps_best_low_and_high_deaths_and_sources(fx):
    _, rows = rows_of(fx["ucdp_ged.csv"])
    first = accepted(rows)[2]
    assert (first["fatalities"], first["fatalities_low"], first["fatalities_high"]) == (3, 2, 5)
    assert "best 3, low 2, high 5" in first["fatalities_text"]
    assert "civilians 1" in first["fatalities_text"]
    assert first["event_id"] == "ucdp:990001" and first["event_type"] == "attack"
    assert first["sources"][:2] == [
        {"publisher": "SOHR", "url": "", "published": "2022-01-21", "language": ""},
        {"publisher": "AFP", "url": "", "published": "2022-01-22", "language": ""},
    ]
    assert first["sources"][2]["publisher"] == "UCDP Georeferenced Event Dataset (GED)"
    assert "UCDP relid SYR-2022-1-99999-1." in first["notes"]
    assert problems(rows) == {
        n: (c, problems(rows)[n][1]) for n, (c, _) in build.UCDP_PROBLEMS.items()
    }
    for number, (_, text) in build.UCDP_PROBLEMS.items():
        assert text in problems(rows)[number][1]


def test_ucdp_hdx_layout_skips_the_hxl_row_and_counts_it(fx):
    _, rows = rows_of(fx["ucdp_hdx.csv"])
    got = accepted(rows)
    assert sorted(got) == [3, 4, 5]
    assert got[3]["event_id"] == "ucdp:990001"
    assert (got[3]["fatalities"], got[3]["fatalities_low"], got[3]["fatalities_high"]) == (3, 2, 5)
    assert got[3]["country"] == "SYR"


# --------------------------------------------------------------------------- GDELT


@pytest.mark.parametrize("name", ["gdelt2.export.CSV", "gdelt1_58.tsv", "gdelt1_57.tsv"])
def test_gdelt_layouts_read_the_same_events(fx, name):
    _, rows = rows_of(fx[name])
    got = accepted(rows)
    assert sorted(got) == [1, 2, 3, 4, 5, 6, 7]
    visit = got[1]
    assert visit["event_id"] == "gdelt:990000001" and visit["origin_type"] == "042"
    assert visit["event_type"] == "meeting" and visit["machine_coded"] is True
    assert visit["country"] == "MAR" and visit["geo_precision"] == "city"
    assert visit["title"] == (
        "Make a visit (UNITED STATES → MOROCCO) – Marrakech, Marrakech-Tensift-Al Haouz, Morocco"
    )
    if name == "gdelt1_57.tsv":
        assert [s["publisher"] for s in visit["sources"]] == ["GDELT Project"]
    else:
        assert visit["sources"][0]["url"] == "https://news.example.org/synthetic-test-row"
        assert visit["sources"][0]["published"] == "2022-05-11"
    assert problems(rows)[8] == ("SQLDATE", "'20221340' is not a date")
    assert "has 5 fields" in problems(rows)[9][1]


def test_gdelt_zip_reads_like_the_plain_file(fx):
    assert accepted(rows_of(fx["gdelt2.export.CSV.zip"])[1]) == accepted(
        rows_of(fx["gdelt2.export.CSV"])[1]
    )


def test_gdelt_action_geo_types_and_places(fx):
    got = accepted(rows_of(fx["gdelt2.export.CSV"])[1])
    assert [got[n]["geo_precision"] for n in range(1, 8)] == [
        "city",
        "country",
        "admin1",
        "admin1",
        "city",
        None,
        "country",
    ]
    assert [got[n]["country"] for n in range(1, 8)] == [
        "MAR",
        "SYR",
        "IRQ",
        "USA",
        "USA",
        None,
        None,
    ]
    assert got[6]["latitude"] is None and got[6]["geo_flag"] == ""
    assert got[7]["geo_flag"] == "GDELT place code OS (Oceans) names no country"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("010", "statement"),
        ("019", "statement"),
        ("020", "other"),
        ("036", "other"),
        ("040", "meeting"),
        ("043", "meeting"),
        ("046", "meeting"),
        ("050", "meeting"),
        ("054", "meeting"),
        ("057", "agreement"),
        ("0871", "other"),
        ("138", "other"),
        ("145", "other"),
        ("173", "other"),
        ("180", "attack"),
        ("1823", "attack"),
        ("190", "attack"),
        ("195", "attack"),
        ("200", "attack"),
        ("204", "attack"),
    ],
)
def test_cameo_crosswalk(code, expected):
    assert gdelt.event_type(code) == expected


@pytest.mark.parametrize(
    ("fips", "iso3"),
    [
        ("SY", "SYR"),
        ("IZ", "IRQ"),
        ("MO", "MAR"),
        ("IS", "ISR"),
        ("TU", "TUR"),
        ("LE", "LBN"),
        ("JO", "JOR"),
        ("EG", "EGY"),
        ("AG", "DZA"),
        ("TS", "TUN"),
        ("LY", "LBY"),
        ("SU", "SDN"),
        ("OD", "SSD"),
        ("YM", "YEM"),
        ("SA", "SAU"),
        ("MU", "OMN"),
        ("KU", "KWT"),
        ("BA", "BHR"),
        ("QA", "QAT"),
        ("AE", "ARE"),
        ("IR", "IRN"),
        ("WE", "PSE"),
        ("GZ", "PSE"),
        ("WI", "ESH"),
        ("MR", "MRT"),
        ("IT", "ITA"),
        ("UK", "GBR"),
        ("GM", "DEU"),
        ("SP", "ESP"),
        ("RS", "RUS"),
        ("CH", "CHN"),
        ("US", "USA"),
        ("OS", None),
        ("ZZ", None),
    ],
)
def test_fips_codes_translate_to_our_country_codes(fips, iso3):
    assert gdelt.iso3_from_fips(fips) == iso3


def test_fips_table_is_well_formed():
    with open(gdelt.FIPS_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    codes = [r["fips"] for r in rows]
    assert len(codes) == len(set(codes)) > 250
    assert all(len(c) == 2 and c.isupper() for c in codes)
    unknown = [r["iso3"] for r in rows if r["iso3"] and not geo.is_country_code(r["iso3"])]
    assert unknown == []
    assert all(r["note"] for r in rows if not r["iso3"]), "a code without a country says why"


# --------------------------------------------------------------------------- native


@pytest.mark.parametrize(
    "name",
    [
        "native.csv",
        "native_semicolon.csv",
        "native.json",
        "native.jsonl",
        "native.geojson",
        "native.parquet",
    ],
)
def test_native_containers_give_the_same_records(fx, name):
    _, rows = rows_of(fx[name])
    offset = 1 if name.endswith(".csv") else 0
    got = {
        n - offset: validate_record(raw, known_country=geo.is_country_code)
        for n, raw in accepted(rows).items()
        if n - offset <= 3
    }
    meeting = got[1]
    assert meeting["title_ar"] == "اجتماع تجريبي في مراكش"
    assert meeting["actors"] == ["Global Coalition to Defeat ISIS", "ناصر بوريطة"]
    assert (meeting["latitude"], meeting["longitude"]) == (31.6295, -7.9811)
    assert meeting["sources"][0]["published"] == "2022-05-11"
    assert meeting["dataset"] == "user" and meeting["verification"] == "unverified"
    assert got[2]["country"] is None and got[2]["date_precision"] == "month"
    assert got[3]["end_date"] == date(2022, 1, 30) and got[3]["fatalities"] == 5
    assert got[3]["latitude"] is None


def test_native_export_round_trip_keeps_every_field(tmp_path):
    """What the dashboard exports as CSV or GeoJSON imports back to the same records."""
    import pandas as pd

    record = validate_record(
        {
            "event_id": "test-roundtrip",
            "event_date": "2022-05-11",
            "event_type": "statement",
            "title": "=SUM(A1) looks like a formula",
            "title_ar": "بيان تجريبي",
            "summary": "-starts with a minus",
            "actors": ["A; not split", "B"][1:],
            "country": "MAR",
            "latitude": 31.6,
            "longitude": -8.0,
            "geo_precision": "city",
            "fatalities": 2,
            "fatalities_low": 1,
            "fatalities_high": 3,
            "sources": [{"publisher": "P", "url": "https://example.org/x", "language": "en"}],
            "related": ["ref-1", "ref-2"],
            "verification": "verified",
            "dataset": "user",
            "machine_coded": True,
            "origin_id": "x1",
            "geo_flag": "flag",
        }
    )
    frame = pd.DataFrame([record], columns=list(COLUMNS))
    for fmt, suffix in (("csv", ".csv"), ("geojson", ".geojson")):
        path = tmp_path / f"export{suffix}"
        path.write_bytes(export.render(frame, fmt))
        raw = accepted(rows_of(path)[1])
        again = validate_record(next(iter(raw.values())), known_country=geo.is_country_code)
        assert again == record, fmt


def _sourced(i: int, sources: list[dict]) -> dict:
    return validate_record(
        {
            "event_id": f"test-sources-{i}",
            "event_date": "2022-05-11",
            "event_type": "meeting",
            "title": f"event {i}",
            "country": "MAR",
            "sources": sources,
        }
    )


def test_csv_writes_sources_as_columns_and_reads_them_back(tmp_path):
    """One column per source field, up to the most sources an event has; the importer
    reads those columns back to the very same sources."""
    import pandas as pd

    records = [
        _sourced(1, [{"publisher": "Reuters", "url": "https://example.org/a", "language": "en"}]),
        _sourced(
            2,
            [
                {"publisher": "وزارة الخارجية", "url": "https://example.org/ب", "language": "ar"},
                {"publisher": "NA", "url": "", "published": "2022-05-12"},
                {"publisher": "=1+1", "url": "https://example.org/c;d", "language": "fr"},
            ],
        ),
        _sourced(3, [{}]),  # a source with every field empty is still a source
    ]
    path = tmp_path / "export.csv"
    path.write_bytes(export.render(pd.DataFrame(records, columns=list(COLUMNS)), "csv"))
    table = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert "sources" not in table[0]
    assert [r["source_count"] for r in table] == ["1", "3", "1"]
    assert table[1]["source_1_publisher"] == "وزارة الخارجية"
    assert table[1]["source_2_published"] == "2022-05-12"
    assert table[1]["source_3_publisher"] == "'=1+1"  # neutralised, as every cell
    assert table[0]["source_3_url"] == "" and "source_4_url" not in table[0]
    raw = accepted(rows_of(path)[1])
    again = [validate_record(r, known_country=geo.is_country_code) for r in raw.values()]
    assert again == records


def test_the_old_csv_with_sources_as_json_in_one_cell_still_imports(tmp_path):
    record = _sourced(1, [{"publisher": "P", "url": "https://example.org/x", "language": "en"}])
    path = tmp_path / "old.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id", "event_date", "event_type", "title", "country", "sources"])
        writer.writerow(
            [
                "test-sources-1",
                "2022-05-11",
                "meeting",
                "event 1",
                "MAR",
                json.dumps(record["sources"]),
            ]
        )
    raw = accepted(rows_of(path)[1])
    assert validate_record(raw[2])["sources"] == record["sources"]


def test_a_source_beyond_source_count_or_a_bad_count_is_the_rows_problem(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_text(
        "event_id,event_date,event_type,title,source_count,source_1_url,source_2_url\n"
        "a,2022-05-11,meeting,t,1,https://example.org/1,https://example.org/2\n"
        "b,2022-05-11,meeting,t,two,https://example.org/1,\n"
        "c,2022-05-11,meeting,t,,https://example.org/1,https://example.org/2\n",
        encoding="utf-8",
    )
    rows = rows_of(path)[1]
    assert problems(rows) == {
        2: ("source_2_*", "holds a source beyond source_count (1)"),
        3: ("source_count", "'two' is not a whole number of sources"),
    }
    # Without a count, each numbered source with a value is one.
    assert [s["url"] for s in accepted(rows)[4]["sources"]] == [
        "https://example.org/1",
        "https://example.org/2",
    ]


def test_native_geojson_polygon_is_refused(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]},
                "properties": {"event_id": "p"},
            }
        ],
    }
    path = tmp_path / "poly.geojson"
    path.write_text(json.dumps(doc))
    assert problems(rows_of(path)[1]) == {
        1: ("geometry", "only Point geometries can be imported, not Polygon")
    }


def test_native_jsonl_bad_line_is_one_problem(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(build.NATIVE[0], ensure_ascii=False)
    path.write_text(f"{good}\n{{not json\n{good}\n", encoding="utf-8")
    _, rows = rows_of(path)
    assert sorted(accepted(rows)) == [1, 3]
    assert problems(rows)[2][0] == "(line)"


def test_native_json_array_streams_in_small_chunks(tmp_path):
    path = tmp_path / "many.json"
    items = [dict(build.NATIVE[0], event_id=f"many-{i}") for i in range(2500)]
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    detected = detect(path)
    chunks = list(native.read(path, detected, chunk_rows=1000))
    assert [len(c) for c in chunks] == [1000, 1000, 500]
    assert chunks[-1][-1].raw["event_id"] == "many-2499"
    assert chunks[0].bytes_done < chunks[-1].bytes_done == detected.size


def test_readers_stream_in_chunks_with_growing_byte_counts(tmp_path):
    path = build.write_synthetic_acled(tmp_path / "big.csv", 25_000)
    detected = detect(path)
    chunks = list(acled.read(path, detected, chunk_rows=10_000))
    assert [len(c) for c in chunks] == [10_000, 10_000, 5_000]
    done = [c.bytes_done for c in chunks]
    assert done == sorted(done) and done[-1] == detected.size
    assert chunks[-1][-1].number == 25_001


# --------------------------------------------------------------------------- real samples


def _sample(path: str) -> Path:
    full = SAMPLES / path
    if not full.exists():
        pytest.skip(f"{full} not present (../shared/samples is only on the team's machines and CI)")
    return full


@pytest.mark.parametrize(
    ("path", "rows", "layout", "encoding", "row", "expected"),
    [
        (
            "acled/RPanlilio_acled_2020_syria_iraq.csv",
            200,
            "2019-2022",
            "utf-8",
            2,
            {
                "event_id": "acled:SYR78126",
                "event_date": date(2020, 5, 9),
                "country": "SYR",
                "location": "Al-Bukamal",
                "latitude": 34.4546,
                "geo_precision": "city",
                "event_type": "attack",
            },
        ),
        (
            "acled/acledR_acled_old_deletion_dummy_syria_iraq_2022.csv",
            200,
            "current",
            "utf-8",
            2,
            {
                "event_id": "acled:SYR101631",
                "event_date": date(2022, 5, 23),
                "country": "SYR",
                "location": "Tal Madeeq",
                "geo_precision": "exact",
            },
        ),
        (
            "acled/acledR_acled_old_dummy_argentina_2022.csv",
            200,
            "current",
            "utf-8",
            2,
            {
                "event_id": "acled:ARG10607",
                "country": "ARG",
                "event_type": "other",
                "location": "Comodoro Rivadavia",
            },
        ),
        (
            "acled/hdx_ACLED_All_Africa_2016_libya.csv",
            200,
            "pre-2017",
            "cp1252",
            2,
            {
                "event_id": "acled:6643RTA",
                "event_date": date(2015, 3, 8),
                "country": "LBY",
                "location": "Sirte",
            },
        ),
        (
            "acled/katehara_ACLED_Asia_2015_head150.csv",
            150,
            "pre-2017",
            "utf-8",
            2,
            {"event_id": "acled:1BNG", "event_date": date(2015, 1, 1), "country": "BGD"},
        ),
        (
            "acled/hdx-python-utilities_test_data.csv",
            4,
            "pre-2017",
            "utf-8",
            2,
            {"event_id": "acled:1416RTA", "event_date": date(2001, 4, 18), "country": "DZA"},
        ),
        (
            "ucdp/uncertainUCDP_ucdpged_23.1_syria_iraq.csv",
            200,
            "49-column",
            "utf-8",
            2,
            {
                "event_id": "ucdp:300380",
                "event_date": date(2013, 1, 3),
                "country": "SYR",
                "location": "Rami village",
                "fatalities": 2,
                "geo_precision": "exact",
            },
        ),
        (
            "ucdp/hdx_ucdp_conflict_data_irq_head200.csv",
            200,
            "HDX",
            "utf-8",
            3,
            {
                "event_id": "ucdp:114064",
                "event_date": date(2014, 1, 24),
                "end_date": date(2014, 1, 25),
                "country": "IRQ",
                "fatalities": 8,
            },
        ),
        (
            "gdelt/gdelt2_20191024143000.export_head100.CSV",
            100,
            "GDELT 2.0",
            "utf-8",
            2,
            {"event_id": "gdelt:881990833", "event_type": "meeting", "country": "BLR"},
        ),
        (
            "gdelt/gdelt2_20191024143000.export_actiongeo_SY_IZ.CSV",
            78,
            "GDELT 2.0",
            "utf-8",
            78,
            {"event_id": "gdelt:881992882", "country": "SYR", "geo_precision": "country"},
        ),
        (
            "gdelt/gdelt1_events_58col_dateadded20160728_head200.tsv",
            200,
            "58 columns",
            "utf-8",
            200,
            {
                "event_id": "gdelt:564159876",
                "event_type": "meeting",
                "country": "PRK",
                "location": "Kaesong, Kaesong-si, North Korea",
            },
        ),
        (
            "gdelt/gdelt1_events_57col_dateadded2013.tsv",
            201,
            "57 columns",
            "utf-8",
            201,
            {"event_id": "gdelt:230523753", "event_date": date(1982, 12, 31), "country": "VNM"},
        ),
    ],
)
def test_real_sample_files_read_with_right_counts_dates_and_places(
    path, rows, layout, encoding, row, expected
):
    detected, read = rows_of(_sample(path))
    assert layout in detected.layout and detected.encoding == encoding
    assert len(read) == rows
    assert problems(read) == {}
    record = accepted(read)[row]
    assert {k: record[k] for k in expected} == expected
    for raw in accepted(read).values():
        validate_record(raw, known_country=geo.is_country_code)


def test_real_acled_week_precision_rows_become_month_spans():
    _, read = rows_of(_sample("acled/RPanlilio_acled_2020_syria_iraq.csv"))
    week = [r for r in accepted(read).values() if r["notes"].startswith("ACLED time_precision 2")]
    assert len(week) == 7
    assert all(r["date_precision"] == "month" for r in week)


def test_real_ucdp_hdx_windows_are_kept_as_spans():
    _, read = rows_of(_sample("ucdp/hdx_ucdp_conflict_data_irq_head200.csv"))
    got = accepted(read)
    windows = [r for r in got.values() if "date_prec 2" in r["notes"]]
    assert len(windows) == 71
    assert all(r["end_date"] > r["event_date"] for r in windows)
    assert min(got) == 3  # row 2 is the HXL tag row


def test_reading_never_depends_on_the_file_name(fx, tmp_path):
    renamed = tmp_path / "export.txt"
    renamed.write_bytes(fx["ucdp_ged.csv"].read_bytes())
    assert detect(renamed).format == "ucdp"
    assert len(accepted(rows_of(renamed)[1])) == 7
    assert ucdp.read is reader("ucdp")


# --------------------------------------------------------------------------- mixed encodings

HEADER = "event_id,event_date,event_type,title,country,sources\n"


def _utf8_rows(n: int) -> str:
    return "".join(
        f"e{i},2022-05-11,meeting,اجتماع مراكش {i},MAR,https://e.org\n" for i in range(n)
    )


@pytest.mark.parametrize("rows", [20, 20_000])
def test_utf8_with_one_windows_byte_is_refused_at_that_byte(tmp_path, rows):
    """20,000 Arabic UTF-8 titles and one "é" saved by a Windows program in the last row used
    to be read whole as Windows-Arabic: 20,000 titles of mojibake and exit 0."""
    body = (HEADER + _utf8_rows(rows)).encode("utf-8")
    last = "z,2022-05-11,meeting,caf\xe9,MAR,https://e.org\n".encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(body + last)
    offset = len(body) + last.index(b"\xe9")
    with pytest.raises(SourceError) as caught:
        detect(path)
    message = str(caught.value)
    assert f"byte {offset:,} (line {rows + 2:,}) is 0xE9" in message
    assert "--encoding" in message
    # naming the encoding is the way through: as cp1256 the file reads (the user chose it)
    assert detect(path, encoding="cp1256").encoding == "cp1256"


def test_a_bad_byte_no_sample_saw_stops_the_import_at_its_byte_and_line(tmp_path):
    """The detector samples the head and eight windows; a bad byte between them is found
    while reading, and named as exactly."""
    body = (HEADER + "e,2022-05-11,meeting,ascii title,MAR,https://e.org\n" * 30_000).encode()
    middle = body.index(b"\n", 600_000) + 1
    bad = b"x,2022-05-11,meeting,caf\xe9,MAR,https://e.org\n"
    data = body[:middle] + bad + body[middle:] + "z,2022-05-11,meeting,é,MAR,u\n".encode()
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    assert detect(path).encoding == "utf-8"
    with pytest.raises(SourceError) as caught:
        rows_of(path)
    line = data[:middle].count(b"\n") + 1
    offset = middle + bad.index(b"\xe9")
    assert f"byte {offset:,} (line {line:,}) is 0xE9" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("هجوم على سجن غويران في الحسكة؟ ماذا؟ نعم، مؤتمر «مراكش»", "cp1256"),
        ("گفتگو پيرامون چالش‌ها؛ پژوهش", "cp1256"),
        ("Sirte\u2019s café «déjà vu» — naïve señor", "cp1252"),
    ],
)
def test_windows_text_is_not_taken_for_mixed_utf8(text, encoding):
    """Windows-Arabic makes a few valid UTF-8 pairs (a letter before "؟"), never most."""
    assert detect_encoding([(text + "\n").encode(encoding) * 50], whole=True) == encoding


def test_a_parquet_row_python_cannot_hold_is_its_rows_problem(tmp_path):
    """A timestamp past the year 9999 used to fail the whole batch's conversion."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    far = 300_000_000_000_000_000  # microseconds: about the year 11,000
    table = pa.table(
        {
            "event_id": ["p-1", "p-2", "p-3"],
            "event_date": pa.array([0, far, 0], type=pa.timestamp("us")),
            "event_type": ["meeting"] * 3,
            "title": ["t"] * 3,
            "sources": ["https://example.org"] * 3,
        }
    )
    path = tmp_path / "far.parquet"
    pq.write_table(table, path)
    _, rows = rows_of(path)
    assert sorted(accepted(rows)) == [1, 3]
    column, message = problems(rows)[2]
    assert column == "(row)" and "out of range" in message
