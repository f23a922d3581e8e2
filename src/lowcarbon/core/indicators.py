"""The indicators of one inventory (accounting-method.md §7) and like-for-like year comparison.

Each :class:`Indicator` carries its value, its unit, the formula in words and the inputs it was
computed from (``Message`` objects: the explanation trace). An indicator that cannot be
computed is *not applicable* (``value is None`` with a reason), which is never shown as 0:

* **Total (碳排放总量)**: the gross total, scope 1 + 2 (§6 core energy total).
* **Per capita (人均碳排放)**: gross ÷ resident (常住) population (§7). A population of 0 makes
  the per-capita figures (and only they) not applicable, with the reason, rather than 0 or
  infinity: an industrial zone may have no residents, and its other indicators still stand. A
  negative population is a data error and raises :class:`ZeroPopulationError`.
* **Per household**, **per m² floor area**, **per 10⁴ yuan GDP**: not applicable when the
  denominator is not given; a denominator given as 0 or less raises
  :class:`InvalidDenominatorError` (a data error, not an answer). Per floor area uses building
  emissions only (sectors residential and commercial_public, GB/T 51366 intensity) over the
  total of the floor areas given, in kgCO2/(m²·a) as §7 states.
* **Renewable share (可再生能源利用占比)**: renewable tce (green power, self-consumed on-site
  renewable electricity, solar thermal) ÷ all energy consumed in tce, on the calorific
  equivalent (§7, GB/T 2589-2020); and the simpler electricity share, renewable kWh ÷ all kWh
  consumed. Not applicable with no energy, or when the set gives no tce conversion.
* **Source-to-sink ratio (碳源碳汇比)**: gross ÷ annual sinks (§5.9); not applicable without
  sinks.

:func:`compare_years` computes the decline rates (碳排放下降率, total and per capita, §7) with
factors held constant (§5.2): when the two inventories were computed under different factor
sets, the base year is recomputed under the current year's set from its records, the decline
rate is the like-for-like one, and the change due to the factor set is reported apart, as a
memo that is never a reduction (factors page: "a change of factor vintage is never a
reduction"). A comparison never reports a decline from missing data: when the current year has
no emission record, or a source recorded in the base year has no record in the current year,
the decline rates are not applicable with that reason (:attr:`YearComparison.refused`); when
either year is a draft (gaps, implausible magnitudes), the rates are computed but carry the
drafts' gaps as caveats and are provisional.

::

    LowcarbonError (core)
    └── IndicatorError                 an indicator cannot be computed from the inputs given
        ├── DriversYearError           drivers of another year than the inventory
        ├── MissingDriversError        no drivers for the inventory's year
        └── InvalidDenominatorError    a denominator given as 0 or less
            └── ZeroPopulationError    resident population 0 (or less)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from .activity import ActivityRecord, Sector, YearDrivers
from .errors import LowcarbonError
from .factors import FactorLibrary
from .inventory import Inventory, calculate_inventory
from .messages import Message, Term, gettext_noop
from .records import quick_init

__all__ = [
    "DriversYearError",
    "Indicator",
    "IndicatorError",
    "IndicatorId",
    "Indicators",
    "InvalidDenominatorError",
    "MissingDriversError",
    "RecordsMismatchError",
    "YearComparison",
    "ZeroPopulationError",
    "calculate_indicators",
    "compare_years",
    "drivers_of",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
KG_PER_T = Decimal(1000)

BUILDING_SECTORS = frozenset({Sector.RESIDENTIAL, Sector.COMMERCIAL_PUBLIC})


class IndicatorError(LowcarbonError):
    code = "indicator"


class DriversYearError(IndicatorError):
    code = "indicator_drivers_year"

    def __init__(self, drivers_year: int, year: int) -> None:
        super().__init__(
            Message(
                gettext_noop("the drivers are for {drivers_year}, the inventory for {year}"),
                {"drivers_year": drivers_year, "year": year},
            )
        )


class MissingDriversError(IndicatorError):
    code = "indicator_drivers_missing"

    def __init__(self, unit_name: str, year: int) -> None:
        super().__init__(
            Message(
                gettext_noop(
                    "'{unit}' has no drivers (population, households, floor area) for {year}"
                ),
                {"unit": unit_name, "year": year},
            )
        )


class InvalidDenominatorError(IndicatorError):
    code = "indicator_denominator"

    def __init__(self, name: Message, value: object, year: int) -> None:
        self.value = value
        super().__init__(
            Message(
                gettext_noop(
                    "the {name} of {year} is {value}: an indicator per {name} needs a value "
                    "above 0 (not 0 or infinity)"
                ),
                {"name": name, "value": str(value), "year": year},
            )
        )


class ZeroPopulationError(InvalidDenominatorError):
    code = "indicator_population_zero"

    def __init__(self, value: int, year: int) -> None:
        super().__init__(_POPULATION, value, year)


class RecordsMismatchError(IndicatorError):
    code = "indicator_records_mismatch"

    def __init__(self, year: int) -> None:
        super().__init__(
            Message(
                gettext_noop(
                    "the base-year records given are not the records of the {year} inventory"
                ),
                {"year": year},
            )
        )


_POPULATION = Message(gettext_noop("resident population"))
_HOUSEHOLDS = Message(gettext_noop("number of households"))
_FLOOR_AREA = Message(gettext_noop("floor area"))
_GDP = Message(gettext_noop("GDP"))
_EMISSION = Message(gettext_noop("emission"))


class IndicatorId(StrEnum):
    TOTAL = "total"  # 碳排放总量
    PER_CAPITA = "per_capita"  # 人均碳排放
    PER_HOUSEHOLD = "per_household"
    PER_FLOOR_AREA = "per_floor_area"  # 单位建筑面积碳排放
    PER_GDP = "per_gdp"  # 单位GDP碳排放
    RENEWABLE_SHARE = "renewable_share"  # 可再生能源利用占比 (tce basis)
    RENEWABLE_ELECTRICITY_SHARE = "renewable_electricity_share"
    SOURCE_SINK_RATIO = "source_sink_ratio"  # 碳源碳汇比
    DECLINE_RATE = "decline_rate"  # 碳排放下降率, like for like
    PER_CAPITA_DECLINE_RATE = "per_capita_decline_rate"  # 人均碳排放下降率
    APPARENT_DECLINE_RATE = "apparent_decline_rate"  # as reported, factor change included
    FACTOR_CHANGE_EFFECT = "factor_change_effect"  # the part due to the factor set


@quick_init
@dataclass(frozen=True)
class Indicator:
    """A value with its unit, formula and inputs; ``value is None`` means not applicable."""

    id: IndicatorId
    value: Decimal | None
    unit: str
    formula: Message
    inputs: tuple[Message, ...] = ()
    not_applicable: Message | None = None  # the reason, when value is None
    caveats: tuple[Message, ...] = ()  # why a value is provisional (a draft year …)

    @property
    def applicable(self) -> bool:
        return self.value is not None

    @property
    def provisional(self) -> bool:
        return self.value is not None and bool(self.caveats)

    def explanation(self) -> tuple[Message, ...]:
        """The formula, the inputs, then the value or the reason it is not applicable, then
        the caveats of a provisional value."""
        outcome = (
            Message(
                gettext_noop("= {value} {unit}"),
                {"value": self.value, "unit": Term("unit", self.unit)},
            )
            if self.value is not None
            else Message(gettext_noop("not applicable: {reason}"), {"reason": self.not_applicable})
        )
        caveats = tuple(
            Message(gettext_noop("provisional: {caveat}"), {"caveat": caveat})
            for caveat in self.caveats
        )
        return (self.formula, *self.inputs, outcome, *caveats)


def _input(template: str, value: object, unit: str) -> Message:
    return Message(template, {"value": value, "unit": _unit_term(unit)})


@lru_cache(maxsize=64)
def _unit_term(unit: str) -> Term:
    # The few units of the indicators' inputs, one (frozen) term each.
    return Term("unit", unit)


_NOT_GIVEN = Message(gettext_noop("not given"))
# The reasons that name nothing, one (frozen) message each.
_NO_HOUSEHOLDS = Message(gettext_noop("the number of households is not given"))
_NO_FLOOR_AREA = Message(gettext_noop("no floor area is given"))
_NO_GDP = Message(gettext_noop("GDP is not given"))
_NO_ENERGY = Message(gettext_noop("no energy consumption is recorded"))
_NO_ELECTRICITY = Message(gettext_noop("no electricity consumption is recorded"))
_NO_SINK = Message(gettext_noop("no carbon sink is recorded (green space or trees)"))


def _ratio(
    indicator: IndicatorId,
    numerator: Decimal,
    denominator: Decimal,
    *,
    unit: str,
    formula: Message,
    inputs: tuple[Message, ...],
    scale: Decimal = Decimal(1),
) -> Indicator:
    return Indicator(indicator, numerator * scale / denominator, unit, formula, inputs)


def _not_applicable(
    indicator: IndicatorId, unit: str, formula: Message, reason: Message, *inputs: Message
) -> Indicator:
    return Indicator(indicator, None, unit, formula, tuple(inputs), reason)


@quick_init
@dataclass(frozen=True)
class Indicators:
    """The §7 indicators of one inventory, in report order."""

    year: int
    total: Indicator
    per_capita: Indicator
    per_household: Indicator
    per_floor_area: Indicator
    per_gdp: Indicator
    renewable_share: Indicator
    renewable_electricity_share: Indicator
    source_sink_ratio: Indicator

    def __iter__(self) -> Iterator[Indicator]:
        yield from (
            self.total,
            self.per_capita,
            self.per_household,
            self.per_floor_area,
            self.per_gdp,
            self.renewable_share,
            self.renewable_electricity_share,
            self.source_sink_ratio,
        )

    def by_id(self) -> dict[IndicatorId, Indicator]:
        return {indicator.id: indicator for indicator in self}


def _gross_input(inventory: Inventory) -> Message:
    return Message(
        gettext_noop("gross emissions (scope 1 + 2) of {year}: {value} tCO2 (set {set_id})"),
        {"year": inventory.year, "value": inventory.gross_tco2, "set_id": inventory.set_id},
    )


def _population(drivers: YearDrivers) -> Decimal | None:
    """The resident population; None when it is 0 (per-capita figures are then not
    applicable); a negative number is a data error."""
    if drivers.resident_population < 0:
        raise ZeroPopulationError(drivers.resident_population, drivers.year)
    if drivers.resident_population == 0:
        return None
    return Decimal(drivers.resident_population)


def _no_population(year: int) -> Message:
    return Message(
        gettext_noop(
            "the resident population of {year} is 0: per-capita figures need a population above 0"
        ),
        {"year": year},
    )


def _positive(value: Decimal | int, name: Message, year: int) -> Decimal:
    if value <= 0:
        raise InvalidDenominatorError(name, value, year)
    return Decimal(value)


_TOTAL_FORMULA = Message(gettext_noop("碳排放总量 = scope 1 + scope 2 emissions (§6)"))


def calculate_indicators(inventory: Inventory, drivers: YearDrivers) -> Indicators:
    """The indicators of ``inventory`` with the denominators of ``drivers`` (same year)."""
    if drivers.year != inventory.year:
        raise DriversYearError(drivers.year, inventory.year)
    gross = inventory.gross_tco2
    gross_input = _gross_input(inventory)
    return Indicators(
        year=inventory.year,
        total=Indicator(
            IndicatorId.TOTAL,
            gross,
            "tCO2",
            _TOTAL_FORMULA,
            (gross_input,),
        ),
        per_capita=_per_capita(gross, gross_input, drivers),
        per_household=_per_household(gross, gross_input, drivers),
        per_floor_area=_per_floor_area(inventory, drivers),
        per_gdp=_per_gdp(gross, gross_input, drivers),
        renewable_share=_renewable_share(inventory),
        renewable_electricity_share=_renewable_electricity_share(inventory),
        source_sink_ratio=_source_sink_ratio(inventory, gross_input),
    )


_PER_CAPITA_FORMULA = Message(
    gettext_noop("人均碳排放 = gross emissions ÷ resident (常住) population (§7)")
)


def _population_input(drivers: YearDrivers) -> Message:
    return Message(
        gettext_noop("resident population of {year}: {value} (registered: {registered})"),
        {
            "year": drivers.year,
            "value": drivers.resident_population,
            "registered": (
                drivers.registered_population
                if drivers.registered_population is not None
                else _NOT_GIVEN
            ),
        },
    )


def _per_capita(gross: Decimal, gross_input: Message, drivers: YearDrivers) -> Indicator:
    population = _population(drivers)
    if population is None:
        return _not_applicable(
            IndicatorId.PER_CAPITA,
            "tCO2/person",
            _PER_CAPITA_FORMULA,
            _no_population(drivers.year),
            _population_input(drivers),
        )
    return _ratio(
        IndicatorId.PER_CAPITA,
        gross,
        population,
        unit="tCO2/person",
        formula=_PER_CAPITA_FORMULA,
        inputs=(gross_input, _population_input(drivers)),
    )


_PER_HOUSEHOLD_FORMULA = Message(gettext_noop("gross emissions ÷ number of households"))


def _per_household(gross: Decimal, gross_input: Message, drivers: YearDrivers) -> Indicator:
    formula = _PER_HOUSEHOLD_FORMULA
    if drivers.households is None:
        return _not_applicable(
            IndicatorId.PER_HOUSEHOLD,
            "tCO2/household",
            formula,
            _NO_HOUSEHOLDS,
        )
    households = _positive(drivers.households, _HOUSEHOLDS, drivers.year)
    return _ratio(
        IndicatorId.PER_HOUSEHOLD,
        gross,
        households,
        unit="tCO2/household",
        formula=formula,
        inputs=(
            gross_input,
            Message(gettext_noop("households: {value}"), {"value": drivers.households}),
        ),
    )


_PER_FLOOR_AREA_FORMULA = Message(
    gettext_noop(
        "单位建筑面积碳排放 = emissions of residential and public buildings ÷ total floor "
        "area, in kgCO2/(m²·a) (§7, GB/T 51366)"
    )
)


def _per_floor_area(inventory: Inventory, drivers: YearDrivers) -> Indicator:
    formula = _PER_FLOOR_AREA_FORMULA
    unit = "kgCO2/(m2*a)"
    if not drivers.floor_area_m2:
        return _not_applicable(
            IndicatorId.PER_FLOOR_AREA,
            unit,
            formula,
            _NO_FLOOR_AREA,
        )
    area = _positive(sum(drivers.floor_area_m2.values(), ZERO), _FLOOR_AREA, drivers.year)
    buildings = _buildings_tco2(inventory)
    return _ratio(
        IndicatorId.PER_FLOOR_AREA,
        buildings,
        area,
        unit=unit,
        formula=formula,
        inputs=(
            _input(gettext_noop("building emissions: {value} {unit}"), buildings, "tCO2"),
            Message(
                gettext_noop("floor area: {value} m² ({types})"),
                {
                    "value": area,
                    "types": [f"{kind} {value}" for kind, value in drivers.floor_area_m2.items()],
                },
            ),
        ),
        scale=KG_PER_T,
    )


def _buildings_tco2(inventory: Inventory) -> Decimal:
    """The emissions of the building sectors: each sector's total as ``by_sector`` sums it
    (line order), then the sectors in the order they first appear, as the sum of the building
    sectors of ``by_sector`` would be taken."""
    totals: dict[Sector, Decimal] = {}
    for line in inventory.emission_lines:
        sector = line.record.sector
        if sector in BUILDING_SECTORS:
            # Emission lines always carry tCO2 (Inventory._tco2).
            tco2 = line.tco2 if line.tco2 is not None else ZERO
            totals[sector] = totals.get(sector, ZERO) + tco2
    return sum(totals.values(), ZERO)


_PER_GDP_FORMULA = Message(
    gettext_noop("单位GDP碳排放 = gross emissions ÷ GDP or value added (§7)")
)


def _per_gdp(gross: Decimal, gross_input: Message, drivers: YearDrivers) -> Indicator:
    formula = _PER_GDP_FORMULA
    unit = "tCO2/10^4yuan"
    if drivers.gdp_10k_yuan is None:
        return _not_applicable(IndicatorId.PER_GDP, unit, formula, _NO_GDP)
    gdp = _positive(drivers.gdp_10k_yuan, _GDP, drivers.year)
    return _ratio(
        IndicatorId.PER_GDP,
        gross,
        gdp,
        unit=unit,
        formula=formula,
        inputs=(gross_input, _input(gettext_noop("GDP: {value} {unit}"), gdp, "10^4 yuan")),
    )


_RENEWABLE_SHARE_FORMULA = Message(
    gettext_noop(
        "可再生能源利用占比 = (green power + self-consumed on-site renewable electricity + "
        "solar thermal) ÷ all energy consumed, in tce on the calorific equivalent "
        "(§7, GB/T 2589-2020)"
    )
)


def _renewable_share(inventory: Inventory) -> Indicator:
    formula = _RENEWABLE_SHARE_FORMULA
    total = inventory.total_tce
    renewable = inventory.renewable_tce
    if total is None or renewable is None:
        return _not_applicable(
            IndicatorId.RENEWABLE_SHARE,
            "%",
            formula,
            Message(
                gettext_noop("energy in tce is not available under factor set '{set_id}'"),
                {"set_id": inventory.set_id},
            ),
        )
    inputs = (
        _input(gettext_noop("renewable energy: {value} {unit}"), renewable, "tce"),
        _input(gettext_noop("all energy consumed: {value} {unit}"), total, "tce"),
    )
    if total == ZERO:
        return _not_applicable(
            IndicatorId.RENEWABLE_SHARE,
            "%",
            formula,
            _NO_ENERGY,
            *inputs,
        )
    return _ratio(
        IndicatorId.RENEWABLE_SHARE,
        renewable,
        total,
        unit="%",
        formula=formula,
        inputs=inputs,
        scale=HUNDRED,
    )


_RENEWABLE_ELECTRICITY_SHARE_FORMULA = Message(
    gettext_noop("renewable electricity share = renewable kWh ÷ all kWh consumed (§7)")
)


def _renewable_electricity_share(inventory: Inventory) -> Indicator:
    formula = _RENEWABLE_ELECTRICITY_SHARE_FORMULA
    total = inventory.electricity_kwh
    renewable = inventory.renewable_electricity_kwh
    inputs = (
        _input(gettext_noop("renewable electricity: {value} {unit}"), renewable, "kWh"),
        _input(gettext_noop("all electricity consumed: {value} {unit}"), total, "kWh"),
    )
    if total == ZERO:
        return _not_applicable(
            IndicatorId.RENEWABLE_ELECTRICITY_SHARE,
            "%",
            formula,
            _NO_ELECTRICITY,
            *inputs,
        )
    return _ratio(
        IndicatorId.RENEWABLE_ELECTRICITY_SHARE,
        renewable,
        total,
        unit="%",
        formula=formula,
        inputs=inputs,
        scale=HUNDRED,
    )


_SOURCE_SINK_RATIO_FORMULA = Message(
    gettext_noop("碳源碳汇比 = gross emissions ÷ annual carbon sinks; lower is better (§5.9)")
)


def _source_sink_ratio(inventory: Inventory, gross_input: Message) -> Indicator:
    formula = _SOURCE_SINK_RATIO_FORMULA
    sinks = inventory.sinks_tco2
    inputs = (gross_input, _input(gettext_noop("annual sinks: {value} {unit}"), sinks, "tCO2"))
    if sinks == ZERO:
        return _not_applicable(
            IndicatorId.SOURCE_SINK_RATIO,
            "",
            formula,
            _NO_SINK,
            *inputs,
        )
    return _ratio(
        IndicatorId.SOURCE_SINK_RATIO,
        inventory.gross_tco2,
        sinks,
        unit="",
        formula=formula,
        inputs=inputs,
    )


# ---------------------------------------------------------------------------------------------
# Comparing years


def drivers_of(inventory: Inventory) -> YearDrivers:
    """The profile's drivers for the inventory's year; raises when there are none."""
    drivers = inventory.drivers
    if drivers is None:
        raise MissingDriversError(inventory.profile.name, inventory.year)
    return drivers


@dataclass(frozen=True)
class YearComparison:
    """Base year against current year, like for like (§5.2, §7 碳排放下降率).

    ``base_like_for_like_tco2`` is the base year recomputed under the current year's set (equal
    to ``base_reported_tco2`` when both used the same set). ``decline_rate`` and
    ``per_capita_decline_rate`` compare like for like; ``factor_change_effect`` is the part of
    the apparent change due to the change of factor set (a memo, never a reduction), and
    ``apparent_decline_rate`` the change as the two reports show it.
    """

    base_year: int
    current_year: int
    set_id: str  # the set both years are compared under (the current year's)
    base_set_id: str  # the set the base inventory was reported under
    base_reported_tco2: Decimal
    base_like_for_like_tco2: Decimal
    current_tco2: Decimal
    base: Inventory  # the base year under ``set_id``
    decline_rate: Indicator
    per_capita_decline_rate: Indicator
    apparent_decline_rate: Indicator
    factor_change_effect: Indicator
    notes: tuple[Message, ...] = ()
    refused: Message | None = None  # why no decline is computed (a source without data …)
    caveats: tuple[Message, ...] = ()  # why the decline is provisional (a draft year …)

    @property
    def recalculated(self) -> bool:
        return self.base_set_id != self.set_id

    @property
    def provisional(self) -> bool:
        return self.refused is None and bool(self.caveats)

    @property
    def factor_change_effect_tco2(self) -> Decimal:
        """Reported base − base recomputed: the change no action caused (positive = lower)."""
        return self.base_reported_tco2 - self.base_like_for_like_tco2


def _missing_data(base: Inventory, current: Inventory) -> Message | None:
    """Why comparing ``current`` with ``base`` would report a decline from missing data.

    A year with no emission record, or a source (category and sector) recorded in the base
    year and absent from the current one, lowers the current total by what was not entered.
    A source that stopped is entered with quantity 0, which counts as reported.
    """
    if not current.emission_lines:
        return Message(
            gettext_noop(
                "the {year} inventory has no emission record: a decline cannot be computed from "
                "missing data"
            ),
            {"year": current.year},
        )
    present = {line.key for line in current.emission_lines}
    missing = sorted({line.key for line in base.emission_lines} - present)
    if not missing:
        return None
    return Message(
        gettext_noop(
            "{sources} recorded for {base_year} have no record for {year}: a decline cannot be "
            "computed from missing data; enter every source for both years (0 if it stopped)"
        ),
        {
            "sources": [f"{category.value}/{sector.value}" for category, sector in missing],
            "base_year": base.year,
            "year": current.year,
        },
    )


def _draft_caveats(inventories: Iterable[Inventory]) -> tuple[Message, ...]:
    """A provisional decline: each draft year and what it lacks (its gaps)."""
    return tuple(
        Message(
            gettext_noop("{year} is a draft, not a final result: {gaps}"),
            {"year": inventory.year, "gaps": list(inventory.completeness.gaps())},
        )
        for inventory in inventories
        if not inventory.is_final
    )


def _refuse(indicator: Indicator, reason: Message) -> Indicator:
    return Indicator(
        indicator.id, None, indicator.unit, indicator.formula, indicator.inputs, reason
    )


def _with_caveats(indicator: Indicator, caveats: tuple[Message, ...]) -> Indicator:
    return Indicator(
        indicator.id,
        indicator.value,
        indicator.unit,
        indicator.formula,
        indicator.inputs,
        indicator.not_applicable,
        caveats,
    )


def _decline(
    indicator: IndicatorId,
    base: Decimal,
    current: Decimal,
    *,
    formula: Message,
    inputs: tuple[Message, ...],
    unit_name: Message,
) -> Indicator:
    if base == ZERO:
        return _not_applicable(
            indicator,
            "%",
            formula,
            Message(
                gettext_noop("the base-year {name} is 0, so no rate can be computed"),
                {"name": unit_name},
            ),
            *inputs,
        )
    return _ratio(
        indicator, base - current, base, unit="%", formula=formula, inputs=inputs, scale=HUNDRED
    )


def compare_years(
    base: Inventory,
    current: Inventory,
    library: FactorLibrary,
    base_records: Iterable[ActivityRecord] | None = None,
) -> YearComparison:
    """Decline rates of ``current`` against ``base``, with the factor set held constant.

    When the sets differ, the base year is recomputed from ``base_records`` (by default the
    base inventory's own records; when given they must be the same records) under the current
    year's set, which must be valid for the base year. Per-capita rates use each inventory's
    drivers (resident population).
    """
    records = base.records
    if base_records is not None:
        given = tuple(base_records)
        if Counter(given) != Counter(records):
            raise RecordsMismatchError(base.year)
    recalculated = base.set_id != current.set_id
    like_for_like = (
        calculate_inventory(base.profile, records, library, current.set_id, base.year)
        if recalculated
        else base
    )
    base_reported = base.gross_tco2
    base_lfl = like_for_like.gross_tco2
    current_gross = current.gross_tco2
    lfl_inputs = (_gross_input(like_for_like), _gross_input(current))
    decline = _decline(
        IndicatorId.DECLINE_RATE,
        base_lfl,
        current_gross,
        formula=Message(
            gettext_noop(
                "碳排放下降率 = (E_base − E_current) ÷ E_base × 100%, both years under factor "
                "set '{set_id}' (§5.2, §7)"
            ),
            {"set_id": current.set_id},
        ),
        inputs=lfl_inputs,
        unit_name=_EMISSION,
    )
    per_capita = _per_capita_decline(like_for_like, current)
    apparent = _decline(
        IndicatorId.APPARENT_DECLINE_RATE,
        base_reported,
        current_gross,
        formula=Message(
            gettext_noop(
                "apparent change = (E_base as reported under '{base_set}' − E_current under "
                "'{set_id}') ÷ E_base as reported × 100%; not a decline rate when the sets "
                "differ"
            ),
            {"base_set": base.set_id, "set_id": current.set_id},
        ),
        inputs=(_gross_input(base), _gross_input(current)),
        unit_name=_EMISSION,
    )
    factor_effect = _decline(
        IndicatorId.FACTOR_CHANGE_EFFECT,
        base_reported,
        base_lfl,
        formula=Message(
            gettext_noop(
                "change due to the factor set = (E_base under '{base_set}' − E_base under "
                "'{set_id}') ÷ E_base under '{base_set}' × 100%: a change of factor vintage, "
                "never a reduction"
            ),
            {"base_set": base.set_id, "set_id": current.set_id},
        ),
        inputs=(_gross_input(base), _gross_input(like_for_like)),
        unit_name=_EMISSION,
    )
    refused = _missing_data(like_for_like, current)
    caveats = _draft_caveats((base, current))
    if refused is not None:
        decline, per_capita, apparent = (
            _refuse(indicator, refused) for indicator in (decline, per_capita, apparent)
        )
    elif caveats:
        decline, per_capita, apparent = (
            _with_caveats(indicator, caveats) for indicator in (decline, per_capita, apparent)
        )
    notes = (
        (
            Message(
                gettext_noop(
                    "the base year {year} was reported under '{base_set}' and is recomputed "
                    "under '{set_id}' so that both years use the same factors (§5.2)"
                ),
                {"year": base.year, "base_set": base.set_id, "set_id": current.set_id},
            ),
        )
        if recalculated
        else ()
    )
    return YearComparison(
        base_year=base.year,
        current_year=current.year,
        set_id=current.set_id,
        base_set_id=base.set_id,
        base_reported_tco2=base_reported,
        base_like_for_like_tco2=base_lfl,
        current_tco2=current_gross,
        base=like_for_like,
        decline_rate=decline,
        per_capita_decline_rate=per_capita,
        apparent_decline_rate=apparent,
        factor_change_effect=factor_effect,
        notes=notes,
        refused=refused,
        caveats=() if refused is not None else caveats,
    )


def _per_capita_decline(base: Inventory, current: Inventory) -> Indicator:
    formula = Message(
        gettext_noop(
            "人均碳排放下降率 = (per capita base − per capita current) ÷ per capita base × 100%, "
            "both years under factor set '{set_id}' (§7)"
        ),
        {"set_id": current.set_id},
    )
    base_drivers, current_drivers = base.drivers, current.drivers
    if base_drivers is None or current_drivers is None:
        return _not_applicable(
            IndicatorId.PER_CAPITA_DECLINE_RATE,
            "%",
            formula,
            Message(
                gettext_noop("drivers (resident population) are missing for {year}"),
                {"year": base.year if base_drivers is None else current.year},
            ),
        )
    base_population, current_population = _population(base_drivers), _population(current_drivers)
    if base_population is None or current_population is None:
        return _not_applicable(
            IndicatorId.PER_CAPITA_DECLINE_RATE,
            "%",
            formula,
            _no_population(base.year if base_population is None else current.year),
            _population_input(base_drivers),
            _population_input(current_drivers),
        )
    base_pc = base.gross_tco2 / base_population
    current_pc = current.gross_tco2 / current_population
    return _decline(
        IndicatorId.PER_CAPITA_DECLINE_RATE,
        base_pc,
        current_pc,
        formula=formula,
        inputs=(
            _gross_input(base),
            _population_input(base_drivers),
            _gross_input(current),
            _population_input(current_drivers),
        ),
        unit_name=Message(gettext_noop("per-capita emission")),
    )
