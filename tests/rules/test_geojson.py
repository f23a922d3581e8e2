"""Reading a boundary from GeoJSON (四至边界, 附件2 一): what is accepted and what is refused,
and its geodesic area and perimeter on the WGS84 ellipsoid, checked against independent
computations:

* the exact area of a longitude/latitude cell on the ellipsoid (the authalic-latitude formula),
  for the 1°×1° cell at the equator and a 0.1° square at Shanghai;
* an octant, exactly an eighth of the ellipsoid's surface;
* the figures of the platform's earlier computation on the authalic sphere, which agree at
  Shanghai's latitude to 0.1 % (the sphere is 0.09 % generous there).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lowcarbon.core.geodesy import (
    GeometryError,
    InvalidGeometryError,
    NoAreaError,
    OverlappingPartsError,
)
from lowcarbon.rules import geojson
from lowcarbon.rules.geojson import (
    MAX_DEPTH,
    SHANGHAI,
    GeoJsonError,
    Region,
    coordinates,
    measure,
    measuring,
    parse_boundary,
    reading,
)
from lowcarbon.rules.json_safety import json_nesting_depth

# A square of 0.02° × 0.02° in Xuhui (121.40–121.42 E, 31.17–31.19 N): about 4.23 km².
SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]
HOLE = [[121.405, 31.175], [121.41, 31.175], [121.41, 31.18], [121.405, 31.18], [121.405, 31.175]]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def multipolygon(*polygons: list[list[list[float]]]) -> dict[str, Any]:
    return {"type": "MultiPolygon", "coordinates": list(polygons)}


def shifted(ring: list[list[float]], east: float = 0, north: float = 0) -> list[list[float]]:
    return [[round(x + east, 7), round(y + north, 7)] for x, y in ring]


def circle(count: int, radius: float = 0.01) -> list[list[float]]:
    """A closed ring of ``count`` positions round People's Square: about 3.32 km²."""
    ring = [
        [
            round(121.45 + radius * math.cos(2 * math.pi * k / (count - 1)), 7),
            round(31.2 + radius * math.sin(2 * math.pi * k / (count - 1)), 7),
        ]
        for k in range(count - 1)
    ]
    return [*ring, ring[0]]


def refused(content: Any, code: str, **kwargs: Any) -> str:
    text = content if isinstance(content, str | bytes) else json.dumps(content)
    with pytest.raises(GeoJsonError) as caught:
        parse_boundary(text, **kwargs)
    assert caught.value.code == code
    return str(caught.value)


def test_a_bare_polygon_gives_geometry_area_and_box() -> None:
    boundary = parse_boundary(json.dumps(polygon(SQUARE)))
    assert boundary.geometry == {"type": "Polygon", "coordinates": [SQUARE]}
    assert boundary.area_km2 == Decimal("4.227544")
    # Two parallels of 0.02° (1.904 km each at 31.17°/31.19°) and two meridians of 2.218 km.
    assert boundary.perimeter_km == Decimal("8.248")
    assert (boundary.west, boundary.south, boundary.east, boundary.north) == (
        121.40,
        31.17,
        121.42,
        31.19,
    )
    assert boundary.position_count == 5


def test_a_feature_collection_of_one_feature_with_a_hole_and_altitudes() -> None:
    with_z = [[*position, 4.5] for position in SQUARE]
    content = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {"type": "Feature", "properties": {}, "geometry": polygon(with_z, HOLE)},
        ],
    }
    boundary = parse_boundary(("\ufeff" + json.dumps(content)).encode("utf-8"))
    assert boundary.geometry["coordinates"][0] == SQUARE  # altitude dropped
    # The hole (0.005° × 0.005°) is 1/16 of the square; the perimeter is the outer ring's.
    assert boundary.area_km2 == Decimal("4.227544") - Decimal("0.264228")
    assert boundary.perimeter_km == Decimal("8.248")


