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
    "language": "Language",
    "choose": "Choose",
    "choose_or_add": "Choose or type a name",
    "source_link": "source ↗",
    "in_english": "(in English)",
    "in_arabic": "(in Arabic)",
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
    "map_cells": (
        "{n} events: too many to draw one by one, so each circle counts the events in its "
        "area; zoom in for finer areas."
    ),
    "timeline_capped": (
        "{n} events: the counts below include all of them; the rows above show the newest {shown}."
    ),
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
    "nav_curate": "Curate",
    "nav_import": "Import",
    "imp_title": "Import",
    "imp_intro": (
        "Bring your own records: the project's own format (CSV, JSON, JSON "
        "lines, GeoJSON, Parquet), ACLED exports, UCDP GED files or GDELT "
        "event files (also zipped). The format and the text encoding are "
        "detected from the file. Nothing is written until you confirm."
    ),
    "imp_file": "File to import",
    "imp_format": "Format",
    "imp_format_auto": "detect",
    "imp_policy": "Rows with problems",
    "imp_policy_skip": "skip those rows, import the rest",
    "imp_policy_cancel": "cancel the whole import if any row fails",
    "imp_dups": "Ids already in the store",
    "imp_dups_skip": "skip (keep what is stored)",
    "imp_dups_replace": "replace rows of earlier imports (never shipped or curated records)",
    "imp_checking": "Reading and checking the file (nothing is written)…",
    "imp_detected": "Detected",
    "imp_counts": "{read:,} rows read: {ok:,} can be imported, {bad:,} would be rejected.",
    "imp_flags": (
        "Rows with a place flag (coordinates outside the stated country): "
        "{n:,}. They are imported and flagged, not moved."
    ),
    "imp_filled": (
        "Rows without coordinates that get their country's label point (precision: country): {n:,}."
    ),
    "imp_same": "This exact file was imported before (batch {b}).",
    "imp_preview": "The first rows as they would be stored",
    "imp_problems": "Problems ({n:,})",
    "imp_problems_more": "Showing the first {shown:,} of {n:,} problems.",
    "imp_download": "Download the problems (CSV)",
    "imp_no_problems": "No problems found.",
    "imp_confirm": "Import {n:,} rows",
    "imp_cancel_note": "With 'cancel' chosen and problems found, nothing can be imported.",
    "imp_writing": "Importing…",
    "imp_rows_read": "{rows:,} rows read",
    "imp_done": "Imported {n:,} events as batch {b}.",
    "imp_cancelled": "Cancelled: {n:,} problems; nothing was written.",
    "imp_nothing": "Nothing was imported.",
    "imp_see": "Show the events in the table",
    "imp_failed": "The file could not be imported:",
    "imp_busy": "The store is busy (another import is running); try again in a moment.",
    "imp_batches": "Imported batches",
    "imp_no_batches": "No imported batches yet.",
    "imp_remove": "Remove",
    "imp_remove_confirm": "Remove batch {b} and its {n:,} events",
    "imp_removed": "Removed batch {b} ({n:,} events).",
    "editor_name": "Your name (for the change log)",
    "editor_help": "Every change is recorded with this name, the time, and the old and new values.",
    "f_title": "Title (English)",
    "f_title_ar": "Title (Arabic)",
    "f_summary": "Summary",
    "f_sub_type": "Sub-type",
    "f_precision": "Date precision",
    "f_date": "Date (first day)",
    "f_end_date": "End date",
    "f_admin1": "Province",
    "f_lat": "Latitude",
    "f_lon": "Longitude",
    "f_geo_precision": "Place precision",
    "f_actors": "Actors (one per line)",
    "f_fatalities_text": "Fatalities as the source words it",
    "f_sources": "Sources (one per line)",
    "f_sources_help": "publisher | https://… | published YYYY-MM-DD | language",
    "f_related": "Related event ids (one per line)",
    "f_event_id": "Event id",
    "f_event_id_help": "Letters, digits and - _ . : ; unique in the store.",
    "save": "Save changes",
    "save_new": "Save as a new event",
    "saved": "Saved.",
    "edit_event": "Edit or delete this event",
    "delete_event": "Delete this event",
    "history": "Change history",
    "tab_article": "From an article",
    "tab_new": "New event",
    "tab_changes": "Changes and deleted events",
    "undo_last": "Undo the last change",
    "undone": "The last change was undone.",
    "recent_changes": "Recent changes",
    "deleted_events": "Deleted events",
    "none": "None.",
    "restore": "Restore",
    "article_text": "Article text (Arabic or English, plain text or HTML)",
    "article_file": "…or upload it",
    "publisher": "Publisher",
    "article_url": "Article URL",
    "published": "Published on",
    "draft_events": "Draft events",
    "article_empty": "Paste or upload an article first.",
    "no_drafts": "No dated event was found in this article.",
    "draft_sentence": "From the sentence",
    "drop_draft": "Drop this draft",
    "merge_into": "Add the article as a source of {id}",
}

