"""The vocabulary of the inventory: which categories are fuels, electricity and renewables,
the unit each category is summed in, GPC scopes, line roles, notation keys and
sub-sectors, and the sink labels that name a sequestration rate (§4, §5.9, §7, §11).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from enum import IntEnum, StrEnum
from functools import lru_cache

from ..activity import Sector, SourceCategory
from ..units import Unit, convert, parse_unit

__all__ = [
    "COAL_EQUIVALENT_CATEGORY",
    "ELECTRICITY_CATEGORIES",
    "FUEL_CATEGORIES",
    "GJ_PER_TCE",
    "RENEWABLE_CATEGORIES",
    "SINK_LABELS",
    "GpcSubSector",
    "LineRole",
    "NotationKey",
    "RecordIdentity",
    "Scope",
    "fuel_coal_equivalent_category",
    "record_identity",
]


ZERO = Decimal(0)

#: GJ per tonne of standard coal equivalent: 1 kgce = 29 307.6 kJ (GB/T 2589-2020), i.e.
#: 7000 kcal × 4.1868 kJ/kcal. Used for fuels (via their NCV), heat and solar thermal (§7).
GJ_PER_TCE = Decimal("29.3076")

#: The set category that converts kWh into kgce (calorific equivalent, §7).
COAL_EQUIVALENT_CATEGORY = "electricity_coal_equivalent"


def fuel_coal_equivalent_category(category: SourceCategory) -> str:
    """The set category of a fuel's coal-equivalent coefficient: ``lpg_coal_equivalent``."""
    return f"{category.value}_coal_equivalent"


_TCO2 = parse_unit("tCO2")
_TCO2_PER_YEAR = parse_unit("tCO2/a")
_TCE = parse_unit("tce")
_GJ = parse_unit("GJ")
_KWH = parse_unit("kWh")

FUEL_CATEGORIES: frozenset[SourceCategory] = frozenset(
    {
        SourceCategory.NATURAL_GAS,
        SourceCategory.LPG,
        SourceCategory.GASOLINE,
        SourceCategory.DIESEL,
        SourceCategory.FUEL_OIL,
        SourceCategory.KEROSENE,
        SourceCategory.LNG,
        SourceCategory.COAL,
        SourceCategory.COKE,
        SourceCategory.CRUDE_OIL,
        SourceCategory.REFINERY_DRY_GAS,
    }
)

#: Electricity consumed in the boundary, whatever its origin (the denominator of the
#: electricity share, §7); renewable_export is produced, not consumed, and is not here.
ELECTRICITY_CATEGORIES: frozenset[SourceCategory] = frozenset(
    {
        SourceCategory.ELECTRICITY,
        SourceCategory.GREEN_ELECTRICITY,
        SourceCategory.ONSITE_RENEWABLE_ELECTRICITY,
    }
)

#: R of the renewable share (§7): qualifying green power, self-consumed on-site renewable
#: electricity and solar thermal.
RENEWABLE_CATEGORIES: frozenset[SourceCategory] = frozenset(
    {
        SourceCategory.GREEN_ELECTRICITY,
        SourceCategory.ONSITE_RENEWABLE_ELECTRICITY,
        SourceCategory.SOLAR_THERMAL,
    }
)

_HEAT_LIKE = frozenset({SourceCategory.HEAT, SourceCategory.SOLAR_THERMAL})

