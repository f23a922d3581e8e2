"""Accounting throughput: inventories and forecasts for many fictional communities.

Run with ``make bench`` (or ``python bench/bench_accounting.py [COMMUNITIES] [YEARS]``; the
issue's size is 6 000 communities × 10 years). For each community every year's inventory is
computed (factors resolved, units converted, traces built), its indicators, the latest year
against the base year with its LMDI decomposition, then the business-as-usual and plan
forecasts with the target check. The yardstick is the same work written plainly below
(:func:`plain`): the same inventories, indicators, LMDI, forecast and target check on plain
Decimals with the factors looked up once, no units layer, no traces, no checks. Before timing,
the plain version's headline numbers are checked against the engine's for every community, so
that the yardstick is the same work and not a cheaper one. Reported: unit-years per second for
both and their ratio. This is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.activity import (
    AccountingInput,
    ActivityRecord,
    Boundary,
    DataQuality,
    Domain,
    ForecastAssumptions,
    Sector,
    SourceCategory,
    Target,
    TargetKind,
    Task,
    UnitKind,
    UnitProfile,
    YearDrivers,
)
from lowcarbon.core.factors import FactorLibrary
from lowcarbon.rules.factors import load_factor_library

BASE_YEAR = 2016
C, S = SourceCategory, Sector
#: (category, sector, unit, mean quantity per resident and year)
SOURCES = (
    (C.ELECTRICITY, S.RESIDENTIAL, "kWh", 1400),
    (C.ELECTRICITY, S.COMMERCIAL_PUBLIC, "kWh", 120),
    (C.ELECTRICITY, S.TRANSPORT, "kWh", 40),
    (C.NATURAL_GAS, S.RESIDENTIAL, "m³", 45),
    (C.NATURAL_GAS, S.COMMERCIAL_PUBLIC, "m³", 2),
    (C.ONSITE_RENEWABLE_ELECTRICITY, S.COMMERCIAL_PUBLIC, "kWh", 5),
    (C.GREEN_SPACE, S.LAND, "m²", 8),
)


def community(index: int, years: int, rng: random.Random) -> AccountingInput:
    population = rng.randint(3000, 15000)
    drivers, records = [], []
    for offset in range(years):
        year = BASE_YEAR + offset
        people = int(population * (1 + 0.003 * offset))
        drivers.append(
            YearDrivers(
                year,
                people,
                households=people // 3,
                floor_area_m2={"residential": Decimal(people * 28)},
            )
        )
        for category, sector, unit, per_capita in SOURCES:
            quantity = Decimal(int(people * per_capita * rng.uniform(0.8, 1.2)))
            label = "乔木绿地" if category is C.GREEN_SPACE else ""
            records.append(
                ActivityRecord(
                    year, category, sector, quantity, unit, DataQuality.MEASURED, label=label
                )
            )
    tasks = (
        Task(
            "T1",
            "LED",
            Domain.BUILDINGS,
            ((C.ELECTRICITY, S.COMMERCIAL_PUBLIC),),
            Decimal(20),
            BASE_YEAR + 1,
            2,
        ),
        Task(
            "T2",
            "光伏",
            Domain.ENERGY,
            ((C.ELECTRICITY, S.RESIDENTIAL),),
            Decimal(80),
            BASE_YEAR + 2,
            3,
            adds_renewable_kwh=Decimal(150000),
        ),
    )
    targets = (Target(TargetKind.PER_CAPITA_DECLINE_RATE, BASE_YEAR + years - 1, Decimal(5)),)
    profile = UnitProfile(
        f"社区{index}", UnitKind.COMMUNITY, Boundary("东至…"), BASE_YEAR, tuple(drivers)
    )
    return AccountingInput(
        profile,
        tuple(records),
        tasks,
        targets,
        ForecastAssumptions(population_growth_pct=Decimal("0.3")),
        years=tuple(BASE_YEAR + k for k in range(years)),
    )


# ---------------------------------------------------------------------------------------------
# The same work written plainly: factors looked up once as per-unit Decimals, no units layer,
# no traces, no validation. It covers what these inputs use (the SOURCES above, declared task
# reductions on distinct sources, a per-capita decline target) and nothing else.

#: What one unit of each factor's unit is per canonical activity unit (kWh, m³, m²).
PLAIN_UNIT_SCALE = {
    "tCO2/10^4kWh": Decimal("0.0001"),
    "tCO2/10^4Nm3": Decimal("0.0001"),
    "kgce/kWh": Decimal("0.001"),
    "kgce/m3": Decimal("0.001"),
    "tCO2e/(hm2*a)": Decimal("0.0001"),
}
SIX = Decimal("0.000001")
ZERO, HUNDRED = Decimal(0), Decimal(100)
BUILDINGS = (S.RESIDENTIAL, S.COMMERCIAL_PUBLIC)


@dataclass(frozen=True)
class PlainFactors:
    tco2: dict[SourceCategory, Decimal]  # tCO2 per kWh or m³
    tce: dict[SourceCategory, Decimal]  # tce per kWh or m³
    sink: Decimal  # tCO2 a year per m² of green space with trees


def plain_factors(library: FactorLibrary, set_id: str, year: int) -> PlainFactors:
    """The factors the plain version multiplies by, resolved once (outside the timing)."""

    def per_unit(category: str) -> Decimal:
        factor = library.resolve(set_id, category, date(year, 12, 31))
        return factor.value * PLAIN_UNIT_SCALE[factor.unit.text]

    electricity_tce = per_unit("electricity_coal_equivalent")
    return PlainFactors(
        tco2={C.ELECTRICITY: per_unit("electricity"), C.NATURAL_GAS: per_unit("natural_gas")},
        tce={
            C.ELECTRICITY: electricity_tce,
            C.ONSITE_RENEWABLE_ELECTRICITY: electricity_tce,
            C.NATURAL_GAS: per_unit("natural_gas_coal_equivalent"),
        },
        sink=per_unit("tree_green_space"),
    )


@dataclass
class PlainYear:
    year: int
    population: int
    gross: Decimal = ZERO
    tce: Decimal = ZERO
    renewable_tce: Decimal = ZERO
    kwh: Decimal = ZERO
    renewable_kwh: Decimal = ZERO
    sinks: Decimal = ZERO
    buildings: Decimal = ZERO
    by_source: dict[tuple[SourceCategory, Sector], Decimal] = field(default_factory=dict)
    carriers: dict[str, list[Decimal]] = field(default_factory=dict)  # carrier → [tce, tCO2]


def plain_year(data: AccountingInput, drivers: YearDrivers, f: PlainFactors) -> PlainYear:
    year = PlainYear(drivers.year, drivers.resident_population)
    for record in data.records:
        if record.year != year.year:
            continue
        category, quantity = record.category, record.quantity
        if category is C.GREEN_SPACE:
            year.sinks += quantity * f.sink
            continue
        energy = quantity * f.tce[category]
        year.tce += energy
        year.kwh += quantity if category is not C.NATURAL_GAS else ZERO
        tco2 = ZERO
        if category is C.ONSITE_RENEWABLE_ELECTRICITY:
            year.renewable_tce += energy
            year.renewable_kwh += quantity
        else:
            tco2 = quantity * f.tco2[category]
            year.gross += tco2
            key = (category, record.sector)
            year.by_source[key] = year.by_source.get(key, ZERO) + tco2
            if record.sector in BUILDINGS:
                year.buildings += tco2
        carrier = "natural_gas" if category is C.NATURAL_GAS else "electricity"
        totals = year.carriers.setdefault(carrier, [ZERO, ZERO])
        totals[0] += energy
        totals[1] += tco2
    return year


def plain_indicators(year: PlainYear, drivers: YearDrivers) -> dict[str, Decimal]:
    floor_area = sum(drivers.floor_area_m2.values(), ZERO)
    return {
        "per_capita": year.gross / year.population,
        "per_household": year.gross / drivers.households,  # type: ignore[operator]
        "per_floor_area": year.buildings * 1000 / floor_area,
        "renewable_share": year.renewable_tce * HUNDRED / year.tce,
        "renewable_electricity_share": year.renewable_kwh * HUNDRED / year.kwh,
        "source_sink_ratio": year.gross / year.sinks,
    }


def plain_lmdi(base: PlainYear, now: PlainYear) -> dict[str, Decimal]:
    """Additive LMDI-I over carriers (every carrier here emits in both years)."""
    effects = dict.fromkeys(("population", "intensity", "mix", "emission_factor"), ZERO)
    with localcontext() as context:
        context.prec = 60
        ln_population = (Decimal(now.population) / Decimal(base.population)).ln()
        ln_energy = (now.tce / base.tce).ln()
        for carrier in ("electricity", "natural_gas"):
            energy_0, emissions_0 = base.carriers[carrier]
            energy_t, emissions_t = now.carriers[carrier]
            if emissions_t == emissions_0:
                weight = emissions_t
            else:
                weight = (emissions_t - emissions_0) / (emissions_t.ln() - emissions_0.ln())
            ln_energy_i = (energy_t / energy_0).ln()
            ln_emissions_i = (emissions_t / emissions_0).ln()
            effects["population"] += weight * ln_population
            effects["intensity"] += weight * (ln_energy - ln_population)
            effects["mix"] += weight * (ln_energy_i - ln_energy)
            effects["emission_factor"] += weight * (ln_emissions_i - ln_energy_i)
    return effects


def plain_ramp(task: Task, year: int) -> Decimal:
    if year < task.start_year:
        return ZERO
    return Decimal(min(year - task.start_year + 1, task.ramp_years)) / task.ramp_years


def plain(data: AccountingInput, f: PlainFactors) -> dict[str, object]:
    """The engine's headline numbers for ``data``, computed plainly."""
    drivers = {d.year: d for d in data.profile.drivers}
    years = [plain_year(data, drivers[y], f) for y in data.years]
    indicators = [plain_indicators(y, drivers[y.year]) for y in years]
    base, latest = years[0], years[-1]
    decline = (base.gross - latest.gross) * HUNDRED / base.gross
    base_pc, latest_pc = base.gross / base.population, latest.gross / latest.population
    per_capita_decline = (base_pc - latest_pc) * HUNDRED / base_pc
    effects = plain_lmdi(base, latest)
    # Business as usual: each source grows with its sector's driver (residents; floor area for
    # commercial and public buildings) less the efficiency gain; energy with the emissions.
    area = {y: sum(d.floor_area_m2.values(), ZERO) for y, d in drivers.items()}
    keep = 1 - data.assumptions.efficiency_improvement_pct / HUNDRED
    base_year = base.year
    final_year = max(t.year for t in data.targets)
    electric_base = sum((e for k, e in base.by_source.items() if k[0] is C.ELECTRICITY), ZERO)
    bau, plan = [], []
    for year in range(base_year, final_year + 1):
        kept = keep ** (year - base_year)
        grown = {}
        for key, tco2 in base.by_source.items():
            if key[1] is S.COMMERCIAL_PUBLIC:
                now, then = area[year], area[base_year]
            else:
                now, then = Decimal(drivers[year].resident_population), Decimal(base.population)
            grown[key] = (tco2 * now * kept / then).quantize(SIX)
        total = sum(grown.values(), ZERO)
        electric = sum((e for k, e in grown.items() if k[0] is C.ELECTRICITY), ZERO)
        energy = (base.tce * total / base.gross).quantize(SIX)
        kwh = (base.kwh * electric / electric_base).quantize(SIX)
        # Plan: each task's declared reduction ramped up, at most what its sources emit.
        reduction = added_kwh = ZERO
        for task in data.tasks:
            share = plain_ramp(task, year) - plain_ramp(task, base_year)
            requested = (task.annual_reduction_tco2 * share).quantize(SIX)
            available = sum((grown.get(s, ZERO) for s in task.acts_on), ZERO)
            reduction += min(requested, available)
            added_kwh += (task.adds_renewable_kwh * share).quantize(SIX)
        added_tce = (added_kwh * f.tce[C.ELECTRICITY]).quantize(SIX)
        bau.append((total, energy, kwh))
        plan.append((total - reduction, base.renewable_tce.quantize(SIX) + added_tce))
    # The per-capita decline target of the final year, on the plan.
    target = data.targets[0]
    population = Decimal(drivers[target.year].resident_population)
    plan_tco2 = plan[target.year - base_year][0]
    before, now = base.gross / base.population, plan_tco2 / population
    reached = (before - now) / before * HUNDRED
    allowed = before * (1 - target.value / HUNDRED) * population
    return {
        "gross": [y.gross for y in years],
        "tce": [y.tce for y in years],
        "sinks": [y.sinks for y in years],
        "indicators": indicators,
        "decline": (decline, per_capita_decline),
        "lmdi": effects,
        "bau": bau,
        "plan": plan,
        "target": (reached, reached >= target.value, allowed),
    }


