"""Score the extractor's drafts against hand annotations of real articles.

The corpus format is described in tests/corpus/README.md: `NAME.txt` (a `# key: value`
header, a blank line, the article) next to `NAME.json` (the events an analyst recorded).

A draft matches an annotated event when the type is the same, the date is the same at the
annotation's precision (a day draft does not match a month annotation), and the country is
the same; an annotation with no country (the text names no venue) accepts any country.
Matching is one to one, so a duplicate draft costs precision.

A *wrong year* is a dated draft whose year is neither an annotated event's year nor written
in the article, or that matches an annotation in everything but the year: the failure an
analyst cannot see without rereading the article. An undated draft (the article gives no
year and no reference date) is never a wrong year; it is counted apart and is not a match.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

_HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*)$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass
class Article:
    name: str
    text: str
    meta: dict
    events: list[dict]

    @property
    def published(self) -> date | None:
        try:
            return date.fromisoformat(self.meta.get("published", "")[:10])
        except ValueError:
            return None


def read_article(path: Path) -> Article:
    """One `NAME.txt` and its `NAME.json`; the header is metadata, not article text."""
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    lines = raw.split("\n")
    i = 0
    while i < len(lines) and _HEADER.match(lines[i]):
        key, value = _HEADER.match(lines[i]).groups()
        meta[key] = value.strip()
        i += 1
    text = "\n".join(lines[i:]).strip("\n")
    notes = path.with_suffix(".json")
    events = json.loads(notes.read_text(encoding="utf-8"))["events"] if notes.exists() else []
    return Article(path.stem, text, meta, events)


def read_corpus(folder: Path) -> list[Article]:
    return [read_article(p) for p in sorted(Path(folder).glob("*.txt"))]


def _truncate(d: date, precision: str) -> tuple:
    if precision == "year":
        return (d.year,)
    if precision == "month":
        return (d.year, d.month)
    return (d.year, d.month, d.day)


def _matches(draft, event: dict, *, ignore_year: bool = False) -> bool:
    if draft.event_date is None or draft.event_type != event["type"]:
        return False
    if (draft.date_precision or "day") != event["precision"]:
        return False
    want = _truncate(date.fromisoformat(event["date"]), event["precision"])
    got = _truncate(draft.event_date, event["precision"])
    if ignore_year:
        want, got = want[1:], got[1:]
        if not want:
            return False
    if want != got:
        return False
    return event.get("country") is None or draft.country == event["country"]


@dataclass
class Score:
    name: str
    events: int = 0
    drafts: int = 0
    undated: int = 0
    matched_events: int = 0
    matched_drafts: int = 0
    wrong_years: int = 0
    wrong_countries: int = 0
    seconds: float = 0.0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched_events / self.events if self.events else 1.0

    @property
    def precision(self) -> float:
        dated = self.drafts - self.undated
        return self.matched_drafts / dated if dated else 1.0

    def add(self, other: Score) -> None:
        for name in (
            "events",
            "drafts",
            "undated",
            "matched_events",
            "matched_drafts",
            "wrong_years",
            "wrong_countries",
            "seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "article": self.name,
            "events": self.events,
            "drafts": self.drafts,
            "undated": self.undated,
            "matched_events": self.matched_events,
            "matched_drafts": self.matched_drafts,
            "recall": round(self.recall, 3),
            "precision": round(self.precision, 3),
            "wrong_years": self.wrong_years,
            "wrong_countries": self.wrong_countries,
            "seconds": round(self.seconds, 3),
            "missed": self.missed,
            "extra": self.extra,
        }


def _describe_event(e: dict) -> str:
    width = {"year": 4, "month": 7}.get(e["precision"], 10)
    return f"{e['type']} {e['date'][:width]} {e.get('country') or '-'}"


def _describe_draft(d) -> str:
    when = d.event_date.isoformat() if d.event_date else "undated"
    if d.event_date and d.date_precision in ("month", "year"):
        when = when[: 7 if d.date_precision == "month" else 4]
    return f"{d.event_type} {when} {d.country or '-'}"


def score_article(article: Article, extract, *, with_published: bool) -> Score:
    """Run the extractor on one article and compare its drafts with the annotation."""
    published = article.published if with_published else None
    started = time.perf_counter()
    drafts = extract(article.text, published)
    score = Score(article.name, seconds=time.perf_counter() - started)
    score.events = len(article.events)
    score.drafts = len(drafts)
    score.undated = sum(1 for d in drafts if d.event_date is None)
    written = article.text.translate(_DIGITS)
    years = {date.fromisoformat(e["date"]).year for e in article.events}
    free = list(range(len(drafts)))
    for event in article.events:
        hit = next((i for i in free if _matches(drafts[i], event)), None)
        if hit is None:
            score.missed.append(_describe_event(event))
            continue
        free.remove(hit)
        score.matched_events += 1
    score.matched_drafts = len(drafts) - len(free)
    for i in free:
        d = drafts[i]
        if d.event_date is None:
            continue
        score.extra.append(_describe_draft(d))
        year_off = d.event_date.year not in years and str(d.event_date.year) not in written
        if year_off or any(_matches(d, e, ignore_year=True) for e in article.events):
            score.wrong_years += 1
        elif any(
            e.get("country")
            and e["type"] == d.event_type
            and e["precision"] == d.date_precision
            and _truncate(date.fromisoformat(e["date"]), e["precision"])
            == _truncate(d.event_date, e["precision"])
            for e in article.events
        ):
            score.wrong_countries += 1
    return score


def evaluate(folder: Path, extract=None, *, with_published: bool = True) -> dict:
    """Per-article scores and their total for one folder of the corpus."""
    if extract is None:
        from .drafts import extract
    scores = [score_article(a, extract, with_published=with_published) for a in read_corpus(folder)]
    total = Score("TOTAL")
    for s in scores:
        total.add(s)
    return {
        "folder": str(folder),
        "with_published": with_published,
        "articles": [s.as_dict() for s in scores],
        "total": total.as_dict(),
    }


def table(result: dict) -> str:
    """The scores as a fixed-width table, one article a line, the total last."""
    mode = "with" if result["with_published"] else "without"
    lines = [
        f"{result['folder']} ({mode} publication dates)",
        f"{'article':<44} {'ev':>3} {'dr':>3} {'und':>3} {'recall':>7} {'prec':>6}"
        f" {'wy':>3} {'wc':>3}",
    ]
    for row in [*result["articles"], result["total"]]:
        lines.append(
            f"{row['article'][:44]:<44} {row['events']:>3} {row['drafts']:>3} {row['undated']:>3} "
            f"{row['recall']:>7.0%} {row['precision']:>6.0%} {row['wrong_years']:>3} "
            f"{row['wrong_countries']:>3}"
        )
    for row in result["articles"]:
        if row["missed"] or row["extra"]:
            lines.append(
                f"  {row['article']}: missed {row['missed'] or '-'}; extra {row['extra'] or '-'}"
            )
    return "\n".join(lines)
