"""The column import of ACLED files stores exactly what the row import stores.

Every file is imported both ways into two fresh stores; the stored rows, the counts, the
problems (row, column, message) and the preview must be equal. Which rows took the row
reader is counted too: a clean export must take none, and a file the columns cannot split
must fall back whole, with the same row numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.sources import acled
from tests.fixtures.imports import build
from tests.fixtures.imports.both_ways import agree_or_refuse_alike, both, write_csv

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "acled"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return build.write_all(tmp_path_factory.mktemp("fixtures"))


def _both(path, tmp_path, monkeypatch, **kwargs):
    return both(path, tmp_path, monkeypatch, acled._Reader, **kwargs)


ACLED_FIXTURES = (
    "acled_current.csv",
    "acled_2019.csv",
    "acled_pre2017_cp1252.csv",
    "acled_pre2017_named_dates.csv",
)


@pytest.mark.parametrize("name", ACLED_FIXTURES)
def test_the_fixture_files_with_every_kind_of_bad_row_agree(name, fixtures, tmp_path, monkeypatch):
    rows, _, calls = _both(fixtures[name], tmp_path, monkeypatch, fmt="acled")
    assert rows.rows_read > 0
    assert calls.fallbacks == 0 or name == "acled_pre2017_cp1252.csv"


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared ACLED samples are not here")
@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_real_acled_exports_agree_and_take_no_row_reader(path, tmp_path, monkeypatch):
    rows, _, calls = _both(path, tmp_path, monkeypatch, fmt="acled")
    assert rows.accepted == rows.rows_read > 0
    assert calls.fallbacks == 0
    assert calls.rows == 0


def test_a_clean_synthetic_export_never_calls_the_row_reader(tmp_path, monkeypatch):
    path = build.write_synthetic_acled(tmp_path / "synthetic.csv", 3000)
    rows, cols, calls = _both(path, tmp_path, monkeypatch, chunk_rows=700)
    assert calls.fallbacks == 0 and calls.rows == 0
    assert cols.accepted == 3000


def _row(i: int, **values) -> list[str]:
    fields = dict(zip(build.ACLED_CURRENT, build._acled_current_row(), strict=True))
    fields["event_id_cnty"] = f"SYR9{i:04d}"
    fields.update(values)
    return [fields[c] for c in build.ACLED_CURRENT]


def test_only_the_odd_rows_take_the_row_reader(tmp_path, monkeypatch):
    odd = {
        3: {"event_date": "2022-13-01"},
        5: {"latitude": "", "longitude": ""},  # filled from the gazetteer or the country
        8: {"country": "Red Sea", "iso3": ""},
        11: {"fatalities": "3.0"},
        12: {"notes": "x" * 15_000},
        14: {"time_precision": ".0"},
    }
    rows = [_row(i, **odd.get(i, {})) for i in range(20)]
    path = write_csv(tmp_path / "mixed.csv", build.ACLED_CURRENT, rows)
    result, _, calls = _both(path, tmp_path, monkeypatch, chunk_rows=6)
    assert calls.fallbacks == 0
    assert calls.rows == len(odd)
    assert [p.row for p in result.problems] == [5, 16]  # 2022-13-01 and ".0", header is row 1


def test_a_blank_line_sends_the_whole_file_to_the_row_reader(tmp_path, monkeypatch):
    rows = [_row(i) for i in range(10)]
    rows[6] = _row(6, event_date="not a date")
    path = write_csv(tmp_path / "blank.csv", build.ACLED_CURRENT, rows, blank_after=2)
    result, _, calls = _both(path, tmp_path, monkeypatch)
    assert calls.fallbacks == 1
    # The blank line is row 5: the bad row, the 7th record, is row 9.
    assert [(p.row, p.column) for p in result.problems] == [(9, "event_date")]


def test_a_row_with_a_missing_field_falls_back_and_is_named(tmp_path, monkeypatch):
    rows = [_row(i) for i in range(5)]
    rows[3] = rows[3][:-2]
    path = write_csv(tmp_path / "short.csv", build.ACLED_CURRENT, rows)
    result, _, calls = _both(path, tmp_path, monkeypatch)
    assert calls.fallbacks == 1
    assert [(p.row, p.column) for p in result.problems] == [(5, "(row)")]


_VALUES = {
    "event_date": st.sampled_from(
        ["2022-05-09", "9-May-22", "09 May 2022", "9/5/2022", "2022-02-30", "2021-05-09", "x", ""]
    ),
    "time_precision": st.sampled_from(["1", "2", "3", "2.0", "", "4", ".0"]),
    "latitude": st.sampled_from(["35.1", "-0.0", "", "91", "1e2", "+33.5", "36."]),
    "country": st.sampled_from(["Syria", "Iraq", "Gulf of Aden", "", "Atlantis"]),
    "iso3": st.sampled_from(["SYR", "", "XXX", "syr"]),
    "fatalities": st.sampled_from(["0", "12", "", "-1", "2.5", "99999999999"]),
    "event_type": st.sampled_from(["Battles", "Strategic developments", "", "Protests"]),
    "sub_event_type": st.sampled_from(["Agreement", "Armed clash", ""]),
    "actor1": st.sampled_from(["A; B", " ", "NA", "Military Forces of Syria (2000-)"]),
    "source": st.sampled_from(["SOHR; Rudaw", "", "null", "  x  "]),
    "location": st.text(alphabet="aé ؤ\u00a0\x1c-", max_size=6),
    "notes": st.text(alphabet='aB"é أ\u241f\t \x1f', max_size=12),
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
    path = write_csv(tmp_path / "mix.csv", build.ACLED_CURRENT, rows)
    agree_or_refuse_alike(path, tmp_path, monkeypatch, acled._Reader, "acled")
