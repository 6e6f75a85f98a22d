"""Words shown on screen, by language.

Pages never hold literal UI text: they ask :func:`t`, so the Arabic interface is a
table to fill, not a search through page code. The module is long because it is one
table per language (the app's words, the map's, Streamlit's own chrome, Plotly's) and
the one date wording every view uses (:func:`date_text`); split, a translator would
have to hunt for the other halves.
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
    "date_placeholder": "YYYY-MM-DD",
    "date_preset": "Period",
    "date_preset_prompt": "A period: last 30 days, this year, a year…",
    "preset_last30": "Last 30 days",
    "preset_thisyear": "This year",
    "date_help": "Type a day (2022-05-11), a month (2022-05) or a year (2022); Enter applies it.",
    "date_bad": "Not a date: type YYYY-MM-DD. This box is not applied.",
    "types": "Event types",
    "actors": "Actors",
    "actors_help": "Pick a name or type one: an event matches when one of its actors contains it.",
    "text": "Search text",
    "text_help": "Words in the title, summary, actors, place or quoted source; all must match.",
    # -- place, sub-type and deaths filters
    "places": "Places or provinces (any of)",
    "places_help": (
        "Pick or type places: an event matches when one of them is, as whole words, in its "
        "place name or its province (admin-1). Case and accents do not matter."
    ),
    "sub_types": "Sub-types (any of)",
    "sub_types_help": "Sub-types as the source names them (ACLED's sub-event types included).",
    "deaths_min": "Deaths, at least",
    "deaths_max": "Deaths, at most",
    "deaths_help": "Events whose death count is unknown are left out once a bound is set.",
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
    "notice_more": "… and {n} more",
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
    "map_hidden": "{events} have no coordinates (virtual meetings) and are not on the map.",
    "map_cells": (
        "{events}: too many to draw one by one, so each circle counts the events in its "
        "area; zoom in for finer areas."
    ),
    "map_in_view": "In view: {events}",
    "map_in_view_more": "The newest {shown} of them; zoom in to list the rest.",
    "map_in_view_none": "No event in this part of the map.",
    "working_count": "Counting the events in this view…",
    "working_types": "Counting the events by type…",
    "working_timeline": "Counting the events by period…",
    "working_map": "Placing the events on the map…",
    "working_page": "Reading this page of the table…",
    "timeline_capped": (
        "{events}: the counts below include all of them; the rows above show the newest {shown}."
    ),
    "event_missing": "No event with id {id} in the store.",
    "event_pick": "Choose an event from the table, the map or the timeline.",
    "field_when": "When",
    "field_type": "Type",
    "field_origin_type": "Type in the source",
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
        "Rows without coordinates placed from their place name (an unambiguous city in the "
        "offline gazetteer) or else at their country's label point: {n:,}. The record's "
        "coordinate basis says which."
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
    "imp_done": "Imported {events} as batch {b}.",
    "imp_cancelled": "Cancelled: {n:,} problems; nothing was written.",
    "imp_nothing": "Nothing was imported.",
    "imp_see": "Show the events in the table",
    "imp_col_row": "row",
    "imp_col_column": "column",
    "imp_col_problem": "problem",
    "batch_only": "Only the events of import batch {b}.",
    "batch_clear": "Show every batch",
    "imp_failed": "The file could not be imported:",
    "imp_busy": "The store is busy (another import is running); try again in a moment.",
    "imp_batches": "Imported batches",
    "imp_no_batches": "No imported batches yet.",
    "imp_remove": "Remove",
    "imp_remove_confirm": "Remove batch {b} and its {n:,} events",
    "imp_removed": "Removed batch {b} ({events}).",
    "editor_name": "Your name (for the change log)",
    "editor_help": "Every change is recorded with this name, the time, and the old and new values.",
    "name_required": "Fill in “{field}” beside this button first: nothing was saved.",
    "field_required": "Fill in “{field}” first: nothing was saved.",
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
    "f_actors": "Actors (one per row)",
    "col_actor": "Actor",
    "f_fatalities_text": "Fatalities as the source words it",
    "f_sources": "Sources (one per row)",
    "f_sources_help": "Publisher, address (https://…), published on (YYYY-MM-DD), language.",
    "col_publisher": "Publisher",
    "col_url": "Address",
    "col_published": "Published on",
    "col_language": "Language",
    "nothing_changed": "Nothing was changed, so nothing was saved.",
    "reuse_deleted_id": "Reuse the id of a deleted event (the deleted version stays in the trash)",
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
    "undo_last": "Undo my last change",
    "undone": "Your last change was undone.",
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
    "no_published_date": (
        "No publication date given. Without it, dates in the article that have no year "
        '("on Tuesday", "11 May") cannot be placed: give the date the article was '
        "published. Drafting without it may date such events wrongly; check every draft's date."
    ),
    "draft_undated": "Draft without a publication date",
    "article_empty": "Paste or upload an article first.",
    "no_drafts": "No dated event was found in this article.",
    "draft_cancelled": (
        "Drafting stopped after {seconds} s: this page allows {limit} s for one article. "
        "Nothing was drafted; paste a shorter part of the article and try again."
    ),
    "draft_sentence": "From the sentence",
    "draft_no_date": "no date (the article says: {words})",
    "draft_planned": "planned",
    "draft_notes": "Drafted from the article (confidence {confidence}): ",
    "draft_why_date": "Date",
    "draft_why_place": "Place",
    "draft_why_type": "Type",
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
    # Read right to left, so the year sits at the left, over the year of a typed date
    # (digits run left to right) and where the Curate page's date fields show it.
    "date_placeholder": "يوم-شهر-سنة",
    "date_preset": "الفترة",
    "date_preset_prompt": "فترة: آخر 30 يومًا، هذه السنة، سنة…",
    "preset_last30": "آخر 30 يومًا",
    "preset_thisyear": "هذه السنة",
    "date_help": "اكتب يومًا (2022-05-11) أو شهرًا (2022-05) أو سنة (2022)؛ يطبّقه مفتاح Enter.",
    "date_bad": "ليس تاريخًا: اكتب سنة-شهر-يوم بالأرقام. لم يُطبَّق هذا الحقل.",
    "types": "أنواع الأحداث",
    "actors": "الفاعلون",
    "actors_help": "اختر اسمًا أو اكتبه: يطابق الحدثُ إذا احتوى أحد فاعليه على الاسم.",
    "text": "بحث نصي",
    "text_help": (
        "كلمات في العنوان أو الملخص أو الفاعلين أو المكان أو نص المصدر؛ يجب أن تطابق كلها."
    ),
    # -- place, sub-type and deaths filters
    "places": "الأماكن أو المحافظات (أيٌّ منها)",
    "places_help": (
        "اختر أماكن أو اكتبها: يطابق الحدثُ إذا ورد أحدها بكلمات كاملة في اسم مكانه أو "
        "محافظته. لا يهم حجم الأحرف ولا علامات التشكيل."
    ),
    "sub_types": "الأنواع الفرعية (أيٌّ منها)",
    "sub_types_help": "الأنواع الفرعية كما يسمّيها المصدر (ومنها أنواع ACLED الفرعية).",
    "deaths_min": "القتلى، على الأقل",
    "deaths_max": "القتلى، على الأكثر",
    "deaths_help": "تُستبعد الأحداث التي لا يُعرف عدد قتلاها متى حُدّد أحد الحدّين.",
    "reset": "مسح عوامل التصفية",
    "share": "رابط هذا العرض",
    "share_help": "انسخ هذا العنوان وأرسله: يفتح هذه الصفحة بعوامل التصفية نفسها.",
    "notice_title": "لم تُستخدم بعض أجزاء الرابط",
    "notice_more": "… و{n} غيرها",
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
    "map_hidden": "{events} بلا إحداثيات (اجتماعات افتراضية) ولا تظهر على الخريطة.",
    "map_cells": (
        "{events}: أكثر من أن تُرسم واحدًا واحدًا، فكل دائرة تعدّ الأحداث في منطقتها؛ "
        "قرّب الخريطة لمناطق أدق."
    ),
    "map_in_view": "في هذا الجزء من الخريطة: {events}",
    "map_in_view_more": "أحدث {shown} منها؛ قرّب الخريطة لعرض البقية.",
    "map_in_view_none": "لا أحداث في هذا الجزء من الخريطة.",
    "working_count": "جارٍ عدّ أحداث هذا العرض…",
    "working_types": "جارٍ عدّ الأحداث حسب النوع…",
    "working_timeline": "جارٍ عدّ الأحداث حسب الفترة…",
    "working_map": "جارٍ وضع الأحداث على الخريطة…",
    "working_page": "جارٍ قراءة هذه الصفحة من الجدول…",
    "timeline_capped": ("{events}: تشملها كلها الأعداد أدناه؛ وتعرض الصفوف أعلاه أحدث {shown}."),
    "event_missing": "لا يوجد حدث بالمعرّف {id} في المخزن.",
    "event_pick": "اختر حدثًا من الجدول أو الخريطة أو الخط الزمني.",
    "field_when": "متى",
    "field_type": "النوع",
    "field_origin_type": "النوع في المصدر",
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
    "imp_filled": (
        "{n:,} صفًا بلا إحداثيات: وُضعت في مدينتها إن عرفها المعجم الجغرافي دون لبس، "
        "وإلا في نقطة تسمية بلدها. يذكر أساس الإحداثيات في السجل أيّهما."
    ),
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
    "imp_done": "استُورد {events} في الدفعة {b}.",
    "imp_cancelled": "أُلغي: {n:,} مشكلة؛ لم يُكتب شيء.",
    "imp_nothing": "لم يُستورد شيء.",
    "imp_see": "اعرض الأحداث في الجدول",
    "imp_col_row": "الصف",
    "imp_col_column": "العمود",
    "imp_col_problem": "المشكلة",
    "batch_only": "أحداث دفعة الاستيراد {b} وحدها.",
    "batch_clear": "اعرض كل الدفعات",
    "imp_failed": "تعذّر استيراد الملف:",
    "imp_busy": "المخزن مشغول (استيراد آخر جارٍ)؛ حاول بعد لحظة.",
    "imp_batches": "الدفعات المستوردة",
    "imp_no_batches": "لا دفعات مستوردة بعد.",
    "imp_remove": "إزالة",
    "imp_remove_confirm": "إزالة الدفعة {b} وأحداثها الـ{n:,}",
    "imp_removed": "أُزيلت الدفعة {b} ({events}).",
    "editor_name": "اسمك (لسجل التغييرات)",
    "editor_help": "يُسجَّل كل تغيير بهذا الاسم والوقت والقيمتين القديمة والجديدة.",
    "name_required": "املأ خانة «{field}» بجانب هذا الزر أولًا: لم يُحفظ شيء.",
    "field_required": "املأ خانة «{field}» أولًا: لم يُحفظ شيء.",
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
    "f_actors": "الفاعلون (واحد في كل صف)",
    "col_actor": "الفاعل",
    "f_fatalities_text": "عدد القتلى كما ورد في المصدر",
    "f_sources": "المصادر (واحد في كل صف)",
    "f_sources_help": "الناشر، العنوان (https://…)، تاريخ النشر (YYYY-MM-DD)، اللغة.",
    "col_publisher": "الناشر",
    "col_url": "العنوان",
    "col_published": "تاريخ النشر",
    "col_language": "اللغة",
    "nothing_changed": "لم يتغيّر شيء، فلم يُحفظ شيء.",
    "reuse_deleted_id": "إعادة استخدام معرّف حدث محذوف (تبقى النسخة المحذوفة في سلة المحذوفات)",
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
    "undo_last": "التراجع عن آخر تغيير أجريته",
    "undone": "تم التراجع عن آخر تغيير أجريته.",
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
    "no_published_date": (
        "لم يُذكر تاريخ النشر. من دونه لا يمكن تحديد التواريخ التي بلا سنة في المقال "
        '("يوم الثلاثاء"، "11 مايو"): أدخل تاريخ نشر المقال. قد يؤدي الاستخراج من دونه '
        "إلى تأريخ هذه الأحداث خطأً؛ راجع تاريخ كل مسودة."
    ),
    "draft_undated": "الاستخراج من دون تاريخ النشر",
    "article_empty": "الصق مقالًا أو ارفعه أولًا.",
    "no_drafts": "لم يُعثر على حدث مؤرخ في هذا المقال.",
    "draft_cancelled": (
        "توقّف الاستخراج بعد {seconds} ثانية: تسمح هذه الصفحة بـ{limit} ثانية للمقال الواحد. "
        "لم يُستخرج شيء؛ الصق جزءًا أقصر من المقال وحاول مرة أخرى."
    ),
    "draft_sentence": "من الجملة",
    "draft_no_date": "بلا تاريخ (في المقال: {words})",
    "draft_planned": "مُخطَّط له",
    "draft_notes": "مستخرج من المقال (درجة الثقة {confidence}): ",
    "draft_why_date": "التاريخ",
    "draft_why_place": "المكان",
    "draft_why_type": "النوع",
    "drop_draft": "تجاهل هذه المسودة",
    "merge_into": "أضف المقال مصدرًا للحدث {id}",
    "in_english": "(بالإنجليزية)",
    "in_arabic": "(in Arabic)",
}

# --- the insight views: actors, before/after, map playback (one block per language, so a
# translator reads the two side by side) ---------------------------------------------------
INSIGHT_EN = {
    "nav_actors": "Actors",
    "net_intro": "Who appears in the same events. Click an actor to filter by it; click the "
    "dot in the middle of a line to list the events the two share.",
    "net_none": "No actors are named in the events that match the filters.",
    "net_hidden": "Drawn: the {shown} actors with the most partners; {hidden} more are in the "
    "table only.",
    "net_all": "{n} actors, {m} pairs.",
    "net_events": "events",
    "net_shared": "shared events",
    "net_table": "Actors",
    "net_col_actor": "Actor",
    "net_col_kind": "Kind",
    "net_col_events": "Events",
    "net_col_first": "First",
    "net_col_last": "Last",
    "net_col_partners": "Partners",
    "net_pair": "Events two actors share",
    "net_pair_none": "No pair chosen",
    "net_pair_rows": "{events} name both {a} and {b}.",
    "net_pair_rows_one": "1 event names both {a} and {b}.",
    "net_pair_more": "The newest {shown} are listed.",
    "net_filter": "Filter by this actor",
    "kind_state": "state",
    "kind_armed group": "armed group",
    "kind_international organisation": "international organisation",
    "kind_unknown": "unknown",
    "ba_title": "Before and after",
    "ba_types": "Events counted",
    "ba_window": "Days before and after",
    "ba_country": "Country counted",
    "ba_counts": "{before} in the {w} days before, {after} in the {w} days after",
    "ba_during": "{n} on the event's own days, in neither count.",
    "ba_more": "After / before = {r} (95% interval {lo} to {hi}): more events after than "
    "chance alone would usually give.",
    "ba_fewer": "After / before = {r} (95% interval {lo} to {hi}): fewer events after than "
    "chance alone would usually give.",
    "ba_unclear": "After / before = {r} (95% interval {lo} to {hi}): the interval includes "
    "1, so the difference could be chance.",
    "ba_none": "No such events in either window.",
    "ba_no_country": "This event has no country of its own: choose the country to count.",
    "ba_caveat": "A count of recorded events, not a cause: other things changed in these "
    "months too, and the records may be incomplete.",
    "ba_week_of": "Week of",
    "ba_event": "this event",
    "ba_unbounded": "no upper bound",
    "pb_toggle": "Play through time",
    "pb_unit": "Step",
    "pb_step": "Period shown",
    "pb_prev": "Previous",
    "pb_next": "Next",
    "pb_play": "Play",
    "pb_shown": "{events} in {period}.",
    "pb_shown_one": "1 event in {period}.",
    "pb_week": "week of {day}",
    "pb_none": "No events in the filtered period to play through.",
    "pb_capped": "Only the last {n} steps of the period can be played; narrow the dates.",
}
INSIGHT_AR = {
    "nav_actors": "الأطراف",
    "net_intro": "من يظهر في الأحداث نفسها. انقر على طرف لتصفية الأحداث به؛ وانقر على النقطة "
    "في منتصف خط لعرض الأحداث المشتركة بين الطرفين.",
    "net_none": "لا تذكر الأحداث المطابقة للمرشحات أي طرف.",
    "net_hidden": "المرسوم: {shown} طرفًا الأكثر شركاء؛ و{hidden} غيرهم في الجدول فقط.",
    "net_all": "{n} طرفًا، {m} زوجًا.",
    "net_events": "أحداث",
    "net_shared": "أحداث مشتركة",
    "net_table": "الأطراف",
    "net_col_actor": "الطرف",
    "net_col_kind": "النوع",
    "net_col_events": "الأحداث",
    "net_col_first": "الأول",
    "net_col_last": "الأخير",
    "net_col_partners": "الشركاء",
    "net_pair": "الأحداث المشتركة بين طرفين",
    "net_pair_none": "لم يُختر زوج",
    "net_pair_rows": "{events} تذكر {a} و{b} معًا.",
    "net_pair_rows_one": "حدث واحد يذكر {a} و{b} معًا.",
    "net_pair_more": "تُعرض أحدث {shown} منها.",
    "net_filter": "صفِّ بهذا الطرف",
    "kind_state": "دولة",
    "kind_armed group": "جماعة مسلحة",
    "kind_international organisation": "منظمة دولية",
    "kind_unknown": "غير معروف",
    "ba_title": "قبل الحدث وبعده",
    "ba_types": "الأحداث المعدودة",
    "ba_window": "عدد الأيام قبل وبعد",
    "ba_country": "البلد المعدود",
    "ba_counts": "{before} في الأيام الـ{w} السابقة، و{after} في الأيام الـ{w} اللاحقة",
    "ba_during": "{n} في أيام الحدث نفسه، خارج العدّين.",
    "ba_more": "بعد / قبل = {r} (فترة ثقة 95٪ من {lo} إلى {hi}): أحداث بعده أكثر مما تعطيه "
    "المصادفة وحدها عادةً.",
    "ba_fewer": "بعد / قبل = {r} (فترة ثقة 95٪ من {lo} إلى {hi}): أحداث بعده أقل مما تعطيه "
    "المصادفة وحدها عادةً.",
    "ba_unclear": "بعد / قبل = {r} (فترة ثقة 95٪ من {lo} إلى {hi}): تشمل الفترة 1، فقد يكون "
    "الفرق مصادفة.",
    "ba_none": "لا أحداث من هذا النوع في أي من الفترتين.",
    "ba_no_country": "لا بلد لهذا الحدث: اختر البلد الذي تُعدّ أحداثه.",
    "ba_caveat": "هذا عدّ للأحداث المسجلة لا سبب لها: تغيرت أمور أخرى في هذه الأشهر، وقد "
    "تكون السجلات ناقصة.",
    "ba_week_of": "أسبوع",
    "ba_event": "هذا الحدث",
    "ba_unbounded": "بلا حد أعلى",
    "pb_toggle": "تشغيل عبر الزمن",
    "pb_unit": "الخطوة",
    "pb_step": "الفترة المعروضة",
    "pb_prev": "السابق",
    "pb_next": "التالي",
    "pb_play": "تشغيل",
    "pb_shown": "{events} في {period}.",
    "pb_shown_one": "حدث واحد في {period}.",
    "pb_week": "أسبوع {day}",
    "pb_none": "لا أحداث في الفترة المصفاة لتشغيلها.",
    "pb_capped": "لا يمكن تشغيل إلا آخر {n} خطوة من الفترة؛ ضيّق التواريخ.",
}
EN.update(INSIGHT_EN)
AR.update(INSIGHT_AR)

# --- the timeline's brush and deaths, the event page's neighbours and relations (one block
# per language, side by side for a translator) ---------------------------------------------
TIMELINE_EVENT_EN = {
    "working_deaths": "Adding up the deaths by period…",
    "working_order": "Finding this event's place in the list…",
    "fatalities": "Fatalities",
    "timeline_brush_hint": "To filter by a period, choose Box Select (the dashed square) in "
    "the chart's toolbar and drag across the timeline.",
    "timeline_labels_rule": "Named on the chart: up to five events, those with the most deaths, "
    "then the most sources, then the longest.",
    "ev_prev": "← Previous",
    "ev_next": "Next →",
    "ev_position": "{i} of {n} in the filtered list",
    "ev_outside": "Not in the filtered list: Previous and Next follow the filters.",
    "ev_title_translated": "Arabic title translated from the English title",
    "ev_title_headline": "Arabic title: the headline of the Arabic source",
    "ev_map_context": "This event (outlined) and its related events that have a place.",
    "rel_same_meeting": "same meeting",
    "rel_same_day": "same time",
    "rel_cited_attack": "attack it refers to",
    "rel_cites_this": "refers to this attack",
    "rel_series_earlier": "earlier in the series",
    "rel_series_later": "later in the series",
    "rel_earlier": "earlier",
    "rel_follow_up": "follow-up",
}
TIMELINE_EVENT_AR = {
    "working_deaths": "جارٍ جمع القتلى حسب الفترة…",
    "working_order": "جارٍ تحديد موضع هذا الحدث في القائمة…",
    "fatalities": "القتلى",
    "timeline_brush_hint": "لتصفية الأحداث بفترة، اختر «تحديد مستطيل» (المربع المتقطع) في "
    "شريط أدوات الرسم واسحب على الخط الزمني.",
    "timeline_labels_rule": "المسمّاة على الرسم: خمسة أحداث على الأكثر، الأكثر قتلى، ثم الأكثر "
    "مصادر، ثم الأطول مدة.",
    "ev_prev": "→ السابق",
    "ev_next": "التالي ←",
    "ev_position": "{i} من {n} في القائمة المصفاة",
    "ev_outside": "ليس في القائمة المصفاة: السابق والتالي يتبعان المرشحات.",
    "ev_title_translated": "العنوان العربي مترجم من العنوان الإنجليزي",
    "ev_title_headline": "العنوان العربي: عنوان المصدر العربي",
    "ev_map_context": "هذا الحدث (محاطًا بدائرة) والأحداث المرتبطة به التي لها مكان.",
    "rel_same_meeting": "الاجتماع نفسه",
    "rel_same_day": "في الوقت نفسه",
    "rel_cited_attack": "هجوم يشير إليه",
    "rel_cites_this": "يشير إلى هذا الهجوم",
    "rel_series_earlier": "سابق في السلسلة",
    "rel_series_later": "لاحق في السلسلة",
    "rel_earlier": "سابق",
    "rel_follow_up": "متابعة",
}
EN.update(TIMELINE_EVENT_EN)
AR.update(TIMELINE_EVENT_AR)

LANGS = {"en": EN, "ar": AR}
#: How each language names itself in the switch.
LANG_NAMES = {"en": "English", "ar": "العربية"}


def t(key: str, lang: str = "en", **values) -> str:
    """The text of `key` in `lang`. A text may say `{events}` where the noun must agree
    with the count `n` (Arabic has six forms: "حدثان", "3 أحداث", "11 حدثًا"...)."""
    table = LANGS.get(lang, EN)
    text = table.get(key, EN.get(key, key))
    if "n" in values and "{events}" in text:
        values = {**values, "events": count_events(values["n"], lang)}
    return text.format(**values) if values else text


def type_label(event_type: str, lang: str = "en") -> str:
    return t(f"type_{event_type}", lang)


#: Words for the stored values of the closed fields, in each language (the edit form).
VALUE_LABELS = {
    "en": {
        "verified": "verified",
        "unverified": "unverified",
        "day": "day",
        "month": "month",
        "year": "year",
        "exact": "exact",
        "city": "city",
        "admin1": "province (admin1)",
        "country": "country",
    },
    "ar": {
        "verified": "موثّق",
        "unverified": "غير موثّق",
        "day": "يوم",
        "month": "شهر",
        "year": "سنة",
        "exact": "دقيق",
        "city": "مدينة",
        "admin1": "محافظة",
        "country": "بلد",
    },
}


#: The sub-types of the shipped records in Arabic; any other sub-type (an import's) is the
#: source's own word and is shown as written, marked as such.
SUB_TYPES_AR = {
    "ministerial": "اجتماع وزاري",
    "joint statement": "بيان مشترك",
    "senior officials": "اجتماع كبار المسؤولين",
    "announcement": "إعلان",
    "UN Security Council resolution": "قرار مجلس الأمن الدولي",
    "talks": "محادثات",
    "bombing": "تفجير",
    "suicide bombing": "تفجير انتحاري",
    "raid": "غارة",
    "shooting": "إطلاق نار",
    "prison attack": "هجوم على سجن",
    # written by the article extractor (extract.SUBTYPE_AR)
    "press conference": "مؤتمر صحفي",
}


def sub_type_label(sub_type: str | None, lang: str = "en") -> str:
    """A sub-type in the UI language; an untranslated one keeps its words, marked."""
    if not sub_type:
        return ""
    if lang != "ar":
        return sub_type
    return SUB_TYPES_AR.get(sub_type) or f"{sub_type} {t('in_english', lang)}"


def value_label(value: str | None, lang: str = "en") -> str:
    """A closed field's stored value in words; an empty value is a dash."""
    if not value:
        return "—"
    return VALUE_LABELS.get(lang, VALUE_LABELS["en"]).get(value, value)


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


