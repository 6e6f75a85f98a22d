"""Import: upload a file, see what would be stored and what is wrong, confirm, or remove a batch.

The screen only draws; reading, checking and writing are dashboard.importer's, and the
upload's temporary file is its business too (dashboard.ui.import_screen).
"""

import streamlit as st

from dashboard.strings import t
from dashboard.ui import import_screen, sidebar, urlsync

state, q = sidebar.page("import")
lang = state.lang
urlsync.link_notices(lang)
st.title(t("imp_title", lang))
st.write(t("imp_intro", lang))
import_screen.notices()
choice = import_screen.upload_form(lang)
if choice is not None:
    import_screen.preview_and_confirm(choice, lang)
import_screen.last_import(lang)
st.divider()
import_screen.batches(lang)