def test_a_multipolygon_in_a_feature() -> None:
    east = [[x + 0.05, y] for x, y in SQUARE]
    content = {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE], [east]]},
    }
    boundary = parse_boundary(json.dumps(content))
    assert boundary.area_km2 == 2 * Decimal("4.227544")
    assert boundary.perimeter_km == 2 * Decimal("8.248")
    assert boundary.east == pytest.approx(121.47)
    assert boundary.geometry == {"type": "MultiPolygon", "coordinates": [[SQUARE], [east]]}


def test_without_a_region_anywhere_on_earth_is_accepted() -> None:
    paris = [[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]
    assert parse_boundary(json.dumps(polygon(paris)), region=None).area_km2 > 0


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ("", "geojson_empty", "empty"),
        ('{\n  "type": "Polygon",\n  coordinates', "geojson_syntax", "line 3, column 3"),
        ('{"type": "Polygon", "coordinates": [[[NaN, 1]]]}', "geojson_syntax", "NaN"),
        (b"\xff\xfe{}", "geojson_encoding", "byte 1"),
        ([], "geojson_type", "found list"),
        ({"type": "Point", "coordinates": [121.4, 31.2]}, "geojson_type", "found Point"),
        ({"type": "Feature", "geometry": None}, "geojson_type", "found null"),
        ({"foo": 1}, "geojson_type", "an object without a type"),
        ({"type": "FeatureCollection", "features": []}, "geojson_feature_count", "holds 0"),
        ({"type": "FeatureCollection"}, "geojson_feature_count", "holds 0"),
        (
            {"type": "FeatureCollection", "features": [polygon(SQUARE), polygon(SQUARE)]},
            "geojson_feature_count",
            "holds 2",
        ),
        (
            {
                "type": "Feature",
                "crs": {"type": "name", "properties": {"name": "EPSG:4547"}},
                "geometry": polygon(SQUARE),
            },
            "geojson_projected",
            "EPSG:4547",
        ),
        ({**polygon(SQUARE), "crs": "EPSG:3857"}, "geojson_projected", "EPSG:3857"),
        (
            polygon([[3466000, 350000], [3467000, 350000], [3467000, 351000], [3466000, 350000]]),
            "geojson_projected",
            "projected",
        ),
        (
            polygon([[y, x] for x, y in SQUARE]),
            "geojson_swapped",
            "latitude first",
        ),
        (
            polygon([[121.4, 31.17], [121.42, 31.17], [200, 31.19], [121.4, 31.17]]),
            "geometry_out_of_range",
            "[-180, 180]",
        ),
        (polygon(SQUARE[:-1]), "geometry_unclosed_ring", "must end where it starts"),
        (polygon(SQUARE[:2] + SQUARE[:1]), "geometry_too_few_positions", "at least 4"),
        (
            polygon(
                [[121.40, 31.17], [121.42, 31.19], [121.42, 31.17], [121.40, 31.19], SQUARE[0]]
            ),
            "geometry_self_intersection",
            "crosses itself at [121.41, 31.18]",
        ),
        ({"type": "Polygon", "coordinates": "none"}, "geometry_malformed", "not an array"),
        (
            polygon([[116.3, 39.9], [116.4, 39.9], [116.4, 40.0], [116.3, 39.9]]),
            "geojson_outside_region",
            "outside 上海市",
        ),
    ],
)
def test_bad_files_are_refused_saying_what_is_wrong(content: Any, code: str, words: str) -> None:
    assert words in refused(content, code)


def test_latitude_first_within_range_is_recognised_by_the_region() -> None:
    # Swapped pairs that are still in range ([31.2, 121.4] is not: 121.4 > 90) only show up
    # against the region: a box in the sea off Somalia is Shanghai swapped.
    swapped = Region("test", 30.0, 60.0, 32.0, 80.0)
    shanghai_like = [[y, x] for x, y in [[31.17, 61.40], [31.17, 61.42], [31.19, 61.42]]]
    content = polygon([*shanghai_like, shanghai_like[0]])
    assert "latitude first" in refused(content, "geojson_swapped", region=swapped)


