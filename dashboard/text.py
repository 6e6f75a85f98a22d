"""Text normalisation shared by the store (at write time) and the query (at read time).

Both sides must fold text the same way, or an Arabic query written with hamza or
tashkeel would miss a title written without them. Folding happens once per record
when it is stored, so a search is a plain substring test on a prepared column.
"""

from __future__ import annotations

import re
import unicodedata

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
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
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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


def normalise(text: str | None) -> str:
    """Fold case, accents, Arabic letter variants, diacritics, quotes and digits."""
    if not text:
        return ""
    text = fold_letters(text).translate(_QUOTES).casefold()
    return _SPACES.sub(" ", text).strip()


def search_blob(record: dict) -> str:
    """What free text is matched against: titles, summary, actors, place, evidence, notes."""
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
    ]
    return normalise(" \u241f ".join(p for p in parts if p))


def actors_blob(actors: list[str] | None) -> str:
    """Actors joined by a separator no name contains, so a match stays inside one actor."""
    return "\u241f" + "\u241f".join(normalise(a) for a in actors or []) + "\u241f"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~$:<&])")


def md_escape(text: str | None) -> str:
    """Make data text inert inside Streamlit markdown (no links, emphasis, LaTeX or colour)."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", _INVISIBLE.sub("", str(text)).replace("\n", " "))
