"""Leaflet and MarkerCluster served by the app itself, so the map draws with no internet.

folium points every map at public CDNs (Leaflet, jQuery, Bootstrap, Font Awesome,
awesome-markers, MarkerCluster). streamlit-folium does not bundle them: its iframe
loads the ``default_js``/``default_css`` URLs of every element of the map, one after
the other, and a single unreachable script stops the whole map from drawing.

The files come from the ``xstatic-leaflet`` and ``xstatic-leaflet-markercluster``
packages (already pinned, no download at run time) and are copied under the app's
``static/`` folder, which Streamlit serves at ``/app/static/`` when
``[server] enableStaticServing = true``.

Only Leaflet and MarkerCluster are served. The map builders in ``dashboard.maps`` use
nothing else: popups, tooltips and the legend are bound with plain Leaflet calls,
so jQuery (which folium's own ``Popup`` needs), Bootstrap and the icon fonts are
dropped. ``use_local_assets`` refuses a map that still needs one of them.

The app's one script of its own is served from the same folder: ``arabic_chrome.js``,
which puts Streamlit's built-in widget words into Arabic on Arabic pages, with the
table of ``strings.CHROME_AR`` written into it (``write_chrome_script``), and so are the
country outlines every map draws (``ensure_outlines``): fetched once per browser rather
than inlined in each map.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

#: Where Streamlit serves ``<app root>/static/`` when static serving is on.
STATIC_URL_BASE = "/app/static"

#: The sides of a country's extent, as :func:`country_frame` names its columns.
EXTENT_SIDES = ["south", "west", "north", "east"]

_STAMP = ".source-stamp"

# Files copied, per bundle: (folder under static_dir, xstatic module, relative paths).
# Source maps are left out: browsers only ask for them with developer tools open.
_LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")
_CLUSTER_FILES = (
    "leaflet.markercluster.js",
    "MarkerCluster.css",
    "MarkerCluster.Default.css",
)

# folium link name -> path under the static base. Names are folium's own keys in
# Map.default_js/default_css and MarkerCluster.default_js/default_css.
_LOCAL_JS = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
}
_LOCAL_CSS = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
}
# What folium's Map asks for but a map built by dashboard.maps never uses
# (jQuery for folium.Popup, Bootstrap and icon fonts for awesome-markers icons).
_DROPPED = {
    "jquery",
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}


def _bundles() -> list[tuple[str, Path, str, tuple[str, ...]]]:
    # Imported here so that importing this module costs nothing when the map is unused.
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    return [
        ("leaflet", Path(leaflet.BASE_DIR), leaflet.PACKAGE_VERSION, _LEAFLET_FILES),
        ("markercluster", Path(cluster.BASE_DIR), cluster.PACKAGE_VERSION, _CLUSTER_FILES),
    ]


def _source_files(src: Path, names: tuple[str, ...]) -> list[Path]:
    """Relative paths of the files to copy; a folder name stands for all its files."""
    out: list[Path] = []
    for name in names:
        path = src / name
        if path.is_dir():
            out.extend(sorted(p.relative_to(src) for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            out.append(Path(name))
        else:
            raise FileNotFoundError(f"{path} is missing from the installed package")
    return out


def _stamp(src: Path, version: str, files: list[Path]) -> str:
    """Package version plus a digest of every file: changes when the package is upgraded."""
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.as_posix().encode())
        digest.update(b"\0")
        digest.update((src / rel).read_bytes())
    return f"{version} {digest.hexdigest()}\n"


def _is_current(dest: Path, stamp: str, files: list[Path]) -> bool:
    try:
        if (dest / _STAMP).read_text(encoding="utf-8") != stamp:
            return False
    except OSError:
        return False
    return all((dest / rel).is_file() for rel in files)


def ensure_static_assets(static_dir: Path) -> None:
    """Copy Leaflet and MarkerCluster under ``static_dir`` unless an identical copy is there.

    Each bundle is written to a temporary folder beside its destination and then
    renamed into place, so a browser never sees half a copy, and two app processes
    starting together both end with a complete folder.
    """
    static_dir = Path(static_dir)
    static_dir.mkdir(parents=True, exist_ok=True)
    for folder, src, version, names in _bundles():
        files = _source_files(src, names)
        stamp = _stamp(src, version, files)
        dest = static_dir / folder
        if _is_current(dest, stamp, files):
            continue
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder}-", dir=static_dir))
        try:
            for rel in files:
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src / rel, tmp / rel)
            (tmp / _STAMP).write_text(stamp, encoding="utf-8")
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; the server only reads it
            _swap_into_place(tmp, dest)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _swap_into_place(tmp: Path, dest: Path) -> None:
    """Replace ``dest`` by ``tmp``; the old copy, if any, is moved aside first, then removed."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}-old-", dir=dest.parent))
        with contextlib.suppress(FileNotFoundError):  # another process moved it first
            os.replace(dest, old / dest.name)
    try:
        os.replace(tmp, dest)
    except OSError:
        # Another process put its own complete copy in place between our two renames.
        if not dest.is_dir():
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


