"""Business-as-usual and plan scenarios to the target years (accounting-method.md §9).

附件2 一 gives 8 points for "对区域碳排放情况进行合理预测" and 附件2 三 asks for task reductions
that reconcile with the overall target. This module builds both trajectories that
:mod:`lowcarbon.core.targets` checks the targets against:

* **business as usual** (基准情景): every source of the base-year inventory follows the driver of
  its sector and declines with the autonomous efficiency gain η,
  ``E_BAU(s, t) = E_base(s) × D(s, t) / D(s, base) × (1 − η)^(t − base)``;
* **plan** (规划情景): ``E_plan(t) = E_BAU(t) − Σ ΔE_task(t)``. Each task ramps up linearly and
  the overlaps between tasks are removed (the double counting of §9).

The input is a :class:`Baseline` that the caller builds from the inventory; this module never
imports the inventory.

Arithmetic: every projected quantity is rounded to 10⁻⁶ of its unit (one gram of CO2). Because
of this rounding, sums of projected values are exact in Decimal arithmetic, and "plan ≤ BAU" and
"plan ≥ 0" hold exactly, not only up to rounding noise. Intermediate products and the
double-counting guard use exact fractions. Results are Decimals.

::

    LowcarbonError (core)
    └── ForecastError              the inputs cannot give a forecast
        ├── BaselineError          a base year that contradicts itself (negative emissions…)
        ├── DriverError            planned drivers or growth rates that cannot be used
        ├── ForecastYearError      a year before the base year, or one that was not projected
        └── TaskError              a task whose figures cannot be counted (ramp < 1…)
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from .activity import ForecastAssumptions, Sector, SourceCategory, SourceKey, Task, YearDrivers
from .errors import LowcarbonError
from .messages import Message, gettext_noop

__all__ = [
    "ELECTRICITY_TCE_PER_KWH",
    "PLACES",
    "SECTOR_DRIVERS",
    "Baseline",
    "BaselineError",
    "DriverError",
    "DriverKind",
    "DriverValue",
    "ForecastError",
    "ForecastYearError",
    "Overlap",
    "PlanForecast",
    "PlanYear",
    "SourceProjection",
    "TaskEffect",
    "TaskError",
    "YearProjection",
    "forecast_bau",
    "forecast_plan",
    "ramp_fraction",
    "source_label",
    "to_decimal",
]

#: Decimal places of every projected quantity (tCO2 → grams; tce, kWh, persons likewise).
PLACES = 6
_SCALE = 10**PLACES

#: Calorific equivalent of electricity, 0.1229 kgce/kWh (GB/T 2589-2020, ``EN-GB2589-ELEC-TCE``),
#: the conversion §7 prescribes for the renewable share. It converts the renewable kWh that tasks
#: add into tce.
ELECTRICITY_TCE_PER_KWH = Decimal("0.0001229")

_ZERO = Decimal(0)
_TCO2 = Decimal("0.01")  # shown precision of tonnes in messages (the values keep 6 places)


class ForecastError(LowcarbonError):
    """The inputs cannot give a forecast; never answered with a plausible number."""

    code = "forecast"


class BaselineError(ForecastError):
    """A base year that contradicts itself: negative quantities, drivers of another year."""

    code = "forecast_baseline"


class DriverError(ForecastError):
    """Planned drivers or growth assumptions that cannot be used."""

    code = "forecast_driver"


class ForecastYearError(ForecastError):
    """A year before the base year, or a year the forecast does not contain."""

    code = "forecast_year"

    def __init__(self, year: int, base_year: int, message: Message) -> None:
        self.year = year
        self.base_year = base_year
        super().__init__(message)


class TaskError(ForecastError):
    """A task whose figures cannot be counted; ``task_id`` names it."""

    code = "forecast_task"

    def __init__(self, task_id: str, problem: Message) -> None:
        self.task_id = task_id
        super().__init__(
            Message(gettext_noop("task '{task}': {problem}"), {"task": task_id, "problem": problem})
        )


class DriverKind(StrEnum):
    """What makes a sector's emissions grow (§9: residents, floor area, GDP)."""

    POPULATION = "population"  # 常住人口
    FLOOR_AREA = "floor_area"  # total floor area, m²
    GDP = "gdp"  # 万元


_DRIVER_NAMES: Mapping[DriverKind, str] = {
    DriverKind.POPULATION: gettext_noop("resident population"),
    DriverKind.FLOOR_AREA: gettext_noop("floor area"),
    DriverKind.GDP: gettext_noop("GDP"),
}

