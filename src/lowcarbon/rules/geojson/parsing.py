"""A boundary read from GeoJSON text or bytes, step by step, and measured."""

from __future__ import annotations

from lowcarbon.core.geodesy import GeometryError, polygons
from lowcarbon.core.messages import gettext_noop

from .boundary import SHANGHAI, Boundary, GeoJsonError, Region, _error
from .coordinates import _as_geojson, _check_coordinates, _check_crs, _loose_positions, _rounded
from .measuring import _measure
from .reading import _decode, _geometry, _load

__all__ = ["parse_boundary"]


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
