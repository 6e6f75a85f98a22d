"""View state <-> URL query parameters, both ways, lossless.

A shared link is the only thing a colleague receives, so reading one must restore
the view exactly, and a mangled one must still open: every bad value is dropped
with a :class:`Notice` the page shows, never an exception, and nothing from the
URL reaches SQL except through :class:`~dashboard.filters.Filters`.

Lists are written as repeated keys (``country=SYR&country=IRQ``). Codes (countries,
types) are also accepted comma-separated; actor names are not split, because real
names contain commas ("Saudi Arabia (FM Saud Al-Faisal, chair)").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

from .filters import MAX_TEXT, Filters, ViewState

KEYS = (
    "country",
    "from",
    "to",
    "type",
    "actor",
    "q",
    "batch",
    "event",
    "lang",
    "lat",
    "lon",
    "zoom",
    "window",
    "window_type",
    "window_country",
    "step",
    "v",
    "view",
    "sort",
    "desc",
    "page",
    "unit",
    "place",
    "subtype",
    "fatalities_min",
    "fatalities_max",
)
LANGS = ("en", "ar")
#: What the table may be sorted by (the engines' SORTABLE, whose keys a test holds equal).
SORT_KEYS = ("event_date", "event_type", "country", "title", "location", "fatalities")
#: The timeline's counting units.
UNITS = ("month", "week")
#: The highest table page a link may ask for (a million events at 100 a page is 10,000).
MAX_PAGE = 100_000
#: Streamlit drops the whole query string above these sizes; the page says so.
STREAMLIT_MAX_FIELDS = 1000
STREAMLIT_MAX_CHARS = 524_288

#: The URL parameter of each filter field, for the notices of what a link dropped.
PARAM_OF = {
    "countries": "country",
    "date_from": "from",
    "date_to": "to",
    "types": "type",
    "actors": "actor",
    "text": "q",
    "batch": "batch",
    "as_of": "v",
    "places": "place",
    "sub_types": "subtype",
    "fatalities_min": "fatalities_min",
    "fatalities_max": "fatalities_max",
}
#: Decimals of a map centre kept in a link (about 11 m at the equator).
COORD_DECIMALS = 4

_EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._\-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Notice:
    """A value of the link that was not used, and why."""

    param: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:40] + "…"
        return f"{self.param}={shown!r} ignored: {self.reason}"


def parse_query_string(query: str) -> list[tuple[str, str]]:
    """Split a raw query string; undecodable bytes become U+FFFD and are then refused."""
    query = query.lstrip("?")
    return parse_qsl(query, keep_blank_values=True, errors="replace", max_num_fields=None)


def _pairs(params) -> list[tuple[str, str]]:
    if isinstance(params, str):
        return parse_query_string(params)
    if isinstance(params, Mapping):
        out = []
        for key, values in params.items():
            if isinstance(values, str):
                values = [values]
            out.extend((key, v) for v in values)
        return out
    return list(params)


def decode(
    params: Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]] | str,
    *,
    is_country: Callable[[str], bool] = lambda code: True,
    page: str = "overview",
) -> tuple[ViewState, list[Notice]]:
    """Read a link's parameters into a :class:`ViewState` and the notices for what was dropped."""
    notices: list[Notice] = []
    grouped: dict[str, list[str]] = {}
    for key, value in _pairs(params):
        key, value = str(key), str(value)
        if key not in KEYS:
            notices.append(Notice(key[:40], value, "unknown parameter"))
            continue
        if "\ufffd" in value or _CONTROL.search(value):
            notices.append(Notice(key, value, "not valid text"))
            continue
        if len(value) > MAX_TEXT:
            notices.append(Notice(key, value, f"longer than {MAX_TEXT} characters"))
            continue
        grouped.setdefault(key, []).append(value)

    def many(key: str, split: bool) -> list[str]:
        values = []
        for raw in grouped.get(key, []):
            values.extend(raw.split(",") if split else [raw])
        return values

    def one(key: str) -> str | None:
        values = grouped.get(key, [])
        if len(values) > 1:
            notices.append(Notice(key, values[-1], "given more than once; the first is used"))
        return values[0].strip() if values else None

    dates = {}
    for key in ("from", "to"):
        raw = one(key)
        if raw is None or raw == "":
            continue
        try:
            value = date.fromisoformat(raw)
            if not 1900 <= value.year <= 2100:
                raise ValueError
            dates[key] = value
        except ValueError:
            notices.append(Notice(key, raw, "not a date between 1900 and 2100 (YYYY-MM-DD)"))
    filters, dropped = Filters.clean(
        countries=many("country", split=True),
        date_from=dates.get("from"),
        date_to=dates.get("to"),
        types=many("type", split=True),
        actors=many("actor", split=False),
        text=one("q") or "",
        batch=one("batch") or "",
        as_of=_version(one("v"), notices),
        places=many("place", split=False),
        sub_types=many("subtype", split=False),
        fatalities_min=_deaths(one("fatalities_min")),
        fatalities_max=_deaths(one("fatalities_max")),
        is_country=is_country,
    )
    notices.extend(Notice(PARAM_OF[d.field], d.value, d.reason) for d in dropped)
    event = one("event")
    if event is not None and not _EVENT_ID.match(event):
        notices.append(Notice("event", event, "not a valid event id"))
        event = None
    lang = one("lang") or "en"
    if lang not in LANGS:
        notices.append(Notice("lang", lang, "language must be en or ar"))
        lang = "en"

    def number(key: str, low: float, high: float) -> float | None:
        raw = one(key)
        if raw is None or raw == "":
            return None
        try:
            value = float(raw)
            if math.isfinite(value) and low <= value <= high:
                return value
        except ValueError:
            pass
        notices.append(Notice(key, raw, f"not a number between {low:g} and {high:g}"))
        return None

    lat, lon, zoom = number("lat", -90, 90), number("lon", -180, 180), number("zoom", 1, 18)
    if (lat is None) != (lon is None):
        notices.append(Notice("lat" if lon is None else "lon", "", "lat and lon go together"))
        lat = lon = None

    window, window_types, step = _views_extra(one, many, number, notices)
    window_country = (one("window_country") or "").upper() or None
    if window_country is not None and not (
        re.match(r"^[A-Z]{3}$", window_country) and is_country(window_country)
    ):
        notices.append(
            Notice("window_country", window_country, "not a known ISO 3166-1 alpha-3 code")
        )
        window_country = None
    sort = one("sort") or "event_date"
    if sort not in SORT_KEYS:
        notices.append(Notice("sort", sort, f"not one of {', '.join(SORT_KEYS)}"))
        sort = "event_date"
    desc = one("desc") or "1"
    if desc not in ("0", "1"):
        notices.append(Notice("desc", desc, "must be 0 or 1"))
        desc = "1"
    table_page = one("page") or "1"
    if not (table_page.isascii() and table_page.isdigit() and 1 <= int(table_page) <= MAX_PAGE):
        notices.append(Notice("page", table_page, f"not a page number from 1 to {MAX_PAGE}"))
        table_page = "1"
    unit = one("unit") or "month"
    if unit not in UNITS:
        notices.append(Notice("unit", unit, f"not one of {', '.join(UNITS)}"))
        unit = "month"

    state = ViewState(
        page=page,
        filters=filters,
        event=event,
        lang=lang,
        lat=round(lat, COORD_DECIMALS) if lat is not None else None,
        lon=round(lon, COORD_DECIMALS) if lon is not None else None,
        zoom=int(zoom) if zoom is not None else None,
        window=window,
        window_types=window_types,
        window_country=window_country,
        step=step,
        sort=sort,
        desc=desc == "1",
        table_page=int(table_page),
        unit=unit,
    )
    return state, notices


