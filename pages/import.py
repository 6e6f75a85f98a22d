"""Import: upload a file, see what would be stored and what is wrong, confirm, or remove a batch.

The page only draws; reading, checking and writing are dashboard.importer's. The upload
is written next to the store (never into the repository) and deleted after use.
"""

import pandas as pd
import streamlit as st

from dashboard import importer, store, ui

FORMATS = ["auto", "native", "acled", "ucdp", "gdelt"]
PREVIEW_COLUMNS = [
    "row",
    "event_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_type",
    "title",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "actors",
    "sources",
    "geo_flag",
    "origin_type",
]

state, q = ui.page("import")
lang = state.lang
ui.link_notices(lang)
t = ui.t
ss = st.session_state
ss.setdefault("imp_uploader", 0)
ss.setdefault("imp_checked", {})
store_path = ui.store_path()

st.title(t("imp_title", lang))
st.write(t("imp_intro", lang))

for notice in ss.pop("imp_notices", []):
    st.success(notice)

upload = st.file_uploader(t("imp_file", lang), key=f"imp_file_{ss['imp_uploader']}")
col1, col2, col3 = st.columns(3)
fmt = col1.selectbox(
    t("imp_format", lang),
    FORMATS,
    format_func=lambda f: t("imp_format_auto", lang) if f == "auto" else f,
)
on_problem = col2.radio(
    t("imp_policy", lang), importer.POLICIES, format_func=lambda p: t(f"imp_policy_{p}", lang)
)
on_duplicate = col3.radio(
    t("imp_dups", lang), importer.DUPLICATE_POLICIES, format_func=lambda p: t(f"imp_dups_{p}", lang)
)


def _problem_frame(problems) -> pd.DataFrame:
    names = [t(f"imp_col_{c}", lang) for c in ("row", "column", "problem")]
    return pd.DataFrame([(p.row, p.column, p.message) for p in problems], columns=names)


def _preview_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame = frame[[c for c in PREVIEW_COLUMNS if c in frame]]
    if "actors" in frame:
        frame["actors"] = frame["actors"].map(lambda a: "; ".join(a or []))
    if "sources" in frame:
        frame["sources"] = frame["sources"].map(
            lambda s: "; ".join(x.get("url") or x.get("publisher") or "" for x in s or [])
        )
    return frame


def _run(path, *, dry_run: bool):
    bar = st.progress(0.0, text=t("imp_checking", lang) if dry_run else t("imp_writing", lang))

    def progress(rows: int, done: int, total: int) -> None:
        share = min(1.0, done / total) if total else 0.0
        bar.progress(share, text=t("imp_rows_read", lang, rows=rows))

    try:
        return importer.import_file(
            path,
            store_path,
            fmt=fmt,
            dry_run=dry_run,
            progress=progress,
            on_problem=on_problem,
            on_duplicate=on_duplicate,
            file_name=upload.name,
        )
    except importer.ImportFailed as exc:
        st.error(t("imp_failed", lang))
        st.text(str(exc))
    except store.StoreBusy:
        st.error(t("imp_busy", lang))
    except store.StoreError as exc:
        st.error(t("imp_failed", lang))
        st.text(str(exc))
    finally:
        bar.empty()
    return None


if upload is not None:
    key = (upload.file_id, fmt, on_problem, on_duplicate)
    checked = ss["imp_checked"]
    if key not in checked:
        path = importer.save_upload(store_path, upload.name, upload.getvalue())
        try:
            checked.clear()
            checked[key] = _run(path, dry_run=True)
        finally:
            path.unlink(missing_ok=True)
    result = checked.get(key)
    if result is not None:
        st.subheader(t("imp_detected", lang))
        st.text(f"{result.layout} · {result.encoding or 'binary'} · {result.file_name}")
        st.write(
            t("imp_counts", lang, read=result.rows_read, ok=result.accepted, bad=result.rejected)
        )
        if result.flagged:
            st.info(t("imp_flags", lang, n=result.flagged))
        if result.filled:
            st.info(t("imp_filled", lang, n=result.filled))
        if result.same_content:
            st.warning(t("imp_same", lang, b=", ".join(result.same_content)))
        if result.preview:
            st.subheader(t("imp_preview", lang))
            st.dataframe(_preview_frame(result.preview), hide_index=True)
        st.subheader(t("imp_problems", lang, n=result.problems_total))
        if result.problems_total:
            if result.problems_total > len(result.problems):
                st.caption(
                    t(
                        "imp_problems_more",
                        lang,
                        shown=len(result.problems),
                        n=result.problems_total,
                    )
                )
            st.dataframe(_problem_frame(result.problems), hide_index=True)
            st.download_button(
                t("imp_download", lang),
                importer.problems_csv(result.problems),
                file_name="import-problems.csv",
                mime="text/csv",
            )
        else:
            st.write(t("imp_no_problems", lang))
        blocked = on_problem == "cancel" and result.problems_total > 0
        if blocked:
            st.warning(t("imp_cancel_note", lang))
        if st.button(
            t("imp_confirm", lang, n=result.accepted),
            type="primary",
            disabled=blocked or result.accepted == 0,
        ):
            path = importer.save_upload(store_path, upload.name, upload.getvalue())
            try:
                done = _run(path, dry_run=False)
            finally:
                path.unlink(missing_ok=True)
            if done is not None:
                if done.committed:
                    ss["imp_last"] = done
                    ss["imp_uploader"] += 1  # a fresh, empty uploader
                    ss["imp_checked"] = {}
                    st.rerun()
                elif done.cancelled:
                    st.error(t("imp_cancelled", lang, n=done.problems_total))
                else:
                    st.warning(t("imp_nothing", lang))

last = ss.get("imp_last")
if last is not None:
    st.success(t("imp_done", lang, n=last.accepted, b=last.batch_id))
    st.page_link(
        "pages/table.py",
        label=t("imp_see", lang),
        icon=":material/table:",
        query_params=ui.batch_link(last.batch_id, lang),
    )

st.divider()
st.subheader(t("imp_batches", lang))
batches = importer.list_batches(store_path)
if not batches:
    st.write(t("imp_no_batches", lang))
for batch in reversed(batches):
    with st.container(border=True):
        left, right = st.columns([5, 1])
        left.text(
            f"{batch['batch_id']} · {batch['imported_at']:%Y-%m-%d %H:%M} UTC · "
            f"{batch['events']:,} events · {batch['rows_rejected']:,} rejected\n"
            f"{batch['file_name']} · {batch['format']}"
        )
        left.page_link(
            "pages/table.py",
            label=t("imp_see", lang),
            icon=":material/table:",
            query_params=ui.batch_link(batch["batch_id"], lang),
        )
        with right.popover(t("imp_remove", lang)):
            label = t("imp_remove_confirm", lang, b=batch["batch_id"], n=batch["events"])
            if st.button(label, key=f"imp_rm_{batch['batch_id']}", type="primary"):
                removed = importer.remove_batch(store_path, batch["batch_id"])
                ss["imp_notices"] = [t("imp_removed", lang, b=batch["batch_id"], n=removed)]
                ss.pop("imp_last", None)
                st.rerun()
