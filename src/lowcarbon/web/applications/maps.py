"""The boundary map (四至边界) drawn on the server as inline SVG: no tiles, no CDN, no script.

Equirectangular projection centred on the boundary, with longitudes scaled by cos(latitude) so
that a kilometre is as long east-west as north-south at the zone's latitude (for a zone of a
few km the distortion is far below what a screen shows). The map carries a north arrow, a scale
bar in m or km, and the bounding coordinates at its corners.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

__all__ = ["boundary_svg"]

WIDTH = 480
HEIGHT = 360
_MARGIN = 36
# Metres per degree of latitude on the authalic sphere (π R / 180, R = 6 371 007 m).
_M_PER_DEGREE = math.pi * 6_371_007.181 / 180


def _rings(geometry: Mapping[str, Any]) -> list[Sequence[Sequence[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


def _nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ m not above ``metres``."""
    power = 10 ** math.floor(math.log10(metres))
    return float(max(step * power for step in (1, 2, 5) if step * power <= metres))


def _label(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


def boundary_svg(geometry: Mapping[str, Any], *, title: str = "") -> SafeString:
    """An SVG map of a Polygon or MultiPolygon in WGS 84 longitude/latitude."""
    rings = _rings(geometry)
    xs = [float(p[0]) for ring in rings for p in ring]
    ys = [float(p[1]) for ring in rings for p in ring]
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

    path = " ".join(
        "M" + " L".join(point(float(p[0]), float(p[1])) for p in ring) + " Z" for ring in rings
    )
    metres_per_px = _M_PER_DEGREE / scale
    bar_m = _nice_length(metres_per_px * WIDTH / 4)
    bar_px = bar_m / metres_per_px
    by = HEIGHT - 14
    parts = [
        format_html(
            '<svg class="boundary-map" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg"><title>{}</title>',
            WIDTH,
            HEIGHT,
            title or _("Boundary map"),
            title or _("Boundary map"),
        ),
        format_html(
            '<rect width="{}" height="{}" fill="#f7faf8" stroke="#d9e0dc"/>', WIDTH, HEIGHT
        ),
        format_html(
            '<path d="{}" fill="#1f6f43" fill-opacity="0.25" stroke="#1f6f43" '
            'stroke-width="2" fill-rule="evenodd"/>',
            path,
        ),
        # North arrow, top right.
        format_html(
            '<g transform="translate({} 14)"><path d="M0,22 L8,0 L16,22 L8,16 Z" '
            'fill="#1d2520"/><text x="8" y="36" text-anchor="middle" font-size="12">{}</text>'
            "</g>",
            WIDTH - 30,
            _("N"),
        ),
        # Scale bar, bottom left.
        format_html(
            '<g><path d="M12,{} h{} M12,{} v-6 M{},{} v-6" stroke="#1d2520" '
            'stroke-width="2" fill="none"/><text x="12" y="{}" font-size="12">{}</text></g>',
            by,
            f"{bar_px:.1f}",
            by,
            f"{12 + bar_px:.1f}",
            by,
            by - 8,
            _label(bar_m),
        ),
        # Bounding coordinates: north-west corner top left, south-east corner bottom right.
        format_html(
            '<g font-size="11" fill="#5b6660"><text x="6" y="14">{}°N</text>'
            '<text x="6" y="28">{}°E</text>'
            '<text x="{}" y="{}" text-anchor="end">{}°N</text>'
            '<text x="{}" y="{}" text-anchor="end">{}°E</text></g>',
            f"{north:.5f}",
            f"{west:.5f}",
            WIDTH - 6,
            HEIGHT - 22,
            f"{south:.5f}",
            WIDTH - 6,
            HEIGHT - 8,
            f"{east:.5f}",
        ),
        mark_safe("</svg>"),
    ]
    return mark_safe("".join(parts))