#: Driver of each sector, with its fallbacks in order (§9). Industry grows with GDP and
#: commercial and public buildings with floor area; when the base year lacks that driver,
#: they follow the resident population. Every other sector follows the resident population,
#: because per-capita demand is §9's default for households, transport and waste. When no
#: driver of the chain has a base value, the sector is held at its base level (efficiency
#: still applies), and the projection's notes say so.
SECTOR_DRIVERS: Mapping[Sector, tuple[DriverKind, ...]] = MappingProxyType(
    {
        Sector.RESIDENTIAL: (DriverKind.POPULATION,),
        Sector.COMMERCIAL_PUBLIC: (DriverKind.FLOOR_AREA, DriverKind.POPULATION),
        Sector.INDUSTRY: (DriverKind.GDP, DriverKind.POPULATION),
        Sector.TRANSPORT: (DriverKind.POPULATION,),
        Sector.WASTE: (DriverKind.POPULATION,),
        Sector.LAND: (DriverKind.POPULATION,),
        Sector.OTHER: (DriverKind.POPULATION,),
    }
)


def to_decimal(value: Fraction, *, down: bool = False) -> Decimal:
    """``value`` rounded to :data:`PLACES` decimals: half to even, or down (towards −∞)."""
    scaled = value * _SCALE
    units = math.floor(scaled) if down else round(scaled)
    return Decimal(units).scaleb(-PLACES)


def _shown(value: Decimal, quantum: Decimal = _TCO2) -> Decimal:
    return value.quantize(quantum)


def source_label(source: SourceKey) -> str:
    """``electricity/residential``: how a source is named in messages."""
    return f"{source[0].value}/{source[1].value}"


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Baseline:
    """The base year as the forecast needs it, built by the caller from the inventory.

    ``emissions_tco2`` are gross scope 1 + 2 emissions by source (§6 core energy total; sinks are
    never netted, §5.9). ``renewable_tce`` and ``energy_tce`` give the renewable share of §7;
    ``renewable_kwh`` and ``electricity_kwh`` give its simpler electricity share.
    ``renewable_tce_per_kwh`` converts the renewable kWh that tasks add into tce: the default is
    GB/T 2589's calorific equivalent; pass the value resolved from the factor set to cite it.
    """

    year: int
    emissions_tco2: Mapping[SourceKey, Decimal]
    drivers: YearDrivers
    energy_tce: Decimal
    renewable_tce: Decimal = _ZERO
    renewable_kwh: Decimal = _ZERO
    electricity_kwh: Decimal = _ZERO
    sinks_tco2: Decimal = _ZERO
    renewable_tce_per_kwh: Decimal = ELECTRICITY_TCE_PER_KWH

    @property
    def total_tco2(self) -> Decimal:
        return sum(self.emissions_tco2.values(), _ZERO)


def _check_baseline(baseline: Baseline) -> None:
    if baseline.drivers.year != baseline.year:
        raise BaselineError(
            Message(
                gettext_noop("the base year is {year} but its drivers are those of {drivers}"),
                {"year": baseline.year, "drivers": baseline.drivers.year},
            ),
            code="forecast_baseline_year",
        )
    quantities: list[tuple[str, Decimal]] = [
        (source_label(key), value) for key, value in sorted(baseline.emissions_tco2.items())
    ]
    quantities += [
        ("energy_tce", baseline.energy_tce),
        ("renewable_tce", baseline.renewable_tce),
        ("renewable_kwh", baseline.renewable_kwh),
        ("electricity_kwh", baseline.electricity_kwh),
        ("sinks_tco2", baseline.sinks_tco2),
        ("renewable_tce_per_kwh", baseline.renewable_tce_per_kwh),
    ]
    negative = [name for name, value in quantities if value < 0]
    if negative:
        raise BaselineError(
            Message(
                gettext_noop("base-year quantities cannot be negative: {names}"),
                {"names": negative},
            ),
            code="forecast_baseline_negative",
        )
    _check_drivers(baseline.drivers)


def _check_drivers(drivers: YearDrivers) -> None:
    floor = drivers.floor_area_m2.values()
    gdp = drivers.gdp_10k_yuan
    if (
        drivers.resident_population < 0
        or any(v < 0 for v in floor)
        or (gdp is not None and gdp < 0)
    ):
        raise DriverError(
            Message(
                gettext_noop("the drivers of {year} cannot be negative"), {"year": drivers.year}
            ),
            code="forecast_driver_negative",
        )


def _check_assumptions(assumptions: ForecastAssumptions) -> None:
    rates = {
        "population_growth_pct": assumptions.population_growth_pct,
        "floor_area_growth_pct": assumptions.floor_area_growth_pct,
        "gdp_growth_pct": assumptions.gdp_growth_pct,
    }
    # A rate of −100 % or less would make a driver vanish or turn negative; efficiency of
    # 100 % or more would do the same to the emissions themselves.
    bad = [name for name, rate in rates.items() if rate <= -100]
    if assumptions.efficiency_improvement_pct >= 100:
        bad.append("efficiency_improvement_pct")
    if bad:
        raise DriverError(
            Message(
                gettext_noop(
                    "growth rates must be above -100 % and the efficiency gain below 100 %: {names}"
                ),
                {"names": bad},
            ),
            code="forecast_rate",
        )


