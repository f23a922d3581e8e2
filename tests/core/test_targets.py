"""Targets against the plan (附件2 三): checks, requirements, staged targets, consistency and
decomposition; explanations, invariants as properties, and the named errors.

Values at and around the thresholds are in ``tests/scenarios/targets/thresholds.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.activity import (
    Domain,
    ForecastAssumptions,
    Target,
    TargetKind,
    Task,
    YearDrivers,
)
from lowcarbon.core.forecast import (
    Baseline,
    ForecastError,
    PlanForecast,
    YearProjection,
    forecast_bau,
    forecast_plan,
)
from lowcarbon.core.messages import Message
from lowcarbon.core.targets import (
    AT_LEAST,
    EMISSION_KINDS,
    DenominatorError,
    TargetError,
    TargetReport,
    TargetValueError,
    TargetYearError,
    check_targets,
)
from lowcarbon.core.targets.report import Decomposition, Share
from tests.core.test_forecast import (
    BASE_YEAR,
    ELEC_RES,
    FLAT,
    GAS_RES,
    YEARS,
    assumptions_,
    baseline,
    baselines,
    task,
    task_lists,
)

TARGET_YEAR = 2025


def run(
    base: Baseline,
    targets: Sequence[Target],
    tasks: Sequence[Task] = (),
    assumptions: ForecastAssumptions = FLAT,
    years: Sequence[int] = (TARGET_YEAR,),
) -> tuple[tuple[YearProjection, ...], PlanForecast, TargetReport]:
    bau = forecast_bau(base, [], assumptions, years)
    plan = forecast_plan(bau, tasks)
    return bau, plan, check_targets(base, bau, plan, targets, tasks)


def target(kind: TargetKind, value: str | int, year: int = TARGET_YEAR, **fields: object) -> Target:
    return Target(kind, year, Decimal(value), **fields)  # type: ignore[arg-type]


def two_sources(**fields: object) -> Baseline:
    return baseline({ELEC_RES: Decimal(1000), GAS_RES: Decimal(500)}, population=5000, **fields)


# ---------------------------------------------------------------------------------------------
# Properties


@st.composite
def target_sets(draw: st.DrawFn) -> list[Target]:
    kinds = draw(st.lists(st.sampled_from(sorted(EMISSION_KINDS)), min_size=1, unique=True))
    values = {
        TargetKind.TOTAL: st.decimals(0, 20000, places=2),
        TargetKind.DECLINE_RATE: st.decimals(-50, 100, places=2),
        TargetKind.PER_CAPITA: st.decimals(0, 5, places=3),
        TargetKind.PER_CAPITA_DECLINE_RATE: st.decimals(-50, 100, places=2),
        TargetKind.INTENSITY_GDP: st.decimals(0, 5, places=3),
    }
    return [
        Target(kind, draw(st.sampled_from(YEARS)), draw(values[kind]), draw(st.booleans()))
        for kind in kinds
    ]


@settings(deadline=None)
@given(
    base=baselines(),
    assumptions=assumptions_,
    tasks=task_lists(),
    targets=target_sets(),
)
def test_an_emission_target_is_met_exactly_when_the_tasks_cover_its_requirement(
    base: Baseline, assumptions: ForecastAssumptions, tasks: list[Task], targets: list[Target]
) -> None:
    # Denominators that are zero are named errors (tested below); keep the draws computable.
    base = replace(
        base,
        emissions_tco2={source: value + 1 for source, value in base.emissions_tco2.items()},
        drivers=replace(
            base.drivers,
            resident_population=base.drivers.resident_population + 1,
            gdp_10k_yuan=(base.drivers.gdp_10k_yuan or Decimal(0)) + 1,
        ),
    )
    bau = forecast_bau(base, [], assumptions, YEARS)
    plan = forecast_plan(bau, tasks)
    report = check_targets(base, bau, plan, targets, tasks)
    for check in report.checks:
        requirement = check.requirement
        assert requirement is not None
        assert check.margin is not None
        assert check.met is (check.margin >= 0) is requirement.covered
        assert requirement.required_tco2 >= 0
        # The figures are the exact values to 28 digits, so they agree up to that rounding.
        expected_gap = max(Decimal(0), requirement.required_tco2 - requirement.tasks_tco2)
        assert abs(requirement.gap_tco2 - expected_gap) < Decimal("1e-18")
        assert requirement.gap_tco2 == 0 or requirement.surplus_tco2 == 0
    overall = [c for c in report.checks if c.target.overall]
    covered = all(c.requirement is not None and c.requirement.covered for c in overall)
    has_reduction = any(t.annual_reduction_tco2 > 0 for t in tasks)
    assert report.consistency is (bool(overall) and covered and has_reduction)
    assert (report.decomposition is None) is (not overall)


# ---------------------------------------------------------------------------------------------
# Checks and their explanations


def test_every_kind_is_checked_with_an_explanation_that_shows_its_inputs() -> None:
    base = two_sources(
        renewable_tce=Decimal(50),
        renewable_kwh=Decimal(10**5),
        electricity_kwh=Decimal(10**6),
        sinks_tco2=Decimal(12),
        drivers=YearDrivers(BASE_YEAR, 5000, gdp_10k_yuan=Decimal(10000)),
        energy_tce=Decimal(1000),
    )
    targets = [
        target(TargetKind.TOTAL, 1300),
        target(TargetKind.DECLINE_RATE, 10),
        target(TargetKind.PER_CAPITA, "0.3"),
        target(TargetKind.PER_CAPITA_DECLINE_RATE, 10),
        target(TargetKind.INTENSITY_GDP, "0.2"),
        target(TargetKind.RENEWABLE_SHARE, 4),
        target(TargetKind.SOURCE_SINK_RATIO, 200),
    ]
    tasks = [task("A", 300, acts_on=(ELEC_RES,))]
    _, _, report = run(base, targets, tasks)
    rendered = {c.target.kind: c.explanation.render() for c in report.checks}
    assert rendered[TargetKind.TOTAL] == (
        "total emissions 2025: the plan reaches 1,200 tCO2 (business as usual 1,500 tCO2 − task "
        "reductions 300 tCO2) against a target of at most 1,300 tCO2: met, margin 100 tCO2"
    )
    assert rendered[TargetKind.DECLINE_RATE] == (
        "emission decline rate 2025: the plan reaches 20 % ((1,500 tCO2 in 2022 − 1,200 tCO2) ÷ "
        "1,500 tCO2 × 100) against a target of at least 10 %: met, margin 10 %"
    )
    assert "1,200 tCO2 ÷ 5000 residents" in rendered[TargetKind.PER_CAPITA]
    decline = rendered[TargetKind.PER_CAPITA_DECLINE_RATE]
    assert "with 1,500 tCO2 ÷ 5000 residents in 2022" in decline
    assert "1,200 tCO2 ÷ 10000 × 10⁴ yuan" in rendered[TargetKind.INTENSITY_GDP]
    assert rendered[TargetKind.RENEWABLE_SHARE] == (
        "renewable share 2025: the plan reaches 5 % (50 tce renewable ÷ 1000 tce energy × 100; "
        "electricity share 10 %) against a target of at least 4 %: met, margin 1 %"
    )
    assert rendered[TargetKind.SOURCE_SINK_RATIO] == (
        "source-to-sink ratio 2025: the plan reaches 100 (1,200 tCO2 ÷ 12 tCO2 of sinks) against "
        "a target of at most 200: met, margin 100"
    )
    with pytest.raises(KeyError):
        report.check(TargetKind.TOTAL, 2030)
    total = report.check(TargetKind.TOTAL, TARGET_YEAR)
    assert dict(total.inputs) == {"plan_tco2": 1200, "bau_tco2": 1500, "tasks_tco2": 300}
    assert total.requirement is not None
    assert total.requirement.explanation.render() == (
        "2025: business as usual 1,500 tCO2; the largest emission that meets the target is 1,300 "
        "tCO2 (the target itself); required reduction 200 tCO2; task reductions 300 tCO2 after "
        "removing double counting; gap 0 tCO2"
    )
    per_capita_decline = report.check(TargetKind.PER_CAPITA_DECLINE_RATE, TARGET_YEAR)
    assert per_capita_decline.requirement is not None
    assert per_capita_decline.requirement.allowed.render() == (
        "0.3 tCO2/person × (1 − 10 %) × 5000 residents"
    )
    intensity = report.check(TargetKind.INTENSITY_GDP, TARGET_YEAR)
    assert intensity.requirement is not None
    assert intensity.requirement.allowed.render() == "0.2 tCO2/10⁴ yuan × 10000 × 10⁴ yuan"
    share = report.check(TargetKind.RENEWABLE_SHARE, TARGET_YEAR)
    assert share.requirement is None
    assert set(share.inputs) == {"renewable_tce", "energy_tce", "renewable_kwh", "electricity_kwh"}


def test_renewable_share_without_electricity_data_shows_the_energy_share_alone() -> None:
    base = two_sources(renewable_tce=Decimal(30), energy_tce=Decimal(600))
    _, _, report = run(base, [target(TargetKind.RENEWABLE_SHARE, 6)])
    (check,) = report.checks
    assert not check.met
    assert check.margin == Decimal(-1)
    assert "(30 tce renewable ÷ 600 tce energy × 100)" in check.explanation.render()


def test_a_renewable_task_raises_the_share_of_the_plan() -> None:
    base = two_sources(energy_tce=Decimal("1.229"))
    pv = task("PV", 0, acts_on=(), adds_renewable_kwh=Decimal(1000))
    _, _, report = run(base, [target(TargetKind.RENEWABLE_SHARE, 10)], [pv])
    (check,) = report.checks
    assert check.reached == Decimal(10)  # 1000 kWh × 0.1229 kgce/kWh = 0.1229 tce of 1.229
    assert check.met


def test_a_ratio_target_without_sinks_is_not_met_and_says_why() -> None:
    _, _, report = run(two_sources(), [target(TargetKind.SOURCE_SINK_RATIO, 500)])
    (check,) = report.checks
    assert (check.met, check.reached, check.margin, check.requirement) == (False, None, None, None)
    assert check.explanation.render() == (
        "source-to-sink ratio 2025: the plan has no carbon sinks, so the ratio is undefined and "
        "the target of at most 500 is not met"
    )


# ---------------------------------------------------------------------------------------------
# Staged targets, consistency and decomposition


def test_staged_targets_are_reported_per_kind_with_the_stages_that_loosen() -> None:
    targets = [
        target(TargetKind.TOTAL, 1400, 2023),
        target(TargetKind.TOTAL, 1450, 2025),
        target(TargetKind.RENEWABLE_SHARE, 0, 2023),
        target(TargetKind.RENEWABLE_SHARE, 0, 2025),
        target(TargetKind.PER_CAPITA, 1, 2025),
    ]
    _, _, report = run(two_sources(), targets, years=(2023, 2025))
    staged = {s.kind: s for s in report.staged}
    assert list(staged) == [TargetKind.TOTAL, TargetKind.PER_CAPITA, TargetKind.RENEWABLE_SHARE]
    assert not staged[TargetKind.TOTAL].monotone
    assert staged[TargetKind.TOTAL].staged
    assert staged[TargetKind.TOTAL].message.render() == (
        "total emissions: the staged targets 2023: 1,400 tCO2, 2025: 1,450 tCO2 do not lead "
        "steadily to the final target of 2025: 2025 (1,450 tCO2) is looser than 2023 (1,400 tCO2)"
    )
    assert staged[TargetKind.RENEWABLE_SHARE].monotone
    assert staged[TargetKind.RENEWABLE_SHARE].message.render() == (
        "renewable share: the staged targets 2023: 0 %, 2025: 0 % lead steadily to the final one"
    )
    assert not staged[TargetKind.PER_CAPITA].staged
    assert staged[TargetKind.PER_CAPITA].message.render() == (
        "per-capita emissions: one target (2025: 1 tCO2/person), no staged targets"
    )


def test_consistency_and_decomposition_explain_the_gap_per_year() -> None:
    base = baseline({ELEC_RES: Decimal(1000), GAS_RES: Decimal(1000)}, population=10000)
    tasks = [
        task("A", 300, acts_on=(ELEC_RES,)),
        replace(task("B", 100, acts_on=(GAS_RES,)), domain=Domain.BUILDINGS),
    ]
    targets = [target(TargetKind.TOTAL, 1800, 2023), target(TargetKind.TOTAL, 1500)]
    _, _, report = run(base, targets, tasks, years=(2023, 2025))
    assert not report.consistency
    assert report.consistency_explanation.render() == (
        "the task reductions fall short of the overall emission targets total emissions 2025 "
        "(required 500 tCO2; tasks 400 tCO2; gap 100 tCO2); they cover total emissions 2023 "
        "(required 200 tCO2; tasks 400 tCO2)"
    )
    _, _, short = run(base, [target(TargetKind.TOTAL, 1500)], tasks)
    assert short.consistency_explanation.render() == (
        "the task reductions fall short of the overall emission targets: total emissions 2025 "
        "(required 500 tCO2; tasks 400 tCO2; gap 100 tCO2)"
    )
    decomposition = report.decomposition
    assert decomposition is not None
    assert decomposition.explanation.render() == (
        "final target year 2025: the total emissions target requires 500 tCO2, shared as domains "
        "energy 300 tCO2 (60 %), buildings 100 tCO2 (20 %); tasks A 300 tCO2 (60 %), B "
        "100 tCO2 (20 %); tasks together 400 tCO2, gap 100 tCO2"
    )
    _, _, covered = run(base, [target(TargetKind.TOTAL, 1600)], tasks)
    assert covered.consistency
    assert covered.consistency_explanation.render().startswith(
        "the task reductions cover the required reduction of every overall emission target: "
    )


def test_the_binding_target_of_the_final_year_is_the_one_asking_most() -> None:
    base = baseline({ELEC_RES: Decimal(1000)}, population=100)
    targets = [
        target(TargetKind.TOTAL, 900),  # requires 100
        target(TargetKind.PER_CAPITA, 8),  # allows 800: requires 200
        target(TargetKind.DECLINE_RATE, 5),  # allows 950: requires 50
    ]
    _, _, report = run(base, targets, [task("A", 150)])
    decomposition = report.decomposition
    assert decomposition is not None
    assert (decomposition.kind, decomposition.required_tco2) == (
        TargetKind.PER_CAPITA,
        Decimal(200),
    )
    assert decomposition.gap_tco2 == 50
    assert [(s.key, s.share_pct) for s in decomposition.tasks] == [("A", Decimal(75))]


def test_without_a_required_reduction_the_shares_are_undefined() -> None:
    _, _, report = run(two_sources(), [target(TargetKind.TOTAL, 5000)], [task("A", 10)])
    decomposition = report.decomposition
    assert decomposition is not None
    assert [s.share_pct for s in (*decomposition.domains, *decomposition.tasks)] == [None, None]
    assert decomposition.explanation.render() == (
        "final target year 2025: business as usual already meets the total emissions target, so "
        "no reduction is required; the tasks reduce 10 tCO2: domains energy 10 tCO2; tasks A 10 "
        "tCO2"
    )
    assert report.consistency


def test_consistency_needs_an_overall_emission_target_and_task_reductions() -> None:
    _, _, none = run(two_sources(), [target(TargetKind.PER_CAPITA, 1, overall=False)])
    assert not none.consistency
    assert none.decomposition is None
    assert none.consistency_explanation.render().startswith("no overall emission target")
    _, _, no_tasks = run(two_sources(), [target(TargetKind.TOTAL, 5000)])
    assert not no_tasks.consistency
    assert no_tasks.consistency_explanation.render() == (
        "no task states a reduction, so there is nothing to match to the overall target"
    )


# ---------------------------------------------------------------------------------------------
# Named errors


def test_a_target_before_the_base_year_or_outside_the_forecast_is_refused() -> None:
    with pytest.raises(TargetYearError) as caught:
        run(two_sources(), [target(TargetKind.TOTAL, 1, BASE_YEAR - 1)])
    assert caught.value.base_year == BASE_YEAR
    assert caught.value.message.render() == (
        "the total emissions target for 2021 lies before the base year 2022"
    )
    with pytest.raises(TargetYearError, match="does not contain 2030"):
        run(two_sources(), [target(TargetKind.TOTAL, 1, 2030)])
    assert issubclass(TargetYearError, ForecastError)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (TargetKind.DECLINE_RATE, "100.01", "at most 100 %"),
        (TargetKind.PER_CAPITA_DECLINE_RATE, 101, "at most 100 %"),
        (TargetKind.RENEWABLE_SHARE, -1, "between 0 and 100 %"),
        (TargetKind.RENEWABLE_SHARE, 101, "between 0 and 100 %"),
        (TargetKind.TOTAL, -1, "zero or more"),
        (TargetKind.SOURCE_SINK_RATIO, "-0.5", "zero or more"),
    ],
)
def test_target_values_out_of_range_are_refused(
    kind: TargetKind, value: str | int, expected: str
) -> None:
    with pytest.raises(TargetValueError) as caught:
        run(two_sources(), [target(kind, value)])
    assert caught.value.message.render().endswith(f"it must be {expected}")


def test_negative_decline_rates_allow_growth_up_to_a_cap() -> None:
    _, _, report = run(two_sources(), [target(TargetKind.DECLINE_RATE, -10)])
    (check,) = report.checks
    assert check.met
    assert check.requirement is not None
    assert check.requirement.allowed_tco2 == 1650


def test_two_targets_of_one_kind_and_year_are_refused() -> None:
    with pytest.raises(TargetValueError, match="two total emissions targets for 2025"):
        run(two_sources(), [target(TargetKind.TOTAL, 1), target(TargetKind.TOTAL, 2)])


@pytest.mark.parametrize(
    ("base", "kind", "words"),
    [
        (baseline({ELEC_RES: Decimal(0)}), TargetKind.DECLINE_RATE, "the base-year emission"),
        (baseline(population=0), TargetKind.PER_CAPITA, "resident population of the target"),
        (baseline(population=0), TargetKind.PER_CAPITA_DECLINE_RATE, "resident population"),
        (baseline({ELEC_RES: Decimal(0)}), TargetKind.PER_CAPITA_DECLINE_RATE, "per resident"),
        (baseline(), TargetKind.INTENSITY_GDP, "the GDP of the target year"),
        (
            baseline(drivers=YearDrivers(BASE_YEAR, 1, gdp_10k_yuan=Decimal(0))),
            TargetKind.INTENSITY_GDP,
            "GDP",
        ),
        (baseline(energy_tce=Decimal(0)), TargetKind.RENEWABLE_SHARE, "energy consumption"),
    ],
)
def test_zero_or_missing_denominators_are_named_errors(
    base: Baseline, kind: TargetKind, words: str
) -> None:
    with pytest.raises(DenominatorError) as caught:
        run(base, [target(kind, 1)])
    assert words in caught.value.message.render()
    assert caught.value.target.kind is kind


def test_the_forecasts_and_tasks_must_be_those_of_the_baseline_and_plan() -> None:
    base = two_sources()
    bau = forecast_bau(base, [], FLAT, [TARGET_YEAR])
    plan = forecast_plan(bau, [task("A")])
    other_base = replace(base, year=2021, drivers=YearDrivers(2021, 5000))
    with pytest.raises(TargetError) as caught:
        check_targets(other_base, bau, plan, [], [task("A")])
    assert caught.value.code == "target_base_year"
    with pytest.raises(TargetError) as caught:
        check_targets(base, bau, plan, [], [task("B")])
    assert caught.value.code == "target_tasks"
    assert AT_LEAST.isdisjoint({TargetKind.TOTAL, TargetKind.SOURCE_SINK_RATIO})


def _decomposition(required: str, domains: dict[str, str]) -> Decomposition:
    shares = tuple(Share(key, Decimal(value), None) for key, value in domains.items())
    total = sum((share.reduction_tco2 for share in shares), Decimal(0))
    return Decomposition(
        year=2027,
        kind=TargetKind.PER_CAPITA,
        required_tco2=Decimal(required),
        tasks_tco2=total,
        gap_tco2=max(Decimal(0), Decimal(required) - total),
        domains=shares,
        tasks=(),
        explanation=Message("x"),
    )


def test_the_domain_split_adds_up_to_100_even_when_tasks_exceed_the_requirement() -> None:
    # 625 t of behaviour tasks against 100 t required: 625 % of the requirement, but the split
    # is of the tasks' 1 000 t (62.5 / 37.5) and the coverage says the rest.
    split = _decomposition("100", {"behaviour": "625", "energy": "375"})
    table = split.domain_split()
    assert [(s.key, s.shown_pct) for s in table.shares] == [
        ("behaviour", Decimal("62.5")),
        ("energy", Decimal("37.5")),
    ]
    assert table.shown_total_pct == 100
    assert split.coverage_pct == Decimal(1000)


def test_the_domain_split_leaves_out_domains_that_add_emissions() -> None:
    split = _decomposition("0", {"energy": "30", "transport": "-10"})
    assert [s.key for s in split.domain_split().shares] == ["energy"]
    assert split.coverage_pct is None  # nothing required
