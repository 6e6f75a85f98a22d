"""Curation on screen: the record form, editing one event, the Curate page's tabs.

Every change goes through dashboard.curation, which checks it, writes it and logs it;
a refusal is shown as a message, never as a traceback.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import geo, store
from dashboard.filters import Filters, ViewState
from dashboard.query import EventQuery
from dashboard.schema import EVENT_TYPES
from dashboard.strings import date_text, refusal_text, t, type_label, value_label
from dashboard.text import isolate, md_escape

from .resources import store_path
from .urlsync import goto_event, link_notices, set_view


def _editor_name(lang: str, where=st) -> str:
    """The name written to the audit log; asked once per session, kept in the session."""
    return where.text_input(
        t("editor_name", lang), key="editor_name", max_chars=80, help=t("editor_help", lang)
    )


def _form_editor_name(lang: str, key: str, where) -> None:
    """The name again, inside a form and beside its save button: the button needs it, and
    an analyst at the foot of a long form should not have to scroll to the page's top.
    Filled from the session's name; a name typed here becomes the session's name."""
    remembered = st.session_state.get("editor_name") or ""
    if remembered and not st.session_state.get(key):
        st.session_state[key] = remembered
    where.text_input(t("editor_name", lang), key=key, max_chars=80, help=t("editor_help", lang))


def _name_missing(lang: str, where=st) -> bool:
    """True, after saying so beside the button, when no name is given for the change log:
    the refusal names the field, in the page's language."""
    if _editor().strip():
        return False
    where.error(t("name_required", lang, field=t("editor_name", lang)), icon=":material/badge:")
    return True


def _opt_date(value):
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _opt_float(value):
    return None if value is None or value != value else float(value)


