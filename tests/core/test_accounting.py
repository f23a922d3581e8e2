"""The whole accounting run over the examples: the pieces agree with each other."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.accounting import baseline_of, run_accounting
from lowcarbon.core.activity import AccountingInput, YearDrivers
from lowcarbon.core.factors import FactorLibrary
from lowcarbon.core.indicators import MissingDriversError
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.factors import load_factor_library

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def library() -> FactorLibrary:
    return load_factor_library()


@pytest.fixture(scope="module", params=["community", "zone"])
def data(request: pytest.FixtureRequest) -> AccountingInput:
    return load_accounting_file(EXAMPLES / request.param / "accounting.yaml")


def test_every_year_is_accounted_and_totals_add_up(
    data: AccountingInput, library: FactorLibrary
) -> None:
    result = run_accounting(data, library)
    assert [i.year for i in result.inventories] == [2023, 2024, 2025]
    assert result.is_final
    for inventory in result.inventories:
        lines = [line.tco2 for line in inventory.emission_lines if line.tco2 is not None]
        assert inventory.gross_tco2 == sum(lines, Decimal(0))
        assert result.inventory(inventory.year) is inventory
    assert [i.year for i in result.indicators] == [2023, 2024, 2025]


def test_comparison_and_decomposition_cover_base_to_latest(
    data: AccountingInput, library: FactorLibrary
) -> None:
    result = run_accounting(data, library)
    assert result.comparison is not None
    assert result.decomposition is not None
    assert (result.comparison.base_year, result.comparison.current_year) == (2023, 2025)
    assert result.comparison.factor_change_effect.value == 0  # one set throughout
    change = result.inventory(2025).gross_tco2 - result.inventory(2023).gross_tco2
    assert abs(result.decomposition.change_tco2 - change) < Decimal("1e-9")


def test_forecast_starts_from_the_base_year_inventory(
    data: AccountingInput, library: FactorLibrary
) -> None:
    result = run_accounting(data, library)
    assert result.forecast is not None
    base = result.inventory(2023)
    assert result.forecast.baseline.year == 2023
    assert sum(result.forecast.baseline.emissions_tco2.values(), Decimal(0)) == base.gross_tco2
    assert result.forecast.bau[0].emissions_tco2 == base.gross_tco2
    final_year = max(t.year for t in data.targets)
    assert result.forecast.plan.get(final_year) is not None
    assert len(result.forecast.targets.checks) == len(data.targets)


def test_baseline_converts_renewables_with_the_sets_coefficient(
    library: FactorLibrary,
) -> None:
    data = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    base = run_accounting(data, library).inventory(2023)
    baseline = baseline_of(base, library)
    assert baseline.renewable_tce_per_kwh == Decimal("0.0001229")
    assert baseline.sinks_tco2 == base.sinks_tco2
    assert baseline.electricity_kwh == base.electricity_kwh


def test_without_tasks_or_targets_there_is_no_forecast(library: FactorLibrary) -> None:
    data = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    plain = replace(data, tasks=(), targets=(), years=(2023,))
    result = run_accounting(plain, library)
    assert result.forecast is None
    assert result.comparison is None
    assert result.decomposition is None


def test_a_year_without_drivers_is_refused(library: FactorLibrary) -> None:
    data = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    drivers = tuple(d for d in data.profile.drivers if d.year != 2024)
    broken = replace(data, profile=replace(data.profile, drivers=drivers))
    with pytest.raises(MissingDriversError):
        run_accounting(broken, library)
    base = run_accounting(data, library).inventory(2023)
    orphan = replace(base, profile=replace(base.profile, drivers=(YearDrivers(2030, 1),)))
    with pytest.raises(MissingDriversError):
        baseline_of(orphan, library)


def test_a_bad_record_is_numbered_by_its_place_in_the_input(library: FactorLibrary) -> None:
    from lowcarbon.core.activity import ActivityRecord, DataQuality, Sector, SourceCategory
    from lowcarbon.core.units import UnitDimensionError

    data = load_accounting_file(EXAMPLES / "community" / "accounting.yaml")
    bad = ActivityRecord(
        2024,
        SourceCategory.GASOLINE,
        Sector.TRANSPORT,
        Decimal(3150),
        "L",
        DataQuality.MEASURED,
        label="巡逻车",
    )
    records = (*data.records, bad)
    with pytest.raises(UnitDimensionError) as caught:
        run_accounting(replace(data, records=records), library)
    assert f"record {len(records)} (gasoline" in caught.value.message.render()


FIXTURES = Path(__file__).parents[1] / "rules" / "fixtures" / "accounting"


def test_each_year_under_its_own_set_with_like_for_like_decline(library: FactorLibrary) -> None:
    data = load_accounting_file(FIXTURES / "per_year_sets.yaml")
    assert data.factor_set_for(2020) == "shanghai-2012"
    assert data.factor_set_for(2024) == "shanghai-2022-v2"
    result = run_accounting(data, library)
    base, current = result.inventories
    # 1 000 000 kWh × 7.88 t/10⁴kWh + 50 000 m³ × 2.162 kg/m³ = 788 + 108.1, as reported in 2020
    assert (base.set_id, base.gross_tco2) == ("shanghai-2012", Decimal("896.1"))
    assert (current.set_id, current.gross_tco2) == ("shanghai-2022-v2", Decimal("486.1"))
    comparison = result.comparison
    assert comparison is not None
    assert comparison.recalculated
    assert comparison.base_like_for_like_tco2 == Decimal("528.1")  # 2020 under 4.2
    # like for like: (528.1 − 486.1) ÷ 528.1; the apparent 45.8 % is mostly the vintage effect
    assert round(comparison.decline_rate.value or 0, 4) == Decimal("7.9530")
    assert round(comparison.factor_change_effect.value or 0, 4) == Decimal("41.0668")
    assert round(comparison.apparent_decline_rate.value or 0, 4) == Decimal("45.7538")
    # LMDI and the forecast start from the base year recomputed under the current set
    assert result.decomposition is not None
    assert result.decomposition.change_tco2 == Decimal(-42)
    assert result.forecast is not None
    assert result.forecast.baseline.total_tco2 == Decimal("528.1")


def test_a_run_under_a_set_without_coal_equivalents_still_computes(
    library: FactorLibrary,
) -> None:
    data = load_accounting_file(FIXTURES / "per_year_sets.yaml")
    old = replace(data, factor_set="shanghai-2012", year_factor_sets={}, years=(2020, 2021))
    records = tuple(replace(r, year=2021) if r.year == 2024 else r for r in data.records)
    drivers = (data.profile.drivers[0], replace(data.profile.drivers[1], year=2021))
    old = replace(old, records=records, profile=replace(data.profile, drivers=drivers))
    result = run_accounting(old, library)
    assert [i.total_tce for i in result.inventories] == [None, None]
    assert result.decomposition is None  # LMDI needs energy in tce: not computed, not failed
    assert result.comparison is not None
    assert result.comparison.decline_rate.value is not None
    assert result.forecast is not None
    assert result.forecast.baseline.energy_tce == 0


def test_reductions_computed_and_plausible_are_consistent_with_the_target(
    library: FactorLibrary,
) -> None:
    result = run_accounting(load_accounting_file(FIXTURES / "tasks_computed.yaml"), library)
    forecast = result.forecast
    assert forecast is not None
    pv, led = forecast.reductions
    assert (pv.status.value, pv.reduction_tco2, pv.renewable_kwh) == (
        "computed",
        Decimal("25.2"),
        60000,
    )
    assert (led.status.value, led.reduction_tco2) == ("computed", Decimal("12.6"))
    assert forecast.claims == ()
    assert forecast.declared == ()
    assert forecast.reduction_of(pv.task.id) is pv
    assert forecast.reduction_of("no such task") is None
    check = forecast.targets.checks[0]
    assert check.requirement is not None
    assert check.requirement.required_tco2 == Decimal("34.805")
    assert check.requirement.tasks_tco2 == Decimal("37.8")
    assert forecast.targets.consistency  # 衔接: computed, plausible and covering the target


def test_declared_and_implausible_claims_are_findings_and_never_consistent(
    library: FactorLibrary,
) -> None:
    result = run_accounting(load_accounting_file(FIXTURES / "tasks_claims.yaml"), library)
    forecast = result.forecast
    assert forecast is not None
    claims = [claim.render() for claim in forecast.claims]
    expected = [
        "task 'C1': 40 tCO2 a year is declared, not computed",
        "task 'C2': adds 126000 kWh of renewable electricity a year but states no reduction",
        "task 'C3': 300 tCO2 a year is declared, its activities give 4.2 tCO2",
        "task 'C4': 35 tCO2 a year is declared, not computed",
        "task 'C4': 35 tCO2 a year is more than the sources it acts on (waste/waste) emit in "
        "the base year, 0 tCO2",
        "task 'C5': 500 tCO2 a year is declared, not computed",
        "2024: the tasks claim 544.2 tCO2 below business as usual (696.1 tCO2), but the "
        "inventory of 2024 is 687.7 tCO2, 8.4 tCO2 below it",
    ]
    assert len(claims) == len(expected)
    for claim, words in zip(claims, expected, strict=True):
        assert claim.startswith(words), claim
    assert [r.task.id for r in forecast.declared] == ["C1", "C4", "C5"]
    # The tasks cover the required reduction, but the verdict is withdrawn, with the reasons.
    check = forecast.targets.checks[0]
    assert check.requirement is not None
    assert check.requirement.covered
    assert not forecast.targets.consistency
    assert "not consistent while task reductions are declared or implausible" in (
        forecast.targets.consistency_explanation.render()
    )