def test_a_degenerate_polygon_is_refused_as_crossing_itself() -> None:
    # A ring that goes out and back along one line: its edges overlap.
    line = [[121.40, 31.17], [121.41, 31.17], [121.40, 31.17], [121.41, 31.17], [121.40, 31.17]]
    assert "crosses itself at [121.41, 31.17]" in refused(
        polygon(line), "geometry_self_intersection"
    )


def test_a_polygon_of_less_than_a_square_metre_has_no_area() -> None:
    # Valid, but 1 cm on a side: the area is measured to the square metre.
    speck = [[121.4, 31.17], [121.4000001, 31.17], [121.4, 31.1700001], [121.4, 31.17]]
    assert "encloses no area" in refused(polygon(speck), "geometry_no_area")


def test_size_and_position_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_BYTES", 50)
    assert "at most 50 bytes" in refused(polygon(SQUARE), "geojson_too_large")
    assert "at most 50 bytes" in refused(json.dumps(polygon(SQUARE)).encode(), "geojson_too_large")
    monkeypatch.setattr(reading, "MAX_BYTES", 10_000)
    monkeypatch.setattr(coordinates, "MAX_POSITIONS", 4)
    assert "at most 4" in refused(polygon(SQUARE), "geojson_too_many_positions")


def test_shanghai_region_covers_the_city() -> None:
    # People's Square, Chongming's east tip (121.98 E, 31.5 N) and Jinshan (121.16 E, 30.72 N).
    for lon, lat in [(121.47, 31.23), (121.98, 31.5), (121.16, 30.72)]:
        assert SHANGHAI.contains(lon, lat, lon, lat)
    assert not SHANGHAI.contains(116.4, 39.9, 116.4, 39.9)


def test_exported_members_exist() -> None:
    for name in geojson.__all__:
        assert hasattr(geojson, name)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"type": "Polygon", "coordinates": }', "a value was expected"),
        ('{"type": "Polygon" "coordinates": []}', "a comma was expected"),
        ('{type: "Polygon"}', "a key in double quotes was expected"),
        ('{"type": "Polygon}', "a text is not closed with a quote"),
        ('{"type": "Polygon"} x', "there is more after the end of the JSON"),
    ],
)
def test_json_syntax_problems_are_said_in_the_users_words(text: str, said: str) -> None:
    with pytest.raises(GeoJsonError) as caught:
        parse_boundary(text)
    assert said in caught.value.message.render()


# ---------------------------------------------------------------------------------------------
# Valid areas: what GEOS finds wrong, said with where it is


def test_a_self_intersecting_ring_of_2500_positions_is_refused_saying_where() -> None:
    ring = circle(2500)
    # Swapping two positions far apart makes the outline cross itself near them.
    ring[1], ring[1250] = ring[1250], ring[1]
    message = refused(polygon(ring), "geometry_self_intersection")
    assert message.startswith("ring 1 of polygon 1 crosses itself at [121.4")
    assert "redraw the boundary" in message


def test_a_valid_ring_of_5000_positions_is_accepted() -> None:
    boundary = parse_boundary(json.dumps(polygon(circle(5000))))
    assert boundary.position_count == 5000
    # πr² on the ellipsoid at 31.2° N for r = 0.01°: 3.3196 km² (the sphere said 3.3226).
    assert boundary.area_km2 == pytest.approx(Decimal("3.3196"), abs=Decimal("0.0001"))
    assert abs(boundary.area_km2 - Decimal("3.3226")) / Decimal("3.3226") < Decimal("0.001")


HOLE_EAST = shifted(HOLE, east=0.013)  # straddles the square's east side