def record_form(
    lang: str, record: dict, *, key: str, submit_label: str, ask_name: bool = False
) -> dict | None:
    """A form over every field of a record; returns the raw record when submitted.
    With `ask_name`, the editor's name sits beside the submit button (key `{key}_editor`)
    and, once submitted, is the session's name."""
    import pandas as pd

    from dashboard.curation import SOURCE_KEYS, items_from_rows, parse_lines, sources_from_rows
    from dashboard.schema import DATE_PRECISIONS, GEO_PRECISIONS, VERIFICATION

    codes = [None, *geo.countries()["iso3"].tolist()]
    with st.form(key, border=True):
        c1, c2 = st.columns(2)
        # No max_chars anywhere: a widget limit would cut a stored value without a word;
        # the schema refuses a value too long, naming the field.
        title = c1.text_input(t("f_title", lang), record.get("title") or "", key=f"{key}_title")
        title_ar = c2.text_input(
            t("f_title_ar", lang), record.get("title_ar") or "", key=f"{key}_title_ar"
        )
        summary = st.text_area(
            t("f_summary", lang), record.get("summary") or "", height=80, key=f"{key}_summary"
        )
        c1, c2, c3, c4 = st.columns(4)
        event_type = c1.selectbox(
            t("field_type", lang),
            EVENT_TYPES,
            index=EVENT_TYPES.index(record.get("event_type") or "other"),
            format_func=lambda x: type_label(x, lang),
            key=f"{key}_event_type",
            placeholder=t("choose", lang),
        )
        sub_type = c2.text_input(
            t("f_sub_type", lang), record.get("sub_type") or "", key=f"{key}_sub_type"
        )
        verification = c3.selectbox(
            t("col_verification", lang),
            VERIFICATION,
            index=VERIFICATION.index(record.get("verification") or "verified"),
            format_func=lambda v: value_label(v, lang),
            key=f"{key}_verification",
            placeholder=t("choose", lang),
        )
        precision = c4.selectbox(
            t("f_precision", lang),
            DATE_PRECISIONS,
            index=DATE_PRECISIONS.index(record.get("date_precision") or "day"),
            format_func=lambda v: value_label(v, lang),
            key=f"{key}_precision",
            placeholder=t("choose", lang),
        )
        c1, c2 = st.columns(2)
        bounds = dict(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
        event_date = c1.date_input(
            t("f_date", lang),
            _opt_date(record.get("event_date")),
            **bounds,
            key=f"{key}_event_date",
        )
        end_date = c2.date_input(
            t("f_end_date", lang),
            _opt_date(record.get("end_date")),
            **bounds,
            key=f"{key}_end_date",
        )
        c1, c2, c3 = st.columns(3)
        current = record.get("country")
        country = c1.selectbox(
            t("col_country", lang),
            codes,
            index=codes.index(current) if current in codes else 0,
            format_func=lambda c: geo.country_name(c, lang) if c else "—",
            key=f"{key}_country",
            placeholder=t("choose", lang),
        )
        admin1 = c2.text_input(t("f_admin1", lang), record.get("admin1") or "", key=f"{key}_admin1")
        location = c3.text_input(
            t("col_location", lang), record.get("location") or "", key=f"{key}_location"
        )
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input(
            t("f_lat", lang),
            -90.0,
            90.0,
            _opt_float(record.get("latitude")),
            format="%.4f",
            key=f"{key}_lat",
        )
        lon = c2.number_input(
            t("f_lon", lang),
            -180.0,
            180.0,
            _opt_float(record.get("longitude")),
            format="%.4f",
            key=f"{key}_lon",
        )
        geo_choices = [None, *GEO_PRECISIONS]
        geo_precision = c3.selectbox(
            t("f_geo_precision", lang),
            geo_choices,
            index=geo_choices.index(record.get("geo_precision")),
            format_func=lambda g: value_label(g, lang),
            key=f"{key}_geo_precision",
            placeholder=t("choose", lang),
        )
        # Lists are edited as rows, never parsed back from text: a line break inside an
        # actor's name or a "|" in a publisher's stays part of that one value.
        st.caption(t("f_actors", lang))
        actors = st.data_editor(
            pd.DataFrame({"actor": list(record.get("actors") or [])}, dtype="object"),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={"actor": st.column_config.TextColumn(t("col_actor", lang))},
            key=f"{key}_actors",
        )
        c1, c2 = st.columns([1, 3])
        fatalities = c1.number_input(
            t("field_fatalities", lang),
            0,
            None,
            record.get("fatalities")
            if record.get("fatalities") == record.get("fatalities")
            else None,
            step=1,
            key=f"{key}_fatalities",
        )
        fatalities_text = c2.text_input(
            t("f_fatalities_text", lang),
            record.get("fatalities_text") or "",
            key=f"{key}_fatalities_text",
        )
        st.caption(t("f_sources", lang), help=t("f_sources_help", lang))
        sources = st.data_editor(
            pd.DataFrame(
                [{k: s.get(k) for k in SOURCE_KEYS} for s in record.get("sources") or []],
                columns=list(SOURCE_KEYS),
                dtype="object",
            ),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                k: st.column_config.TextColumn(t(f"col_{k}", lang)) for k in SOURCE_KEYS
            },
            key=f"{key}_sources",
        )
        related = st.text_area(
            t("f_related", lang),
            "\n".join(record.get("related") or []),
            height=68,
            key=f"{key}_related",
        )
        evidence = st.text_area(
            t("field_evidence", lang),
            record.get("evidence") or "",
            height=68,
            key=f"{key}_evidence",
        )
        notes = st.text_area(
            t("field_notes", lang), record.get("notes") or "", height=68, key=f"{key}_notes"
        )
        if ask_name:
            c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
            _form_editor_name(lang, f"{key}_editor", c1)
            submitted = c2.form_submit_button(submit_label, type="primary")
        else:
            submitted = st.form_submit_button(submit_label, type="primary")
        if not submitted:
            return None
    if ask_name and (st.session_state.get(f"{key}_editor") or "").strip():
        # Forms are drawn before the page's own name box, so it can still take the value.
        st.session_state["editor_name"] = st.session_state[f"{key}_editor"].strip()
    return {
        **record,
        "title": title,
        "title_ar": title_ar,
        "summary": summary,
        "event_type": event_type,
        "sub_type": sub_type,
        "verification": verification,
        "date_precision": precision,
        "event_date": event_date,
        "end_date": end_date,
        "country": country,
        "admin1": admin1,
        "location": location,
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo_precision,
        "actors": items_from_rows(actors.to_dict("records"), "actor"),
        "fatalities": fatalities,
        "fatalities_text": fatalities_text,
        "sources": sources_from_rows(sources.to_dict("records")),
        "related": parse_lines(related),
        "evidence": evidence,
        "notes": notes,
    }