def _check_task(task: Task) -> None:
    problem: str | None = None
    if task.annual_reduction_tco2 < 0:
        problem = gettext_noop("the annual reduction cannot be negative")
    elif task.ramp_years < 1:
        problem = gettext_noop("the ramp-up must last at least one year")
    elif task.adds_renewable_kwh < 0 or task.adds_sink_tco2 < 0:
        problem = gettext_noop("added renewable electricity and sinks cannot be negative")
    elif task.annual_reduction_tco2 > 0 and not task.acts_on:
        # The double-counting guard (§9) needs to know whose emissions a task reduces.
        problem = gettext_noop("a task that reduces emissions must name the sources it acts on")
    if problem is not None:
        raise TaskError(task.id, Message(problem))


def _check_tasks(tasks: Sequence[Task]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise TaskError(task.id, Message(gettext_noop("two tasks have this id")))
        seen.add(task.id)
        _check_task(task)


# ---------------------------------------------------------------------------------------------
# Drivers


@dataclass(frozen=True)
class DriverValue:
    """One driver in one year, with where it comes from: a planned or base value, or the last
    known value grown at the assumed rate."""

    kind: DriverKind
    year: int
    value: Decimal
    known_year: int  # the year of the planned or base value it grows from
    known_value: Decimal
    growth_pct: Decimal

    @property
    def planned(self) -> bool:
        """True when the value was given for this year (the base year or a planned value)."""
        return self.known_year == self.year

    @property
    def explanation(self) -> Message:
        name = Message(_DRIVER_NAMES[self.kind])
        if self.planned:
            return Message(
                gettext_noop("{driver} {year}: {value}, as given"),
                {"driver": name, "year": self.year, "value": self.value},
            )
        return Message(
            gettext_noop("{driver} {year}: {value} = {known} ({known_year}) × (1 + {rate} %)^{n}"),
            {
                "driver": name,
                "year": self.year,
                "value": self.value,
                "known": self.known_value,
                "known_year": self.known_year,
                "rate": self.growth_pct,
                "n": self.year - self.known_year,
            },
        )


def _driver_of(drivers: YearDrivers, kind: DriverKind) -> Decimal | None:
    """The driver's value in ``drivers``; None when that year does not give it."""
    if kind is DriverKind.POPULATION:
        return Decimal(drivers.resident_population)
    if kind is DriverKind.FLOOR_AREA:
        return sum(drivers.floor_area_m2.values(), _ZERO) if drivers.floor_area_m2 else None
    return drivers.gdp_10k_yuan


def _growth_rates(assumptions: ForecastAssumptions) -> Mapping[DriverKind, Decimal]:
    return {
        DriverKind.POPULATION: assumptions.population_growth_pct,
        DriverKind.FLOOR_AREA: assumptions.floor_area_growth_pct,
        DriverKind.GDP: assumptions.gdp_growth_pct,
    }


def _known_drivers(
    baseline: Baseline, drivers: Sequence[YearDrivers]
) -> Mapping[DriverKind, Mapping[int, Decimal]]:
    """Given values of each driver by year: the base year's and the planned ones after it."""
    by_year: dict[int, YearDrivers] = {}
    for entry in drivers:
        _check_drivers(entry)
        if entry.year in by_year:
            raise DriverError(
                Message(
                    gettext_noop("the drivers of {year} are given twice"), {"year": entry.year}
                ),
                code="forecast_driver_duplicate",
            )
        by_year[entry.year] = entry
    same_year = by_year.get(baseline.year)
    if same_year is not None and same_year != baseline.drivers:
        raise DriverError(
            Message(
                gettext_noop("the planned drivers of the base year {year} differ from the base"),
                {"year": baseline.year},
            ),
            code="forecast_driver_base_conflict",
        )
    # Years before the base are history: they cannot change a forward projection.
    later = [by_year[year] for year in sorted(by_year) if year > baseline.year]
    known: dict[DriverKind, Mapping[int, Decimal]] = {}
    for kind in DriverKind:
        values = {
            entry.year: value
            for entry in (baseline.drivers, *later)
            if (value := _driver_of(entry, kind)) is not None
        }
        known[kind] = values
    return known


def _project_driver(
    kind: DriverKind, known: Mapping[int, Decimal], rate: Decimal, year: int
) -> DriverValue | None:
    earlier = [y for y in known if y <= year]
    if not earlier:
        return None
    start = max(earlier)
    grown = Fraction(known[start]) * (1 + Fraction(rate) / 100) ** (year - start)
    return DriverValue(kind, year, to_decimal(grown), start, known[start], rate)


def _sector_drivers(
    baseline: Baseline, base_values: Mapping[DriverKind, DriverValue]
) -> tuple[Mapping[Sector, DriverKind | None], tuple[Message, ...]]:
    """The driver each sector of the baseline follows, and a note for every fallback."""
    chosen: dict[Sector, DriverKind | None] = {}
    notes: list[Message] = []
    for sector in sorted({key[1] for key in baseline.emissions_tco2}):
        chain = SECTOR_DRIVERS[sector]
        usable = [k for k in chain if k in base_values and base_values[k].value > 0]
        driver = usable[0] if usable else None
        chosen[sector] = driver
        if driver is None:
            notes.append(
                Message(
                    gettext_noop(
                        "{sector}: the base year has no {wanted}, so its emissions are held at "
                        "the base level (only the efficiency gain applies)"
                    ),
                    {"sector": sector.value, "wanted": [Message(_DRIVER_NAMES[k]) for k in chain]},
                )
            )
        elif driver is not chain[0]:
            notes.append(
                Message(
                    gettext_noop(
                        "{sector}: the base year has no {wanted}, so its emissions follow the "
                        "{used} instead"
                    ),
                    {
                        "sector": sector.value,
                        "wanted": Message(_DRIVER_NAMES[chain[0]]),
                        "used": Message(_DRIVER_NAMES[driver]),
                    },
                )
            )
    return chosen, tuple(notes)


# ---------------------------------------------------------------------------------------------
# Business as usual


@dataclass(frozen=True)
class SourceProjection:
    """One source in one year: base emissions × driver ratio × efficiency factor."""

    source: SourceKey
    base_tco2: Decimal
    driver: DriverKind | None  # None: held at the base level
    driver_base: Decimal | None
    driver_value: Decimal | None
    efficiency_pct: Decimal
    years: int  # years since the base year
    tco2: Decimal

    @property
    def explanation(self) -> Message:
        if self.driver is None:
            return Message(
                gettext_noop("{source}: {base} tCO2 × (1 − {efficiency} %)^{n} = {value} tCO2"),
                {
                    "source": source_label(self.source),
                    "base": self.base_tco2,
                    "efficiency": self.efficiency_pct,
                    "n": self.years,
                    "value": _shown(self.tco2),
                },
            )
        return Message(
            gettext_noop(
                "{source}: {base} tCO2 × {driver} {driver_value} / {driver_base} × "
                "(1 − {efficiency} %)^{n} = {value} tCO2"
            ),
            {
                "source": source_label(self.source),
                "base": self.base_tco2,
                "driver": Message(_DRIVER_NAMES[self.driver]),
                "driver_value": self.driver_value,
                "driver_base": self.driver_base,
                "efficiency": self.efficiency_pct,
                "n": self.years,
                "value": _shown(self.tco2),
            },
        )


@dataclass(frozen=True)
class YearProjection:
    """Business as usual in one year: emissions by source, energy, drivers, renewables, sinks.

    Energy (tce) follows the emissions: factors are frozen at the base year (§5.2), so within a
    source energy and emissions grow alike. The inventory gives energy as one total, so the total
    is scaled by the emission-weighted growth of all sources. Electricity is scaled by the growth
    of the electricity sources. Renewables and sinks stay at their base level: in business as
    usual nobody builds more of them.
    """

    year: int
    base_year: int
    sources: tuple[SourceProjection, ...]
    emissions_tco2: Decimal
    drivers: Mapping[DriverKind, DriverValue]
    energy_tce: Decimal
    electricity_kwh: Decimal
    renewable_tce: Decimal
    renewable_kwh: Decimal
    sinks_tco2: Decimal
    renewable_tce_per_kwh: Decimal  # the baseline's conversion, for the renewables tasks add
    notes: tuple[Message, ...]

    @property
    def emissions_by_source(self) -> Mapping[SourceKey, Decimal]:
        return MappingProxyType({s.source: s.tco2 for s in self.sources})

    @property
    def population(self) -> Decimal:
        return self.drivers[DriverKind.POPULATION].value

    @property
    def gdp_10k_yuan(self) -> Decimal | None:
        gdp = self.drivers.get(DriverKind.GDP)
        return None if gdp is None else gdp.value

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "business as usual {year}: {total} tCO2, the sum of {count} sources grown from "
                "the base year {base_year}: {sources}"
            ),
            {
                "year": self.year,
                "total": _shown(self.emissions_tco2),
                "count": len(self.sources),
                "base_year": self.base_year,
                "sources": [s.explanation for s in self.sources],
            },
        )