#: The fixed browser script (source) and where it is served under the static folder.
CHROME_SOURCE = Path(__file__).with_name("arabic_chrome.js")
CHROME_PATH = "dashboard/arabic-chrome.js"
_CHROME_SLOT = "var CHROME = null;"


def chrome_script() -> str:
    """The Arabic-chrome script: fixed code with ``strings.chrome_table()`` in its slot.

    Both halves are constants of the app (no data from the store or the link goes in);
    the table is JSON, which is a plain JavaScript literal.
    """
    from .strings import chrome_table

    source = CHROME_SOURCE.read_text(encoding="utf-8")
    if source.count(_CHROME_SLOT) != 1:
        raise ValueError(f"{CHROME_SOURCE.name} must hold {_CHROME_SLOT!r} exactly once")
    table = json.dumps(chrome_table(), ensure_ascii=False, sort_keys=True)
    return source.replace(_CHROME_SLOT, f"var CHROME = {table};")


def write_chrome_script(static_dir: Path, base: str = STATIC_URL_BASE) -> str:
    """Write the Arabic-chrome script under ``static_dir`` unless an identical copy is there.

    Returns its URL with a digest of the content, so a browser never keeps an old table
    from its cache. Written beside its destination and renamed into place, like the
    Leaflet copy, so a browser never loads half a file.
    """
    data = chrome_script().encode("utf-8")
    dest = Path(static_dir) / CHROME_PATH
    try:
        current = dest.read_bytes()
    except OSError:
        current = None
    if current != data:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".arabic-chrome-", suffix=".js", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)  # mkstemp makes it private; the server only reads it
            os.replace(tmp, dest)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    digest = hashlib.sha256(data).hexdigest()[:16]
    return f"{base.rstrip('/')}/{CHROME_PATH}?v={digest}"


def leaflet_urls(base: str = STATIC_URL_BASE) -> tuple[list[str], list[str]]:
    """URLs of the local scripts and stylesheets, in load order (Leaflet before its plugin)."""
    base = base.rstrip("/")
    js = [f"{base}/{path}" for path in _LOCAL_JS.values()]
    css = [f"{base}/{path}" for path in _LOCAL_CSS.values()]
    return js, css


def _walk(element: Any):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def use_local_assets(m: Any, base: str = STATIC_URL_BASE) -> Any:
    """Point one folium map, and only it, at the local copies; returns the map.

    The links are set on each element instance, never on folium's classes, so other
    maps in the same process keep their defaults. Raises ValueError when the map
    holds an element that needs a library not served here (folium.Popup needs
    jQuery, folium.Icon needs awesome-markers, a branca colormap makes
    streamlit-folium fetch d3): such a map would not draw offline.
    """
    import branca.colormap
    import folium
    from folium.elements import JSCSSMixin

    base = base.rstrip("/")
    problems: list[str] = []
    for element in _walk(m):
        if isinstance(element, folium.Popup):
            problems.append("folium.Popup (needs jQuery; use maps.bind_popup)")
        elif isinstance(element, folium.Icon):
            problems.append("folium.Icon (needs awesome-markers)")
        elif isinstance(element, branca.colormap.ColorMap):
            problems.append("branca colormap (streamlit-folium loads d3 for it)")
        if not isinstance(element, JSCSSMixin):
            continue
        js, css = [], []
        for name, _url in element.default_js:
            if name in _LOCAL_JS:
                js.append((name, f"{base}/{_LOCAL_JS[name]}"))
            elif name not in _DROPPED:
                problems.append(f"script {name!r} of {type(element).__name__}")
        for name, _url in element.default_css:
            if name in _LOCAL_CSS:
                css.append((name, f"{base}/{_LOCAL_CSS[name]}"))
            elif name not in _DROPPED:
                problems.append(f"stylesheet {name!r} of {type(element).__name__}")
        element.default_js = js
        element.default_css = css
    if problems:
        raise ValueError("not served locally: " + "; ".join(dict.fromkeys(problems)))
    return m


# --- country outlines ------------------------------------------------------------------------

