"""The one filter model.

The sidebar, the URL, the command line and every query take a :class:`Filters`.
It knows nothing of the UI: it turns itself into a WHERE clause with bound
parameters and into a sentence a person can read. No SQL is ever built from the
values themselves; only the number of placeholders depends on them, and that is
capped by the URL codec.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from .aliases import search_terms
from .schema import EVENT_TYPES
from .text import normalise

#: At most this many values of one list (countries, types, actors) in one filter.
MAX_VALUES = 50
#: At most this many characters in one value (a search text, an actor's name).
MAX_TEXT = 200
MAX_TERMS = 8
#: The largest data version a link may name (a store advances one per write).
MAX_VERSION = 10**12
#: importer.new_batch_id: UTC time to the second, then the file's hash.
BATCH_ID = re.compile(r"^\d{14}-[0-9a-f]{8}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
#: The most deaths a range may name (the store's counts are 32-bit).
MAX_DEATHS = 2**31 - 1
NOT_DEATHS = f"not a whole number of deaths from 0 to {MAX_DEATHS}"


@dataclass(frozen=True)
class Dropped:
    """A value :meth:`Filters.clean` did not keep, and why (``field`` names the filter)."""

    field: str
    value: str
    reason: str


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    text: str = ""
    #: One import batch (the link an import's summary gives); empty for every event.
    batch: str = ""
    #: The data version a link was made on: rows added after it are left out (None: now).
    as_of: int | None = None
    #: Places (a place name or a province, any of them; see dashboard.facets), sub-types
    #: (any of them) and the range of deaths (both ends included; unknown counts left out).
    places: tuple[str, ...] = ()
    sub_types: tuple[str, ...] = ()
    fatalities_min: int | None = None
    fatalities_max: int | None = None

    @classmethod
    def clean(
        cls,
        *,
        countries: Iterable[str] = (),
        date_from: date | None = None,
        date_to: date | None = None,
        types: Iterable[str] = (),
        actors: Iterable[str] = (),
        text: str = "",
        batch: str = "",
        as_of: int | None = None,
        places: Iterable[str] = (),
        sub_types: Iterable[str] = (),
        fatalities_min: int | None = None,
        fatalities_max: int | None = None,
        is_country: Callable[[str], bool] = lambda code: True,
    ) -> tuple[Filters, list[Dropped]]:
        """The one place a filter is normalised and bounded, whatever made it (a link, the
        sidebar, the command line): codes upper-cased and checked, types in vocabulary
        order, values stripped and de-duplicated, at most :data:`MAX_VALUES` of a list and
        :data:`MAX_TEXT` characters of a value, dates in order. So two filters that mean
        the same are equal, and a link written from one reads back as the same filter.
        """
        dropped: list[Dropped] = []

        def bounded(name: str, values: Iterable[str]) -> list[str]:
            kept = []
            for raw in values:
                value = str(raw).strip()
                if not value:
                    continue
                if len(value) > MAX_TEXT:
                    dropped.append(Dropped(name, value, f"longer than {MAX_TEXT} characters"))
                    continue
                kept.append(value)
            kept = list(dict.fromkeys(kept))
            if len(kept) > MAX_VALUES:
                reason = f"only the first {MAX_VALUES} are used"
                dropped.append(Dropped(name, f"{len(kept)} values", reason))
                kept = kept[:MAX_VALUES]
            return kept

        codes = []
        for code in bounded("countries", countries):
            upper = code.upper()
            if _ISO3.match(upper) and is_country(upper):
                codes.append(upper)
            else:
                dropped.append(Dropped("countries", code, "not a known ISO 3166-1 alpha-3 code"))
        kinds = []
        for kind in bounded("types", types):
            if kind.lower() in EVENT_TYPES:
                kinds.append(kind.lower())
            else:
                dropped.append(Dropped("types", kind, f"not one of {', '.join(EVENT_TYPES)}"))
        if date_from and date_to and date_from > date_to:
            reason = "before 'from'; the two dates were swapped"
            dropped.append(Dropped("date_to", date_to.isoformat(), reason))
            date_from, date_to = date_to, date_from
        text = (text or "").strip()
        if len(text) > MAX_TEXT:
            dropped.append(Dropped("text", text, f"longer than {MAX_TEXT} characters"))
            text = ""
        batch = (batch or "").strip()
        if batch and not BATCH_ID.match(batch):
            dropped.append(Dropped("batch", batch, "not an import batch id"))
            batch = ""
        if as_of is not None and (isinstance(as_of, bool) or not 0 <= as_of <= MAX_VERSION):
            dropped.append(Dropped("as_of", str(as_of), "not a data version"))
            as_of = None
        fatalities_min, fatalities_max = _deaths_range(fatalities_min, fatalities_max, dropped)
        made = cls(
            countries=tuple(dict.fromkeys(codes)),
            date_from=date_from,
            date_to=date_to,
            types=tuple(t for t in EVENT_TYPES if t in kinds),
            actors=tuple(bounded("actors", actors)),
            text=text,
            batch=batch,
            as_of=as_of,
            places=tuple(bounded("places", places)),
            sub_types=tuple(bounded("sub_types", sub_types)),
            fatalities_min=fatalities_min,
            fatalities_max=fatalities_max,
        )
        return made, dropped

    def text_terms(self) -> list[str]:
        return normalise(self.text).split()[:MAX_TERMS]

    def where(self, *, text: bool = True, picked=None) -> tuple[str, list]:
        """SQL condition over the events table and its bound parameters (``text=False``:
        without the free-text terms, which the caller matches elsewhere). Places and
        sub-types need ``picked``, the stored values they pick (:func:`dashboard.facets.pick`).
        """
        clauses: list[str] = []
        params: list = []
        if self.places or self.sub_types:
            if picked is None:
                raise ValueError("places and sub-types need the stored values they pick")
            if self.places:
                clauses.append(
                    "(list_contains(?::VARCHAR[], location) OR list_contains(?::VARCHAR[], admin1))"
                )
                params.extend([list(picked.location), list(picked.admin1)])
            if self.sub_types:
                clauses.append("list_contains(?::VARCHAR[], sub_type)")
                params.append(list(picked.sub_type))
        if self.fatalities_min is not None:
            clauses.append("fatalities >= ?")
            params.append(self.fatalities_min)
        if self.fatalities_max is not None:
            clauses.append("fatalities <= ?")
            params.append(self.fatalities_max)
        if self.countries:
            clauses.append("list_contains(?::VARCHAR[], country)")
            params.append(list(self.countries))
        if self.types:
            clauses.append("list_contains(?::VARCHAR[], event_type)")
            params.append(list(self.types))
        # An event is shown when any part of its span falls in the range: a siege from
        # 20 to 30 January is "in" a range that starts on the 25th.
        if self.date_from is not None:
            clauses.append("span_end >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("span_start <= ?")
            params.append(self.date_to)
        if self.actors:
            clauses.append("(" + " OR ".join(["contains(actors_norm, ?)"] * len(self.actors)) + ")")
            params.extend(normalise(a) for a in self.actors)
        if self.batch:
            clauses.append("batch_id = ?")
            params.append(self.batch)
        if self.as_of is not None:
            # Rows the store had at that version (0 or none: before versions were recorded).
            clauses.append("COALESCE(added_in, 0) <= ?")
            params.append(self.as_of)
        text_sql, text_params = self.text_where() if text else ("TRUE", [])
        if text_params:
            clauses.append(text_sql)
            params.extend(text_params)
        return (" AND ".join(clauses) or "TRUE"), params

    def text_where(self) -> tuple[str, list]:
        """The free-text part of :meth:`where` alone: "TRUE" and no values without a term.

        Each term, or multi-word name, may be written any of its known ways.
        """
        clauses: list[str] = []
        params: list = []
        for term in search_terms(self.text, MAX_TERMS):
            term_sql, term_params = term.sql()
            clauses.append(term_sql)
            params.extend(term_params)
        return (" AND ".join(clauses) or "TRUE"), params

    def describe(
        self,
        count: int,
        *,
        country_name: Callable[[str], str] = str,
        type_name: Callable[[str], str] = str,
        strings: dict | None = None,
        sub_type_name: Callable[[str], str] = str,
    ) -> str:
        """The plain-language sentence shown above every view."""
        s = {**SENTENCE_EN, **(strings or {})}
        # A language whose nouns agree with the number in more ways than one/many (Arabic)
        # gives its own "count"; the sentence never says "3 of the events".
        counted = s.get("count")
        if callable(counted):
            parts = [counted(count)]
        else:
            parts = [s["events_one"] if count == 1 else s["events_many"].format(n=f"{count:,}")]
        if self.countries:
            parts.append(s["in"].format(places=_join([country_name(c) for c in self.countries], s)))
        if self.date_from and self.date_to:
            parts.append(s["between"].format(a=_day(self.date_from, s), b=_day(self.date_to, s)))
        elif self.date_from:
            parts.append(s["from"].format(a=_day(self.date_from, s)))
        elif self.date_to:
            parts.append(s["until"].format(b=_day(self.date_to, s)))
        sentence = " ".join(parts)
        extras = []
        if self.types:
            extras.append(s["types"].format(types=", ".join(type_name(t) for t in self.types)))
        if self.actors:
            extras.append(s["actors"].format(actors=", ".join(self.actors)))
        if self.places:
            extras.append(s["places"].format(places=s["or"].join(self.places)))
        if self.sub_types:
            names = s["or"].join(sub_type_name(x) for x in self.sub_types)
            extras.append(s["sub_types"].format(sub_types=names))
        low, high = self.fatalities_min, self.fatalities_max
        if low is not None and high is not None:
            extras.append(s["deaths_between"].format(a=f"{low:,}", b=f"{high:,}"))
        elif low is not None:
            extras.append(s["deaths_from"].format(a=f"{low:,}"))
        elif high is not None:
            extras.append(s["deaths_until"].format(b=f"{high:,}"))
        if self.text:
            extras.append(s["text"].format(text=self.text))
        if self.batch:
            extras.append(s["batch"].format(batch=self.batch))
        if self.as_of is not None:
            extras.append(s["as_of"].format(v=self.as_of))
        return s["sep"].join([sentence, *extras])


SENTENCE_EN = {
    "events_one": "1 event",
    "events_many": "{n} events",
    "in": "in {places}",
    "between": "between {a} and {b}",
    "from": "from {a}",
    "until": "until {b}",
    "types": "types: {types}",
    "actors": "actors: {actors}",
    "text": "matching “{text}”",
    "batch": "imported in batch {batch}",
    "as_of": "as the data stood at version {v}",
    "places": "at {places}",
    "sub_types": "sub-types: {sub_types}",
    "or": " or ",
    "deaths_between": "deaths: {a} to {b}",
    "deaths_from": "deaths: at least {a}",
    "deaths_until": "deaths: at most {b}",
    "sep": ", ",
    "and": " and ",
    "months": (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
}


def _deaths_range(low, high, dropped: list[Dropped]) -> tuple[int | None, int | None]:
    """Whole numbers of deaths the store can hold, in order (swapped, with a word, if not)."""
    out = []
    for name, value in (("fatalities_min", low), ("fatalities_max", high)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DEATHS
        ):
            dropped.append(Dropped(name, str(value), NOT_DEATHS))
            value = None
        out.append(value)
    low, high = out
    if low is not None and high is not None and low > high:
        reason = "below the minimum; the two were swapped"
        dropped.append(Dropped("fatalities_max", str(high), reason))
        low, high = high, low
    return low, high


def _join(items: list[str], s: dict) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + s["and"] + items[-1]


def _day(d: date, s: dict) -> str:
    return f"{d.day} {s['months'][d.month - 1]} {d.year}"


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link holds: the page, the filters and the view's own state."""

    page: str = "overview"
    filters: Filters = field(default_factory=Filters)
    event: str | None = None
    lang: str = "en"
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    #: Before/after an event: days either side, and the types counted (empty: the default).
    window: int | None = None
    window_types: tuple[str, ...] = ()
    #: The country counted before/after (empty: the event's own).
    window_country: str | None = None
    #: Map playback: the period shown, "YYYY-MM" (a month) or a Monday "YYYY-MM-DD" (a week).
    step: str | None = None
    #: The table's order and page, the timeline's unit: a shared link opens the same rows.
    sort: str = "event_date"
    desc: bool = True
    table_page: int = 1
    unit: str = "month"
