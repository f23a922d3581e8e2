"""The boundary map (四至边界) drawn in the documents layer: valid SVG, the ring's points, a north
arrow and a scale bar whose length matches the drawing, every text escaped."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from lowcarbon.documents.charts import png
from lowcarbon.documents.maps import HEIGHT, WIDTH, boundary_svg, rings

SVG = "{http://www.w3.org/2000/svg}"
# A square of 0.02° × 0.02° in Xuhui, and a pentagon with a hole.
SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]
OUTER = [[121.40, 31.17], [121.43, 31.17], [121.44, 31.18], [121.42, 31.20], [121.40, 31.19]]
HOLE = [[121.41, 31.175], [121.42, 31.175], [121.42, 31.185], [121.41, 31.175]]
ZH = {"N": "北", "{length} km": "{length}千米", "{length} m": "{length}米"}
M_PER_DEGREE = math.pi * 6_371_007.181 / 180


def chinese(text: str) -> str:
    return ZH.get(text, text)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def points_of(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path's ``d`` (M x,y L x,y … Z per ring)."""
    return [
        [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", ring)]
        for ring in d.split("Z")
        if ring.strip()
    ]


def test_the_map_is_svg_with_the_ring_a_north_arrow_and_a_scale_bar() -> None:
    root = parse(boundary_svg({"type": "Polygon", "coordinates": [SQUARE]}, chinese))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert root.findtext(f"{SVG}title") == "Boundary map"
    path = root.find(f"{SVG}path[@class='boundary']")
    assert path is not None
    drawn = points_of(path.get("d", ""))
    assert len(drawn) == 1
    assert len(drawn[0]) == len(SQUARE)
    # Inside the frame, and a square stays a square (cos φ scaling of longitudes is not
    # applied to latitudes: 0.02° of longitude is shorter than 0.02° of latitude).
    xs = [x for x, _ in drawn[0]]
    ys = [y for _, y in drawn[0]]
    assert 0 < min(xs) < max(xs) < WIDTH
    assert 0 < min(ys) < max(ys) < HEIGHT
    width_px, height_px = max(xs) - min(xs), max(ys) - min(ys)
    assert width_px / height_px == pytest.approx(math.cos(math.radians(31.18)), rel=0.01)
    arrow = root.find(f"{SVG}g[@class='north-arrow']")
    assert arrow is not None
    assert arrow.findtext(f"{SVG}text") == "北"
    bar = root.find(f"{SVG}g[@class='scale-bar']")
    assert bar is not None
    label = bar.findtext(f"{SVG}text") or ""
    match = re.fullmatch(r"([\d.]+)(千米|米)", label)
    assert match, label
    metres = float(match[1]) * (1000 if match[2] == "千米" else 1)
    bar_path = bar.find(f"{SVG}path")
    assert bar_path is not None
    bar_px = float(re.search(r"h([\d.]+)", bar_path.get("d", ""))[1])  # type: ignore[index]
    # The bar is as long on the map as its label says: same metres per pixel as the square.
    square_m = 0.02 * M_PER_DEGREE
    assert metres / bar_px == pytest.approx(square_m / height_px, rel=0.01)
    corners = [t.text for t in root.iter(f"{SVG}text")]
    assert {"31.19000°N", "121.40000°E", "31.17000°N", "121.42000°E"} <= set(corners)


def test_holes_and_multipolygons_are_drawn_ring_by_ring() -> None:
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [[[*OUTER, OUTER[0]], HOLE], [SQUARE]],
    }
    path = parse(boundary_svg(geometry, chinese)).find(f"{SVG}path[@class='boundary']")
    assert path is not None
    assert path.get("fill-rule") == "evenodd"  # the hole stays a hole
    assert [len(ring) for ring in points_of(path.get("d", ""))] == [6, 4, 5]


def test_every_text_is_escaped() -> None:
    def hostile(text: str) -> str:
        return "<script>alert(1)</script>" if text == "N" else text + '"&'

    svg = boundary_svg(
        {"type": "Polygon", "coordinates": [SQUARE]}, hostile, title='<b>边界</b>" onload="x'
    )
    root = parse(svg)
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert root.findtext(f"{SVG}title") == '<b>边界</b>" onload="x'
    assert root.get("aria-label") == '<b>边界</b>" onload="x'
    assert root.get("onload") is None
    arrow = root.find(f"{SVG}g[@class='north-arrow']")
    assert arrow is not None
    assert arrow.findtext(f"{SVG}text") == "<script>alert(1)</script>"


def test_a_small_site_gets_a_scale_in_metres_and_a_large_one_in_kilometres() -> None:
    small = [[121.400, 31.170], [121.402, 31.170], [121.402, 31.172], [121.400, 31.170]]
    text = parse(boundary_svg({"type": "Polygon", "coordinates": [small]}, chinese))
    assert re.fullmatch(r"\d+米", text.find(f".//{SVG}g[@class='scale-bar']/{SVG}text").text or "")  # type: ignore[union-attr]
    large = [[121.0, 31.0], [121.5, 31.0], [121.5, 31.4], [121.0, 31.0]]
    text = parse(boundary_svg({"type": "Polygon", "coordinates": [large]}, chinese))
    assert re.fullmatch(
        r"\d+千米", text.find(f".//{SVG}g[@class='scale-bar']/{SVG}text").text or ""
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [121.4, 31.2]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "Polygon", "coordinates": [[[121.4], [121.5, 31.2]]]},
        {"type": "Polygon", "coordinates": [[["东", 31.2]]]},
        {"type": "Polygon", "coordinates": [[[float("nan"), 31.2], [121.5, 31.2]]]},
        {"type": "Polygon", "coordinates": "121.4,31.2"},
        {"type": "Polygon"},
    ],
)
def test_a_geometry_that_cannot_be_drawn_is_a_value_error(geometry: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="cannot draw the boundary"):
        rings(geometry)
    with pytest.raises(ValueError, match="cannot draw the boundary"):
        boundary_svg(geometry, chinese)


def test_the_map_renders_to_png() -> None:
    image = png(boundary_svg({"type": "Polygon", "coordinates": [SQUARE]}, chinese), width=480)
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(image[16:20], "big") == 480
    assert int.from_bytes(image[20:24], "big") == 360
