"""The map's offline context: labelled cities of the region the shipped events cover.

Built from Natural Earth by ``scripts/build_basemap.py`` into ``data/basemap/cities.csv``
(provenance and licence in ``data/basemap/SOURCE.md``) and drawn light, under the
events, by :class:`dashboard.maps.elements.CityLabels`. Read once per process: the file is
a few kilobytes and never changes while the app runs.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

CITIES_CSV = Path(__file__).resolve().parents[2] / "data" / "basemap" / "cities.csv"


@lru_cache(maxsize=1)
def _cities() -> tuple[dict, ...]:
    if not CITIES_CSV.exists():
        return ()
    with CITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def city_rows(lang: str = "en") -> list[dict]:
    """Rows for ``CityLabels``: the name in ``lang`` (Arabic falls back to English, as no
    guessed name is better than a wrong one), position, the zoom it shows from, capital."""
    rows = []
    for city in _cities():
        name = (city["name_ar"] or city["name_en"]) if lang == "ar" else city["name_en"]
        rows.append(
            {
                "name": name,
                "lat": float(city["latitude"]),
                "lng": float(city["longitude"]),
                "z": float(city["min_zoom"]),
                "cap": city["capital"] == "1",
            }
        )
    return rows
