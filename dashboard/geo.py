"""Countries: codes, names in both UI languages, outlines and coordinate checks.

Everything reads the files under data/boundaries/ (built from Natural Earth by
scripts/build_boundaries.py), so the app never needs a network to name a country or to
tell that a record's coordinates fall outside the country it claims. Loads are cached
per process; the returned frames are copies, so a caller cannot corrupt the cache.

The outlines are simplified (see data/boundaries/SOURCE.md): borders can be off by a
kilometre or two, which is why the checks take a tolerance rather than trusting the line.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from .text import normalise

if TYPE_CHECKING:  # geopandas costs most of a second to import; only maps and imports need it
    import geopandas as gpd

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"
COUNTRIES_CSV = DATA_DIR / "countries.csv"
ALIASES_CSV = DATA_DIR / "aliases.csv"
BOUNDARIES_GEOJSON = DATA_DIR / "countries.geojson"

# Mean length of one degree of latitude; one degree of longitude is this times cos(lat).
KM_PER_DEGREE = 111.32
# A point and its copies one turn east and west: the outlines are cut at the antimeridian.
_SHIFTS = (0.0, -360.0, 360.0)

# Names analysts and the usual data sources (ACLED, UCDP, UN, World Bank) write that are
# not among Natural Earth's own names. Keys are matched after folding case, accents,
# punctuation and Arabic letter variants, so one spelling per idea is enough.
ALIASES_EN = {
    "ARE": ["UAE", "Emirates"],
    "BHS": ["Bahamas"],
    "BIH": ["Bosnia-Herzegovina", "Bosnia"],
    "BOL": ["Bolivia (Plurinational State of)"],
    "BRN": ["Brunei Darussalam"],
    "CIV": ["Cote d'Ivoire", "Ivory Coast"],
    "COD": [
        "DR Congo",
        "DRC",
        "Democratic Republic of Congo",
        "Congo, The Democratic Republic of the",
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Zaire",
    ],
    # The UN's "Congo" is the Republic of the Congo.
    "COG": ["Congo", "Republic of Congo", "Congo-Brazzaville", "Congo (Brazzaville)"],
    "CZE": ["Czechia"],
    "FSM": ["Micronesia (Federated States of)"],
    "GBR": [
        "UK",
        "Britain",
        "Great Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
    ],
    "GMB": ["Gambia"],
    "IRN": ["Iran (Islamic Republic of)", "Iran, Islamic Republic of"],
    "KOR": ["Republic of Korea", "Korea, Republic of", "Korea (South)", "ROK"],
    "KOS": ["XKX"],
    "LAO": ["Lao PDR", "Lao People's Democratic Republic"],
    "LBY": ["Libyan Arab Jamahiriya", "State of Libya"],
    "MDA": ["Moldova, Republic of", "Republic of Moldova"],
    "MKD": ["Macedonia", "FYROM", "Macedonia, FYR", "Former Yugoslav Republic of Macedonia"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "Kingdom of the Netherlands"],
    "PRK": ["DPRK", "Korea, Democratic People's Republic of", "Korea (North)"],
    "PSE": [
        "State of Palestine",
        "Palestine, State of",
        "Palestinian Territories",
        "Palestinian Territory",
        "Occupied Palestinian Territory",
        "West Bank",
        "Gaza",
        "Gaza Strip",
    ],
    "RUS": ["Russian Federation", "Soviet Union", "USSR"],
    "SAU": ["KSA"],
    "SWZ": ["Swaziland", "eSwatini"],
    "SYR": ["Syrian Arab Republic"],
    "TLS": ["Timor-Leste"],
    "TUR": ["Turkiye", "Türkiye", "Republic of Türkiye"],
    "TWN": ["Taiwan, Province of China"],
    "TZA": ["Tanzania, United Republic of"],
    "USA": ["United States", "USA", "US", "U.S.", "U.S.A.", "America"],
    "VAT": ["Holy See", "Vatican"],
    "VEN": ["Venezuela (Bolivarian Republic of)"],
    "VNM": ["Viet Nam"],
}
# Arabic names used in news and official statements besides Natural Earth's NAME_AR.
# "عمان" alone is left out on purpose: it is also Amman, the capital of Jordan.
ALIASES_AR = {
    "ARE": ["الإمارات", "دولة الإمارات"],
    "BHR": ["مملكة البحرين"],
    "COD": ["الكونغو الديمقراطية"],
    "CZE": ["جمهورية التشيك"],
    "DZA": ["الجمهورية الجزائرية"],
    "EGY": ["جمهورية مصر العربية"],
    "GBR": ["بريطانيا", "بريطانيا العظمى"],
    "IRL": ["أيرلندا"],
    "IRN": ["الجمهورية الإسلامية الإيرانية"],
    "IRQ": ["جمهورية العراق"],
    "JOR": ["المملكة الأردنية الهاشمية"],
    "KWT": ["دولة الكويت"],
    "LBN": ["الجمهورية اللبنانية"],
    "MAR": ["المملكة المغربية"],
    "PSE": ["دولة فلسطين", "الأراضي الفلسطينية", "قطاع غزة", "غزة", "الضفة الغربية"],
    "QAT": ["دولة قطر"],
    "RUS": ["روسيا الاتحادية", "الاتحاد الروسي"],
    "SAU": ["المملكة العربية السعودية"],
    "SDN": ["جمهورية السودان"],
    "SYR": ["سورية", "الجمهورية العربية السورية"],
    "TUN": ["الجمهورية التونسية"],
    "USA": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
    "YEM": ["الجمهورية اليمنية"],
}

_PERSIAN_FOLD = str.maketrans({"ی": "ي", "ک": "ك"})
_DROPPED = re.compile(r"[.'\u2019`]")  # "U.S." is "US", "d'Ivoire" is "dIvoire"
_SEPARATORS = re.compile(r"[^\w]+")
_PARENTHESES = re.compile(r"^(?P<outer>[^()]*)\((?P<inner>[^()]*)\)\s*$")
_CODE = re.compile(r"[A-Z]{3}")


def _name_key(name: str) -> str:
    text = normalise(name).translate(_PERSIAN_FOLD).replace("&", " and ")
    text = _SEPARATORS.sub(" ", _DROPPED.sub("", text)).strip()
    return text.removeprefix("the ")


@lru_cache(maxsize=1)
def _countries() -> pd.DataFrame:
    frame = pd.read_csv(
        COUNTRIES_CSV,
        encoding="utf-8",
        dtype={"iso3": str, "name_en": str, "name_ar": str},
        keep_default_na=False,
    )
    return frame.set_index("iso3", drop=False)


def countries() -> pd.DataFrame:
    """iso3, name_en, name_ar, label_lat, label_lon; one row per country, sorted by iso3."""
    return _countries().reset_index(drop=True)


def is_country_code(code: str) -> bool:
    """Whether `code` is a country code exactly as stored (upper case, no spaces)."""
    return isinstance(code, str) and code in _countries().index


def country_name(iso3: str | None, lang: str = "en") -> str:
    """The country's name in the UI language; an unknown code is shown as itself."""
    if iso3 is None or (isinstance(iso3, float) and math.isnan(iso3)):
        return ""
    code = str(iso3).strip().upper()
    names = _names()
    if code not in names:
        return str(iso3)
    name_en, name_ar = names[code]
    if lang == "ar" and name_ar:
        return name_ar
    return name_en or code


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    """iso3 -> (English, Arabic): a dict, because imports name a country per flagged row."""
    table = _countries()
    return {
        code: (en, ar)
        for code, en, ar in zip(table.index, table["name_en"], table["name_ar"], strict=True)
    }


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    aliases = pd.read_csv(ALIASES_CSV, encoding="utf-8", dtype=str, keep_default_na=False)
    # Later sources win: Natural Earth's other names, then its main names, then ours.
    for alias, iso3 in zip(aliases["alias"], aliases["iso3"], strict=True):
        index[_name_key(alias)] = iso3
    table = _countries()
    for column in ("name_en", "name_ar"):
        for iso3, name in zip(table["iso3"], table[column], strict=True):
            if name:
                index[_name_key(name)] = iso3
    for mapping in (ALIASES_EN, ALIASES_AR):
        for iso3, names in mapping.items():
            for name in names:
                index[_name_key(name)] = iso3
    index.pop("", None)
    return index


