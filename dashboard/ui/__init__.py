"""The one Streamlit package: everything that draws or caches lives here, one job a module.

- ``resources``: cached handles shared by sessions (the store, its in-memory copy, the
  query object, cached view results)
- ``urlsync``: the link and the widgets kept in step, share and event links
- ``sidebar``: what every page starts with (link read, sidebar drawn, link written) and
  the sentence describing the filters
- ``rtl``: right-to-left layout and Streamlit's own words in Arabic
- ``views``: charts, maps, the events table, exports, the selected event's card
- ``event_page``: one event in full
- ``curation``: the record form, editing and the Curate page
- ``import_screen``: the Import page

Pages import the module they need; nothing is re-exported here.
"""