def as_day(value):
    """A date-like value as a midnight Timestamp; None for None, NaN and NaT (what a
    frame's date cell holds, whichever engine filled it)."""
    import pandas as pd

    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(value).normalize()


def date_text(event_date, end_date=None, precision: str = "day", lang: str = "en") -> str:
    """An event's date as the source gave it, in the one wording of every page and language.

    "11 May 2022"; a span "20–30 January 2022", "28 January – 3 February 2022",
    "28 December 2021 – 3 January 2022"; month precision "January 2022" and year
    precision "2022", never a day the source did not give. An end beyond the month or
    year a date covers is added as a day ("January 2022 – 15 March 2022").
    """
    import pandas as pd

    start = as_day(event_date)
    if start is None:
        return ""
    end = as_day(end_date)
    months = MONTHS.get(lang, MONTHS["en"])

    def day(d) -> str:
        return f"{d.day} {months[d.month - 1]} {d.year}"

    if precision == "year":
        text, covered = str(start.year), pd.Timestamp(start.year, 12, 31)
    elif precision == "month":
        text, covered = f"{months[start.month - 1]} {start.year}", start + pd.offsets.MonthEnd(0)
    else:
        if end is None or end <= start:
            return day(start)
        if start.year != end.year:
            return f"{day(start)} – {day(end)}"
        if start.month != end.month:
            return f"{start.day} {months[start.month - 1]} – {day(end)}"
        return f"{start.day}–{day(end)}"
    if end is not None and end > covered:
        text += f" – {day(end)}"
    return text


