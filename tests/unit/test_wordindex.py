"""The word index answers every spelling exactly as a scan of the text does.

The scan (:func:`dashboard.engines.frame.term_hits`) is the meaning of a text term; the
index must find the same rows for plain substrings, word starts, spellings with spaces,
Arabic and Latin glued together, and punctuation inside tokens.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from dashboard.aliases import SearchTerm, search_terms
from dashboard.engines.frame import term_hits
from dashboard.engines.wordindex import WordIndex
from dashboard.text import normalise

TEXTS = [
    "isis attack on al-sina'a prison in hasakah",
    "crisis talks in geneva",  # "isis" inside a word: no word start
    "the (isis) cell",  # word start after a bracket
    "ghwayran prison ␟ سجن الصناعه",
    "al sinaa prison break",
    "al sinaaprison",  # the phrase glued: no space to span
    "sinaa al prison",
    "وداعش في الحسكه",  # Arabic prefix glued to the name
    "daesh2022 and isil-k",
    "x-isis y",
    "",
    None,
    "senator nato summit",
    "airstrikes hit sanaa; airstrike reported",
    "prison",
    "al",
]

TERMS = [
    "isis",
    "daesh",
    "ghwayran",
    "al-Sina'a prison",
    "al sinaa prison",
    "prison break",
    "nato",
    "airstrike",
    "airstrikes hit",
    "داعش",
    "غويران",
    "k",
    "'",
    "%",
    "2022",
]


@pytest.fixture(scope="module")
def text():
    return pl.Series("t", [normalise(t) if t is not None else None for t in TEXTS])


@pytest.fixture(scope="module", params=[1, 4, 2**40], ids=["lists", "mixed", "bitmaps"])
def index(text, request):
    """Several chunks (tokens shared across them); every token's rows listed, the common
    ones as bitmaps, or every token as a bitmap."""
    index = WordIndex(text, chunk=5, dense=request.param)
    shares = {1: (0, 1), 4: (1, 1), 2**40: (1, 0)}[request.param]
    assert (len(index.bits) > 0, len(index.rows) > 0) == tuple(map(bool, shares))
    return index


@pytest.mark.parametrize("query", TERMS)
def test_index_finds_what_the_scan_finds(text, index, query):
    for term in search_terms(query):
        expected = term_hits(text, term)
        got = index.term_hits(term, text.gather)
        assert list(np.flatnonzero(got)) == list(np.flatnonzero(expected)), term


def test_word_start_is_kept_for_spellings_with_a_space(text, index):
    term = SearchTerm("x", ("al sinaa",), aliased=True)
    got = index.term_hits(term, text.gather)
    rows = [TEXTS[i] for i in np.flatnonzero(got)]
    assert rows == ["al sinaa prison break", "al sinaaprison"]


def test_spanning_spellings_read_only_candidate_rows(text, index):
    asked = []

    def text_of(rows):
        asked.extend(rows.tolist())
        return text.gather(rows)

    got = index.term_hits(SearchTerm("al sinaa prison", ("al sinaa prison",), False), text_of)
    assert list(np.flatnonzero(got)) == [TEXTS.index("al sinaa prison break")]
    # a row holding the pieces in another order is read; rows lacking a piece are not
    assert sorted(asked) == [TEXTS.index("al sinaa prison break"), TEXTS.index("sinaa al prison")]