AR = {
    "app_title": "دبلوماسية النزاعات",
    "nav_overview": "نظرة عامة",
    "nav_map": "الخريطة",
    "nav_timeline": "الخط الزمني",
    "nav_table": "الجدول",
    "nav_event": "الحدث",
    "language": "اللغة",
    "choose": "اختر",
    "choose_or_add": "اختر أو اكتب اسمًا",
    "filters": "عوامل التصفية",
    "countries": "البلدان",
    "date_from": "من",
    "date_to": "إلى",
    "types": "أنواع الأحداث",
    "actors": "الفاعلون",
    "actors_help": "اختر اسمًا أو اكتبه: يطابق الحدثُ إذا احتوى أحد فاعليه على الاسم.",
    "text": "بحث نصي",
    "text_help": (
        "كلمات في العنوان أو الملخص أو الفاعلين أو المكان أو نص المصدر؛ يجب أن تطابق كلها."
    ),
    "reset": "مسح عوامل التصفية",
    "share": "رابط هذا العرض",
    "share_help": "انسخ هذا العنوان وأرسله: يفتح هذه الصفحة بعوامل التصفية نفسها.",
    "notice_title": "لم تُستخدم بعض أجزاء الرابط",
    "oversized": (
        "كان هذا الرابط أطول مما يقبله الخادم (أكثر من 1000 معامل أو 512 كيلوبايت) فتجاهله "
        "كاملًا: عوامل التصفية أدناه ليست التي في الرابط."
    ),
    "no_events": "لا أحداث تطابق عوامل التصفية",
    "unverified": "غير موثّق",
    "unverified_help": "المصدر إعلان سابق للحدث أو نسخة ثانوية منه.",
    "by_type": "الأحداث حسب النوع",
    "latest": "أحدث الأحداث",
    "open_event": "فتح",
    "type_meeting": "اجتماع",
    "type_statement": "بيان",
    "type_attack": "هجوم",
    "type_resolution": "قرار",
    "type_agreement": "اتفاق",
    "type_other": "أخرى",
    "col_date": "التاريخ",
    "col_type": "النوع",
    "col_title": "العنوان",
    "col_country": "البلد",
    "col_location": "المكان",
    "col_source": "المصدر",
    "col_fatalities": "القتلى",
    "col_verification": "التوثيق",
    "col_event": "الحدث",
    "source_link": "المصدر ↗",
    "sort_by": "الترتيب حسب",
    "descending": "الأحدث أولًا",
    "page": "الصفحة",
    "rows_of": "الصفوف {a}–{b} من {n}",
    "export": "تصدير الأحداث المصفّاة",
    "export_csv": "CSV",
    "export_geojson": "GeoJSON",
    "export_parquet": "Parquet",
    "timeline_freq": "العدد لكل",
    "freq_week": "أسبوع",
    "freq_month": "شهر",
    "map_tiles": "بلاطات خرائط الويب (تتطلب الإنترنت)",
    "map_choropleth": "الأحداث حسب البلد",
    "map_selected": "الحدث المحدد",
    "map_click_hint": "انقر نقطة لفتح حدثها هنا.",
    "map_hidden": "{n} من الأحداث بلا إحداثيات (اجتماعات افتراضية) ولا تظهر على الخريطة.",
    "map_cells": (
        "{n} من الأحداث: أكثر من أن تُرسم واحدًا واحدًا، فكل دائرة تعدّ الأحداث في منطقتها؛ "
        "قرّب الخريطة لمناطق أدق."
    ),
    "timeline_capped": (
        "{n} من الأحداث: تشملها كلها الأعداد أدناه؛ وتعرض الصفوف أعلاه أحدث {shown}."
    ),
    "event_missing": "لا يوجد حدث بالمعرّف {id} في المخزن.",
    "event_pick": "اختر حدثًا من الجدول أو الخريطة أو الخط الزمني.",
    "field_when": "متى",
    "field_type": "النوع",
    "field_where": "أين",
    "field_actors": "الفاعلون",
    "field_fatalities": "القتلى",
    "field_sources": "المصادر",
    "field_evidence": "الدليل (مقتبس من المصدر)",
    "field_notes": "ملاحظات",
    "field_related": "أحداث مرتبطة",
    "field_coords": "الإحداثيات",
    "field_id": "معرّف الحدث",
    "field_dataset": "مجموعة البيانات",
    "no_link": "(بلا رابط)",
    "virtual": "افتراضي (بلا مكان)",
    "nav_curate": "التحرير",
    "nav_import": "استيراد",
    "imp_title": "استيراد",
    "imp_intro": (
        "أحضر سجلاتك: صيغة المشروع نفسها (CSV وJSON وأسطر JSON وGeoJSON "
        "وParquet)، أو تصديرات ACLED، أو ملفات UCDP GED، أو ملفات أحداث GDELT "
        "(مضغوطة أيضًا). تُكتشف الصيغة وترميز النص من الملف. لا يُكتب شيء قبل "
        "أن تؤكد."
    ),
    "imp_file": "الملف المراد استيراده",
    "imp_format": "الصيغة",
    "imp_format_auto": "اكتشاف تلقائي",
    "imp_policy": "الصفوف ذات المشكلات",
    "imp_policy_skip": "تخطَّ هذه الصفوف واستورد الباقي",
    "imp_policy_cancel": "ألغِ الاستيراد كله إن فشل أي صف",
    "imp_dups": "معرّفات موجودة في المخزن",
    "imp_dups_skip": "تخطَّ (أبقِ المخزّن)",
    "imp_dups_replace": ("استبدل صفوف الاستيرادات السابقة (لا السجلات المشحونة أو المحرَّرة أبدًا)"),
    "imp_checking": "قراءة الملف وفحصه (لا يُكتب شيء)…",
    "imp_detected": "ما اكتُشف",
    "imp_counts": "قُرئ {read:,} صفًا: يمكن استيراد {ok:,} وسيُرفض {bad:,}.",
    "imp_flags": (
        "{n:,} صفًا عليها علامة مكان (إحداثيات خارج البلد المذكور)؛ تُستورد مع العلامة ولا تُنقل."
    ),
    "imp_filled": "{n:,} صفًا بلا إحداثيات؛ تأخذ نقطة تسمية بلدها (الدقة: بلد).",
    "imp_same": "استُورد هذا الملف نفسه من قبل (الدفعة {b}).",
    "imp_preview": "الصفوف الأولى كما ستُخزَّن",
    "imp_problems": "المشكلات ({n:,})",
    "imp_problems_more": "تُعرض أول {shown:,} من {n:,} مشكلة.",
    "imp_download": "تنزيل المشكلات (CSV)",
    "imp_no_problems": "لم تُعثر على مشكلات.",
    "imp_confirm": "استيراد {n:,} صفًا",
    "imp_cancel_note": "مع اختيار «ألغِ» ووجود مشكلات، لا يمكن استيراد شيء.",
    "imp_writing": "جارٍ الاستيراد…",
    "imp_rows_read": "قُرئ {rows:,} صفًا",
    "imp_done": "استُورد {n:,} حدثًا في الدفعة {b}.",
    "imp_cancelled": "أُلغي: {n:,} مشكلة؛ لم يُكتب شيء.",
    "imp_nothing": "لم يُستورد شيء.",
    "imp_see": "اعرض الأحداث في الجدول",
    "imp_failed": "تعذّر استيراد الملف:",
    "imp_busy": "المخزن مشغول (استيراد آخر جارٍ)؛ حاول بعد لحظة.",
    "imp_batches": "الدفعات المستوردة",
    "imp_no_batches": "لا دفعات مستوردة بعد.",
    "imp_remove": "إزالة",
    "imp_remove_confirm": "إزالة الدفعة {b} وأحداثها الـ{n:,}",
    "imp_removed": "أُزيلت الدفعة {b} ({n:,} حدثًا).",
    "editor_name": "اسمك (لسجل التغييرات)",
    "editor_help": "يُسجَّل كل تغيير بهذا الاسم والوقت والقيمتين القديمة والجديدة.",
    "f_title": "العنوان (بالإنجليزية)",
    "f_title_ar": "العنوان (بالعربية)",
    "f_summary": "الملخص",
    "f_sub_type": "النوع الفرعي",
    "f_precision": "دقة التاريخ",
    "f_date": "التاريخ (اليوم الأول)",
    "f_end_date": "تاريخ الانتهاء",
    "f_admin1": "المحافظة",
    "f_lat": "خط العرض",
    "f_lon": "خط الطول",
    "f_geo_precision": "دقة المكان",
    "f_actors": "الفاعلون (واحد في كل سطر)",
    "f_fatalities_text": "عدد القتلى كما ورد في المصدر",
    "f_sources": "المصادر (واحد في كل سطر)",
    "f_sources_help": "الناشر | https://… | تاريخ النشر YYYY-MM-DD | اللغة",
    "f_related": "معرّفات الأحداث المرتبطة (واحد في كل سطر)",
    "f_event_id": "معرّف الحدث",
    "f_event_id_help": "حروف لاتينية وأرقام و- _ . : ؛ فريد في المخزن.",
    "save": "حفظ التغييرات",
    "save_new": "حفظ كحدث جديد",
    "saved": "تم الحفظ.",
    "edit_event": "تحرير هذا الحدث أو حذفه",
    "delete_event": "حذف هذا الحدث",
    "history": "سجل التغييرات",
    "tab_article": "من مقال",
    "tab_new": "حدث جديد",
    "tab_changes": "التغييرات والأحداث المحذوفة",
    "undo_last": "التراجع عن آخر تغيير",
    "undone": "تم التراجع عن آخر تغيير.",
    "recent_changes": "أحدث التغييرات",
    "deleted_events": "الأحداث المحذوفة",
    "none": "لا شيء.",
    "restore": "استعادة",
    "article_text": "نص المقال (عربي أو إنجليزي، نص عادي أو HTML)",
    "article_file": "…أو ارفعه",
    "publisher": "الناشر",
    "article_url": "رابط المقال",
    "published": "تاريخ النشر",
    "draft_events": "استخراج مسودات الأحداث",
    "article_empty": "الصق مقالًا أو ارفعه أولًا.",
    "no_drafts": "لم يُعثر على حدث مؤرخ في هذا المقال.",
    "draft_sentence": "من الجملة",
    "drop_draft": "تجاهل هذه المسودة",
    "merge_into": "أضف المقال مصدرًا للحدث {id}",
    "in_english": "(بالإنجليزية)",
    "in_arabic": "(in Arabic)",
}