#: Where the country outlines are served from: written once per version of the outline
#: file (:func:`ensure_outlines`), fetched once per browser. Inlined in every map they
#: made each map heavy and each rerun that drew one slower (README, performance).
OUTLINES_FOLDER = "outlines"


@lru_cache(maxsize=1)
def _outlines_stamp() -> str:
    from . import geo

    digest = hashlib.sha256(Path(geo.BOUNDARIES_GEOJSON).read_bytes())
    digest.update(f"display tolerance {geo.DISPLAY_TOLERANCE}; iso3 + geometry".encode())
    return digest.hexdigest()[:16]


def outlines_url(base: str = STATIC_URL_BASE) -> str:
    return f"{base.rstrip('/')}/{OUTLINES_FOLDER}/{_outlines_stamp()}.geojson"


def outlines_geojson(boundaries: gpd.GeoDataFrame) -> str:
    """A FeatureCollection of ``iso3`` and geometry, written by shapely's vectorised writer
    (GeoDataFrame.to_json walks every vertex in Python)."""
    import shapely

    from . import geo

    frame = geo.to_wgs84(boundaries)
    shapes = shapely.to_geojson(frame.geometry.values)
    features = [
        f'{{"type":"Feature","properties":{{"iso3":{json.dumps(str(code))}}},'
        f'"geometry":{shape or "null"}}}'
        for code, shape in zip(frame["iso3"], shapes, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def ensure_outlines(static_dir: Path) -> Path:
    """Write the drawn outlines under ``static_dir`` unless this version is there already.

    Written to a temporary file and renamed, so a browser never reads half a file.
    """
    from . import geo
    from .export import write_atomic

    path = Path(static_dir) / OUTLINES_FOLDER / f"{_outlines_stamp()}.geojson"
    extents = path.with_suffix(".extents.json")
    if path.exists() and extents.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    shapes = geo.display_boundaries()
    bounds = shapes.geometry.bounds  # minx, miny, maxx, maxy
    box = {
        str(code): [round(float(v), 4) for v in (miny, minx, maxy, maxx)]
        for code, minx, miny, maxx, maxy in zip(
            shapes["iso3"],
            bounds["minx"],
            bounds["miny"],
            bounds["maxx"],
            bounds["maxy"],
            strict=True,
        )
    }
    write_atomic(outlines_geojson(shapes).encode("utf-8"), path)
    write_atomic(json.dumps(box).encode("utf-8"), extents)
    return path


#: Province (admin-1) lines of the region the shipped events cover, built by
#: scripts/build_admin1.py (data/basemap/SOURCE.md): served like the outlines, by content.
ADMIN1_GEOJSON = Path(__file__).resolve().parent.parent / "data" / "basemap" / "admin1.geojson"


@lru_cache(maxsize=1)
def _admin1_stamp() -> str | None:
    if not ADMIN1_GEOJSON.exists():
        return None
    return hashlib.sha256(ADMIN1_GEOJSON.read_bytes()).hexdigest()[:16]


def admin1_url(base: str = STATIC_URL_BASE) -> str | None:
    """Where the browser fetches the province lines; None when the file is not shipped."""
    stamp = _admin1_stamp()
    return None if stamp is None else f"{base.rstrip('/')}/{OUTLINES_FOLDER}/admin1-{stamp}.geojson"


def ensure_admin1(static_dir: Path) -> Path | None:
    """Copy the province lines under ``static_dir`` unless this version is there already
    (written to a temporary file and renamed, as the outlines are)."""
    from .export import write_atomic

    stamp = _admin1_stamp()
    if stamp is None:
        return None
    path = Path(static_dir) / OUTLINES_FOLDER / f"admin1-{stamp}.geojson"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(ADMIN1_GEOJSON.read_bytes(), path)
    return path


def country_frame(static_dir: Path) -> pd.DataFrame:
    """What a map needs to know of the countries, without geopandas: ``iso3``, names and
    the extent (``south, west, north, east``) of each drawn outline.

    Read from the file :func:`ensure_outlines` writes beside the outlines, so a process
    that finds them written never imports geopandas or simplifies outlines to draw a map.
    """
    import pandas as pd

    from . import geo

    path = ensure_outlines(static_dir).with_suffix(".extents.json")
    box = json.loads(path.read_text(encoding="utf-8"))
    frame = geo.countries()[["iso3", "name_en", "name_ar"]]
    frame = frame[frame["iso3"].isin(box)].reset_index(drop=True)
    sides = pd.DataFrame([box[c] for c in frame["iso3"]], columns=EXTENT_SIDES)
    return pd.concat([frame, sides], axis=1)
