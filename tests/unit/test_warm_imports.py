"""The drawing libraries are imported once per process, in the background."""

from __future__ import annotations

import subprocess
import sys

from dashboard.store import REPO

CHECK = """
import sys
from dashboard.ui import warm
assert "folium" not in sys.modules
thread = warm.start()
assert warm.start() is None  # once per process
thread.join(60)
missing = [m for m in warm.MODULES if m not in sys.modules]
print("missing", missing)
"""


def test_the_drawing_libraries_are_imported_once_in_the_background():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "missing []"
    assert "could not import" not in done.stderr
