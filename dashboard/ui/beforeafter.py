"""Before and after an event, on its page: the counts, the chart, the change said plainly.

The window, the types and the country counted are in the link (``window``,
``window_type``, ``window_country``), so ``/event?event=ID&window=90`` opens here.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard import beforeafter, geo
from dashboard.filters import ViewState
from dashboard.schema import EVENT_TYPES
from dashboard.strings import plotly_locale, t, type_label

from . import resources
from .urlsync import set_view


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    if math.isinf(value):
        return t("ba_unbounded", lang)
    return f"{value:.2f}"


def before_after(state: ViewState, event: dict) -> None:
    lang = state.lang
    st.subheader(t("ba_title", lang), anchor=False)
    window = state.window or beforeafter.DEFAULT_WINDOW
    types = state.window_types or beforeafter.DEFAULT_TYPES
    country = state.window_country or event["country"]
    c1, c2, c3 = st.columns([1, 2, 2])
    new_window = c1.number_input(
        t("ba_window", lang), min_value=1, max_value=beforeafter.MAX_WINDOW, value=int(window)
    )
    new_types = c2.multiselect(
        t("ba_types", lang),
        list(EVENT_TYPES),
        default=list(types),
        format_func=lambda x: type_label(x, lang),
    )
    codes = geo.countries()["iso3"].tolist()
    if country and country not in codes:
        codes = [country, *codes]
    new_country = c3.selectbox(
        t("ba_country", lang),
        codes,
        index=codes.index(country) if country else None,
        format_func=lambda c: f"{geo.country_name(c, lang)} ({c})",
        placeholder=t("choose", lang),
        key="ba_country",
    )
    chosen_types = tuple(x for x in EVENT_TYPES if x in new_types)
    if new_country is not None and (int(new_window), chosen_types or types, new_country) != (
        window,
        types,
        country,
    ):
        set_view(
            window=int(new_window),
            window_types=() if chosen_types == beforeafter.DEFAULT_TYPES else chosen_types,
            window_country=None if new_country == event["country"] else new_country,
        )
        st.rerun()
    if not country:  # a virtual meeting has no country of its own
        st.info(t("ba_no_country", lang))
        return
    result = resources.before_after(event["event_id"], int(window), tuple(types), country)
    if result is None:
        return
    st.markdown(
        "**"
        + t("ba_counts", lang, before=f"{result.before:,}", after=f"{result.after:,}", w=window)
        + "**"
    )
    if result.verdict == "none":
        st.text(t("ba_none", lang))
    else:
        st.text(
            t(
                f"ba_{result.verdict}",
                lang,
                r=_number(result.ratio, lang),
                lo=_number(result.low, lang),
                hi=_number(result.high, lang),
            )
        )
    if result.during:
        st.caption(t("ba_during", lang, n=f"{result.during:,}"))
    from dashboard.insight_charts import before_after_figure

    (first, _), (_, last) = beforeafter.windows(result.start, result.end, result.window)
    fig = before_after_figure(
        result.weekly,
        start=result.start,
        end=result.end,
        first=first,
        last=last,
        words={
            "week_of": t("ba_week_of", lang),
            "events": t("net_events", lang),
            "event": t("ba_event", lang),
        },
        event_type=result.types[0] if len(result.types) == 1 else "other",
    )
    st.plotly_chart(
        fig,
        width="stretch",
        key="before_after_chart",
        config={"displaylogo": False, **plotly_locale(lang)},
    )
    st.caption(t("ba_caveat", lang))
