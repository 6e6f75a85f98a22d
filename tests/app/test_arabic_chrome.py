"""Streamlit's own widget words in Arabic: the fixed script, its table, and who loads it.

The script itself runs in tests/browser/test_arabic.py; here, under AppTest and in plain
Python: Arabic pages load it and English pages do not, the served file is the fixed code
with the table of strings.CHROME_AR in it, and that table is well formed.
"""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import static_assets
from dashboard.strings import CHROME_AR, PLOTLY_AR, chrome_table, plotly_locale
from dashboard.ui import rtl

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SLOT = re.compile(r"\{(x|n|month|weekday|date)\}")
ARABIC = re.compile(r"[\u0600-\u06ff]")
# Names that stay Latin in Arabic text: formats and key caps.
NAMES = {"CSV", "PNG", "Enter", "Esc", "Ctrl", "B", "KB", "MB", "GB"}
HOOKS = ("data-testid", "role=", "data-key=", "aria-live", "react-aria-description")
TAG = re.compile(r'<script src="/app/static/dashboard/arabic-chrome\.js\?v=[0-9a-f]{16}" ')


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "apptest-store.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))


def chrome_tags(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "data-dashboard-chrome" in h.proto.body]


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/import.py", "pages/curate.py"])
def test_arabic_pages_load_the_script_and_english_pages_do_not(page):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "ar"
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tags = chrome_tags(at)
    assert len(tags) == 1 and TAG.match(tags[0]), tags
    html = next(h for h in at.get("html") if "data-dashboard-chrome" in h.proto.body)
    assert html.proto.unsafe_allow_javascript

    english = AppTest.from_file(APP, default_timeout=60)
    english.run()
    english.switch_page(page)
    english.run()
    assert chrome_tags(english) == []


def test_served_file_is_the_fixed_code_with_the_table():
    rtl._arabic_chrome_html.clear()
    tag = rtl._arabic_chrome_html()
    served = rtl.STATIC_DIR / static_assets.CHROME_PATH
    text = served.read_text(encoding="utf-8")
    assert text == static_assets.chrome_script()
    source = static_assets.CHROME_SOURCE.read_text(encoding="utf-8")
    head, tail = source.split("var CHROME = null;")
    assert text.startswith(head) and text.endswith(tail)
    table = text[len(head) : len(text) - len(tail)]
    assert table.startswith("var CHROME = ") and table.endswith(";")
    assert json.loads(table[len("var CHROME = ") : -1]) == json.loads(json.dumps(chrome_table()))
    assert static_assets.CHROME_PATH in tag


def test_inline_script_when_static_folder_cannot_be_written(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(rtl, "STATIC_DIR", blocked)
    rtl._arabic_chrome_html.clear()
    try:
        tag = rtl._arabic_chrome_html()
    finally:
        rtl._arabic_chrome_html.clear()
    assert tag.startswith('<script data-dashboard-chrome="ar">')
    assert "var CHROME = {" in tag
    assert tag.count("</script>") == 1 and tag.endswith("</script>")


def test_chrome_table_is_well_formed():
    assert "</" not in static_assets.chrome_script()  # can go inline in a <script> too
    for selector, table in CHROME_AR.items():
        # Streamlit's own hooks only: never a tag or class the app's data could produce.
        assert any(hook in selector for hook in HOOKS), selector
        for where, pairs in table.items():
            assert where == "text" or where in chrome_table()["attributes"]
            for english, arabic in pairs.items():
                assert SLOT.findall(english) == SLOT.findall(arabic), (english, arabic)
                words = SLOT.sub("", arabic)
                assert ARABIC.search(words) or not words.strip(" –"), (english, arabic)
                latin = set(re.findall(r"[A-Za-z]+", words)) - NAMES
                assert not latin, (english, arabic, latin)


def test_plotly_words_go_to_arabic_charts_only():
    assert plotly_locale("en") == {}
    config = plotly_locale("ar")
    assert config["locale"] == "ar"
    assert config["locales"]["ar"]["dictionary"] == PLOTLY_AR
    assert all(ARABIC.search(v) for v in PLOTLY_AR.values())
