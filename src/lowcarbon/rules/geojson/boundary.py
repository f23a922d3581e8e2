"""A boundary read and measured, the region it must lie in, and the error every refusal is."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message

__all__ = ["SHANGHAI", "Boundary", "GeoJsonError", "Region"]


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
