"""The Import page under AppTest: imported batches are listed and removed as a unit.

AppTest cannot drive a file upload; the upload, preview, problems table and confirm
button were checked in a browser (see the import report) and share all their logic
with the CLI through dashboard.importer, which tests/unit/test_importer.py covers.
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import importer, store
from tests.fixtures.imports import build

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_import_page_lists_a_batch_and_removes_it(store_path, tmp_path):
    files = build.write_all(tmp_path / "fixtures")
    result = importer.import_file(files["ucdp_ged.csv"], store_path)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/import.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(result.batch_id in t.value and "7 events" in t.value for t in at.text)
    remove = [b for b in at.button if b.key == f"imp_rm_{result.batch_id}"]
    remove[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == [f"Removed batch {result.batch_id} (7 events)."]
    assert importer.list_batches(store_path) == []
    with store.connect(store_path, read_only=True) as con:
        left = con.execute("SELECT count(*) FROM events WHERE dataset = 'ucdp'").fetchone()[0]
    assert left == 0


def test_a_batch_link_shows_that_batch_until_the_analyst_clears_it(store_path, tmp_path):
    files = build.write_all(tmp_path / "fixtures")
    ucdp = importer.import_file(files["ucdp_ged.csv"], store_path)
    acled = importer.import_file(files["acled_current.csv"], store_path)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["batch"] = ucdp.batch_id
    at.switch_page("pages/table.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    sentences = [m.value for m in at.markdown if "events" in m.value]
    assert any(s.startswith("7 events") and "imported in batch" in s for s in sentences)
    assert any(ucdp.batch_id in c.value for c in at.caption)
    [clear] = [b for b in at.button if b.label == "Show every batch"]
    clear.click().run()
    assert not at.exception, [e.value for e in at.exception]
    everything = 76 + ucdp.accepted + acled.accepted
    assert any(m.value.startswith(f"{everything} events") for m in at.markdown)
    assert "batch" not in at.query_params
