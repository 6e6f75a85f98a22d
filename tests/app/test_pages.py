"""Every page under Streamlit's AppTest: the URL's values are shown and written back."""

import re
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.ui.sidebar import PAGE_NAMES

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
PAGES = [
    "pages/overview.py",
    "pages/map.py",
    "pages/timeline.py",
    "pages/table.py",
    "pages/event.py",
]


@pytest.fixture(autouse=True)
def isolated_store(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "apptest-store.duckdb"
    monkeypatch.setenv("DASHBOARD_STORE", str(path))


def open_app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params or {})
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def shown(at: AppTest) -> list[str]:
    """The markdown blocks as a reader sees them (data text in them is escaped, and a word
    joiner, which no one sees, stops Markdown's autolinks)."""
    return [re.sub(r"\\(.)", r"\1", m.value).replace("\u2060", "") for m in at.markdown]


def markdown_text(at: AppTest) -> str:
    return "\n".join(shown(at))


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_overview_reads_link_and_describes_it():
    at = open_app({"country": ["SYR"], "from": "2022-01-01", "to": "2022-12-31"})
    no_exception(at)
    assert at.multiselect(key="f_country").value == ["SYR"]
    assert at.text_input(key="f_from").value == "2022-01-01"
    assert "events in Syria between 1 Jan 2022 and 31 Dec 2022" in markdown_text(at)
    assert at.query_params["country"] == "SYR"


@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_with_filters_from_the_link(page):
    params = {
        "country": ["SYR", "MAR"],
        "type": ["attack", "statement", "meeting"],
        "event": "ref-2022-05-11-marrakesh-meeting",
    }
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    no_exception(at)
    assert at.multiselect(key="f_country").value == ["SYR", "MAR"]
    assert at.multiselect(key="f_type").value == ["meeting", "statement", "attack"]


def test_changing_a_widget_rewrites_the_url():
    attacks = sum(r["event_type"] == "attack" for r in store.read_shipped())
    assert attacks > 1  # the shipped records hold several attacks; the sentence says how many
    at = open_app()
    at.multiselect(key="f_type").set_value(["attack"]).run()
    no_exception(at)
    assert at.query_params.get("type") == "attack"
    assert f"{attacks} events, types: attack" in shown(at)
    at.text_input(key="f_q").set_value("ghwayran").run()
    assert at.query_params.get("q") == "ghwayran"
    # One shipped attack names Ghwayran (the prison attack in Hasakah, January 2022).
    assert "1 event, types: attack, matching “ghwayran”" in shown(at)


def test_switching_pages_keeps_the_filters():
    at = open_app({"country": ["SYR"], "type": ["attack"]})
    at.switch_page("pages/table.py").run()
    no_exception(at)
    assert at.multiselect(key="f_country").value == ["SYR"]
    assert at.query_params.get("country") == "SYR"
    assert at.query_params.get("type") == "attack"


def test_bad_link_opens_with_a_notice():
    at = open_app({"country": ["XXX", "SYR"], "from": "2022-02-30", "colour": "red"})
    no_exception(at)
    assert at.warning, "a notice about the ignored parts is shown"
    shown = "\n".join(t.value for t in at.text)
    assert "country='XXX'" in shown and "from='2022-02-30'" in shown and "colour" in shown
    assert at.multiselect(key="f_country").value == ["SYR"]
    assert "colour" not in at.query_params and at.query_params.get("country") == "SYR"


def test_table_lists_filtered_rows():
    at = open_app(
        {"country": ["SYR"], "from": "2022-01-01", "to": "2022-12-31"}, page="pages/table.py"
    )
    no_exception(at)
    frame = at.dataframe[0].value
    titles = " ".join(frame.iloc[:, 2])
    assert "Ghwayran" in titles
    assert len(frame) == int(markdown_text(at).split(" events")[0].split()[-1])


def test_event_page_shows_fields_sources_related_and_unverified_flag():
    at = open_app({"event": "ref-2022-05-11-marrakesh-statement"}, page="pages/event.py")
    no_exception(at)
    assert "Marrakesh" in at.title[0].value
    texts = "\n".join(t.value for t in at.text)
    assert "Al-Sinaa detention facility" in texts
    related = [link.label for link in at.get("page_link")]
    assert any("al-Sina" in label or "Ghwayran" in label for label in related), related
    at = open_app({"event": "ref-2020-11-10-virtual-meeting"}, page="pages/event.py")
    no_exception(at)
    assert any("Unverified" in w.value for w in at.warning)


def test_event_page_with_unknown_id_says_so():
    at = open_app({"event": "no-such-event"}, page="pages/event.py")
    no_exception(at)
    assert any("no-such-event" in e.value.replace("\\", "") for e in at.error)  # as read


def test_only_declared_pages_exist(monkeypatch):
    """app.py declares exactly the pages the sidebar links to, at their url paths, and every
    file under pages/ is one of them; a page that is not declared cannot be opened."""
    declared = {}
    navigation = streamlit.navigation

    def recording(pages, **options):
        declared.update({p.url_path: Path(p._page).relative_to(REPO).as_posix() for p in pages})
        return navigation(pages, **options)

    monkeypatch.setattr(streamlit, "navigation", recording)
    at = open_app()
    no_exception(at)
    # The first page is the default: it answers at "/" (url_path ""), as the URL contract says.
    expected = {("" if i == 0 else n): f"pages/{n}.py" for i, n in enumerate(PAGE_NAMES)}
    assert declared == expected
    files = {p.relative_to(REPO).as_posix() for p in (REPO / "pages").glob("*.py")}
    assert files == set(expected.values())
    links = {link.proto.page for link in at.sidebar.get("page_link")}
    assert links == set(expected), links
    with pytest.raises(ValueError):
        at.switch_page("pages/not_declared.py")


