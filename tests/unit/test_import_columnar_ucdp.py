"""The column import of UCDP GED files stores exactly what the row import stores.

As ``test_import_columnar.py`` does for ACLED: every file is imported both ways into two
fresh stores and the stored rows, counts, problems and preview must be equal; which rows
took the row reader is counted too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import importer
from dashboard.sources import ucdp
from tests.fixtures.imports import build
from tests.fixtures.imports.both_ways import agree_or_refuse_alike, both, write_csv

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "ucdp"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return build.write_all(tmp_path_factory.mktemp("fixtures"))


def _both(path, tmp_path, monkeypatch, **kwargs):
    return both(path, tmp_path, monkeypatch, ucdp._Reader, **kwargs)


@pytest.mark.parametrize("name", ["ucdp_ged.csv", "ucdp_hdx.csv"])
def test_the_fixture_files_agree_and_only_odd_rows_take_the_row_reader(
    name, fixtures, tmp_path, monkeypatch
):
    rows, _, calls = _both(fixtures[name], tmp_path, monkeypatch, fmt="ucdp")
    assert rows.rows_read > 0
    assert calls.fallbacks == 0
    if name == "ucdp_ged.csv":
        # international waters (where_prec 7) and the three rows with problems
        assert calls.rows == 4
        assert [p.row for p in rows.problems] == sorted(build.UCDP_PROBLEMS)
    else:
        assert calls.rows == 0
        assert rows.rows_read == 3  # the HXL tag row (row 2) is no record


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared UCDP samples are not here")
@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_real_ucdp_files_agree(path, tmp_path, monkeypatch):
    rows, _, calls = _both(path, tmp_path, monkeypatch, fmt="ucdp", chunk_rows=70)
    assert rows.accepted == rows.rows_read > 0
    assert calls.fallbacks == 0
    assert calls.rows == 0


def _row(i: int, **values) -> list[str]:
    fields = build._ucdp_row(**{"id": f"77{i:04d}", **values})
    return [fields[c] for c in build.UCDP_GED]


def test_only_the_odd_rows_take_the_row_reader(tmp_path, monkeypatch):
    odd = {
        2: {"date_start": "20/01/2022"},  # another date form: read by the row reader
        4: {"latitude": "", "longitude": ""},  # filled from the gazetteer or the country
        5: {"where_prec": "7"},
        7: {"best": "-1"},
        9: {"where_description": "x" * 15_000},
        10: {"date_prec": "9"},
        12: {"country": "Atlantis"},
    }
    rows = [_row(i, **odd.get(i, {})) for i in range(15)]
    path = write_csv(tmp_path / "mixed.csv", build.UCDP_GED, rows)
    result, _, calls = _both(path, tmp_path, monkeypatch, chunk_rows=4)
    assert calls.fallbacks == 0
    assert calls.rows == len(odd)
    assert [p.row for p in result.problems] == [9, 12, 14]


def test_a_blank_line_sends_the_whole_file_to_the_row_reader(tmp_path, monkeypatch):
    rows = [_row(i) for i in range(8)]
    rows[5] = _row(5, date_end="2021-01-01")
    path = write_csv(tmp_path / "blank.csv", build.UCDP_GED, rows, blank_after=1)
    result, _, calls = _both(path, tmp_path, monkeypatch)
    assert calls.fallbacks == 1
    assert [(p.row, p.column) for p in result.problems] == [(8, "date_end")]


def test_a_cell_beyond_the_csv_field_limit_sends_the_whole_file_to_the_row_reader(
    tmp_path, monkeypatch
):
    rows = [_row(i) for i in range(4)]
    rows[2] = _row(2, geom_wkt="x" * (4 * 1024 * 1024 + 10))
    path = write_csv(tmp_path / "huge.csv", build.UCDP_GED, rows)
    result, _, calls = _both(path, tmp_path, monkeypatch)
    assert calls.fallbacks == 1
    assert [(p.row, p.column) for p in result.problems] == [(4, "(row)")]


def test_an_hdx_file_of_tags_only_holds_no_records_both_ways(tmp_path, monkeypatch):
    path = tmp_path / "tags.csv"
    path.write_text(",".join(build.UCDP_HDX) + "\n" + build.HXL_ROW + "\n", encoding="utf-8")
    for columnar in (False, True):
        monkeypatch.setattr(importer, "COLUMNAR", columnar)
        with pytest.raises(importer.ImportFailed, match="holds no records"):
            importer.import_file(path, tmp_path / f"tags-{columnar}.duckdb")


_VALUES = {
    "id": st.sampled_from(["1", "2.0", "", "x y", "NA"]),
    "type_of_violence": st.sampled_from(["1", "2", "3", "3.0", "4", ""]),
    "date_start": st.sampled_from(
        ["2022-01-20", "2022-01-20 00:00:00.000", "2022-1-2", "20/01/2022", "2022-02-30", ""]
    ),
    "date_end": st.sampled_from(["2022-01-20", "2022-01-25", "2021-12-31", "2150-01-01"]),
    "date_prec": st.sampled_from(["1", "2", "3", "4", "5", "5.0", "", ".0", "6"]),
    "where_prec": st.sampled_from(["1", "2", "3", "6", "7", "", "8"]),
    "relid": st.sampled_from(["", "SYR-2022-1-1", "NA"]),
    "country": st.sampled_from(["Syria", "Iraq", "Yemen (North Yemen)", "", "Atlantis"]),
    "best": st.sampled_from(["0", "3", "3.0", "", "-1", "2.5", "99999999999", "many"]),
    "low": st.sampled_from(["0", "", "1"]),
    "deaths_a": st.sampled_from(["0", "", "x", "4"]),
    "side_a": st.sampled_from(["Government of Syria", "", "IS"]),
    "side_b": st.sampled_from(["Syrian insurgents", "", "IS", "Government of Syria"]),
    "dyad_name": st.sampled_from(["", "A - B"]),
    "conflict_name": st.sampled_from(["", "Syria: Government", 'it\'s "odd"\\']),
    "where_description": st.text(alphabet="aé ؤ\u00a0\x1c-", max_size=6),
    "source_office": st.sampled_from(["SOHR;AFP", "", ";", "SOHR; ;AFP; BBC"]),
    "source_date": st.sampled_from(["2022-01-21;2022-01-22", "", "x;2022-01-01", "1850-01-01"]),
    "latitude": st.sampled_from(["35.1", "-0.0", "", "91", "1e2", "+33.5", "36."]),
    "where_coordinates": st.text(alphabet='aB"é أ\t \x1f', max_size=8),
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.fixed_dictionaries({}, optional=_VALUES), min_size=1, max_size=12))
def test_any_mix_of_odd_values_is_stored_as_the_row_import_stores_it(
    tmp_path_factory, monkeypatch, changes
):
    tmp_path = tmp_path_factory.mktemp("mix")
    rows = [_row(i, **change) for i, change in enumerate(changes)]
    path = write_csv(tmp_path / "mix.csv", build.UCDP_GED, rows)
    agree_or_refuse_alike(path, tmp_path, monkeypatch, ucdp._Reader, "ucdp")