#: The map's own words: popup field names, the legend, layer names, Leaflet's buttons.
MAP_WORDS = {
    "en": {
        "date": "Date",
        "type": "Type",
        "location": "Location",
        "source": "Source",
        "fatalities": "Fatalities",
        "unverified": "unverified",
        "legend": "Event type",
        "country": "Country",
        "events": "Events",
        "per_country": "Events per country",
        "countries": "Countries",
        "markers": "Events",
        "tiles": "OpenStreetMap",
    },
    "ar": {
        "date": "التاريخ",
        "type": "النوع",
        "location": "المكان",
        "source": "المصدر",
        "fatalities": "القتلى",
        "unverified": "غير موثّق",
        "legend": "نوع الحدث",
        "country": "البلد",
        "events": "الأحداث",
        "per_country": "الأحداث حسب البلد",
        "countries": "البلدان",
        "markers": "الأحداث",
        "tiles": "OpenStreetMap",
        "zoom_in": "تكبير",
        "zoom_out": "تصغير",
        "layers": "الطبقات",
        "km": "كم",
        "m": "م",
    },
}


def map_words(lang: str) -> dict[str, str]:
    return MAP_WORDS.get(lang, MAP_WORDS["en"])


def arabic_plural(n: int) -> str:
    """Arabic's plural category of a count (CLDR): zero, one, two, few (3-10 in the last
    two digits), many (11-99 in the last two digits) or other (100, 101, 102, ...)."""
    n = abs(int(n))
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


