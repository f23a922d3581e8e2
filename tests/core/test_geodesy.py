"""Polygon areas on the WGS84 authalic sphere, checked against independent computations:

* the area of a longitude/latitude cell, R² · Δλ · (sin φ₂ − sin φ₁), for the 1°×1° cell at the
  equator (≈ 12 364 km²) and a 0.1° square near Shanghai;
* L'Huilier's theorem on a triangulation (side lengths by the haversine formula, in floats);
* exact figures: an octant is 1/8 of the sphere, a hemisphere 1/2, a polar cap 2πR²(1 − sin φ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

import pytest

from lowcarbon.core import geodesy
from lowcarbon.core.geodesy import (
    AUTHALIC_RADIUS_M,
    CoordinateOutOfRangeError,
    MalformedGeometryError,
    TooFewPositionsError,
    UnclosedRingError,
    UnsupportedGeometryError,
    polygon_area_km2,
    ring_area_km2,
)

R_KM = 6371.007181
SPHERE_KM2 = 4 * math.pi * R_KM**2


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A counter-clockwise ring."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(*rings: Sequence[Sequence[float]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def cell_km2(west: float, south: float, east: float, north: float) -> float:
    """A longitude/latitude cell: R² · Δλ · (sin φ₂ − sin φ₁)."""
    span = math.radians(east - west)
    return R_KM**2 * span * (math.sin(math.radians(north)) - math.sin(math.radians(south)))


def _arc(p: Sequence[float], q: Sequence[float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*p, *q))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * math.asin(math.sqrt(h))


def lhuilier_km2(ring: Sequence[Sequence[float]]) -> float:
    """A convex ring fanned into triangles from its first vertex; each excess by L'Huilier."""
    total = 0.0
    first = ring[0]
    for b, c in pairwise(ring[1:-1]):
        x, y, z = _arc(first, b), _arc(b, c), _arc(c, first)
        s = (x + y + z) / 2
        product = math.tan(s / 2) * math.tan((s - x) / 2) * math.tan((s - y) / 2)
        total += 4 * math.atan(math.sqrt(product * math.tan((s - z) / 2)))
    return total * R_KM**2


def relative(a: Decimal, b: float) -> float:
    return abs(float(a) - b) / b


def same(a: Decimal, b: Decimal) -> bool:
    """Equal to the 28 digits the result is rounded to on the way out."""
    return abs(a - b) <= Decimal("1e-24") * abs(b)


def test_the_radius_is_the_wgs84_authalic_radius() -> None:
    assert Decimal("6371007.181") == AUTHALIC_RADIUS_M


def test_a_one_degree_cell_at_the_equator_is_about_12364_km2() -> None:
    area = polygon_area_km2(polygon(square(0, 0, 1, 1)))
    assert round(area) == 12364
    assert isinstance(area, Decimal)
    # Great-circle edges: the top edge bulges 4 m north of the parallel over 111 km.
    assert relative(area, cell_km2(0, 0, 1, 1)) < 3e-5
    assert relative(area, lhuilier_km2(square(0, 0, 1, 1))) < 1e-9


def test_a_small_square_near_shanghai() -> None:
    ring = square(121.4, 31.2, 121.5, 31.3)
    area = polygon_area_km2(polygon(ring))
    assert round(area, 2) == Decimal("105.70")
    # 0.1° square: great-circle and lon/lat-straight edges differ by about 5e-8 of the area.
    assert relative(area, cell_km2(121.4, 31.2, 121.5, 31.3)) < 1e-7
    assert relative(area, lhuilier_km2(ring)) < 1e-8


def test_an_octant_is_an_eighth_of_the_sphere() -> None:
    area = polygon_area_km2(polygon([[0, 0], [90, 0], [0, 90], [0, 0]]))
    assert relative(area, SPHERE_KM2 / 8) < 1e-14


def test_a_ring_round_the_equator_bounds_a_hemisphere() -> None:
    ring = [[0, 0], [90, 0], [180, 0], [-90, 0], [0, 0]]
    assert relative(polygon_area_km2(polygon(ring)), SPHERE_KM2 / 2) < 1e-14


@pytest.mark.parametrize("latitude", [80, -80])
@pytest.mark.parametrize("step", [1, -1], ids=["eastward", "westward"])
def test_a_ring_round_a_pole_bounds_the_polar_cap(latitude: int, step: int) -> None:
    ring = [[float(lon), float(latitude)] for lon in range(-180, 180, 1)][::step]
    ring.append(ring[0])
    cap = 2 * math.pi * R_KM**2 * (1 - math.sin(math.radians(abs(latitude))))
    # The great-circle chords cut a sliver off the parallel: a few 1e-5 of the cap.
    assert relative(polygon_area_km2(polygon(ring)), cap) < 1e-4


def test_orientation_does_not_matter() -> None:
    ring = square(121.4, 31.2, 121.5, 31.3)
    assert polygon_area_km2(polygon(ring)) == polygon_area_km2(polygon(ring[::-1]))


def test_a_cell_across_the_antimeridian_equals_the_same_cell_elsewhere() -> None:
    across = polygon_area_km2(polygon(square(179.5, 0, -179.5, 1)))
    across_west = polygon_area_km2(polygon(square(-179.5, 0, 179.5, 1)[::-1]))
    assert across == polygon_area_km2(polygon(square(0, 0, 1, 1)))
    assert across_west == across