def _run_change(change, *args, lang: str = "en", **kwargs):
    """Run one curation call; returns its Change, or None after showing the refusal (as
    text: it quotes titles and ids) in the page's language instead of a traceback."""
    from dashboard.curation import CurationError

    try:
        return change(*args, **kwargs)
    except (CurationError, store.StoreError) as exc:
        st.error(refusal_text(str(exc), lang, escape=md_escape))
        return None


def _editor() -> str:
    return st.session_state.get("editor_name", "")


def edit_panel(state: ViewState, event_id: str) -> None:
    """Edit, delete and history of one event (the Event page)."""
    from dashboard import curation

    lang = state.lang
    path = store_path()
    record = curation.get_event(path, event_id)
    if record is None:
        return
    with st.expander(t("edit_event", lang)):
        _editor_name(lang)
        # The version the editor started from: a save over someone else's newer change is
        # refused rather than silently undoing it.
        fp_key = f"_fp_{event_id}"
        st.session_state.setdefault(fp_key, curation.fingerprint(record))
        raw = record_form(lang, record, key=f"edit_{event_id}", submit_label=t("save", lang))
        # Only what the editor changed, field by field against the record as loaded.
        changes = curation.changed_fields(record, raw or {})
        expected = st.session_state[fp_key]
        if raw is not None and not changes:
            st.info(t("nothing_changed", lang))
        elif raw is not None and _run_change(
            curation.update_event, path, event_id, changes, _editor(), expected, lang=lang
        ):
            del st.session_state[fp_key]
            st.rerun()
        if st.button(t("delete_event", lang), key=f"delete_{event_id}") and _run_change(
            curation.delete_event, path, event_id, _editor(), expected, lang=lang
        ):
            st.session_state.pop(fp_key, None)
            set_view(event=None)
            st.rerun()
    log = curation.history(path, event_id)
    if not log.empty:
        with st.expander(t("history", lang)):
            st.dataframe(log.drop(columns=["event_id"]), hide_index=True, width="stretch")


def curate_page(state: ViewState, q: EventQuery) -> None:
    from dashboard import curation

    lang = state.lang
    link_notices(lang)
    path = store_path()
    # The name is asked beside each button that records a change (the forms' save
    # buttons, undo), not once at the page's top where the foot of a form cannot see it.
    tab_article, tab_new, tab_changes = st.tabs(
        [t("tab_article", lang), t("tab_new", lang), t("tab_changes", lang)]
    )
    with tab_article:
        _article_drafts(state, q)
    with tab_new:
        blank = {
            "event_id": "",
            "event_type": "meeting",
            "verification": "verified",
            "date_precision": "day",
            "sources": [],
            "actors": [],
            "related": [],
        }
        new_id = st.text_input(
            t("f_event_id", lang),
            key="new_event_id",
            max_chars=128,
            help=t("f_event_id_help", lang),
        )
        reuse = st.checkbox(t("reuse_deleted_id", lang), key="new_event_reuse")
        raw = record_form(
            lang, blank, key="new_event", submit_label=t("save_new", lang), ask_name=True
        )
        if raw is not None and not new_id.strip():
            st.error(t("field_required", lang, field=t("f_event_id", lang)))
        elif (
            raw is not None
            and not _name_missing(lang)
            and _run_change(
                curation.create_event,
                path,
                {**raw, "event_id": new_id.strip()},
                _editor(),
                reuse_deleted_id=reuse,
                lang=lang,
            )
        ):
            goto_event(new_id.strip())
    with tab_changes:
        done = st.session_state.pop("_curation_done", None)
        if done:
            st.text(done)  # names the restored version; text, since it quotes a title
        c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
        _editor_name(lang, c1)
        undo = c2.button(t("undo_last", lang), key="undo_last")
        if (
            undo
            and not _name_missing(lang)
            and (change := _run_change(curation.undo_last, path, _editor(), lang=lang))
        ):
            st.success(t("undone", lang))
            st.text(change.summary)
        st.markdown(f"**{t('recent_changes', lang)}**")
        st.dataframe(curation.history(path, limit=100), hide_index=True, width="stretch")
        st.markdown(f"**{t('deleted_events', lang)}**")
        trash = curation.deleted_events(path)
        if trash.empty:
            st.caption(t("none", lang))
        for row in trash.itertuples():
            c1, c2 = st.columns([4, 1])
            c1.text(
                f"{row.event_id} · {row.title} · {row.editor} · {row.deleted_at:%Y-%m-%d %H:%M}"
            )
            restore = c2.button(t("restore", lang), key=f"restore_{row.change_id}")
            if (
                restore
                and not _name_missing(lang, c1)
                and (
                    change := _run_change(
                        curation.restore_event,
                        path,
                        row.event_id,
                        _editor(),
                        deleted_change=int(row.change_id),
                        lang=lang,
                    )
                )
            ):
                st.session_state["_curation_done"] = change.summary
                st.rerun()


