"""Escaping for what data text reaches in a map or a table: HTML, JavaScript, links.

One function per sink: :func:`safe_text` for HTML (also inside a JavaScript template
literal), :func:`safe_url` for an ``href``, :func:`js_json` for a value inside a
``<script>`` that branca renders through Jinja twice. Markdown (Streamlit's text) is
dashboard.text's business.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import pandas as pd


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        missing = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return missing is True or (isinstance(missing, bool) and missing)


def safe_text(value) -> str:
    """Text from data, made inert for HTML and for a JavaScript template literal.

    HTML escaping alone is not enough where folium writes HTML into a template
    literal (``Tooltip``, ``Popup``, ``GeoJsonTooltip`` aliases): ``${...}`` and a
    backtick would still run, and a backslash would change what follows. They become
    HTML entities, which a browser shows as the same characters.
    """
    if is_missing(value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


_ALLOWED_SCHEMES = {"http", "https"}
_EMBEDDED_WS = re.compile(r"[\t\n\r]")  # browsers delete these anywhere in a URL
_EDGE_JUNK = "".join(chr(c) for c in range(0x21))  # and strip C0 controls and spaces at the ends
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\"'<>`\\]")


def safe_url(url) -> str | None:
    """An http(s) link fit for an ``href``, or None.

    Cleans the way a browser would before it decides the scheme (tabs and newlines
    removed anywhere, controls and spaces trimmed at the ends), so ``java\\tscript:``
    cannot sneak through, then accepts only http/https with a host. A URL that still
    holds a space, a control, a quote, an angle bracket, a backtick or a backslash
    is refused rather than repaired. The result is not escaped: escape it where used.
    """
    if not isinstance(url, str):
        return None
    cleaned = _EMBEDDED_WS.sub("", url).strip(_EDGE_JUNK)
    if not cleaned or len(cleaned) > 2048 or _FORBIDDEN.search(cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in _ALLOWED_SCHEMES or not parts.hostname:
        return None
    return cleaned


_OPEN, _CLOSE = "\ue000", "\ue001"


def js_json(value) -> str:
    """JSON for a <script>, safe twice over.

    Like Jinja's tojson it escapes < > & ' so text cannot close the script; it also
    escapes { and } inside strings, because branca feeds each rendered script through
    Jinja a second time: a stranger's "{{ ... }}" would otherwise be evaluated on the
    server or break the whole map.
    """

    def prepare(item):
        if isinstance(item, str):
            item = item.replace(_OPEN, "").replace(_CLOSE, "")
            return item.replace("{", _OPEN).replace("}", _CLOSE)
        if isinstance(item, dict):
            return {prepare(k): prepare(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [prepare(v) for v in item]
        return item

    text = json.dumps(prepare(value), ensure_ascii=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        (_OPEN, "\\u007b"),
        (_CLOSE, "\\u007d"),
    ):
        text = text.replace(raw, escaped)
    return text
