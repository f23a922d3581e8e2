"""The base year as the forecast needs it (:class:`Baseline`), and the checks of the base
year, of a year's drivers and of the growth assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..activity import ForecastAssumptions, SourceKey, YearDrivers
from ..messages import Message, gettext_noop
from .errors import BaselineError, DriverError
from .quantities import _ZERO, ELECTRICITY_TCE_PER_KWH, source_label

__all__ = [
    "Baseline",
]


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