def headline(result: AccountingResult) -> dict[str, object]:
    """The same numbers from the engine's result."""
    assert result.comparison is not None
    assert result.decomposition is not None
    assert result.forecast is not None
    comparison, forecast = result.comparison, result.forecast
    check = forecast.targets.checks[0]
    assert check.requirement is not None
    return {
        "gross": [i.gross_tco2 for i in result.inventories],
        "tce": [i.total_tce for i in result.inventories],
        "sinks": [i.sinks_tco2 for i in result.inventories],
        "indicators": [
            {
                "per_capita": i.per_capita.value,
                "per_household": i.per_household.value,
                "per_floor_area": i.per_floor_area.value,
                "renewable_share": i.renewable_share.value,
                "renewable_electricity_share": i.renewable_electricity_share.value,
                "source_sink_ratio": i.source_sink_ratio.value,
            }
            for i in result.indicators
        ],
        "decline": (comparison.decline_rate.value, comparison.per_capita_decline_rate.value),
        "lmdi": {effect.value: value for effect, value in result.decomposition.effects.items()},
        "bau": [(p.emissions_tco2, p.energy_tce, p.electricity_kwh) for p in forecast.bau],
        "plan": [(y.emissions_tco2, y.renewable_tce) for y in forecast.plan.years],
        "target": (check.reached, check.met, check.requirement.allowed_tco2),
    }


