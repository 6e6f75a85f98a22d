"""Playwright against a real `streamlit run`: what only a browser shows.

Playwright cannot download its own browser here (the network reaches package registries
only), so the tests drive Debian's /usr/bin/chromium, which `scripts/ensure_chromium.sh`
installs. Without it, or without the playwright package, every test in this folder is
skipped with the reason; set DASHBOARD_REQUIRE_BROWSER=1 (CI does) to make that an error
instead, so a broken install cannot pass as a green run.

Environment knobs:
  DASHBOARD_APP_PATH          run this script instead of <repo>/app.py (harness checks)
  DASHBOARD_REQUIRE_BROWSER   "1": fail instead of skip when the browser is unavailable
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = BROWSER_DIR / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")

# Without the background-networking flags Chromium keeps dialling Google hosts, which this
# sandbox refuses (noise, slow starts); --no-sandbox because tests run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

SERVER_START_TIMEOUT_S = 60.0
# Streamlit loads the script on the first browser session, which can take a while on a
# 2-core machine when geopandas and the store are cold.
APP_RUN_TIMEOUT_MS = 90_000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _browser_unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not importable: pip install -r requirements-dev.txt"
    return None


def _browser_required() -> bool:
    return os.environ.get("DASHBOARD_REQUIRE_BROWSER", "") not in ("", "0")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _browser_unavailable_reason()
    for item in items:
        if BROWSER_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not _browser_required():
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    # Keep each phase's report on the item so the page fixture can screenshot failures.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# ---------------------------------------------------------------------------------------
# The Streamlit server
# ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _app_path() -> Path:
    override = os.environ.get("DASHBOARD_APP_PATH")
    return Path(override).resolve() if override else REPO_ROOT / "app.py"


class StreamlitServer:
    """One `streamlit run` subprocess on a free loopback port, with its own store."""

    def __init__(self, app: Path, env: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.workdir = Path(tempfile.mkdtemp(prefix="dashboard-browser-"))
        self.store = self.workdir / "store.duckdb"
        self.log_path = self.workdir / "streamlit.log"
        self.extra_env = dict(env or {})
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def start(self) -> str:
        if not self.app.exists():
            pytest.fail(f"app script not found: {self.app} (set DASHBOARD_APP_PATH to override)")
        # A free port can be taken between our probe and Streamlit's bind: retry on that.
        for _attempt in range(3):
            self.port = _free_port()
            self._spawn()
            if self._wait_healthy():
                return self.url
            if "already in use" not in self.log():
                break
        log = self.log()
        code = self.process.poll() if self.process else None
        self.stop()
        what = (
            f"exited with code {code}"
            if code is not None
            else f"did not answer {self.url}/_stcore/health within {SERVER_START_TIMEOUT_S:.0f} s"
        )
        pytest.fail(
            f"streamlit ({self.app}) {what}\n--- streamlit output ---\n{log[-6000:]}",
            pytrace=False,
        )

    def _spawn(self) -> None:
        env = dict(os.environ)
        env.update(
            {
                # Tests never touch the user's store: each server gets its own file.
                "DASHBOARD_STORE": str(self.store),
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.app),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # Nothing edits the app during a test; the watcher only costs inotify handles.
            "--server.fileWatcherType",
            "none",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _wait_healthy(self) -> bool:
        assert self.process is not None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with opener.open(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200 and resp.read().strip() == b"ok":
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.25)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


StartStreamlit = Callable[..., StreamlitServer]


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[str]:
    """Base URL of the app served once for the whole session, with a throwaway store."""
    server = StreamlitServer(_app_path())
    server.start()
    try:
        yield server.url
    finally:
        server.cleanup()


@pytest.fixture()
def start_streamlit() -> Iterator[StartStreamlit]:
    """Factory for a server of this test's own: `start_streamlit(env={...}).url`.

    For tests that need different environment variables (another store, a language
    default, a broken data file). Each server is stopped when the test ends.
    """
    servers: list[StreamlitServer] = []

    def start(env: Mapping[str, str] | None = None, app: Path | None = None) -> StreamlitServer:
        server = StreamlitServer(app or _app_path(), env)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.cleanup()


# ---------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _browser_unavailable_reason()
    if reason:
        if _browser_required():
            pytest.fail(f"DASHBOARD_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _instrument(page, request: pytest.FixtureRequest) -> None:
    """Record what a user could see go wrong: console errors, uncaught JS errors, and
    every request that left the machine."""
    page.console_errors = []
    page.page_errors = []
    page.external_requests = []
    page.blocked_requests = []

    def on_console(msg) -> None:
        if msg.type == "error":
            page.console_errors.append(msg.text)

    def on_request(req) -> None:
        if not _is_local(req.url):
            page.external_requests.append(req.url)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.page_errors.append(str(exc)))
    page.on("request", on_request)
    page.set_default_timeout(30_000)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def _new_page(browser, request: pytest.FixtureRequest, offline: bool) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    if offline:

        def block_remote(route) -> None:
            if _is_local(route.request.url):
                route.continue_()
            else:
                page.blocked_requests.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", block_remote)
    page = context.new_page()
    _instrument(page, request)
    try:
        yield page
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            # A broken page must not turn the test's own failure into a teardown error.
            with contextlib.suppress(Exception):
                _save_screenshot(page, "FAILED-" + request.node.name)
        context.close()


@pytest.fixture()
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page (own context: no cookies or storage shared between tests).

    Attributes added for assertions: console_errors, page_errors (uncaught JS errors),
    external_requests (URLs not on this machine). A failing test leaves
    screenshots/FAILED-<test>.png behind.
    """
    yield from _new_page(browser, request, offline=False)


