"""The brief: every event cited, data text inert, capped with the rest counted."""

from __future__ import annotations

import re

import pytest

from dashboard import brief, geo, store
from dashboard.engines.sql import SqlEngine
from dashboard.filters import Filters, ViewState
from dashboard.query import EventQuery

HOSTILE = '<img src=x onerror="alert(1)">![x](http://host/x.png)'


@pytest.fixture(scope="module")
def q():
    records = store.read_shipped()
    bad = dict(records[0], event_id="hostile-1", title=HOSTILE, evidence="</q><script>x()</script>")
    bad["sources"] = [{"publisher": "<b>P</b>", "url": "javascript:alert(1)", "language": "en"}]
    return EventQuery(SqlEngine(store.memory_from_records([*records, bad])))


def make(q, **filters):
    state = ViewState(filters=Filters(**filters))
    return brief.build(
        q, state, version=7, link="http://host/?view=Abc", country_name=geo.country_name
    )


def test_every_listed_event_has_numbered_citations_with_publisher_url_language(q):
    made = make(q, countries=("SYR",))
    rows = q.rows(Filters(countries=("SYR",)), limit=None)
    sources = sum(len(s) for s in rows["sources"])
    assert made.html.count('class="citation"') == sources > 0
    assert [int(n) for n in re.findall(r'<li id="c(\d+)"', made.html)] == list(
        range(1, sources + 1)
    )
    assert "Justice for Kurds (Rudaw)" in made.html and "version 7" in made.html
    assert 'href="http://host/?view=Abc"' in made.html
    assert "<script" not in made.html and "http" not in brief.CSP


def test_data_text_is_escaped_and_only_web_addresses_become_links(q):
    made = make(q, text="onerror")
    page = made.html
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;/q&gt;&lt;script&gt;" in page and "&lt;b&gt;P&lt;/b&gt;" in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page


def test_a_long_list_is_capped_and_the_rest_counted(q):
    state = ViewState()
    made = brief.build(q, state, version=1, link="x", cap=10)
    total = q.count(Filters())
    assert made.html.count("<tr><td>") == 10
    assert f"and {total - 10:,} more events not listed here" in made.html


def test_an_arabic_brief_is_right_to_left_in_arabic(q):
    made = brief.build(
        q,
        ViewState(filters=Filters(countries=("IRQ",)), lang="ar"),
        version=3,
        link="x",
        country_name=geo.country_name,
    )
    assert '<html lang="ar" dir="rtl">' in made.html and "في العراق" in made.html
    assert "إصدار البيانات 3" in made.html
