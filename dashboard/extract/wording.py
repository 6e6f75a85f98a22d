"""How a draft is worded: its title, and the reasoning for its date, place and type in
English and Arabic, so an analyst reading either language can check it against the text."""

from __future__ import annotations

from datetime import date

from .date_words import MONTH_NAMES_AR, MONTH_NAMES_EN
from .gazetteer import Place, PlaceMention, normalise
from .triggers import _SUBTYPE_HINTS, Trigger

TYPE_EN = {
    "meeting": "Meeting",
    "statement": "Statement",
    "attack": "Attack",
    "resolution": "Resolution",
    "agreement": "Agreement",
    "other": "Event",
}
TYPE_AR = {
    "meeting": "اجتماع",
    "statement": "بيان",
    "attack": "هجوم",
    "resolution": "قرار",
    "agreement": "اتفاق",
    "other": "حدث",
}
SUBTYPE_EN = {
    "ministerial": "Ministerial meeting",
    "joint statement": "Joint statement",
    "announcement": "Announcement",
    "prison attack": "Prison attack",
    "suicide bombing": "Suicide bombing",
    "press conference": "Press conference",
    "UN Security Council resolution": "UN Security Council resolution",
}
SUBTYPE_AR = {
    "ministerial": "اجتماع وزاري",
    "joint statement": "بيان مشترك",
    "announcement": "إعلان",
    "prison attack": "هجوم على سجن",
    "suicide bombing": "تفجير انتحاري",
    "press conference": "مؤتمر صحفي",
    "UN Security Council resolution": "قرار مجلس الأمن",
}


def _format_date(d: date, precision: str, end: date | None, lang: str, style: str) -> str:
    if lang == "ar":
        names = MONTH_NAMES_AR.get(style if style in MONTH_NAMES_AR else "standard")
        month = names[d.month - 1]
        if precision == "month":
            return f"{month} {d.year}"
        if end:
            return f"{d.day}–{end.day} {month} {d.year}"
        return f"{d.day} {month} {d.year}"
    month = MONTH_NAMES_EN[d.month - 1]
    if precision == "month":
        return f"{month} {d.year}"
    if end:
        return f"{d.day}–{end.day} {month} {d.year}"
    return f"{d.day} {month} {d.year}"


def _title(
    event_type: str, sub_type: str, place: Place | None, d, lang: str, words: str = ""
) -> str:
    if d is None:
        when = f"«{words}»" if words else ("تاريخ غير معروف" if lang == "ar" else "date unknown")
    else:
        when = _format_date(d.event_date, d.precision, d.end_date, lang, d.style)
    if lang == "ar":
        what = SUBTYPE_AR.get(sub_type) or TYPE_AR[event_type]
        if place and sub_type == "prison attack" and place.name_ar:
            return f"هجوم على سجن {place.name_ar}، {when}"
        where = f" في {place.name_ar or place.name}" if place else ""
        return f"{what}{where}، {when}"
    what = SUBTYPE_EN.get(sub_type) or TYPE_EN[event_type]
    if place and sub_type == "prison attack" and "prison" in place.name.lower():
        return f"Attack on {place.name}, {when}"
    where = f" in {place.name}" if place else ""
    return f"{what}{where}, {when}"


def _sub_type(trigger: Trigger, folded: str) -> str:
    if trigger.sub_type:
        return trigger.sub_type
    window = folded[max(0, trigger.start - 40) : trigger.end + 60]
    for event_type, pattern, sub_type in _SUBTYPE_HINTS:
        if event_type == trigger.event_type and pattern.search(window):
            return sub_type
    return ""


def _place_reason(mention: PlaceMention) -> str:
    p = mention.place
    where = f"{p.name}, {p.country}" if p.country else p.name
    source = {
        "alias": "alias table",
        "gazetteer": "gazetteer",
        "country": "country name",
        "nationality": "nationality word only, not a stated place",
        "capital": "capital of the country named",
    }[mention.source]
    note = f"; {mention.note}" if mention.note else ""
    return f"place: “{mention.text.strip()}” → {where} ({source}{note})"


def _location(place: Place | None) -> str:
    """Display name, with the province when the place is a site within it."""
    if place is None:
        return ""
    area = place.admin1.removesuffix(" Governorate").strip()
    if area and place.geo_precision == "exact" and normalise(area) not in normalise(place.name):
        return f"{place.name}, {area}"
    return place.name


_HOW_AR = [
    ("written in full", "مكتوب كاملاً"),
    ("no date of its own", "لا تاريخ له في الجملة: هو خبر المقال، ويؤرَّخ بتاريخ النشر"),
    ("no publication date", "لا تاريخ نشر، فالسنة غير معروفة ولم تُخمَّن"),
    ("weekday written", "يوم الأسبوع المكتوب لا يطابق اليوم المحسوب: اعتُمد يوم الأسبوع، للتحقق"),
    ("Hijri", "تاريخ هجري حُوّل بتقويم أم القرى"),
    ("ambiguous order", "ترتيب اليوم والشهر ملتبس: قُرئ اليوم أولاً، للتحقق"),
    ("before publication", "محسوب من تاريخ النشر"),
    ("publication", "محسوب من تاريخ النشر"),
    ("month and year written", "الشهر والسنة مكتوبان"),
    ("a year and nothing finer", "السنة وحدها"),
]


def _reasoning_ar(when, trigger, place_mention, why: str) -> dict:
    """The reasoning in Arabic, in the words an Arabic-reading analyst checks it by."""
    how = next((ar for key, ar in _HOW_AR if key in when.how), "محسوب من النص")
    if when.event_date:
        width = {"month": 7, "year": 4}.get(when.precision, 10)
        date_ar = f"«{when.text}» ← {when.event_date.isoformat()[:width]} ({how})"
    else:
        date_ar = f"«{when.text}» ← بلا تاريخ ({how})" if when.text else f"بلا تاريخ ({how})"
    if place_mention is not None:
        p = place_mention.place
        place_ar = f"«{place_mention.text.strip()}» ← {p.name_ar or p.name}"
        if "Security Council" in why:
            place_ar = "قرارات مجلس الأمن تصدر في نيويورك ما لم يذكر النص غير ذلك"
        elif "ministry" in why:
            place_ar += " (عاصمة الوزارة المتحدثة)"
        elif "country that speaks" in why:
            place_ar += " (عاصمة البلد المتحدث)"
        elif "the article is about" in why:
            place_ar = f"{p.name_ar or p.name} (البلد الوحيد الذي يتناوله المقال)"
        elif "sentence" in why:
            place_ar += " (مذكور للحدث نفسه في جملة قريبة)"
    else:
        place_ar = "عُقد عن بُعد: لا مكان" if "remotely" in why else "لم يُذكر مكان لهذا الحدث"
    type_ar = f"«{trigger.text.strip()}» ← {TYPE_AR[trigger.event_type]}"
    return {"date": date_ar, "type": type_ar, "place": place_ar}