def _scaled(base: Decimal, numerator: Decimal, denominator: Decimal) -> Decimal:
    return to_decimal(Fraction(base) * Fraction(numerator) / Fraction(denominator))


def _projection_years(
    baseline: Baseline, years: Iterable[int] | None, assumptions: ForecastAssumptions
) -> list[int]:
    if years is None:
        last = max((baseline.year, *assumptions.target_years))
        wanted = set(range(baseline.year, last + 1))
    else:
        wanted = set(years)
    early = sorted(y for y in wanted if y < baseline.year)
    if early:
        raise ForecastYearError(
            early[0],
            baseline.year,
            Message(
                gettext_noop("cannot forecast {year}: it lies before the base year {base_year}"),
                {"year": early[0], "base_year": baseline.year},
            ),
        )
    return sorted(wanted | {baseline.year})


def forecast_bau(
    baseline: Baseline,
    drivers: Sequence[YearDrivers],
    assumptions: ForecastAssumptions,
    years: Iterable[int] | None = None,
) -> tuple[YearProjection, ...]:
    """Business as usual (基准情景, §9) for the base year and every year in ``years``.

    ``drivers`` are planned values (district plan projections of population or floor area);
    a planned value wins for its year, and later years grow from it at the assumed rate.
    Without ``years``: every year from the base to the last of ``assumptions.target_years``.
    """
    _check_baseline(baseline)
    _check_assumptions(assumptions)
    known = _known_drivers(baseline, drivers)
    rates = _growth_rates(assumptions)
    wanted = _projection_years(baseline, years, assumptions)
    base_values = {
        kind: value
        for kind in DriverKind
        if (value := _project_driver(kind, known[kind], rates[kind], baseline.year)) is not None
    }
    chosen, notes = _sector_drivers(baseline, base_values)
    keep = 1 - Fraction(assumptions.efficiency_improvement_pct) / 100
    base_total = sum(baseline.emissions_tco2.values(), _ZERO)
    electric = [k for k in baseline.emissions_tco2 if k[0] is SourceCategory.ELECTRICITY]
    electric_base = sum((baseline.emissions_tco2[k] for k in electric), _ZERO)
    projections: list[YearProjection] = []
    for year in wanted:
        values = {
            kind: value
            for kind in DriverKind
            if (value := _project_driver(kind, known[kind], rates[kind], year)) is not None
        }
        n = year - baseline.year
        sources: list[SourceProjection] = []
        for key, base in sorted(baseline.emissions_tco2.items()):
            kind = chosen[key[1]]
            ratio = Fraction(1)
            driver_base = driver_value = None
            if kind is not None:
                driver_base, driver_value = base_values[kind].value, values[kind].value
                ratio = Fraction(driver_value) / Fraction(driver_base)
            tco2 = to_decimal(Fraction(base) * ratio * keep**n)
            sources.append(
                SourceProjection(
                    key,
                    base,
                    kind,
                    driver_base,
                    driver_value,
                    assumptions.efficiency_improvement_pct,
                    n,
                    tco2,
                )
            )
        total = sum((s.tco2 for s in sources), _ZERO)
        # Energy follows the emission-weighted growth; with no base emissions to weigh, it stays
        # at its base level less the efficiency gain.
        if base_total > 0:
            energy = _scaled(baseline.energy_tce, total, base_total)
        else:
            energy = to_decimal(Fraction(baseline.energy_tce) * keep**n)
        if electric_base > 0:
            electric_now = sum((s.tco2 for s in sources if s.source in electric), _ZERO)
            electricity = _scaled(baseline.electricity_kwh, electric_now, electric_base)
        elif baseline.energy_tce > 0:
            electricity = _scaled(baseline.electricity_kwh, energy, baseline.energy_tce)
        else:
            electricity = to_decimal(Fraction(baseline.electricity_kwh))
        projections.append(
            YearProjection(
                year=year,
                base_year=baseline.year,
                sources=tuple(sources),
                emissions_tco2=total,
                drivers=MappingProxyType(values),
                energy_tce=energy,
                electricity_kwh=electricity,
                renewable_tce=to_decimal(Fraction(baseline.renewable_tce)),
                renewable_kwh=to_decimal(Fraction(baseline.renewable_kwh)),
                sinks_tco2=to_decimal(Fraction(baseline.sinks_tco2)),
                renewable_tce_per_kwh=baseline.renewable_tce_per_kwh,
                notes=notes,
            )
        )
    return tuple(projections)


