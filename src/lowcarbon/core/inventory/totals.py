"""The accounted year (:class:`Inventory`) and every total derived from its lines: gross by
scope, category and sector, sinks, memo items, energy by carrier in tce, the renewable
share's inputs and the completeness that decides whether the result is final.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar, cast

from ..activity import (
    ActivityRecord,
    DataQuality,
    Sector,
    SourceCategory,
    SourceKey,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from ..factors import FactorSet
from ..messages import Message, gettext_noop
from ..plausibility import PlausibilityFinding, PlausibilityMetric, PlausibleRange
from ..records import cached, quick_init
from ..shares import ShareTable, apportion
from ..units import Amount
from .categories import (
    _CANONICAL_UNIT,
    ELECTRICITY_CATEGORIES,
    RENEWABLE_CATEGORIES,
    ZERO,
    LineRole,
    Scope,
)
from .lines import InventoryLine

__all__ = [
    "CarrierEnergy",
    "Completeness",
    "Inventory",
    "InventoryShares",
]


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
    drivers_missing: bool  # no drivers for the year; for a community, a resident population of 0
    default_records: tuple[int, ...]  # indexes of records of quality ``default``
    implausible: tuple[PlausibilityFinding, ...] = ()  # magnitudes outside their ranges

    @property
    def is_complete(self) -> bool:
        return not (
            self.missing_categories
            or self.drivers_missing
            or self.default_records
            or self.implausible
        )

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
        gaps += [finding.message for finding in self.implausible]
        return tuple(gaps)


_Group = TypeVar("_Group", bound=Hashable)


@dataclass(frozen=True)
class InventoryShares:
    """Shares of gross emissions (scope 1 + 2) by scope, category and sector, each table shown
    to the same decimal places and adding up to exactly 100 % (largest remainder)."""

    by_scope: ShareTable[Scope]
    by_category: ShareTable[SourceCategory]
    by_sector: ShareTable[Sector]


#: The sectors whose floor area the profile gives and whose electricity is the buildings'.
_BUILDING_SECTORS = frozenset({Sector.RESIDENTIAL, Sector.COMMERCIAL_PUBLIC})


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


_EMISSION = LineRole.EMISSION
_ZERO_EMISSION_SUPPLY = LineRole.ZERO_EMISSION_SUPPLY
_SINK = LineRole.SINK


@quick_init
@dataclass(frozen=True)
class Inventory:
    """The accounted year: its lines and every total derived from them.

    The totals that are numbers or tuples are worked out once (the inventory is frozen); the
    tables that are dictionaries are built afresh for each caller, who may change them.
    """

    profile: UnitProfile
    year: int
    factor_set: FactorSet
    lines: tuple[InventoryLine, ...]
    plausible_ranges: tuple[PlausibleRange, ...] = ()

    @property
    def set_id(self) -> str:
        return self.factor_set.id

    @cached
    def drivers(self) -> YearDrivers | None:
        return self.profile.drivers_for(self.year)

    @cached
    def records(self) -> tuple[ActivityRecord, ...]:
        return tuple(line.record for line in self.lines)

    def _lines(self, role: LineRole) -> list[InventoryLine]:
        return [line for line in self.lines if line.role is role]

    @cached
    def _by_role(
        self,
    ) -> tuple[tuple[InventoryLine, ...], tuple[InventoryLine, ...], tuple[InventoryLine, ...]]:
        """Emission, sink and energy lines (emission and zero-emission supply), in line order,
        sorted in one pass; no arithmetic here, so the totals keep their caller's context."""
        emission: list[InventoryLine] = []
        sink: list[InventoryLine] = []
        energy: list[InventoryLine] = []
        for line in self.lines:
            role = line.role
            if role is _EMISSION:
                emission.append(line)
                energy.append(line)
            elif role is _ZERO_EMISSION_SUPPLY:
                energy.append(line)
            elif role is _SINK:
                sink.append(line)
        return tuple(emission), tuple(sink), tuple(energy)

    @staticmethod
    def _tco2(line: InventoryLine) -> Decimal:
        # Emission and sink lines always carry a figure; the others are never summed.
        return line.tco2 if line.tco2 is not None else ZERO

    @cached
    def emission_lines(self) -> tuple[InventoryLine, ...]:
        return self._by_role[0]

    @cached
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

    def shares(self, places: int = 1) -> InventoryShares:
        """Shares of gross emissions (§6) by scope, category and sector, in % to ``places``
        decimals; empty tables when gross is 0."""
        return InventoryShares(
            by_scope=apportion(self.by_scope, places),
            by_category=apportion(self.by_category, places),
            by_sector=apportion(self.by_sector, places),
        )

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

    @cached
    def sink_lines(self) -> tuple[InventoryLine, ...]:
        return self._by_role[1]

    @cached
    def sinks_tco2(self) -> Decimal:
        """Annual removals (a positive number), reported separately (§5.9)."""
        return _total(self._tco2(line) for line in self.sink_lines)

    @cached
    def net_memo_tco2(self) -> Decimal:
        """Gross − sinks: a memo only, never the basis of an indicator (§5.9)."""
        return self.gross_tco2 - self.sinks_tco2

    @cached
    def green_power_claim_tco2(self) -> Decimal:
        """What qualifying green power would emit at the grid factor (the §5.3 memo)."""
        return _total(
            line.grid_equivalent_tco2
            for line in self.lines
            if line.grid_equivalent_tco2 is not None
        )

    @cached
    def renewable_export_kwh(self) -> Decimal:
        """可再生能源上网电量: renewable electricity fed to the grid, a memo (§5.3)."""
        return _total(line.quantity.value for line in self._lines(LineRole.MEMO))

    @cached
    def not_estimated(self) -> tuple[InventoryLine, ...]:
        """Lines with notation key NE: listed as not estimated, never as 0."""
        return tuple(self._lines(LineRole.NOT_ESTIMATED))

    @cached
    def energy_lines(self) -> tuple[InventoryLine, ...]:
        """Lines of energy consumed: emission lines and zero-emission supply."""
        return self._by_role[2]

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

    @cached
    def _energy_totals(self) -> tuple[Decimal | None, Decimal | None, Decimal, Decimal]:
        """total_tce, renewable_tce, electricity_kwh and renewable_electricity_kwh, summed in
        line order in one pass (the indicators and the baseline read all four together)."""
        tce: Decimal | None = ZERO
        renewable_tce: Decimal | None = ZERO
        kwh = renewable_kwh = ZERO
        for line in self.lines:
            role, category = line.role, line.record.category
            renewable = category in RENEWABLE_CATEGORIES
            if role is _EMISSION or role is _ZERO_EMISSION_SUPPLY:
                energy = line.energy_tce
                if tce is not None:
                    tce = None if energy is None else tce + energy
                if renewable and renewable_tce is not None:
                    renewable_tce = None if energy is None else renewable_tce + energy
            if category in ELECTRICITY_CATEGORIES:
                kwh += line.quantity.value
                if renewable:
                    renewable_kwh += line.quantity.value
        return tce, renewable_tce, kwh, renewable_kwh

    @cached
    def total_tce(self) -> Decimal | None:
        """Energy consumed in tce; ``None`` when a line has no conversion under the set."""
        return self._energy_totals[0]

    @cached
    def renewable_tce(self) -> Decimal | None:
        return self._energy_totals[1]

    @cached
    def electricity_kwh(self) -> Decimal:
        """All electricity consumed: grid, green power and self-consumed on-site (kWh)."""
        return self._energy_totals[2]

    @cached
    def renewable_electricity_kwh(self) -> Decimal:
        return self._energy_totals[3]

    @property
    def completeness(self) -> Completeness:
        present = {line.category for line in self.lines}
        required = [SourceCategory.ELECTRICITY]
        if self.profile.kind is UnitKind.COMMUNITY:
            required.append(SourceCategory.NATURAL_GAS)
        drivers = self.drivers
        # A community's headline indicator is per capita (附件3 三、1), so it needs residents; a
        # zone may have none (an industrial park): only its per-capita figures are then refused.
        unpopulated = drivers is not None and drivers.resident_population <= 0
        return Completeness(
            missing_categories=tuple(c for c in required if c not in present),
            drivers_missing=drivers is None
            or (unpopulated and self.profile.kind is UnitKind.COMMUNITY),
            default_records=tuple(
                line.index for line in self.lines if line.quality is DataQuality.DEFAULT
            ),
            implausible=self.plausibility(),
        )

    def _electricity_kwh(self, sectors: frozenset[Sector]) -> Decimal | None:
        lines = [
            line
            for line in self.lines
            if line.category in ELECTRICITY_CATEGORIES and line.sector in sectors
        ]
        return _total(line.quantity.value for line in lines) if lines else None

    def _metric(self, metric: PlausibilityMetric) -> tuple[Decimal, Decimal] | None:
        """(numerator, denominator) of a plausibility metric, or None when it cannot be judged."""
        drivers = self.drivers
        if drivers is None:
            return None
        if metric is PlausibilityMetric.PER_CAPITA:
            people = Decimal(drivers.resident_population)
            return (self.gross_tco2, people) if people > 0 else None
        if metric is PlausibilityMetric.RESIDENTIAL_ELECTRICITY_PER_HOUSEHOLD:
            households = Decimal(drivers.households or 0)
            kwh = self._electricity_kwh(frozenset({Sector.RESIDENTIAL}))
            return (kwh, households) if kwh is not None and households > 0 else None
        # PlausibilityMetric.BUILDING_ELECTRICITY_PER_FLOOR_AREA
        areas = drivers.floor_area_m2
        area = _total(areas.get(sector.value, ZERO) for sector in _BUILDING_SECTORS)
        kwh = self._electricity_kwh(_BUILDING_SECTORS)
        return (kwh, area) if kwh is not None and area > 0 else None

    def plausibility(self) -> tuple[PlausibilityFinding, ...]:
        """The magnitudes of this year outside the ranges that apply to the unit's kind."""
        findings: list[PlausibilityFinding] = []
        for plausible in self.plausible_ranges:
            if self.profile.kind not in plausible.kinds:
                continue
            figures = self._metric(plausible.metric)
            if figures is None:
                continue
            numerator, denominator = figures
            value = numerator / denominator
            if not plausible.contains(value):
                findings.append(
                    PlausibilityFinding(plausible, self.year, value, numerator, denominator)
                )
        return tuple(findings)

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
