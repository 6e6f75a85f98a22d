"""Filtered events -> CSV, GeoJSON and Parquet bytes, for the Table page and the CLI alike.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or
carriage return) get a leading apostrophe, as OWASP recommends; numbers are left
alone, so a negative number stays a number. Files are written to a temporary name,
flushed to disk and renamed, so an interrupted export never leaves a truncated file
that looks complete.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "geojson", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def file_stem(f) -> str:
    """A download's name from its filter, so two exports of a report are told apart:
    events_SYR-IRQ_2022-01-01_2022-06-30_attack_ghwayran. Only letters, digits, - and _
    (a name of a country's code, dates and types; free text folded to ASCII letters)."""
    import re
    import unicodedata

    parts = ["events"]
    if f.countries:
        parts.append("-".join(f.countries[:4]) + ("-etc" if len(f.countries) > 4 else ""))
    if f.date_from or f.date_to:
        parts.append(f.date_from.isoformat() if f.date_from else "start")
        parts.append(f.date_to.isoformat() if f.date_to else "now")
    if f.types:
        parts.append("-".join(f.types))
    if f.text:
        ascii_text = unicodedata.normalize("NFKD", f.text).encode("ascii", "ignore").decode()
        words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:30]
        parts.append(words or "search")
    if f.actors or f.batch:
        parts.append("selection")
    return "_".join(parts)


def _neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and sources as text a spreadsheet can hold (lists joined by '; ', sources as JSON)."""
    out = frame.copy()
    for column in ("actors", "related"):
        if column in out:
            out[column] = out[column].map(lambda v: "; ".join(v) if v else "")
    if "sources" in out:
        out["sources"] = out["sources"].map(lambda v: json.dumps(v, ensure_ascii=False))
    for column in ("event_date", "end_date"):
        if column in out:
            out[column] = out[column].map(lambda d: d.isoformat()[:10] if pd.notna(d) else "")
    if "fatalities" in out:
        out["fatalities"] = out["fatalities"].astype("Int64")
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    flat = _flat(frame)
    for column in flat.columns:
        if flat[column].dtype == object or pd.api.types.is_string_dtype(flat[column]):
            flat[column] = flat[column].map(_neutralise)
    # utf-8-sig so that spreadsheet programs open Arabic text correctly. CRLF line ends
    # (RFC 4180) make the writer quote a cell holding a bare CR; with "\n" it did not, and
    # a spreadsheet broke "x\r=HYPERLINK(...)" into a new row whose first cell ran.
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_parquet(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    if "fatalities" in out:
        out["fatalities"] = out["fatalities"].astype("Int64")
    for column in ("event_date", "end_date"):
        if column in out:
            out[column] = pd.to_datetime(out[column]).dt.date
    buffer = io.BytesIO()
    out.to_parquet(buffer, index=False)
    return buffer.getvalue()


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A FeatureCollection; events without coordinates keep a null geometry (valid GeoJSON)."""
    flat = _flat(frame)
    features = []
    for row in flat.to_dict(orient="records"):
        lat, lon = row.pop("latitude", None), row.pop("longitude", None)
        geometry = None
        if lat is not None and lon is not None and pd.notna(lat) and pd.notna(lon):
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        props = {k: (None if _missing(v) else v) for k, v in row.items()}
        if "sources" in props and props["sources"]:
            props["sources"] = json.loads(props["sources"])
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def render(frame: pd.DataFrame, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return {"csv": to_csv, "geojson": to_geojson, "parquet": to_parquet}[fmt](frame)


def write_atomic(data: bytes, target: Path) -> None:
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
