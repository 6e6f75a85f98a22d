"""The Event page: every field of one event, its sources, its place and the linked events.

Compact: the fields in two columns beside a small map, Previous and Next through the
filtered list (in the table's order when the link has one) above them, and each linked
event named with the kind of its link (dashboard.relations).
"""

from __future__ import annotations

import streamlit as st

from dashboard.filters import ViewState
from dashboard.query import EventQuery
from dashboard.relations import relation
from dashboard.strings import sub_type_label, t, type_label
from dashboard.text import isolate, md_escape
from dashboard.titles import arabic_title_basis

from . import resources
from .beforeafter import before_after
from .curation import edit_panel
from .urlsync import event_params, link_notices
from .views import event_date_text, one_event_map, place_text, title_text


def _plain(text, *, ltr: bool = False) -> str:
    return str(text or "")


def event_detail(state: ViewState, q: EventQuery) -> None:
    lang = state.lang
    # In Arabic, every piece of data text is isolated from the Arabic around it.
    bidi = isolate if lang == "ar" else _plain
    link_notices(lang)
    if not state.event:
        st.title(t("nav_event", lang))
        st.info(t("event_pick", lang))
        return
    event = q.event(state.event)
    if event is None:
        st.title(t("nav_event", lang))
        st.error(t("event_missing", lang, id=md_escape(state.event)))
        return
    _prev_next(state)
    st.title(md_escape(title_text(event["title"], event["title_ar"], lang)), anchor=False)
    if event["title"] and event["title_ar"]:
        st.text(event["title_ar"] if lang != "ar" else event["title"])
    basis = arabic_title_basis(event.get("notes")) if event["title_ar"] else None
    if basis is not None:
        st.caption(
            t("ev_title_translated" if basis[0] == "translation" else "ev_title_headline", lang)
        )
    if event["verification"] == "unverified":
        st.warning(f"{t('unverified', lang)}: {t('unverified_help', lang)}", icon=":material/help:")
    left, right = st.columns([3, 2])
    with left:
        _fields(event, lang, bidi)
        if event["actors"]:
            st.markdown(f"**{t('field_actors', lang)}**")
            st.text(" · ".join(bidi(a) for a in event["actors"]))
        if event["evidence"]:
            st.markdown(f"**{t('field_evidence', lang)}**")
            st.text(f"“{bidi(event['evidence'])}”")
        notes = _notes_without_title_mark(event.get("notes"), basis)
        if notes:
            st.markdown(f"**{t('field_notes', lang)}**")
            st.text(bidi(notes))
        st.markdown(f"**{t('field_sources', lang)}**")
        for source in event["sources"]:
            _source_line(source, lang)
        edit_panel(state, event["event_id"])
    with right:
        related = _related(q, event)
        _minimap(q, event, related, lang)
        if not related.empty:
            st.markdown(f"**{t('field_related', lang)}**")
            for _, rel in related.iterrows():
                _related_chip(state, event, rel, bidi)
    st.divider()
    before_after(state, event)


#: The fields, in reading order, filled into two columns (left column first).
_FIELD_KEYS = (
    "field_when",
    "field_type",
    "field_where",
    "field_coords",
    "field_fatalities",
    "field_origin_type",
    "field_dataset",
    "field_id",
)


def _fields(event: dict, lang: str, bidi) -> None:
    values = {
        "field_when": event_date_text(event, lang),
        "field_type": type_label(event["event_type"], lang)
        + (f" · {sub_type_label(event['sub_type'], lang)}" if event["sub_type"] else ""),
        "field_origin_type": bidi(event.get("origin_type")),
        "field_where": place_text(event, lang),
        "field_coords": bidi(_coords(event), ltr=True),
        "field_fatalities": bidi(_fatalities(event)),
        "field_id": bidi(event["event_id"], ltr=True),
        "field_dataset": bidi(event["dataset"]),
    }
    shown = [(key, values[key]) for key in _FIELD_KEYS if values[key]]
    half = -(-len(shown) // 2)
    for column, part in zip(st.columns(2), (shown[:half], shown[half:]), strict=True):
        with column:
            for key, value in part:
                st.markdown(f"**{t(key, lang)}**")
                st.text(value)


def _notes_without_title_mark(notes: str | None, basis) -> str:
    """The notes without their last sentence when it only says how the Arabic title was
    made: the page says that under the title, in the reader's language."""
    notes = notes or ""
    if basis is None:
        return notes
    return notes.rsplit(" | ", 1)[0] if " | " in notes else ""


def _prev_next(state: ViewState) -> None:
    """Previous and Next in the filtered list (the table's order), and where this one is."""
    lang = state.lang
    place = resources.place_of(state.event, state.filters, state.sort, state.desc)
    back, where, ahead = st.columns([1, 3, 1], vertical_alignment="center")
    if place.index is None:
        where.caption(t("ev_outside", lang))
        return
    if place.previous:
        back.page_link(
            "pages/event.py",
            label=t("ev_prev", lang),
            query_params=event_params(place.previous, state),
        )
    where.caption(t("ev_position", lang, i=f"{place.index + 1:,}", n=f"{place.total:,}"))
    if place.next:
        ahead.page_link(
            "pages/event.py",
            label=t("ev_next", lang),
            query_params=event_params(place.next, state),
        )


def _related(q: EventQuery, event: dict):
    """The events this one lists and those that list it (links are kept both ways)."""
    ids = list(
        dict.fromkeys([*event["related"], *q.referencing(event["event_id"])["event_id"].tolist()])
    )
    ids = [x for x in ids if x != event["event_id"]]
    return q.events_by_id(ids) if ids else q.events_by_id([])


def _related_chip(state: ViewState, event: dict, rel, bidi) -> None:
    lang = state.lang
    kind = t(f"rel_{relation(event, rel)}", lang)
    title = md_escape(title_text(rel["title"], rel["title_ar"], lang))
    label = (
        f"**{kind}** · {md_escape(event_date_text(rel, lang))}"
        f" · {md_escape(type_label(rel['event_type'], lang))} · {bidi(title)}"
    )
    st.page_link("pages/event.py", label=label, query_params=event_params(rel["event_id"], state))


def _minimap(q: EventQuery, event: dict, related, lang: str) -> None:
    """The event on a small map, with its related events that have a place around it."""
    import pandas as pd

    one = q.events_by_id([event["event_id"]])
    if not one["latitude"].notna().any():
        return
    context = related[related["latitude"].notna()] if not related.empty else related
    frame = pd.concat([one, context], ignore_index=True) if len(context) else one
    one_event_map(frame, lang, key="event_map", selected_id=event["event_id"])
    if len(context):
        st.caption(t("ev_map_context", lang))


def _source_line(source: dict, lang: str) -> None:
    from dashboard.maps.escape import safe_url

    url = safe_url(source.get("url"))
    publisher = source.get("publisher") or url or ""
    if url:
        st.link_button(f"{md_escape(publisher[:90])} ↗", url, type="tertiary")
    else:
        st.text(f"{publisher} {t('no_link', lang)}")


def _coords(event: dict) -> str:
    lat, lon = event.get("latitude"), event.get("longitude")
    if lat is None or lon is None or lat != lat:
        return ""
    basis = f" ({event['coord_basis']})" if event.get("coord_basis") else ""
    return f"{lat:.4f}, {lon:.4f}{basis}"


def _fatalities(event: dict) -> str:
    number = event.get("fatalities")
    text = event.get("fatalities_text") or ""
    if number is not None and number == number:
        return f"{int(number)}" + (f" ({text})" if text and text != str(int(number)) else "")
    return text