#: Most days either side of an event a before/after window spans.
MAX_WINDOW = 730
_STEP = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _views_extra(one, many, number, notices) -> tuple[int | None, tuple[str, ...], str | None]:
    """The insight views' keys: ``window`` (days), ``window_type`` (types), ``step``."""
    from .schema import EVENT_TYPES

    days = number("window", 1, MAX_WINDOW)
    kinds = []
    for kind in many("window_type", split=True):
        if kind.strip().lower() in EVENT_TYPES:
            kinds.append(kind.strip().lower())
        else:
            notices.append(Notice("window_type", kind, f"not one of {', '.join(EVENT_TYPES)}"))
    step = one("step") or None
    if step is not None and parse_step(step) is None:
        notices.append(Notice("step", step, "not a month (YYYY-MM) or a Monday (YYYY-MM-DD)"))
        step = None
    types = tuple(t for t in EVENT_TYPES if t in kinds)
    return (int(days) if days is not None else None), types, step


def parse_step(step: str) -> tuple[str, date] | None:
    """("month", its first day) or ("week", its Monday) of a playback step, or None."""
    if not _STEP.match(step or ""):
        return None
    try:
        day = date.fromisoformat(step if len(step) == 10 else step + "-01")
    except ValueError:
        return None
    if not 1900 <= day.year <= 2100 or (len(step) == 10 and day.weekday() != 0):
        return None
    return ("week" if len(step) == 10 else "month"), day


