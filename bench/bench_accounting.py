"""Accounting throughput: inventories and forecasts for many fictional communities.

Run with ``make bench`` (or ``python bench/bench_accounting.py [COMMUNITIES] [YEARS]``; the
issue's size is 6 000 communities × 10 years). For each community every year's inventory is
computed (factors resolved, units converted, traces built) and then the business-as-usual and
plan forecasts with the target check. Reported: unit-years per second, against a ceiling that
multiplies the same quantities by pre-resolved factors in a bare loop (no units, no trace). This
is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal

from lowcarbon.core.accounting import run_accounting
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


def ceiling(inputs: list[AccountingInput], factors: dict[SourceCategory, Decimal]) -> None:
    for data in inputs:
        totals: dict[int, Decimal] = {}
        for record in data.records:
            factor = factors.get(record.category)
            if factor is not None:
                totals[record.year] = totals.get(record.year, Decimal(0)) + (
                    record.quantity * factor
                )


def main(communities: int, years: int) -> None:
    library = load_factor_library()
    rng = random.Random(6000)
    inputs = [community(i, years, rng) for i in range(communities)]
    unit_years = communities * years
    start = time.perf_counter()
    for data in inputs:
        run_accounting(data, library)
    engine = time.perf_counter() - start
    factors = {
        C.ELECTRICITY: Decimal("0.00042"),  # tCO2/kWh (4.2 tCO2/10^4kWh)
        C.NATURAL_GAS: Decimal("0.002162"),  # tCO2/m³
    }
    start = time.perf_counter()
    ceiling(inputs, factors)
    bare = time.perf_counter() - start
    print(
        f"{communities:,} communities × {years} years = {unit_years:,} unit-years, "
        f"{len(SOURCES)} records each"
    )
    print(
        f"  engine (inventories, indicators, LMDI, forecast, targets, traces) {engine:8.2f} s"
        f"  {unit_years / engine:10,.0f} unit-years/s"
    )
    print(
        f"  ceiling (bare quantity × factor sums)                             {bare:8.2f} s"
        f"  {unit_years / bare:10,.0f} unit-years/s"
    )
    print(f"  engine / ceiling throughput ratio: {bare / engine:.4f}")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [6000, 10][len(arguments) :]))