@pytest.mark.parametrize(
    ("rings", "code", "words"),
    [
        (
            # Out to [121.43, 31.19] and back: the ring passes [121.42, 31.19] twice.
            [[SQUARE[0], SQUARE[1], SQUARE[2], [121.43, 31.19], SQUARE[2], SQUARE[3], SQUARE[0]]],
            "geometry_self_intersection",
            "ring 1 of polygon 1 touches itself at [121.42, 31.19]",
        ),
        (
            [SQUARE, HOLE, shifted(HOLE, 0.007, 0.007)[::-1], [*SQUARE[:2], SQUARE[0], SQUARE[0]]],
            "geometry_too_few_positions",
            "ring 4 of polygon 1 has fewer than 3 different positions (at [121.4, 31.17])",
        ),
        (
            [SQUARE, HOLE_EAST],
            "geometry_rings_cross",
            "the rings of polygon 1 cross each other at [121.42, 31.18]",
        ),
        (
            [SQUARE, shifted(HOLE, east=0.05)],
            "geometry_hole_outside",
            "a hole of polygon 1 lies outside its outer ring (at [121.455, 31.175])",
        ),
        (
            [
                SQUARE,
                HOLE,
                [[121.406, 31.176], [121.407, 31.176], [121.407, 31.177], [121.406, 31.176]],
            ],
            "geometry_nested_holes",
            "a hole of polygon 1 lies inside another hole",
        ),
        (
            # A diamond touching the square's four sides cuts it into four corners.
            [
                SQUARE,
                [
                    [121.41, 31.17],
                    [121.42, 31.18],
                    [121.41, 31.19],
                    [121.40, 31.18],
                    [121.41, 31.17],
                ],
            ],
            "geometry_disconnected",
            "the holes of polygon 1 cut its area in pieces (at [121.41, 31.17])",
        ),
    ],
    ids=["touches itself", "too few", "rings cross", "hole outside", "nested holes", "pieces"],
)
def test_polygons_that_are_not_one_valid_area_are_refused_saying_where(
    rings: list[list[list[float]]], code: str, words: str
) -> None:
    assert words in refused(polygon(*rings), code)


def test_the_second_polygon_of_a_multipolygon_is_named() -> None:
    bowtie = [[121.45, 31.17], [121.47, 31.19], [121.47, 31.17], [121.45, 31.19], [121.45, 31.17]]
    message = refused(multipolygon([SQUARE], [bowtie]), "geometry_self_intersection")
    assert message.startswith("ring 1 of polygon 2 crosses itself at [121.46, 31.18]")


def test_a_hole_touching_its_outer_ring_at_one_point_is_valid() -> None:
    notch = [[121.40, 31.18], [121.41, 31.175], [121.41, 31.185], [121.40, 31.18]]
    assert parse_boundary(json.dumps(polygon(SQUARE, notch))).area_km2 < Decimal("4.227544")


def test_a_reason_geos_gives_that_is_not_listed_is_still_said_in_the_users_words() -> None:
    # GEOS's other reasons (an invalid coordinate, an unclosed ring) cannot reach this far:
    # the coordinates are checked before; a future GEOS may add reasons.
    problem = measuring._problem("Something new[121.4 31.2]", {}, polygon=2)
    assert problem.code == "geometry_invalid"
    assert str(problem).startswith("polygon 2 is not a valid area at [121.4, 31.2]")
    assert "at ?;" in str(measuring._problem("Something without a place", {}, polygon=1))


# ---------------------------------------------------------------------------------------------
# MultiPolygons: one area, so parts may be apart or touch, never overlap


@pytest.mark.parametrize(
    ("second", "overlap"),
    [
        (SQUARE, "4.227544"),  # the same part twice: 8.46 km² by a plain sum
        (HOLE, "0.264228"),  # one part inside the other
        (shifted(SQUARE, east=0.01), "2.113772"),  # half of each
    ],
    ids=["twice", "inside", "half"],
)
def test_overlapping_parts_are_refused_with_the_area_they_share(
    second: list[list[float]], overlap: str
) -> None:
    message = refused(multipolygon([SQUARE], [second]), "geometry_overlapping_parts")
    assert f"polygons 1 and 2 of the MultiPolygon overlap by {overlap} km² (around [121.4" in (
        message
    )


def test_an_overlapping_circle_drawn_twice_is_refused_not_doubled() -> None:
    # The probe of the hardening review: 6.63 km² for a 3.32 km² circle drawn twice.
    ring = circle(400)
    message = refused(multipolygon([ring], [ring[::-1]]), "geometry_overlapping_parts")
    assert "overlap by 3.31" in message


