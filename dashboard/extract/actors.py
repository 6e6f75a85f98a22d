"""Actors a sentence names: the alias table, and foreign ministers or ministries by title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard import aliases, geo

from .gazetteer import _iso3_from_name, _nationalities, normalise
from .places import _TOKEN, _prefix_variants


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    name: str


_AR_FM = re.compile(r"(?P<what>وزير|وزيره|وزاره)\s+(?:ال)?خارجيه\s+(?P<who>[^\s،,.]+)")
_EN_FM = re.compile(
    r"(?P<who>[A-Z][a-z]+)\s+(?P<what>[Ff]oreign [Mm]inister|[Ff]oreign [Mm]inistry)|"
    r"(?P<what2>[Ff]oreign [Mm]inister|[Ff]oreign [Mm]inistry|Ministry of Foreign Affairs) of "
    r"(?P<who2>[A-Z][a-z]+(?: [A-Z][a-z]+)?)|(?P<secstate>Secretary of State)"
)


def find_actors(folded: str) -> list[ActorMention]:
    """Known actors (alias table) and foreign ministers or ministries by title."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(folded)]
    found: list[ActorMention] = []
    i = 0
    while i < len(tokens):
        matched = False
        for length in range(min(aliases.MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            rest = " ".join(t[2] for t in tokens[i + 1 : i + length])
            for word, _, skip in _prefix_variants(tokens[i][2]):
                groups = aliases.lookup((word + " " + rest).strip(), "actor")
                if groups:
                    start, end = tokens[i][0] + skip, tokens[i + length - 1][1]
                    found.append(ActorMention(start, end, folded[start:end], groups[0].canonical))
                    matched = True
                    break
            if matched:
                i += length
                break
        if not matched:
            i += 1
    nationalities = _nationalities()
    for m in _AR_FM.finditer(folded):
        code = nationalities.get(normalise(m["who"])) or _iso3_from_name(m["who"])
        if not code:
            continue
        _foreign_office(found, m, code, ministry=m["what"] == "وزاره", gap=6)
    for m in _EN_FM.finditer(folded):
        if m["secstate"]:
            named = any(a.start >= m.end() and a.start - m.end() < 3 for a in found)
            if not named:
                found.append(
                    ActorMention(
                        m.start(), m.end(), m.group(0), "United States (Secretary of State)"
                    )
                )
            continue
        who = m["who"] or m["who2"]
        code = nationalities.get(normalise(who)) or _iso3_from_name(who)
        what = (m["what"] or m["what2"]).lower()
        if not code:
            continue
        _foreign_office(found, m, code, ministry="ministry" in what or "affairs" in what, gap=3)
    return sorted(found, key=lambda a: a.start)


def _foreign_office(found: list, m, code: str, *, ministry: bool, gap: int) -> None:
    """A country's foreign ministry, or its foreign minister unless a name follows within
    ``gap`` characters (the named person is the actor then)."""
    if ministry:
        actor = f"{geo.country_name(code)} (Ministry of Foreign Affairs)"
    elif any(a.start >= m.end() and a.start - m.end() < gap for a in found):
        return
    else:
        actor = f"{geo.country_name(code)} (Foreign Minister)"
    found.append(ActorMention(m.start(), m.end(), m.group(0), actor))
