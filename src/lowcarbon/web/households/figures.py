"""The ledger's figures: each month's emissions from the unit's factor set, the community's
averages (only over enough households), and the yearly totals the selection is run on.

Electricity and natural gas are turned into kgCO2 with the factors the unit's factor set gives
(the set of the unit's application, as its accounting uses; the platform's default set for a
community without one), resolved on the month's last day as the monthly figures of the
monitoring system are. Water is recorded and shown but not in the emissions: no factor set
covers water, and the factor table's only water factor is an untraced placeholder.

A month fed from meters may leave electricity or gas unrecorded (no meter of the household
measures it): that carrier has no emissions (``None``, never 0), the month no total, and it
counts neither in the community's averages nor in the selection's months.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from lowcarbon.core.factors import FactorError, FactorLibrary, ResolvedFactor
from lowcarbon.core.household_selection import (
    CommunityAverage,
    HouseholdYear,
    SelectionRules,
    community_average,
)
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.household_selection import load_selection_rules
from lowcarbon.web.households.models import Household, LedgerMonth
from lowcarbon.web.language import read
from lowcarbon.web.monitoring.stores import factor_set_of
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "MonthFigures",
    "factor_set_of",
    "household_years",
    "month_averages",
    "month_figures",
    "selection_rules",
]

KG = "kgCO2"


@cache
def _library() -> FactorLibrary:
    return load_factor_library()


@cache
def selection_rules() -> SelectionRules:
    return load_selection_rules()


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _factor(set_id: str, category: str, month: date) -> ResolvedFactor | None:
    try:
        return _library().resolve(set_id, category, _month_end(month))
    except FactorError:
        return None


@dataclass(frozen=True)
class MonthFigures:
    entry: LedgerMonth
    electricity_kg: Decimal | None
    gas_kg: Decimal | None

    @property
    def unrecorded(self) -> bool:
        """Electricity or gas not recorded this month (a month fed from meters that measure
        only some carriers): no total, whatever the factors."""
        return self.entry.electricity_kwh is None or self.entry.gas_m3 is None

    @property
    def total_kg(self) -> Decimal | None:
        if self.electricity_kg is None or self.gas_kg is None:
            return None
        return self.electricity_kg + self.gas_kg


def _apply(factor: ResolvedFactor | None, amount: Decimal | None, unit: str) -> Decimal | None:
    if factor is None or amount is None:
        return None
    return factor.apply(amount, unit, KG)


def month_figures(entry: LedgerMonth, set_id: str) -> MonthFigures:
    electricity = _factor(set_id, "electricity", entry.month)
    gas = _factor(set_id, "natural_gas", entry.month)
    return MonthFigures(
        entry,
        _apply(electricity, entry.electricity_kwh, "kWh"),
        _apply(gas, entry.gas_m3, "m3"),
    )


def explanations(set_id: str, months: Iterable[date]) -> list[str]:
    """Why the numbers: the factors used for the months shown, each once, in words."""
    lines: list[str] = []
    for month in months:
        for category in ("electricity", "natural_gas"):
            factor = _factor(set_id, category, month)
            line = read(factor.explanation()) if factor is not None else ""
            if line and line not in lines:
                lines.append(line)
    return lines


def month_averages(
    unit: Organisation, months: Sequence[date], set_id: str, minimum: int
) -> dict[date, CommunityAverage | None]:
    """The community's average per household and per capita of each month (kgCO2), or None
    for a month fewer than ``minimum`` households recorded."""
    pairs: dict[date, list[tuple[Decimal, int]]] = defaultdict(list)
    entries = LedgerMonth.objects.filter(household__unit=unit, month__in=months).select_related(
        "household"
    )
    for entry in entries:
        total = month_figures(entry, set_id).total_kg
        if total is not None:
            pairs[entry.month].append((total, entry.household.members))
    return {month: community_average(pairs[month], minimum) for month in months}


def household_years(unit: Organisation, year: int, set_id: str) -> list[HouseholdYear]:
    """Every household of the unit summed over ``year`` and the year before (kgCO2)."""
    sums: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    entries = LedgerMonth.objects.filter(
        household__unit=unit, month__year__in=(year - 1, year)
    ).select_related("household")
    for entry in entries:
        total = month_figures(entry, set_id).total_kg
        if total is not None:
            sums[entry.household_id][entry.month.year].append(total)
    years = []
    for household in Household.objects.filter(unit=unit).order_by("label"):
        this, previous = sums[household.pk][year], sums[household.pk][year - 1]
        years.append(
            HouseholdYear(
                key=str(household.pk),
                members=household.members,
                months=len(this),
                emissions=sum(this, Decimal(0)),
                previous_months=len(previous),
                previous_emissions=sum(previous, Decimal(0)),
            )
        )
    return years
