"""Filtered events -> CSV, GeoJSON and Parquet bytes, for the Table page and the CLI alike.

CSV cells that a spreadsheet would run as a formula get a leading apostrophe, as OWASP
recommends: those starting with = + - @, tab or carriage return, also behind spaces,
no-break spaces or invisible characters (which a spreadsheet may trim), and those starting
with apostrophes before such a start, so that the importer, which takes one apostrophe
off, gives back exactly what was exported. Numbers are left alone, so a negative number
stays a number. Sources are columns a spreadsheet reads (``source_count``,
``source_1_publisher``, ``source_1_url``, ...; see :func:`source_columns`). Lists (actors,
related) are joined by "; " where that reads back the same, else written as a JSON list;
GeoJSON and Parquet keep them as lists, and Parquet keeps dates as dates and every
column's type even when it is empty.

Files are written to a temporary name, flushed to disk and renamed, so an interrupted
export never leaves a truncated file that looks complete.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import secrets
import stat
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("csv", "geojson", "parquet")
#: What a spreadsheet may skip before reading a formula: white space and invisible marks.
_LEAD = "[\\s\u00a0\u180e\u200b-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]*"
#: A cell that gets an apostrophe: a formula start behind any apostrophes and invisibles.
FORMULA = re.compile(f"'*{_LEAD}[=+\\-@\t\r]")
#: Cell texts the importer reads as "no value" (see dashboard.sources.tabular.MISSING).
_READ_AS_MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})


def needs_apostrophe(text: str) -> bool:
    """Whether a CSV cell holding ``text`` is written with a leading apostrophe."""
    return FORMULA.match(text) is not None


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

    def words(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:30]

    if f.places:
        parts.append(words(" ".join(f.places)) or "places")
    if f.text:
        parts.append(words(f.text) or "search")
    deaths = (f.fatalities_min, f.fatalities_max)
    if f.actors or f.batch or f.sub_types or deaths != (None, None):
        parts.append("selection")
    return "_".join(parts)


def _neutralise(value):
    if isinstance(value, str) and needs_apostrophe(value):
        return "'" + value
    return value


def list_cell(items) -> str:
    """A list as one CSV cell that reads back as the same list: "a; b" when no item holds
    a ";" or edge spaces and the text cannot be taken for JSON or for "no value"; else a
    JSON list (the importer reads a cell starting with "[" as one)."""
    items = [] if items is None else list(items)
    if not items:
        return ""
    joined = "; ".join(str(i) for i in items)
    plain = all(isinstance(i, str) and i and i == i.strip() and ";" not in i for i in items)
    if plain and not joined.startswith(("[", "{")) and joined.lower() not in _READ_AS_MISSING:
        return joined
    return json.dumps([str(i) for i in items], ensure_ascii=False)


def _flat(frame: pd.DataFrame, *, lists_as_text: bool = True) -> pd.DataFrame:
    """Sources as JSON text and dates as YYYY-MM-DD; lists as one cell (see
    :func:`list_cell`) unless ``lists_as_text`` is False."""
    out = frame.copy()
    for column in ("actors", "related"):
        if column in out:
            if lists_as_text:
                out[column] = out[column].map(list_cell)
            else:
                out[column] = out[column].map(lambda v: [] if v is None else [str(i) for i in v])
    if "sources" in out:
        out["sources"] = out["sources"].map(lambda v: json.dumps(v, ensure_ascii=False))
    for column in ("event_date", "end_date"):
        if column in out:
            out[column] = out[column].map(lambda d: d.isoformat()[:10] if pd.notna(d) else "")
    if "fatalities" in out:
        out["fatalities"] = out["fatalities"].astype("Int64")
    return out


#: The fields of one source, as the CSV's ``source_<n>_<field>`` columns name them.
SOURCE_FIELDS = ("publisher", "url", "published", "language")


def source_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``sources`` (lists of source objects) as columns a spreadsheet reads: ``source_count``
    then ``source_1_publisher``, ``source_1_url``, ``source_1_published``,
    ``source_1_language``, ... up to the most sources any exported event has; empty cells
    where an event has fewer. :mod:`dashboard.sources.native` reads them back."""
    if "sources" not in frame:
        return frame
    lists = [list(v) if isinstance(v, list | tuple) else [] for v in frame["sources"]]
    most = max((len(v) for v in lists), default=0)
    columns: dict[str, list] = {"source_count": [len(v) for v in lists]}
    for n in range(1, most + 1):
        for field in SOURCE_FIELDS:
            columns[f"source_{n}_{field}"] = [
                _source_text(v[n - 1].get(field)) if len(v) >= n else "" for v in lists
            ]
    at = list(frame.columns).index("sources")
    head, tail = frame.iloc[:, :at], frame.iloc[:, at + 1 :]
    middle = pd.DataFrame(columns, index=frame.index)
    return pd.concat([head, middle, tail], axis=1)


