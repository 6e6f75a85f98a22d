"""Where a record's Arabic title comes from, read from the fixed sentence in its notes.

The record layout has no column for it (a new column would change the stored layout),
so the shipped data marks it with one of two exact sentences at the end of ``notes``
(see data/README.md, *Arabic titles*). The conversion script writes the same sentences;
a test keeps the two copies equal.
"""

from __future__ import annotations

TRANSLATED = "Arabic title: translated from the English title."
SOURCE_PREFIX = "Arabic title: headline of the Arabic source "


def arabic_title_basis(notes: str | None) -> tuple[str, str] | None:
    """("translation", "") or ("source", url), or None when the notes do not say.

    Only the last sentence counts: a curator's notes that merely mention the phrase
    earlier do not turn a title into a translation.
    """
    last = (notes or "").rsplit(" | ", 1)[-1].strip()
    if last == TRANSLATED:
        return ("translation", "")
    if last.startswith(SOURCE_PREFIX):
        url = last[len(SOURCE_PREFIX) :].strip()
        if url.startswith(("http://", "https://")) and " " not in url:
            return ("source", url)
    return None
