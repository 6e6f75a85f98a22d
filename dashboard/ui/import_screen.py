"""The Import screen: upload a file, see what would be stored and what is wrong, confirm,
or remove a batch.

Reading, checking and writing are dashboard.importer's (its preview/commit API owns the
upload's temporary file); this module only draws and keeps the checked preview in the
session, so a rerun does not read the file again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import importer, store, upload
from dashboard.strings import t

from .resources import store_path
from .urlsync import batch_link

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
_UPLOADER = "imp_uploader"  # bumped to give a fresh, empty uploader after an import
_CHECKED = "imp_checked"  # (upload, options) -> upload.Preview, or None when it failed
_LAST = "imp_last"
_NOTICES = "imp_notices"


@dataclass(frozen=True)
class Choice:
    """An uploaded file and how to import it, as the form says."""

    upload: object  # streamlit's UploadedFile
    fmt: str
    on_problem: str
    on_duplicate: str

    @property
    def key(self) -> tuple:
        return (self.upload.file_id, self.fmt, self.on_problem, self.on_duplicate)


def notices() -> None:
    """What the last run did (a removed batch), said once."""
    for notice in st.session_state.pop(_NOTICES, []):
        st.success(notice)


def upload_form(lang: str) -> Choice | None:
    """The uploader and the import options; the chosen file, or None before one is given."""
    ss = st.session_state
    ss.setdefault(_UPLOADER, 0)
    upload = st.file_uploader(t("imp_file", lang), key=f"imp_file_{ss[_UPLOADER]}")
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
        t("imp_dups", lang),
        importer.DUPLICATE_POLICIES,
        format_func=lambda p: t(f"imp_dups_{p}", lang),
    )
    if upload is None:
        return None
    return Choice(upload, fmt, on_problem, on_duplicate)


def _problem_frame(problems, lang: str) -> pd.DataFrame:
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


def _run(step, lang: str, *, dry_run: bool):
    """Run a preview or a commit under a progress bar; a failure is shown, never raised."""
    bar = st.progress(0.0, text=t("imp_checking", lang) if dry_run else t("imp_writing", lang))

    def progress(rows: int, done: int, total: int) -> None:
        share = min(1.0, done / total) if total else 0.0
        bar.progress(share, text=t("imp_rows_read", lang, rows=rows))

    try:
        return step(progress)
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


def _checked(choice: Choice, lang: str) -> upload.Preview | None:
    """The dry run of this file with these options, made once and kept for reruns."""
    checked = st.session_state.setdefault(_CHECKED, {})
    if choice.key not in checked:
        checked.clear()
        checked[choice.key] = _run(
            lambda progress: upload.preview(
                choice.upload.getvalue(),
                choice.upload.name,
                store_path(),
                fmt=choice.fmt,
                on_problem=choice.on_problem,
                on_duplicate=choice.on_duplicate,
                progress=progress,
            ),
            lang,
            dry_run=True,
        )
    return checked.get(choice.key)


def preview_and_confirm(choice: Choice, lang: str) -> None:
    """What the file holds and what is wrong with it, and the button that imports it."""
    preview = _checked(choice, lang)
    if preview is None:
        return
    result = preview.result
    st.subheader(t("imp_detected", lang))
    st.text(f"{result.layout} · {result.encoding or 'binary'} · {result.file_name}")
    st.write(t("imp_counts", lang, read=result.rows_read, ok=result.accepted, bad=result.rejected))
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
                t("imp_problems_more", lang, shown=len(result.problems), n=result.problems_total)
            )
        st.dataframe(_problem_frame(result.problems, lang), hide_index=True)
        st.download_button(
            t("imp_download", lang),
            importer.problems_csv(result.problems),
            file_name="import-problems.csv",
            mime="text/csv",
        )
    else:
        st.write(t("imp_no_problems", lang))
    if preview.blocked:
        st.warning(t("imp_cancel_note", lang))
    if not st.button(
        t("imp_confirm", lang, n=result.accepted),
        type="primary",
        disabled=preview.blocked or result.accepted == 0,
    ):
        return
    done = _run(preview.commit, lang, dry_run=False)
    if done is None:
        return
    ss = st.session_state
    if done.committed:
        ss[_LAST] = done
        ss[_UPLOADER] += 1
        ss[_CHECKED] = {}
        st.rerun()
    elif done.cancelled:
        st.error(t("imp_cancelled", lang, n=done.problems_total))
    else:
        st.warning(t("imp_nothing", lang))


def last_import(lang: str) -> None:
    """The batch the last import made, with a link to its events."""
    last = st.session_state.get(_LAST)
    if last is None:
        return
    st.success(t("imp_done", lang, n=last.accepted, b=last.batch_id))
    st.page_link(
        "pages/table.py",
        label=t("imp_see", lang),
        icon=":material/table:",
        query_params=batch_link(last.batch_id, lang),
    )


def batches(lang: str) -> None:
    """Every imported batch, newest first, each with a link to its events and a remove button."""
    ss = st.session_state
    path = store_path()
    st.subheader(t("imp_batches", lang))
    listed = importer.list_batches(path)
    if not listed:
        st.write(t("imp_no_batches", lang))
    for batch in reversed(listed):
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
                query_params=batch_link(batch["batch_id"], lang),
            )
            with right.popover(t("imp_remove", lang)):
                label = t("imp_remove_confirm", lang, b=batch["batch_id"], n=batch["events"])
                if st.button(label, key=f"imp_rm_{batch['batch_id']}", type="primary"):
                    removed = importer.remove_batch(path, batch["batch_id"])
                    ss[_NOTICES] = [t("imp_removed", lang, b=batch["batch_id"], n=removed)]
                    ss.pop(_LAST, None)
                    st.rerun()
