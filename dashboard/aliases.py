"""Names with many spellings: one place or actor, every way analysts write it.

An analyst types غويران, a reference record says "al-Sina'a (Ghwayran) prison"; another
types Daesh where the record says "Islamic State". Both should find the event. The
spellings live in data/aliases.csv (kind, canonical, alias, lang) so they can be reviewed
and extended without touching code; this module reads it once per process.

Search expands each query term into the spellings of the alias group it names. A query
is matched against aliases as whole phrases first ("الدولة الإسلامية" is one name, not
two words), so a multi-word name expands as a unit. Spellings in Latin script are matched
at the start of a word: "isis" must not find "crisis", nor "nato" find "senator". Arabic
spellings stay plain substrings because Arabic glues prepositions and conjunctions to the
front of a word (بمراكش, وداعش).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text import normalise

ALIASES_CSV = Path(__file__).resolve().parent.parent / "data" / "aliases.csv"
KINDS = ("place", "actor")

#: Alternatives one search term may expand to; keeps the number of bound parameters small.
MAX_EXPANSIONS = 12
#: Longest alias phrase, in words, looked for in a query.
MAX_PHRASE_WORDS = 8
#: Shorter spellings ("UN", "EU") match inside too many words to be searched for.
MIN_SEARCH_LENGTH = 3

_KEY_DROP = re.compile(r"[\s\-'`\u2019\u02bc\u02be\u02bf.,/()]+")
_LATIN_START = re.compile(r"[a-z0-9]")
_ARABIC = re.compile("[\u0600-\u06ff]")


def alias_key(text: str) -> str:
    """Spelling key: normalised, with spaces, hyphens, apostrophes and dots removed.

    "al-Sina'a", "al Sinaa" and "Al-Sinaa" share one key, so the table needs one row
    per real spelling rather than one per way of punctuating it.
    """
    return _KEY_DROP.sub("", normalise(text))


@dataclass(frozen=True)
class AliasGroup:
    kind: str
    canonical: str
    #: Every spelling as written in the table, the canonical name first.
    spellings: tuple[str, ...]
    #: Language of each spelling, same order.
    langs: tuple[str, ...]

    def normalised(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(normalise(s) for s in self.spellings))


def _keys(spelling: str) -> set[str]:
    key = alias_key(spelling)
    keys = {key} if key else set()
    # Arabic writers add or drop the article: الحسكة / حسكة.
    if _ARABIC.match(key):
        keys.add(key[2:] if key.startswith("ال") and len(key) > 4 else "ال" + key)
    return keys


@lru_cache(maxsize=4)
def load(path: Path = ALIASES_CSV) -> tuple[AliasGroup, ...]:
    """The alias groups in table order; a bad row is an error naming its line."""
    spellings: dict[tuple[str, str], list[tuple[str, str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            kind = (row.get("kind") or "").strip()
            canonical = (row.get("canonical") or "").strip()
            alias = (row.get("alias") or "").strip()
            if kind not in KINDS or not canonical or not alias:
                raise ValueError(
                    f"{path.name} line {number}: need kind (place|actor), canonical, alias"
                )
            entries = spellings.setdefault((kind, canonical), [(canonical, "en")])
            if alias not in (s for s, _ in entries):
                entries.append((alias, (row.get("lang") or "").strip()))
    return tuple(
        AliasGroup(
            kind, canonical, tuple(s for s, _ in entries), tuple(lang for _, lang in entries)
        )
        for (kind, canonical), entries in spellings.items()
    )


@lru_cache(maxsize=4)
def _index(path: Path = ALIASES_CSV) -> dict[str, tuple[AliasGroup, ...]]:
    index: dict[str, list[AliasGroup]] = {}
    for group in load(path):
        for spelling in group.spellings:
            for key in _keys(spelling):
                bucket = index.setdefault(key, [])
                if group not in bucket:
                    bucket.append(group)
    return {key: tuple(groups) for key, groups in index.items()}


@lru_cache(maxsize=65536)
def lookup(name: str, kind: str | None = None) -> tuple[AliasGroup, ...]:
    """The groups one of whose spellings is `name` (any script, case, hyphenation)."""
    key = alias_key(name)
    if not key:
        return ()
    groups = _index().get(key, ())
    return tuple(g for g in groups if kind is None or g.kind == kind)


def canonical(name: str, kind: str | None = None) -> str | None:
    """The canonical name for a spelling, or None when unknown or ambiguous."""
    groups = lookup(name, kind)
    return groups[0].canonical if len(groups) == 1 else None


def _minimal(forms: list[str]) -> list[str]:
    """Drop spellings that contain another kept spelling: they cannot find anything more."""
    kept: list[str] = []
    for form in sorted(dict.fromkeys(forms), key=lambda f: (len(f), f)):
        if len(form) >= MIN_SEARCH_LENGTH and not any(k in form for k in kept):
            kept.append(form)
    return kept


def expand_terms(term: str) -> list[str]:
    """The normalised spellings a search for `term` should match, `term` itself first.

    A term that names no alias group expands to itself only.
    """
    own = normalise(term)
    if not own:
        return []
    forms = [f for group in lookup(own) for f in group.normalised()]
    if not forms:
        return [own]
    expanded = [f for f in _minimal([own, *forms]) if f != own]
    # The user's own spelling always stays, even when a shorter alias covers it.
    return [own, *expanded][:MAX_EXPANSIONS]


@dataclass(frozen=True)
class SearchTerm:
    """One term of a free-text query and what it may match."""

    text: str
    alternatives: tuple[str, ...]
    #: True when the term named an alias group (its spellings match at a word start).
    aliased: bool

    def split(self) -> tuple[list[str], list[str]]:
        """(spellings matched anywhere, spellings matched only at the start of a word)."""
        plain = [a for a in self.alternatives if not (self.aliased and _LATIN_START.match(a))]
        return plain, [a for a in self.alternatives if a not in plain]

    def sql(self, column: str = "search_text") -> tuple[str, list[str]]:
        """An OR over the alternatives, with bound parameters only.

        `column` is a column name chosen by the caller, never user text. A regular
        expression costs twenty to forty times a substring test over the same text, so
        the word-start spellings share one expression, asked only of rows that already
        contain one of them as a plain substring (which the word-start match implies).
        """
        plain, words = self.split()
        parts, params = [], []
        for alt in plain:
            part, part_params = _contains(column, alt)
            parts.append(part)
            params.extend(part_params)
        if words:
            candidates = []
            for alt in words:
                part, part_params = _contains(column, alt)
                candidates.append(part)
                params.extend(part_params)
            parts.append(f"(({' OR '.join(candidates)}) AND regexp_matches({column}, ?))")
            params.append(word_start_pattern(words))
        if len(parts) == 1:
            return parts[0], params
        return "(" + " OR ".join(parts) + ")", params


def word_start_pattern(words: list[str]) -> str:
    """A regular expression (RE2 and Rust regex alike) for any of ``words`` at a word start."""
    return r"(?:^|[^a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + ")"


#: Latin letters from most to least frequent in English text. A substring test looks for
#: the needle's first letter and compares from there: "airstrikes" stops at every "a" of
#: every row, "kes" at every "k", about a tenth as often.
_LETTER_ORDER = "etaoinsrhldcumfpgwybvkxjqz"
_RARITY = {c: i for i, c in enumerate(_LETTER_ORDER)}
ANCHOR_LENGTH = 3


def _anchor(needle: str) -> str | None:
    """A short piece of `needle` that starts at a rarer letter than the needle does."""
    if len(needle) <= ANCHOR_LENGTH or needle[0] not in _RARITY:
        return None
    best = max(
        range(len(needle) - ANCHOR_LENGTH + 1),
        key=lambda i: (_RARITY.get(needle[i], -1), -i),
    )
    if _RARITY.get(needle[best], -1) - _RARITY[needle[0]] < 6:
        return None
    return needle[best : best + ANCHOR_LENGTH]


def _contains(column: str, needle: str) -> tuple[str, list[str]]:
    """A substring test, behind a cheaper test of a rarer piece of it when there is one.

    Whatever contains the needle contains every piece of it, so the result is the same.
    """
    anchor = _anchor(needle)
    if anchor is None:
        return f"contains({column}, ?)", [needle]
    return f"(contains({column}, ?) AND contains({column}, ?))", [anchor, needle]


def search_terms(text: str, max_terms: int = 8) -> list[SearchTerm]:
    """Split a query into terms, keeping multi-word alias names together.

    At each word the longest run of words that spells a known name wins; words that
    spell none are terms of their own, as before aliases existed.
    """
    words = normalise(text).split()
    terms: list[SearchTerm] = []
    i = 0
    while i < len(words) and len(terms) < max_terms:
        for j in range(min(len(words), i + MAX_PHRASE_WORDS), i, -1):
            phrase = " ".join(words[i:j])
            if (j - i == 1 or lookup(phrase)) and (expanded := expand_terms(phrase)):
                terms.append(SearchTerm(phrase, tuple(expanded), bool(lookup(phrase))))
                i = j
                break
        else:  # unreachable: a single word always forms a term; guards the loop
            i += 1
    return terms
