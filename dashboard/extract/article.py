"""Reading an article as a document: its text, sentences, dateline and reference date.

HTML input is reduced to its text with the standard library's parser and is never
rendered. The reference date that years are worked out from is, in this order, the date
the user gives (`--published`), the page's publication meta tag, or a date line printed at
the head of the article; with none of them, no year is ever guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from dashboard.text import fold_letters

#: Longest article text read, in characters; the rest is ignored (and said so).
MAX_ARTICLE_CHARS = 200_000


class _TextOnly(HTMLParser):
    """Collects the text of an HTML page; scripts, styles and the head are dropped."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "figcaption",
        "table",
        "hr",
        "main",
        "aside",
        "dd",
        "dt",
        "pre",
        "title",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|body|p|div|br|span|h[1-6]|article|a|li)\b", re.I)


def article_text(text: str) -> str:
    """The readable text of an article given as plain text or HTML."""
    text = str(text or "")[:MAX_ARTICLE_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    if not _HTML_HINT.search(text):
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    lines = (
        re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line)


def language_of(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    arabic = len(re.findall("[\u0600-\u06ff]", text))
    latin = len(re.findall("[A-Za-z]", text))
    return "ar" if arabic > latin else "en"


# ---------------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "lt",
    "col",
    "sgt",
    "capt",
    "maj",
    "adm",
    "gov",
    "sen",
    "rep",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "ltd",
    "co",
    "corp",
    "prof",
    "fig",
    "approx",
}
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"'\u201d\u00bb)]*\s+")


def sentences(text: str) -> list[str]:
    """Sentences of plain text: each line, split at sentence ends that are not abbreviations."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces, start = [], 0
        for match in _SENTENCE_END.finditer(line):
            head = line[start : match.start()].rstrip("\"'\u201d\u00bb)")
            last = re.search(r"(\S+)\.$", head)
            word = last.group(1) if last else ""
            # "U.S.", "D.C.", "Mr." and single initials do not end a sentence.
            if word.lower().strip(".") in _ABBREVIATIONS or re.fullmatch(
                r"(?:[A-Z]\.)*[A-Z]", word
            ):
                continue
            pieces.append(line[start : match.end()].strip())
            start = match.end()
        pieces.append(line[start:].strip())
        out.extend(p for p in pieces if p)
    return out


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """:func:`fold_letters` of `text`, and for each folded character its index in `text`.

    Matching runs on the folded text; the map gives back the article's own spelling
    (with its hamzas and ta marbutas) for titles and reasons.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in fold_letters(ch):
            out.append(c)
            where.append(i)
    return "".join(out), where


# ------------------------------------------------------------------------ document

_META_DATE = re.compile(
    r"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|"
    r"og:published_time|datePublished|pubdate|publishdate|publish-date|date|dc\.date|"
    r"dc\.date\.issued|sailthru\.date|parsely-pub-date)[\"'][^>]*?content\s*=\s*[\"']"
    r"(\d{4}-\d{2}-\d{2})|<meta\b[^>]*?content\s*=\s*[\"'](\d{4}-\d{2}-\d{2})[^\"']*[\"'][^>]*?"
    r"(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|datePublished|pubdate)"
    r"|<time\b[^>]*?datetime\s*=\s*[\"'](\d{4}-\d{2}-\d{2})",
    re.I,
)
#: How far into the article a printed date can still be its date line.
DATELINE_CHARS = 600
#: "بغداد - IQ", "RIYADH, June 9 (Reuters) -", "المصدر / القاهرة:غربة نيوز": a short head
#: of a line ended by a dash or colon is the outlet's dateline, and its place the outlet's.
_DATELINE_HEAD = re.compile(
    r"^(?P<head>[^\n.!?؟]{2,60}?)\s*(?:[-–—]{1,2}\s|:|\(\w[^)]{0,30}\)\s*[-–—]{1,2}\s)"
)


