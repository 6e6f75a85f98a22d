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
    #: a verb of saying ("announced", «أعلن») that reports another event rather than being one
    reporting: bool = False
    #: future tense or an announced plan governs the word («سيعقد», "will meet")
    planned: bool = False
    #: «في بيان», "in a statement": how something was said; an event only with its own date
    channel: bool = False


#: What is fired: a missile, a rocket, a shell, a drone.
_PROJECTILE = (
    r"(?:ال)?(?:صاروخ\w*|صواريخ|قذيف\w*|قذايف|طايره(?:\s+(?:ال)?مسيره)?|"
    r"طايرات(?:\s+(?:ال)?مسيره)?|مسيره|مسيرات)"
)
_AR_SUFFIX = r"(?:ا|ات|ه|ها|هم|هما|ين|ان|ي|يه|يا|تها|اته|اتها|اتهم|ت|وا|ون|نا)?"
_AR_PRONOUN = ("ه", "ها", "هم", "هما", "تها", "اته", "اتها", "اتهم", "نا")
_AR_TRIGGERS: list[tuple[str, str, float, str]] = [
    # (type, words, strength, sub_type); longest phrases first within a type
    (
        "statement",
        "مؤتمر صحفي|موتمر صحفي|موتمر صحافي|ندوه صحفيه|ايجاز صحفي",
        0.8,
        "press conference",
    ),
    (
        "resolution",
        "قرار مجلس الامن|قرار لمجلس الامن|تبني مجلس الامن|اعتمد مجلس الامن",
        1.0,
        "UN Security Council resolution",
    ),
    # «قراره رقم 338 المؤرخ 22 تشرين الأول 1973»: a resolution named with its date
    (
        "resolution",
        r"قرار(?:ه|ها)?\s+(?:رقم\s+)?\d{2,4}\s+(?:\(\d{4}\)\s+)?(?:المورخ|الصادر|الذي صدر)",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "اجتماع وزاري|الاجتماع الوزاري|اجتماعا وزاريا", 1.0, "ministerial"),
    (
        "meeting",
        "اجتماع|اجتماعات|قمه|موتمر|محادثات|مباحثات|مفاوضات|مشاورات|لقاء|منتدي|اجتمع|يجتمع|جوله|تفاوضي|"
        "جلسه|جلسات|دوره|"
        "تجتمع|اجتمعوا|التقي|يلتقي|التقوا|انعقد|ينعقد|يعقد|تعقد|عقد|استضاف|يستضيف|تستضيف|"
        "احتضن|يحتضن|تحتضن|ستستضيف|سيستضيف|ستحتضن|سيحتضن|سيعقد|ستعقد|سينعقد|ستنعقد|سيجتمع|"
        "ستجتمع",
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
    ("statement", "قال|قالت|ذكر|ذكرت|افاد|افادت|نقل|نقلت|اكد|اكدت|صرح|صرحت", 0.5, ""),
    (
        "attack",
        "هجوم انتحاري|تفجير انتحاري|عمليه انتحاريه|تفجيرين انتحاريين",
        1.0,
        "suicide bombing",
    ),
    (
        "attack",
        "هجوم|هجمات|هاجم|هاجمت|هاجموا|تفجير|تفجيرات|انفجار|استهداف|استهدف|استهدفت|"
        "اعتداء|قصف|غاره|غارات|كمين|اقتحام|اقتحم|اغتيال|عمليه هجوميه|اطلاق صاروخ|هزت|هز|"
        "اطلاق صواريخ|اعتراض|اعترضت|اعترض|تدمير",
        0.8,
        "",
    ),
    # «ضربت طائرة مسيرة القاعدة», «ضربة جوية»: struck, with what struck named next to it
    (
        "attack",
        "ضربت طايره|ضربت طايرات|ضرب صاروخ|ضربت صواريخ|ضربه جويه|ضربات جويه|ضربه صاروخيه",
        0.8,
        "",
    ),
    # «أسقطت الدفاعات صاروخاً», «سقوط 6 صواريخ على القاعدة», «سقط صاروخان قرب»: a missile
    # or a drone shot down, rockets that fell on a place: an attack told by where it landed
    # (not «إسقاط النظام», not «سقوط شظايا»)
    (
        "attack",
        r"(?:اسقط|اسقاط|يسقط|تسقط)(?:ت|وا|ها)?(?=[،,]?\s+(?:\S+\s+){0,3}?" + _PROJECTILE + ")|"
        # «إن الحوثيين أطلقوا، يوم الأربعاء، صاروخاً على صهاريج»: fired a missile
        r"(?:اطلق|اطلقت|اطلقوا|يطلق|تطلق|يطلقون)(?=[،,]?\s+(?:\S+\s+){0,4}?" + _PROJECTILE + ")|"
        r"(?:سقوط|سقط|سقطت|سقطا|يسقط|تسقط)(?=\s+(?:نحو\s+|حوالي\s+|ما يقارب\s+|اكثر من\s+|"
        r"ما لا يقل عن\s+)?(?:\d+\s+)?"
        + _PROJECTILE
        + ")|"
        + _PROJECTILE
        + r"(?:ين|ان|ا)?\s+(?:\S+\s+)?(?:سقط|سقطت|سقطا|تسقط|يسقط)",
        0.8,
        "",
    ),
    ("attack", "اشتباكات", 0.5, ""),
    ("agreement", "وقف اطلاق النار|وقف اطلاق نار|وقف دائم لاطلاق النار|مذكره تفاهم", 1.0, ""),
    ("agreement", "مراسم التوقيع|حفل التوقيع|المراسم", 0.5, ""),
    ("agreement", "اتفاق|اتفاقيه|توقيع|التوقيع|وقع|وقعت|وقعوا|يوقع|يوقعان|سيوقعان|هدنه", 0.8, ""),
    # «اتفقت روسيا وتركيا وإيران على إنشاء آلية»: agreed on something (not on holding a
    # meeting, not on the importance of something: see find_triggers)
    ("agreement", "اتفقت|اتفق|اتفقوا|اتفقا|اتفقتا|يتفق|تتفق", 0.8, ""),
]
_EN_TRIGGERS: list[tuple[str, str, float, str]] = [
    (
        "statement",
        "press conference|press release|joint statement|joint communique|communique|media note",
        1.0,
        "joint statement",
    ),
    (
        "resolution",
        r"Security Council resolution|resolution \d{3,4}|resolution \d{1,2} \d{1,3}|"
        r"UNSC resolution",
        1.0,
        "UN Security Council resolution",
    ),
    ("meeting", "ministerial meeting|ministerial", 1.0, "ministerial"),
    (
        "meeting",
        "meeting|meetings|met|meet|meets|summit|conference|talks|negotiations|consultations|"
        "convened|convenes|gathered|"
        "gathering|plenary|forum|hosted|hosts|host",
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
    # "intercepted five drones", "shot down a missile": an attack told by its defender
    (
        "attack",
        "intercepted|intercepts|intercepting|interception|shot down|shoots down|downed|"
        "struck|destroyed two|destroyed three|destroyed an?",
        0.8,
        "",
    ),
    # "five rockets targeted the base", "rockets fell near the base", "two rockets landed"
    (
        "attack",
        r"(?:targeted|targeting)(?! (?:sanctions|measures|assistance|aid|support|funding|"
        r"programs?|campaigns?|reforms?|ads|advertising))|(?:rockets?|missiles?|mortars?|shells|drones?|projectiles?)"
        r"(?: \w+){0,2}? (?:fell|fall|falling|landed|land|landing|slammed|hit|exploded)",
        0.8,
        "",
    ),
    ("attack", "killed|clashes|strike|strikes", 0.5, ""),
    ("agreement", "ceasefire|cease-fire|memorandum of understanding|truce", 1.0, ""),
    ("agreement", "agreement|accord|signed|signing|deal|agreed (?:on|to|upon)", 0.8, ""),
    ("agreement", "signing ceremony", 0.5, ""),
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
#: Verbs that are a Security Council decision only when the Council is their subject:
#: «مدّد مجلس الأمن», «صوّت مجلس الأمن على تمديد», "the Council renewed / extended".
_COUNCIL = re.compile(r"مجلس الامن|Security Council|\bUNSC\b|\bthe Council\b", re.I)
#: «وكان المجلس قد صوت»: "the Council" again, in an article that has named the Security
#: Council (not «المجلس الرئاسي», a council with a name of its own)
_COUNCIL_AGAIN = re.compile(r"(?<![^\W_])[وف]?المجلس(?!\s+ال)(?![^\W_])|\b(?:the|The) Council\b")
SECURITY_COUNCIL = re.compile(r"مجلس الامن|Security Council|\bUNSC\b", re.I)
_AR_COUNCIL_VERBS = re.compile(
    _NB
    + r"[وف]?(?:ال)?(?P<stem>مدد|يمدد|تمدد|مددت|تمديد|قرر|صوت|يصوت|اعتمد|يعتمد|تبني|تبنى|اصدر|"
    + r"انشا)"
    + r"(?:ت|وا|ه|ها)?"
    + _NA
)
_EN_COUNCIL_VERBS = re.compile(
    r"\b(?P<stem>(?:unanimously )?adopted(?: on)?(?: \w+day)?(?: a| the)? resolution|"
    r"adopts(?: a)? resolution|"
    r"adopting resolution|renewed|renews|extended|extends|re-?authori[sz](?:ed|es)|"
    r"authori[sz]es|authori[sz]ed|(?:was|were) established|established by)\b",
    re.I,
)
#: Words that deny the event they precede: "failed to adopt", "no statement", «مشروع قرار».
_NEGATION = re.compile(
    r"(?:\bfailed\b[^.]{0,25}|\bwould have |\bwithout (?:a |any )?|\bno |\bnot |"
    r"\bvetoed (?:a |the )?|"
    r"\bdraft |\bcompeting (?:draft )?|\bfailed to \w+ (?:a |any )?|مشروع |مشروعي |"
    r"لم يتم |دون |فشل[^.]{0,20})$",
    re.I,
)
_AR_REPORTING = re.compile(
    r"^(?:[وف]?(?:ال)?(?:اعلن|اعلان|يعلن|تعلن|قال|صرح|اكد|ذكر|افاد|نقل)\w*)$"
)
#: «في بيان», "in a statement", «في تغريدة»: the channel a report came through, not an event.
_CHANNEL = re.compile(r"(?:(?<![^\W_])[وف]?في|\bin an?|\bon)\s*$", re.I)
_EN_REPORTING = re.compile(r"^(?:announc\w*|said|says|declared|claimed)$", re.I)
_PLANNED = re.compile(
    r"(?:\bwill\b|\bto be held\b|\bis to\b|\bare to\b|\bscheduled\b|\bupcoming\b|"
    r"\bplans? to\b|\blooks forward to\b|\bnext\b|سوف|مرتقب|المرتقب|المزمع|المقبل|القادم|"
    # an agreement or a decision to hold a meeting: "agreed to hold", «اتفقوا على عقد»
    r"\b(?:agree\w*|decided|decision)(?:\s+\S+){0,4}\s+to\s+(?:hold|convene)\b|"
    r"(?<![^\W_])[وف]?(?:اتفق\w*|الاتفاق|تقرر|قرر\w*)(?:\s+\S+){0,2}?\s+(?:علي\s+)?عقد|"
    r"(?<![^\W_])[وف]?س[يت](?:عقد|ستضيف|جتمع|لتقي|وقع|بحث|ناقش|شارك|زور|توجه|صدر|كون|تم|"
    r"ترأس|نطلق|ستانف)\w*)[^.]{0,80}$"
)
_AR_FUTURE_AFTER = re.compile(
    r"^[^.]{0,60}?(?<![^\W_])[وف]?س[يت](?:نطلق|عقد|نعقد|بدا|ستانف|جري|تواصل|ستمر)"
)
_AR_PLANNED_VERB = re.compile(r"^[وف]?(?:س[يت]|ي|ت)(?:عقد|ستضيف|حتضن|نعقد|جتمع|لتقي|وقع)")

_THREAT = re.compile(
    r"(?:(?<![^\W_])[وف]?(?:هدد|هددت|يهدد|تهدد|توعد|توعدت|يتوعد|تتوعد)\w*|"
    r"\b(?:threaten\w*|vow\w*)\b)[^.]{0,30}$",
    re.I,
)
_AGREED_VERBS = {"اتفقت", "اتفق", "اتفقوا", "اتفقا", "اتفقتا", "يتفق", "تتفق"}
#: what an agreement verb is about: «على إنشاء آلية», «على وقف», «على تبادل» - not «على عقد
#: الجولة», «على أهمية», «على ضرورة», «على أن تعقد»
_AGREED_ON_A_THING = re.compile(
    r"^(?:\s+\S+){0,14}?\s+(?:علي|بشان)\s+(?!(?:عقد|ان|اهميه|ضروره|مواصله|استمرار|موعد|"
    r"استيناف|اجراء|تحديد|عدم|رفض|مواصله)(?![^\W_]))"
)
_EN_AGREED_TO_MEET = re.compile(
    r"^\s*(?:on\s+)?(?:\w+day\s+)?(?:to\s+)?(?:\w+\s+)?(?:hold|meet|convene|resume|continue|"
    r"the importance|the need|keep|further|cooperate|work|strengthen|support|consult|"
    r"coordinate|discuss|remain)\b",
    re.I,
)
#: «العديد من», "several", "a series of": many events of a kind
_MANY_BEFORE = re.compile(
    r"(?:(?<![^\W_])(?:العديد من|عشرات|مئات)(?:\s+(?:ال)?(?:اتفاق|هدن|هجم|غار|اجتماع|جول)\S*)?|"
    r"\b(?:numerous|many|dozens of|hundreds of))\s*$",
    re.I,
)
_MANY_AFTER = re.compile(
    r"^\s+(?:العديد|عشرات|مئات)\s+(?:من\s+)?(?:ال)?(?:اتفاق|هدن|هجم|غار|اجتماع|جول)"
)
_EN_DETERMINERS = {"the", "this", "that", "its", "their", "his", "her", "these", "those", "said"}
_SUBTYPE_HINTS = [
    ("attack", re.compile(r"\bprison\b|سجن", re.I), "prison attack"),
    ("meeting", re.compile(r"\bministers?\b|وزراء|وزاري", re.I), "ministerial"),
    ("statement", re.compile(r"\bjoint\b|مشترك", re.I), "joint statement"),
    ("statement", re.compile(r"\bannounc|اعلن", re.I), "announcement"),
]


def find_triggers(folded: str, lang: str, council: bool = False) -> list[Trigger]:
    """Words that name an event, longest first, with whether they are definite, planned or
    only a verb of saying; words that a negation denies ("failed to adopt") are left out."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    table = _AR_TRIGGER_RES + _EN_TRIGGER_RES if lang == "ar" else _EN_TRIGGER_RES + _AR_TRIGGER_RES
    if _COUNCIL.search(folded) or (council and _COUNCIL_AGAIN.search(folded)):
        table = [
            ("resolution", _AR_COUNCIL_VERBS, 0.9, "UN Security Council resolution"),
            ("resolution", _EN_COUNCIL_VERBS, 0.9, "UN Security Council resolution"),
            *table,
        ]
    for event_type, pattern, strength, sub_type in table:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            before = folded[max(0, m.start() - 40) : m.start()]
            if _NEGATION.search(before):
                taken.append((m.start(), m.end()))
                continue
            # «هدد، الجمعة، بمواصلة قصف المنشآت», "threatened to attack": a threat, not an
            # attack
            if event_type == "attack" and _THREAT.search(before):
                taken.append((m.start(), m.end()))
                continue
            # «سابق توقيع العديد من اتفاقيات الهدنة», "a series of attacks": many events of
            # a kind, not one
            if _MANY_BEFORE.search(before) or _MANY_AFTER.match(folded[m.end() : m.end() + 40]):
                taken.append((m.start(), m.end()))
                continue
            if (
                event_type == "agreement"
                and m.group(0).lower().startswith("agreed")
                and (_EN_AGREED_TO_MEET.match(folded[m.end() : m.end() + 40]))
            ):
                taken.append((m.start(), m.end()))
                continue
            if "art" in g:
                definite = (
                    bool(g.get("art"))
                    or g["stem"].startswith("ال")
                    or (g.get("suf") or "") in _AR_PRONOUN
                )
                # "عقد" is also "contract" and "decade": only as a verb before a meeting word,
                # or after a relative pronoun («الدورة التي عقدت الأربعاء»).
                if (
                    g["stem"] == "عقد"
                    and not re.search(r"^\s*\S*\s*(?:اجتماع|قمه|موتمر|لقاء)", folded[m.end() :])
                    and not re.search(r"(?:التي|الذي|الذين|اللذين)\s*$", before)
                ):
                    continue
                # «الهجوم الذي وقع في بغداد»: "took place", not "signed"
                if (
                    g["stem"] == "وقع"
                    and not g.get("art")
                    and (
                        re.search(r"(?:التي|الذي|الذين|اللذين)\s*$", before)
                        or re.match(
                            r"\s*(?:في|فجر|صباح|مساء|امس|اليوم|ال?انفجار|ال?هجوم|ال?تفجير|"
                            r"ال?حادث|ال?اعتداء|ال?قصف)(?![^\W_])",
                            folded[m.end() :],
                        )
                    )
                ):
                    continue
                # «الهجوم وقع، يوم الأحد»: right after an event noun «وقع» is "took place"
                if g["stem"] == "وقع" and re.search(
                    r"(?:هجوم|هجمات|انفجار|تفجير|حادث|حادثه|اعتداء|قصف|اشتباك)\w*\s*[،,]?\s*$",
                    before,
                ):
                    continue
                # «اتفقوا على عقد الجولة المقبلة», «اتفقا على أهمية»: a plan or a view,
                # not an agreement
                if g["stem"] in _AGREED_VERBS and (
                    not _AGREED_ON_A_THING.match(folded[m.end() : m.end() + 120])
                    or re.search(r"(?:التي|الذي|الذين|اللذين|ما)\s*$", before)
                ):
                    continue
                # «الاجتماعي», «الاجتماعية»: social, not a meeting
                if g["stem"] == "اجتماع" and (g.get("suf") or "") in ("ي", "يه"):
                    continue
            else:
                words = before.split()
                definite = bool(words) and words[-1].lower() in _EN_DETERMINERS
                definite = definite or bool(re.search(r"(?:'s|\u2019s)\s*$", before))
            word = m.group(0).strip()
            reporting = event_type == "statement" and bool(
                _AR_REPORTING.match(word) or _EN_REPORTING.match(word)
            )
            channel = bool(
                event_type == "statement"
                and not g.get("art")
                and re.match(r"بيان|بلاغ|تصريح|تغريد|statement", g["stem"], re.I)
                and _CHANNEL.search(before)
            )
            planned = bool(
                # «لوقف إطلاق النار», «للتوصل إلى اتفاق»: a purpose, not a thing done
                (g.get("pre") or "").endswith("ل")
                or (g.get("art") == "لل")
                or _PLANNED.search(folded[max(0, m.start() - 100) : m.start()])
                or _AR_PLANNED_VERB.match(word)
                or re.match(r"\s+(?:would|will)\b", folded[m.end() : m.end() + 10])
                # «لاستئناف مفاوضات السلام», «لإطلاق الجولة»: talks to be resumed
                or (
                    event_type == "meeting"
                    and re.search(r"(?<![^\W_])ل(?:استيناف|اطلاق|بدء|عقد|اجراء)\s*$", before)
                )
                # «الجولة الجديدة من المفاوضات في جنيف، ستنطلق في ...»
                or (
                    event_type == "meeting"
                    and _AR_FUTURE_AFTER.match(folded[m.end() : m.end() + 70])
                )
            )
            taken.append((m.start(), m.end()))
            found.append(
                Trigger(
                    m.start(),
                    m.end(),
                    m.group(0),
                    event_type,
                    strength,
                    sub_type,
                    definite,
                    reporting,
                    planned,
                    channel,
                )
            )
    return sorted(found, key=lambda t: t.start)
