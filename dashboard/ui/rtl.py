"""Right-to-left layout and Streamlit's own words in Arabic, for the Arabic interface.

Streamlit has no right-to-left mode and no language setting for the words it draws
itself; this module supplies both on Arabic pages and does nothing on English ones.
"""

from __future__ import annotations

import streamlit as st

from .resources import STATIC_DIR

#: Text blocks, widgets and the sidebar flip, while charts, maps and data grids keep
#: their own left-to-right geometry (their axes and canvases are not text).
RTL_CSS = """<style>
.stApp { font-family: "Noto Sans Arabic", "Noto Naskh Arabic", "Source Sans", sans-serif; }
[data-testid="stAppViewContainer"] { flex-direction: row-reverse; }
[data-testid="stSidebar"] { border-left: 1px solid rgba(49, 51, 63, 0.1); }
[data-testid="stSidebar"], [data-testid="stMain"] { direction: rtl; }
[data-testid="stMarkdownContainer"], [data-testid="stText"], [data-testid="stCaptionContainer"],
[data-testid="stWidgetLabel"], h1, h2, h3 { text-align: right; }
[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], iframe,
[data-testid="stCode"], [data-testid="stDateInputFieldsScroller"] { direction: ltr; }
/* A toggle's thumb slides by a fixed offset to the right: in a right-to-left track it
   slid out of sight. Its track keeps left-to-right geometry. */
[data-testid="stCheckbox"] label > div:not([data-testid]) { direction: ltr; }
/* The character counter sat over the end of right-to-left text: it goes under the box.
   Streamlit places it through an absolutely positioned wrapper, moved into the flow too. */
[data-testid="stTextInput"] div:has(> [data-testid="InputInstructions"]),
[data-testid="stTextArea"] div:has(> [data-testid="InputInstructions"]),
[data-testid="stTextInput"] [data-testid="InputInstructions"],
[data-testid="stTextArea"] [data-testid="InputInstructions"] {
  position: static; display: block; text-align: left; }
</style>"""


def page_direction(lang: str) -> None:
    """Flip the page to right-to-left for Arabic (drawn at the top of every page)."""
    if lang == "ar":
        st.html(RTL_CSS)


@st.cache_resource(show_spinner=False)
def _arabic_chrome_html() -> str:
    """The tag that loads the Arabic-chrome script (Streamlit's own widget words in Arabic).

    The script is fixed (see static_assets.chrome_script): it is served from static/ like
    the map's Leaflet; where static/ cannot be written it goes inline instead.
    """
    from dashboard.static_assets import chrome_script, write_chrome_script

    try:
        url = write_chrome_script(STATIC_DIR)
        return f'<script src="{url}" data-dashboard-chrome="ar"></script>'
    except OSError:
        script = chrome_script()
        return f'<script data-dashboard-chrome="ar">{script}</script>' if "</" not in script else ""


def arabic_chrome(lang: str) -> None:
    """Load the Arabic-chrome script (once per page; it keeps working across reruns)."""
    if lang != "ar":
        return
    html = _arabic_chrome_html()
    if html:
        st.html(html, unsafe_allow_javascript=True)