#: "N events" by plural category; {n} is the number as written.
EVENTS_AR = {
    "zero": "لا أحداث",
    "one": "حدث واحد",
    "two": "حدثان",
    "few": "{n} أحداث",
    "many": "{n} حدثًا",
    "other": "{n} حدث",
}


def count_events(n: int, lang: str = "en") -> str:
    """A number of events with the noun agreeing with it: "1 event", "3 events";
    "حدث واحد", "حدثان", "3 أحداث", "11 حدثًا", "100 حدث"."""
    if lang == "ar":
        return EVENTS_AR[arabic_plural(n)].format(n=f"{n:,}")
    return "1 event" if n == 1 else f"{n:,} events"


#: Why a link's value was not used (urlstate.Notice, filters.Dropped), in Arabic: each
#: English reason as a pattern, its numbers and codes carried over as they are.
NOTICE_REASONS_AR = (
    (r"unknown parameter", "معامل غير معروف"),
    (r"not valid text", "نص غير صالح"),
    (r"longer than (\d+) characters", "أطول من {0} حرفًا"),
    (r"given more than once; the first is used", "ورد أكثر من مرة؛ استُخدم الأول"),
    (r"not a date between 1900 and 2100 \(YYYY-MM-DD\)", "ليس تاريخًا بين 1900 و2100 (YYYY-MM-DD)"),
    (r"not a valid event id", "ليس معرّف حدث صالحًا"),
    (r"language must be en or ar", "اللغة إما en أو ar"),
    (r"not a number between (\S+) and (\S+)", "ليس عددًا بين {0} و{1}"),
    (r"lat and lon go together", "يُذكر lat وlon معًا"),
    (r"not one of (.+)", "ليس من هذه: {0}"),
    (r"must be 0 or 1", "إما 0 أو 1"),
    (r"not a page number from 1 to (\d+)", "ليس رقم صفحة من 1 إلى {0}"),
    (r"only the first (\d+) are used", "استُخدم أول {0} فقط"),
    (r"not a known ISO 3166-1 alpha-3 code", "ليس رمز بلد معروفًا (ISO 3166-1 alpha-3)"),
    (r"before 'from'; the two dates were swapped", "قبل تاريخ البداية؛ بُدّل التاريخان"),
    (r"not an import batch id", "ليس معرّف دفعة استيراد"),
    (r"not a whole number of deaths from 0 to (\d+)", "ليس عددًا صحيحًا للقتلى من 0 إلى {0}"),
    (r"below the minimum; the two were swapped", "أقل من الحد الأدنى؛ بُدّل الحدّان"),
    (r"not a data version( \(a whole number\))?", "ليس رقم إصدار للبيانات (عدد صحيح)"),
    (
        r"not a month \(YYYY-MM\) or a Monday \(YYYY-MM-DD\)",
        "ليس شهرًا (YYYY-MM) ولا يوم اثنين (YYYY-MM-DD)",
    ),
)


def notice_text(param: str, value: str, reason: str, lang: str = "en") -> str:
    """One line of "what the link asked for and did not get", in the UI language."""
    import re

    shown = value if len(value) <= 40 else value[:40] + "…"
    if lang != "ar":
        return f"{param}={shown!r} ignored: {reason}"
    for pattern, arabic in NOTICE_REASONS_AR:
        match = re.fullmatch(pattern, reason)
        if match:
            reason = arabic.format(*match.groups())
            break
    # The parameter and value stay as written (Latin, or the link's own text), isolated
    # so they keep their order inside the Arabic line.
    return f"\u2066{param}={shown!r}\u2069 لم يُستخدم: {reason}"


#: The record's fields as the edit form names them, for a refusal that names a field.
FIELD_KEYS = {
    "event_id": "f_event_id",
    "title": "f_title",
    "title_ar": "f_title_ar",
    "summary": "f_summary",
    "event_type": "field_type",
    "sub_type": "f_sub_type",
    "verification": "col_verification",
    "date_precision": "f_precision",
    "event_date": "f_date",
    "end_date": "f_end_date",
    "country": "col_country",
    "admin1": "f_admin1",
    "location": "col_location",
    "latitude": "f_lat",
    "longitude": "f_lon",
    "geo_precision": "f_geo_precision",
    "actors": "f_actors",
    "fatalities": "field_fatalities",
    "fatalities_text": "f_fatalities_text",
    "sources": "f_sources",
    "related": "f_related",
    "evidence": "field_evidence",
    "notes": "field_notes",
}