def test_parts_that_touch_are_measured_as_their_union() -> None:
    along_an_edge = parse_boundary(json.dumps(multipolygon([SQUARE], [shifted(SQUARE, east=0.02)])))
    at_a_corner = parse_boundary(
        json.dumps(multipolygon([SQUARE], [shifted(SQUARE, east=0.02, north=0.02)]))
    )
    assert along_an_edge.area_km2 == pytest.approx(2 * Decimal("4.227544"), abs=Decimal("2e-6"))
    # The shared edge (2.218 km) is inside the area, not on its perimeter.
    assert along_an_edge.perimeter_km == Decimal("12.061")
    assert at_a_corner.perimeter_km == pytest.approx(2 * Decimal("8.248"), abs=Decimal("0.002"))


def test_parts_three_apart_are_checked_pairwise() -> None:
    far = shifted(SQUARE, east=0.1)
    accepted = parse_boundary(json.dumps(multipolygon([SQUARE], [far], [shifted(SQUARE, 0.05)])))
    assert accepted.area_km2 == pytest.approx(3 * Decimal("4.227544"), abs=Decimal("2e-6"))
    message = refused(
        multipolygon([SQUARE], [far], [shifted(far, north=0.005)]), "geometry_overlapping_parts"
    )
    assert "polygons 2 and 3" in message


# ---------------------------------------------------------------------------------------------
# Nesting: bounded before the parser recurses


def test_json_nested_10000_deep_is_refused_before_parsing() -> None:
    message = refused("[" * 10_000 + "]" * 10_000, "geojson_too_deep")
    assert message == (
        f"arrays and objects are nested 10000 levels deep in the file; a boundary needs at "
        f"most {MAX_DEPTH} (a MultiPolygon in a FeatureCollection has 8)"
    )
    unclosed = '{"type": "Polygon", "coordinates": ' + "[" * 100_000
    assert "nested 100001 levels" in refused(unclosed, "geojson_too_deep")


def test_a_multipolygon_in_a_feature_collection_is_well_within_the_depth() -> None:
    content = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": multipolygon([SQUARE])}],
    }
    text = json.dumps(content)
    assert json_nesting_depth(text) == 8
    assert parse_boundary(text).area_km2 == Decimal("4.227544")


def test_the_depth_limit_is_exact_and_brackets_in_text_do_not_count() -> None:
    def feature(properties: object) -> str:
        return json.dumps(
            {"type": "Feature", "properties": properties, "geometry": polygon(SQUARE)}
        )

    nested: object = "]]]}{[[[ \\" + '" [['
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    assert json_nesting_depth(feature(nested)) == MAX_DEPTH
    assert parse_boundary(feature(nested)).area_km2 == Decimal("4.227544")
    assert f"nested {MAX_DEPTH + 1} levels" in refused(feature([nested]), "geojson_too_deep")
    # A text that is never closed: everything after its quote is text.
    assert json_nesting_depth('{"a": "[[[[') == 1
    assert "not closed with a quote" in refused('{"a": "[[[[', "geojson_syntax")
    assert json_nesting_depth("") == 0


# ---------------------------------------------------------------------------------------------
# The geodesic area against independent computations

WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563


