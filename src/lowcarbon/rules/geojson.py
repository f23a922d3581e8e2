"""Reading a boundary (四至边界, 附件2 一) from a GeoJSON file an applicant uploads or pastes,
and measuring it.

Accepted (RFC 7946): a FeatureCollection holding exactly one feature, a Feature, or a bare
Polygon or MultiPolygon geometry, in WGS 84 longitude/latitude (the only coordinate system
RFC 7946 §4 allows; CGCS2000 geographic, EPSG:4490, differs from it by centimetres and is
accepted too). The result is the geometry with positions cut to ``[longitude, latitude]``
(7 decimals, about 1 cm), its geodesic area and perimeter, and its bounding box.

The geometry is judged by the libraries made for it: GEOS (through shapely 2) says whether the
rings bound a valid area, with the reason and the place, in the longitude/latitude plane where
RFC 7946 draws its straight edges; GeographicLib (through pyproj's ``Geod`` on the WGS84
ellipsoid) gives the area and perimeter (:func:`measure`, also used for the polygon of an
accounting file). The typed rings and the errors are :mod:`lowcarbon.core.geodesy`'s.

What goes wrong in practice, and what each refusal says (every one a :class:`GeoJsonError`
whose :class:`~lowcarbon.core.messages.Message` names what was found and what is expected):

* the file is too large, nested too deep, not UTF-8 text, or not JSON (with the line and
  column);
* the top level is not one of the accepted types, a collection holds no or several features,
  or the geometry is a point or line, which has no area;
* the coordinates are projected (a ``crs`` member naming a projection, or numbers in metres
  such as 3 466 000, as Shanghai's local grid and Web Mercator give) or written latitude
  first ([31.2, 121.4] instead of [121.4, 31.2]);
* the boundary lies outside the programme's region (Shanghai, with a margin);
* a ring is not closed or has fewer than 4 positions; a ring crosses or touches itself, a hole
  crosses its outer ring, lies outside it or inside another hole (each said with the position
  where it happens, however many positions the ring has); two polygons of a MultiPolygon
  overlap (said with the area they share: a boundary is one area, so overlapping parts are a
  drawing mistake and are refused rather than merged; parts that are apart or only touch are
  accepted and measured as their union); or the polygon encloses no area.

A boundary that crosses the antimeridian or surrounds a pole is outside what this module
measures (straight lon/lat edges cannot draw it); no Shanghai zone comes near either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import shapely
from pyproj import Geod

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.geodesy import (
    GeometryError,
    InvalidGeometryError,
    Measurement,
    NoAreaError,
    OverlappingPartsError,
    Rings,
    polygons,
    show_position,
)
from lowcarbon.core.messages import Message, gettext_noop

from .json_safety import json_nesting_depth

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_POSITIONS",
    "SHANGHAI",
    "Boundary",
    "GeoJsonError",
    "Region",
    "measure",
    "parse_boundary",
]

#: Larger than any hand-digitised boundary of a zone (a 2 MB file holds about 50 000 positions).
MAX_BYTES = 2_000_000
MAX_POSITIONS = 50_000
#: Arrays and objects inside each other: a MultiPolygon in a FeatureCollection needs 8 (the
#: collection, its features, the feature, the geometry, then four levels of coordinates); the
#: rest leaves room for properties a drawing tool writes. Deeper is refused before parsing.
MAX_DEPTH = 16
# 7 decimal places of a degree are about 1 cm: more digits are noise of the drawing tool.
_DIGITS = 7
_GEOGRAPHIC_CRS = ("CRS84", "4326", "4490")
_GEOD = Geod(ellps="WGS84")
# Areas to the square metre, lengths to the metre.
_KM2 = Decimal("0.000001")
_KM = Decimal("0.001")


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
    """A parsed boundary: ``geometry`` is GeoJSON (Polygon or MultiPolygon, lon/lat), the area
    and perimeter are geodesic (:class:`~lowcarbon.core.geodesy.Measurement`), the box is the
    extent of every position (四至 as numbers)."""

    geometry: dict[str, Any]
    area_km2: Decimal
    perimeter_km: Decimal
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
    depth = json_nesting_depth(text)  # found without parsing, so without recursion
    if depth > MAX_DEPTH:
        raise _error(
            "geojson_too_deep",
            gettext_noop(
                "arrays and objects are nested {depth} levels deep in the file; a boundary "
                "needs at most {limit} (a MultiPolygon in a FeatureCollection has 8)"
            ),
            depth=depth,
            limit=MAX_DEPTH,
        )
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


def _rounded(rings: Rings) -> Rings:
    return tuple(
        tuple((round(lon, _DIGITS), round(lat, _DIGITS)) for lon, lat in ring) for ring in rings
    )


def _as_geojson(parts: Sequence[Rings], kind: str) -> dict[str, Any]:
    coordinates = [[[list(position) for position in ring] for ring in rings] for rings in parts]
    return {"type": kind, "coordinates": coordinates[0] if kind == "Polygon" else coordinates}


# What GEOS finds wrong (``shapely.is_valid_reason``: "Self-intersection[121.41 31.18]"), said
# in the user's words: first of one ring alone, then of the rings of one polygon together.
# Polygons are checked one by one, so GEOS's "Nested shells" and duplicate polygons never
# arise here: polygons of a MultiPolygon that nest or repeat overlap, and are refused as such.
_RING_PROBLEMS = {
    "Self-intersection": (
        "geometry_self_intersection",
        gettext_noop(
            "ring {ring} of polygon {polygon} crosses itself at {point}; redraw the boundary "
            "so its outline does not cross"
        ),
    ),
    "Ring Self-intersection": (
        "geometry_self_intersection",
        gettext_noop(
            "ring {ring} of polygon {polygon} touches itself at {point}; redraw the boundary "
            "so its outline passes each point once"
        ),
    ),
    "Too few points in geometry component": (
        "geometry_too_few_positions",
        gettext_noop(
            "ring {ring} of polygon {polygon} has fewer than 3 different positions (at "
            "{point}) and encloses no area"
        ),
    ),
}
_POLYGON_PROBLEMS = {
    "Self-intersection": (
        "geometry_rings_cross",
        gettext_noop(
            "the rings of polygon {polygon} cross each other at {point}; a hole must lie "
            "inside the outer ring without crossing it"
        ),
    ),
    "Hole lies outside shell": (
        "geometry_hole_outside",
        gettext_noop(
            "a hole of polygon {polygon} lies outside its outer ring (at {point}); a hole must "
            "lie inside the outer ring"
        ),
    ),
    "Holes are nested": (
        "geometry_nested_holes",
        gettext_noop(
            "a hole of polygon {polygon} lies inside another hole (at {point}); draw the "
            "inner area as a polygon of its own"
        ),
    ),
    "Interior is disconnected": (
        "geometry_disconnected",
        gettext_noop(
            "the holes of polygon {polygon} cut its area in pieces (at {point}); draw the "
            "pieces as separate polygons of a MultiPolygon"
        ),
    ),
}
_UNKNOWN_PROBLEM = (
    "geometry_invalid",
    gettext_noop(
        "polygon {polygon} is not a valid area at {point}; redraw the boundary so its outline "
        "does not cross or touch itself"
    ),
)
_REASON = re.compile(r"(?P<kind>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


def _problem(
    reason: str, known: Mapping[str, tuple[str, str]], **params: object
) -> InvalidGeometryError:
    found = _REASON.fullmatch(reason)
    kind, point = (
        (
            found["kind"],
            show_position((round(float(found["x"]), _DIGITS), round(float(found["y"]), _DIGITS))),
        )
        if found
        else (reason, "?")
    )
    code, template = known.get(kind, _UNKNOWN_PROBLEM)
    return InvalidGeometryError(Message(template, {**params, "point": point}), code=code)


def _check_valid(parts: Sequence[Rings], shapes: Sequence[shapely.Polygon]) -> None:
    """Each polygon valid by GEOS's rules, or the first problem said with where it is."""
    for index, reason in enumerate(shapely.is_valid_reason(shapes)):
        if reason == "Valid Geometry":
            continue
        # Which ring is wrong on its own, if one is; else the rings together.
        rings = [shapely.Polygon(ring) for ring in parts[index]]
        for ring, alone in enumerate(shapely.is_valid_reason(rings)):
            if alone != "Valid Geometry":
                raise _problem(alone, _RING_PROBLEMS, ring=ring + 1, polygon=index + 1)
        raise _problem(reason, _POLYGON_PROBLEMS, polygon=index + 1)