def test_arabic_link_opens_in_arabic_with_the_arabic_title():
    """Every shipped event has an Arabic title; the English one is shown under it."""
    at = open_app(
        {"event": "ref-2022-05-11-marrakesh-meeting", "lang": "ar"}, page="pages/event.py"
    )
    no_exception(at)
    assert at.title[0].value == "اجتماع مراكش للتحالف ضد داعش يلتزم بمواجهة التهديد العالمي لداعش"
    assert not at.title[0].value.endswith("(بالإنجليزية)")
    texts = [t.value for t in at.text]
    assert (
        "Ministerial meeting of the Global Coalition to Defeat Daesh/ISIS - first in Africa"
        in texts
    )
    assert any(m.value == "**متى**" for m in at.markdown)
    assert "11 مايو 2022" in [t.value for t in at.text]
    assert at.query_params.get("lang") == "ar"


def test_a_title_missing_in_arabic_is_marked_as_english():
    """Imported records may have no Arabic title; the English one is then labelled."""
    from dashboard.ui.views import title_text

    assert title_text("Synthetic meeting", "", "ar") == "Synthetic meeting (بالإنجليزية)"
    assert title_text("Synthetic meeting", "اجتماع تجريبي", "ar") == "اجتماع تجريبي"


def test_arabic_sentence_names_the_country_in_arabic():
    at = open_app({"country": ["SYR"], "lang": "ar", "from": "2022-01-01", "to": "2022-12-31"})
    no_exception(at)
    assert "في سوريا بين 1 يناير 2022 و31 ديسمبر 2022" in markdown_text(at)


def test_page_icon_is_a_file_the_app_serves_itself(monkeypatch):
    """An emoji or ":material/...:" icon makes the browser fetch it from another host."""
    configured = {}
    set_page_config = streamlit.set_page_config

    def recording(**options):
        configured.update(options)
        return set_page_config(**options)

    monkeypatch.setattr(streamlit, "set_page_config", recording)
    no_exception(open_app())
    icon = Path(configured["page_icon"])
    assert icon.is_file() and icon.read_bytes().startswith(b"\x89PNG"), icon


def test_typed_dates_apply_whole_and_a_year_or_month_reads_as_its_span():
    at = open_app({"country": ["SYR"]})
    at.text_input(key="f_from").set_value("2022").run()
    at.text_input(key="f_to").set_value("٢٠٢٢-٠٦").run()  # Arabic-Indic digits, a month
    no_exception(at)
    assert at.text_input(key="f_from").value == "2022-01-01"
    assert at.text_input(key="f_to").value == "2022-06-30"
    assert at.query_params.get("from") == "2022-01-01"
    assert at.query_params.get("to") == "2022-06-30"


def test_a_typed_non_date_is_said_and_not_applied():
    at = open_app({"from": ["2022-01-01"]})
    at.text_input(key="f_from").set_value("11 May").run()
    no_exception(at)
    assert at.text_input(key="f_from").value == "11 May"
    assert any("Not a date" in e.value for e in at.error)
    assert at.query_params.get("from") is None


def open_page(page: str, params: dict) -> AppTest:
    """A link straight to one page (not the overview first)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    return at


def test_the_table_order_and_page_go_into_the_link_and_come_back():
    at = open_page("pages/table.py", {"sort": ["title"], "desc": ["0"]})
    no_exception(at)
    assert at.selectbox(key="table_sort").value == "title"
    assert at.toggle(key="table_desc").value is False
    assert at.query_params.get("sort") == "title"
    at.toggle(key="table_desc").set_value(True).run()
    assert at.query_params.get("desc") is None
    at.selectbox(key="table_sort").set_value("country").run()
    assert at.query_params.get("sort") == "country"
    # A page past the end of the rows opens the last page (the data may have shrunk).
    at = open_page("pages/table.py", {"page": ["9"]})
    no_exception(at)
    assert at.number_input(key="table_page").value == 1


def test_the_timeline_unit_goes_into_the_link():
    at = open_page("pages/timeline.py", {"unit": ["week"]})
    no_exception(at)
    assert at.query_params.get("unit") == "week"
    assert at.segmented_control(key="timeline_freq").value == "week"
    at.segmented_control(key="timeline_freq").set_value("month").run()
    assert at.query_params.get("unit") is None


def test_a_date_preset_fills_both_boxes_and_the_link():
    at = open_app()
    at.selectbox(key="_date_preset").set_value(2022).run()
    no_exception(at)
    assert at.text_input(key="f_from").value == "2022-01-01"
    assert at.text_input(key="f_to").value == "2022-12-31"
    assert at.query_params.get("from") == "2022-01-01"
    assert at.query_params.get("to") == "2022-12-31"
    assert at.selectbox(key="_date_preset").value is None  # ready to be chosen again