# The unit each category is measured in once converted: quantities entered in 万kWh, MWh, 万m³,
# kg… are summed in these. Fuels sold by volume (piped gas) are in m³ (§5.1 treats Nm³ as m³),
# the liquid fuels in tonnes as the national factors are per tonne.
_CANONICAL_UNIT: dict[SourceCategory, Unit] = {
    SourceCategory.ELECTRICITY: _KWH,
    SourceCategory.GREEN_ELECTRICITY: _KWH,
    SourceCategory.ONSITE_RENEWABLE_ELECTRICITY: _KWH,
    SourceCategory.RENEWABLE_EXPORT: _KWH,
    SourceCategory.HEAT: _GJ,
    SourceCategory.SOLAR_THERMAL: _GJ,
    SourceCategory.NATURAL_GAS: parse_unit("m3"),
    SourceCategory.LPG: parse_unit("t"),
    SourceCategory.GASOLINE: parse_unit("t"),
    SourceCategory.DIESEL: parse_unit("t"),
    SourceCategory.FUEL_OIL: parse_unit("t"),
    SourceCategory.KEROSENE: parse_unit("t"),
    SourceCategory.LNG: parse_unit("t"),
    SourceCategory.COAL: parse_unit("t"),
    SourceCategory.COKE: parse_unit("t"),
    SourceCategory.CRUDE_OIL: parse_unit("t"),
    SourceCategory.REFINERY_DRY_GAS: parse_unit("t"),
    SourceCategory.WASTE: parse_unit("t"),
    SourceCategory.WATER_SUPPLY: parse_unit("m3"),
    SourceCategory.GREEN_SPACE: parse_unit("m2"),
    SourceCategory.TREES: parse_unit("tree"),
}


class Scope(IntEnum):
    """GPC scopes (§11): 1 in the boundary, 2 grid-supplied energy, 3 other, outside."""

    ONE = 1
    TWO = 2
    THREE = 3


class LineRole(StrEnum):
    """What a line's tCO2 means and which totals it enters."""

    EMISSION = "emission"  # scope 1 or 2: enters gross (§6)
    ZERO_EMISSION_SUPPLY = "zero_emission_supply"  # on-site renewables: energy only (§5.3)
    MEMO = "memo"  # renewable electricity fed to the grid, kWh only (§5.3)
    SINK = "sink"  # removals, reported separately, never netted (§5.9)
    NOT_ESTIMATED = "not_estimated"  # no official factor: notation key NE (§5.6, §5.8)


class NotationKey(StrEnum):
    """GPC notation keys (§8); the inventory itself only ever writes NE."""

    NOT_OCCURRING = "NO"
    INCLUDED_ELSEWHERE = "IE"
    NOT_ESTIMATED = "NE"
    CONFIDENTIAL = "C"


class GpcSubSector(StrEnum):
    """GPC sectors and sub-sectors the categories and sectors map onto (§11)."""

    RESIDENTIAL = "I.1"  # residential buildings
    COMMERCIAL = "I.2"  # commercial and institutional buildings and facilities
    INDUSTRY = "I.3"  # manufacturing industries and construction
    AGRICULTURE_FORESTRY = "I.5"  # agriculture, forestry and fishing activities
    NON_SPECIFIED = "I.6"  # non-specified sources
    ON_ROAD = "II.1"  # on-road transport (fuel and EV charging, §5.5)
    SOLID_WASTE = "III"  # III.1–III.3, the treatment route is not recorded
    AFOLU_LAND = "V"  # land: removals by green space and trees
    OTHER_SCOPE_3 = "VI"  # water supply and other indirect (§11)


_GPC_BY_SECTOR: dict[Sector, GpcSubSector] = {
    Sector.RESIDENTIAL: GpcSubSector.RESIDENTIAL,
    Sector.COMMERCIAL_PUBLIC: GpcSubSector.COMMERCIAL,
    Sector.INDUSTRY: GpcSubSector.INDUSTRY,
    # Rail traction cannot be told from road charging in the sector vocabulary; §10 has
    # communities report chargers, so on-road is the sub-sector.
    Sector.TRANSPORT: GpcSubSector.ON_ROAD,
    Sector.LAND: GpcSubSector.AGRICULTURE_FORESTRY,  # energy used to keep green space
    Sector.WASTE: GpcSubSector.NON_SPECIFIED,  # energy used by waste facilities
    Sector.OTHER: GpcSubSector.NON_SPECIFIED,
}

