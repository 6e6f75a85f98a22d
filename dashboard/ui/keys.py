"""Names the Streamlit modules share: the pages, and the session keys of the filter widgets.

Kept apart so that the URL sync, the sidebar and the share panel can all read them
without importing one another.
"""

#: The pages in navigation order; names match the files under pages/ and the url paths.
PAGE_NAMES = (
    "overview",
    "map",
    "timeline",
    "table",
    "event",
    "actors",
    "curate",
    "import",
    "views",
)
#: Filter field -> session-state key of its widget.
KEYS = {
    "countries": "f_country",
    "date_from": "f_from",
    "date_to": "f_to",
    "types": "f_type",
    "actors": "f_actor",
    "text": "f_q",
    "batch": "f_batch",  # no widget: set by a link, cleared by a button
    "as_of": "f_v",  # no widget: the data version a link was made on (ui/share.py)
    "places": "f_place",
    "sub_types": "f_subtype",
    "fatalities_min": "f_deaths_min",
    "fatalities_max": "f_deaths_max",
}
