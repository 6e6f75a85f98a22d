"""Text normalisation shared by the store (at write time) and the query (at read time).

Both sides must fold text the same way, or an Arabic query written with hamza or
tashkeel would miss a title written without them. Folding happens once per record
when it is stored, so a search is a plain substring test on a prepared column.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TASHKEEL_CLASS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
_TASHKEEL = re.compile(_TASHKEEL_CLASS)
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        # Persian letters Arabic-script writers type on Persian keyboards.
        "ی": "ي",
        "ک": "ك",
        "\u2019": "'",
        "\u2018": "'",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# Double quotes and guillemets wrap names in Arabic news (تنظيم “الدولة”); a search for
# the phrase must not depend on them.
_QUOTES = str.maketrans({q: " " for q in '\u201c\u201d\u201e\u00ab\u00bb"'})
_SPACES = re.compile(r"\s+")
# Bidi controls are invisible and let a stranger's text reorder what is shown; they
# carry no meaning for search.
_INVISIBLE_CLASS = "[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_INVISIBLE = re.compile(_INVISIBLE_CLASS)


def fold_letters(text: str | None) -> str:
    """Diacritics, tatweel, accents, Arabic letter variants and digits folded.

    Case, punctuation and spacing are kept, so the article extractor can still see
    capitals, quotation marks and sentence ends; :func:`normalise` builds on it.
    """
    if not text:
        return ""
    text = str(text)
    if text.isascii():  # nothing below changes ASCII; imports are mostly ASCII notes
        return text
    text = _INVISIBLE.sub("", text)
    text = _TASHKEEL.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
    return unicodedata.normalize("NFC", text).translate(_LETTERS)


def fold_words(*words: str) -> list[str]:
    """:func:`fold_letters` of each word: the lexicons of the article reader."""
    return [fold_letters(w) for w in words]


def normalise(text: str | None) -> str:
    """Fold case, accents, Arabic letter variants, diacritics, quotes and digits."""
    if not text:
        return ""
    text = fold_letters(text).translate(_QUOTES).casefold()
    return _SPACES.sub(" ", text).strip()


#: Where folding a string is folding each of its characters alone: ASCII, Latin-1, Latin
#: Extended-A, Arabic, general punctuation (spaces, quotes, bidi controls) and control
#: pictures (the search text's field separator). The folds that compose across characters
#: (NFC) need combining marks, which folding removes or which only come from decomposing
#: one character of these ranges; a test compares random text with :func:`normalise`.
_PER_CHARACTER_RANGES = ((0, 0x180), (0x600, 0x700), (0x2000, 0x2070), (0x2400, 0x2440))
_PER_CHARACTER = "".join(
    rf"\x{{{low:x}}}-\x{{{high - 1:x}}}" for low, high in _PER_CHARACTER_RANGES
)


def _fold_one(c: str) -> str:
    return fold_letters(c).translate(_QUOTES).casefold()


def _folded_alone(c: str) -> str:
    """What one character becomes in :func:`normalise`, spaces of every kind as " " (runs
    of them are made one afterwards, as ``\\s+`` is)."""
    folded = _fold_one(c)
    return " " if folded.isspace() else folded


@lru_cache(maxsize=1)
def _character_folds() -> tuple[list[str], list[str]]:
    """Every character of those ranges that folding changes, and what it becomes."""
    pairs = [
        (chr(o), _folded_alone(chr(o)))
        for low, high in _PER_CHARACTER_RANGES
        for o in range(low, high)
        if _folded_alone(chr(o)) != chr(o)
    ]
    return [a for a, _ in pairs], [b for _, b in pairs]


def normalise_column(values, *, check: int = 256):
    """:func:`normalise` of every value of a Polars string column, for imports.

    Calling the Python function once per string was most of an import's time at a million
    rows. Text within :data:`_PER_CHARACTER` is folded by one replacement of each character
    (all strings at once, on every core); other text goes through :func:`normalise`. A
    sample of ``check`` strings is compared with :func:`normalise` too, and any difference
    sends the whole column through it, so what is stored never depends on the path taken.
    """
    import polars as pl

    values = values.fill_null("").cast(pl.String)
    patterns, replacements = _character_folds()
    other = values.str.contains(f"[^{_PER_CHARACTER}]")
    # Every kind of space is " " after the replacement, so runs of them are found by a
    # plain pattern: the class of every space took half of the folding's time.
    folded = (
        values.str.replace_many(patterns, replacements)
        .str.replace_all(" {2,}", " ")
        .str.strip_chars(" ")
    )
    at = other.arg_true()
    if len(at):
        slow = [normalise(t) for t in values.gather(at).to_list()]
        folded = folded.scatter(at, pl.Series(slow, dtype=pl.String))
    if check and len(values):
        step = max(1, len(values) // check)
        sample = values.gather_every(step).to_list()
        if folded.gather_every(step).to_list() != [normalise(t) for t in sample]:
            folded = pl.Series([normalise(t) for t in values.to_list()], dtype=pl.String)
    return folded


def normalise_many(texts: list[str], *, check: int = 256) -> list[str]:
    """:func:`normalise` over many strings at once (:func:`normalise_column`)."""
    if len(texts) < 64:
        return [normalise(t) for t in texts]
    import polars as pl

    return normalise_column(pl.Series(texts, dtype=pl.String), check=check).to_list()


def search_parts(record: dict) -> str:
    """The fields free text is matched against, joined before folding."""
    parts = [
        record.get("title"),
        record.get("title_ar"),
        record.get("summary"),
        " ".join(record.get("actors") or []),
        record.get("location"),
        record.get("admin1"),
        record.get("evidence"),
        record.get("notes"),
        record.get("sub_type"),
        # The source's own type ("Explosions/Remote violence / Air/drone strike"): our
        # six types are coarser than ACLED's, and an analyst searches by ACLED's.
        record.get("origin_type"),
    ]
    return " \u241f ".join(p for p in parts if p)


def search_blob(record: dict) -> str:
    """What free text is matched against: titles, summary, actors, place, evidence, notes,
    sub-type and the source's own type."""
    return normalise(search_parts(record))