# ---------------------------------------------------------------------------------------------
# Plan


def _ramp(task: Task, year: int) -> Fraction:
    """Share of the task's full annual effect reached in ``year``: nothing before its start,
    then 1/ramp, 2/ramp … and the full effect from start + ramp − 1 on (the linear ramp-up
    follows 重点项目及进度安排, 附件1 三、3)."""
    if year < task.start_year:
        return Fraction(0)
    return Fraction(min(year - task.start_year + 1, task.ramp_years), task.ramp_years)


def ramp_fraction(task: Task, year: int, base_year: int) -> Fraction:
    """Share of ``task``'s full effect that the plan counts in ``year``.

    It is the ramp reached in ``year`` less the ramp already reached in the base year. The base
    inventory is measured, so it already contains whatever a task achieved by then (§9).
    """
    return _ramp(task, year) - _ramp(task, base_year)


@dataclass(frozen=True)
class TaskEffect:
    """What one task claims in one year and what is counted after removing double counting."""

    task: Task
    year: int
    share_pct: Decimal  # share of its full effect counted this year (ramp-up)
    requested_tco2: Decimal
    counted_tco2: Decimal
    renewable_kwh: Decimal
    sink_tco2: Decimal

    @property
    def removed_tco2(self) -> Decimal:
        return self.requested_tco2 - self.counted_tco2

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "task '{task}' {year}: {share} % of its full {annual} tCO2 a year (from "
                "{start}, in full from {full}) = {requested} tCO2 claimed, {counted} tCO2 counted "
                "after removing double counting"
            ),
            {
                "task": self.task.id,
                "year": self.year,
                "share": _shown(self.share_pct),
                "annual": self.task.annual_reduction_tco2,
                "start": self.task.start_year,
                "full": self.task.start_year + self.task.ramp_years - 1,
                "requested": _shown(self.requested_tco2),
                "counted": _shown(self.counted_tco2),
            },
        )


