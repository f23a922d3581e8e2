"""Task reductions computed from activities × factors, and the plausibility of claims.

Figures by hand: 4.2 tCO2/10⁴kWh = 0.00042 t/kWh; diesel 3.145 tCO2/t; natural gas
0.002162 t/m³; hard broadleaf II 31.13 kgCO2e per tree and year.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lowcarbon.core.activity import (
    ActivityChange,
    Domain,
    ProjectFactor,
    ReductionActivity,
    Sector,
    SourceCategory,
    Task,
)
from lowcarbon.core.reductions import (
    ReductionError,
    ReductionStatus,
    compute_reductions,
)

from .test_inventory import library

D = Decimal
SET = "shanghai-2022-v2"
ELECTRICITY_RESIDENTIAL = (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL)


def task(
    task_id: str = "T1", reduction: str = "0", *, stated: bool = False, **more: object
) -> Task:
    fields: dict[str, object] = {
        "id": task_id,
        "name": "任务",
        "domain": Domain.ENERGY,
        "acts_on": (ELECTRICITY_RESIDENTIAL,),
        "annual_reduction_tco2": D(reduction),
        "start_year": 2024,
        "reduction_stated": stated,
        **more,
    }
    return Task(**fields)  # type: ignore[arg-type]


def act(
    category: str,
    quantity: str,
    unit: str,
    change: ActivityChange = ActivityChange.AVOIDED,
    *,
    task_id: str = "T1",
    **more: object,
) -> ReductionActivity:
    return ReductionActivity(
        task_id,
        change,
        SourceCategory(category),
        D(quantity),
        unit,
        **more,  # type: ignore[arg-type]
    )


def compute(tasks: list[Task], activities: list[ReductionActivity]):  # type: ignore[no-untyped-def]
    return compute_reductions(tasks, activities, library(), SET, 2023)


def test_rooftop_pv_computes_its_reduction_from_the_kwh_it_generates() -> None:
    (result,) = compute(
        [task()], [act("onsite_renewable_electricity", "126000", "kWh", ActivityChange.ADDED)]
    )
    assert result.status is ReductionStatus.COMPUTED
    assert result.reduction_tco2 == D("52.92")  # 126 000 kWh × 0.00042, never 0
    assert result.renewable_kwh == D(126000)
    assert result.counted_task.annual_reduction_tco2 == D("52.92")
    text = result.explanation.render()
    assert "added on-site renewable electricity 126000 kWh" in text
    assert "EL-SH-2022" in text


def test_vehicles_converted_count_the_fuel_avoided_less_the_charging_added() -> None:
    (result,) = compute(
        [task()],
        [
            act("diesel", "20", "t"),
            act("electricity", "6", "万kWh", ActivityChange.ADDED),
        ],
    )
    # 20 × 3.145 − 60 000 × 0.00042 = 62.9 − 25.2
    assert result.reduction_tco2 == D("37.7")
    assert [e.tco2 for e in result.effects] == [D("62.9"), D("-25.2")]


def test_a_project_factor_states_its_source_and_its_confidence() -> None:
    factor = ProjectFactor(D("0.5"), "kgCO2/kWh", "项目节能量审核报告（2024）", "secondary")
    (result,) = compute([task()], [act("electricity", "10000", "kWh", factor=factor)])
    assert result.reduction_tco2 == D(5)
    (effect,) = result.effects
    assert effect.low_confidence
    assert "项目节能量审核报告（2024）" in effect.explanation.render()
    assert effect.factor is None


def test_trees_planted_add_sinks_never_a_reduction() -> None:
    (result,) = compute(
        [task(acts_on=())],
        [act("trees", "200", "株", ActivityChange.ADDED, label="硬阔Ⅱ类")],
    )
    assert result.reduction_tco2 == 0
    assert result.sink_tco2 == D("6.226")  # 200 × 31.13 kg
    assert result.counted_task.adds_sink_tco2 == D("6.226")


def test_a_typed_figure_stays_possible_and_is_declared_not_computed() -> None:
    declared, nothing = compute([task("T1", "35", stated=True), task("T2")], [])
    assert declared.status is ReductionStatus.DECLARED
    assert declared.reduction_tco2 == D(35)
    assert "declared, not computed" in declared.explanation.render()
    assert nothing.status is ReductionStatus.NONE
    assert "no reduction claimed" in nothing.explanation.render()


@pytest.mark.parametrize(
    ("activity", "words"),
    [
        (act("waste", "10", "t"), "not estimated"),
        (act("onsite_renewable_electricity", "10", "kWh"), "can only be added"),
        (act("electricity", "0", "kWh"), "above 0"),
        (act("electricity", "10", "m3"), "volume"),
        (act("electricity", "10", "kWh", task_id="T9"), "no task has the id 'T9'"),
        (act("trees", "10", "株", ActivityChange.ADDED, label="香樟"), "'香樟' names no sink"),
        (act("electricity", "10", "kWh", ActivityChange.ADDED), "more than they avoid"),
    ],
)
def test_an_activity_that_cannot_give_a_reduction_is_refused_naming_it(
    activity: ReductionActivity, words: str
) -> None:
    with pytest.raises(ReductionError) as caught:
        compute([task()], [activity])
    assert words in str(caught.value)
    assert str(caught.value).startswith("task '")


_CATEGORIES = st.sampled_from(
    [
        ("electricity", "kWh", D("0.0001"), "万kWh"),
        ("natural_gas", "m3", D("0.0001"), "万m3"),
        ("diesel", "t", D(1000), "kg"),
    ]
)
_AMOUNT = st.decimals(min_value=D("0.01"), max_value=10**7, places=2)


@settings(deadline=None)
@given(st.lists(st.tuples(_CATEGORIES, _AMOUNT, _AMOUNT), min_size=1, max_size=4))
def test_computed_reductions_are_additive_and_unit_invariant(
    parts: list[tuple[tuple[str, str, Decimal, str], Decimal, Decimal]],
) -> None:
    whole, split, converted = [], [], []
    for (category, unit, scale, other), first, second in parts:
        whole.append(act(category, str(first + second), unit))
        split += [act(category, str(first), unit), act(category, str(second), unit)]
        converted.append(act(category, str((first + second) * scale), other))
    (one,) = compute([task()], whole)
    (two,) = compute([task()], split)
    (three,) = compute([task()], converted)
    assert abs(one.reduction_tco2 - two.reduction_tco2) <= D("1e-18") * one.reduction_tco2
    assert abs(one.reduction_tco2 - three.reduction_tco2) <= D("1e-18") * one.reduction_tco2


def test_a_factor_of_the_set_flags_its_low_confidence() -> None:
    gas, power = compute(
        [task("T1"), task("T2")],
        [act("natural_gas", "100", "m3"), act("electricity", "100", "kWh", task_id="T2")],
    )
    assert gas.effects[0].low_confidence  # the national fuel defaults are secondary
    assert not power.effects[0].low_confidence


def test_a_declared_pv_reduction_above_any_grid_factor_is_a_finding() -> None:
    from lowcarbon.core.accounting import run_accounting
    from lowcarbon.rules.activity import load_accounting_file

    from .test_accounting import FIXTURES

    data = load_accounting_file(FIXTURES / "tasks_computed.yaml")
    pv = task("PV", "200", stated=True, adds_renewable_kwh=D(100000))
    result = run_accounting(replace(data, tasks=(pv,), reductions=()), library())
    assert result.forecast is not None
    (claim, *_) = [
        c.render() for c in result.forecast.claims if "highest grid factor" in c.render()
    ]
    # 100 000 kWh × 0.8426 kgCO2/kWh (EL-CN-2021-FOSSIL, the highest grid factor of the
    # library: fossil-fired power only) = 84.26 t
    assert claim.startswith("task 'PV': 200 tCO2 a year is more than 100000 kWh of renewable")
    assert "(84.26 tCO2)" in claim
