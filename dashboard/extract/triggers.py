"""Event words: what kind of event a sentence reports, and whether it is planned."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .date_words import _NA, _NB


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    strength: float
    sub_type: str
    definite: bool


_AR_SUFFIX = r"(?:ا|ات|ه|ها|هم|هما|ين|ان|ي|يه|يا|تها|اته|اتها|اتهم|ت|وا|ون|نا)?"
_AR_PRONOUN = ("ه", "ها", "هم", "هما", "تها", "اته", "اتها", "اتهم", "نا")
_AR_TRIGGERS: list[tuple[str, str, float, str]] = [
    # (type, words, strength, sub_type); longest phrases first within a type
    ("statement", "مؤتمر صحفي|موتمر صحفي", 0.8, "press conference"),
    (
        "resolution",
        "قرار مجلس الامن|قرار لمجلس الامن|تبني مجلس الامن|اعتمد مجلس الامن",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "اجتماع وزاري|الاجتماع الوزاري|اجتماعا وزاريا", 1.0, "ministerial"),
    (
        "meeting",
        "اجتماع|اجتماعات|قمه|موتمر|محادثات|مباحثات|مفاوضات|لقاء|منتدي|اجتمع|يجتمع|"
        "تجتمع|اجتمعوا|التقي|يلتقي|التقوا|انعقد|ينعقد|يعقد|تعقد|عقد|استضاف|يستضيف|تستضيف|"
        "احتضن|يحتضن|تحتضن",
        0.8,
        "",
    ),
    ("statement", "بيان مشترك|بيانا مشتركا|البيان المشترك|بلاغ مشترك", 1.0, "joint statement"),
    (
        "statement",
        "بيان|بلاغ|اعلن|اعلنت|اعلنوا|يعلن|تعلن|اعلان|تصريح|تصريحات|صرح|ادان|ادانت|"
        "يدين|تدين|ندد|نددت",
        0.8,
        "",
    ),
    ("statement", "قال|قالت", 0.5, ""),
    ("attack", "هجوم انتحاري|تفجير انتحاري|عمليه انتحاريه", 1.0, "suicide bombing"),
    (
        "attack",
        "هجوم|هجمات|هاجم|هاجمت|هاجموا|تفجير|تفجيرات|انفجار|استهداف|استهدف|استهدفت|"
        "اعتداء|قصف|غاره|غارات|كمين|اقتحام|اقتحم|اغتيال",
        0.8,
        "",
    ),
    ("attack", "اشتباكات", 0.5, ""),
    ("agreement", "وقف اطلاق النار|مذكره تفاهم", 1.0, ""),
    ("agreement", "اتفاق|اتفاقيه|توقيع|وقع|وقعت|هدنه", 0.8, ""),
]
_EN_TRIGGERS: list[tuple[str, str, float, str]] = [
    (
        "statement",
        "press conference|press release|joint statement|joint communique|communique",
        1.0,
        "joint statement",
    ),
    (
        "resolution",
        r"Security Council resolution|resolution \d{3,4}|UNSC resolution",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "ministerial meeting|ministerial", 1.0, "ministerial"),
    (
        "meeting",
        "meeting|meetings|met|meet|meets|summit|conference|talks|convened|convenes|"
        "gathering|plenary|forum|hosted|hosts",
        0.8,
        "",
    ),
    (
        "statement",
        "statement|statements|announced|announces|announcement|declared|declaration|"
        "condemned|condemns",
        0.8,
        "announcement",
    ),
    ("statement", "said|says", 0.5, ""),
    ("attack", "suicide bombing|suicide attack|car bomb", 1.0, "suicide bombing"),
    (
        "attack",
        "attack|attacks|attacked|bombing|bombings|bombed|blast|explosion|shelling|"
        "airstrike|airstrikes|air strike|raid|raids|raided|ambush|ambushed|assault|stormed|"
        "shooting",
        0.8,
        "",
    ),
    ("attack", "killed|clashes|strike|strikes", 0.5, ""),
    ("agreement", "ceasefire|cease-fire|memorandum of understanding|truce", 1.0, ""),
    ("agreement", "agreement|accord|signed|deal", 0.8, ""),
]
_AR_TRIGGER_RES = [
    (
        t,
        re.compile(
            _NB
            + r"(?P<pre>[وفبلك]{0,2})(?P<art>ال|لل)?(?P<stem>"
            + words
            + ")"
            + r"(?P<suf>"
            + _AR_SUFFIX
            + r")"
            + _NA
        ),
        s,
        sub,
    )
    for t, words, s, sub in _AR_TRIGGERS
]
_EN_TRIGGER_RES = [
    (t, re.compile(r"\b(?P<stem>" + words + r")\b", re.I), s, sub)
    for t, words, s, sub in _EN_TRIGGERS
]
_EN_DETERMINERS = {"the", "this", "that", "its", "their", "his", "her", "these", "those", "said"}
_SUBTYPE_HINTS = [
    ("attack", re.compile(r"\bprison\b|سجن", re.I), "prison attack"),
    ("meeting", re.compile(r"\bministers?\b|وزراء|وزاري", re.I), "ministerial"),
    ("statement", re.compile(r"\bjoint\b|مشترك", re.I), "joint statement"),
    ("statement", re.compile(r"\bannounc|اعلن", re.I), "announcement"),
]


def find_triggers(folded: str, lang: str) -> list[Trigger]:
    """Words that name an event, longest first, with whether they are definite."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    table = _AR_TRIGGER_RES + _EN_TRIGGER_RES if lang == "ar" else _EN_TRIGGER_RES + _AR_TRIGGER_RES
    for event_type, pattern, strength, sub_type in table:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            if "art" in g:
                definite = (
                    bool(g.get("art"))
                    or g["stem"].startswith("ال")
                    or (g.get("suf") or "") in _AR_PRONOUN
                )
                # "عقد" is also "contract" and "decade": only as a verb before a meeting word.
                if g["stem"] == "عقد" and not re.search(
                    r"^\s*\S*\s*(?:اجتماع|قمه|موتمر|لقاء)", folded[m.end() :]
                ):
                    continue
            else:
                before = folded[: m.start()].split()
                definite = bool(before) and before[-1].lower() in _EN_DETERMINERS
                definite = definite or bool(re.search(r"(?:'s|\u2019s)\s*$", folded[: m.start()]))
            taken.append((m.start(), m.end()))
            found.append(
                Trigger(m.start(), m.end(), m.group(0), event_type, strength, sub_type, definite)
            )
    return sorted(found, key=lambda t: t.start)