LANGS = {"en": EN, "ar": AR}
#: How each language names itself in the switch.
LANG_NAMES = {"en": "English", "ar": "العربية"}


def t(key: str, lang: str = "en", **values) -> str:
    table = LANGS.get(lang, EN)
    text = table.get(key, EN.get(key, key))
    return text.format(**values) if values else text


def type_label(event_type: str, lang: str = "en") -> str:
    return t(f"type_{event_type}", lang)


MONTHS = {
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
    # The names used across most of the Arab press; the extractor also reads Levantine
    # and Maghrebi names, but one date gets one spelling on screen.
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}


def date_text(event_date, end_date=None, precision: str = "day", lang: str = "en") -> str:
    """A date as the source gave it: "January 2022" for month precision, never "1 January"."""
    import pandas as pd

    if event_date is None or pd.isna(event_date):
        return ""
    months = MONTHS.get(lang, MONTHS["en"])
    start = pd.Timestamp(event_date)
    if precision == "year":
        return str(start.year)
    if precision == "month":
        text = f"{months[start.month - 1]} {start.year}"
    else:
        text = f"{start.day} {months[start.month - 1]} {start.year}"
    if end_date is not None and not pd.isna(end_date):
        end = pd.Timestamp(end_date)
        if end.normalize() > start.normalize():
            text += f" – {end.day} {months[end.month - 1]} {end.year}"
    return text


def sentence_strings(lang: str) -> dict:
    """The words of the filter sentence ("9 events in Syria between ...") in a language."""
    if lang != "ar":
        return {}
    return {
        "events_one": "حدث واحد",
        "events_many": "{n} من الأحداث",
        "in": "في {places}",
        "between": "بين {a} و{b}",
        "from": "منذ {a}",
        "until": "حتى {b}",
        "types": "الأنواع: {types}",
        "actors": "الفاعلون: {actors}",
        "text": "تطابق «{text}»",
        "sep": "، ",
        "and": " و",
        "months": MONTHS["ar"],
    }