def _source_text(value) -> str:
    return "" if value is None or _missing(value) else str(value)


def to_csv(frame: pd.DataFrame) -> bytes:
    flat = _flat(source_columns(frame))
    for column in flat.columns:
        if flat[column].dtype == object or pd.api.types.is_string_dtype(flat[column]):
            flat[column] = flat[column].map(_neutralise)
    # utf-8-sig so that spreadsheet programs open Arabic text correctly. CRLF line ends
    # (RFC 4180) make the writer quote a cell holding a bare CR; with "\n" it did not, and
    # a spreadsheet broke "x\r=HYPERLINK(...)" into a new row whose first cell ran.
    return flat.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


_SOURCE = pa.struct([(k, pa.string()) for k in ("publisher", "url", "published", "language")])
#: Parquet column types of the record; any other column is typed from its values.
_ARROW_TYPES = {
    "event_date": pa.date32(),
    "end_date": pa.date32(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "fatalities": pa.int64(),
    "fatalities_low": pa.int64(),
    "fatalities_high": pa.int64(),
    "machine_coded": pa.bool_(),
    "actors": pa.list_(pa.string()),
    "related": pa.list_(pa.string()),
    "sources": pa.list_(_SOURCE),
}


def _arrow_value(value, kind: pa.DataType):
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy values from pandas
        value = value.tolist()
    if _missing(value):
        return None
    if kind == pa.date32():
        if isinstance(value, datetime | pd.Timestamp):
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if kind == _ARROW_TYPES["sources"]:
        return [
            {k: None if _missing(item.get(k)) else str(item.get(k)) for k in _SOURCE.names}
            for item in value or []
        ]
    if pa.types.is_list(kind):
        return [str(i) for i in value or []]
    if pa.types.is_integer(kind):
        return int(value)
    if pa.types.is_floating(kind):
        return float(value)
    if pa.types.is_boolean(kind):
        return bool(value)
    return str(value)


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Every column with its record type, whatever the rows hold: dates as dates (not
    timestamps), and a column with no values keeps its type instead of becoming null."""
    from .schema import COLUMNS

    arrays, names = [], []
    for column in frame.columns:
        kind = _ARROW_TYPES.get(column, pa.string() if column in COLUMNS else None)
        values = frame[column].tolist()
        if kind is None:
            arrays.append(pa.array(frame[column]))
        else:
            arrays.append(pa.array([_arrow_value(v, kind) for v in values], type=kind))
        names.append(str(column))
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays, names=names), buffer)
    return buffer.getvalue()


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A FeatureCollection; events without coordinates keep a null geometry (valid GeoJSON).
    Lists stay JSON lists, so an actor holding ";" comes back whole."""
    flat = _flat(frame, lists_as_text=False)
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
    if isinstance(value, list | tuple | dict):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def render(frame: pd.DataFrame, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return {"csv": to_csv, "geojson": to_geojson, "parquet": to_parquet}[fmt](frame)


class UnsafeTarget(OSError):
    """The path to write names something an export must not replace (a device, a folder)."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(path: Path, shown: Path) -> os.stat_result | None:
    """The status of the regular file at ``path``, None if nothing is there, or refusal."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        kind = next((k for test, k in _KINDS if test(status.st_mode)), "not a regular file")
        raise UnsafeTarget(
            f"{shown} is {kind}; an export writes regular files only (write to a file, or "
            "use - for standard output)"
        )
    return status


def real_target(target: Path) -> Path:
    """The regular file a write to ``target`` replaces. A symlink is followed to the file it
    names (as a shell's ``>`` would), so the link stays and its target gets the data; a
    device, folder, pipe or socket at the end is refused, as is a missing folder."""
    target = Path(target)
    real = Path(os.path.realpath(target))
    _refuse_special(real, target)
    if not real.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "No such folder", str(real.parent))
    return real


def _exclusive(path, flags):
    # A new name only: never a file or a link someone placed at the temporary name.
    return os.open(path, flags | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)


def write_atomic(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` whole or not at all (see :func:`real_target` for what a
    target may be). The bytes go to a new file beside it, are flushed to disk and renamed
    over it; an existing file keeps its permissions."""
    shown = Path(target)
    real = real_target(shown)
    tmp = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(tmp, "wb", opener=_exclusive) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        before = _refuse_special(real, shown)  # again: it may have changed while we wrote
        if before is not None:
            os.chmod(tmp, stat.S_IMODE(before.st_mode))
        os.replace(tmp, real)
    finally:
        tmp.unlink(missing_ok=True)
