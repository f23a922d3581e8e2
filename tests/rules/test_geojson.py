"""Reading a boundary from GeoJSON (四至边界, 附件2 一): what is accepted and what is refused."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from lowcarbon.rules import geojson
from lowcarbon.rules.geojson import SHANGHAI, GeoJsonError, Region, parse_boundary

# A square of 0.02° × 0.02° in Xuhui (121.40–121.42 E, 31.17–31.19 N): about 4.23 km².
SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]
HOLE = [[121.405, 31.175], [121.41, 31.175], [121.41, 31.18], [121.405, 31.18], [121.405, 31.175]]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def refused(content: Any, code: str, **kwargs: Any) -> str:
    text = content if isinstance(content, str | bytes) else json.dumps(content)
    with pytest.raises(GeoJsonError) as caught:
        parse_boundary(text, **kwargs)
    assert caught.value.code == code
    return str(caught.value)


def test_a_bare_polygon_gives_geometry_area_and_box() -> None:
    boundary = parse_boundary(json.dumps(polygon(SQUARE)))
    assert boundary.geometry == {"type": "Polygon", "coordinates": [SQUARE]}
    assert abs(boundary.area_km2 - Decimal("4.2313")) < Decimal("0.001")
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
    assert boundary.area_km2 < Decimal("4.2313")


def test_a_multipolygon_in_a_feature() -> None:
    east = [[x + 0.05, y] for x, y in SQUARE]
    content = {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE], [east]]},
    }
    boundary = parse_boundary(json.dumps(content))
    assert abs(boundary.area_km2 - Decimal("8.4626")) < Decimal("0.002")
    assert boundary.east == pytest.approx(121.47)


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
            "geojson_self_intersection",
            "crosses itself",
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


def test_a_degenerate_polygon_has_no_area() -> None:
    # A ring that goes out and back along one line: the edges overlap, which is refused as
    # crossing; above the self-intersection limit only the area tells.
    line = [[121.40, 31.17], [121.41, 31.17], [121.40, 31.17], [121.41, 31.17], [121.40, 31.17]]
    assert "crosses itself" in refused(polygon(line), "geojson_self_intersection")


def test_the_area_check_applies_where_the_crossing_check_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(geojson, "SELF_INTERSECTION_LIMIT", 3)
    line = [[121.40, 31.17], [121.41, 31.17], [121.40, 31.17], [121.41, 31.17], [121.40, 31.17]]
    assert "encloses no area" in refused(polygon(line), "geojson_no_area")


def test_size_and_position_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geojson, "MAX_BYTES", 50)
    assert "at most 50 bytes" in refused(polygon(SQUARE), "geojson_too_large")
    assert "at most 50 bytes" in refused(json.dumps(polygon(SQUARE)).encode(), "geojson_too_large")
    monkeypatch.setattr(geojson, "MAX_BYTES", 10_000)
    monkeypatch.setattr(geojson, "MAX_POSITIONS", 4)
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