def published_from_html(raw: str) -> date | None:
    """The publication date a page's meta tags or first <time> element give, if any."""
    m = _META_DATE.search(raw[:MAX_ARTICLE_CHARS])
    if not m:
        return None
    try:
        return date.fromisoformat(next(g for g in m.groups() if g))
    except ValueError:
        return None


def dateline_span(line: str) -> int:
    """Characters at the head of a line that are the outlet's dateline (0 when none)."""
    m = _DATELINE_HEAD.match(line)
    if not m or len(m.group("head").split()) > 6:
        return 0
    return m.end()


#: Sentences longer than this are cut at a space: an article without punctuation or line
#: breaks (a paste gone wrong, a hostile input) is read in pieces of bounded size, which
#: keeps the work per piece constant and the whole linear in the article's length.
MAX_SENTENCE_CHARS = 1_000
#: A date printed with its year this close to the start of the article, after at most this
#: many words on its line, is the article's own date (a date line), not an event's.
_DATELINE_WORDS = 8
_TODAY_BEFORE = re.compile(r"(?:اليوم|today)\s*[,،]?\s*\S*\s*$", re.I)


@dataclass
class Sentence:
    index: int
    text: str
    #: characters at its head that are the outlet's dateline («بغداد - »)
    skip: int = 0
    #: a title or caption line at the top (no closing punctuation): dated events in it
    #: count, an undated event word there does not take the publication date
    headline: bool = False
    #: the date "today" and "yesterday" count from: the nearest date line above the
    #: sentence («Washington, DC / February 6, 2019» before "met in Washington today"),
    #: else the article's reference date
    reference: date | None = None
    reference_basis: str = ""
    #: a date ending before this offset is the line's own date line, not an event's
    dateline_date_end: int = 0
    #: (start, end) spans of the sentence inside a quotation that began or ends in another
    #: sentence of the line: speech, whose event words are what someone said
    speech: list = field(default_factory=list)


@dataclass
class Document:
    text: str
    lang: str
    sentences: list[Sentence] = field(default_factory=list)
    reference: date | None = None
    reference_basis: str = ""
    #: the countries named in the most sentences: what the article is about
    about: frozenset = frozenset()


def _cut(piece: str) -> list[str]:
    out = []
    while len(piece) > MAX_SENTENCE_CHARS:
        cut = piece.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        out.append(piece[:cut])
        piece = piece[cut:].lstrip()
    if piece:
        out.append(piece)
    return out


def read_document(text: str, published: date | None = None) -> Document:
    """The article as a document: language, sentences with their datelines, reference date."""
    raw = str(text or "")[:MAX_ARTICLE_CHARS]
    meta = published_from_html(raw) if _HTML_HINT.search(raw) else None
    plain = article_text(raw)
    doc = Document(plain, language_of(plain))
    if published is not None:
        doc.reference, doc.reference_basis = published, "the publication date given"
    elif meta is not None:
        doc.reference, doc.reference_basis = meta, "the page's publication date (meta tag)"
    current, basis = doc.reference, doc.reference_basis
    offset = 0
    seen_body = False
    line_number = 0
    for line in plain.split("\n"):
        stripped = line.strip()
        line_start = offset
        offset += len(line) + 1
        if not stripped:
            continue
        date_end = 0
        if line_start < 2 * DATELINE_CHARS:
            found = _dateline_date(stripped, doc.lang, current)
            if found is not None and found[0] is None:
                date_end = found[2]  # "March 20 (IANS)" with no year known: still a dateline
            elif found is not None:
                current, basis, date_end = found
                if doc.reference is None:
                    doc.reference, doc.reference_basis = current, basis
        skip = dateline_span(stripped) if line_start < 2 * DATELINE_CHARS else 0
        headline = (
            (not seen_body and len(doc.sentences) < 8 and len(stripped.split()) < 12)
            or (line_number < 2 and len(stripped.split()) < 20)
            or len(stripped.split()) < 8  # a subheading («مؤتمر برلين وتشكيل اللجنة»)
        ) and not re.search(r"[.!?؟:]\s*$", stripped)
        seen_body = seen_body or not headline
        line_number += 1
        first = True
        inside = False
        for piece in sentences(stripped):
            for part in _cut(piece):
                spans, inside = _speech(part, inside)
                doc.sentences.append(
                    Sentence(
                        len(doc.sentences),
                        part,
                        skip if first else 0,
                        headline,
                        current,
                        basis,
                        date_end if first else 0,
                        spans,
                    )
                )
                first = False
    return doc


