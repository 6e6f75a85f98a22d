"""Text normalisation shared by the store (at write time) and the query (at read time).

Both sides must fold text the same way, or an Arabic query written with hamza or
tashkeel would miss a title written without them. Folding happens once per record
when it is stored, so a search is a plain substring test on a prepared column.
"""

from __future__ import annotations

import re
import unicodedata

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_SPACES = re.compile(r"\s+")
# Bidi controls are invisible and let a stranger's text reorder what is shown; they
# carry no meaning for search.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalise(text: str | None) -> str:
    """Fold case, accents, Arabic letter variants, diacritics and digits."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", str(text))
    text = _TASHKEEL.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
    text = unicodedata.normalize("NFC", text).translate(_FOLD).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
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