#: Why a field's value was refused (schema.RecordError), in Arabic; values, ids and codes
#: are carried over as written.
RECORD_REASONS_AR = (
    (r"missing", "مفقود"),
    (r"title and title_ar are both empty", "العنوان بالإنجليزية والعنوان بالعربية فارغان كلاهما"),
    (r"(.+) is before event_date (.+)", "{0} قبل تاريخ الحدث {1}"),
    (r"(.+) is not one of (.+)", "{0} ليس من هذه: {1}"),
    (r"(.+) is not an ISO 3166-1 alpha-3 code", "{0} ليس رمز بلد (ISO 3166-1 alpha-3)"),
    (r"(.+) is not between (\d+) and (\d+)", "{0} ليس بين {1} و{2}"),
    (r"(.+) is outside (.+)\.\.(.+)", "{0} خارج المدى من {1} إلى {2}"),
    (r"(.+) is larger than (\d+)", "{0} أكبر من {1}"),
    (r"negative: (.+)", "عدد سالب: {0}"),
    (r"not a whole number: (.+)", "ليس عددًا صحيحًا: {0}"),
    (r"not a number: (.+)", "ليس عددًا: {0}"),
    (r"not (a date.*): (.+)", "ليس تاريخًا: {1}"),
    (r"text longer than (\d+) characters \((\d+)\)", "نص أطول من {0} حرفًا ({1})"),
    (r"latitude and longitude must be given together", "يُذكر خط العرض وخط الطول معًا"),
    (r"at least one source is required", "مصدر واحد على الأقل مطلوب"),
    (r"each source must be an object", "كل مصدر صفّ من الحقول"),
    (r"missing or not a valid id: (.+)", "مفقود أو ليس معرّفًا صالحًا: {0}"),
    (r"expected a list", "المتوقع قائمة"),
    (r"more than (\d+) entries", "أكثر من {0} عنصرًا"),
)

#: Why a change was refused (dashboard.curation), in Arabic, by pattern as the link's
#: notices are; names, ids and dates are carried over as written.
REFUSALS_AR = (
    (
        r"say who you are: the audit log records a name with every change",
        "اكتب اسمك: يسجّل سجل التغييرات اسمًا مع كل تغيير",
    ),
    (r"the name is longer than (\d+) characters", "الاسم أطول من {0} حرفًا"),
    (r"nothing changed", "لم يتغيّر شيء"),
    (r"not saved: an event with id (\S+) exists", "لم يُحفظ: يوجد حدث بالمعرّف {0}"),
    (
        r"not saved: the id (\S+) belongs to a deleted event \((.*), deleted by (.+) on (.+), "
        r"change (\d+)\); restore it .*",
        "لم يُحفظ: المعرّف {0} لحدث محذوف ({1}، حذفه {2} في {3}، التغيير {4})؛ استعده من "
        "الأحداث المحذوفة، أو اختر إعادة استخدام المعرّف (تبقى النسخة المحذوفة هناك)",
    ),
    (r"not saved: unknown fields (.+)", "لم يُحفظ: حقول غير معروفة: {0}"),
    (r"not saved: event (\S+) no longer exists", "لم يُحفظ: الحدث {0} لم يعد موجودًا"),
    (
        r"not saved: event (\S+) was changed by someone else after you opened it; .*",
        "لم يُحفظ: غيّر شخص آخر الحدث {0} بعد أن فتحته؛ أعد تحميله وأعد تغييرك",
    ),
    (
        r"not saved: (.+) record where the event came from and are not edited",
        "لم يُحفظ: الحقول {0} تسجّل مصدر الحدث ولا تُحرَّر",
    ),
    (r"event (\S+) does not exist", "الحدث {0} غير موجود"),
    (
        r"event (\S+) is not among the deleted events by change (\d+)",
        "الحدث {0} ليس بين الأحداث المحذوفة بالتغيير {1}",
    ),
    (r"event (\S+) is not among the deleted events", "الحدث {0} ليس بين الأحداث المحذوفة"),
    (
        r"nothing restored: (\d+) deleted versions of (\S+) are kept \((.*)\); choose one",
        "لم يُستعد شيء: للحدث {1} {0} نسخ محذوفة ({2})؛ اختر واحدة",
    ),
    (
        r"an event with id (\S+) exists again; nothing restored",
        "يوجد حدث بالمعرّف {0} من جديد؛ لم يُستعد شيء",
    ),
    (r"(.+) has no change to undo", "لا تغيير لـ{0} يمكن التراجع عنه"),
    (
        r"not undone: (.+) changed (\S+) after your (\w+) \((.*)\); undoing yours would "
        r"overwrite theirs",
        "لم يُتراجع: غيّر {0} الحدث {1} بعد تغييرك ({3})؛ التراجع عن تغييرك يمحو تغييره",
    ),
    (
        r"cannot undo the (creation|restore|deletion|edit) of (\S+): .*",
        "لا يمكن التراجع عن هذا التغيير على الحدث {1}: تغيّر الحدث بعده",
    ),
    (
        r"not undone: (.+) of (\S+) changed since your edit .*",
        "لم يُتراجع: تغيّر {0} في الحدث {1} بعد تحريرك (باستيراد أو بتحديث السجلات المرفقة)",
    ),
    (r"the event already cites this source", "الحدث يذكر هذا المصدر من قبل"),
)


def refusal_text(message: str, lang: str = "en", escape=str) -> str:
    """A refused change's reason in the UI language. In Arabic, a field is named as the
    form names it; a reason not in the tables stays in English, marked as such. `escape`
    makes the message's own values (ids, names, quoted values) safe for the sink."""
    import re

    if lang != "ar":
        return escape(message)
    english = f"{escape(message)} {t('in_english', lang)}"
    field = re.fullmatch(r"not saved: (\w+): (.+)", message, re.S)
    if field and field.group(1) in FIELD_KEYS:
        reason = _by_pattern(field.group(2), RECORD_REASONS_AR, escape)
        name = t(FIELD_KEYS[field.group(1)], lang)
        return f"لم يُحفظ: «{name}»: {reason}" if reason else english
    return _by_pattern(message, REFUSALS_AR, escape) or english


def _by_pattern(text: str, table, escape=str) -> str | None:
    """The first pattern's Arabic, its values (ids, names, dates: often Latin) isolated."""
    import re

    from .text import isolate

    for pattern, arabic in table:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            return arabic.format(*(isolate(escape(g)) for g in match.groups()))
    return None


class _Isolating(str):
    """A template whose values are each isolated from the Arabic around them: a searched
    phrase or a list of actors (often Latin) keeps its own order in the sentence."""

    def format(self, *args, **kwargs):
        from .text import isolate

        return str.format(self, *map(isolate, args), **{k: isolate(v) for k, v in kwargs.items()})


def sentence_strings(lang: str) -> dict:
    """The words of the filter sentence ("9 events in Syria between ...") in a language."""
    if lang != "ar":
        return {}
    return {
        "count": lambda n: count_events(n, "ar"),
        "in": "في {places}",
        "between": "بين {a} و{b}",
        "from": "منذ {a}",
        "until": "حتى {b}",
        "types": "الأنواع: {types}",
        "actors": _Isolating("الفاعلون: {actors}"),
        "text": _Isolating("تطابق «{text}»"),
        "batch": "من دفعة الاستيراد {batch}",
        "as_of": "كما كانت البيانات في الإصدار {v}",
        "places": "في {places}",
        "sub_types": "الأنواع الفرعية: {sub_types}",
        "or": " أو ",
        "deaths_between": "القتلى: من {a} إلى {b}",
        "deaths_from": "القتلى: {a} على الأقل",
        "deaths_until": "القتلى: {b} على الأكثر",
        "sep": "، ",
        "and": " و",
        "months": MONTHS["ar"],
    }


# --- Streamlit's own words -------------------------------------------------------------------
#
# Streamlit draws some words itself (the file uploader's button, "Press Enter to apply",
# the "Help for …" label of a help icon, the calendar, the dataframe toolbar) and has no
# language setting for them. Where a widget takes the text as a parameter (placeholder=,
# labels, help=) the app passes its own Arabic; the rest are listed here and put into
# Arabic in the browser by a fixed script (dashboard/arabic_chrome.js, served from
# static/ by static_assets.write_chrome_script) on Arabic pages only.
#
# selector -> {where: {English: Arabic}}. ``where`` is "text" (text directly inside an
# element the selector matches) or an attribute. The selectors name Streamlit's
# data-testid hooks, so a string of the app's data never matches unless it sits where
# Streamlit writes its own words. Slots in the English string: {x} any text and {n} a
# number, copied as they are (a file name, a widget label); {month}, {weekday} and
# {date} ("November 4, 2026") are put into Arabic. Slots come in the same order in both.

_ENTER = "مفتاح Enter"