def _km2(area_m2: float) -> Decimal:
    return (Decimal(repr(abs(area_m2))) / 1_000_000).quantize(_KM2)


def _geodesic(shape: shapely.Geometry) -> tuple[Decimal, Decimal]:
    """Area (km²) and outer perimeter (km) of a polygonal shape on the WGS84 ellipsoid.

    pyproj subtracts holes by their signed areas, so the rings are oriented first (outer
    counter-clockwise, holes clockwise); the area is then positive, ``abs`` keeps a
    rounding-level negative of a sliver from showing."""
    area_m2, perimeter_m = _GEOD.geometry_area_perimeter(shapely.orient_polygons(shape))
    return _km2(area_m2), (Decimal(repr(perimeter_m)) / 1000).quantize(_KM)


def _check_overlaps(shapes: Sequence[shapely.Polygon]) -> None:
    """Polygons of a MultiPolygon may be apart or touch; sharing a square metre is refused."""
    tree = shapely.STRtree(shapes)
    for first, second in zip(*tree.query(shapes, predicate="intersects"), strict=True):
        if first >= second:
            continue
        shared = shapely.intersection(shapes[first], shapes[second])
        pieces = [
            piece
            for piece in shapely.get_parts(shapely.get_parts(shared))
            if isinstance(piece, shapely.Polygon)
        ]
        area, _ = _geodesic(shapely.MultiPolygon(pieces))
        if area > 0:
            point = shapely.point_on_surface(shapely.MultiPolygon(pieces))
            raise OverlappingPartsError(
                int(first) + 1,
                int(second) + 1,
                area,
                show_position((round(point.x, _DIGITS), round(point.y, _DIGITS))),
            )


