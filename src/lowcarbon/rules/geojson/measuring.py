"""The polygons judged by GEOS (valid rings, parts that do not overlap) and measured on the WGS84
ellipsoid by GeographicLib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

import shapely
from pyproj import Geod

from lowcarbon.core.geodesy import (
    InvalidGeometryError,
    Measurement,
    NoAreaError,
    OverlappingPartsError,
    Rings,
    polygons,
    show_position,
)
from lowcarbon.core.messages import Message, gettext_noop

from .coordinates import _DIGITS

__all__ = ["measure"]

_GEOD = Geod(ellps="WGS84")
# Areas to the square metre, lengths to the metre.
_KM2 = Decimal("0.000001")
_KM = Decimal("0.001")


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
