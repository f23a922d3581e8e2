"""Reading a boundary (四至边界, 附件2 一) from a GeoJSON file an applicant uploads or pastes.

Accepted (RFC 7946): a FeatureCollection holding exactly one feature, a Feature, or a bare
Polygon or MultiPolygon geometry, in WGS 84 longitude/latitude (the only coordinate system
RFC 7946 §4 allows; CGCS2000 geographic, EPSG:4490, differs from it by centimetres and is
accepted too). The result is the geometry with positions cut to ``[longitude, latitude]``,
its geodesic area (:func:`lowcarbon.core.geodesy.polygon_area_km2`) and its bounding box.

What goes wrong in practice, and what each refusal says (every one a :class:`GeoJsonError`
whose :class:`~lowcarbon.core.messages.Message` names what was found and what is expected):

* the file is too large, not UTF-8 text, or not JSON (with the line and column);
* the top level is not one of the accepted types, a collection holds no or several features,
  or the geometry is a point or line, which has no area;
* the coordinates are projected (a ``crs`` member naming a projection, or numbers in metres
  such as 3 466 000, as Shanghai's local grid and Web Mercator give) or written latitude
  first ([31.2, 121.4] instead of [121.4, 31.2]);
* the boundary lies outside the programme's region (Shanghai, with a margin);
* a ring is not closed, has fewer than 4 positions or crosses itself (checked edge against
  edge for rings of up to :data:`SELF_INTERSECTION_LIMIT` positions: a digitised boundary of a
  community or park has far fewer), or the polygon encloses no area.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.geodesy import GeometryError, polygon_area_km2
from lowcarbon.core.messages import Message, gettext_noop

__all__ = [
    "MAX_BYTES",
    "MAX_POSITIONS",
    "SELF_INTERSECTION_LIMIT",
    "SHANGHAI",
    "Boundary",
    "GeoJsonError",
    "Region",
    "parse_boundary",
]

#: Larger than any hand-digitised boundary of a zone (a 2 MB file holds about 50 000 positions).
MAX_BYTES = 2_000_000
MAX_POSITIONS = 50_000
SELF_INTERSECTION_LIMIT = 2_000
# 7 decimal places of a degree are about 1 cm: more digits are noise of the drawing tool.
_DIGITS = 7
_GEOGRAPHIC_CRS = ("CRS84", "4326", "4490")


class GeoJsonError(LowcarbonError):
    code = "geojson"


@dataclass(frozen=True)
class Region:
    """A longitude/latitude box a boundary must lie within."""

    name: str
    west: float
    south: float
    east: float
    north: float

    def contains(self, west: float, south: float, east: float, north: float) -> bool:
        return (
            self.west <= west and east <= self.east and self.south <= south and north <= self.north
        )


# Shanghai spans 120°52′–122°12′ E and 30°40′–31°53′ N (上海市人民政府, 上海概览·自然地理),
# Chongming included; a margin of about 0.2° keeps the islands and the river mouth in.
SHANGHAI = Region("上海市", 120.65, 30.45, 122.45, 32.1)


@dataclass(frozen=True)
class Boundary:
    """A parsed boundary: ``geometry`` is GeoJSON (Polygon or MultiPolygon, lon/lat)."""

    geometry: dict[str, Any]
    area_km2: Decimal
    west: float
    south: float
    east: float
    north: float
    position_count: int


def _error(code: str, template: str, **params: object) -> GeoJsonError:
    return GeoJsonError(Message(template, params), code=code)


def _reject_constant(name: str) -> float:
    raise ValueError(name)


def _decode(content: bytes | str) -> str:
    size = len(content.encode("utf-8")) if isinstance(content, str) else len(content)
    if size > MAX_BYTES:
        raise _error(
            "geojson_too_large",
            gettext_noop(
                "the file has {size} bytes; a boundary file may have at most {limit} bytes "
                "(simplify the outline in the drawing tool)"
            ),
            size=size,
            limit=MAX_BYTES,
        )
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            raise _error(
                "geojson_encoding",
                gettext_noop(
                    "the file is not UTF-8 text (byte {offset} cannot be read); GeoJSON files "
                    "are UTF-8 (RFC 7946 §11)"
                ),
                offset=problem.start + 1,
            ) from None
    if not content.strip():
        raise _error("geojson_empty", gettext_noop("the file is empty"))
    return content


# The JSON parser's own words (Python's json module), said in the user's language; anything
# else is shown as the parser wrote it.
_JSON_PROBLEMS = {
    "Expecting value": gettext_noop("a value was expected"),
    "Expecting property name enclosed in double quotes": gettext_noop(
        "a key in double quotes was expected"
    ),
    "Expecting ',' delimiter": gettext_noop("a comma was expected"),
    "Expecting ':' delimiter": gettext_noop("a colon was expected"),
    "Unterminated string starting at": gettext_noop("a text is not closed with a quote"),
    "Extra data": gettext_noop("there is more after the end of the JSON"),
    "Invalid control character at": gettext_noop("a text contains a control character"),
}


def _load(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as problem:
        known = _JSON_PROBLEMS.get(problem.msg)
        raise _error(
            "geojson_syntax",
            gettext_noop(
                "not valid JSON at line {line}, column {column}: {problem}; is this a GeoJSON file?"
            ),
            line=problem.lineno,
            column=problem.colno,
            problem=Message(known) if known else problem.msg,
        ) from None
    except ValueError as problem:
        raise _error(
            "geojson_syntax",
            gettext_noop("{value} is not a number JSON allows"),
            value=str(problem),
        ) from None


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("type", "an object without a type"))
    return type(value).__name__


def _geometry(data: object) -> tuple[dict[str, Any], list[object]]:
    """The one polygon geometry a FeatureCollection, Feature or bare geometry holds, and the
    objects around it (where an old-style ``crs`` member may sit)."""
    holders: list[object] = []
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise _error(
                "geojson_feature_count",
                gettext_noop(
                    "the FeatureCollection holds {count} features; a boundary is exactly one "
                    "feature (join the parts into one MultiPolygon)"
                ),
                count=count,
            )
        holders.append(data)
        data = features[0]
    if isinstance(data, dict) and data.get("type") == "Feature":
        holders.append(data)
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise _error(
            "geojson_type",
            gettext_noop(
                "found {found}; a boundary is a Polygon or MultiPolygon (a point or a line "
                "encloses no area), alone, in a Feature or in a FeatureCollection of one feature"
            ),
            found=_type_name(data) if data is not None else "null",
        )
    return data, [*holders, data]


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


def _rounded(value: object) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], int | float):
        return [round(float(value[0]), _DIGITS), round(float(value[1]), _DIGITS)]
    assert isinstance(value, list)
    return [_rounded(item) for item in value]


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    coordinates = geometry["coordinates"]
    return [coordinates] if geometry["type"] == "Polygon" else list(coordinates)


def _cross(o: Sequence[float], a: Sequence[float], b: Sequence[float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(
    p1: Sequence[float], p2: Sequence[float], q1: Sequence[float], q2: Sequence[float]
) -> bool:
    """Whether two segments meet (touching or crossing), in the lon/lat plane."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True

    def on(a: Sequence[float], b: Sequence[float], c: Sequence[float], d: float) -> bool:
        return (
            d == 0
            and min(a[0], b[0]) <= c[0] <= max(a[0], b[0])
            and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])
        )

    return on(q1, q2, p1, d1) or on(q1, q2, p2, d2) or on(p1, p2, q1, d3) or on(p1, p2, q2, d4)