def _lookup(name: str) -> str | None:
    index = _name_index()
    key = _name_key(name)
    if key in index:
        return index[key]
    # Arabic writers drop or add the article: "عراق" / "العراق".
    if key.startswith("ال"):
        return index.get(key[2:])
    if key and "\u0600" <= key[0] <= "\u06ff":
        return index.get("ال" + key)
    return None


def iso3_from_name(name: str) -> str | None:
    """The ISO3 code of a country named in English or Arabic, or None when unknown or ambiguous.

    Also accepts a known code ("syr") and the UCDP style "Russia (Soviet Union)".
    """
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return None
    found = _lookup(name)
    if found:
        return found
    code = name.strip().upper()
    if _CODE.fullmatch(code) and is_country_code(code):
        return code
    match = _PARENTHESES.match(name.strip())
    if match:
        return _lookup(match["outer"]) or _lookup(match["inner"])
    return None


@lru_cache(maxsize=1)
def _boundaries() -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = gpd.read_file(BOUNDARIES_GEOJSON, encoding="utf-8")
    frame = frame[["iso3", "name_en", "name_ar", "geometry"]].set_crs(4326, allow_override=True)
    # Prepared geometries make the repeated point checks cheap; the cache keeps them.
    shapely.prepare(frame.geometry.values)
    return frame


@lru_cache(maxsize=1)
def _geometry_index() -> tuple[dict[str, int], np.ndarray, np.ndarray, shapely.STRtree]:
    frame = _boundaries()
    geometries = np.asarray(frame.geometry.values, dtype=object)
    codes = frame["iso3"].to_numpy(dtype=object)
    return {c: i for i, c in enumerate(codes)}, codes, geometries, shapely.STRtree(geometries)