def rounded(value: object) -> object:
    """Headline numbers to 1e-9: ratios the engine computes as exact fractions (the target
    check) or at 60 digits (LMDI) may differ from plain Decimals in their last digits."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal("1e-9"))
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def main(communities: int, years: int) -> None:
    library = load_factor_library()
    rng = random.Random(6000)
    inputs = [community(i, years, rng) for i in range(communities)]
    set_id = inputs[0].factor_set_for(BASE_YEAR)
    assert all(data.factor_set_for(y) == set_id for data in inputs for y in data.years)
    factors = plain_factors(library, set_id, BASE_YEAR)
    # The yardstick must be the same work: its numbers equal the engine's, community by community.
    for data in inputs:
        engine_numbers = rounded(headline(run_accounting(data, library)))
        plain_numbers = rounded(plain(data, factors))
        assert engine_numbers == plain_numbers, (data.profile.name, engine_numbers, plain_numbers)
    unit_years = communities * years
    # The two are timed in turn on slices of 100 communities, so that a machine whose speed
    # drifts during the run (other work on it) slows both alike and the ratio stays fair; the
    # times are this process's CPU seconds, which other processes' work does not inflate.
    engine = bare = 0.0
    for first in range(0, communities, 100):
        chunk = inputs[first : first + 100]
        start = time.process_time()
        for data in chunk:
            run_accounting(data, library)
        engine += time.process_time() - start
        start = time.process_time()
        for data in chunk:
            plain(data, factors)
        bare += time.process_time() - start
    print(
        f"{communities:,} communities × {years} years = {unit_years:,} unit-years, "
        f"{len(SOURCES)} records each; the plain version's numbers equal the engine's"
    )
    print(
        f"  engine (inventories, indicators, LMDI, forecast, targets, traces) {engine:8.2f} s"
        f"  {unit_years / engine:10,.0f} unit-years/s"
    )
    print(
        f"  the same work written plainly (Decimals, no units, no traces)    {bare:8.2f} s"
        f"  {unit_years / bare:10,.0f} unit-years/s"
    )
    print(f"  engine / plain throughput ratio: {bare / engine:.2f}")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [6000, 10][len(arguments) :]))
