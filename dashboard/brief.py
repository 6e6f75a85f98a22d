"""A brief: one self-contained page to hand on, with where every event came from.

HTML that opens offline (the map and the timeline are inline SVG drawn here, no script,
no font, no image from anywhere), a PDF printed from it by the system Chromium, and a
PNG of each chart. Every piece of data text goes through :func:`html.escape`; a source
address becomes a link only if it is http(s), and is shown as text beside it.
"""

from __future__ import annotations

import html
import json
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .filters import ViewState
from .palette import TYPE_COLORS, UNKNOWN_TYPE_COLOR
from .query import EventQuery
from .strings import count_events, sentence_strings, sub_type_label, type_label

#: Events listed (and cited) in a brief; the rest are counted.
MAX_EVENTS = 200
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
#: The brief loads nothing: no script, no font, no image from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAP_W, MAP_H = 720, 400
TL_W, TL_H = 720, 180

WORDS = {
    "en": {
        "title": "Brief",
        "made": "Made {when} from data version {v}.",
        "link": "Link",
        "map": "Map",
        "timeline": "Events per month",
        "events": "Events",
        "rest": "and {n:,} more events not listed here (open the link for all).",
        "sources": "Sources",
        "date": "Date",
        "type": "Type",
        "event": "Event",
        "place": "Place",
        "cite": "Sources",
        "evidence": "Evidence",
        "none": "No events.",
    },
    "ar": {
        "title": "موجز",
        "made": "أُعدّ في {when} من إصدار البيانات {v}.",
        "link": "الرابط",
        "map": "الخريطة",
        "timeline": "الأحداث في كل شهر",
        "events": "الأحداث",
        "rest": "و{events} أخرى غير مدرجة هنا (افتح الرابط لرؤيتها كلها).",
        "sources": "المصادر",
        "date": "التاريخ",
        "type": "النوع",
        "event": "الحدث",
        "place": "المكان",
        "cite": "المصادر",
        "evidence": "الشاهد",
        "none": "لا أحداث.",
    },
}


@dataclass(frozen=True)
class Brief:
    html: str
    map_svg: str
    timeline_svg: str


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _sources(value) -> list[dict]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [s for s in (value or []) if isinstance(s, dict)]


def _safe_url(url: str) -> str | None:
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def map_svg(rows: pd.DataFrame, lang: str) -> str:
    """Country outlines and the events as dots, in an equirectangular frame around them."""
    from . import geo

    located = rows.dropna(subset=["latitude", "longitude"])
    if located.empty:
        west, south, east, north = 25.0, 10.0, 65.0, 42.0
    else:
        west, east = located["longitude"].min(), located["longitude"].max()
        south, north = located["latitude"].min(), located["latitude"].max()
    pad_x, pad_y = max((east - west) * 0.15, 3.0), max((north - south) * 0.15, 3.0)
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    scale = min(MAP_W / (east - west), MAP_H / (north - south))

    def xy(lon, lat):
        return (lon - west) * scale, (north - lat) * scale

    import shapely

    box = shapely.box(west, south, east, north)
    paths = []
    for geometry in geo.display_boundaries().geometry:
        if geometry is None or not geometry.intersects(box):
            continue
        clipped = geometry.intersection(box)
        for poly in getattr(clipped, "geoms", [clipped]):
            if poly.geom_type != "Polygon":
                continue
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*c) for c in poly.exterior.coords))
            paths.append(f'<polygon points="{points}"/>')
    dots = []
    for row in located.itertuples():
        x, y = xy(row.longitude, row.latitude)
        colour = TYPE_COLORS.get(row.event_type, UNKNOWN_TYPE_COLOR)
        label = _e(row.title or row.title_ar or row.event_id)
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" fill-opacity="0.8" '
            f'stroke="#fff"><title>{label}</title></circle>'
        )
    w, h = (east - west) * scale, (north - south) * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'width="{w:.0f}" height="{h:.0f}" role="img" aria-label="{_e(WORDS[lang]["map"])}">'
        f'<rect width="100%" height="100%" fill="#eef3f7"/>'
        f'<g fill="#fafafa" stroke="#9aa5b1" stroke-width="0.7">{"".join(paths)}</g>'
        f"{''.join(dots)}</svg>"
    )