@dataclass(frozen=True)
class Overlap:
    """Tasks that together claim more than their sources emit in one year (double counting, §9).

    ``sources`` are the sources these tasks act on, and ``bau_tco2`` is what those sources emit
    in business as usual. ``available_tco2`` is the part still free after the claims of tasks
    that overlap even more have been counted first. Every task of the group keeps the same
    share ``scale_pct`` of its claim.
    """

    year: int
    task_ids: tuple[str, ...]
    sources: tuple[SourceKey, ...]
    bau_tco2: Decimal
    available_tco2: Decimal
    requested_tco2: Decimal
    counted_tco2: Decimal
    scale_pct: Decimal

    @property
    def removed_tco2(self) -> Decimal:
        return self.requested_tco2 - self.counted_tco2

    @property
    def message(self) -> Message:
        return Message(
            gettext_noop(
                "{year}: tasks {tasks} claim {requested} tCO2 from {sources}, which emit "
                "{bau} tCO2 in business as usual, {available} tCO2 of it left by other tasks; "
                "{removed} tCO2 of double counting removed, each claim scaled to {scale} %"
            ),
            {
                "year": self.year,
                "tasks": list(self.task_ids),
                "requested": _shown(self.requested_tco2),
                "sources": [source_label(s) for s in self.sources],
                "bau": _shown(self.bau_tco2),
                "available": _shown(self.available_tco2),
                "removed": _shown(self.removed_tco2),
                "scale": _shown(self.scale_pct),
            },
        )


@dataclass(frozen=True)
class PlanYear:
    """The plan in one year: business as usual less the counted task reductions.

    Energy and electricity stay as in business as usual: a task states its effect in tCO2, not
    in tce, so the denominator of the renewable share is not lowered (a conservative choice).
    """

    bau: YearProjection
    effects: tuple[TaskEffect, ...]
    overlaps: tuple[Overlap, ...]
    reduction_tco2: Decimal
    emissions_tco2: Decimal
    renewable_tce: Decimal
    renewable_kwh: Decimal
    sinks_tco2: Decimal

    @property
    def year(self) -> int:
        return self.bau.year

    @property
    def energy_tce(self) -> Decimal:
        return self.bau.energy_tce

    @property
    def electricity_kwh(self) -> Decimal:
        return self.bau.electricity_kwh

    def effect(self, task_id: str) -> TaskEffect:
        """The effect of the task ``task_id`` this year; KeyError when there is no such task."""
        for effect in self.effects:
            if effect.task.id == task_id:
                return effect
        raise KeyError(task_id)

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "plan {year}: business as usual {bau} tCO2 − task reductions {reduction} tCO2 "
                "= {plan} tCO2"
            ),
            {
                "year": self.year,
                "bau": _shown(self.bau.emissions_tco2),
                "reduction": _shown(self.reduction_tco2),
                "plan": _shown(self.emissions_tco2),
            },
        )


@dataclass(frozen=True)
class PlanForecast:
    """The plan scenario (规划情景) for every projected year, with the tasks it counts."""

    base_year: int
    tasks: tuple[Task, ...]
    years: tuple[PlanYear, ...]
    notes: tuple[Message, ...]

    def get(self, year: int) -> PlanYear | None:
        return next((y for y in self.years if y.year == year), None)