def _article_drafts(state: ViewState, q: EventQuery) -> None:
    """Paste or upload an article, get draft events, review, save or merge each."""
    from dashboard import curation, extract

    lang = state.lang
    path = store_path()
    with st.form("article"):
        text = st.text_area(t("article_text", lang), height=200, max_chars=200_000)
        upload = st.file_uploader(t("article_file", lang), type=["txt", "html", "htm"])
        c1, c2, c3 = st.columns(3)
        publisher = c1.text_input(t("publisher", lang), max_chars=200)
        url = c2.text_input(t("article_url", lang), max_chars=2000)
        published = c3.date_input(t("published", lang), None, format="YYYY-MM-DD")
        go = st.form_submit_button(t("draft_events", lang), type="primary")
    ss = st.session_state
    if go:
        body = upload.getvalue().decode("utf-8", errors="replace") if upload else text
        ss.pop("_undated_article", None)
        if not body.strip():
            st.error(t("article_empty", lang))
        elif published is None:
            # Said before drafting: without the day the article appeared, "on Tuesday" or
            # "11 May" has no year, and a draft must not carry a guessed one.
            ss["_undated_article"] = (body, publisher, url)
        else:
            _draft(extract, body, published, publisher, url, lang)
    undated = ss.get("_undated_article")
    if undated:
        notice = st.empty()  # above the button, gone once the button is pressed
        if st.button(t("draft_undated", lang), key="draft_undated"):
            ss.pop("_undated_article", None)
            _draft(extract, undated[0], None, undated[1], undated[2], lang)
        else:
            notice.warning(t("no_published_date", lang), icon=":material/event_busy:")
    drafts = st.session_state.get("_drafts") or []
    existing = q.rows(Filters(), limit=None) if drafts else None
    # In Arabic, the article's own words (often English) are isolated from the Arabic
    # around them, so a sentence or a place keeps its order on a right-to-left line.
    bidi = isolate if lang == "ar" else (lambda text: text or "")
    for i, draft in enumerate(drafts):
        record = draft.to_record()
        if lang == "ar":
            record["notes"] = _notes_ar(draft)
        when = date_text(
            record["event_date"], record.get("end_date"), record["date_precision"], lang
        ) or t("draft_no_date", lang, words=draft.date_text or "—")
        planned = f" · {t('draft_planned', lang)}" if draft.planned else ""
        label = (
            f"{i + 1}. {when} · {type_label(record['event_type'], lang)} · "
            f"{bidi(md_escape(record.get('location') or ''))} · {draft.confidence:.0%}{planned}"
        )
        with st.expander(label, expanded=i == 0):
            st.caption(t("draft_sentence", lang))
            st.text(bidi(draft.sentence))
            reasoning = draft.reasoning_ar if lang == "ar" else draft.reasoning
            for part in ("date", "place", "type"):
                if reasoning.get(part):
                    why = _quotes_isolated(reasoning[part]) if lang == "ar" else reasoning[part]
                    st.text(f"{t(f'draft_why_{part}', lang)}: {why}")
            raw = record_form(
                lang, record, key=f"draft_{i}", submit_label=t("save_new", lang), ask_name=True
            )
            if (
                raw is not None
                and not _name_missing(lang)
                and _run_change(curation.create_event, path, raw, _editor(), lang=lang)
            ):
                _drop_draft(i)
                st.rerun()
            c1, c2 = st.columns(2)
            if c1.button(t("drop_draft", lang), key=f"drop_{i}"):
                _drop_draft(i)
                st.rerun()
            for dup in extract.duplicates(draft, existing)[:3]:
                merge = c2.button(t("merge_into", lang, id=dup), key=f"merge_{i}_{dup}")
                if (
                    merge
                    and not _name_missing(lang, c2)
                    and _run_change(
                        curation.merge_source,
                        path,
                        dup,
                        record["sources"][0],
                        _editor(),
                        lang=lang,
                    )
                ):
                    _drop_draft(i)
                    st.rerun()


