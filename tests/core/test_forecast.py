"""Business as usual and plan scenarios (accounting-method.md §9): behaviour, invariants, errors.

Hand-checked trajectories live in ``tests/scenarios/targets/*.yaml``. This module covers the
explanations, the fallbacks, the named errors, and the invariants as properties:

* no growth, no efficiency and no tasks give a flat trajectory equal to the base;
* the plan never exceeds business as usual and never falls below zero;
* adding a task never raises plan emissions;
* the ramp reaches the full reduction exactly at start + ramp − 1;
* the double-counting guard never lets a group of tasks remove more than its sources emit, and
  it removes no more than needed (the counted total is the largest any allocation allows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import chain, combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.activity import (
    Domain,
    ForecastAssumptions,
    Sector,
    SourceCategory,
    SourceKey,
    Task,
    YearDrivers,
)
from lowcarbon.core.forecast import (
    ELECTRICITY_TCE_PER_KWH,
    Baseline,
    BaselineError,
    DriverError,
    DriverKind,
    ForecastError,
    ForecastYearError,
    PlanForecast,
    TaskError,
    YearProjection,
    forecast_bau,
    forecast_plan,
    ramp_fraction,
    source_label,
    to_decimal,
)

ELEC_RES: SourceKey = (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL)
GAS_RES: SourceKey = (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL)
ELEC_COM: SourceKey = (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC)
GAS_IND: SourceKey = (SourceCategory.NATURAL_GAS, Sector.INDUSTRY)
DIESEL: SourceKey = (SourceCategory.DIESEL, Sector.TRANSPORT)
LPG_OTHER: SourceKey = (SourceCategory.LPG, Sector.OTHER)  # never in a generated baseline
KNOWN = (ELEC_RES, GAS_RES, ELEC_COM, GAS_IND, DIESEL)
BASE_YEAR = 2022
FLAT = ForecastAssumptions()


def baseline(
    emissions: dict[SourceKey, Decimal] | None = None,
    *,
    population: int = 1000,
    **fields: object,
) -> Baseline:
    drivers = fields.pop("drivers", YearDrivers(BASE_YEAR, population))
    values: dict[str, object] = {"energy_tce": Decimal(100)} | fields
    return Baseline(
        BASE_YEAR,
        emissions if emissions is not None else {ELEC_RES: Decimal(1000)},
        drivers,  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
    )


def task(
    task_id: str = "A",
    reduction: int | str = 100,
    start: int = BASE_YEAR + 1,
    ramp: int = 1,
    acts_on: tuple[SourceKey, ...] = (ELEC_RES,),
    **fields: object,
) -> Task:
    return Task(
        task_id,
        f"task {task_id}",
        Domain.ENERGY,
        acts_on,
        Decimal(reduction),
        start,
        ramp,
        **fields,  # type: ignore[arg-type]
    )


def flat_bau(
    base: Baseline | None = None, years: Sequence[int] = (2025,)
) -> tuple[YearProjection, ...]:
    return forecast_bau(base or baseline(), [], FLAT, years)


# ---------------------------------------------------------------------------------------------
# Strategies (kept here: the scoring strategies of tests/strategies.py are another domain)

tonnes = st.decimals(min_value=0, max_value=5000, places=3)
rates = st.decimals(min_value=-5, max_value=10, places=2)


@st.composite
def baselines(draw: st.DrawFn) -> Baseline:
    keys = draw(st.lists(st.sampled_from(KNOWN), min_size=1, max_size=4, unique=True))
    floor = draw(st.none() | st.decimals(min_value=1, max_value=10**6, places=1))
    gdp = draw(st.none() | st.decimals(min_value=1, max_value=10**6, places=1))
    drivers = YearDrivers(
        BASE_YEAR,
        draw(st.integers(0, 50000)),
        floor_area_m2={} if floor is None else {"residential": floor},
        gdp_10k_yuan=gdp,
    )
    return Baseline(
        BASE_YEAR,
        {key: draw(tonnes) for key in keys},
        drivers,
        energy_tce=draw(tonnes),
        renewable_tce=draw(tonnes),
        renewable_kwh=draw(tonnes),
        electricity_kwh=draw(tonnes),
        sinks_tco2=draw(tonnes),
    )


@st.composite
def task_lists(draw: st.DrawFn, max_size: int = 5) -> list[Task]:
    count = draw(st.integers(0, max_size))
    return [draw(tasks_(f"T{i}")) for i in range(count)]


def tasks_(task_id: str) -> st.SearchStrategy[Task]:
    return st.builds(
        Task,
        id=st.just(task_id),
        name=st.just(task_id),
        domain=st.sampled_from(Domain),
        acts_on=st.lists(
            st.sampled_from((*KNOWN, LPG_OTHER)), min_size=1, max_size=3, unique=True
        ).map(tuple),
        annual_reduction_tco2=tonnes,
        start_year=st.integers(BASE_YEAR - 2, BASE_YEAR + 5),
        ramp_years=st.integers(1, 4),
        adds_renewable_kwh=tonnes,
        adds_sink_tco2=tonnes,
    )


assumptions_ = st.builds(
    ForecastAssumptions,
    population_growth_pct=rates,
    floor_area_growth_pct=rates,
    gdp_growth_pct=rates,
    efficiency_improvement_pct=st.decimals(min_value=0, max_value=5, places=2),
)
YEARS = range(BASE_YEAR, BASE_YEAR + 7)


# ---------------------------------------------------------------------------------------------
# Properties


@settings(deadline=None)
@given(base=baselines())
def test_no_growth_no_efficiency_no_tasks_keep_the_base(base: Baseline) -> None:
    bau = forecast_bau(base, [], FLAT, YEARS)
    plan = forecast_plan(bau, [])
    for projection, planned in zip(bau, plan.years, strict=True):
        assert dict(projection.emissions_by_source) == dict(base.emissions_tco2)
        assert projection.emissions_tco2 == base.total_tco2
        assert planned.emissions_tco2 == base.total_tco2
        assert projection.energy_tce == base.energy_tce
        assert projection.electricity_kwh == base.electricity_kwh
        assert projection.population == base.drivers.resident_population
        assert (planned.renewable_tce, planned.sinks_tco2) == (
            base.renewable_tce,
            base.sinks_tco2,
        )


@settings(deadline=None)
@given(base=baselines(), assumptions=assumptions_, tasks=task_lists())
def test_plan_stays_between_zero_and_business_as_usual(
    base: Baseline, assumptions: ForecastAssumptions, tasks: list[Task]
) -> None:
    plan = forecast_plan(forecast_bau(base, [], assumptions, YEARS), tasks)
    for planned in plan.years:
        assert 0 <= planned.emissions_tco2 <= planned.bau.emissions_tco2
        assert planned.emissions_tco2 == planned.bau.emissions_tco2 - planned.reduction_tco2
        for effect in planned.effects:
            assert 0 <= effect.counted_tco2 <= effect.requested_tco2
        assert planned.renewable_tce >= planned.bau.renewable_tce
        assert planned.sinks_tco2 >= planned.bau.sinks_tco2


@settings(deadline=None)
@given(
    base=baselines(),
    assumptions=assumptions_,
    tasks=task_lists(max_size=4),
    extra=tasks_("extra"),
)
def test_adding_a_task_never_raises_plan_emissions(
    base: Baseline, assumptions: ForecastAssumptions, tasks: list[Task], extra: Task
) -> None:
    bau = forecast_bau(base, [], assumptions, YEARS)
    without = forecast_plan(bau, tasks)
    with_extra = forecast_plan(bau, [*tasks, extra])
    for before, after in zip(without.years, with_extra.years, strict=True):
        # Flooring each counted share to the gram may cost up to 1 g per task.
        slack = Decimal("0.000001") * (len(tasks) + 1)
        assert after.emissions_tco2 <= before.emissions_tco2 + slack


@settings(deadline=None)
@given(
    reduction=st.decimals(min_value=Decimal("0.001"), max_value=10**6, places=3),
    start=st.integers(BASE_YEAR + 1, BASE_YEAR + 4),
    ramp=st.integers(1, 6),
)
def test_ramp_reaches_the_full_reduction_exactly_at_start_plus_ramp_minus_one(
    reduction: Decimal, start: int, ramp: int
) -> None:
    the_task = task(reduction="0", start=start, ramp=ramp)
    the_task = replace(the_task, annual_reduction_tco2=reduction)
    full = start + ramp - 1
    base = baseline({ELEC_RES: Decimal(10**7)})
    plan = forecast_plan(flat_bau(base, range(BASE_YEAR, full + 3)), [the_task])
    by_year = {y.year: y.effect(the_task.id).requested_tco2 for y in plan.years}
    assert ramp_fraction(the_task, start - 1, BASE_YEAR) == 0
    assert by_year[start - 1] == 0
    assert ramp_fraction(the_task, full, BASE_YEAR) == 1
    assert by_year[full] == by_year[full + 1] == by_year[full + 2] == reduction
    if ramp > 1:
        assert ramp_fraction(the_task, full - 1, BASE_YEAR) < 1
        assert by_year[full - 1] < reduction
    for year in range(start, full + 1):
        assert ramp_fraction(the_task, year, BASE_YEAR) == Fraction(year - start + 1, ramp)


def _subsets(items: Sequence[SourceKey]) -> chain[tuple[SourceKey, ...]]:
    return chain.from_iterable(combinations(items, n) for n in range(1, len(items) + 1))


@settings(deadline=None)
@given(base=baselines(), tasks=task_lists())
def test_double_counting_never_removes_more_than_the_sources_emit(
    base: Baseline, tasks: list[Task]
) -> None:
    plan = forecast_plan(flat_bau(base, [BASE_YEAR + 3]), tasks)
    planned = plan.years[-1]
    emitted = planned.bau.emissions_by_source
    sources = sorted({s for t in tasks for s in t.acts_on} | set(emitted))
    counted = {e.task.id: e.counted_tco2 for e in planned.effects}
    # Hall's condition: for every group of sources, the tasks acting only on them count no
    # more than the group emits, so every counted tonne is a real tonne of business as usual.
    for group in _subsets(sources):
        inside = [t.id for t in tasks if set(t.acts_on) <= set(group)]
        assert sum((counted[t] for t in inside), Decimal(0)) <= sum(
            (emitted.get(s, Decimal(0)) for s in group), Decimal(0)
        )
    # And no more is removed than needed: the counted total is the maximum flow, which by the
    # min-cut theorem is the least over task sets T of (claims outside T + emissions T reaches).
    claims = {e.task.id: e.requested_tco2 for e in planned.effects}

    def cut(chosen: Sequence[Task]) -> Decimal:
        reached = {s for t in chosen for s in t.acts_on}
        outside = sum((claims[t.id] for t in tasks if t not in chosen), Decimal(0))
        return outside + sum((emitted.get(s, Decimal(0)) for s in reached), Decimal(0))

    best = min(cut(c) for n in range(len(tasks) + 1) for c in combinations(tasks, n))
    total = sum(counted.values(), Decimal(0))
    assert best - Decimal("0.000001") * len(tasks) <= total <= best
    for overlap in planned.overlaps:
        assert overlap.counted_tco2 <= overlap.available_tco2 <= overlap.bau_tco2
        assert overlap.removed_tco2 > 0


# ---------------------------------------------------------------------------------------------
# Business as usual: drivers, fallbacks, energy, explanations


def test_each_sector_follows_its_driver_and_the_explanation_shows_the_inputs() -> None:
    base = baseline(
        {ELEC_RES: Decimal(100), ELEC_COM: Decimal(200), GAS_IND: Decimal(300)},
        drivers=YearDrivers(
            BASE_YEAR, 1000, floor_area_m2={"office": Decimal(500)}, gdp_10k_yuan=Decimal(80)
        ),
    )
    assumptions = ForecastAssumptions(
        population_growth_pct=Decimal(10),
        floor_area_growth_pct=Decimal(20),
        gdp_growth_pct=Decimal(50),
        efficiency_improvement_pct=Decimal(10),
    )
    planned_drivers = [YearDrivers(BASE_YEAR + 1, 1200)]
    (_, year) = forecast_bau(base, planned_drivers, assumptions, [BASE_YEAR + 1])
    by_source = {s.source: s for s in year.sources}
    assert by_source[ELEC_RES].driver is DriverKind.POPULATION
    assert by_source[ELEC_COM].driver is DriverKind.FLOOR_AREA
    assert by_source[GAS_IND].driver is DriverKind.GDP
    assert year.emissions_by_source == {
        ELEC_RES: Decimal("108.000000"),  # 100 × 1200/1000 × 0.9
        ELEC_COM: Decimal("216.000000"),  # 200 × 1.2 × 0.9
        GAS_IND: Decimal("405.000000"),  # 300 × 1.5 × 0.9
    }
    assert year.gdp_10k_yuan == Decimal(120)
    assert year.drivers[DriverKind.POPULATION].planned
    assert not year.drivers[DriverKind.GDP].planned
    assert year.notes == ()
    text = year.explanation.render()
    assert "business as usual 2023: 729 tCO2" in text
    assert "electricity/residential: 100 tCO2 × resident population 1200 / 1000" in text
    assert "(1 − 10 %)^1 = 108 tCO2" in text
    assert year.drivers[DriverKind.POPULATION].explanation.render() == (
        "resident population 2023: 1200, as given"
    )
    assert year.drivers[DriverKind.GDP].explanation.render() == (
        "GDP 2023: 120 = 80 (2022) × (1 + 50 %)^1"
    )


def test_a_sector_without_any_driver_is_held_at_base_and_said_so() -> None:
    base = baseline({GAS_IND: Decimal(1000)}, population=0)
    assumptions = ForecastAssumptions(
        population_growth_pct=Decimal(3), efficiency_improvement_pct=Decimal(50)
    )
    (_, year) = forecast_bau(base, [], assumptions, [BASE_YEAR + 1])
    source = year.sources[0]
    assert source.driver is None
    assert source.tco2 == Decimal(500)
    assert source.explanation.render() == (
        "natural_gas/industry: 1000 tCO2 × (1 − 50 %)^1 = 500 tCO2"
    )
    assert year.gdp_10k_yuan is None
    (note,) = year.notes
    assert note.render() == (
        "industry: the base year has no GDP, resident population, so its emissions are held at "
        "the base level (only the efficiency gain applies)"
    )


def test_energy_and_electricity_follow_the_emissions_or_stay_when_there_are_none() -> None:
    grown = ForecastAssumptions(population_growth_pct=Decimal(10))
    # No electricity source: electricity follows the energy growth.
    gas_only = baseline({GAS_RES: Decimal(100)}, electricity_kwh=Decimal(1000))
    (_, year) = forecast_bau(gas_only, [], grown, [BASE_YEAR + 1])
    assert (year.energy_tce, year.electricity_kwh) == (Decimal(110), Decimal(1100))
    # No emissions at all: energy stays (less efficiency); electricity stays with no energy.
    empty = baseline({}, energy_tce=Decimal(0), electricity_kwh=Decimal(1000))
    (_, year) = forecast_bau(empty, [], grown, [BASE_YEAR + 1])
    assert (year.emissions_tco2, year.energy_tce, year.electricity_kwh) == tuple(
        map(Decimal, (0, 0, 1000))
    )
    no_emissions = baseline({}, energy_tce=Decimal(50))
    efficient = ForecastAssumptions(efficiency_improvement_pct=Decimal(10))
    (_, year) = forecast_bau(no_emissions, [], efficient, [BASE_YEAR + 1])
    assert year.energy_tce == Decimal(45)


def test_default_years_run_from_the_base_to_the_last_target_year() -> None:
    assumptions = ForecastAssumptions(target_years=(2025, 2024))
    assert [p.year for p in forecast_bau(baseline(), [], assumptions)] == [2022, 2023, 2024, 2025]
    assert [p.year for p in forecast_bau(baseline(), [], FLAT)] == [2022]
    assert [p.year for p in forecast_bau(baseline(), [], FLAT, [2030, 2025])] == [2022, 2025, 2030]


def test_planned_drivers_before_or_equal_to_the_base_are_accepted_when_consistent() -> None:
    history = [YearDrivers(2019, 1), YearDrivers(BASE_YEAR, 1000), YearDrivers(2024, 2000)]
    bau = forecast_bau(baseline(), history, FLAT, [2023, 2024])
    assert [p.population for p in bau] == [1000, 1000, 2000]
    assert bau[-1].emissions_tco2 == 2000


def test_to_decimal_rounds_to_the_gram_half_even_or_down() -> None:
    assert to_decimal(Fraction(1, 3)) == Decimal("0.333333")
    assert to_decimal(Fraction(2, 3)) == Decimal("0.666667")
    assert to_decimal(Fraction(2, 3), down=True) == Decimal("0.666666")
    assert to_decimal(Fraction(-1, 3), down=True) == Decimal("-0.333334")
    assert source_label(DIESEL) == "diesel/transport"


# ---------------------------------------------------------------------------------------------
# Plan: effects, overlaps and their explanations


def test_plan_effects_overlaps_and_notes_explain_every_number() -> None:
    base = baseline(
        {ELEC_RES: Decimal(1000), GAS_RES: Decimal(500)},
        renewable_kwh=Decimal(0),
        electricity_kwh=Decimal(10**6),
    )
    tasks = [
        task("A", 750, acts_on=(ELEC_RES,), ramp=2, adds_renewable_kwh=Decimal(1000)),
        task("B", 500, acts_on=(ELEC_RES,), start=BASE_YEAR + 2),
        task("C", 300, acts_on=(ELEC_RES, GAS_RES)),
        task("D", 10, acts_on=(LPG_OTHER,), start=BASE_YEAR - 1),
    ]
    plan = forecast_plan(flat_bau(base, [2023, 2024]), tasks)
    assert isinstance(plan, PlanForecast)
    assert plan.get(2030) is None
    year = plan.get(2024)
    assert year is not None
    with pytest.raises(KeyError):
        year.effect("nobody")
    assert (year.year, year.energy_tce, year.electricity_kwh) == (
        2024,
        Decimal(100),
        Decimal(10**6),
    )
    a = year.effect("A")
    assert (a.share_pct, a.requested_tco2, a.counted_tco2, a.removed_tco2) == tuple(
        map(Decimal, (100, 750, 600, 150))
    )
    assert a.renewable_kwh == 1000
    assert year.renewable_tce == Decimal(1000) * ELECTRICITY_TCE_PER_KWH
    assert a.explanation.render() == (
        "task 'A' 2024: 100 % of its full 750 tCO2 a year (from 2023, in full from 2024) = "
        "750 tCO2 claimed, 600 tCO2 counted after removing double counting"
    )
    (overlap,) = year.overlaps
    assert overlap.task_ids == ("A", "B")
    assert overlap.message.render() == (
        "2024: tasks A, B claim 1250 tCO2 from electricity/residential, which emit 1000 "
        "tCO2 in business as usual, 1000 tCO2 of it left by other tasks; 250 tCO2 of "
        "double counting removed, each claim scaled to 80 %"
    )
    assert year.explanation.render() == (
        "plan 2024: business as usual 1500 tCO2 − task reductions 1300 tCO2 = 200 tCO2"
    )
    notes = [n.render() for n in plan.notes]
    assert notes == [
        "task 'D' acts on lpg/other, which the base-year inventory does not have: no reduction "
        "can be counted there",
        "task 'D' starts in 2021, not after the base year 2022: only the effect it adds after "
        "the base year counts, the rest is already in the base-year inventory",
    ]


def test_tasks_on_sources_that_emit_nothing_count_nothing() -> None:
    base = baseline({ELEC_RES: Decimal(0), GAS_RES: Decimal(100)})
    tasks = [task("A", 50, acts_on=(ELEC_RES,)), task("B", 150, acts_on=(GAS_RES, ELEC_RES))]
    year = forecast_plan(flat_bau(base), tasks).years[-1]
    assert [e.counted_tco2 for e in year.effects] == [0, 100]
    assert [o.task_ids for o in year.overlaps] == [("A",), ("B",)]
    assert year.emissions_tco2 == 0


def test_overlaps_inside_overlaps_are_resolved_densest_first() -> None:
    # A and C both claim more than gas emits; B's claim spreads over both sources. The densest
    # group {A, C} on gas (ratio 3) is scaled first; B keeps electricity alone.
    base = baseline({ELEC_RES: Decimal(100), GAS_RES: Decimal(100)})
    tasks = [
        task("A", 200, acts_on=(GAS_RES,)),
        task("B", 150, acts_on=(ELEC_RES, GAS_RES)),
        task("C", 100, acts_on=(GAS_RES,)),
    ]
    year = forecast_plan(flat_bau(base), tasks).years[-1]
    counted = {e.task.id: e.counted_tco2 for e in year.effects}
    assert counted == {"A": Decimal("66.666666"), "B": Decimal(100), "C": Decimal("33.333333")}
    assert [o.task_ids for o in year.overlaps] == [("A", "C"), ("B",)]
    assert year.overlaps[1].available_tco2 == 100


# ---------------------------------------------------------------------------------------------
# Named errors


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (baseline(drivers=YearDrivers(2021, 10)), "forecast_baseline_year"),
        (baseline({ELEC_RES: Decimal(-1)}), "forecast_baseline_negative"),
        (baseline(sinks_tco2=Decimal(-1)), "forecast_baseline_negative"),
    ],
)
def test_a_baseline_that_contradicts_itself_is_refused(bad: Baseline, code: str) -> None:
    with pytest.raises(BaselineError) as caught:
        forecast_bau(bad, [], FLAT)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "drivers",
    [
        YearDrivers(BASE_YEAR, -1),
        YearDrivers(BASE_YEAR, 1, floor_area_m2={"a": Decimal(-1)}),
        YearDrivers(BASE_YEAR, 1, gdp_10k_yuan=Decimal(-1)),
    ],
)
def test_negative_drivers_are_refused(drivers: YearDrivers) -> None:
    with pytest.raises(DriverError, match="cannot be negative"):
        forecast_bau(baseline(drivers=drivers), [], FLAT)
    with pytest.raises(DriverError, match="cannot be negative"):
        forecast_bau(baseline(), [replace(drivers, year=2024)], FLAT)


def test_planned_drivers_given_twice_or_contradicting_the_base_are_refused() -> None:
    with pytest.raises(DriverError, match="given twice"):
        forecast_bau(baseline(), [YearDrivers(2024, 5), YearDrivers(2024, 6)], FLAT)
    with pytest.raises(DriverError, match="differ from the base"):
        forecast_bau(baseline(), [YearDrivers(BASE_YEAR, 5)], FLAT)


@pytest.mark.parametrize(
    ("assumptions", "name"),
    [
        (ForecastAssumptions(population_growth_pct=Decimal(-100)), "population_growth_pct"),
        (ForecastAssumptions(gdp_growth_pct=Decimal(-120)), "gdp_growth_pct"),
        (ForecastAssumptions(efficiency_improvement_pct=Decimal(100)), "efficiency"),
    ],
)
def test_rates_that_would_wipe_out_a_driver_or_the_emissions_are_refused(
    assumptions: ForecastAssumptions, name: str
) -> None:
    with pytest.raises(DriverError, match=name) as caught:
        forecast_bau(baseline(), [], assumptions)
    assert caught.value.code == "forecast_rate"


def test_a_year_before_the_base_year_cannot_be_forecast() -> None:
    with pytest.raises(ForecastYearError) as caught:
        forecast_bau(baseline(), [], FLAT, [2020, 2021, 2025])
    assert (caught.value.year, caught.value.base_year) == (2020, BASE_YEAR)
    assert (
        caught.value.message.render() == "cannot forecast 2020: it lies before the base year 2022"
    )


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (task(reduction=-1), "the annual reduction cannot be negative"),
        (task(ramp=0), "the ramp-up must last at least one year"),
        (task(adds_renewable_kwh=Decimal(-1)), "cannot be negative"),
        (task(adds_sink_tco2=Decimal(-1)), "cannot be negative"),
        (task(acts_on=()), "must name the sources it acts on"),
    ],
)
def test_tasks_that_cannot_be_counted_are_refused_by_name(bad: Task, words: str) -> None:
    with pytest.raises(TaskError) as caught:
        forecast_plan(flat_bau(), [bad])
    assert caught.value.task_id == "A"
    rendered = caught.value.message.render()
    assert rendered.startswith("task 'A': ")
    assert words in rendered


def test_a_sink_only_task_may_act_on_no_source_but_ids_must_be_unique() -> None:
    planting = task("P", 0, acts_on=(), adds_sink_tco2=Decimal(5))
    plan = forecast_plan(flat_bau(), [planting])
    assert plan.years[-1].sinks_tco2 == 5
    with pytest.raises(TaskError, match="two tasks have this id"):
        forecast_plan(flat_bau(), [planting, planting])


def test_the_plan_needs_one_consistent_business_as_usual_forecast() -> None:
    with pytest.raises(ForecastError) as caught:
        forecast_plan([], [])
    assert caught.value.code == "forecast_empty"
    bau = flat_bau()
    other = forecast_bau(replace(baseline(), year=2020, drivers=YearDrivers(2020, 1)), [], FLAT)
    for mixed in ([*bau, *other], [*bau, bau[-1]]):
        with pytest.raises(ForecastError) as caught:
            forecast_plan(mixed, [])
        assert caught.value.code == "forecast_inconsistent"