@pytest.fixture()
def offline_page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """Like `page`, but every request to a host other than this machine is aborted, as if
    the network were cut; the aborted URLs are in page.blocked_requests."""
    yield from _new_page(browser, request, offline=True)


# ---------------------------------------------------------------------------------------
# Helpers, handed out as fixtures so test files need no imports from here
# ---------------------------------------------------------------------------------------

_APP_CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
_APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
_RUNNING_ICON = '[data-testid="stStatusWidgetRunningIcon"]'


def wait_for_app(page, timeout_ms: int = APP_RUN_TIMEOUT_MS) -> None:
    """Block until Streamlit is connected and the script run has finished.

    Selectors checked against streamlit 1.67's frontend bundle: the stApp root carries
    data-test-connection-state (CONNECTED once the websocket is up) and
    data-test-script-state ("initial" before the first run, "running", then "notRunning");
    the status widget shows stStatusWidgetRunningIcon while a run is in progress.
    """
    page.wait_for_selector(_APP_CONNECTED, timeout=timeout_ms)
    # Twice, a moment apart: a first run that writes the link's canonical form into the
    # address bar can start a second run just after the first has ended.
    for _ in range(2):
        page.wait_for_selector(_APP_IDLE, timeout=timeout_ms)
        page.wait_for_selector(_RUNNING_ICON, state="detached", timeout=timeout_ms)
        page.wait_for_timeout(250)


def _save_screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture()
def screenshot() -> Callable[..., Path]:
    """`screenshot(page, name)` saves tests/browser/screenshots/<name>.png (full page)."""
    return _save_screenshot


@pytest.fixture(name="wait_for_app")
def wait_for_app_fixture() -> Callable[..., None]:
    """`wait_for_app(page)`: see the module-level function of the same name."""
    return wait_for_app


@pytest.fixture()
def open_app(streamlit_server: str) -> Callable[..., None]:
    """`open_app(page, "/map?country=SYR")`: navigate to a path of the session server and
    wait until the script run has finished."""

    def open_(page, path: str = "/", base_url: str | None = None) -> None:
        page.goto((base_url or streamlit_server) + path)
        wait_for_app(page)

    return open_
