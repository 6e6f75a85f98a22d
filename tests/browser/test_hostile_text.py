"""Event text written by strangers is shown as text and runs nothing, in every view.

Records carry script tags, event-handler attributes, javascript: and data: links,
template syntax (``${...}``, backticks, ``{{ }}``) and RTL override characters. Each
payload would set ``window.__pwned`` or open a dialog if it ran.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from dashboard import store

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "<svg onload=window.__pwned=3>",
    "${window.__pwned=4}",
    "`;window.__pwned=5;`",
    "{{constructor.constructor('window.__pwned=6')()}}",
    "\u202egnp.exe",
    '"><iframe src=javascript:window.__pwned=7>',
]


def hostile_records():
    records = []
    for i, payload in enumerate(PAYLOADS):
        records.append(
            {
                "event_id": f"hostile-{i}",
                "event_date": f"2023-0{1 + i % 9}-1{i}",
                "event_type": ["meeting", "attack", "statement"][i % 3],
                "title": f"Hostile {i} {payload}",
                "title_ar": f"عدائي {payload}",
                "summary": payload,
                "actors": [payload, "ISIS"],
                "country": "SYR",
                "location": payload,
                "latitude": 35.0 + i * 0.3,
                "longitude": 38.0 + i * 0.3,
                "evidence": payload,
                "notes": payload,
                "sources": [
                    {"publisher": payload, "url": "javascript:window.__pwned=9"},
                    {
                        "publisher": "data",
                        "url": "data:text/html,<script>window.__pwned=10</script>",
                    },
                ],
            }
        )
    return records


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("hostile") / "events.duckdb"
    store.ensure_store(path)
    assert store.insert_records(path, hostile_records()) == []
    return path


def pwned_values(page, attempts: int = 5) -> list:
    """`window.__pwned` of every frame that had it set. A rerun can replace the map
    iframe while the frames are being read; its successor is then read on the next
    pass, so no frame present at the end goes unchecked."""
    for _ in range(attempts):
        try:
            return [
                (f.url, v) for f in page.frames if (v := f.evaluate("window.__pwned")) is not None
            ]
        except PlaywrightError as exc:
            if "detached" not in str(exc):
                raise
            page.wait_for_timeout(500)
    raise AssertionError("frames kept detaching while being checked")


def watch(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


@pytest.mark.parametrize(
    "path",
    [
        "/table?country=SYR&from=2023-01-01",
        "/map?country=SYR&from=2023-01-01",
        "/timeline?country=SYR&from=2023-01-01",
        "/?country=SYR&from=2023-01-01",
        "/event?event=hostile-0",
        "/event?event=hostile-3",
        "/event?event=hostile-0&lang=ar",
    ],
)
def test_payloads_render_as_text_and_run_nothing(
    path, hostile_server, start_streamlit, page, wait_for_app, screenshot
):
    server = start_streamlit(env={"DASHBOARD_STORE": str(hostile_server)})
    dialogs = watch(page)
    page.goto(server.url + path)
    wait_for_app(page)
    page.wait_for_timeout(1500)  # let the map iframe and charts finish drawing
    if path.startswith("/map"):
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        marker = frame.locator("path.event-marker").first
        expect(marker).to_be_attached(timeout=30_000)
        marker.hover(force=True)
        marker.click(force=True)
        # the click selects the event: the app reruns and redraws the map iframe
        page.wait_for_url(re.compile(r"event="), timeout=30_000)
        wait_for_app(page)
        page.wait_for_timeout(1000)
    screenshot(page, "hostile" + re.sub(r"[^a-z0-9]+", "-", path))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert dialogs == []
    assert pwned_values(page) == []
    assert page.page_errors == [], page.page_errors
    if path.startswith("/event"):
        # shown literally, as characters
        expect(
            page.get_by_text(
                PAYLOADS[int(path[-1]) if path[-1].isdigit() else 0], exact=False
            ).first
        ).to_be_visible()
        hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]


TRACKER = "tracker.invalid"
MARKDOWN_PAYLOADS = [
    f"![p](http://{TRACKER}/pixel.png)",
    f"see http://{TRACKER}/a and www.{TRACKER} or mail@{TRACKER}",
    f"[click](http://{TRACKER}/b) <http://{TRACKER}/c>",
]


@pytest.fixture(scope="module")
def markdown_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("markdown") / "events.duckdb"
    store.ensure_store(path)
    records = []
    for i, payload in enumerate(MARKDOWN_PAYLOADS):
        records.append(
            {
                "event_id": f"md-{i}",
                "event_date": f"2023-02-1{i}",
                "event_type": "statement",
                "title": payload,
                "country": "SYR",
                "location": payload,
                "actors": [payload],
                "sources": [{"publisher": payload, "url": f"https://example.org/{i}"}],
            }
        )
    assert store.insert_records(path, records) == []
    return path


@pytest.mark.parametrize(
    "path",
    [
        "/event?event=md-0",
        "/event?event=md-1",
        "/event?event=md-2&lang=ar",
        f"/event?event=www.{TRACKER}",  # a missing event's id is quoted in the notice
        f"/?q=http://{TRACKER}/q&actor=www.{TRACKER}",  # quoted in the page's sentence
        "/table?from=2023-02-01",
    ],
)
def test_markdown_in_data_is_shown_as_text_and_fetches_nothing(
    path, markdown_server, start_streamlit, page, wait_for_app, screenshot
):
    """A title of ``![p](http://host/x.png)`` made every viewer's browser fetch that URL
    (a tracking pixel); publishers, notices and the filter sentence turned URLs into
    links. Data is text: no request for a URL found in data, no link to it."""
    server = start_streamlit(env={"DASHBOARD_STORE": str(markdown_server)})
    page.goto(server.url + path)
    wait_for_app(page)
    page.wait_for_timeout(1500)
    screenshot(page, "markdown" + re.sub(r"[^a-z0-9]+", "-", path.split("?")[1][:40]))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not [u for u in page.external_requests if TRACKER in u]
    srcs = page.locator("img[src]").evaluate_all("els => els.map(e => e.src)")
    assert not [s for s in srcs if TRACKER in (urlsplit(s).hostname or "")]
    hrefs = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
    # The page's own address may quote the link's values; no link may lead to the host.
    assert not [h for h in hrefs if TRACKER in (urlsplit(h).hostname or "")]
    if path.startswith("/event?event=md-0"):
        expect(page.get_by_text(f"![p](http://{TRACKER}", exact=False).first).to_be_visible()
