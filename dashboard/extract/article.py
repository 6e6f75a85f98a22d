"""Reading an article as a document: its text, sentences, dateline and reference date.

HTML input is reduced to its text with the standard library's parser and is never
rendered. The reference date that years are worked out from is, in this order, the date
the user gives (`--published`), the page's publication meta tag, or a date line printed at
the head of the article; with none of them, no year is ever guessed.
"""

from __future__ import annotations

import re
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


def _lex(*words: str) -> list[str]:
    return [fold_letters(w) for w in words]