def actors_blob(actors: list[str] | None) -> str:
    """Actors joined by a separator no name contains, so a match stays inside one actor."""
    return "\u241f" + "\u241f".join(normalise(a) for a in actors or []) + "\u241f"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<&])")
#: Where Markdown would make a link of plain text even with every special character escaped:
#: Streamlit's Markdown (GitHub's flavour) links "www." names, "http://" and "https://"
#: addresses and e-mail addresses in the text *after* escapes are undone, and turns
#: ":name:" into icons. A word joiner (U+2060: no width, no break) after each ":" and "@"
#: and between "www" and "." leaves the text as it reads but matches none of them.
_AUTOLINK = re.compile(r"(?<=[:@])|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def isolate(text: str | None, *, ltr: bool = False) -> str:
    """Data text set apart from the words around it (a Unicode isolate, dir="auto" for
    plain text): an English title, a quote or a number keeps its own order inside an
    Arabic line and does not reorder the line. ``ltr`` for what is always left to right
    (coordinates, ids). Bidi controls already in the text are dropped first, so the text
    cannot close the isolate early. For a Markdown sink, escape first, then isolate.
    """
    clean = _INVISIBLE.sub("", str(text or ""))
    if not clean:
        return ""
    return ("\u2066" if ltr else "\u2068") + clean + "\u2069"


def md_escape(text: str | None) -> str:
    """Make data text inert inside Streamlit markdown: no links (written or automatic),
    images, emphasis, headings, LaTeX, icons or colour; it shows as the same characters.

    For every Markdown sink of data: ``st.markdown``, ``st.caption``, ``st.info`` and the
    other alerts, ``st.title``/``st.header``, and the labels of buttons, links and tabs.
    """
    if not text:
        return ""
    text = _INVISIBLE.sub("", str(text)).replace("\r", " ").replace("\n", " ")
    text = _AUTOLINK.sub(WORD_JOINER, text)
    return _MD_SPECIAL.sub(r"\\\1", text)


#: Characters that steer a terminal or reorder a line: C0 and C1 controls (escape
#: sequences start with ESC or CSI), DEL, line and paragraph separators, direction marks.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text) -> str:
    """Data text for a terminal line: every control or direction character written as an
    escape (``\\x1b``, ``\\u202e``), so a file name or dataset cannot clear the screen,
    retitle the window, forge a line or reverse what follows."""
    return _TERMINAL_UNSAFE.sub(_escaped, str(text))


#: C1 controls and separators that ``json.dumps(ensure_ascii=False)`` leaves raw.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_terminal_safe(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters a terminal acts on written as
    ``\\uXXXX``: still the same JSON, since they can only stand inside its strings."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
