"""The import's column-wise folding stores exactly what :func:`normalise` would."""

from __future__ import annotations

import random

import polars as pl

from dashboard.text import normalise, normalise_column, normalise_many

# Every character class the fast path must agree on, and some it must hand back.
ALPHABET = (
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x180)]  # Latin-1, Latin Extended-A, ß included
    + [chr(c) for c in range(0x600, 0x700)]  # Arabic: letters, tashkeel, digits
    + [chr(c) for c in range(0x2000, 0x2070)]  # spaces, bidi controls, quotes
    + [chr(c) for c in range(0x2400, 0x2440)]  # the search text's field separator
    + list("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85")
    + list("ΣσςÅ\u0301\u0327ﬁ①ＡＢ\u06f5\u0665ᾳ\u05d0\u0591ğ")  # outside: sent to normalise
)


def test_fast_folding_equals_normalise_on_random_text():
    rng = random.Random(7)
    texts = ["".join(rng.choices(ALPHABET, k=rng.randint(0, 40))) for _ in range(20_000)]
    fast = normalise_column(pl.Series(texts), check=0).to_list()
    wrong = [(t, f, normalise(t)) for t, f in zip(texts, fast, strict=True) if f != normalise(t)]
    assert wrong == []


def test_real_phrases_fold_as_normalise_does():
    texts = [
        "هجوم تنظيم «الدولة الإسلامية» على سجن غويران",
        "Straße\u00a0in  Köln",
        "الاجتماع الوزاري في مراكش يوم الأربعاء ١١ أيار",
        "  Marrakech\u2009ministerial ",
        "\u202eevil\u202c text",
    ] * 30
    assert normalise_many(texts) == [normalise(t) for t in texts]
