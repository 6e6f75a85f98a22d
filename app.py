"""Entry point: `streamlit run app.py`. Declares the pages; each page draws the shared sidebar.

Only the pages listed here exist (st.navigation with explicit st.Page entries); the
files under pages/ are not discovered on their own.
"""

from pathlib import Path

import streamlit as st

# A file of our own, served by this server: an emoji or a Material icon as the page icon
# makes the browser fetch the icon from a third-party host.
ICON = Path(__file__).with_name("dashboard") / "ui" / "page_icon.png"
st.set_page_config(page_title="Conflict diplomacy", page_icon=str(ICON), layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", default=True),
    st.Page("pages/map.py", title="Map", url_path="map"),
    st.Page("pages/timeline.py", title="Timeline", url_path="timeline"),
    st.Page("pages/table.py", title="Table", url_path="table"),
    st.Page("pages/event.py", title="Event", url_path="event"),
    st.Page("pages/actors.py", title="Actors", url_path="actors"),
    st.Page("pages/curate.py", title="Curate", url_path="curate"),
    st.Page("pages/import.py", title="Import", url_path="import"),
    st.Page("pages/views.py", title="Saved views", url_path="views"),
]

st.navigation(PAGES, position="hidden").run()
