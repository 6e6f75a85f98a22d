"""A write that changes no event keeps every session's in-memory copy."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import hotcopy, importer, saved_views, synthetic
from dashboard.filters import Filters, ViewState

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"country": "SYR"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_saving_a_view_does_not_rebuild_the_copy_an_import_does(store_path, tmp_path):
    run()
    built = hotcopy.BUILDS
    saved_views.save(store_path, ViewState(filters=Filters(countries=("IRQ",))), "Iraq")
    run()
    assert built == hotcopy.BUILDS  # the saved view left the copy as it was
    synthetic.write_acled_csv(tmp_path / "acled.csv", 5)
    assert importer.import_file(tmp_path / "acled.csv", store_path, fmt="acled").committed
    run()
    assert built + 1 == hotcopy.BUILDS
