"""The event record: its columns, vocabularies and validation.

Everything that enters the store goes through :func:`validate_record`, so a shipped
record, an imported row and a curated edit are held to the same rules, and a bad
value is reported with the row and the column it came from instead of being
silently coerced.
"""

from __future__ import annotations

import calendar
import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime

EVENT_TYPES: tuple[str, ...] = (
    "meeting",
    "statement",
    "attack",
    "resolution",
    "agreement",
    "other",
)
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
GEO_PRECISIONS: tuple[str, ...] = ("exact", "city", "admin1", "country")
VERIFICATION: tuple[str, ...] = ("verified", "unverified")


@dataclass(frozen=True)
class Field:
    """One column of the event record: its name, its kind and whether it may be empty.

    The record is declared here once; the store's table, the Arrow schema of its writes,
    the export's column order and the lake's Parquet schema are all derived from it.
    """

    name: str
    #: text, date, float, int, bool or list (a list of text)
    kind: str
    required: bool = False


#: The canonical record, in stored and exported order.
CORE_FIELDS: tuple[Field, ...] = (
    Field("event_id", "text", True),
    Field("event_date", "date", True),
    Field("end_date", "date"),
    Field("date_precision", "text", True),
    Field("event_type", "text", True),
    Field("sub_type", "text"),
    Field("title", "text"),
    Field("title_ar", "text"),
    Field("summary", "text"),
    Field("actors", "list"),
    Field("country", "text"),
    Field("admin1", "text"),
    Field("location", "text"),
    Field("latitude", "float"),
    Field("longitude", "float"),
    Field("geo_precision", "text"),
    Field("fatalities", "int"),
    Field("fatalities_text", "text"),
    Field("sources", "text"),  # JSON: a list of {publisher, url, published, language}
    Field("related", "list"),
    Field("verification", "text", True),
    Field("evidence", "text"),
    Field("notes", "text"),
    Field("coord_basis", "text"),
    Field("dataset", "text", True),
)
#: Kept from imported files: the source's own id and type, whether a machine coded it
#: (GDELT), the low/high death estimates (UCDP), and a note when coordinates and country
#: disagree. Shipped records leave them empty.
IMPORT_FIELDS: tuple[Field, ...] = (
    Field("origin_id", "text"),
    Field("origin_type", "text"),
    Field("machine_coded", "bool"),
    Field("fatalities_low", "int"),
    Field("fatalities_high", "int"),
    Field("geo_flag", "text"),
)
#: Derived when a record is stored, for the filters: the span a date stands for, the
#: import batch, and the folded text that search and the actor filter read.
DERIVED_FIELDS: tuple[Field, ...] = (
    Field("span_start", "date", True),
    Field("span_end", "date", True),
    Field("batch_id", "text"),
    Field("search_text", "text"),
    Field("actors_norm", "text"),
)
CORE_COLUMNS: tuple[str, ...] = tuple(f.name for f in CORE_FIELDS)
IMPORT_COLUMNS: tuple[str, ...] = tuple(f.name for f in IMPORT_FIELDS)
COLUMNS: tuple[str, ...] = CORE_COLUMNS + IMPORT_COLUMNS

#: The columns a list of events shows (table, timeline, cards): one row, not the details.
LIST_COLUMNS = (
    "event_id",
    "event_date",
    "end_date",
    "date_precision",
    "span_start",
    "span_end",
    "event_type",
    "title",
    "title_ar",
    "country",
    "location",
    "latitude",
    "longitude",
    "verification",
    "sources",
    "fatalities",
    "actors",
)

TEXT_COLUMNS = (
    "sub_type",
    "title",
    "title_ar",
    "summary",
    "admin1",
    "location",
    "fatalities_text",
    "evidence",
    "notes",
    "coord_basis",
    "origin_id",
    "origin_type",
    "geo_flag",
)

#: Longest text accepted in one field: protects the store and the page from
#: megabyte cells while leaving room for long notes.
MAX_TEXT = 20_000
MAX_LIST = 200
#: Years a date may fall in: the range the link, the date pickers and the edit form take,
#: so a stored event can always be shown and edited.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: The store's counts are 32-bit integers.
MAX_COUNT = 2**31 - 1

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._\-]{0,127}$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_SURROGATE = re.compile("[\ud800-\udfff]")


class RecordError(ValueError):
    """A record that cannot be stored, with the column that is wrong."""

    def __init__(self, column: str, message: str):
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One rejected row, in terms a user can act on."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


