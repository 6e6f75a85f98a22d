"""`make run` on a fresh checkout: the terminal shows where to open the app and nothing
that reads like a fault (no missing static folder, no failed lookup of a public address),
and the first page still draws with its map files served from static/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ALARMS = ("warning", "error", "traceback", "did not auto detect", "static folder")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_checkout(into: Path) -> Path:
    """The repository's tracked files only: no static/ files written by an earlier run."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = REPO_ROOT / name.decode()
        if source.is_file():
            target = into / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def test_first_start_prints_no_alarming_warning(tmp_path, page, wait_for_app):
    checkout = _fresh_checkout(tmp_path / "checkout")
    assert sorted(p.name for p in (checkout / "static").iterdir()) == ["README.md"]
    port = _free_port()
    log_path = tmp_path / "run.log"
    env = {**os.environ, "DASHBOARD_STORE": str(tmp_path / "store.duckdb"), "PYTHONUNBUFFERED": "1"}
    # As `make run` starts it on a machine with no display: headless, no address given.
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    cmd += ["--server.port", str(port)]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            cmd, cwd=checkout, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        page.goto(f"http://127.0.0.1:{port}/map")
        wait_for_app(page)
        page.wait_for_selector('iframe[data-testid="stCustomComponentV1"]', timeout=60_000)
        assert (checkout / "static" / "leaflet").is_dir()  # written on the first run
    finally:
        server.terminate()
        server.wait(timeout=15)
    out = log_path.read_text(errors="replace")
    assert f"URL: http://localhost:{port}" in out, out
    lines = [line for line in out.splitlines() if any(a in line.lower() for a in ALARMS)]
    assert not lines, out