_Group = tuple[frozenset[str], frozenset[SourceKey], Fraction]


def _saturate(residual: list[dict[int, Fraction]], source: int, sink: int) -> set[int]:
    """Push a maximum flow through ``residual`` (Edmonds–Karp); the nodes left reachable."""
    while True:
        parent = {source: source}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for nxt, room in residual[node].items():
                if room > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return set(parent)
        path: list[tuple[int, int]] = []
        node = sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(residual[a][b] for a, b in path)
        for a, b in path:
            residual[a][b] -= push
            residual[b][a] = residual[b].get(a, Fraction(0)) + push


def _over_claiming(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
    factor: Fraction,
) -> tuple[frozenset[str], frozenset[SourceKey]]:
    """The smallest task set maximising Σ claims − factor × Σ emissions of its sources.

    This is the maximum-closure problem, solved as a minimum cut. An arc runs from the source
    to each task with its claim, from a task to each of its sources without limit, and from
    each source to the sink with factor × its emissions. The set is empty when no tasks claim
    more than ``factor`` times what they can reach.
    """
    tasks, sources = sorted(demand), sorted(capacity)
    task_node = {t: 2 + i for i, t in enumerate(tasks)}
    source_node = {s: 2 + len(tasks) + i for i, s in enumerate(sources)}
    unlimited = sum(demand.values(), Fraction(0)) + 1  # no cut can afford this arc
    residual: list[dict[int, Fraction]] = [{} for _ in range(2 + len(tasks) + len(sources))]
    for task in tasks:
        residual[0][task_node[task]] = demand[task]
        for source in reach[task]:
            residual[task_node[task]][source_node[source]] = unlimited
    for source in sources:
        residual[source_node[source]][1] = factor * capacity[source]
    reached = _saturate(residual, 0, 1)
    return (
        frozenset(t for t in tasks if task_node[t] in reached),
        frozenset(s for s in sources if source_node[s] in reached),
    )


def _densest(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
) -> _Group | None:
    """The tasks whose claims most exceed what their sources emit, their sources, and the share
    of their claims those sources can bear; None when no group of tasks claims too much.

    Dinkelbach's iteration: start from "claims > emissions", then ask for sets that claim
    more than the last ratio found until none does. The ratio grows at every step and the
    task sets are finite, so the loop ends.
    """
    factor = Fraction(1)
    best: _Group | None = None
    while True:
        tasks, sources = _over_claiming(demand, reach, capacity, factor)
        if not tasks:
            return best
        claimed = sum((demand[t] for t in tasks), Fraction(0))
        available = sum((capacity[s] for s in sources), Fraction(0))
        if available == 0:
            return tasks, sources, Fraction(0)
        best = (tasks, sources, available / claimed)
        factor = claimed / available


def _remove_double_counting(
    demand: Mapping[str, Fraction],
    reach: Mapping[str, frozenset[SourceKey]],
    capacity: Mapping[SourceKey, Fraction],
) -> tuple[dict[str, Fraction], list[_Group]]:
    """The share of its claim each task keeps, and the groups that were scaled down.

    The condition is §9's double-counting check: for every group of sources, the tasks acting
    only on them claim no more than they emit. This is Hall's condition, under which every
    claim can be taken from real emissions. When it fails, the group that over-claims most is
    scaled down in proportion to the claims, until it takes exactly what its sources emit. Its
    sources are then used up, and the other tasks keep only their remaining sources. The
    outcome does not depend on the order of the tasks, and it counts the largest total any
    allocation could count.
    """
    scale: dict[str, Fraction] = {}
    groups: list[_Group] = []
    active = {task: claim for task, claim in demand.items() if claim > 0}
    left = {task: reach[task] for task in active}
    free = dict(capacity)
    while (group := _densest(active, left, free)) is not None:
        tasks, sources, share = group
        groups.append(group)
        for task in tasks:
            scale[task] = share
            del active[task]
        left = {task: left[task] - sources for task in active}
        free = {s: c for s, c in free.items() if s not in sources}
    scale.update(dict.fromkeys(active, Fraction(1)))
    return scale, groups


def _check_projections(bau: Sequence[YearProjection]) -> int:
    if not bau:
        raise ForecastError(
            Message(gettext_noop("the plan needs a business-as-usual forecast with one year")),
            code="forecast_empty",
        )
    base_years = {p.base_year for p in bau}
    years = [p.year for p in bau]
    if len(base_years) > 1 or len(set(years)) != len(years):
        raise ForecastError(
            Message(
                gettext_noop(
                    "the business-as-usual years {years} do not form one forecast "
                    "(base years {base_years})"
                ),
                {"years": years, "base_years": sorted(base_years)},
            ),
            code="forecast_inconsistent",
        )
    return base_years.pop()


