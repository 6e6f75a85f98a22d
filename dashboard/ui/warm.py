"""Libraries the pages import late, imported once per server in the background.

A page imports folium and plotly when it first draws a map or a chart
(about a second at a cold start on this project's 2-core machines). The first run spends
most of its time in DuckDB and Polars, which release the interpreter while they copy and
build the in-memory columns; importing the drawing libraries meanwhile, on a thread of
its own, takes that second off the first page. Only third-party modules are imported
here, and no Streamlit component: none of them imports ours, so the page's own imports
cannot wait on this thread's.
"""

from __future__ import annotations

import importlib
import logging
import threading

#: Imported in this order, each once.
MODULES = (
    "plotly.graph_objects",
    "plotly.subplots",
    "branca.element",
    "folium",
    "folium.plugins",
)
# Not streamlit-folium: a Streamlit component imported outside a script run was drawn
# as nothing on some pages (the map frame never appeared; tests/browser/test_arabic.py).

_STARTED = threading.Event()


def start() -> threading.Thread | None:
    """Start importing :data:`MODULES` (once per process); the thread, or None if it ran."""
    if _STARTED.is_set():
        return None
    _STARTED.set()
    thread = threading.Thread(target=_import_all, name="warm-imports", daemon=True)
    thread.start()
    return thread


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page importing it says what is wrong
            logging.getLogger(__name__).exception("could not import %s ahead of a page", name)
