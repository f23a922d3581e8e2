"""A boundary's coordinates read into typed rings, and the errors that say what is wrong where.

Whether the rings bound a valid area and how large it is are tested with the libraries that
decide it, in tests/rules/test_geojson.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.geodesy import (
    CoordinateOutOfRangeError,
    GeometryError,
    InvalidGeometryError,
    MalformedGeometryError,
    Measurement,
    NoAreaError,
    OverlappingPartsError,
    TooFewPositionsError,
    UnclosedRingError,
    UnsupportedGeometryError,
    polygons,
    show_position,
)
from lowcarbon.core.messages import Message


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    """A counter-clockwise ring."""
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(*rings: Sequence[Sequence[object]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def test_a_polygon_is_its_rings_of_float_positions() -> None:
    outer, hole = square(121.3, 31.1, 121.6, 31.4), square(121.4, 31.2, 121.5, 31.3)
    (rings,) = polygons(polygon(outer, hole))
    assert rings == (
        tuple((x, y) for x, y in outer),
        tuple((x, y) for x, y in hole),
    )
    assert all(isinstance(number, float) for ring in rings for p in ring for number in p)


def test_a_multipolygon_is_one_entry_per_polygon() -> None:
    first, second = square(121.4, 31.2, 121.5, 31.3), square(121.6, 31.2, 121.7, 31.25)
    parts = polygons({"type": "MultiPolygon", "coordinates": [[first], [second]]})
    assert [len(rings) for rings in parts] == [1, 1]
    assert parts[1][0][1] == (121.7, 31.2)


def test_numbers_may_be_ints_floats_or_decimals_and_altitude_is_dropped() -> None:
    as_ints = polygon(square(0, 0, 1, 1))
    as_decimals = polygon([[Decimal(x), Decimal(y), Decimal(4)] for x, y in square(0, 0, 1, 1)])
    as_floats = polygon([[float(x), float(y)] for x, y in square(0, 0, 1, 1)])
    assert polygons(as_ints) == polygons(as_decimals) == polygons(as_floats)
    tuples = {"type": "Polygon", "coordinates": (tuple(tuple(p) for p in square(0, 0, 1, 1)),)}
    assert polygons(tuples) == polygons(as_ints)


def test_a_ring_closed_in_longitude_and_latitude_but_not_altitude_is_closed() -> None:
    ring = [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 2]]
    assert polygons(polygon(ring))[0][0][0] == (0.0, 0.0)


def test_positions_are_shown_as_geojson_writes_them() -> None:
    assert show_position((121.4, 31.2)) == "[121.4, 31.2]"
    assert show_position((0.0, -3466000.0)) == "[0, -3466000]"


def test_a_measurement_is_a_value() -> None:
    figure = Measurement(area_km2=Decimal("4.227544"), perimeter_km=Decimal("8.248"))
    assert figure == Measurement(Decimal("4.227544"), Decimal("8.248"))
    with pytest.raises(AttributeError):
        figure.area_km2 = Decimal(0)  # type: ignore[misc]


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
        polygons(geometry)


def test_an_unclosed_ring_is_refused_saying_both_ends() -> None:
    with pytest.raises(UnclosedRingError) as caught:
        polygons(polygon([[0, 0], [1, 0], [1, 1], [0.5, 1]]))
    assert "starts at [0, 0] and ends at [0.5, 1]" in str(caught.value)
    assert caught.value.where == "coordinates[0]"
    assert caught.value.code == "geometry_unclosed_ring"


def test_a_ring_of_fewer_than_four_positions_is_refused() -> None:
    with pytest.raises(TooFewPositionsError, match="found 3") as caught:
        polygons({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 0]]]]})
    assert caught.value.where == "coordinates[0][0]"


@pytest.mark.parametrize(
    "position",
    [
        [181, 0],
        [-180.5, 0],
        [0, 90.1],
        [0, -91],
        [float("nan"), 0],
        [0, float("inf")],
        [0, 0, float("nan")],
    ],
)
def test_coordinates_out_of_range_are_refused(position: list[float]) -> None:
    ring: list[list[float]] = [[0, 0], [1, 0], position, [0, 0]]
    with pytest.raises(CoordinateOutOfRangeError, match=r"coordinates\[0\]\[2\]") as caught:
        polygons(polygon(ring))
    assert caught.value.where == "coordinates[0][2]"


def test_latitude_first_is_caught_when_out_of_range() -> None:
    with pytest.raises(CoordinateOutOfRangeError, match="longitude first"):
        polygons(polygon([[31.2, 121.4], [31.3, 121.4], [31.3, 121.5], [31.2, 121.4]]))


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Polygon", "coordinates": "0 0, 1 0"}, "is not an array"),
        ({"type": "Polygon", "coordinates": []}, "a polygon needs a ring"),
        ({"type": "MultiPolygon", "coordinates": []}, "a MultiPolygon needs a polygon"),
        ({"type": "MultiPolygon", "coordinates": None}, "None is not an array"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1], [0, 0]]]}, "a longitude"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, "1"], [0, 0]]]}, "not a number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, True], [0, 0]]]}, "not a number"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], 7, [0, 0]]]}, "is not an array"),
        ({"type": "MultiPolygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, "array"),
    ],
)
def test_malformed_coordinates_are_refused(geometry: dict[str, object], words: str) -> None:
    with pytest.raises(MalformedGeometryError, match=words):
        polygons(geometry)


def test_the_errors_of_measuring_say_what_and_where() -> None:
    overlap = OverlappingPartsError(1, 2, Decimal("3.3196"), "[121.45, 31.2]")
    assert overlap.parts == (1, 2)
    assert overlap.code == "geometry_overlapping_parts"
    assert "polygons 1 and 2 of the MultiPolygon overlap by 3.3196 km² (around [121.45, 31.2])" in (
        str(overlap)
    )
    assert "encloses no area" in str(NoAreaError())
    invalid = InvalidGeometryError(Message("ring {ring} crosses", {"ring": 1}), code="x")
    assert (str(invalid), invalid.code) == ("ring 1 crosses", "x")
    assert InvalidGeometryError(Message("?")).code == "geometry_invalid"
    for error in (overlap, NoAreaError(), invalid):
        assert isinstance(error, GeometryError)
        assert isinstance(error, LowcarbonError)