def timeline_svg(counts: pd.DataFrame, lang: str) -> str:
    """Stacked bars of events per month and type."""
    words = WORDS[lang]
    if counts.empty:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{TL_W}" height="40">'
            f'<text x="10" y="25">{_e(words["none"])}</text></svg>'
        )
    table = counts.pivot_table(
        index="period", columns="event_type", values="events", aggfunc="sum", fill_value=0
    )
    months = pd.date_range(table.index.min(), table.index.max(), freq="MS")
    table = table.reindex(months, fill_value=0)
    top = max(int(table.sum(axis=1).max()), 1)
    bar = TL_W / len(table)
    plot_h = TL_H - 30
    parts = []
    for i, (period, row) in enumerate(table.iterrows()):
        y = plot_h
        for event_type, n in row.items():
            if not n:
                continue
            height = n / top * (plot_h - 10)
            y -= height
            colour = TYPE_COLORS.get(event_type, UNKNOWN_TYPE_COLOR)
            tip = _e(f"{period:%Y-%m} {type_label(event_type, lang)}: {int(n)}")
            parts.append(
                f'<rect x="{i * bar:.2f}" y="{y:.1f}" width="{max(bar - 0.5, 0.5):.2f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{tip}</title></rect>'
            )
    first, last = table.index[0], table.index[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {TL_W} {TL_H}" width="{TL_W}" '
        f'height="{TL_H}" role="img" aria-label="{_e(words["timeline"])}">'
        f'<line x1="0" y1="{plot_h}" x2="{TL_W}" y2="{plot_h}" stroke="#555"/>{"".join(parts)}'
        f'<text x="0" y="{TL_H - 8}" font-size="12">{first:%Y-%m}</text>'
        f'<text x="{TL_W}" y="{TL_H - 8}" font-size="12" text-anchor="end">{last:%Y-%m}</text>'
        f'<text x="{TL_W}" y="12" font-size="12" text-anchor="end">{top}</text></svg>'
    )


