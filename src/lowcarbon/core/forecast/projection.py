"""Business as usual (基准情景, §9): every source of the base year grown with its sector's driver
and reduced by the efficiency gain, year by year (:func:`forecast_bau`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from ..activity import ForecastAssumptions, SourceCategory, SourceKey, YearDrivers
from ..messages import Message, gettext_noop
from ..records import quick_init
from .baseline import Baseline, _check_assumptions, _check_baseline
from .drivers import (
    _DRIVER_NAMES,
    DRIVER_KINDS,
    DriverKind,
    DriverValue,
    _growth_rates,
    _known_drivers,
    _project_driver,
    _sector_drivers,
)
from .errors import ForecastYearError
from .quantities import _ZERO, _shown, source_label, to_decimal, to_places

__all__ = [
    "SourceProjection",
    "YearProjection",
    "forecast_bau",
]


@quick_init
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


@quick_init
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
    """``base × numerator ÷ denominator`` rounded, for a ``denominator`` above 0."""
    return _scaled_by(_ratio_of(base, denominator), numerator)


def _ratio_of(base: Decimal, denominator: Decimal) -> tuple[int, int]:
    """``base ÷ denominator`` (above 0) as the integers of its ratio, for :func:`_scaled_by`."""
    base_n, base_d = base.as_integer_ratio()
    den_n, den_d = denominator.as_integer_ratio()
    return base_n * den_d, base_d * den_n


def _scaled_by(ratio: tuple[int, int], value: Decimal) -> Decimal:
    value_n, value_d = value.as_integer_ratio()
    return to_places(ratio[0] * value_n, ratio[1] * value_d)


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
        for kind in DRIVER_KINDS
        if (value := _project_driver(kind, known[kind], rates[kind], baseline.year)) is not None
    }
    chosen, notes = _sector_drivers(baseline, base_values)
    keep = 1 - Fraction(assumptions.efficiency_improvement_pct) / 100
    base_total = sum(baseline.emissions_tco2.values(), _ZERO)
    electric = [k for k in baseline.emissions_tco2 if k[0] is SourceCategory.ELECTRICITY]
    is_electric = frozenset(electric)
    electric_base = sum((baseline.emissions_tco2[k] for k in electric), _ZERO)
    # Each base emission as the integers of its ratio once; each year's efficiency factor and
    # driver ratios once for all its sources.
    emissions = sorted(baseline.emissions_tco2.items())
    base_sources = [(key, base, *base.as_integer_ratio()) for key, base in emissions]
    # What does not grow: the same rounded values every year.
    renewable_tce = to_decimal(Fraction(baseline.renewable_tce))
    renewable_kwh = to_decimal(Fraction(baseline.renewable_kwh))
    sinks_tco2 = to_decimal(Fraction(baseline.sinks_tco2))
    # Energy and electricity grow with the emissions: their base over the base emissions, once.
    energy_ratio = _ratio_of(baseline.energy_tce, base_total) if base_total > 0 else None
    electric_ratio = (
        _ratio_of(baseline.electricity_kwh, electric_base) if electric_base > 0 else None
    )
    # The efficiency factor (1 − gain)^n as the integers of its ratio, and the drivers chosen.
    keep_n, keep_d = keep.numerator, keep.denominator
    drivers_used = [kind for kind in set(chosen.values()) if kind is not None]
    projections: list[YearProjection] = []
    for year in wanted:
        values = {
            kind: value
            for kind in DRIVER_KINDS
            if (value := _project_driver(kind, known[kind], rates[kind], year)) is not None
        }
        n = year - baseline.year
        kept_n, kept_d = keep_n**n, keep_d**n
        # Each driver's growth less the efficiency gain, kept × value ÷ base value, as the
        # integers of its ratio (a chosen driver's base value is above 0, so is the denominator).
        grown: dict[DriverKind | None, tuple[int, int]] = {None: (kept_n, kept_d)}
        for driver in drivers_used:
            value_n, value_d = values[driver].value.as_integer_ratio()
            base_n, base_d = base_values[driver].value.as_integer_ratio()
            grown[driver] = (kept_n * value_n * base_d, kept_d * value_d * base_n)
        sources: list[SourceProjection] = []
        for key, base, numerator, denominator in base_sources:
            kind = chosen[key[1]]
            driver_base = driver_value = None
            if kind is not None:
                driver_base, driver_value = base_values[kind].value, values[kind].value
            growth_n, growth_d = grown[kind]
            tco2 = to_places(numerator * growth_n, denominator * growth_d)
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
        if energy_ratio is not None:
            energy = _scaled_by(energy_ratio, total)
        else:
            energy = to_decimal(Fraction(baseline.energy_tce) * keep**n)
        if electric_ratio is not None:
            electric_now = sum((s.tco2 for s in sources if s.source in is_electric), _ZERO)
            electricity = _scaled_by(electric_ratio, electric_now)
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
                renewable_tce=renewable_tce,
                renewable_kwh=renewable_kwh,
                sinks_tco2=sinks_tco2,
                renewable_tce_per_kwh=baseline.renewable_tce_per_kwh,
                notes=notes,
            )
        )
    return tuple(projections)
