"""The emission inventory of one unit for one calendar year: activity data × cited factors.

Every figure is traced: each :class:`ActivityRecord` becomes one :class:`InventoryLine` that
keeps the record as entered (quantity, unit, tier, source), its category, sector, scope and GPC
sub-sector, the :class:`~lowcarbon.core.factors.ResolvedFactor` used (id, value, unit, CSV row,
reference, confidence, set), the result in tCO2 and the energy in tce, and notes. Rules, with
the section of accounting-method.md they follow:

* **Period and factor set (§2, §5.2).** The inventory covers one calendar year. Records of
  another year raise :class:`RecordYearError` (never dropped silently). A factor set is used
  for a year only if it is valid on every day of it (:class:`FactorSetYearError`), so a year is
  never split between two vintages (shanghai-2012 ends on 2022-02-10 and cannot account for
  2022). A set pins one dated value per category, so the value does not depend on the day;
  factors are resolved on 31 December, the end of the reporting period.
* **Scopes (§4, GPC §11).** Scope 1: the fuels natural_gas, lpg, gasoline, diesel, fuel_oil,
  kerosene, lng. Scope 2: electricity, heat, green_electricity. EV charging is electricity with
  sector ``transport`` (§5.5, GPC II.1). Fuels the sets do not pin (kerosene, LNG) raise the
  library's :class:`~lowcarbon.core.factors.CategoryNotCoveredError`: §5.1 forbids mixing
  parameter sources, and the factors page lists them as lacking a published factor.
* **Green power (§5.3, 沪环气候〔2023〕89号).** A green_electricity record resolves the set's
  green_electricity factor (0 under shanghai-2023-green-power). Under a set that does not pin
  it, :class:`GreenElectricityNotCoveredError` names the sets that do; for a year that ends
  before the rule's value date, :class:`GreenPowerRuleNotInForceError`. Each green line keeps,
  as a memo, what the same kWh would emit at the set's grid factor ("report the gross figure
  alongside", §5.3).
* **On-site renewables (§5.3, §7).** Self-consumed PV (onsite_renewable_electricity) and solar
  thermal are zero-emission supply: 0 tCO2, counted in energy and in the renewable share, never
  subtracted from emissions. renewable_export (PV fed to the grid) is a memo in kWh only.
* **Energy in tce (§7, GB/T 2589-2020).** Electricity of every kind × the set's
  electricity_coal_equivalent (0.1229 kgce/kWh, calorific equivalent 当量值); fuels: quantity ×
  the fuel's NCV (the NCV factor the emission factor is derived from, so the same source, §5.1)
  ÷ 29.3076 GJ/tce (1 kgce = 29 307.6 kJ); heat and solar thermal in GJ ÷ 29.3076. When the set
  pins no coal equivalent (shanghai-2012) or the fuel factor names no NCV, the line's tce is
  ``None`` with a note and the inventory's total tce is ``None``: never a silent 0.
* **Sinks (§5.9).** green_space (by area) and trees (by count) use the set's sink factors and
  are their own lines, reported separately and never netted into gross; net = gross − sinks is
  a memo only. The record's ``label`` names the vegetation type or tree group (see
  :data:`SINK_LABELS`); anything else raises :class:`UnknownSinkTypeError`: lawns and shrubs
  have no verified rate (§5.9 [GAP]) and the Shanghai per-species rates do not say whether
  their mass is C or CO2 (factors page), so neither is guessed.
* **Waste and water supply (§5.6, §5.8).** No official inventory factor exists and no set pins
  one: their lines carry the GPC notation key NE (not estimated, §8) and a note, contribute
  nothing, and are listed under :attr:`Inventory.not_estimated`, never shown as 0.
* **Units and quantities.** A unit that does not measure what the category measures (m³ of
  electricity) raises the units layer's :class:`~lowcarbon.core.units.UnitDimensionError`
  naming the record; a negative or non-finite quantity raises :class:`InvalidQuantityError`.
  Litres of vehicle fuel are refused (a volume, not the mass the factors are per): §5.1 notes
  that the densities in use are not normative.
* **Totals (§6).** The gross total is scope 1 + 2, the "core energy total" used for targets.
  Totals by scope, category and sector cover the emission lines; shares by data-quality tier
  (§8) are shares of gross.
* **Completeness.** Electricity is always required, natural gas for communities, and the
  year's drivers with a resident population above 0; any record of quality ``default`` is a
  gap. :attr:`Inventory.is_final` is False while anything is missing, so a draft never passes
  as a final result. A present record with quantity 0 counts as reported.

::

    LowcarbonError (core)
    └── InventoryError                      the records cannot be accounted as given
        ├── RecordYearError                 a record of another year
        ├── FactorSetYearError              the set is not valid for the whole year
        ├── InvalidQuantityError            a negative or non-finite quantity
        ├── GreenElectricityNotCoveredError green power under a set without a green factor
        ├── GreenPowerRuleNotInForceError   green power for a year before 89号
        └── UnknownSinkTypeError            a sink record whose label names no sink factor
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import TypeVar, cast

from .activity import (
    ActivityRecord,
    DataQuality,
    Sector,
    SourceCategory,
    SourceKey,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from .errors import LowcarbonError
from .factors import (
    CategoryNotCoveredError,
    FactorLibrary,
    FactorSet,
    FactorValue,
    ResolvedFactor,
)
from .messages import Message, gettext_noop
from .units import (
    Amount,
    Unit,
    UnitDimensionError,
    UnknownUnitError,
    apply_rate,
    check_dimension,
    convert,
    parse_unit,
)

__all__ = [
    "COAL_EQUIVALENT_CATEGORY",
    "ELECTRICITY_CATEGORIES",
    "FUEL_CATEGORIES",
    "GJ_PER_TCE",
    "RENEWABLE_CATEGORIES",
    "SINK_LABELS",
    "CarrierEnergy",
    "Completeness",
    "FactorSetYearError",
    "GpcSubSector",
    "GreenElectricityNotCoveredError",
    "GreenPowerRuleNotInForceError",
    "InvalidQuantityError",
    "Inventory",
    "InventoryError",
    "InventoryLine",
    "LineRole",
    "NotationKey",
    "RecordYearError",
    "Scope",
    "UnknownSinkTypeError",
    "calculate_inventory",
    "describe_record",
]

ZERO = Decimal(0)

#: GJ per tonne of standard coal equivalent: 1 kgce = 29 307.6 kJ (GB/T 2589-2020), i.e.
#: 7000 kcal × 4.1868 kJ/kcal. Used for fuels (via their NCV), heat and solar thermal (§7).
GJ_PER_TCE = Decimal("29.3076")

#: The set category that converts kWh into kgce (calorific equivalent, §7).
COAL_EQUIVALENT_CATEGORY = "electricity_coal_equivalent"

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


def _label_key(text: str) -> str:
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


# ---------------------------------------------------------------------------------------------
# Errors


def describe_record(index: int, record: ActivityRecord) -> Message:
    """How messages name a record: its 1-based number, category, sector, quantity and label."""
    return Message(
        gettext_noop("record {number} ({category}, {sector}, {quantity} {unit}, '{label}')"),
        {
            "number": index + 1,
            "category": record.category.value,
            "sector": record.sector.value,
            "quantity": record.quantity,
            "unit": record.unit,
            "label": record.label,
        },
    )


class InventoryError(LowcarbonError):
    """The records cannot be accounted as given; never answered with 0."""

    code = "inventory"


class RecordYearError(InventoryError):
    code = "inventory_record_year"

    def __init__(self, index: int, record: ActivityRecord, year: int) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record} is for {record_year}, not for the inventory year {year}; "
                    "account each year separately"
                ),
                {
                    "record": describe_record(index, record),
                    "record_year": record.year,
                    "year": year,
                },
            )
        )


class FactorSetYearError(InventoryError):
    code = "inventory_set_year"

    def __init__(self, factor_set: FactorSet, year: int) -> None:
        self.set_id = factor_set.id
        self.year = year
        super().__init__(
            Message(
                gettext_noop(
                    "factor set '{set_id}' is valid from {valid_from} to {valid_to}, which "
                    "does not cover every day of {year}; choose a set valid for the whole year"
                ),
                {
                    "set_id": factor_set.id,
                    "valid_from": factor_set.valid_from.isoformat(),
                    "valid_to": (
                        factor_set.valid_to.isoformat()
                        if factor_set.valid_to
                        else Message(gettext_noop("now"))
                    ),
                    "year": year,
                },
            )
        )


class InvalidQuantityError(InventoryError):
    code = "inventory_quantity"

    def __init__(self, index: int, record: ActivityRecord) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: the quantity must be a finite number of at least 0, not {quantity}"
                ),
                {"record": describe_record(index, record), "quantity": str(record.quantity)},
            )
        )


class GreenElectricityNotCoveredError(InventoryError):
    code = "inventory_green_not_covered"

    def __init__(self, index: int, record: ActivityRecord, set_id: str, sets: list[str]) -> None:
        self.index = index
        self.set_id = set_id
        self.sets_with_green = tuple(sets)
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: factor set '{set_id}' has no green-power factor; account "
                    "qualifying green power (沪环气候〔2023〕89号) with a set that has one "
                    "({sets}), or enter it as electricity"
                ),
                {
                    "record": describe_record(index, record),
                    "set_id": set_id,
                    "sets": sets or Message(gettext_noop("none in the library")),
                },
            )
        )


class GreenPowerRuleNotInForceError(InventoryError):
    code = "inventory_green_before_rule"

    def __init__(self, index: int, record: ActivityRecord, factor: ResolvedFactor) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: the green-power factor {source_id} applies from {valid_from}; "
                    "green power of {year} does not qualify and is electricity"
                ),
                {
                    "record": describe_record(index, record),
                    "source_id": factor.source_id,
                    "valid_from": factor.valid_from.isoformat(),
                    "year": record.year,
                },
            )
        )


class UnknownSinkTypeError(InventoryError):
    code = "inventory_sink_type"

    def __init__(self, index: int, record: ActivityRecord) -> None:
        self.index = index
        super().__init__(
            Message(
                gettext_noop(
                    "{record}: '{label}' names no sink factor; the label of a {category} "
                    "record must be one of: {accepted} (no verified rate exists for lawns, "
                    "shrubs or single species, accounting-method.md §5.9)"
                ),
                {
                    "record": describe_record(index, record),
                    "label": record.label,
                    "category": record.category.value,
                    "accepted": list(SINK_LABELS[record.category]),
                },
            )
        )


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class InventoryLine:
    """One record's result with its whole trace.

    ``tco2`` is the emission of an emission line (0 for zero-emission supply) or the removal
    of a sink line (a positive number); it is ``None`` for memo and not-estimated lines.
    ``energy_tce`` is the energy consumed in tce (``None`` for lines that consume none, or when
    the set gives no conversion; a note then says so). ``quantity`` is the record's quantity in
    the category's unit (kWh, GJ, m³, t, m², tree).
    """

    index: int  # position among the records given (0-based)
    record: ActivityRecord
    role: LineRole
    scope: Scope | None
    gpc: GpcSubSector
    quantity: Amount
    factor: ResolvedFactor | None = None
    tco2: Decimal | None = None
    energy_tce: Decimal | None = None
    coal_equivalent: ResolvedFactor | None = None  # electricity: kWh → kgce
    ncv: FactorValue | None = None  # fuels: the NCV behind the factor
    ncv_factor_id: str | None = None
    grid_equivalent_tco2: Decimal | None = None  # green power at the grid factor (§5.3 memo)
    notation_key: NotationKey | None = None
    notes: tuple[Message, ...] = ()

    @property
    def category(self) -> SourceCategory:
        return self.record.category

    @property
    def sector(self) -> Sector:
        return self.record.sector

    @property
    def key(self) -> SourceKey:
        return self.record.key

    @property
    def quality(self) -> DataQuality:
        return self.record.quality

    def explanation(self) -> Message:
        """One line for "why this number": the record, the factor and the result."""
        amount = {"quantity": self.record.quantity, "unit": self.record.unit}
        if self.role is LineRole.EMISSION or self.role is LineRole.SINK:
            # Both kinds are resolved with a factor and a result (_emission_line, _sink_line).
            template = (
                gettext_noop("{quantity} {unit} × {factor} = {tco2} tCO2")
                if self.role is LineRole.EMISSION
                else gettext_noop("{quantity} {unit} × {factor} = {tco2} tCO2 removed a year")
            )
            factor = cast(ResolvedFactor, self.factor)
            return Message(template, {**amount, "factor": factor.explanation(), "tco2": self.tco2})
        return Message(_EXPLANATIONS[self.role], amount)


_EXPLANATIONS: dict[LineRole, str] = {
    LineRole.ZERO_EMISSION_SUPPLY: gettext_noop("{quantity} {unit}: zero-emission supply, 0 tCO2"),
    LineRole.MEMO: gettext_noop("{quantity} {unit}: memo item, not counted in any total"),
    LineRole.NOT_ESTIMATED: gettext_noop("{quantity} {unit}: NE (not estimated)"),
}


@dataclass(frozen=True)
class CarrierEnergy:
    """Energy of one carrier (category) consumed in the year: physical quantity and tce."""

    category: SourceCategory
    quantity: Amount
    tce: Decimal | None  # None: at least one line has no conversion under the set
    renewable: bool


@dataclass(frozen=True)
class Completeness:
    """What is missing before the inventory can be a final result."""

    missing_categories: tuple[SourceCategory, ...]
    drivers_missing: bool  # no drivers for the year, or a resident population of 0
    default_records: tuple[int, ...]  # indexes of records of quality ``default``

    @property
    def is_complete(self) -> bool:
        return not (self.missing_categories or self.drivers_missing or self.default_records)

    def gaps(self) -> tuple[Message, ...]:
        """Each gap in words, for the draft banner and the data-quality statement (§12)."""
        gaps = [
            Message(
                gettext_noop("no {category} record: it is required for this unit"),
                {"category": category.value},
            )
            for category in self.missing_categories
        ]
        if self.drivers_missing:
            gaps.append(
                Message(gettext_noop("no drivers with a resident population above 0 for the year"))
            )
        if self.default_records:
            gaps.append(
                Message(
                    gettext_noop("records {numbers} use default values instead of data"),
                    {"numbers": [index + 1 for index in self.default_records]},
                )
            )
        return tuple(gaps)


_Group = TypeVar("_Group", bound=Hashable)


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


@dataclass(frozen=True)
class Inventory:
    """The accounted year: its lines and every total derived from them."""

    profile: UnitProfile
    year: int
    factor_set: FactorSet
    lines: tuple[InventoryLine, ...]

    @property
    def set_id(self) -> str:
        return self.factor_set.id

    @property
    def drivers(self) -> YearDrivers | None:
        return self.profile.drivers_for(self.year)

    @property
    def records(self) -> tuple[ActivityRecord, ...]:
        return tuple(line.record for line in self.lines)

    def _lines(self, role: LineRole) -> list[InventoryLine]:
        return [line for line in self.lines if line.role is role]

    @staticmethod
    def _tco2(line: InventoryLine) -> Decimal:
        # Emission and sink lines always carry a figure; the others are never summed.
        return line.tco2 if line.tco2 is not None else ZERO

    @property
    def emission_lines(self) -> tuple[InventoryLine, ...]:
        return tuple(self._lines(LineRole.EMISSION))

    @property
    def gross_tco2(self) -> Decimal:
        """Scope 1 + 2: the core energy total, the basis of targets (§6)."""
        return _total(self._tco2(line) for line in self.emission_lines)

    def _sum_by(self, key: Callable[[InventoryLine], _Group]) -> dict[_Group, Decimal]:
        totals: dict[_Group, Decimal] = {}
        for line in self.emission_lines:
            group = key(line)
            totals[group] = totals.get(group, ZERO) + self._tco2(line)
        return totals

    @property
    def by_scope(self) -> dict[Scope, Decimal]:
        """Gross by scope; only scopes with emission lines appear (every such line has one)."""
        # Every emission line has scope 1 or 2 (_ROLE_AND_SCOPE).
        return self._sum_by(lambda line: cast(Scope, line.scope))

    @property
    def by_category(self) -> dict[SourceCategory, Decimal]:
        return self._sum_by(lambda line: line.category)

    @property
    def by_sector(self) -> dict[Sector, Decimal]:
        return self._sum_by(lambda line: line.sector)

    def emissions_by_source(self) -> dict[SourceKey, Decimal]:
        """Gross emissions by (category, sector): what tasks act on (activity.Task.acts_on)."""
        return self._sum_by(lambda line: line.key)

    def share_by_quality(self) -> dict[DataQuality, Decimal]:
        """Share (0–1) of gross emissions by data-quality tier (§8); empty when gross is 0."""
        gross = self.gross_tco2
        if gross == ZERO:
            return {}
        return {
            quality: value / gross
            for quality, value in self._sum_by(lambda line: line.quality).items()
        }

    @property
    def sink_lines(self) -> tuple[InventoryLine, ...]:
        return tuple(self._lines(LineRole.SINK))

    @property
    def sinks_tco2(self) -> Decimal:
        """Annual removals (a positive number), reported separately (§5.9)."""
        return _total(self._tco2(line) for line in self.sink_lines)

    @property
    def net_memo_tco2(self) -> Decimal:
        """Gross − sinks: a memo only, never the basis of an indicator (§5.9)."""
        return self.gross_tco2 - self.sinks_tco2

    @property
    def green_power_claim_tco2(self) -> Decimal:
        """What qualifying green power would emit at the grid factor (the §5.3 memo)."""
        return _total(
            line.grid_equivalent_tco2
            for line in self.lines
            if line.grid_equivalent_tco2 is not None
        )

    @property
    def renewable_export_kwh(self) -> Decimal:
        """可再生能源上网电量: renewable electricity fed to the grid, a memo (§5.3)."""
        return _total(line.quantity.value for line in self._lines(LineRole.MEMO))

    @property
    def not_estimated(self) -> tuple[InventoryLine, ...]:
        """Lines with notation key NE: listed as not estimated, never as 0."""
        return tuple(self._lines(LineRole.NOT_ESTIMATED))

    @property
    def energy_lines(self) -> tuple[InventoryLine, ...]:
        """Lines of energy consumed: emission lines and zero-emission supply."""
        return tuple(
            line
            for line in self.lines
            if line.role in {LineRole.EMISSION, LineRole.ZERO_EMISSION_SUPPLY}
        )

    @property
    def energy_by_carrier(self) -> dict[SourceCategory, CarrierEnergy]:
        grouped: dict[SourceCategory, list[InventoryLine]] = {}
        for line in self.energy_lines:
            grouped.setdefault(line.category, []).append(line)
        return {
            category: CarrierEnergy(
                category=category,
                quantity=Amount(
                    _total(line.quantity.value for line in lines), _CANONICAL_UNIT[category]
                ),
                tce=_optional_total(line.energy_tce for line in lines),
                renewable=category in RENEWABLE_CATEGORIES,
            )
            for category, lines in grouped.items()
        }

    @property
    def total_tce(self) -> Decimal | None:
        """Energy consumed in tce; ``None`` when a line has no conversion under the set."""
        return _optional_total(line.energy_tce for line in self.energy_lines)

    @property
    def renewable_tce(self) -> Decimal | None:
        return _optional_total(
            line.energy_tce for line in self.energy_lines if line.category in RENEWABLE_CATEGORIES
        )

    @property
    def electricity_kwh(self) -> Decimal:
        """All electricity consumed: grid, green power and self-consumed on-site (kWh)."""
        return _total(
            line.quantity.value for line in self.lines if line.category in ELECTRICITY_CATEGORIES
        )

    @property
    def renewable_electricity_kwh(self) -> Decimal:
        return _total(
            line.quantity.value
            for line in self.lines
            if line.category in ELECTRICITY_CATEGORIES and line.category in RENEWABLE_CATEGORIES
        )

    @property
    def completeness(self) -> Completeness:
        present = {line.category for line in self.lines}
        required = [SourceCategory.ELECTRICITY]
        if self.profile.kind is UnitKind.COMMUNITY:
            required.append(SourceCategory.NATURAL_GAS)
        drivers = self.drivers
        return Completeness(
            missing_categories=tuple(c for c in required if c not in present),
            drivers_missing=drivers is None or drivers.resident_population <= 0,
            default_records=tuple(
                line.index for line in self.lines if line.quality is DataQuality.DEFAULT
            ),
        )

    @property
    def is_final(self) -> bool:
        """False while anything is missing: a draft never passes as a final result."""
        return self.completeness.is_complete


def _optional_total(values: Iterable[Decimal | None]) -> Decimal | None:
    total = ZERO
    for value in values:
        if value is None:
            return None
        total += value
    return total


# ---------------------------------------------------------------------------------------------
# Calculation


@dataclass(frozen=True)
class _Context:
    library: FactorLibrary
    factor_set: FactorSet
    year: int
    on: date
    coal_equivalent: ResolvedFactor | None


def _covers_year(factor_set: FactorSet, year: int) -> bool:
    # A set's validity is one interval, so its two ends decide.
    return factor_set.covers(date(year, 1, 1)) and factor_set.covers(date(year, 12, 31))


def calculate_inventory(
    profile: UnitProfile,
    records: Iterable[ActivityRecord],
    library: FactorLibrary,
    set_id: str,
    year: int,
) -> Inventory:
    """The inventory of ``profile`` for ``year`` under factor set ``set_id`` (module docstring).

    Raises the named errors of this module, the library's ``FactorError`` (unknown set, a
    category the set lacks) and the units layer's errors naming the record.
    """
    factor_set = library.factor_set(set_id)
    if not _covers_year(factor_set, year):
        raise FactorSetYearError(factor_set, year)
    on = date(year, 12, 31)
    try:
        coal_equivalent: ResolvedFactor | None = library.resolve(
            set_id, COAL_EQUIVALENT_CATEGORY, on
        )
    except CategoryNotCoveredError:
        coal_equivalent = None
    context = _Context(library, factor_set, year, on, coal_equivalent)
    lines = tuple(_line(context, index, record) for index, record in enumerate(records))
    return Inventory(profile=profile, year=year, factor_set=factor_set, lines=lines)


def _line(context: _Context, index: int, record: ActivityRecord) -> InventoryLine:
    if record.year != context.year:
        raise RecordYearError(index, record, context.year)
    if not record.quantity.is_finite() or record.quantity < ZERO:
        raise InvalidQuantityError(index, record)
    try:
        return _compute(context, index, record)
    except UnknownUnitError as error:
        raise UnknownUnitError(
            error.text,
            Message(
                gettext_noop("{record}: {reason}"),
                {"record": describe_record(index, record), "reason": error.reason},
            ),
        ) from error
    except UnitDimensionError as error:
        raise UnitDimensionError(
            Message(
                gettext_noop("{record}: {problem}"),
                {"record": describe_record(index, record), "problem": error.message},
            ),
            found=error.found,
            expected=error.expected,
        ) from error


def _compute(context: _Context, index: int, record: ActivityRecord) -> InventoryLine:
    category = record.category
    unit = parse_unit(record.unit)
    canonical = _CANONICAL_UNIT[category]
    check_dimension(unit, canonical)
    role, scope = _ROLE_AND_SCOPE[category]
    line = InventoryLine(
        index=index,
        record=record,
        role=role,
        scope=scope,
        gpc=_GPC_BY_CATEGORY.get(category, _GPC_BY_SECTOR[record.sector]),
        quantity=Amount(convert(record.quantity, unit, canonical), canonical),
    )
    if role is LineRole.EMISSION:
        return _emission_line(context, line, unit)
    if role is LineRole.ZERO_EMISSION_SUPPLY:
        return _energy(context, replace(line, tco2=ZERO, notes=(_ZERO_SUPPLY_NOTE,)), unit)
    if role is LineRole.SINK:
        return _sink_line(context, line, unit)
    if role is LineRole.MEMO:
        return replace(line, notes=(_EXPORT_NOTE,))
    return replace(line, notation_key=NotationKey.NOT_ESTIMATED, notes=(_NE_NOTES[category],))


_ZERO_SUPPLY_NOTE = Message(
    gettext_noop(
        "zero-emission supply: counted in energy and in the renewable share, never subtracted "
        "from emissions (accounting-method.md §5.3)"
    )
)
_EXPORT_NOTE = Message(
    gettext_noop(
        "renewable electricity fed to the grid (可再生能源上网电量): a memo item, not subtracted "
        "from emissions (accounting-method.md §5.3)"
    )
)
_SINK_NOTE = Message(
    gettext_noop(
        "carbon sink: reported separately and never netted into gross emissions "
        "(accounting-method.md §5.9)"
    )
)
_EV_NOTE = Message(
    gettext_noop(
        "charging electricity: scope 2 reported under transport; do not count it again under "
        "buildings (accounting-method.md §5.5)"
    )
)
_NE_NOTES: dict[SourceCategory, Message] = {
    SourceCategory.WASTE: Message(
        gettext_noop(
            "not estimated (NE): no official per-tonne waste factor exists and no factor set pins "
            "one (accounting-method.md §5.6)"
        )
    ),
    SourceCategory.WATER_SUPPLY: Message(
        gettext_noop(
            "not estimated (NE): the only tap-water factor has untraced provenance and no factor "
            "set pins one (accounting-method.md §5.8)"
        )
    ),
}


def _emission_line(context: _Context, line: InventoryLine, unit: Unit) -> InventoryLine:
    record = line.record
    notes: list[Message] = []
    grid_equivalent: Decimal | None = None
    if record.category is SourceCategory.GREEN_ELECTRICITY:
        factor = _green_factor(context, line.index, record)
        grid = context.library.resolve(
            context.factor_set.id, SourceCategory.ELECTRICITY.value, context.on
        )
        grid_equivalent = grid.apply(record.quantity, unit, _TCO2)
        notes.append(
            Message(
                gettext_noop(
                    "qualifying green power (沪环气候〔2023〕89号): keep the contract, settlement "
                    "and green-power certificate; at the grid factor it would be {grid} tCO2"
                ),
                {"grid": grid_equivalent},
            )
        )
        if factor.valid_from > date(context.year, 1, 1):
            notes.append(
                Message(
                    gettext_noop("only green power settled from {valid_from} qualifies"),
                    {"valid_from": factor.valid_from.isoformat()},
                )
            )
    else:
        factor = context.library.resolve(context.factor_set.id, record.category.value, context.on)
    if record.category is SourceCategory.ELECTRICITY and record.sector is Sector.TRANSPORT:
        notes.append(_EV_NOTE)
    line = replace(
        line,
        factor=factor,
        tco2=factor.apply(record.quantity, unit, _TCO2),
        grid_equivalent_tco2=grid_equivalent,
        notes=tuple(notes),
    )
    if record.category in FUEL_CATEGORIES:
        return _fuel_energy(context, line, unit, factor)
    return _energy(context, line, unit)


def _green_factor(context: _Context, index: int, record: ActivityRecord) -> ResolvedFactor:
    set_id = context.factor_set.id
    category = SourceCategory.GREEN_ELECTRICITY.value
    if category not in context.factor_set.categories:
        with_green = sorted(
            other.id
            for other in context.library.sets.values()
            if category in other.categories and _covers_year(other, context.year)
        )
        raise GreenElectricityNotCoveredError(index, record, set_id, with_green)
    factor = context.library.resolve(set_id, category, context.on)
    if factor.valid_from > context.on:
        raise GreenPowerRuleNotInForceError(index, record, factor)
    return factor


def _energy(context: _Context, line: InventoryLine, unit: Unit) -> InventoryLine:
    """Add the tce of an electricity, heat or solar-thermal line (§7)."""
    if line.category in _HEAT_LIKE:
        return replace(line, energy_tce=line.quantity.value / GJ_PER_TCE)
    coal = context.coal_equivalent
    if coal is None:
        note = _no_conversion(context.factor_set.id, COAL_EQUIVALENT_CATEGORY)
        return replace(line, notes=(*line.notes, note))
    return replace(
        line,
        energy_tce=coal.apply(line.record.quantity, unit, _TCE),
        coal_equivalent=coal,
    )


def _fuel_energy(
    context: _Context, line: InventoryLine, unit: Unit, factor: ResolvedFactor
) -> InventoryLine:
    """Add a fuel's tce: quantity × the NCV its emission factor is derived from (§5.1, §7)."""
    derived_from = context.library.factor(factor.factor_id).derived_from
    if derived_from is None:
        return replace(line, notes=(*line.notes, _no_ncv(factor.factor_id)))
    ncv = context.library.factor(derived_from.ncv).value_on(factor.valid_from)
    gigajoules = apply_rate(line.record.quantity, unit, ncv.value, ncv.unit, _GJ)
    return replace(
        line, energy_tce=gigajoules / GJ_PER_TCE, ncv=ncv, ncv_factor_id=derived_from.ncv
    )


def _no_conversion(set_id: str, category: str) -> Message:
    return Message(
        gettext_noop(
            "energy in tce not available: factor set '{set_id}' has no '{category}' factor"
        ),
        {"set_id": set_id, "category": category},
    )


def _no_ncv(factor_id: str) -> Message:
    return Message(
        gettext_noop(
            "energy in tce not available: factor '{factor_id}' names no net calorific value"
        ),
        {"factor_id": factor_id},
    )


def _sink_line(context: _Context, line: InventoryLine, unit: Unit) -> InventoryLine:
    record = line.record
    target = _SINK_LOOKUP[record.category].get(_label_key(record.label))
    if target is None:
        raise UnknownSinkTypeError(line.index, record)
    factor = context.library.resolve(context.factor_set.id, target, context.on)
    return replace(
        line,
        factor=factor,
        tco2=factor.apply(record.quantity, unit, _TCO2_PER_YEAR),
        notes=(_SINK_NOTE,),
    )
