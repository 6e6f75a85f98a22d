"""Build the map's province (admin-1) outlines: Natural Earth's 1:10m admin-1 boundary lines,
clipped to the region the shipped events cover and simplified for drawing.

The map draws with no internet, so the lines ship in data/basemap/admin1.geojson (one
MultiLineString, about 0.6 MB): fetched once per browser from the app's static folder and
drawn light under the events. 1:10m is Natural Earth's only admin-1 layer that covers the
Middle East and North Africa (1:50m has a handful of large countries).

Run from the repository root, with the layer's shapefile as argument (the .shp and .shx;
the attributes are not used):

    python scripts/build_admin1.py path/to/ne_10m_admin_1_states_provinces_lines.shp

Where the file came from is in data/basemap/SOURCE.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_basemap import REGION, ROOT  # noqa: E402

OUT = ROOT / "data" / "basemap" / "admin1.geojson"
#: Degrees (about 1 km): finer than a pixel up to zoom 7, where provinces are read.
TOLERANCE = 0.01
#: Coordinates kept to 3 decimals (about 100 m), which is all the simplified lines hold.
GRID = 0.001


def build(source: Path) -> dict:
    lines = gpd.read_file(source).clip(box(*REGION)).geometry
    lines = lines.simplify(TOLERANCE, preserve_topology=False)
    lines = shapely.set_precision(lines[~lines.is_empty].values, GRID)
    merged = shapely.line_merge(shapely.union_all(lines))
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": mapping(merged)}],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="ne_10m_admin_1_states_provinces_lines.shp")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    collection = build(args.source)
    text = json.dumps(collection, separators=(",", ":"))
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(text) / 1024:.0f} KB of province lines -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
