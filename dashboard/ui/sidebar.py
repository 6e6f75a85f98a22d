"""What every page starts with: the link read, the sidebar drawn, the link written.

The sidebar holds the language switch, the navigation (links that carry the filters)
and the filter widgets; the sentence under each page's title says what they select.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import geo, store, urlstate
from dashboard.filters import MAX_DEATHS, MAX_VALUES, ViewState
from dashboard.query import EventQuery
from dashboard.schema import EVENT_TYPES
from dashboard.strings import LANG_NAMES, sentence_strings, sub_type_label, t, type_label
from dashboard.text import md_escape

from . import resources, rtl, share, urlsync
from .keys import KEYS, PAGE_NAMES


def page(name: str) -> tuple[ViewState, EventQuery]:
    """What every page starts with: the sidebar drawn, the link read and written."""
    state = sidebar(name)
    resources.store_notices()
    return state, resources.query()


def _set_lang() -> None:
    urlsync.set_lang(st.session_state.get("_lang_choice") or "en")


def sidebar(page: str) -> ViewState:
    """Read the link, draw navigation and filters, write the link; returns the view state."""
    ss = st.session_state
    lang, url_qs = urlsync.read_link(page)
    ss["_lang_choice"] = lang
    rtl.page_direction(lang)

    with st.sidebar:
        st.markdown(f"### {t('app_title', lang)}")
        st.segmented_control(
            t("language", lang),
            list(LANG_NAMES),
            key="_lang_choice",
            format_func=LANG_NAMES.get,
            on_change=_set_lang,
            label_visibility="collapsed",
        )
        nav_state = urlstate.filters_only(urlsync.current_state(page))
        for name in PAGE_NAMES:
            st.page_link(
                f"pages/{name}.py",
                label=t(f"nav_{name}", lang),
                query_params=urlstate.encode(nav_state),
            )
        st.divider()
        st.markdown(f"**{t('filters', lang)}**")
        codes = geo.countries()["iso3"].tolist()
        # "contains", not Streamlit's fuzzy default: "Iraq" is then Iraq, not also Saint
        # Pierre and Miquelon (i-r-a-q in order), and Enter picks it rather than "Select 2
        # matches". The cap is the filter's own, so every choice survives its link.
        picker = dict(filter_mode="contains", select_all=False, max_selections=MAX_VALUES)
        st.multiselect(
            t("countries", lang),
            codes,
            key=KEYS["countries"],
            format_func=lambda c: f"{geo.country_name(c, lang)} ({c})",
            placeholder=t("choose", lang),
            **picker,
        )
        _date_boxes(lang)
        st.multiselect(
            t("types", lang),
            list(EVENT_TYPES),
            key=KEYS["types"],
            format_func=lambda x: type_label(x, lang),
            placeholder=t("choose", lang),
            **picker,
        )
        names = resources.actor_names()
        chosen = ss.get(KEYS["actors"]) or []
        st.multiselect(
            t("actors", lang),
            list(dict.fromkeys([*chosen, *names])),
            key=KEYS["actors"],
            accept_new_options=True,
            placeholder=t("choose_or_add", lang),
            help=t("actors_help", lang),
            **picker,
        )
        _facet_boxes(lang, picker)
        st.text_input(t("text", lang), key=KEYS["text"], help=t("text_help", lang), max_chars=200)
        if ss.get(KEYS["batch"]):
            st.caption(t("batch_only", lang, b=ss[KEYS["batch"]]))
            st.button(t("batch_clear", lang), on_click=urlsync.clear_batch)
        st.button(t("reset", lang), on_click=urlsync.clear_filters)
        rtl.arabic_chrome(lang)

    return urlsync.write_link(page, url_qs)


def _date_boxes(lang: str) -> None:
    """Two text boxes, applied on Enter or Tab like the search box, wide enough for a
    whole date. (Streamlit's date field applies a typed date only when focus leaves the
    whole field, so it could show a date the filter ignored.)"""
    col1, col2 = st.columns(2)
    for col, field in ((col1, "date_from"), (col2, "date_to")):
        col.text_input(
            t(field, lang),
            key=KEYS[field],
            placeholder=t("date_placeholder", lang),
            help=t("date_help", lang),
            max_chars=10,
            on_change=urlsync.normalise_date_box,
            args=(field,),
        )
        bad = urlsync.date_box_error(field)
        if bad is not None:
            col.error(t("date_bad", lang), icon=":material/error:")
    this_year = date.today().year
    presets = ["last30", "thisyear", *range(this_year, 1989, -1)]
    st.selectbox(
        t("date_preset", lang),
        presets,
        index=None,
        key=urlsync.PRESET_KEY,
        format_func=lambda p: t(f"preset_{p}", lang) if isinstance(p, str) else str(p),
        placeholder=t("date_preset_prompt", lang),
        on_change=urlsync.apply_date_preset,
        label_visibility="collapsed",
    )


def _facet_boxes(lang: str, picker: dict) -> None:
    """Places or provinces and sub-types (pick from the store's, or type one; several are
    alternatives), and the range of deaths."""
    ss = st.session_state
    for field, names, label in (
        ("places", resources.place_names(), lambda x: x),
        ("sub_types", resources.sub_type_names(), lambda x: sub_type_label(x, lang)),
    ):
        chosen = ss.get(KEYS[field]) or []
        st.multiselect(
            t(field, lang),
            list(dict.fromkeys([*chosen, *names])),
            key=KEYS[field],
            format_func=label,
            accept_new_options=True,
            placeholder=t("choose_or_add", lang),
            help=t(f"{field}_help", lang),
            **picker,
        )
    col1, col2 = st.columns(2)
    for col, field, words in (
        (col1, "fatalities_min", "deaths_min"),
        (col2, "fatalities_max", "deaths_max"),
    ):
        col.number_input(
            t(words, lang),
            min_value=0,
            max_value=MAX_DEATHS,
            step=1,
            value=None,
            key=KEYS[field],
            help=t("deaths_help", lang),
        )


def header(state: ViewState, q: EventQuery, count: int | None = None) -> int:
    """Notices about the link and the plain-language sentence of what is shown."""
    lang = state.lang
    urlsync.link_notices(lang)
    share.pinned(state)
    if count is None:
        try:
            count = resources.count(state.filters)
        except store.StoreChanged:
            # An import or an edit landed during this run: the next run reads the new
            # version (the text of this page is matched first, here, on every page).
            st.rerun()
    # The sentence quotes the link's text and actor names: inert, as all data text is.
    st.markdown(md_escape(describe(state, count)))
    return count


def describe(state: ViewState, count: int) -> str:
    lang = state.lang
    return state.filters.describe(
        count,
        country_name=lambda c: geo.country_name(c, lang),
        type_name=lambda x: type_label(x, lang),
        strings=sentence_strings(lang),
        sub_type_name=lambda x: sub_type_label(x, lang),
    )