#: What number and date inputs say of a value they refuse.
_VALIDATION_AR = {
    "Number is outside the allowed range. Please enter a value between {x} and {x}.": (
        "الرقم خارج النطاق المسموح. أدخل قيمة بين {x} و{x}."
    ),
    "Number is above the allowed range.": "الرقم أكبر من المسموح.",
    "Number is below the allowed range.": "الرقم أصغر من المسموح.",
    "Date set outside allowed range. Please select a date between {x} and {x}.": (
        "التاريخ خارج النطاق المسموح. اختر تاريخًا بين {x} و{x}."
    ),
    "Date set outside allowed range. Please select a date on or after {x}.": (
        "التاريخ خارج النطاق المسموح. اختر تاريخًا في {x} أو بعده."
    ),
    "Date set outside allowed range. Please select a date on or before {x}.": (
        "التاريخ خارج النطاق المسموح. اختر تاريخًا في {x} أو قبله."
    ),
    "Value must be {x} or later.": "يجب أن يكون التاريخ {x} أو بعده.",
    "Value must be {x} or earlier.": "يجب أن يكون التاريخ {x} أو قبله.",
    "Selected date unavailable.": "التاريخ المختار غير متاح.",
    "Start date must be before end date.": "يجب أن يسبق تاريخ البداية تاريخ النهاية.",
}


def _validation_rules() -> dict[str, str]:
    """Each message as it comes: alone, after "Error: ", and after a bold "Error" (": …")."""
    rules = {"Error": "خطأ"}
    for english, arabic in _VALIDATION_AR.items():
        rules[english] = arabic
        rules[f"Error: {english}"] = f"خطأ: {arabic}"
        rules[f": {english}"] = f": {arabic}"
    return rules


_UNITS_AR = {"B": "بايت", "KB": "كيلوبايت", "MB": "ميغابايت", "GB": "غيغابايت"}


def _sizes(english: str, arabic: str) -> dict[str, str]:
    """One chrome string per size unit: "{n}{unit}" in English, the unit's Arabic name."""
    return {
        english.replace("{unit}", unit): arabic.replace("{unit}", word)
        for unit, word in _UNITS_AR.items()
    }


#: The toolbar's buttons, named in their aria-label and again in their tooltips.
_TOOLBAR = {
    "Show/hide columns": "إظهار الأعمدة وإخفاؤها",
    "Download as CSV": "تنزيل بصيغة CSV",
    "Search": "بحث",
    "Fullscreen": "ملء الشاشة",
    "Close fullscreen": "إغلاق ملء الشاشة",
    "Copy to clipboard": "نسخ إلى الحافظة",
    "Copied": "تم النسخ",
    # The editable tables of the edit form (sources, actors).
    "Add row": "إضافة صف",
    "Delete row": "حذف الصف",
    "Delete rows": "حذف الصفوف",
}

