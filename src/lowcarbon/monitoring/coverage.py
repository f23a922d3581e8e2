"""A unit's metered year: the activity records its meters give, and how far they cover it.

The monthly job (:mod:`.monthly`) gives each meter's consumption and completeness per month.
For one calendar year, :func:`year_coverage` adds them up per meter and per accounting category
and sector (what each meter's carrier and use map to, :mod:`lowcarbon.core.metering`):

* a meter's **months with data** are the months of the year in which it has measured or
  estimated intervals; its **completeness** is the intervals present (each month counted up to
  a complete month's) against the intervals of the whole year;
* a category's completeness is the same over all its meters, its consumption their sum;
* the **inventory's categories** are the (category, sector) pairs of the unit's inventory (its
  baseline data); those no meter with data in the year measures are **not covered**.

:func:`metered_records` turns the categories with data into activity records of tier
``measured`` (:class:`~lowcarbon.core.activity.DataQuality`), in the carrier's unit, with a
source text and a label the caller words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lowcarbon.core.activity import (
    ActivityRecord,
    DataQuality,
    Sector,
    SourceCategory,
    SourceKey,
)
from lowcarbon.core.metering import Meter, MonthlyFigures, expected_intervals

__all__ = [
    "CategoryYear",
    "MeterYear",
    "YearCoverage",
    "metered_records",
    "month_ranges",
    "year_coverage",
    "year_months",
]

SHARE = Decimal("0.0001")


def year_months(year: int) -> tuple[str, ...]:
    """``2025`` → ``2025-01`` … ``2025-12``."""
    return tuple(f"{year:04d}-{number:02d}" for number in range(1, 13))


def _share(present: int, expected: int) -> Decimal:
    # ``expected`` counts the intervals of twelve months: never 0.
    return min(Decimal(present) / Decimal(expected), Decimal(1)).quantize(SHARE)


@dataclass(frozen=True)
class MeterYear:
    """One meter in the year."""

    meter: str
    category: SourceCategory
    sector: Sector
    unit: str
    months: tuple[str, ...]  # months with data, in order
    expected: int  # intervals in the whole year
    present: int  # measured or estimated, each month up to a complete month's
    consumption: Decimal
    tco2: Decimal | None  # None: no month of the meter has emissions (no factor)

    @property
    def completeness(self) -> Decimal:
        return _share(self.present, self.expected)


@dataclass(frozen=True)
class CategoryYear:
    """One accounting category and sector in the year: its meters added up."""

    category: SourceCategory
    sector: Sector
    unit: str
    meters: tuple[str, ...]
    months: tuple[str, ...]  # months in which any of its meters has data
    expected: int
    present: int
    consumption: Decimal
    tco2: Decimal | None

    @property
    def key(self) -> SourceKey:
        return (self.category, self.sector)

    @property
    def completeness(self) -> Decimal:
        return _share(self.present, self.expected)


@dataclass(frozen=True)
class YearCoverage:
    """The year's meters, categories and the inventory's categories they cover."""

    year: int
    meters: tuple[MeterYear, ...]
    categories: tuple[CategoryYear, ...]  # every category a registered meter measures
    inventory: tuple[SourceKey, ...]  # the inventory's categories

    @property
    def with_data(self) -> tuple[CategoryYear, ...]:
        """The categories with data in the year: those that give an activity record."""
        return tuple(c for c in self.categories if c.months)

    @property
    def covered(self) -> tuple[SourceKey, ...]:
        metered = {c.key for c in self.with_data}
        return tuple(key for key in self.inventory if key in metered)

    @property
    def uncovered(self) -> tuple[SourceKey, ...]:
        """The inventory's categories no meter with data in the year measures."""
        metered = {c.key for c in self.with_data}
        return tuple(key for key in self.inventory if key not in metered)

    @property
    def share(self) -> Decimal | None:
        """The share of the inventory's categories covered; None without an inventory."""
        if not self.inventory:
            return None
        return (Decimal(len(self.covered)) / Decimal(len(self.inventory))).quantize(SHARE)

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(sorted({m for meter in self.meters for m in meter.months}))


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def _order(key: SourceKey) -> tuple[int, int]:
    return (list(SourceCategory).index(key[0]), list(Sector).index(key[1]))


def year_coverage(
    year: int,
    meters: Sequence[Meter],
    figures: Iterable[MonthlyFigures],
    inventory: Iterable[SourceKey],
) -> YearCoverage:
    """The year of ``meters`` from the monthly job's ``figures`` (other meters' and other
    years' figures are left out), against the ``inventory``'s categories."""
    months = year_months(year)
    wanted = {m.id for m in meters}
    by_meter: dict[str, list[MonthlyFigures]] = {}
    for item in figures:
        if item.meter in wanted and item.month in months:
            by_meter.setdefault(item.meter, []).append(item)
    rows = []
    for meter in sorted(meters, key=lambda m: m.id):
        found = sorted(by_meter.get(meter.id, []), key=lambda f: f.month)
        minutes = meter.interval_minutes
        with_data = [f for f in found if f.measured + f.estimated > 0]
        rows.append(
            MeterYear(
                meter=meter.id,
                category=meter.category,
                sector=meter.sector,
                unit=meter.consumption_unit,
                months=tuple(f.month for f in with_data),
                expected=sum(expected_intervals(m, minutes) for m in months),
                present=sum(
                    min(f.measured + f.estimated, expected_intervals(f.month, minutes))
                    for f in found
                ),
                consumption=sum((f.consumption for f in found), Decimal(0)),
                tco2=_sum(f.tco2 for f in found),
            )
        )
    grouped: dict[SourceKey, list[MeterYear]] = {}
    for row in rows:
        grouped.setdefault((row.category, row.sector), []).append(row)
    categories = tuple(
        CategoryYear(
            category=key[0],
            sector=key[1],
            unit=members[0].unit,
            meters=tuple(m.meter for m in members),
            months=tuple(sorted({month for m in members for month in m.months})),
            expected=sum(m.expected for m in members),
            present=sum(m.present for m in members),
            consumption=sum((m.consumption for m in members), Decimal(0)),
            tco2=_sum(m.tco2 for m in members),
        )
        for key, members in sorted(grouped.items(), key=lambda pair: _order(pair[0]))
    )
    keys = sorted(set(inventory), key=_order)
    return YearCoverage(year, tuple(rows), categories, tuple(keys))


def month_ranges(months: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Consecutive months as (first, last) runs: 01 02 03 05 → (01, 03), (05, 05)."""
    runs: list[tuple[str, str]] = []

    def index(month: str) -> int:
        return int(month[:4]) * 12 + int(month[5:7])

    for month in sorted(months):
        if runs and index(month) == index(runs[-1][1]) + 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return tuple(runs)


def metered_records(
    coverage: YearCoverage,
    *,
    source: Callable[[CategoryYear], str],
    label: Callable[[CategoryYear], str],
) -> tuple[ActivityRecord, ...]:
    """One record of tier ``measured`` for each category with data in the year: its
    consumption in the carrier's unit, with the ``source`` and ``label`` texts given."""
    return tuple(
        ActivityRecord(
            year=coverage.year,
            category=item.category,
            sector=item.sector,
            quantity=item.consumption,
            unit=item.unit,
            quality=DataQuality.MEASURED,
            source=source(item),
            label=label(item),
        )
        for item in coverage.with_data
    )
