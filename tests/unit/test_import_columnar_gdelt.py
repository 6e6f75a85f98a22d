"""The column import of GDELT event files stores exactly what the row import stores.

As ``test_import_columnar.py`` does for ACLED: every file is imported both ways into two
fresh stores and the stored rows, counts, problems and preview must be equal; which rows
took the row reader is counted too.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import importer
from dashboard.sources import gdelt
from tests.fixtures.imports import build
from tests.fixtures.imports.both_ways import agree_or_refuse_alike, both

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "gdelt"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return build.write_all(tmp_path_factory.mktemp("fixtures"))


def _both(path, tmp_path, monkeypatch, **kwargs):
    return both(path, tmp_path, monkeypatch, gdelt._Reader, **kwargs)


def _tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(row) + "\n" for row in rows)


@pytest.mark.parametrize(
    "name", ["gdelt2.export.CSV", "gdelt1_58.tsv", "gdelt1_57.tsv", "gdelt2.export.CSV.zip"]
)
def test_the_fixture_files_with_a_truncated_row_fall_back_whole(
    name, fixtures, tmp_path, monkeypatch
):
    rows, _, calls = _both(fixtures[name], tmp_path, monkeypatch, fmt="gdelt")
    assert calls.fallbacks == 1  # row 9 has 5 fields: the row reader names it
    assert [(p.row, p.column) for p in rows.problems] == [(8, "SQLDATE"), (9, "(row)")]


@pytest.mark.parametrize("width", [61, 58, 57])
@pytest.mark.parametrize("zipped", [False, True])
def test_every_layout_is_read_by_columns_and_only_odd_rows_take_the_row_reader(
    width, zipped, tmp_path, monkeypatch
):
    text = _tsv(build._gdelt_rows(width))
    path = tmp_path / f"events{width}.CSV"
    if zipped:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(path.name, text)
        path = path.with_suffix(".CSV.zip")
        path.write_bytes(archive.getvalue())
    else:
        path.write_text(text, encoding="utf-8")
    rows, _, calls = _both(path, tmp_path, monkeypatch, fmt="gdelt", chunk_rows=3)
    assert calls.fallbacks == 0
    assert calls.rows == 2  # row 6 has no place (the importer may fill it), row 8 a bad date
    assert [(p.row, p.column) for p in rows.problems] == [(8, "SQLDATE")]
    assert rows.accepted == 7


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared GDELT samples are not here")
@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md"), ids=lambda p: p.name
)
def test_real_gdelt_files_agree(path, tmp_path, monkeypatch):
    # Only the rows without coordinates take the row reader (the importer fills them).
    reader = gdelt._Reader(path, importer.detect(path, "gdelt"))
    no_point = sum(1 for r in reader.rows() if r.raw and r.raw["latitude"] is None)
    rows, _, calls = _both(path, tmp_path, monkeypatch, fmt="gdelt", chunk_rows=64)
    assert rows.accepted > 0
    assert calls.fallbacks == 0
    assert calls.rows == no_point


def test_a_file_with_a_header_is_read_by_name(tmp_path, monkeypatch):
    names = gdelt.LAYOUTS[61]
    rows = [[f'"{v}"' if "," in v else v for v in row] for row in build._gdelt_rows(61)]
    text = ",".join(names) + "\n" + "".join(",".join(row) + "\n" for row in rows)
    path = tmp_path / "bigquery.csv"
    path.write_text(text, encoding="utf-8")
    result, _, calls = _both(path, tmp_path, monkeypatch, fmt="gdelt")
    assert calls.fallbacks == 0
    assert calls.rows == 2
    assert [(p.row, p.column) for p in result.problems] == [(9, "SQLDATE")]


def test_a_byte_order_mark_before_the_first_row_falls_back(tmp_path, monkeypatch):
    path = tmp_path / "bom.CSV"
    path.write_bytes(b"\xef\xbb\xbf" + _tsv(build._gdelt_rows(61)).encode())
    _, _, calls = _both(path, tmp_path, monkeypatch, fmt="gdelt")
    assert calls.fallbacks == 1


_VALUES = {
    "GLOBALEVENTID": st.sampled_from(["1", "", "x y", "NA", "12.5"]),
    "SQLDATE": st.sampled_from(["20220511", "20220230", "2022051", "18000101", "20220511x", ""]),
    "EventCode": st.sampled_from(["042", "0", "190", "057", "1x", "", "²3", "0571"]),
    "ActionGeo_Type": st.sampled_from(["0", "1", "4", "", "9"]),
    "ActionGeo_CountryCode": st.sampled_from(["SY", "sy", "OS", "ZZ", "", "MO", "ſY"]),
    "ActionGeo_Lat": st.sampled_from(["33.3", "", "91", "-0.0", "1e2", "35"]),
    "ActionGeo_Long": st.sampled_from(["44.4", "", "-181", "38"]),
    "ActionGeo_FullName": st.sampled_from(["", "Damascus, Syria", "Oceans", 'a "b'])
    | st.text(alphabet="aé ؤ\u00a0\x1c-", max_size=6),
    "Actor1Name": st.sampled_from(["", "SYRIA", "IRAQ", "NA"]),
    "Actor2Name": st.sampled_from(["", "SYRIA", "IRAQ"]),
    "GoldsteinScale": st.sampled_from(["", "1.9", "-10"]),
    "AvgTone": st.sampled_from(["", "1.5", "null"]),
    "ActionGeo_FeatureID": st.sampled_from(["", "-2570426", "SY"]),
    "DATEADDED": st.sampled_from(["20220511120000", "", "x", "18000101", "20221340"]),
    "SOURCEURL": st.sampled_from(
        ["https://www.news.example.org/a", "HTTP://x.org", "BBC Monitoring", "", "http://", 'h"\\']
    ),
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from([61, 58, 57]),
    st.lists(st.fixed_dictionaries({}, optional=_VALUES), min_size=1, max_size=12),
)
def test_any_mix_of_odd_values_is_stored_as_the_row_import_stores_it(
    tmp_path_factory, monkeypatch, width, changes
):
    tmp_path = tmp_path_factory.mktemp("mix")
    names = gdelt.LAYOUTS[width]
    rows = []
    for i, change in enumerate(changes):
        values = {"GLOBALEVENTID": f"55{i:04d}", **change}
        rows.append(build._gdelt_row(width, **{k: v for k, v in values.items() if k in names}))
    path = tmp_path / "mix.CSV"
    path.write_text(_tsv(rows), encoding="utf-8")
    agree_or_refuse_alike(path, tmp_path, monkeypatch, gdelt._Reader, "gdelt")