CHROME_AR: dict[str, dict[str, dict[str, str]]] = {
    # File uploader (Import, Curate).
    '[data-testid="stFileUploaderDropzone"] button *': {
        "text": {"Upload": "رفع ملف", "Upload directories": "رفع مجلدات", "add icon": "إضافة"}
    },
    '[data-testid="stFileUploaderDropzoneInstructions"] *': {
        "text": {
            "Drag and drop file here": "اسحب الملف وأفلته هنا",
            "Drag and drop a file here": "اسحب الملف وأفلته هنا",
            "Drag and drop files here": "اسحب الملفات وأفلتها هنا",
            "Drag and drop directories here": "اسحب المجلدات وأفلتها هنا",
            **_sizes("Limit {n}{unit} per file", "الحد {n} {unit} لكل ملف"),
            **_sizes("{n}{unit} per file", "الحد {n} {unit} لكل ملف"),
        },
    },
    # The size under an uploaded file's name (the name itself is never touched).
    '[data-testid="stFileChipName"] + *': {
        "text": _sizes("{n}{unit}", "{n} {unit}"),
    },
    '[data-testid="stFileUploaderDropzone"] button': {
        "aria-label": {"Add files": "إضافة ملفات", "Remove {x}": "إزالة {x}"}
    },
    '[data-testid="stFileUploaderDropzoneInput"]': {"aria-label": {"file upload": "رفع ملف"}},
    '[data-testid="stFileChip"]': {"aria-label": _sizes("{x}, {n}{unit}", "{x}، {n} {unit}")},
    # What a text field says under itself while one types (forms included).
    '[data-testid="InputInstructions"] *': {
        "text": {
            "Press Enter to apply": f"اضغط {_ENTER} للتطبيق",
            "Press Enter to submit form": f"اضغط {_ENTER} لإرسال النموذج",
            "Press {x}+Enter to apply": "اضغط {x}+Enter للتطبيق",
            "Press {x}+Enter to submit form": "اضغط {x}+Enter لإرسال النموذج",
        }
    },
    '[data-testid="stTextInput"] button': {
        "aria-label": {
            "Clear entry": "مسح النص",
            "Show password": "إظهار كلمة المرور",
            "Hide password": "إخفاء كلمة المرور",
        }
    },
    # Help icons beside labels, and the link icon beside headings.
    '[data-testid="stTooltipHoverTarget"] button, [data-testid="stTooltipIcon"] button': {
        "aria-label": {"Help for {x}": "مساعدة: {x}", "Help": "مساعدة"}
    },
    '[data-testid="stHeaderActionElements"] a': {"aria-label": {"Link to heading": "رابط العنوان"}},
    # Number inputs.
    '[data-testid="stNumberInput"] button': {
        "aria-label": {"Increment": "زيادة", "Decrement": "إنقاص", "Clear value": "مسح القيمة"}
    },
    # Checks of what was typed, under the field and in its error tooltip ("**Error**: …").
    (
        '[data-testid="stNumberInput"] *, [data-testid="stDateInput"] *, '
        '[data-testid="stTooltipContent"] *, [data-testid="stTooltipErrorContent"] *'
    ): {"text": _validation_rules()},
    # Select boxes and multiselects: their button labels, placeholder and dropdown.
    '[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input': {
        "placeholder": {
            "Choose an option": "اختر",
            "Choose options": "اختر",
            "Choose or add an option": "اختر أو أضف",
            "Choose or add options": "اختر أو أضف",
        }
    },
    '[data-testid="stSelectbox"] button, [data-testid="stMultiSelect"] button': {
        "aria-label": {
            "Open": "فتح القائمة",
            "Clear value": "مسح الاختيار",
            "Clear all": "مسح الكل",
            "Remove {x}": "إزالة {x}",
        }
    },
    '[data-testid="stMultiSelect"] [role="group"]': {"aria-label": {"Selected values": "المختارة"}},
    '[data-key="__select_all__"] *': {"text": {"Select all": "تحديد الكل"}},
    '[data-key="__select_matches__"] *': {"text": {"Select {n} matches": "تحديد النتائج الـ{n}"}},
    '[data-key="__creatable__"] *': {"text": {"Add: {x}": "إضافة: {x}"}},
    '[role="listbox"][data-empty] [role="option"] *': {"text": {"No results": "لا نتائج"}},
    (
        '[data-testid="stMultiSelectDropdown"] button, '
        '[data-testid="stSelectboxVirtualDropdown"] button'
    ): {"aria-label": {"Dismiss": "إغلاق"}},
    '[role="listbox"]': {
        "aria-label": {"Multiselect options": "الخيارات", "Selectbox options": "الخيارات"}
    },
    # Screen-reader announcements of the dropdowns (react-aria's live region).
    "[aria-live] > div": {
        "text": {
            "{n} options available.": "{n} من الخيارات متاحة.",
            "{n} option available.": "{n} خيار متاح.",
            "{x}, selected": "{x}، مختار",
        }
    },
    # Date inputs: the day/month/year fields and the calendar.
    '[data-testid="stDateInputField"] [role="spinbutton"]': {
        "text": {"yyyy": "سنة", "mm": "شهر", "dd": "يوم"},
        "aria-label": {
            "year, {x}": "السنة، {x}",
            "month, {x}": "الشهر، {x}",
            "day, {x}": "اليوم، {x}",
        },
        "aria-valuetext": {"Empty": "فارغ", "{n} – {month}": "{n} – {month}"},
    },
    '[data-testid="stDateInput"] button': {
        "aria-label": {"Clear date": "مسح التاريخ", "Clear dates": "مسح التاريخين"}
    },
    '[data-testid="stDateInputCalendarButton"]': {
        "aria-label": {"Choose date": "اختر تاريخًا", "Choose date range": "اختر فترة"}
    },
    '[data-testid="stDateInputCalendar"], [data-testid="stDateInputCalendar"] *': {
        "text": {
            "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
                "تنقّل بين الأيام بمفاتيح الأسهم، واختر بمفتاح Enter، وأغلق بمفتاح Esc."
            ),
            "Choose date, {month} {n}": "اختر تاريخًا، {month} {n}",
            "Choose date range, {month} {n}": "اختر فترة، {month} {n}",
            "{month} {n}": "{month} {n}",
            "{month}": "{month}",
        },
        "aria-label": {
            "Choose date": "اختر تاريخًا",
            "Choose date range": "اختر فترة",
            "Choose date, {month} {n}": "اختر تاريخًا، {month} {n}",
            "Choose date range, {month} {n}": "اختر فترة، {month} {n}",
            "Previous month": "الشهر السابق",
            "Next month": "الشهر التالي",
            "Previous": "السابق",
            "Next": "التالي",
            "month": "الشهر",
            "year": "السنة",
            "Today, {weekday}, {date} selected": "اليوم، {weekday}، {date}، مختار",
            "Today, {weekday}, {date}": "اليوم، {weekday}، {date}",
            "{weekday}, {date} selected": "{weekday}، {date}، مختار",
            "{weekday}, {date}, First available date": "{weekday}، {date}، أول تاريخ متاح",
            "{weekday}, {date}, Last available date": "{weekday}، {date}، آخر تاريخ متاح",
            "{weekday}, {date}": "{weekday}، {date}",
        },
    },
    '[data-testid="stDateInputHeaderPickerPopover"] *': {"text": {"{month}": "{month}"}},
    # What react-aria says to screen readers about the calendar (hidden descriptions and
    # its live region).
    '[id^="react-aria-description"], [aria-live] > div': {
        "text": {
            "Selected Date: {weekday}, {date}": "التاريخ المختار: {weekday}، {date}",
            "Selected Date: {date}": "التاريخ المختار: {date}",
            "{month} {n}": "{month} {n}",
        }
    },
    # The toolbar over a dataframe, a chart or a code block, and its tooltips.
    '[data-testid="stElementToolbar"] button, [data-testid="stCode"] button': {
        "aria-label": _TOOLBAR
    },
    '[data-testid="stTooltipContent"] *': {"text": _TOOLBAR},
    # Inside a dataframe: its search bar and column menus.
    '[data-testid="stDataFrame"] button, [data-testid="stDataFrame"] [aria-label]': {
        "aria-label": {
            "Previous Result": "النتيجة السابقة",
            "Next Result": "النتيجة التالية",
            "Close Search": "إغلاق البحث",
            "Dataframe column menu": "قائمة العمود",
            "Copy column name": "نسخ اسم العمود",
        }
    },
    '[data-testid="stDataFrame"] label': {"text": {"Type to search": "اكتب للبحث"}},
    '[data-testid="stDataFrameColumnMenu"] *': {
        "text": {
            "Sort ascending": "ترتيب تصاعدي",
            "Sort descending": "ترتيب تنازلي",
            "Format": "التنسيق",
            "Autosize": "عرض تلقائي",
            "Pin column": "تثبيت العمود",
            "Unpin column": "إلغاء تثبيت العمود",
            "Hide column": "إخفاء العمود",
            "Copy column name": "نسخ اسم العمود",
            "Statistics": "إحصاءات",
        }
    },
    '[data-testid="stDataFrameColumnFormattingMenu"] *': {
        "text": {
            "Automatic": "تلقائي",
            "Localized": "حسب اللغة",
            "Plain": "عادي",
            "Compact": "مختصر",
            "Dollar": "دولار",
            "Euro": "يورو",
            "Yen": "ين",
            "Percent": "نسبة مئوية",
            "Scientific": "علمي",
            "Accounting": "محاسبي",
            "Duration": "مدة",
            "Distance": "المدة حتى الآن",
            "Calendar": "تقويم",
        }
    },
    '[data-testid="stDataFrameColumnVisibilityMenu"] *': {"text": {"Select all": "تحديد الكل"}},
    '[data-testid="stDataFrameStatisticsMenu"] *, [data-testid="stDataFrameStatisticsContent"] *': {
        "text": {
            "Minimum": "الأدنى",
            "Maximum": "الأعلى",
            "Average": "المتوسط",
            "Median": "الوسيط",
            "Sum": "المجموع",
            "Standard deviation": "الانحراف المعياري",
            "Distinct": "القيم المختلفة",
            "Empty": "الفارغة",
            "Values": "القيم",
            "Count": "العدد",
            "Range": "المدى",
            "Minimum length": "أقصر طول",
            "Maximum length": "أطول طول",
            "Average length": "متوسط الطول",
            "Based on sample": "مبني على عيّنة",
            "No data": "لا بيانات",
        }
    },
    # Charts: the full-screen button Streamlit adds to Plotly's bar (Plotly's own buttons
    # take PLOTLY_AR through the chart's config), and the map component's frame title.
    '[data-testid="stPlotlyChart"] .modebar-btn': {
        "data-title": {"Fullscreen": "ملء الشاشة", "Close fullscreen": "إغلاق ملء الشاشة"},
        "aria-label": {"Fullscreen": "ملء الشاشة", "Close fullscreen": "إغلاق ملء الشاشة"},
    },
    'iframe[data-testid="stCustomComponentV1"]': {
        "title": {"streamlit_folium.st_folium": "الخريطة"}
    },
    # The page frame: sidebar, skip link, the running indicator.
    '[data-testid="stSidebar"]': {"aria-label": {"Sidebar": "الشريط الجانبي"}},
    '[data-testid="stSidebarCollapseButton"] button, [data-testid="stExpandSidebarButton"]': {
        "aria-label": {
            "Collapse sidebar": "طي الشريط الجانبي",
            "Expand sidebar": "فتح الشريط الجانبي",
        }
    },
    '[data-testid="stSkipToContent"], [data-testid="stSkipToContent"] *': {
        "text": {"Skip to main content": "انتقل إلى المحتوى"}
    },
    '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]': {
        "aria-label": {"Running...": "جارٍ التشغيل…"}
    },
    '[data-testid="stStatusWidget"] *': {
        "text": {
            "Stop": "إيقاف",
            "Stopping...": "جارٍ الإيقاف…",
            "Rerun": "إعادة التشغيل",
            "Always rerun": "إعادة التشغيل دائمًا",
            "File change.": "تغيّر الملف.",
        }
    },
    '[data-testid="stConnectionStatus"] *': {
        "text": {"Connecting": "جارٍ الاتصال", "Please wait...": "يُرجى الانتظار…"}
    },
}

#: Weekdays for the calendar's day labels ("Friday, December 4, 2026").
WEEKDAYS_AR = {
    "Sunday": "الأحد",
    "Monday": "الاثنين",
    "Tuesday": "الثلاثاء",
    "Wednesday": "الأربعاء",
    "Thursday": "الخميس",
    "Friday": "الجمعة",
    "Saturday": "السبت",
}
#: The calendar's column heads ("S M T W T F S" in English).
WEEKDAY_INITIALS_AR = {
    "Sunday": "ح",
    "Monday": "ن",
    "Tuesday": "ث",
    "Wednesday": "ر",
    "Thursday": "خ",
    "Friday": "ج",
    "Saturday": "س",
}


def chrome_table() -> dict:
    """Everything the browser script needs, as JSON-ready data (no data from the store)."""
    attributes = sorted(
        {where for table in CHROME_AR.values() for where in table if where != "text"}
    )
    return {
        "rules": [[selector, table] for selector, table in CHROME_AR.items()],
        "attributes": attributes,
        "months": dict(zip(MONTHS["en"], MONTHS["ar"], strict=True)),
        "weekdays": WEEKDAYS_AR,
        "weekday_initials": WEEKDAY_INITIALS_AR,
        "weekday_headers": '[data-testid="stDateInputCalendar"] thead th',
    }


#: Plotly's own words (mode bar buttons, notices), passed as the chart's locale.
PLOTLY_AR = {
    "Download plot as a PNG": "تنزيل الرسم بصيغة PNG",
    "Download plot": "تنزيل الرسم",
    "Zoom": "تكبير منطقة",
    "Pan": "تحريك",
    "Box Select": "تحديد مستطيل",
    "Lasso Select": "تحديد حر",
    "Zoom in": "تكبير",
    "Zoom out": "تصغير",
    "Autoscale": "ضبط تلقائي",
    "Reset axes": "إعادة المحاور",
    "Reset": "إعادة",
    "Toggle Spike Lines": "إظهار خطوط الإسقاط",
    "Show closest data on hover": "إظهار أقرب نقطة عند التمرير",
    "Compare data on hover": "مقارنة البيانات عند التمرير",
    "Double-click to zoom back out": "انقر مرتين للعودة إلى العرض الكامل",
    "Taking snapshot - this may take a few seconds": "جارٍ التقاط الصورة، قد يستغرق ذلك ثواني",
    "Snapshot succeeded": "تم التقاط الصورة",
    "Sorry, there was a problem downloading your snapshot!": "تعذّر تنزيل الصورة.",
    "Preparing image - this may take a few seconds": "جارٍ تجهيز الصورة، قد يستغرق ذلك ثواني",
    "Image download succeeded": "تم تنزيل الصورة",
}


