"""Imported records answer the same filters, on the same map and table, as shipped ones."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from dashboard import hotcopy, importer, store
from dashboard.filters import Filters
from dashboard.query import EventQuery
from tests.fixtures.imports import build


def test_filters_map_and_table_work_on_imported_acled_rows(
    tmp_path, start_streamlit, page, wait_for_app, screenshot
):
    path = tmp_path / "imported.duckdb"
    store.ensure_store(path)
    files = build.write_all(tmp_path / "files")
    result = importer.import_file(files["acled_current.csv"], path)
    assert result.committed and result.accepted > 0
    imported = EventQuery(hotcopy.load(path).engine()).rows(Filters(countries=("SYR",)), limit=None)
    acled_syria = imported[imported.event_id.str.startswith("acled:")]
    assert len(acled_syria) > 0
    server = start_streamlit(env={"DASHBOARD_STORE": str(path)})

    page.goto(server.url + "/table?country=SYR")
    wait_for_app(page)
    sentence = page.get_by_text(re.compile(r"\d+ events in Syria"))
    expect(sentence).to_be_visible()
    count = int(re.match(r"(\d+) events", sentence.inner_text()).group(1))
    assert count == len(imported)
    screenshot(page, "imported-table")

    page.goto(server.url + "/map?country=SYR")
    wait_for_app(page)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    markers = frame.locator("path.event-marker")
    expect(markers.first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1500)  # let the fitted zoom finish animating
    screenshot(page, "imported-map")
    assert parse_qs(urlsplit(page.url).query)["country"] == ["SYR"]
