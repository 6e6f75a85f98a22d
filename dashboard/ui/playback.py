"""Map playback: a play control that steps through the filtered period, the step in the link.

The controls and the map live in one fragment: while playing, only the fragment reruns
(every :data:`TICK` seconds), each run moving one step and writing ``step=`` to the
address bar. The map is the page's own map (same engine, cells when many, Leaflet served
locally), asked for the step's dates: nothing is fetched from elsewhere.
"""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from dashboard import playback
from dashboard.filters import ViewState
from dashboard.query import EventQuery
from dashboard.strings import date_text, t
from dashboard.urlstate import parse_step

from . import resources, urlsync, views

#: Seconds between steps while playing.
TICK = 1.5
_STEP = "pb_step"
_SEEN = "_pb_seen"
_PLAY = "pb_playing"
_LAST = "_pb_last_tick"


def playback_on(state: ViewState, lang: str) -> bool:
    """The switch: on when the link holds a step; turning it off drops the step."""
    on = st.toggle(t("pb_toggle", lang), value=state.step is not None)
    if not on and state.step is not None:
        urlsync.set_view(step=None)
        st.rerun()
    return on


def step_text(step: str, lang: str) -> str:
    """ "January 2022" or "week of 17 January 2022", in the UI language."""
    unit, day = parse_step(step)
    if unit == "month":
        return date_text(day, None, "month", lang)
    return t("pb_week", lang, day=date_text(day, None, "day", lang))


def _move(step_list: list[str], by: int) -> None:
    current = st.session_state.get(_STEP)
    i = step_list.index(current) if current in step_list else 0
    st.session_state[_STEP] = step_list[max(0, min(len(step_list) - 1, i + by))]


def play_map(state: ViewState, q: EventQuery, *, tiles: bool, height: int) -> None:
    lang = state.lang
    unit = st.segmented_control(
        t("pb_unit", lang),
        ["month", "week"],
        default=playback.unit_of(state.step),
        format_func=lambda u: t(f"freq_{u}", lang),
        key="pb_unit",
    ) or playback.unit_of(state.step)
    counts = resources.period_counts(state.filters, unit)
    period = playback.period_of(state.filters, counts)
    if period is None:
        st.info(t("pb_none", lang))
        return
    step_list, capped = playback.steps(*period, unit)
    if capped:
        st.caption(t("pb_capped", lang, n=len(step_list)))
    ss = st.session_state
    wanted = state.step if state.step in step_list else step_list[0]
    if ss.get(_SEEN) != wanted or ss.get(_STEP) not in step_list:
        ss[_STEP] = wanted  # a link, a new unit or new filters: the link's step wins
        ss[_SEEN] = wanted
    playing = bool(ss.get(_PLAY))

    @st.fragment(run_every=TICK if playing else None)
    def stepper() -> None:
        if ss.get(_PLAY) and time.monotonic() - ss.get(_LAST, 0) >= TICK * 0.9:
            if ss.get(_STEP) == step_list[-1]:
                ss[_PLAY] = False
            else:
                _move(step_list, 1)
            ss[_LAST] = time.monotonic()
        c1, c2, c3, c4 = st.columns([1, 6, 1, 2], vertical_alignment="center")
        # The slider runs left to right in both languages; columns are mirrored in Arabic,
        # so there the first column is on the right and holds "next".
        left, right = (c3, c1) if lang == "ar" else (c1, c3)
        left.button(
            "◀", key="pb_prev", help=t("pb_prev", lang), on_click=_move, args=(step_list, -1)
        )
        c2.select_slider(
            t("pb_step", lang),
            step_list,
            key=_STEP,
            format_func=lambda s: step_text(s, lang),
            label_visibility="collapsed",
        )
        right.button(
            "▶", key="pb_next", help=t("pb_next", lang), on_click=_move, args=(step_list, 1)
        )
        c4.toggle(t("pb_play", lang), key=_PLAY)
        if bool(ss[_PLAY]) != playing:
            # The fragment's timer is set by the whole page's run: start or stop it there.
            ss[_LAST] = time.monotonic()
            st.rerun()
        step = ss[_STEP]
        if step != state.step:
            urlsync.set_view(step=step)
            ss[_SEEN] = step
        narrowed = replace(state, filters=playback.narrowed(state.filters, step), step=step)
        n = q.count(narrowed.filters)
        words = "pb_shown_one" if n == 1 else "pb_shown"
        st.text(t(words, lang, n=n, period=step_text(step, lang)))
        views.event_map(narrowed, q, tiles=tiles, height=height, key="playback_map")

    stepper()