def boundaries() -> gpd.GeoDataFrame:
    """Country outlines in EPSG:4326: iso3, name_en, name_ar, geometry (simplified)."""
    return _boundaries().copy()


#: Tolerance (degrees) of the outlines drawn on maps. The checks keep the finer file;
#: drawing it would send much more to the browser on every map render (README, performance).
DISPLAY_TOLERANCE = 0.1


@lru_cache(maxsize=1)
def _display_boundaries() -> gpd.GeoDataFrame:
    frame = _boundaries().copy()
    simplified = shapely.coverage_simplify(frame.geometry.values, DISPLAY_TOLERANCE)
    frame["geometry"] = shapely.set_precision(simplified, 0.01)
    return frame


def display_boundaries() -> gpd.GeoDataFrame:
    """Coarser outlines for drawing (shared borders stay shared: coverage simplification)."""
    return _display_boundaries().copy()


def _coordinates(lat, lon) -> tuple[float, float] | None:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _search_box(lat: float, lon: float, km: float) -> tuple[float, float]:
    """Half-sizes in degrees of a box that holds every point within `km` of (lat, lon)."""
    dlat = km / KM_PER_DEGREE
    # Widest where the box reaches closest to a pole.
    cos_edge = math.cos(math.radians(min(90.0, abs(lat) + dlat)))
    dlon = 180.0 if cos_edge < 1e-6 else min(180.0, km / (KM_PER_DEGREE * cos_edge))
    return dlat, dlon


def _distance_km(geometry, lat: float, lon: float, limit_km: float) -> float:
    """Distance from (lat, lon) to `geometry`, exact enough below a few hundred km.

    Near the point the earth is flat enough: longitudes are scaled by cos(lat) and the
    distance is measured in that local plane. Anything beyond `limit_km` is reported as
    infinite. Copies of the point shifted by 360 degrees catch the far side of the
    antimeridian (Fiji, Chukotka); a shifted box that misses every outline clips to empty.
    """
    dlat, dlon = _search_box(lat, lon, limit_km)
    scale_x = KM_PER_DEGREE * math.cos(math.radians(lat))
    best = math.inf
    for shift in _SHIFTS:
        x = lon + shift
        if x + dlon < -180 or x - dlon > 180:
            continue
        near = shapely.clip_by_rect(geometry, x - dlon, lat - dlat, x + dlon, lat + dlat)
        if near.is_empty:
            continue
        local = shapely.transform(
            near,
            lambda xy, x=x: np.column_stack(
                ((xy[:, 0] - x) * scale_x, (xy[:, 1] - lat) * KM_PER_DEGREE)
            ),
        )
        best = min(best, shapely.distance(local, shapely.Point(0, 0)))
    return best if best <= limit_km else math.inf


def point_in_country(lat: float, lon: float, iso3: str, tolerance_km: float = 25) -> bool | None:
    """Whether (lat, lon) lies in the country or within `tolerance_km` of its outline.

    The tolerance absorbs simplified coasts and borders and "city centre" coordinates of
    ports. None when the country code is unknown or the coordinates are missing or
    impossible, so a caller can tell "cannot check" from "outside".
    """
    if tolerance_km is None or not tolerance_km >= 0:
        raise ValueError("tolerance_km must be a number >= 0")
    point = _coordinates(lat, lon)
    if point is None or not isinstance(iso3, str):
        return None
    positions, _, geometries, _ = _geometry_index()
    position = positions.get(iso3.strip().upper())
    if position is None:
        return None
    lat, lon = point
    geometry = geometries[position]
    if shapely.intersects_xy(geometry, lon, lat):
        return True
    return bool(tolerance_km > 0 and _distance_km(geometry, lat, lon, tolerance_km) <= tolerance_km)


def country_at(lat: float, lon: float, tolerance_km: float = 5) -> str | None:
    """ISO3 of the country at (lat, lon); None at sea, or for missing or impossible coordinates.

    A point outside every outline but within `tolerance_km` of one (a harbour, a coast
    the simplification moved inland) gets the nearest country. Set it to 0 for strict
    containment.
    """
    point = _coordinates(lat, lon)
    if point is None:
        return None
    lat, lon = point
    _, codes, geometries, tree = _geometry_index()
    inside = tree.query(shapely.Point(lon, lat), predicate="intersects")
    if len(inside):
        # On a shared border both neighbours match; the lowest code keeps it deterministic.
        return str(min(codes[inside]))
    if not tolerance_km > 0:
        return None
    dlat, dlon = _search_box(lat, lon, tolerance_km)
    boxes = [shapely.box(lon + s - dlon, lat - dlat, lon + s + dlon, lat + dlat) for s in _SHIFTS]
    best, best_km = None, math.inf
    for i in np.unique(tree.query(boxes)[1]):
        km = _distance_km(geometries[i], lat, lon, tolerance_km)
        if km < best_km or (km == best_km and best is not None and codes[i] < best):
            best, best_km = codes[i], km
    return str(best) if best_km <= tolerance_km else None


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in longitude/latitude (EPSG:4326), as Leaflet and GeoJSON want it."""
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        return frame.to_crs(4326)
    return frame