def ellipsoid_cell_km2(west: float, south: float, east: float, north: float) -> float:
    """A longitude/latitude cell on the WGS84 ellipsoid: Δλ · b²/2 · [q(φ)] with
    q(φ) = sin φ / (1 − e² sin² φ) + ln((1 + e sin φ) / (1 − e sin φ)) / (2e)."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b = WGS84_A * (1 - WGS84_F)

    def q(latitude: float) -> float:
        s = math.sin(math.radians(latitude))
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return math.radians(east - west) * b * b / 2 * (q(north) - q(south)) / 1e6


def square(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def relative(a: Decimal, b: float) -> float:
    return abs(float(a) - b) / b


def test_a_one_degree_cell_at_the_equator() -> None:
    area = measure(polygon(square(0, 0, 1, 1))).area_km2
    assert round(area) == 12309
    # Geodesic edges: the top edge bulges north of the parallel over 111 km.
    assert relative(area, ellipsoid_cell_km2(0, 0, 1, 1)) < 3e-5


def test_a_small_square_near_shanghai_and_the_earlier_sphere() -> None:
    area = measure(polygon(square(121.4, 31.2, 121.5, 31.3))).area_km2
    assert relative(area, ellipsoid_cell_km2(121.4, 31.2, 121.5, 31.3)) < 1e-7
    # The authalic sphere the platform used before gave 105.70 km²; 4.2313 km² for SQUARE.
    assert relative(area, 105.70) < 1e-3
    assert relative(measure(polygon(SQUARE)).area_km2, 4.2313) < 1e-3


def test_an_octant_is_an_eighth_of_the_ellipsoid() -> None:
    e = math.sqrt(WGS84_F * (2 - WGS84_F))
    b = WGS84_A * (1 - WGS84_F)
    surface_km2 = (
        2 * math.pi * WGS84_A**2 + math.pi * b * b / e * math.log((1 + e) / (1 - e))
    ) / 1e6
    area = measure(polygon([[0, 0], [90, 0], [0, 90], [0, 0]])).area_km2
    assert relative(area, surface_km2 / 8) < 1e-9


def test_holes_are_subtracted_whichever_way_the_rings_turn() -> None:
    outer, hole = square(121.3, 31.1, 121.6, 31.4), square(121.4, 31.2, 121.5, 31.3)
    expected = ellipsoid_cell_km2(121.3, 31.1, 121.6, 31.4) - ellipsoid_cell_km2(
        121.4, 31.2, 121.5, 31.3
    )
    areas = {
        measure(polygon(o, h)).area_km2 for o in (outer, outer[::-1]) for h in (hole, hole[::-1])
    }
    assert len(areas) == 1
    assert relative(areas.pop(), expected) < 1e-6


def test_measure_refuses_what_parse_boundary_refuses_with_the_geometry_errors() -> None:
    with pytest.raises(InvalidGeometryError, match="crosses itself"):
        measure(polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]))
    with pytest.raises(OverlappingPartsError):
        measure(multipolygon([square(0, 0, 1, 1)], [square(0.5, 0, 1.5, 1)]))
    with pytest.raises(NoAreaError):
        measure(polygon([[0, 0], [1e-7, 0], [0, 1e-7], [0, 0]]))
    with pytest.raises(GeometryError, match="not an array"):
        measure({"type": "Polygon", "coordinates": 3})


@st.composite
def convex_rings(draw: st.DrawFn) -> list[list[float]]:
    """A convex ring: positions on a circle round a point in Shanghai, in the order of their
    angles (in half degrees), surrounding the centre (no gap between angles of 180° or more)."""
    lon = draw(st.floats(121.0, 121.9))
    lat = draw(st.floats(30.8, 31.8))
    radius = draw(st.floats(0.002, 0.05))
    steps = sorted(draw(st.lists(st.integers(0, 719), min_size=3, max_size=80, unique=True)))
    gaps = [b - a for a, b in zip(steps, [*steps[1:], steps[0] + 720], strict=True)]
    assume(max(gaps) < 360)
    ring = [
        [lon + radius * math.cos(math.radians(s / 2)), lat + radius * math.sin(math.radians(s / 2))]
        for s in steps
    ]
    return [*ring, ring[0]]


@given(ring=convex_rings(), start=st.integers(0, 79))
def test_a_convex_polygon_is_valid_and_its_area_does_not_depend_on_where_or_which_way_the_ring_runs(
    ring: list[list[float]], start: int
) -> None:
    area = measure(polygon(ring)).area_km2
    assert area > 0
    open_ring = ring[:-1]
    k = start % len(open_ring)
    rotated = [*open_ring[k:], *open_ring[:k]]
    for other in (rotated, open_ring[::-1], rotated[::-1]):
        # Equal to the square metre the areas are given to (the sums run in another order).
        assert abs(measure(polygon([*other, other[0]])).area_km2 - area) <= Decimal("0.000001")
