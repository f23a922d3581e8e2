"""The boundary map (四至边界) as SVG, drawn in plain Python: no tiles, no CDN, no script.

One drawing for the workspace page (inlined, :mod:`lowcarbon.web.applications.maps` marks it
safe) and the Word plan (as PNG through :func:`lowcarbon.documents.charts.png`).

Equirectangular projection centred on the boundary, with longitudes scaled by cos(latitude) so
that a kilometre is as long east-west as north-south at the zone's latitude (for a zone of a
few km the distortion is far below what a screen or a printed page shows). The map carries a
north arrow, a scale bar in m or km, and the bounding coordinates at its corners.

Labels arrive through the caller's translate function; every text put into the markup is
escaped here, so the result is safe to inline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from lowcarbon.core.messages import gettext_noop

from .charts import FONT

__all__ = ["HEIGHT", "WIDTH", "boundary_svg", "rings"]

Translate = Callable[[str], str]

WIDTH = 480
HEIGHT = 360
_MARGIN = 36
# Metres per degree of latitude on the authalic sphere (π R / 180, R = 6 371 007 m).
_M_PER_DEGREE = math.pi * 6_371_007.181 / 180


def rings(geometry: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon as (lon, lat) pairs.

    Raises ``ValueError`` for anything else or a geometry without points, so a caller can
    leave the map out instead of drawing nonsense."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if (
        kind not in ("Polygon", "MultiPolygon")
        or not isinstance(coordinates, Sequence)
        or isinstance(coordinates, str)
    ):
        raise ValueError(f"cannot draw the boundary: not a Polygon or MultiPolygon: {kind!r}")
    polygons: Sequence[Any] = [coordinates] if kind == "Polygon" else coordinates
    try:
        found = [
            [(float(point[0]), float(point[1])) for point in ring]
            for polygon in polygons
            for ring in polygon
        ]
    except (TypeError, IndexError, ValueError) as error:
        raise ValueError(f"cannot draw the boundary: malformed coordinates: {error}") from error
    if not any(found) or not all(
        math.isfinite(value) for ring in found for point in ring for value in point
    ):
        raise ValueError("cannot draw the boundary: no finite points")
    return [ring for ring in found if ring]


def _nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ m not above ``metres``."""
    power = 10 ** math.floor(math.log10(metres))
    return float(max(step * power for step in (1, 2, 5) if step * power <= metres))


def _length(metres: float, _: Translate) -> str:
    if metres >= 1000:
        return _(gettext_noop("{length} km")).format(length=f"{metres / 1000:g}")
    return _(gettext_noop("{length} m")).format(length=f"{metres:g}")


def boundary_svg(geometry: Mapping[str, Any], _: Translate, *, title: str = "") -> str:
    """An SVG map of a Polygon or MultiPolygon in WGS 84 longitude/latitude (``ValueError`` if
    the geometry has no drawable ring)."""
    drawn = rings(geometry)
    xs = [lon for ring in drawn for lon, _lat in ring]
    ys = [lat for ring in drawn for _lon, lat in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    cos_lat = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * cos_lat, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = min((WIDTH - 2 * _MARGIN) / span_x, (HEIGHT - 2 * _MARGIN) / span_y)
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = (HEIGHT - span_y * scale) / 2

    def point(lon: float, lat: float) -> str:
        x = offset_x + (lon - west) * cos_lat * scale
        y = offset_y + (north - lat) * scale
        return f"{x:.1f},{y:.1f}"

    # One path with every ring and the even-odd rule: holes stay holes.
    path = " ".join("M" + " L".join(point(lon, lat) for lon, lat in ring) + " Z" for ring in drawn)
    metres_per_px = _M_PER_DEGREE / scale
    bar_m = _nice_length(metres_per_px * WIDTH / 4)
    bar_px = bar_m / metres_per_px
    by = HEIGHT - 14
    name = escape(title or _(gettext_noop("Boundary map")))
    north_label = escape(_(gettext_noop("N")))  # outside the f-string: the extractor sees it
    parts = [
        # class first: the workspace's tests and styles look for '<svg class="boundary-map"'.
        f'<svg class="boundary-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{name}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f"<title>{name}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f7faf8" stroke="#d9e0dc"/>',
        f'<path class="boundary" d="{path}" fill="#1f6f43" fill-opacity="0.25" '
        'stroke="#1f6f43" stroke-width="2" fill-rule="evenodd"/>',
        # North arrow, top right.
        f'<g class="north-arrow" transform="translate({WIDTH - 30} 14)">'
        '<path d="M0,22 L8,0 L16,22 L8,16 Z" fill="#1d2520"/>'
        f'<text x="8" y="36" text-anchor="middle" font-size="12">'
        f"{north_label}</text></g>",
        # Scale bar, bottom left.
        f'<g class="scale-bar"><path d="M12,{by} h{bar_px:.1f} M12,{by} v-6 '
        f'M{12 + bar_px:.1f},{by} v-6" stroke="#1d2520" stroke-width="2" fill="none"/>'
        f'<text x="12" y="{by - 8}" font-size="12">{escape(_length(bar_m, _))}</text></g>',
        # Bounding coordinates: north-west corner top left, south-east corner bottom right.
        f'<g class="corners" font-size="11" fill="#5b6660">'
        f'<text x="6" y="14">{north:.5f}°N</text>'
        f'<text x="6" y="28">{west:.5f}°E</text>'
        f'<text x="{WIDTH - 6}" y="{HEIGHT - 22}" text-anchor="end">{south:.5f}°N</text>'
        f'<text x="{WIDTH - 6}" y="{HEIGHT - 8}" text-anchor="end">{east:.5f}°E</text></g>',
        "</svg>",
    ]
    return "".join(parts)
