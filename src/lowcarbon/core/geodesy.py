"""A boundary polygon (四至边界, 附件2 一) as typed rings, the figures measured on it, and the
ways it can be wrong.

This is the pure half of the geometry. :func:`polygons` reads a GeoJSON Polygon's or
MultiPolygon's ``coordinates`` into rings of ``(longitude, latitude)`` floats, refusing what
GeoJSON does not allow (RFC 7946 §3.1.6: a ring is closed and has at least four positions; a
position is numbers, longitude first, within range), each refusal naming where it is
(``coordinates[0][2]``). Whether the rings bound a valid area, and how large it is, is decided
by :mod:`lowcarbon.rules.geojson` with the libraries made for it (GEOS through shapely for
validity, GeographicLib through pyproj for the geodesic area on the WGS84 ellipsoid); it
raises the errors defined here, so every reader of a boundary (the plan editor, accounting
files) reports a problem the same way, and returns a :class:`Measurement`.

::

    LowcarbonError (core)
    └── GeometryError                    the geometry cannot be measured as given
        ├── UnsupportedGeometryError     not a GeoJSON Polygon or MultiPolygon
        ├── MalformedGeometryError       coordinates not shaped as GeoJSON says
        ├── TooFewPositionsError         a ring of fewer than 4 positions
        ├── UnclosedRingError            a ring whose last position is not its first
        ├── CoordinateOutOfRangeError    longitude outside ±180 or latitude outside ±90
        ├── InvalidGeometryError         rings that cross or touch, holes outside… (and where)
        ├── OverlappingPartsError        two polygons of a MultiPolygon that overlap
        └── NoAreaError                  a valid polygon of less than a square metre
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import LowcarbonError
from .messages import Message, gettext_noop

__all__ = [
    "CoordinateOutOfRangeError",
    "GeometryError",
    "InvalidGeometryError",
    "MalformedGeometryError",
    "Measurement",
    "NoAreaError",
    "OverlappingPartsError",
    "Position",
    "Ring",
    "Rings",
    "TooFewPositionsError",
    "UnclosedRingError",
    "UnsupportedGeometryError",
    "polygons",
    "show_position",
]

#: ``(longitude, latitude)`` in degrees, WGS 84.
Position = tuple[float, float]
#: A closed ring: the last position repeats the first.
Ring = tuple[Position, ...]
#: One polygon: its exterior ring, then its holes.
Rings = tuple[Ring, ...]


@dataclass(frozen=True)
class Measurement:
    """The geodesic figures of a boundary on the WGS84 ellipsoid.

    ``area_km2`` is the area enclosed (holes subtracted) to the square metre;
    ``perimeter_km`` is the length of the outer rings, to the metre."""

    area_km2: Decimal
    perimeter_km: Decimal


class GeometryError(LowcarbonError):
    code = "geometry"


class UnsupportedGeometryError(GeometryError):
    code = "geometry_type"

    def __init__(self, found: object) -> None:
        super().__init__(
            Message(
                gettext_noop("a boundary must be a GeoJSON Polygon or MultiPolygon, not {found}"),
                {"found": str(found)},
            )
        )


class MalformedGeometryError(GeometryError):
    code = "geometry_malformed"

    def __init__(self, where: str, problem: Message) -> None:
        self.where = where
        super().__init__(
            Message(gettext_noop("{where}: {problem}"), {"where": where, "problem": problem})
        )


class TooFewPositionsError(GeometryError):
    code = "geometry_too_few_positions"

    def __init__(self, where: str, count: int) -> None:
        self.where = where
        super().__init__(
            Message(
                gettext_noop(
                    "{where}: a ring needs at least 4 positions (the last repeating the first), "
                    "found {count}"
                ),
                {"where": where, "count": count},
            )
        )


class UnclosedRingError(GeometryError):
    code = "geometry_unclosed_ring"

    def __init__(self, where: str, first: str, last: str) -> None:
        self.where = where
        super().__init__(
            Message(
                gettext_noop(
                    "{where}: a ring must end where it starts; it starts at {first} and ends "
                    "at {last}"
                ),
                {"where": where, "first": first, "last": last},
            )
        )


class CoordinateOutOfRangeError(GeometryError):
    code = "geometry_out_of_range"

    def __init__(self, where: str, position: object) -> None:
        self.where = where
        super().__init__(
            Message(
                gettext_noop(
                    "{where}: {position} is not a longitude in [-180, 180] and a latitude in "
                    "[-90, 90] (GeoJSON writes longitude first)"
                ),
                {"where": where, "position": str(position)},
            )
        )


class InvalidGeometryError(GeometryError):
    """Rings that do not bound an area as drawn: ``message`` says what and where, ``code``
    which kind of problem (``geometry_self_intersection``, ``geometry_hole_outside``…)."""

    code = "geometry_invalid"


class OverlappingPartsError(GeometryError):
    code = "geometry_overlapping_parts"

    def __init__(self, first: int, second: int, area_km2: Decimal, point: str) -> None:
        self.parts = (first, second)
        super().__init__(
            Message(
                gettext_noop(
                    "polygons {first} and {second} of the MultiPolygon overlap by {area} km² "
                    "(around {point}); a boundary is one area: remove the overlap or join the "
                    "two polygons into one"
                ),
                {"first": first, "second": second, "area": area_km2, "point": point},
            )
        )


class NoAreaError(GeometryError):
    code = "geometry_no_area"

    def __init__(self) -> None:
        super().__init__(
            Message(
                gettext_noop(
                    "the polygon encloses no area (less than the square metre areas are "
                    "measured to)"
                )
            )
        )


def show_position(position: Sequence[float]) -> str:
    """A position as GeoJSON writes it: ``[121.4, 31.2]``, ``[0, 0]``."""
    return "[" + ", ".join(_show_number(number) for number in position) + "]"


def _show_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise MalformedGeometryError(
            where, Message(gettext_noop("{value} is not a number"), {"value": repr(value)})
        )
    return float(value)


def _sequence(value: object, where: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise MalformedGeometryError(
            where, Message(gettext_noop("{value} is not an array"), {"value": repr(value)})
        )
    return value


def _position(value: object, where: str) -> Position:
    numbers = _sequence(value, where)
    if len(numbers) < 2:
        raise MalformedGeometryError(
            where,
            Message(
                gettext_noop("a position needs a longitude and a latitude, found {value}"),
                {"value": repr(value)},
            ),
        )
    position = [_number(number, where) for number in numbers]
    longitude, latitude = position[0], position[1]
    # NaN fails both comparisons; an altitude must be a number but may be anything.
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90) or not all(
        math.isfinite(number) for number in position
    ):
        raise CoordinateOutOfRangeError(where, list(numbers))
    return longitude, latitude


def _ring(value: object, where: str) -> Ring:
    raw = _sequence(value, where)
    ring = tuple(_position(item, f"{where}[{i}]") for i, item in enumerate(raw))
    if len(ring) < 4:
        raise TooFewPositionsError(where, len(ring))
    if ring[0] != ring[-1]:
        raise UnclosedRingError(where, show_position(ring[0]), show_position(ring[-1]))
    return ring


def _polygon(coordinates: object, where: str) -> Rings:
    rings = _sequence(coordinates, where)
    if not rings:
        raise MalformedGeometryError(where, Message(gettext_noop("a polygon needs a ring")))
    return tuple(_ring(ring, f"{where}[{index}]") for index, ring in enumerate(rings))


def polygons(geometry: Mapping[str, object]) -> tuple[Rings, ...]:
    """The polygons of a GeoJSON Polygon (one) or MultiPolygon, as typed rings (altitudes
    dropped); a :class:`GeometryError` naming where the coordinates break GeoJSON's rules."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return (_polygon(coordinates, "coordinates"),)
    if kind == "MultiPolygon":
        parts = _sequence(coordinates, "coordinates")
        if not parts:
            raise MalformedGeometryError(
                "coordinates", Message(gettext_noop("a MultiPolygon needs a polygon"))
            )
        return tuple(
            _polygon(polygon, f"coordinates[{index}]") for index, polygon in enumerate(parts)
        )
    raise UnsupportedGeometryError(kind)