def test_holes_are_subtracted() -> None:
    outer, hole = square(121.3, 31.1, 121.6, 31.4), square(121.4, 31.2, 121.5, 31.3)
    area = polygon_area_km2(polygon(outer, hole))
    assert same(area, ring_area_km2(outer) - ring_area_km2(hole))
    assert (
        relative(area, cell_km2(121.3, 31.1, 121.6, 31.4) - cell_km2(121.4, 31.2, 121.5, 31.3))
        < 1e-6
    )


def test_a_multipolygon_is_the_sum_of_its_polygons() -> None:
    first, second = square(121.4, 31.2, 121.5, 31.3), square(121.6, 31.2, 121.7, 31.25)
    multi = {"type": "MultiPolygon", "coordinates": [[first], [second]]}
    assert same(polygon_area_km2(multi), ring_area_km2(first) + ring_area_km2(second))


def test_numbers_may_be_ints_floats_or_decimals_and_altitude_is_ignored() -> None:
    as_ints = polygon(square(0, 0, 1, 1))
    as_decimals = polygon([[Decimal(x), Decimal(y), Decimal(4)] for x, y in square(0, 0, 1, 1)])
    as_floats = polygon([[float(x), float(y)] for x, y in square(0, 0, 1, 1)])
    assert polygon_area_km2(as_ints) == polygon_area_km2(as_decimals) == polygon_area_km2(as_floats)
    tuples = {"type": "Polygon", "coordinates": (tuple(tuple(p) for p in square(0, 0, 1, 1)),)}
    assert polygon_area_km2(tuples) == polygon_area_km2(as_ints)


def test_a_degenerate_ring_has_no_area() -> None:
    assert polygon_area_km2(polygon([[1, 1], [2, 2], [1, 1], [1, 1]])) == 0


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [121.4, 31.2]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        {"type": "Feature", "geometry": polygon(square(0, 0, 1, 1))},
        {"coordinates": [square(0, 0, 1, 1)]},
    ],
    ids=["point", "line", "feature", "no type"],
)
def test_non_polygons_are_refused(geometry: dict[str, object]) -> None:
    with pytest.raises(UnsupportedGeometryError, match="Polygon or MultiPolygon"):
        polygon_area_km2(geometry)


def test_an_unclosed_ring_is_refused() -> None:
    with pytest.raises(UnclosedRingError) as caught:
        polygon_area_km2(polygon([[0, 0], [1, 0], [1, 1], [0, 1]]))
    assert "[0, 0]" in str(caught.value)
    assert "[0, 1]" in str(caught.value)
    assert caught.value.where == "coordinates[0]"


def test_a_ring_of_fewer_than_four_positions_is_refused() -> None:
    with pytest.raises(TooFewPositionsError, match="found 3"):
        polygon_area_km2(polygon([[0, 0], [1, 0], [0, 0]]))


@pytest.mark.parametrize(
    "position",
    [[181, 0], [-180.5, 0], [0, 90.1], [0, -91], [float("nan"), 0], [0, float("inf")]],
)
def test_coordinates_out_of_range_are_refused(position: list[float]) -> None:
    ring = [[0, 0], [1, 0], position, [0, 0]]
    with pytest.raises(CoordinateOutOfRangeError, match=r"coordinates\[0\]\[2\]"):
        polygon_area_km2(polygon(ring))


def test_latitude_first_is_caught_when_out_of_range() -> None:
    with pytest.raises(CoordinateOutOfRangeError, match="longitude first"):
        polygon_area_km2(polygon([[31.2, 121.4], [31.3, 121.4], [31.3, 121.5], [31.2, 121.4]]))


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Polygon", "coordinates": "0 0, 1 0"}, "is not an array"),
        ({"type": "Polygon", "coordinates": []}, "a polygon needs a ring"),
        ({"type": "MultiPolygon", "coordinates": []}, "a MultiPolygon needs a polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1], [0, 0]]]}, "a longitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, "1"], [0, 0]]]}, "not a number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, True], [0, 0]]]}, "not a number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], 7, [0, 0]]]}, "is not an array"),
        ({"type": "MultiPolygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, "array"),
        (
            polygon(square(121.4, 31.2, 121.5, 31.3), square(121.3, 31.1, 121.6, 31.4)),
            "holes are larger",
        ),
    ],
)
def test_malformed_coordinates_are_refused(geometry: dict[str, object], words: str) -> None:
    with pytest.raises(MalformedGeometryError, match=words):
        polygon_area_km2(geometry)


# ---------------------------------------------------------------------------------------------
# The Decimal trigonometry against the floating-point library


@pytest.mark.parametrize(
    ("y", "x"),
    [(1, 2), (-1, 2), (3, 0.5), (1, 0), (-1, 0), (0, 0), (0, 1)],
)
def test_atan2_on_the_half_plane_it_is_used_on(y: float, x: float) -> None:
    value = geodesy._atan2(Decimal(str(y)), Decimal(str(x)))
    assert abs(float(value) - math.atan2(y, x)) < 1e-15


@pytest.mark.parametrize("x", [0, 0.1, -0.7, 1.2, math.pi / 2, -math.pi / 2])
def test_sine_and_cosine(x: float) -> None:
    sine, cosine = geodesy._sin_cos(Decimal(repr(x)))
    assert abs(float(sine) - math.sin(x)) < 1e-15
    assert abs(float(cosine) - math.cos(x)) < 1e-15


def test_pi() -> None:
    assert str(geodesy._pi()).startswith("3.14159265358979323846264338327950288419")
