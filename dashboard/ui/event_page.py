"""The Event page: every field of one event, its sources, its place and the linked events."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import ViewState
from dashboard.query import EventQuery
from dashboard.strings import sub_type_label, t, type_label
from dashboard.text import isolate, md_escape

from . import resources
from .beforeafter import before_after
from .curation import edit_panel
from .urlsync import event_params, link_notices
from .views import event_date_text, one_event_map, place_text, title_text


def _as_was(state: ViewState, event_id: str) -> bool:
    """Say so when a pinned link shows this event as it was, not as it is; True then."""
    v = state.filters.as_of
    if v is None:
        return False
    patch = resources.as_of_patch(v)
    if event_id in patch.deleted:
        st.warning(t("event_as_was_deleted", state.lang, v=v), icon=":material/history:")
        return True
    if event_id in patch.edited:
        st.info(t("event_as_was_edited", state.lang, v=v), icon=":material/history:")
        return True
    return False


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
    q = q.at(state.filters.as_of)  # a pinned link: the event as it was then
    event = q.event(state.event)
    if event is None:
        st.title(t("nav_event", lang))
        st.error(t("event_missing", lang, id=md_escape(state.event)))
        return
    st.title(md_escape(title_text(event["title"], event["title_ar"], lang)), anchor=False)
    if event["title"] and event["title_ar"]:
        st.text(event["title_ar"] if lang != "ar" else event["title"])
    as_was = _as_was(state, event["event_id"])
    if event["verification"] == "unverified":
        st.warning(f"{t('unverified', lang)}: {t('unverified_help', lang)}", icon=":material/help:")
    left, right = st.columns([3, 2])
    with left:
        rows = [
            ("field_when", event_date_text(event, lang)),
            (
                "field_type",
                type_label(event["event_type"], lang)
                + (f" · {sub_type_label(event['sub_type'], lang)}" if event["sub_type"] else ""),
            ),
            ("field_origin_type", bidi(event.get("origin_type"))),
            ("field_where", place_text(event, lang)),
            ("field_coords", bidi(_coords(event), ltr=True)),
            ("field_fatalities", bidi(_fatalities(event))),
            ("field_id", bidi(event["event_id"], ltr=True)),
            ("field_dataset", bidi(event["dataset"])),
        ]
        for key, value in rows:
            if value:
                st.markdown(f"**{t(key, lang)}**")
                st.text(value)
        if event["actors"]:
            st.markdown(f"**{t('field_actors', lang)}**")
            for actor in event["actors"]:
                st.text(f"• {bidi(actor)}")
        if event["evidence"]:
            st.markdown(f"**{t('field_evidence', lang)}**")
            st.text(f"“{bidi(event['evidence'])}”")
        if event["notes"]:
            st.markdown(f"**{t('field_notes', lang)}**")
            st.text(bidi(event["notes"]))
        st.markdown(f"**{t('field_sources', lang)}**")
        for source in event["sources"]:
            _source_line(source, lang)
        if not as_was:  # an earlier version is read, not edited
            edit_panel(state, event["event_id"])
    with right:
        one = q.events_by_id([event["event_id"]])
        if one["latitude"].notna().any():
            one_event_map(one, lang, key="event_map")
        related_ids = list(
            dict.fromkeys(
                [*event["related"], *q.referencing(event["event_id"])["event_id"].tolist()]
            )
        )
        if related_ids:
            st.markdown(f"**{t('field_related', lang)}**")
            for _, rel in q.events_by_id(related_ids).iterrows():
                title = md_escape(title_text(rel["title"], rel["title_ar"], lang))
                label = (
                    f"{md_escape(event_date_text(rel, lang))}"
                    f" · {md_escape(type_label(rel['event_type'], lang))} · {bidi(title)}"
                )
                st.page_link(
                    "pages/event.py",
                    label=label,
                    query_params=event_params(rel["event_id"], state),
                )
    st.divider()
    before_after(state, event)


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