def _check_self_intersection(geometry: dict[str, Any]) -> None:
    for p, polygon in enumerate(_polygons(geometry)):
        for r, ring in enumerate(polygon):
            if len(ring) > SELF_INTERSECTION_LIMIT:
                continue
            edges = len(ring) - 1
            for i in range(edges):
                # Neighbouring edges share a vertex; the first and last edges do too.
                for j in range(i + 2, edges - (1 if i == 0 else 0)):
                    if _segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                        raise _error(
                            "geojson_self_intersection",
                            gettext_noop(
                                "ring {ring} of polygon {polygon} crosses itself: edge {first} "
                                "(from {start}) meets edge {second} (from {other}); redraw the "
                                "boundary so its outline does not cross"
                            ),
                            ring=r + 1,
                            polygon=p + 1,
                            first=i + 1,
                            start=ring[i],
                            second=j + 1,
                            other=ring[j],
                        )


def parse_boundary(content: bytes | str, *, region: Region | None = SHANGHAI) -> Boundary:
    """The boundary in ``content`` (a GeoJSON file's bytes or text), checked; see the module."""
    data = _load(_decode(content))
    geometry, holders = _geometry(data)
    _check_crs(*holders)
    positions = list(_loose_positions(geometry.get("coordinates")))
    _check_coordinates(positions)
    try:
        area = polygon_area_km2(geometry)
    except GeometryError as problem:
        raise GeoJsonError(problem.message, code=problem.code) from None
    normalised: dict[str, Any] = {
        "type": geometry["type"],
        "coordinates": _rounded(geometry["coordinates"]),
    }
    xs = [x for x, _ in positions]
    ys = [y for _, y in positions]
    west, south, east, north = min(xs), min(ys), max(xs), max(ys)
    if region is not None and not region.contains(west, south, east, north):
        if region.contains(south, west, north, east):
            raise _error(
                "geojson_swapped",
                gettext_noop(
                    "[{x}, {y}] reads as latitude first; GeoJSON writes longitude first "
                    "(for Shanghai about [121.4, 31.2])"
                ),
                x=positions[0][0],
                y=positions[0][1],
            )
        raise _error(
            "geojson_outside_region",
            gettext_noop(
                "the boundary spans longitude {west} to {east} and latitude {south} to {north}, "
                "outside {region}; check the file is the right one and in WGS 84"
            ),
            west=west,
            east=east,
            south=south,
            north=north,
            region=region.name,
        )
    _check_self_intersection(normalised)
    if area <= 0:
        raise _error(
            "geojson_no_area",
            gettext_noop("the polygon encloses no area (its points are on a line)"),
        )
    return Boundary(
        geometry=normalised,
        area_km2=area,
        west=west,
        south=south,
        east=east,
        north=north,
        position_count=len(positions),
    )