def _shown(value) -> str:
    """A value quoted in a message, cut short: a megabyte cell must not make a megabyte error."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


#: The one written form of a date: YYYY-MM-DD, optionally followed by a time of day (as
#: spreadsheets and pandas write datetimes), never anything else after it. ``date.fromisoformat``
#: alone also takes ``20220505`` and ``2022-W10-1``, and cutting text to ten characters took
#: ``2022-05-05garbage``.
_DATE_TEXT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def parse_date(value, column: str) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, date):
        parsed = value.date() if isinstance(value, datetime) else value
    else:
        text = str(value).strip()
        match = _DATE_TEXT.fullmatch(text)
        try:
            if match is None:
                raise ValueError
            parsed = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise RecordError(
                column, f"not a date in YYYY-MM-DD form: {_shown(text[:40])}"
            ) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise RecordError(column, f"{parsed.isoformat()} is not between {MIN_YEAR} and {MAX_YEAR}")
    return parsed


def span_of(event_date: date, end_date: date | None, precision: str) -> tuple[date, date]:
    """The whole period an event covers.

    "January 2022" is month precision: it covers the month, it did not happen on the 1st,
    so filters and the timeline use this span, never the bare first day.
    """
    if precision == "month":
        last = calendar.monthrange(event_date.year, event_date.month)[1]
        start, end = event_date.replace(day=1), event_date.replace(day=last)
    elif precision == "year":
        start, end = date(event_date.year, 1, 1), date(event_date.year, 12, 31)
    else:
        start, end = event_date, event_date
    if end_date is not None and end_date > end:
        end = end_date
    return start, end


def _text(value, column: str) -> str:
    if type(value) is str:
        text = value
    elif value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    else:
        text = str(value)
    if len(text) > MAX_TEXT:
        raise RecordError(column, f"text longer than {MAX_TEXT} characters ({len(text)})")
    if not text.isascii() and (bad := _SURROGATE.search(text)):
        # JSON may write "\ud800" alone; no file, page or store can hold it as text.
        raise RecordError(column, f"holds \\u{ord(bad[0]):04x}, half of a character, not text")
    return text.replace("\x00", "") if "\x00" in text else text


#: A number as text: digits with an optional sign, decimal point and exponent. ``float()``
#: alone also takes ``1_0`` (as 10), ``inf`` and surrounding junk such as ``\u00a01``.
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
#: Longer number texts are refused before conversion: no coordinate or count needs them, and
#: a 400-digit integer overflowed the conversion to float.
_NUMBER_CHARS = 40


def _real(value, column: str, what: str) -> float | int | None:
    """A number from a file's value, or None for no value; never a truth value or a text
    ``float()`` would bend into a number. Integers stay integers, so a count is compared
    exactly and a huge one cannot overflow on its way to a float."""
    kind = type(value)
    if kind is float:  # the common cases first: ABC checks below cost a microsecond each
        return None if value != value else value
    if kind is int:
        return value
    if value is None or value == "":
        return None
    if isinstance(value, bool) or kind.__name__ in ("bool_", "bool"):
        # Excel's TRUE/FALSE and JSON's true/false would otherwise be 1.0 and 0.0.
        raise RecordError(column, f"not {what}: {_shown(value)} is true/false")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, numbers.Number):  # Decimal and its kind
        try:
            number = float(value)
        except (OverflowError, ValueError, TypeError):
            raise RecordError(column, f"not {what}: {_shown(value)}") from None
        return None if math.isnan(number) else number
    if not isinstance(value, str):
        raise RecordError(column, f"not {what}: {_shown(value)}")
    text = value.strip()
    if not text:
        return None
    if text.lower() == "nan":
        return None
    if len(text) > _NUMBER_CHARS or not _NUMBER_TEXT.fullmatch(text):
        raise RecordError(column, f"not {what}: {_shown(text)}")
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    return float(text)


def _float(value, column: str, low: float, high: float) -> float | None:
    number = _real(value, column, "a number")
    if number is None:
        return None
    if not (isinstance(number, int) or math.isfinite(number)) or not low <= number <= high:
        raise RecordError(column, f"{_shown(value)} is outside {low}..{high}")
    return float(number)


def _count(value, column: str) -> int | None:
    number = _real(value, column, "a whole number")
    if number is None:
        return None
    if isinstance(number, float):
        if not math.isfinite(number) or not number.is_integer():
            if math.isfinite(number) and number > MAX_COUNT:
                raise RecordError(column, f"{_shown(value)} is larger than {MAX_COUNT}")
            raise RecordError(column, f"not a whole number: {_shown(value)}")
        number = int(number)
    if number < 0:
        raise RecordError(column, f"negative: {_shown(value)}")
    if number > MAX_COUNT:
        raise RecordError(column, f"{_shown(value)} is larger than {MAX_COUNT}")
    return number


def _list(value, column: str) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
        raise RecordError(column, "expected a list")
    items = list(value)
    if len(items) > MAX_LIST:
        raise RecordError(column, f"more than {MAX_LIST} entries")
    return items


def validate_record(raw: dict, *, known_country=None) -> dict:
    """Return a clean copy of ``raw`` or raise :class:`RecordError` naming the column.

    ``known_country`` is a predicate for ISO3 codes; it is passed in so the schema does
    not have to load boundaries to be imported.
    """
    rec: dict = {}
    event_id = str(raw.get("event_id") or "").strip()
    if not _ID_RE.match(event_id):
        raise RecordError("event_id", f"missing or not a valid id: {event_id[:40]!r}")
    rec["event_id"] = event_id

    start = parse_date(raw.get("event_date"), "event_date")
    if start is None:
        raise RecordError("event_date", "missing")
    end = parse_date(raw.get("end_date"), "end_date")
    if end is not None and end < start:
        raise RecordError("end_date", f"{end} is before event_date {start}")
    rec["event_date"], rec["end_date"] = start, end

    precision = raw.get("date_precision") or "day"
    if precision not in DATE_PRECISIONS:
        raise RecordError("date_precision", f"{_shown(precision)} is not one of {DATE_PRECISIONS}")
    rec["date_precision"] = precision

    event_type = raw.get("event_type")
    if event_type not in EVENT_TYPES:
        raise RecordError("event_type", f"{_shown(event_type)} is not one of {EVENT_TYPES}")
    rec["event_type"] = event_type

    for column in TEXT_COLUMNS:
        rec[column] = _text(raw.get(column), column)
    if not rec["title"].strip() and not rec["title_ar"].strip():
        raise RecordError("title", "title and title_ar are both empty")

    actors = [_text(a, "actors").strip() for a in _list(raw.get("actors"), "actors")]
    rec["actors"] = [a for a in actors if a]

    country = raw.get("country")
    country = None if country in (None, "") or country != country else str(country).strip()
    if country is not None and (
        not _ISO3_RE.match(country) or (known_country and not known_country(country))
    ):
        raise RecordError("country", f"{country[:20]!r} is not an ISO 3166-1 alpha-3 code")
    rec["country"] = country

    lat = _float(raw.get("latitude"), "latitude", -90, 90)
    lon = _float(raw.get("longitude"), "longitude", -180, 180)
    if (lat is None) != (lon is None):
        raise RecordError("latitude", "latitude and longitude must be given together")
    rec["latitude"], rec["longitude"] = lat, lon

    geo_precision = raw.get("geo_precision") or None
    if geo_precision is not None and geo_precision not in GEO_PRECISIONS:
        raise RecordError(
            "geo_precision", f"{_shown(geo_precision)} is not one of {GEO_PRECISIONS}"
        )
    rec["geo_precision"] = geo_precision

    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        rec[column] = _count(raw.get(column), column)
    rec["machine_coded"] = bool(raw.get("machine_coded") or False)

    sources = []
    for item in _list(raw.get("sources"), "sources"):
        if not isinstance(item, dict):
            raise RecordError("sources", "each source must be an object")
        published = parse_date(item.get("published"), "sources.published")
        sources.append(
            {
                "publisher": _text(item.get("publisher"), "sources.publisher"),
                "url": _text(item.get("url"), "sources.url").strip(),
                "published": published.isoformat() if published else None,
                "language": _text(item.get("language"), "sources.language"),
            }
        )
    if not sources:
        raise RecordError("sources", "at least one source is required")
    rec["sources"] = sources

    rec["related"] = [_text(r, "related") for r in _list(raw.get("related"), "related") if r]

    verification = raw.get("verification") or "verified"
    if verification not in VERIFICATION:
        raise RecordError("verification", f"{_shown(verification)} is not one of {VERIFICATION}")
    rec["verification"] = verification
    rec["dataset"] = _text(raw.get("dataset"), "dataset") or "user"
    return rec