def encode(state: ViewState) -> dict[str, list[str]]:
    """The query parameters of a view, defaults omitted, in a stable order."""
    f = state.filters
    out: dict[str, list[str]] = {}
    if f.countries:
        out["country"] = list(f.countries)
    if f.date_from:
        out["from"] = [f.date_from.isoformat()]
    if f.date_to:
        out["to"] = [f.date_to.isoformat()]
    if f.types:
        out["type"] = list(f.types)
    if f.actors:
        out["actor"] = list(f.actors)
    if f.text:
        out["q"] = [f.text]
    if f.batch:
        out["batch"] = [f.batch]
    if f.as_of is not None:
        out["v"] = [str(f.as_of)]
    if f.places:
        out["place"] = list(f.places)
    if f.sub_types:
        out["subtype"] = list(f.sub_types)
    if f.fatalities_min is not None:
        out["fatalities_min"] = [str(f.fatalities_min)]
    if f.fatalities_max is not None:
        out["fatalities_max"] = [str(f.fatalities_max)]
    if state.event:
        out["event"] = [state.event]
    if state.lang != "en":
        out["lang"] = [state.lang]
    if state.lat is not None and state.lon is not None:
        out["lat"] = [_coordinate(state.lat)]
        out["lon"] = [_coordinate(state.lon)]
    if state.zoom is not None:
        out["zoom"] = [str(state.zoom)]
    if state.window is not None:
        out["window"] = [str(state.window)]
    if state.window_types:
        out["window_type"] = list(state.window_types)
    if state.window_country:
        out["window_country"] = [state.window_country]
    if state.step:
        out["step"] = [state.step]
    if state.sort != "event_date":
        out["sort"] = [state.sort]
    if not state.desc:
        out["desc"] = ["0"]
    if state.table_page != 1:
        out["page"] = [str(state.table_page)]
    if state.unit != "month":
        out["unit"] = [state.unit]
    return out


def _version(raw: str | None, notices: list[Notice]) -> int | None:
    """A data version (``v=42``): digits only, else dropped with a notice."""
    if raw is None or raw == "":
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    notices.append(Notice("v", raw, "not a data version (a whole number)"))
    return None


def _deaths(raw: str | None) -> int | str | None:
    """A number of deaths as written (``fatalities_min=5``): digits become a number, and
    anything else is passed on as text for :meth:`Filters.clean` to refuse with a notice."""
    if raw is None or raw == "":
        return None
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else raw


def _coordinate(value: float) -> str:
    """Every digit a link keeps (four decimals, about 11 m), no trailing zeros."""
    return f"{round(value, COORD_DECIMALS):.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")


def query_string(state: ViewState) -> str:
    return urlencode(encode(state), doseq=True)


def filters_only(state: ViewState) -> ViewState:
    """The part of a view that follows the user to another page."""
    return replace(
        state,
        event=None,
        lat=None,
        lon=None,
        zoom=None,
        window=None,
        window_types=(),
        window_country=None,
        step=None,
        sort="event_date",
        desc=True,
        table_page=1,
        unit="month",
    )


def oversized(field_count: int, char_count: int) -> bool:
    """True when Streamlit would have dropped the whole query string without a word."""
    return field_count > STREAMLIT_MAX_FIELDS or char_count > STREAMLIT_MAX_CHARS
