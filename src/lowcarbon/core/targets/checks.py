"""Each target checked against the plan: the value reached and how it is computed, pass or
fail with the margin, the required reduction of emission targets, and
:func:`check_targets`, which checks the whole set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from ..activity import Target, TargetKind, Task
from ..forecast import Baseline, PlanForecast, PlanYear, YearProjection
from ..messages import Message, gettext_noop
from .errors import DenominatorError
from .inputs import _check_inputs, _check_values, _year_of
from .kinds import _HUNDRED, AT_LEAST, EMISSION_KINDS, _decimal, _kind_name, _t, _with_unit
from .reconciliation import _consistency, _decomposition
from .report import Requirement, TargetCheck, TargetReport
from .staged import _staged

__all__ = [
    "check_targets",
]


@dataclass(frozen=True)
class _Reached:
    value: Fraction
    inputs: dict[str, Decimal]
    formula: Message


def _emission(
    value: Fraction, inputs: dict[str, Decimal], formula: Message, allowed: Fraction, how: Message
) -> tuple[_Reached, Fraction, Message]:
    return _Reached(value, inputs, formula), allowed, how


def _emission_reached(
    target: Target, baseline: Baseline, projection: YearProjection, planned: PlanYear
) -> tuple[_Reached, Fraction, Message]:
    """The value reached, and the largest emission that meets the target with how it is found."""
    kind, value = target.kind, Fraction(target.value)
    emitted = Fraction(planned.emissions_tco2)
    base = Fraction(baseline.total_tco2)
    plan_text = _t(planned.emissions_tco2)
    inputs: dict[str, Decimal] = {"plan_tco2": planned.emissions_tco2}
    if kind is TargetKind.TOTAL:
        inputs["bau_tco2"] = projection.emissions_tco2
        inputs["tasks_tco2"] = planned.reduction_tco2
        return _emission(
            emitted,
            inputs,
            Message(
                gettext_noop("business as usual {bau} − task reductions {tasks}"),
                {"bau": _t(projection.emissions_tco2), "tasks": _t(planned.reduction_tco2)},
            ),
            value,
            Message(gettext_noop("the target itself")),
        )
    if kind is TargetKind.DECLINE_RATE:
        if base == 0:
            raise DenominatorError(target, Message(gettext_noop("the base-year emission")))
        inputs["base_tco2"] = baseline.total_tco2
        return _emission(
            (base - emitted) / base * _HUNDRED,
            inputs,
            Message(
                gettext_noop("({base} in {base_year} − {plan}) ÷ {base} × 100"),
                {"base": _t(base), "base_year": baseline.year, "plan": plan_text},
            ),
            base * (1 - value / _HUNDRED),
            Message(
                gettext_noop("{base} × (1 − {value} %)"),
                {"base": _t(base), "value": target.value},
            ),
        )
    population = Fraction(projection.population)
    if kind in (TargetKind.PER_CAPITA, TargetKind.PER_CAPITA_DECLINE_RATE) and population == 0:
        raise DenominatorError(
            target, Message(gettext_noop("the resident population of the target year"))
        )
    if kind is TargetKind.PER_CAPITA:
        inputs["population"] = projection.population
        return _emission(
            emitted / population,
            inputs,
            Message(
                gettext_noop("{plan} ÷ {population} residents"),
                {"plan": plan_text, "population": projection.population},
            ),
            value * population,
            Message(
                gettext_noop("{value} × {population} residents"),
                {"value": _with_unit(target.value, kind), "population": projection.population},
            ),
        )
    if kind is TargetKind.PER_CAPITA_DECLINE_RATE:
        base_population = Fraction(baseline.drivers.resident_population)
        if base_population == 0 or base == 0:
            raise DenominatorError(
                target, Message(gettext_noop("the base-year emission per resident"))
            )
        before, now = base / base_population, emitted / population
        inputs |= {
            "population": projection.population,
            "base_tco2": baseline.total_tco2,
            "base_population": Decimal(baseline.drivers.resident_population),
        }
        return _emission(
            (before - now) / before * _HUNDRED,
            inputs,
            Message(
                gettext_noop(
                    "({before} − {now}) ÷ {before} × 100, with {base} ÷ {base_population} "
                    "residents in {base_year} and {plan} ÷ {population} residents"
                ),
                {
                    "before": _with_unit(before, TargetKind.PER_CAPITA),
                    "now": _with_unit(now, TargetKind.PER_CAPITA),
                    "base": _t(base),
                    "base_population": baseline.drivers.resident_population,
                    "base_year": baseline.year,
                    "plan": plan_text,
                    "population": projection.population,
                },
            ),
            before * (1 - value / _HUNDRED) * population,
            Message(
                gettext_noop("{before} × (1 − {value} %) × {population} residents"),
                {
                    "before": _with_unit(before, TargetKind.PER_CAPITA),
                    "value": target.value,
                    "population": projection.population,
                },
            ),
        )
    # TargetKind.INTENSITY_GDP
    gdp = projection.gdp_10k_yuan
    if not gdp:
        raise DenominatorError(target, Message(gettext_noop("the GDP of the target year")))
    inputs["gdp_10k_yuan"] = gdp
    return _emission(
        emitted / Fraction(gdp),
        inputs,
        Message(gettext_noop("{plan} ÷ {gdp} × 10⁴ yuan"), {"plan": plan_text, "gdp": gdp}),
        value * Fraction(gdp),
        Message(
            gettext_noop("{value} × {gdp} × 10⁴ yuan"),
            {"value": _with_unit(target.value, kind), "gdp": gdp},
        ),
    )


def _share_reached(target: Target, planned: PlanYear) -> _Reached:
    """可再生能源利用占比 = renewable tce ÷ total energy tce (§7, calorific equivalent)."""
    if planned.energy_tce == 0:
        raise DenominatorError(target, Message(gettext_noop("the energy consumption")))
    inputs = {"renewable_tce": planned.renewable_tce, "energy_tce": planned.energy_tce}
    share = Fraction(planned.renewable_tce) / Fraction(planned.energy_tce) * _HUNDRED
    params: dict[str, object] = {
        "renewable": planned.renewable_tce,
        "energy": planned.energy_tce,
    }
    if planned.electricity_kwh > 0:
        # §7 also asks for the simpler electricity share; shown beside the energy share.
        electric = Fraction(planned.renewable_kwh) / Fraction(planned.electricity_kwh) * _HUNDRED
        inputs |= {
            "renewable_kwh": planned.renewable_kwh,
            "electricity_kwh": planned.electricity_kwh,
        }
        params["electricity_share"] = _with_unit(electric, TargetKind.RENEWABLE_SHARE)
        formula = Message(
            gettext_noop(
                "{renewable} tce renewable ÷ {energy} tce energy × 100; electricity share "
                "{electricity_share}"
            ),
            params,
        )
    else:
        formula = Message(
            gettext_noop("{renewable} tce renewable ÷ {energy} tce energy × 100"), params
        )
    return _Reached(share, inputs, formula)


def _requirement(
    target: Target, allowed: Fraction, how: Message, projection: YearProjection, planned: PlanYear
) -> Requirement:
    bau = Fraction(projection.emissions_tco2)
    tasks = Fraction(planned.reduction_tco2)
    required = max(Fraction(0), bau - allowed)
    return Requirement(
        year=target.year,
        bau_tco2=projection.emissions_tco2,
        allowed_tco2=_decimal(allowed),
        allowed=how,
        required_tco2=_decimal(required),
        tasks_tco2=planned.reduction_tco2,
        gap_tco2=_decimal(max(Fraction(0), required - tasks)),
        surplus_tco2=_decimal(max(Fraction(0), tasks - required)),
    )


def _verdict(target: Target, reached: _Reached, requirement: Requirement | None) -> TargetCheck:
    kind = target.kind
    margin = (
        reached.value - Fraction(target.value)
        if kind in AT_LEAST
        else Fraction(target.value) - reached.value
    )
    met = margin >= 0
    return TargetCheck(
        target=target,
        reached=_decimal(reached.value),
        met=met,
        margin=_decimal(margin),
        inputs=MappingProxyType(reached.inputs),
        requirement=requirement,
        explanation=Message(
            gettext_noop(
                "{kind} {year}: the plan reaches {reached} ({formula}) against a target of "
                "{comparison} {value}: {verdict}, margin {margin}"
            ),
            {
                "kind": _kind_name(kind),
                "year": target.year,
                "reached": _with_unit(reached.value, kind),
                "formula": reached.formula,
                "comparison": Message(
                    gettext_noop("at least") if kind in AT_LEAST else gettext_noop("at most")
                ),
                "value": _with_unit(target.value, kind),
                "verdict": Message(gettext_noop("met") if met else gettext_noop("not met")),
                "margin": _with_unit(margin, kind),
            },
        ),
    )


def _check_one(
    target: Target, baseline: Baseline, projection: YearProjection, planned: PlanYear
) -> TargetCheck:
    kind = target.kind
    if kind in EMISSION_KINDS:
        reached, allowed, how = _emission_reached(target, baseline, projection, planned)
        return _verdict(target, reached, _requirement(target, allowed, how, projection, planned))
    if kind is TargetKind.RENEWABLE_SHARE:
        return _verdict(target, _share_reached(target, planned), None)
    # TargetKind.SOURCE_SINK_RATIO: gross emissions ÷ sinks (§5.9), lower is better.
    inputs = {"plan_tco2": planned.emissions_tco2, "sinks_tco2": planned.sinks_tco2}
    if planned.sinks_tco2 == 0:
        return TargetCheck(
            target=target,
            reached=None,
            met=False,
            margin=None,
            inputs=MappingProxyType(inputs),
            requirement=None,
            explanation=Message(
                gettext_noop(
                    "{kind} {year}: the plan has no carbon sinks, so the ratio is undefined and "
                    "the target of at most {value} is not met"
                ),
                {"kind": _kind_name(kind), "year": target.year, "value": target.value},
            ),
        )
    ratio = Fraction(planned.emissions_tco2) / Fraction(planned.sinks_tco2)
    formula = Message(
        gettext_noop("{plan} ÷ {sinks} of sinks"),
        {"plan": _t(planned.emissions_tco2), "sinks": _t(planned.sinks_tco2)},
    )
    return _verdict(target, _Reached(ratio, inputs, formula), None)


def check_targets(
    baseline: Baseline,
    bau: Sequence[YearProjection],
    plan: PlanForecast,
    targets: Sequence[Target],
    tasks: Sequence[Task],
) -> TargetReport:
    """Check ``targets`` against the plan and reconcile them with the tasks (附件2 三).

    ``bau`` and ``plan`` must contain every target year; ``tasks`` are the tasks the plan was
    computed with (their domains give the decomposition).
    """
    _check_inputs(baseline, bau, plan, tasks)
    _check_values(targets)
    checks = []
    for target in targets:
        projection, planned = _year_of(target, baseline, bau, plan)
        checks.append(_check_one(target, baseline, projection, planned))
    consistency, explanation = _consistency(checks, plan)
    return TargetReport(
        checks=tuple(checks),
        staged=_staged(targets),
        consistency=consistency,
        consistency_explanation=explanation,
        decomposition=_decomposition(checks, plan),
    )