def _measure(parts: Sequence[Rings]) -> Measurement:
    shapes = [shapely.Polygon(rings[0], rings[1:]) for rings in parts]
    _check_valid(parts, shapes)
    if len(shapes) > 1:
        _check_overlaps(shapes)
    # The union: parts that share an edge are one area, and that edge is not its perimeter.
    area, perimeter = _geodesic(shapes[0] if len(shapes) == 1 else shapely.union_all(shapes))
    if area <= 0:
        raise NoAreaError()
    return Measurement(area_km2=area, perimeter_km=perimeter)


def measure(geometry: Mapping[str, object]) -> Measurement:
    """The geodesic area and perimeter of a GeoJSON Polygon or MultiPolygon, after checking it
    is a valid area; a :class:`~lowcarbon.core.geodesy.GeometryError` saying what and where
    when it is not."""
    return _measure(polygons(geometry))


def parse_boundary(content: bytes | str, *, region: Region | None = SHANGHAI) -> Boundary:
    """The boundary in ``content`` (a GeoJSON file's bytes or text), checked; see the module."""
    data = _load(_decode(content))
    geometry, holders = _geometry(data)
    _check_crs(*holders)
    positions = list(_loose_positions(geometry.get("coordinates")))
    _check_coordinates(positions)
    try:
        parts = tuple(_rounded(rings) for rings in polygons(geometry))
    except GeometryError as problem:
        raise GeoJsonError(problem.message, code=problem.code) from None
    xs = [x for rings in parts for ring in rings for x, _ in ring]
    ys = [y for rings in parts for ring in rings for _, y in ring]
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
    try:
        measured = _measure(parts)
    except GeometryError as problem:
        raise GeoJsonError(problem.message, code=problem.code) from None
    return Boundary(
        geometry=_as_geojson(parts, geometry["type"]),
        area_km2=measured.area_km2,
        perimeter_km=measured.perimeter_km,
        west=west,
        south=south,
        east=east,
        north=north,
        position_count=len(positions),
    )
