"""Where an imported row is: flag points outside their stated country, fill missing points.

Kept apart from the import's reading and writing because it is the one part that needs the
country outlines and the gazetteer; the importer calls :func:`check_places` once per chunk.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely

from . import geo

#: Coordinates this close to the stated country's outline count as inside it.
TOLERANCE_KM = 25


@lru_cache(maxsize=1)
def _outlines() -> tuple[dict[str, int], np.ndarray, np.ndarray, shapely.STRtree]:
    frame = geo.boundaries()
    geometries = np.asarray(frame.geometry.values, dtype=object)
    shapely.prepare(geometries)
    codes = frame["iso3"].to_numpy(dtype=object)
    return {c: i for i, c in enumerate(codes)}, codes, geometries, shapely.STRtree(geometries)


@lru_cache(maxsize=1)
def _label_points() -> dict[str, tuple[float, float]]:
    table = geo.countries()
    return {
        code: (float(lat), float(lon))
        for code, lat, lon in zip(
            table["iso3"], table["label_lat"], table["label_lon"], strict=True
        )
        if lat == lat and lon == lon
    }


def _add_flag(record: dict, text: str) -> None:
    record["geo_flag"] = f"{record['geo_flag']}; {text}" if record.get("geo_flag") else text


def check_places(records: list[dict]) -> tuple[int, int]:
    """Flag points outside their stated country and fill missing points of known countries.

    Works on a whole chunk at once (:func:`outside_flags`). Returns (rows flagged, rows
    given a country label point).
    """
    positions = _outlines()[0]
    labels = _label_points()
    flagged = filled = 0
    checked = []
    for i, record in enumerate(records):
        country = record.get("country")
        if record.get("latitude") is None:
            city = _gazetteer_city(record.get("location") or "", country)
            if city is not None:
                record["latitude"], record["longitude"] = city.latitude, city.longitude
                record["geo_precision"] = "city"
                basis = f"gazetteer, {city.basis}: the file gives a place name, no coordinates"
                record["coord_basis"] = (
                    f"{record['coord_basis']}; {basis}" if record.get("coord_basis") else basis
                )
                filled += 1
            elif country and country in labels:
                record["latitude"], record["longitude"] = labels[country]
                record["geo_precision"] = "country"
                basis = "country label point: the file gives no coordinates"
                record["coord_basis"] = (
                    f"{record['coord_basis']}; {basis}" if record.get("coord_basis") else basis
                )
                filled += 1
            continue
        if country and country in positions:
            checked.append(i)
    if not checked:
        return flagged, filled
    lats = np.array([records[i]["latitude"] for i in checked], dtype=float)
    lons = np.array([records[i]["longitude"] for i in checked], dtype=float)
    countries = np.array([records[i]["country"] for i in checked], dtype=object)
    for k, text in outside_flags(lats, lons, countries).items():
        _add_flag(records[checked[k]], text)
        flagged += 1
    return flagged, filled


def outside_flags(lats: np.ndarray, lons: np.ndarray, countries: np.ndarray) -> dict[int, str]:
    """Position -> flag text for the points more than TOLERANCE_KM outside their country.

    A vectorised point-in-polygon test per point against its own country first; the exact
    tolerance check and the name of where the point is only for the few points outside.
    Countries without an outline are not checked. Shared by the row and column imports.
    """
    positions, codes, geometries, tree = _outlines()
    own_at = np.fromiter(
        (positions.get(c, -1) for c in countries), dtype=np.int64, count=len(countries)
    )
    at = np.flatnonzero(own_at >= 0)
    if not len(at):
        return {}
    inside = shapely.intersects_xy(geometries[own_at[at]], lons[at], lats[at])
    outside = at[~inside]
    if not len(outside):
        return {}
    points = shapely.points(lons[outside], lats[outside])
    # Bounds of the distance the exact check measures (km in a plane scaled at the point's
    # latitude) from the distance in degrees: a point surely within the tolerance or surely
    # beyond it needs no exact check. Near the poles and the antimeridian, always the check.
    degrees = shapely.distance(geometries[own_at[outside]], points)
    upper = geo.KM_PER_DEGREE * degrees
    lower = upper * np.cos(np.radians(lats[outside]))
    plain = (np.abs(lats[outside]) <= 80) & (np.abs(lons[outside]) <= 170)
    near = upper <= TOLERANCE_KM - 1e-6
    far = plain & (lower >= TOLERANCE_KM + 1e-6)
    beyond = [
        n
        for n in np.flatnonzero(~near)
        if far[n]
        or not geo.point_in_country(
            float(lats[outside[n]]),
            float(lons[outside[n]]),
            countries[outside[n]],
            tolerance_km=TOLERANCE_KM,
        )
    ]
    if not beyond:
        return {}
    # Where each point beyond the tolerance is: the first country code of those holding it.
    hits = tree.query(points[beyond], predicate="intersects")
    found: dict[int, str] = {}
    for point, geom in zip(hits[0], hits[1], strict=True):
        code = str(codes[geom])
        if point not in found or code < found[point]:
            found[point] = code
    flags = {}
    for m, n in enumerate(beyond):
        k = outside[n]
        lat, lon, country = float(lats[k]), float(lons[k]), countries[k]
        there = found.get(m)
        where = (
            f"in {geo.country_name(there)} ({there})"
            if there
            else "at sea (outside every country outline)"
        )
        flags[int(k)] = (
            f"coordinates ({lat:.4f}, {lon:.4f}) are {where}, more than {TOLERANCE_KM} km "
            f"from {geo.country_name(country)} ({country}); kept as given"
        )
    return flags


def _gazetteer_city(location: str, country: str | None):
    """The offline gazetteer's only city of this name in this country, or None."""
    if not location.strip():
        return None
    from .extract import unambiguous_city

    city = unambiguous_city(location.strip(), country)
    if city is None or (country and city.country != country):
        return None
    return city
