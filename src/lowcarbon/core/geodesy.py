"""Area of a boundary polygon (四至边界, 附件2 一) on the WGS84 authalic sphere.

The area is computed on the sphere of the same surface area as the WGS84 ellipsoid (authalic
radius R = 6 371 007.181 m, GRS80/WGS84 R₂), so areas are right to the precision of the
ellipsoid for equal-area purposes. Each ring's area is its spherical excess times R², summed
edge by edge as the signed excess of the quadrilateral between the edge and the equator::

    E_edge = 2 · atan2( sin(Δλ/2) · (t₁ + t₂),  cos(Δλ/2) · (1 + t₁·t₂) ),   t = tan(φ/2)

which is exact for great-circle edges (the spherical-excess form of the line integral
∮ sin φ dλ). Δλ is taken the short way round (|Δλ| ≤ 180°). A ring that winds round a pole
is corrected by 2π; the ring's area is the smaller of the two regions it bounds, so the
orientation of a ring does not matter (RFC 7946 §3.1.6 asks parsers not to reject rings that
do not follow the right-hand rule; a demonstration zone is never larger than a hemisphere).

RFC 7946 draws edges as straight lines in longitude/latitude; for a zone of a few km² the
difference from great-circle edges is far below the accuracy of a digitised boundary (about
10⁻⁷ of the area for a 0.1° square at Shanghai's latitude, see the tests).

The arithmetic is :class:`~decimal.Decimal` throughout, with the trigonometric functions by
their series at 40 significant digits, so the area is reproducible across machines.

A Polygon's first ring is its exterior and the others are holes, which are subtracted; a
MultiPolygon is the sum of its polygons. Whether holes lie inside their exterior and polygons
do not overlap is not checked (that is the drawing tool's job), but a hole larger than its
exterior is refused.

::

    LowcarbonError (core)
    └── GeometryError                    the geometry cannot be measured as given
        ├── UnsupportedGeometryError     not a GeoJSON Polygon or MultiPolygon
        ├── MalformedGeometryError       coordinates not shaped as GeoJSON says
        ├── TooFewPositionsError         a ring of fewer than 4 positions
        ├── UnclosedRingError            a ring whose last position is not its first
        └── CoordinateOutOfRangeError    longitude outside ±180 or latitude outside ±90
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from functools import cache
from itertools import pairwise

from .errors import LowcarbonError
from .messages import Message, gettext_noop

__all__ = [
    "AUTHALIC_RADIUS_M",
    "CoordinateOutOfRangeError",
    "GeometryError",
    "MalformedGeometryError",
    "TooFewPositionsError",
    "UnclosedRingError",
    "UnsupportedGeometryError",
    "polygon_area_km2",
    "ring_area_km2",
]

#: Radius of the sphere with the WGS84 ellipsoid's surface area (authalic radius), in metres.
AUTHALIC_RADIUS_M = Decimal("6371007.181")

_PRECISION = 40
_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWO = Decimal(2)
_M2_PER_KM2 = Decimal(1_000_000)

Position = tuple[Decimal, Decimal]


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


# ---------------------------------------------------------------------------------------------
# Decimal trigonometry: the arguments here are bounded (|x| ≤ π/2), so plain series converge.


@cache
def _pi() -> Decimal:
    # Machin: π = 16 atan(1/5) − 4 atan(1/239).
    with localcontext() as context:
        context.prec = _PRECISION + 5
        return 16 * _atan_series(_ONE / 5) - 4 * _atan_series(_ONE / 239)


def _atan_series(x: Decimal) -> Decimal:
    """atan(x) for |x| ≤ 0.2 by its Taylor series x − x³/3 + x⁵/5 − …"""
    total, power, n, square = _ZERO, x, 1, x * x
    while True:
        term = power / n
        if abs(term) < Decimal(10) ** (-(_PRECISION + 8)):
            return total + term
        total += term
        power = -power * square
        n += 2


def _atan(x: Decimal) -> Decimal:
    """atan(x) for any x: halve the angle (atan x = 2 atan(x / (1 + √(1 + x²)))) then series."""
    halvings = 0
    while abs(x) > Decimal("0.2"):
        x = x / (_ONE + (_ONE + x * x).sqrt())
        halvings += 1
    return _atan_series(x) * (_TWO**halvings)


def _atan2(y: Decimal, x: Decimal) -> Decimal:
    """atan2 for x ≥ 0, the only case the edge formula meets (cos(Δλ/2) ≥ 0, 1 + t₁t₂ ≥ 0)."""
    if x > _ZERO:
        return _atan(y / x)
    if y > _ZERO:
        return _pi() / 2
    if y < _ZERO:
        return -_pi() / 2
    return _ZERO


def _sin_cos(x: Decimal) -> tuple[Decimal, Decimal]:
    """sin and cos of x (|x| ≤ π/2) by their Taylor series."""
    sine, cosine = _ZERO, _ZERO
    term, n = _ONE, 0  # x^n / n!
    epsilon = Decimal(10) ** (-(_PRECISION + 8))
    while abs(term) >= epsilon:
        if n % 4 == 0:
            cosine += term
        elif n % 4 == 1:
            sine += term
        elif n % 4 == 2:
            cosine -= term
        else:
            sine -= term
        n += 1
        term = term * x / n
    return sine, cosine


def _radians(degrees: Decimal) -> Decimal:
    return degrees * _pi() / 180


# ---------------------------------------------------------------------------------------------
# Parsing


def _number(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise MalformedGeometryError(
            where, Message(gettext_noop("{value} is not a number"), {"value": repr(value)})
        )
    # str() of a float is the shortest text that reads back as it: the number as written.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise CoordinateOutOfRangeError(where, value)
    return number


def _sequence(value: object, where: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise MalformedGeometryError(
            where, Message(gettext_noop("{value} is not an array"), {"value": repr(value)})
        )
    return value


def _position(value: object, where: str) -> tuple[Decimal, ...]:
    numbers = _sequence(value, where)
    if len(numbers) < 2:
        raise MalformedGeometryError(
            where,
            Message(
                gettext_noop("a position needs a longitude and a latitude, found {value}"),
                {"value": repr(value)},
            ),
        )
    position = tuple(_number(number, where) for number in numbers)
    longitude, latitude = position[0], position[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise CoordinateOutOfRangeError(where, list(numbers))
    return position


def _show(position: Sequence[Decimal]) -> str:
    return "[" + ", ".join(str(number) for number in position) + "]"


def _ring(value: object, where: str) -> list[Position]:
    raw = _sequence(value, where)
    positions = [_position(item, f"{where}[{i}]") for i, item in enumerate(raw)]
    if len(positions) < 4:
        raise TooFewPositionsError(where, len(positions))
    if positions[0] != positions[-1]:
        raise UnclosedRingError(where, _show(positions[0]), _show(positions[-1]))
    return [(position[0], position[1]) for position in positions]


# ---------------------------------------------------------------------------------------------
# Areas


def _ring_excess(ring: Sequence[Position]) -> Decimal:
    """The spherical excess (steradians) of the smaller region a closed ring bounds."""
    pi = _pi()
    excess, winding = _ZERO, _ZERO
    for (lon1, lat1), (lon2, lat2) in pairwise(ring):
        delta = lon2 - lon1
        # The short way round: a ring crossing the antimeridian is measured correctly.
        if delta > 180:
            delta -= 360
        elif delta < -180:
            delta += 360
        half_sin, half_cos = _sin_cos(_radians(delta) / 2)
        t1 = _tan_half(lat1)
        t2 = _tan_half(lat2)
        excess += 2 * _atan2(half_sin * (t1 + t2), half_cos * (_ONE + t1 * t2))
        winding += delta
    # Σ E is the signed area between the ring and the equator; a ring round a pole (Δλ summing
    # to ±360°) bounds the cap on the pole's side, which is 2π away from it.
    turns = (winding / 360).to_integral_value()
    area = abs(2 * pi * turns - excess) % (4 * pi)
    return min(area, 4 * pi - area)


def _tan_half(latitude: Decimal) -> Decimal:
    sine, cosine = _sin_cos(_radians(latitude) / 2)
    return sine / cosine


def _km2(excess: Decimal) -> Decimal:
    return excess * AUTHALIC_RADIUS_M * AUTHALIC_RADIUS_M / _M2_PER_KM2


def ring_area_km2(ring: object) -> Decimal:
    """The area in km² of one closed GeoJSON linear ring (a list of [lon, lat] positions)."""
    with localcontext() as context:
        context.prec = _PRECISION
        area = _km2(_ring_excess(_ring(ring, "ring")))
    return +area


def _polygon_excess(coordinates: object, where: str) -> Decimal:
    rings = _sequence(coordinates, where)
    if not rings:
        raise MalformedGeometryError(where, Message(gettext_noop("a polygon needs a ring")))
    exterior = _ring_excess(_ring(rings[0], f"{where}[0]"))
    holes = _ZERO
    for index in range(1, len(rings)):
        holes += _ring_excess(_ring(rings[index], f"{where}[{index}]"))
    if holes > exterior:
        raise MalformedGeometryError(
            where, Message(gettext_noop("its holes are larger than its exterior ring"))
        )
    return exterior - holes


def polygon_area_km2(geometry: Mapping[str, object]) -> Decimal:
    """The area in km² of a GeoJSON Polygon or MultiPolygon (holes subtracted)."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    with localcontext() as context:
        context.prec = _PRECISION
        if kind == "Polygon":
            excess = _polygon_excess(coordinates, "coordinates")
        elif kind == "MultiPolygon":
            polygons = _sequence(coordinates, "coordinates")
            if not polygons:
                raise MalformedGeometryError(
                    "coordinates", Message(gettext_noop("a MultiPolygon needs a polygon"))
                )
            excess = sum(
                (
                    _polygon_excess(polygon, f"coordinates[{index}]")
                    for index, polygon in enumerate(polygons)
                ),
                _ZERO,
            )
        else:
            raise UnsupportedGeometryError(kind)
        area = _km2(excess)
    # Rounded to the caller's context (28 digits by default) on the way out.
    return +area