def plotly_locale(lang: str) -> dict:
    """Config keys that put a Plotly chart's own words (mode bar, notices) into ``lang``."""
    if lang != "ar":
        return {}
    days = list(WEEKDAYS_AR.values())
    days = days[-1:] + days[:-1]  # Plotly's weeks start on Sunday
    months = list(MONTHS["ar"])
    # The date words of the axis ticks and hover labels at every zoom (Plotly draws them
    # itself, in the browser, as the user zooms).
    formats = {
        "days": days,
        "shortDays": days,
        "months": months,
        "shortMonths": months,
        "date": "%d/%m/%Y",
        "decimal": ".",
        "thousands": ",",
    }
    return {"locale": "ar", "locales": {"ar": {"dictionary": PLOTLY_AR, "format": formats}}}


# --- sharing: data versions, short links, saved and watched views ----------------------------
EN.update(
    {
        "nav_views": "Saved views",
        "share_short": "Make a short link",
        "share_short_help": "Saves this whole view (filters, event, map, language, data version) "
        "in the store under an id no one can guess.",
        "share_short_made": "Short link to this view:",
        "share_pinned": "The link holds data version {v}: whoever opens it sees the events "
        "as they stood then.",
        "share_watch": "Watch this view (the overview lists what is added or changed)",
        "share_name": "Name (optional)",
        "share_autosaved": "This view's address would be {kb:,} KB long, and the server refuses "
        "addresses over {limit} KB; it was saved as a short link, which the address bar now "
        "holds.",
        "pinned": "This link was made on data version {v}; the store is now at version {now}.",
        "pinned_changes": "Since then: {added:,} events added (left out here), {edited:,} "
        "edited (shown as they were then), {removed:,} removed (shown as they were then).",
        "pinned_changes_spark": "Since then: {added:,} events added (left out here), "
        "{edited:,} edited (shown as they are now: the lake keeps no history of edits), "
        "{removed:,} removed (no longer shown).",
        "pinned_lost": "{lost:,} of the removed events were taken out by a removed import "
        "batch or replaced by a later import; the store kept no copy of them, so they cannot "
        "be shown. Shipped records changed by a refresh of the shipped data show as they are "
        "now.",
        "event_as_was_edited": "Shown as it was at data version {v}: it has been edited "
        "since. Show the current data to see it as it is now.",
        "event_as_was_deleted": "Shown as it was at data version {v}: it has been deleted "
        "since (it is in the deleted events, where it can be restored).",
        "pinned_unknown": "The store records what changed only since version {first}; "
        "what changed between {v} and then cannot be told.",
        "pinned_current": "Show the current data",
        "pinned_as_was": "Shown: the events the store had at version {v}.",
        "view_unknown": "There is no saved view {id} in this store (deleted, or made on "
        "another installation).",
        "views_none": "No saved views yet: “Link to this view” on any page makes one.",
        "views_open": "Open",
        "views_rename": "Rename",
        "views_delete": "Delete",
        "views_watched": "Watched",
        "views_deleted": "Deleted the saved view {name}.",
        "watch_title": "Watched views",
        "watch_new": "{events} added or changed since you last opened “{name}”",
        "watch_none": "Nothing new since you last opened “{name}”.",
        "watch_busy": "Watched views are not shown yet: the store is busy (being read after "
        "a start, or written). Reload the page in a moment.",
        "watch_open": "Open the view (marks these as seen)",
        "watch_added": "added",
        "watch_edited": "edited",
        "brief_make": "Make a brief (HTML, PDF and PNG of the map and timeline)",
        "brief_help": "A self-contained page to hand on: the sentence, the map, the timeline, "
        "the events and a citation for each; it opens offline.",
    }
)
AR.update(
    {
        "nav_views": "العروض المحفوظة",
        "share_short": "أنشئ رابطًا قصيرًا",
        "share_short_help": "يحفظ هذا العرض كله (عوامل التصفية والحدث والخريطة واللغة وإصدار "
        "البيانات) في المخزن بمعرّف لا يمكن تخمينه.",
        "share_short_made": "رابط قصير لهذا العرض:",
        "share_pinned": "يحمل الرابط إصدار البيانات {v}: من يفتحه يرى الأحداث كما كانت حينها.",
        "share_watch": "راقب هذا العرض (تعرض النظرة العامة ما أضيف أو تغيّر)",
        "share_name": "الاسم (اختياري)",
        "share_autosaved": "عنوان هذا العرض طوله {kb:,} كيلوبايت، والخادم يرفض العناوين التي "
        "تتجاوز {limit} كيلوبايت؛ فحُفظ رابطًا قصيرًا يحمله شريط العنوان الآن.",
        "pinned": "أُنشئ هذا الرابط على إصدار البيانات {v}؛ والمخزن الآن على الإصدار {now}.",
        "pinned_changes": "منذ ذلك الحين: أحداث مضافة: {added:,} (غير معروضة هنا)؛ أحداث معدّلة: "
        "{edited:,} (تظهر كما كانت حينها)؛ أحداث محذوفة: {removed:,} (تظهر كما كانت حينها).",
        "pinned_changes_spark": "منذ ذلك الحين: أحداث مضافة: {added:,} (غير معروضة هنا)؛ "
        "أحداث معدّلة: {edited:,} (تظهر كما هي الآن: لا تحفظ البحيرة سجل التعديلات)؛ أحداث "
        "محذوفة: {removed:,} (لم تعد تظهر).",
        "pinned_lost": "أحداث محذوفة عددها {lost:,} أُخرجت بحذف دفعة استيراد أو استُبدلت "
        "باستيراد لاحق؛ ولم يحتفظ المخزن بنسخة منها، فلا يمكن عرضها. والسجلات المرفقة التي "
        "غيّرها تحديث البيانات المرفقة تظهر كما هي الآن.",
        "event_as_was_edited": "معروض كما كان في إصدار البيانات {v}: عُدّل منذ ذلك الحين. "
        "اعرض البيانات الحالية لتراه كما هو الآن.",
        "event_as_was_deleted": "معروض كما كان في إصدار البيانات {v}: حُذف منذ ذلك الحين "
        "(وهو بين الأحداث المحذوفة، حيث يمكن استعادته).",
        "pinned_unknown": "يسجّل المخزن التغييرات منذ الإصدار {first} فقط؛ ولا يمكن معرفة ما "
        "تغيّر بين {v} وذلك الحين.",
        "pinned_current": "اعرض البيانات الحالية",
        "pinned_as_was": "المعروض: الأحداث التي كانت في المخزن في الإصدار {v}.",
        "view_unknown": "لا يوجد عرض محفوظ بالمعرّف {id} في هذا المخزن (حُذف، أو أُنشئ في تثبيت آخر).",
        "views_none": "لا عروض محفوظة بعد: «رابط هذا العرض» في أي صفحة ينشئ واحدًا.",
        "views_open": "افتح",
        "views_rename": "أعد التسمية",
        "views_delete": "احذف",
        "views_watched": "مراقَب",
        "views_deleted": "حُذف العرض المحفوظ {name}.",
        "watch_title": "العروض المراقَبة",
        "watch_new": "{events} أضيفت أو تغيّرت منذ آخر فتح لـ«{name}»",
        "watch_none": "لا جديد منذ آخر فتح لـ«{name}».",
        "watch_busy": "لا تظهر العروض المراقَبة بعد: المخزن مشغول (يُقرأ بعد بدء التشغيل أو "
        "يُكتب فيه). أعد تحميل الصفحة بعد قليل.",
        "watch_open": "افتح العرض (يعدّها مقروءة)",
        "watch_added": "أضيف",
        "watch_edited": "عُدّل",
        "brief_make": "أعدّ موجزًا (HTML وPDF وصورتا PNG للخريطة والخط الزمني)",
        "brief_help": "صفحة مكتفية بذاتها: الجملة والخريطة والخط الزمني والأحداث ومصدر كل منها؛ "
        "تفتح دون اتصال.",
    }
)
