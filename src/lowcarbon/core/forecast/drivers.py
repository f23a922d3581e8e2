"""The drivers of the forecast (§9): which driver each sector follows, with its fallbacks, and
each driver's value in a year, planned or grown from the last known value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from ..activity import ForecastAssumptions, Sector, YearDrivers
from ..messages import Message, gettext_noop
from ..records import quick_init
from .baseline import Baseline, _check_drivers
from .errors import DriverError
from .quantities import _ZERO, to_places

__all__ = [
    "DRIVER_KINDS",
    "SECTOR_DRIVERS",
    "DriverKind",
    "DriverValue",
]


class DriverKind(StrEnum):
    """What makes a sector's emissions grow (§9: residents, floor area, GDP)."""

    POPULATION = "population"  # 常住人口
    FLOOR_AREA = "floor_area"  # total floor area, m²
    GDP = "gdp"  # 万元


#: The kinds in their order, once (iterating an enum class is slow).
DRIVER_KINDS: tuple[DriverKind, ...] = tuple(DriverKind)

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


@quick_init
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
    for kind in DRIVER_KINDS:
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
    # known × (1 + rate / 100) ** years, exactly, on integers: rate = p / q gives (100q + p) / 100q.
    value_n, value_d = known[start].as_integer_ratio()
    rate_n, rate_d = rate.as_integer_ratio()
    years = year - start
    grown = to_places(value_n * (100 * rate_d + rate_n) ** years, value_d * (100 * rate_d) ** years)
    return DriverValue(kind, year, grown, start, known[start], rate)


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