def build(
    q: EventQuery,
    state: ViewState,
    *,
    version: int,
    link: str,
    country_name=lambda code, lang: code,
    cap: int = MAX_EVENTS,
    now: datetime | None = None,
) -> Brief:
    """The brief of ``state`` as the store stood at data version ``version``."""
    lang = state.lang if state.lang in WORDS else "en"
    words = WORDS[lang]
    f = state.filters
    total = q.count(f)
    rows = q.rows(f, limit=cap)
    full = q.at(f.as_of).events_by_id(rows["event_id"].tolist()).set_index("event_id")
    sentence = f.describe(
        total,
        country_name=lambda c: country_name(c, lang),
        type_name=lambda x: type_label(x, lang),
        strings=sentence_strings(lang),
        sub_type_name=lambda x: sub_type_label(x, lang),
    )
    the_map = map_svg(
        q.rows(
            f,
            limit=2000,
            columns=("event_id", "event_type", "title", "title_ar", "latitude", "longitude"),
        ),
        lang,
    )
    timeline = timeline_svg(q.period_counts(f, "month"), lang)
    body, cites = [], []
    number = 0
    for row in rows.itertuples():
        record = full.loc[row.event_id] if row.event_id in full.index else None
        title = (row.title_ar if lang == "ar" and row.title_ar else row.title) or row.title_ar
        marks = []
        for source in _sources(row.sources):
            number += 1
            marks.append(f'<a href="#c{number}">[{number}]</a>')
            url = source.get("url") or ""
            safe = _safe_url(url)
            shown = f'<a href="{_e(safe)}">{_e(url)}</a>' if safe else _e(url)
            evidence = record["evidence"] if record is not None else ""
            cites.append(
                f'<li id="c{number}" class="citation"><span class="publisher">'
                f'{_e(source.get("publisher"))}</span> · <span class="url" dir="ltr">{shown}'
                f'</span> · <span class="language">{_e(source.get("language"))}</span>'
                + (f' · <q class="evidence">{_e(evidence)}</q>' if evidence else "")
                + f' <span class="about">({_e(row.event_id)})</span></li>'
            )
        place = ("، " if lang == "ar" else ", ").join(
            x for x in (row.location or "", country_name(row.country, lang)) if x
        )
        body.append(
            f"<tr><td>{_e(_day(row.event_date))}</td>"
            f"<td>{_e(type_label(row.event_type, lang))}</td>"
            f"<td>{_e(title)}</td><td>{_e(place)}</td><td>{' '.join(marks)}</td></tr>"
        )
    rest = total - len(rows)
    more = words["rest"].format(n=rest, events=count_events(rest, lang))
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    direction = "rtl" if lang == "ar" else "ltr"
    page = f"""<!DOCTYPE html>
<html lang="{lang}" dir="{direction}">
<head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{_e(words["title"])}: {_e(sentence)}</title>
<style>
body{{font-family:sans-serif;max-width:820px;margin:2em auto;color:#222;line-height:1.45}}
table{{border-collapse:collapse;width:100%;font-size:.9em}}
td,th{{border-bottom:1px solid #ddd;padding:.25em .4em;text-align:start;vertical-align:top}}
.meta{{color:#555;font-size:.9em}} svg{{max-width:100%;height:auto}}
.citation{{margin:.3em 0;font-size:.9em}} .url{{word-break:break-all}}
</style></head>
<body>
<h1>{_e(words["title"])}</h1>
<p class="sentence">{_e(sentence)}</p>
<p class="meta">{_e(words["made"].format(when=when, v=version))}
{_e(words["link"])}: <a class="share-link" href="{_e(link)}" dir="ltr">{_e(link)}</a></p>
<h2>{_e(words["map"])}</h2>
<figure class="map">{the_map}</figure>
<h2>{_e(words["timeline"])}</h2>
<figure class="timeline">{timeline}</figure>
<h2>{_e(words["events"])}</h2>
<table class="events"><thead><tr><th>{_e(words["date"])}</th><th>{_e(words["type"])}</th>
<th>{_e(words["event"])}</th><th>{_e(words["place"])}</th><th>{_e(words["cite"])}</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>
{f'<p class="rest">{_e(more)}</p>' if rest > 0 else ""}
<h2>{_e(words["sources"])}</h2>
<ol class="citations">{"".join(cites)}</ol>
</body></html>
"""
    return Brief(page, the_map, timeline)


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _chromium(*args: str, timeout: int = 60) -> None:
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: PDF and PNG need the system Chromium")
    subprocess.run(
        [str(CHROMIUM), *CHROMIUM_ARGS, *args],
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def pdf(page: str) -> bytes:
    """The brief printed to PDF by headless Chromium (no network: the page holds it all)."""
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "brief.html", Path(folder) / "brief.pdf"
        source.write_text(page, encoding="utf-8")
        _chromium("--no-pdf-header-footer", f"--print-to-pdf={out}", source.as_uri())
        return out.read_bytes()


def png(svg: str, width: int, height: int) -> bytes:
    """One chart (inline SVG) as a PNG, drawn by headless Chromium."""
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}'
        f"svg{{width:{width}px;height:{height}px}}</style></head><body>{svg}</body></html>"
    )
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "chart.html", Path(folder) / "chart.png"
        source.write_text(page, encoding="utf-8")
        _chromium(f"--screenshot={out}", f"--window-size={width},{height}", source.as_uri())
        return out.read_bytes()