#: Seconds one drafting run may take on the Curate page before it is stopped with a word:
#: past the extractor's tested budget for the largest article (synthetic.py), so only an
#: overloaded server reaches it.
DRAFT_SECONDS = 60


def _draft(extract, body: str, published, publisher: str, url: str, lang: str) -> None:
    """Draft, stopping when the session ends, a rerun is asked for, or time runs out.

    Streamlit's own stop and rerun signals pass through untouched (the run ends or starts
    again); the drafts in the session change only when the run finishes.
    """
    from streamlit.logger import get_logger

    from .liveness import session_check

    token = extract.CancelToken(DRAFT_SECONDS, stop=session_check())
    try:
        drafts = extract.extract(body, published, publisher=publisher, url=url, check=token)
    except BaseException as stopped:
        # Said in the server's log too: nobody may be left to read the page.
        why = getattr(stopped, "reason", type(stopped).__name__)
        get_logger(__name__).info(
            "Drafting stopped after %.1f s (%s characters, %s checks): %s",
            token.elapsed(),
            f"{len(body):,}",
            f"{token.checks:,}",
            why,
        )
        if not isinstance(stopped, extract.Cancelled):
            raise  # Streamlit's own stop or rerun: the run ends or starts again
        st.warning(
            t("draft_cancelled", lang, seconds=f"{stopped.seconds:.0f}", limit=DRAFT_SECONDS),
            icon=":material/timer_off:",
        )
        return
    st.session_state["_drafts"] = drafts
    if not drafts:
        st.info(t("no_drafts", lang))


def _quotes_isolated(text: str) -> str:
    """The article's words quoted in an Arabic explanation («met» ← اجتماع), isolated."""
    import re

    return re.sub("«([^«»]*)»", lambda m: f"«{isolate(m.group(1))}»", text)


def _notes_ar(draft) -> str:
    """The note a draft saves with, in Arabic: how sure the rules were and why (the
    English note is written by the extractor, Draft.to_record)."""
    parts = [
        f"{t(f'draft_why_{part}', 'ar')}: {_quotes_isolated(draft.reasoning_ar[part])}"
        for part in ("date", "place", "type")
        if draft.reasoning_ar.get(part)
    ]
    if draft.actors:
        parts.append(f"{t('field_actors', 'ar')}: " + "، ".join(isolate(a) for a in draft.actors))
    return t("draft_notes", "ar", confidence=f"{draft.confidence:.2f}") + "؛ ".join(parts)[:4900]


def _drop_draft(i: int) -> None:
    drafts = list(st.session_state.get("_drafts") or [])
    if i < len(drafts):
        drafts.pop(i)
    st.session_state["_drafts"] = drafts
