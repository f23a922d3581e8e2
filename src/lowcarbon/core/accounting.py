"""One unit's whole accounting run: inventories, indicators, comparison, forecast, targets.

This is the single place where the pieces meet, so the command line, the XLSX report and (later)
the web show the same numbers: each year's inventory under its factor set (the input's, or the
one named for that year), its indicators, the latest year against the base year (like for
like, and decomposed), then the base year, recomputed under the latest year's set when it was
reported under another, as the baseline of the business-as-usual and plan scenarios and the
target check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .activity import AccountingInput, ActivityRecord, YearDrivers
from .decomposition import Decomposition, decompose
from .factors import CategoryNotCoveredError, FactorLibrary
from .forecast import Baseline, PlanForecast, YearProjection, forecast_bau, forecast_plan
from .indicators import (
    Indicators,
    MissingDriversError,
    YearComparison,
    calculate_indicators,
    compare_years,
)
from .inventory import COAL_EQUIVALENT_CATEGORY, Inventory, calculate_inventory
from .messages import Message
from .reductions import (
    ReductionStatus,
    TaskReduction,
    claim_findings,
    compute_reductions,
    reconcile,
)
from .targets import TargetReport, check_targets

__all__ = ["AccountingResult", "Forecast", "baseline_of", "run_accounting"]


@dataclass(frozen=True)
class Forecast:
    baseline: Baseline
    bau: tuple[YearProjection, ...]
    plan: PlanForecast
    targets: TargetReport
    reductions: tuple[TaskReduction, ...] = ()  # each task's reduction: computed or declared
    claims: tuple[Message, ...] = ()  # implausible claims, with their reasons

    @property
    def declared(self) -> tuple[TaskReduction, ...]:
        """Tasks whose reduction is a typed figure: declared, not computed."""
        return tuple(r for r in self.reductions if r.status is ReductionStatus.DECLARED)

    def reduction_of(self, task_id: str) -> TaskReduction | None:
        """The reduction the forecast counts for ``task_id`` (computed, or the typed figure when
        declared); ``None`` for an unknown task. Documents list this figure, never the typed one
        beside a computed one, so a plan's table adds up to what its forecast counts."""
        return next((r for r in self.reductions if r.task.id == task_id), None)


@dataclass(frozen=True)
class AccountingResult:
    input: AccountingInput
    inventories: tuple[Inventory, ...]  # one per accounting year, in year order
    indicators: tuple[Indicators, ...]
    comparison: YearComparison | None  # latest year against the base year
    decomposition: Decomposition | None
    forecast: Forecast | None  # when the input has targets or tasks

    def inventory(self, year: int) -> Inventory:
        return next(i for i in self.inventories if i.year == year)

    @property
    def is_final(self) -> bool:
        """Only complete inventories make a final result (a draft never passes as final)."""
        return all(inventory.is_final for inventory in self.inventories)


def baseline_of(inventory: Inventory, library: FactorLibrary) -> Baseline:
    """The forecast's view of a base-year inventory (gross scope 1 + 2 by source, §6)."""
    drivers = _drivers(inventory)
    try:
        per_kwh = library.resolve(
            inventory.set_id, COAL_EQUIVALENT_CATEGORY, date(inventory.year, 12, 31)
        ).value
    except CategoryNotCoveredError:
        per_kwh = Decimal(0)  # no energy basis under this set (shanghai-2012): see energy_tce
    return Baseline(
        year=inventory.year,
        emissions_tco2=inventory.emissions_by_source(),
        drivers=drivers,
        # None when the set gives no tce conversion; the forecast then has no energy basis and
        # a renewable-share target says so (DenominatorError) instead of inventing one.
        energy_tce=inventory.total_tce or Decimal(0),
        renewable_tce=inventory.renewable_tce or Decimal(0),
        renewable_kwh=inventory.renewable_electricity_kwh,
        electricity_kwh=inventory.electricity_kwh,
        sinks_tco2=inventory.sinks_tco2,
        renewable_tce_per_kwh=per_kwh / 1000,  # kgce/kWh → tce/kWh
    )


def _drivers(inventory: Inventory) -> YearDrivers:
    if inventory.drivers is None:
        raise MissingDriversError(inventory.profile.name, inventory.year)
    return inventory.drivers


def _populated(inventory: Inventory) -> bool:
    drivers = inventory.drivers
    return drivers is not None and drivers.resident_population > 0


def _inventory(
    data: AccountingInput,
    library: FactorLibrary,
    year: int,
    chosen: Sequence[tuple[int, ActivityRecord]],
) -> Inventory:
    """The inventory of ``year`` from ``chosen``, its records with their positions in the input
    (so "record 25" is the 25th record of the file)."""
    return calculate_inventory(
        data.profile,
        [record for _, record in chosen],
        library,
        data.factor_set_for(year),
        year,
        positions=[position for position, _ in chosen],
    )


def run_accounting(data: AccountingInput, library: FactorLibrary) -> AccountingResult:
    """Compute everything for ``data`` with the factors of ``library``."""
    years = sorted(data.years or {record.year for record in data.records})
    by_year: dict[int, list[tuple[int, ActivityRecord]]] = {}
    for position, record in enumerate(data.records):
        by_year.setdefault(record.year, []).append((position, record))
    inventories = tuple(_inventory(data, library, year, by_year.get(year, ())) for year in years)
    indicators = tuple(
        calculate_indicators(inventory, _drivers(inventory)) for inventory in inventories
    )
    base_year = data.profile.base_year
    base = next((i for i in inventories if i.year == base_year), None)
    latest = inventories[-1] if inventories else None
    comparison = decomposition = None
    if base is not None and latest is not None and latest.year != base_year:
        comparison = compare_years(base, latest, library)
        # LMDI explains a decline; it has none to explain when the decline was refused, its
        # population effect needs residents in both years and its carriers energy in tce.
        if comparison.refused is None and all(
            _populated(inventory) and inventory.total_tce is not None
            for inventory in (comparison.base, latest)
        ):
            decomposition = decompose(comparison.base, latest)
    forecast = None
    if base is not None and (data.targets or data.tasks):
        # A base year reported under an older set is recomputed under the current one (§5.2:
        # recalculate the baseline when a new official factor is adopted).
        baseline_inventory = comparison.base if comparison is not None else base
        baseline = baseline_of(baseline_inventory, library)
        # Reductions from the tasks' activities, with the factors of the baseline's set.
        reductions = compute_reductions(
            data.tasks, data.reductions, library, baseline_inventory.set_id, base_year
        )
        tasks = tuple(reduction.counted_task for reduction in reductions)
        target_years = {t.year for t in data.targets} | set(data.assumptions.target_years)
        final_year = max(target_years | {base_year})
        bau = forecast_bau(
            baseline, data.profile.drivers, data.assumptions, range(base_year, final_year + 1)
        )
        plan = forecast_plan(bau, tasks)
        observed = (
            (latest.year, latest.gross_tco2)
            if comparison is not None and comparison.refused is None and latest is not None
            else None
        )
        claims = claim_findings(reductions, library, baseline, plan, observed)
        report = reconcile(check_targets(baseline, bau, plan, data.targets, tasks), claims)
        forecast = Forecast(baseline, bau, plan, report, reductions, claims)
    return AccountingResult(data, inventories, indicators, comparison, decomposition, forecast)
