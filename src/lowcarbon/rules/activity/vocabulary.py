"""What the accounting input's values may be: activity groups (the workbook's sheets), units by
category, floor-area types, percent targets, year limits and source keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lowcarbon.core.activity import Sector, SourceCategory, SourceKey, TargetKind

__all__ = [
    "ACTIVITY_GROUPS",
    "AREA_TOLERANCE",
    "CATEGORY_UNITS",
    "FLOOR_AREA_TYPES",
    "PERCENT_TARGETS",
    "YEARS_AFTER_BASE",
    "YEARS_BEFORE_BASE",
]

#: How far a stated area may differ from the polygon's geodesic area: plans round areas, and a
#: boundary drawn on a web map is rarely exact.
AREA_TOLERANCE = Decimal("0.05")
YEARS_BEFORE_BASE = 10
YEARS_AFTER_BASE = 30

_C = SourceCategory

#: The activity groups, in the order of the workbook's activity sheets; every category is in
#: exactly one group. Records are kept in this order (stable within a group).
ACTIVITY_GROUPS: tuple[tuple[str, tuple[SourceCategory, ...]], ...] = (
    ("electricity", (_C.ELECTRICITY, _C.GREEN_ELECTRICITY)),
    (
        "fuels",
        (
            _C.NATURAL_GAS,
            _C.LPG,
            _C.GASOLINE,
            _C.DIESEL,
            _C.FUEL_OIL,
            _C.KEROSENE,
            _C.LNG,
            _C.COAL,
            _C.COKE,
            _C.CRUDE_OIL,
            _C.REFINERY_DRY_GAS,
        ),
    ),
    (
        "heat_renewables",
        (_C.HEAT, _C.ONSITE_RENEWABLE_ELECTRICITY, _C.RENEWABLE_EXPORT, _C.SOLAR_THERMAL),
    ),
    ("sinks", (_C.GREEN_SPACE, _C.TREES)),
    ("waste_water", (_C.WASTE, _C.WATER_SUPPLY)),
)

_ELECTRIC = ("kWh", "万kWh", "MWh")
_HEAT = ("GJ", "MJ", "kWh")
# Fuels by mass: the factors are per tonne, and no density is cited for any fuel, so litres
# are not offered (docs/accounting/factors.md, "Litres").
_BY_MASS = ("t", "kg")

#: Units people use for each category; a record's unit must measure what one of them measures
#: (so 万方, Nm³ or 吨 are accepted too). The workbook offers them in its drop-down lists.
CATEGORY_UNITS: Mapping[SourceCategory, tuple[str, ...]] = {
    _C.ELECTRICITY: _ELECTRIC,
    _C.GREEN_ELECTRICITY: _ELECTRIC,
    _C.HEAT: _HEAT,
    _C.NATURAL_GAS: ("m³", "万m³", "Nm³", "万Nm³"),
    _C.LPG: _BY_MASS,
    _C.GASOLINE: _BY_MASS,
    _C.DIESEL: _BY_MASS,
    _C.FUEL_OIL: _BY_MASS,
    _C.KEROSENE: _BY_MASS,
    _C.LNG: _BY_MASS,
    _C.COAL: _BY_MASS,
    _C.COKE: _BY_MASS,
    _C.CRUDE_OIL: _BY_MASS,
    _C.REFINERY_DRY_GAS: _BY_MASS,
    _C.ONSITE_RENEWABLE_ELECTRICITY: _ELECTRIC,
    _C.RENEWABLE_EXPORT: _ELECTRIC,
    _C.SOLAR_THERMAL: _HEAT,
    _C.WASTE: ("t", "kg"),
    _C.WATER_SUPPLY: ("m³", "万m³"),
    _C.GREEN_SPACE: ("m²", "hm²"),
    _C.TREES: ("株",),
}

#: Building types of ``YearDrivers.floor_area_m2``: the building sectors of
#: :class:`~lowcarbon.core.activity.Sector`, so an intensity per m² pairs with its emissions.
FLOOR_AREA_TYPES: tuple[str, ...] = (
    Sector.RESIDENTIAL.value,
    Sector.COMMERCIAL_PUBLIC.value,
    Sector.INDUSTRY.value,
    Sector.OTHER.value,
)

#: Target kinds whose value is a percentage (at most 100).
PERCENT_TARGETS = frozenset(
    {TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE, TargetKind.RENEWABLE_SHARE}
)

_GROUP_INDEX = {
    category: index for index, (_, members) in enumerate(ACTIVITY_GROUPS) for category in members
}


_CATEGORY_VALUES = frozenset(c.value for c in SourceCategory)

#: The categories a task's reduction activity may name (those with an inventory factor).
_REDUCTION_CATEGORIES = frozenset(
    c.value
    for c in SourceCategory
    if c
    not in {
        SourceCategory.RENEWABLE_EXPORT,
        SourceCategory.SOLAR_THERMAL,
        SourceCategory.WASTE,
        SourceCategory.WATER_SUPPLY,
    }
)
_SECTOR_VALUES = frozenset(s.value for s in Sector)


def _source_key(text: object) -> SourceKey | None:
    if not isinstance(text, str):
        return None
    category, _, sector = text.partition("/")
    if category in _CATEGORY_VALUES and sector in _SECTOR_VALUES:
        return SourceCategory(category), Sector(sector)
    return None
