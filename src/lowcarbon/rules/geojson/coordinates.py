"""The coordinate system and the positions: geographic, longitude first, inside the region, not
too many, cut to 7 decimals.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from lowcarbon.core.geodesy import Rings
from lowcarbon.core.messages import gettext_noop

from .boundary import _error

__all__ = ["MAX_POSITIONS"]

#: About what a file of `MAX_BYTES` (2 MB) holds.
MAX_POSITIONS = 50_000
# 7 decimal places of a degree are about 1 cm: more digits are noise of the drawing tool.
_DIGITS = 7
_GEOGRAPHIC_CRS = ("CRS84", "4326", "4490")


def _check_crs(*members: object) -> None:
    # RFC 7946 removed "crs"; older exports still write it. A geographic one is harmless.
    for member in members:
        if not isinstance(member, dict) or "crs" not in member:
            continue
        crs = member["crs"]
        name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if not isinstance(name, str) or not name.endswith(_GEOGRAPHIC_CRS):
            raise _error(
                "geojson_projected",
                gettext_noop(
                    "the file declares the coordinate system {crs}; export the boundary in "
                    "WGS 84 longitude/latitude (EPSG:4326) as RFC 7946 requires"
                ),
                crs=json.dumps(crs, ensure_ascii=False),
            )


def _loose_positions(value: object) -> Iterator[tuple[float, float]]:
    """Every [x, y] pair of numbers found in nested coordinates, skipping anything odd."""
    if isinstance(value, list):
        if len(value) >= 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2]
        ):
            yield float(value[0]), float(value[1])
        else:
            for item in value:
                yield from _loose_positions(item)


def _in_range(x: float, y: float) -> bool:
    return -180 <= x <= 180 and -90 <= y <= 90


def _check_coordinates(positions: Sequence[tuple[float, float]]) -> None:
    if len(positions) > MAX_POSITIONS:
        raise _error(
            "geojson_too_many_positions",
            gettext_noop(
                "the boundary has {count} positions; at most {limit} are accepted (simplify "
                "the outline in the drawing tool)"
            ),
            count=len(positions),
            limit=MAX_POSITIONS,
        )
    outside = [(x, y) for x, y in positions if not _in_range(x, y)]
    if not outside:
        return
    x, y = outside[0]
    if all(abs(a) > 1000 or abs(b) > 1000 for a, b in outside):
        raise _error(
            "geojson_projected",
            gettext_noop(
                "the coordinates look projected (in metres, e.g. [{x}, {y}]), not longitude and "
                "latitude; export the boundary in WGS 84 longitude/latitude (EPSG:4326)"
            ),
            x=x,
            y=y,
        )
    if all(_in_range(b, a) for a, b in positions):
        raise _error(
            "geojson_swapped",
            gettext_noop(
                "[{x}, {y}] reads as latitude first; GeoJSON writes longitude first "
                "(for Shanghai about [121.4, 31.2])"
            ),
            x=x,
            y=y,
        )
    # Anything else out of range is reported by the geodesy, with where it is.


def _rounded(rings: Rings) -> Rings:
    return tuple(
        tuple((round(lon, _DIGITS), round(lat, _DIGITS)) for lon, lat in ring) for ring in rings
    )


def _as_geojson(parts: Sequence[Rings], kind: str) -> dict[str, Any]:
    coordinates = [[[list(position) for position in ring] for ring in rings] for rings in parts]
    return {"type": kind, "coordinates": coordinates[0] if kind == "Polygon" else coordinates}
