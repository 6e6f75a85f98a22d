"""Words shown on screen, by language.

Pages never hold literal UI text: they ask :func:`t`, so the Arabic interface is a
table to fill, not a search through page code.
"""

from __future__ import annotations

EN = {
    "app_title": "Conflict diplomacy",
    "nav_overview": "Overview",
    "nav_map": "Map",
    "nav_timeline": "Timeline",
    "nav_table": "Table",
    "nav_event": "Event",
    "filters": "Filters",
    "countries": "Countries",
    "date_from": "From",
    "date_to": "To",
    "types": "Event types",
    "actors": "Actors",
    "actors_help": "Pick a name or type one: an event matches when one of its actors contains it.",
    "text": "Search text",
    "text_help": "Words in the title, summary, actors, place or quoted source; all must match.",
    "reset": "Clear filters",
    "share": "Link to this view",
    "share_help": "Copy this address and send it: it opens this page with these filters.",
    "notice_title": "Some parts of the link were not used",
    "oversized": (
        "This link was too long for the server (more than 1,000 parameters or 512 KB) and "
        "was ignored as a whole: the filters below are not the ones in the link."
    ),
    "no_events": "No events match the filters",
    "unverified": "Unverified",
    "unverified_help": "The source is a pre-event announcement or a secondary reproduction.",
    "by_type": "Events by type",
    "latest": "Latest events",
    "open_event": "Open",
    "type_meeting": "meeting",
    "type_statement": "statement",
    "type_attack": "attack",
    "type_resolution": "resolution",
    "type_agreement": "agreement",
    "type_other": "other",
    "col_date": "Date",
    "col_type": "Type",
    "col_title": "Title",
    "col_country": "Country",
    "col_location": "Place",
    "col_source": "Source",
    "col_fatalities": "Fatalities",
    "col_verification": "Verification",
    "col_event": "Event",
    "sort_by": "Sort by",
    "descending": "Newest first",
    "page": "Page",
    "rows_of": "Rows {a}–{b} of {n}",
    "export": "Export the filtered events",
    "export_csv": "CSV",
    "export_geojson": "GeoJSON",
    "export_parquet": "Parquet",
    "timeline_freq": "Count per",
    "freq_week": "week",
    "freq_month": "month",
    "map_tiles": "Web map tiles (needs internet)",
    "map_choropleth": "Events per country",
    "map_selected": "Selected event",
    "map_click_hint": "Click a point to open its event here.",
    "map_hidden": "{n} events have no coordinates (virtual meetings) and are not on the map.",
    "event_missing": "No event with id {id} in the store.",
    "event_pick": "Choose an event from the table, the map or the timeline.",
    "field_when": "When",
    "field_type": "Type",
    "field_where": "Where",
    "field_actors": "Actors",
    "field_fatalities": "Fatalities",
    "field_sources": "Sources",
    "field_evidence": "Evidence (quoted from the source)",
    "field_notes": "Notes",
    "field_related": "Related events",
    "field_coords": "Coordinates",
    "field_id": "Event id",
    "field_dataset": "Dataset",
    "no_link": "(no link)",
    "virtual": "virtual (no place)",
}

LANGS = {"en": EN}


def t(key: str, lang: str = "en", **values) -> str:
    table = LANGS.get(lang, EN)
    text = table.get(key, EN.get(key, key))
    return text.format(**values) if values else text


def type_label(event_type: str, lang: str = "en") -> str:
    return t(f"type_{event_type}", lang)


_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def date_text(event_date, end_date=None, precision: str = "day", lang: str = "en") -> str:
    """A date as the source gave it: "January 2022" for month precision, never "1 January"."""
    import pandas as pd

    months = _MONTHS.get(lang, _MONTHS["en"])
    start = pd.Timestamp(event_date)
    if precision == "year":
        return str(start.year)
    if precision == "month":
        text = f"{months[start.month - 1]} {start.year}"
    else:
        text = f"{start.day} {months[start.month - 1]} {start.year}"
    if end_date is not None and not pd.isna(end_date):
        end = pd.Timestamp(end_date)
        if end > start:
            text += f" – {end.day} {months[end.month - 1]} {end.year}"
    return text