_OPENERS = "«\u201c"
_CLOSERS = "»\u201d"


def _speech(part: str, inside: bool) -> tuple[list[tuple[int, int]], bool]:
    """Spans of `part` inside a quotation that crosses a sentence end, and whether the
    quotation is still open after it. Quotations within one sentence are found there."""
    spans = []
    start = 0 if inside else None
    for i, ch in enumerate(part):
        if start is None and ch in _OPENERS:
            start = i
        elif start is not None and ch in _CLOSERS:
            if inside or start == 0:
                spans.append((start, i + 1))
            start = None
            inside = False
    if start is not None:
        spans.append((start, len(part)))
        return spans, True
    return spans, False


_DASH_AFTER = re.compile(r"^\s*[,،]?\s*(?:[-–—)]|\d\d?:\d\d)")
_CLOCK_AFTER = re.compile(r"^\s*(?:بتوقيت|\d\d?:\d\d\s*(?:GMT|UTC)|GMT|UTC)", re.I)
#: "United Nations, March 20 (IANS) The Council...": a date closed by the agency's name
_AGENCY_AFTER = re.compile(r"^\s*[,،]?\s*\((?:[A-Za-z][\w .&/-]{1,25})\)")


def _dateline_date(line: str, lang: str, reference: date | None = None):
    """(date, why, end) of a line's date line, or None.

    A date line is a short line that starts or ends with a full date ("February 6, 2019",
    "(Xinhua) 09:38, July 13, 2022"), a full date closing a dateline head ("الإيطالية
    نيوز، الجمعة 23 أكتوبر 2020 -"), or a full date said to be today («اليوم السبت 17
    أغسطس 2019»). `end` is where the date ends when it only dates the article (0 when it
    may also date an event of the line, as a caption's date does).
    """
    from .dates import find_dates  # noqa: PLC0415 - dates builds on this module's words

    head_text = line[:300]
    folded, where = fold_with_map(head_text)
    words = len(folded.split())
    for d in find_dates(folded, reference, lang):
        before = len(folded[: d.start].split())
        after = folded[d.end :]
        agency = before <= _DATELINE_WORDS and bool(_AGENCY_AFTER.match(after))
        if agency and d.event_date is None:
            return None, "", where[d.end - 1] + 1 if d.end <= len(where) else 0
        if d.event_date is None or d.precision != "day" or (d.relative and not agency):
            continue
        if _CLOCK_AFTER.match(after):
            continue  # «الجمعة: 19/04/2024 بتوقيت القدس»: the clock of the page, not its date
        at_start = before <= 1
        at_end = len(after.strip(" ,،.")) <= 5
        # «يوم أمس الخميس (9 مارس 2017)»: a date in brackets glosses the words before it
        glossed = bool(re.search(r"\(\s*$", folded[: d.start])) and after.lstrip().startswith(")")
        dashed = before <= _DATELINE_WORDS and bool(_DASH_AFTER.match(after)) and not glossed
        dashed = dashed or agency
        today = before <= _DATELINE_WORDS and bool(_TODAY_BEFORE.search(folded[: d.start]))
        # a short line ending in a date is a date line when it is not a sentence: "The
        # conference was held on 19 January 2020." dates an event, not the article
        heading = not re.search(r"[.!?؟]\s*$", line)
        if at_start or (words <= 12 and at_end and heading) or dashed or today:
            why = f"the date printed at the head of the article («{d.text}»)"
            own = at_start or dashed
            end = where[d.end - 1] + 1 if own and d.end <= len(where) else 0
            return d.event_date, why, end
    return None