_GPC_BY_CATEGORY: dict[SourceCategory, GpcSubSector] = {
    SourceCategory.WASTE: GpcSubSector.SOLID_WASTE,
    SourceCategory.WATER_SUPPLY: GpcSubSector.OTHER_SCOPE_3,
    SourceCategory.GREEN_SPACE: GpcSubSector.AFOLU_LAND,
    SourceCategory.TREES: GpcSubSector.AFOLU_LAND,
}

_ROLE_AND_SCOPE: dict[SourceCategory, tuple[LineRole, Scope | None]] = {
    SourceCategory.ELECTRICITY: (LineRole.EMISSION, Scope.TWO),
    SourceCategory.GREEN_ELECTRICITY: (LineRole.EMISSION, Scope.TWO),
    SourceCategory.HEAT: (LineRole.EMISSION, Scope.TWO),
    **dict.fromkeys(FUEL_CATEGORIES, (LineRole.EMISSION, Scope.ONE)),
    SourceCategory.ONSITE_RENEWABLE_ELECTRICITY: (LineRole.ZERO_EMISSION_SUPPLY, None),
    SourceCategory.SOLAR_THERMAL: (LineRole.ZERO_EMISSION_SUPPLY, None),
    SourceCategory.RENEWABLE_EXPORT: (LineRole.MEMO, None),
    # GPC reports in-boundary removals under AFOLU, scope 1 (§11), but never in a total.
    SourceCategory.GREEN_SPACE: (LineRole.SINK, Scope.ONE),
    SourceCategory.TREES: (LineRole.SINK, Scope.ONE),
    # Treated outside the boundary in the usual case: scope 3 (§4 rows 7 and 9).
    SourceCategory.WASTE: (LineRole.NOT_ESTIMATED, Scope.THREE),
    SourceCategory.WATER_SUPPLY: (LineRole.NOT_ESTIMATED, Scope.THREE),
}


@lru_cache(maxsize=4096)
def _label_key(text: str) -> str:
    # Worked out once per label: every inventory compares each record's label.
    # Full-width forms and Roman numerals (Ⅰ, Ⅱ) fold to ASCII under NFKC; spaces, "_" and "-"
    # are dropped and case ignored, so "硬阔Ⅱ类", "硬阔II类" and "hard broadleaf ii" all match.
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "_-")


#: Sink record labels → the set category whose sequestration rate applies (§5.9). Labels are
#: compared after NFKC folding, ignoring case, spaces, "_" and "-".
SINK_LABELS: Mapping[SourceCategory, Mapping[str, str]] = {
    SourceCategory.GREEN_SPACE: {
        "tree_green_space": "tree_green_space",
        "乔木绿地": "tree_green_space",
        "城市乔木绿地": "tree_green_space",
    },
    SourceCategory.TREES: {
        "tree_hard_broadleaf_i": "tree_hard_broadleaf_i",
        "hard_broadleaf_i": "tree_hard_broadleaf_i",
        "硬阔Ⅰ类": "tree_hard_broadleaf_i",
        "tree_hard_broadleaf_ii": "tree_hard_broadleaf_ii",
        "hard_broadleaf_ii": "tree_hard_broadleaf_ii",
        "硬阔Ⅱ类": "tree_hard_broadleaf_ii",
    },
}

_SINK_LOOKUP: dict[SourceCategory, dict[str, str]] = {
    category: {_label_key(label): target for label, target in labels.items()}
    for category, labels in SINK_LABELS.items()
}


#: What makes two records of one year the same record: source, label (folded) and quantity in
#: the category's unit.
RecordIdentity = tuple[SourceCategory, Sector, str, Decimal]


def record_identity(
    category: SourceCategory, sector: Sector, label: str, quantity: Decimal, unit: Unit | str
) -> RecordIdentity:
    """The identity of a record: two records of one year with the same identity are one record
    entered twice. Labels compare as sink labels do (NFKC, case, spaces, "_" and "-" ignored);
    quantities in the category's unit, so 1 万kWh and 10 000 kWh are the same. Raises the units
    layer's errors for a unit that is not accepted or does not fit the category."""
    canonical = _CANONICAL_UNIT[category]
    return (category, sector, _label_key(label), convert(quantity, unit, canonical))