def _plan_notes(tasks: Sequence[Task], known: set[SourceKey], base_year: int) -> list[Message]:
    notes: list[Message] = []
    for task in tasks:
        unknown = [s for s in task.acts_on if s not in known]
        if unknown:
            notes.append(
                Message(
                    gettext_noop(
                        "task '{task}' acts on {sources}, which the base-year inventory does not "
                        "have: no reduction can be counted there"
                    ),
                    {"task": task.id, "sources": [source_label(s) for s in unknown]},
                )
            )
        if task.start_year <= base_year:
            notes.append(
                Message(
                    gettext_noop(
                        "task '{task}' starts in {start}, not after the base year {base_year}: "
                        "only the effect it adds after the base year counts, the rest is already "
                        "in the base-year inventory"
                    ),
                    {"task": task.id, "start": task.start_year, "base_year": base_year},
                )
            )
    return notes


def _plan_year(projection: YearProjection, tasks: Sequence[Task]) -> PlanYear:
    year, base_year = projection.year, projection.base_year
    shares = {task.id: ramp_fraction(task, year, base_year) for task in tasks}
    requested = {
        task.id: to_decimal(Fraction(task.annual_reduction_tco2) * shares[task.id])
        for task in tasks
    }
    emitted = projection.emissions_by_source
    capacity = {s: Fraction(emitted.get(s, _ZERO)) for t in tasks for s in t.acts_on}
    scale, groups = _remove_double_counting(
        {t: Fraction(c) for t, c in requested.items()},
        {t.id: frozenset(t.acts_on) for t in tasks},
        capacity,
    )
    counted = {
        task_id: to_decimal(Fraction(claim) * scale.get(task_id, Fraction(1)), down=True)
        for task_id, claim in requested.items()
    }
    effects = tuple(
        TaskEffect(
            task=task,
            year=year,
            share_pct=to_decimal(shares[task.id] * 100),
            requested_tco2=requested[task.id],
            counted_tco2=counted[task.id],
            renewable_kwh=to_decimal(Fraction(task.adds_renewable_kwh) * shares[task.id]),
            sink_tco2=to_decimal(Fraction(task.adds_sink_tco2) * shares[task.id]),
        )
        for task in tasks
    )
    by_id = {task.id: task for task in tasks}
    overlaps = []
    for group_tasks, group_sources, share in groups:
        declared = sorted({s for t in group_tasks for s in by_id[t].acts_on})
        overlaps.append(
            Overlap(
                year=year,
                task_ids=tuple(sorted(group_tasks)),
                sources=tuple(declared),
                bau_tco2=sum((emitted.get(s, _ZERO) for s in declared), _ZERO),
                available_tco2=sum((emitted.get(s, _ZERO) for s in group_sources), _ZERO),
                requested_tco2=sum((requested[t] for t in group_tasks), _ZERO),
                counted_tco2=sum((counted[t] for t in group_tasks), _ZERO),
                scale_pct=to_decimal(share * 100),
            )
        )
    reduction = sum((e.counted_tco2 for e in effects), _ZERO)
    added_kwh = sum((e.renewable_kwh for e in effects), _ZERO)
    added_tce = to_decimal(Fraction(added_kwh) * Fraction(projection.renewable_tce_per_kwh))
    return PlanYear(
        bau=projection,
        effects=effects,
        overlaps=tuple(overlaps),
        reduction_tco2=reduction,
        emissions_tco2=projection.emissions_tco2 - reduction,
        renewable_tce=projection.renewable_tce + added_tce,
        renewable_kwh=projection.renewable_kwh + added_kwh,
        sinks_tco2=projection.sinks_tco2 + sum((e.sink_tco2 for e in effects), _ZERO),
    )


def forecast_plan(bau: Sequence[YearProjection], tasks: Sequence[Task]) -> PlanForecast:
    """The plan scenario (规划情景, §9): business as usual less the tasks' counted reductions.

    A task counts nothing before its start year and ramps up linearly to its full annual
    reduction, reached in start + ramp − 1. Claims that exceed what their sources emit in
    business as usual are removed as double counting (see :class:`Overlap`), so plan emissions
    never fall below zero. Renewable electricity and sinks that tasks add ramp up in the same way.
    """
    base_year = _check_projections(bau)
    _check_tasks(tasks)
    known = {s.source for s in bau[0].sources}
    years = tuple(_plan_year(projection, tasks) for projection in sorted(bau, key=lambda p: p.year))
    return PlanForecast(
        base_year=base_year,
        tasks=tuple(tasks),
        years=years,
        notes=tuple(_plan_notes(tasks, known, base_year)),
    )
