"""Targets checked against the plan scenario (附件2 三, 30 points; accounting-method.md §7, §9).

附件2 三 gives 5 points each for an overall target (强度或总量控制), sub-indicators, staged targets,
a breakdown to domains, reductions of the main tasks, and the consistency of those reductions
with the overall target (主要低碳发展任务碳减排量与低碳发展总体目标衔接). This module computes,
for every :class:`~lowcarbon.core.activity.Target`:

* the value the plan reaches in the target year, pass or fail, and the margin (thresholds are
  inclusive: a decline of exactly the target passes);
* for emission targets, the **required reduction** against business as usual (BAU minus the
  largest emission that meets the target), the tasks' counted reductions that year and the gap;

and for the whole set of targets: the staged targets of each kind and whether they tighten
towards the final one, the **consistency** verdict, and the **decomposition** of the final
year's required reduction to domains and tasks.

Pass or fail is decided in exact rational arithmetic, so a target met exactly is never failed
by rounding. Figures are returned as Decimals; messages show them rounded.

::

    ForecastError (core.forecast)
    └── TargetError                a target that cannot be checked
        ├── TargetYearError        a target year before the base year, or not projected
        ├── TargetValueError       a value out of range, or two targets of one kind and year
        └── DenominatorError       zero population for per-capita, no GDP for intensity…
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from types import MappingProxyType

from .activity import Domain, Target, TargetKind, Task
from .forecast import Baseline, ForecastError, PlanForecast, PlanYear, YearProjection
from .messages import Message, format_points, gettext_noop

__all__ = [
    "AT_LEAST",
    "EMISSION_KINDS",
    "Decomposition",
    "DenominatorError",
    "Requirement",
    "Share",
    "StagedTargets",
    "TargetCheck",
    "TargetError",
    "TargetReport",
    "TargetValueError",
    "TargetYearError",
    "check_targets",
]

#: Targets on emissions: they have a required reduction against business as usual.
EMISSION_KINDS = frozenset(
    {
        TargetKind.TOTAL,
        TargetKind.DECLINE_RATE,
        TargetKind.PER_CAPITA,
        TargetKind.PER_CAPITA_DECLINE_RATE,
        TargetKind.INTENSITY_GDP,
    }
)
#: Targets to reach or exceed. The others are limits that must not be exceeded.
AT_LEAST = frozenset(
    {TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE, TargetKind.RENEWABLE_SHARE}
)

_KIND_NAMES: Mapping[TargetKind, str] = {
    TargetKind.TOTAL: gettext_noop("total emissions"),
    TargetKind.DECLINE_RATE: gettext_noop("emission decline rate"),
    TargetKind.PER_CAPITA: gettext_noop("per-capita emissions"),
    TargetKind.PER_CAPITA_DECLINE_RATE: gettext_noop("per-capita emission decline rate"),
    TargetKind.INTENSITY_GDP: gettext_noop("emissions per 10⁴ yuan of GDP"),
    TargetKind.RENEWABLE_SHARE: gettext_noop("renewable share"),
    TargetKind.SOURCE_SINK_RATIO: gettext_noop("source-to-sink ratio"),
}
_UNITS: Mapping[TargetKind, str] = {
    TargetKind.TOTAL: "tCO2",
    TargetKind.DECLINE_RATE: "%",
    TargetKind.PER_CAPITA: "tCO2/person",
    TargetKind.PER_CAPITA_DECLINE_RATE: "%",
    TargetKind.INTENSITY_GDP: "tCO2/10⁴ yuan",
    TargetKind.RENEWABLE_SHARE: "%",
    TargetKind.SOURCE_SINK_RATIO: "",
}
# Shown precision in messages; the returned figures are not rounded.
_PLACES: Mapping[TargetKind, Decimal] = {
    TargetKind.PER_CAPITA: Decimal("0.0001"),
    TargetKind.INTENSITY_GDP: Decimal("0.0001"),
}
_TWO = Decimal("0.01")
_HUNDRED = Fraction(100)


class TargetError(ForecastError):
    """A target that cannot be checked; never answered with a made-up pass or fail."""

    code = "target"


class TargetYearError(TargetError):
    code = "target_year"

    def __init__(self, target: Target, base_year: int, message: Message) -> None:
        self.target = target
        self.base_year = base_year
        super().__init__(message)


class TargetValueError(TargetError):
    code = "target_value"

    def __init__(self, target: Target, message: Message) -> None:
        self.target = target
        super().__init__(message)


class DenominatorError(TargetError):
    """The indicator divides by a quantity that is zero or missing in the year asked for."""

    code = "target_denominator"

    def __init__(self, target: Target, quantity: Message) -> None:
        self.target = target
        super().__init__(
            Message(
                gettext_noop("{kind} {year} cannot be computed: {quantity} is zero or missing"),
                {"kind": _kind_name(target.kind), "year": target.year, "quantity": quantity},
            )
        )


def _kind_name(kind: TargetKind) -> Message:
    return Message(_KIND_NAMES[kind])


def _decimal(value: Fraction) -> Decimal:
    """The exact value to the context's 28 significant digits."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _with_unit(value: Fraction | Decimal, kind: TargetKind) -> str:
    number = value if isinstance(value, Decimal) else _decimal(value)
    shown = format_points(number.quantize(_PLACES.get(kind, _TWO)))
    return f"{shown} {_UNITS[kind]}".rstrip()


def _t(value: Fraction | Decimal) -> str:
    return _with_unit(value, TargetKind.TOTAL)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Requirement:
    """What an emission target asks of the tasks in its year (附件2 三: 任务碳减排量与总体目标衔接).

    ``required_tco2 = max(0, bau_tco2 − allowed_tco2)``, where ``allowed_tco2`` is the largest
    emission that meets the target; ``gap_tco2 = max(0, required_tco2 − tasks_tco2)`` with the
    tasks' reductions counted after removing double counting.
    """

    year: int
    bau_tco2: Decimal
    allowed_tco2: Decimal
    allowed: Message  # how the allowed emission follows from the target and its inputs
    required_tco2: Decimal
    tasks_tco2: Decimal
    gap_tco2: Decimal
    surplus_tco2: Decimal

    @property
    def covered(self) -> bool:
        return self.gap_tco2 == 0

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "{year}: business as usual {bau}; the largest emission that meets the target is "
                "{allowed} ({how}); required reduction {required}; task reductions {tasks} after "
                "removing double counting; gap {gap}"
            ),
            {
                "year": self.year,
                "bau": _t(self.bau_tco2),
                "allowed": _t(self.allowed_tco2),
                "how": self.allowed,
                "required": _t(self.required_tco2),
                "tasks": _t(self.tasks_tco2),
                "gap": _t(self.gap_tco2),
            },
        )


@dataclass(frozen=True)
class TargetCheck:
    """One target against the plan: the value reached, pass or fail, margin, requirement.

    ``margin`` is positive when the target is beaten and zero when it is met exactly. It is None
    (with ``reached``) only for a source-to-sink ratio when the plan has no sinks. ``inputs``
    holds the figures ``reached`` is computed from, by name.
    """

    target: Target
    reached: Decimal | None
    met: bool
    margin: Decimal | None
    inputs: Mapping[str, Decimal]
    requirement: Requirement | None
    explanation: Message


@dataclass(frozen=True)
class StagedTargets:
    """The targets of one kind by year (分阶段目标) and whether each stage is at least as strict
    as the one before, up to the final target."""

    kind: TargetKind
    targets: tuple[Target, ...]
    monotone: bool
    message: Message

    @property
    def staged(self) -> bool:
        return len(self.targets) > 1


@dataclass(frozen=True)
class Share:
    """A task's or a domain's counted reduction and its share of the required reduction."""

    key: str  # task id or domain
    reduction_tco2: Decimal
    share_pct: Decimal | None  # None when nothing is required


@dataclass(frozen=True)
class Decomposition:
    """The final year's required reduction split over domains and tasks (分解落实)."""

    year: int
    kind: TargetKind  # the binding target: the largest required reduction that year
    required_tco2: Decimal
    tasks_tco2: Decimal
    gap_tco2: Decimal
    domains: tuple[Share, ...]
    tasks: tuple[Share, ...]
    explanation: Message


@dataclass(frozen=True)
class TargetReport:
    """Every target checked, the staged targets, the consistency verdict and the decomposition.

    ``consistency`` is true only when every overall emission target's required reduction is
    covered by the tasks. The self-assessment uses it to suggest the answer to criterion
    ``consistency`` of zone item 3.1.
    """

    checks: tuple[TargetCheck, ...]
    staged: tuple[StagedTargets, ...]
    consistency: bool
    consistency_explanation: Message
    decomposition: Decomposition | None

    def check(self, kind: TargetKind, year: int) -> TargetCheck:
        """The check of the ``kind`` target for ``year``; KeyError when there is none."""
        for check in self.checks:
            if check.target.kind is kind and check.target.year == year:
                return check
        raise KeyError((kind.value, year))


# ---------------------------------------------------------------------------------------------
# Checks of the inputs


def _value_problem(target: Target) -> str | None:
    """What a valid value of this kind looks like, when ``target.value`` is not one."""
    kind, value = target.kind, target.value
    # Decline rates may be negative (emissions allowed to grow up to a cap) but cannot exceed
    # 100 %; a share lies within 0…100 %; every other value is an amount or a ratio, never < 0.
    if kind in (TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE):
        return gettext_noop("at most 100 %") if value > 100 else None
    if kind is TargetKind.RENEWABLE_SHARE:
        return None if 0 <= value <= 100 else gettext_noop("between 0 and 100 %")
    return gettext_noop("zero or more") if value < 0 else None


def _check_values(targets: Sequence[Target]) -> None:
    seen: set[tuple[TargetKind, int]] = set()
    for target in targets:
        if (target.kind, target.year) in seen:
            raise TargetValueError(
                target,
                Message(
                    gettext_noop("two {kind} targets for {year}"),
                    {"kind": _kind_name(target.kind), "year": target.year},
                ),
            )
        seen.add((target.kind, target.year))
        problem = _value_problem(target)
        if problem is not None:
            raise TargetValueError(
                target,
                Message(
                    gettext_noop("the {kind} target for {year} is {value}: it must be {expected}"),
                    {
                        "kind": _kind_name(target.kind),
                        "year": target.year,
                        "value": target.value,
                        "expected": Message(problem),
                    },
                ),
            )


def _year_of(
    target: Target, baseline: Baseline, bau: Sequence[YearProjection], plan: PlanForecast
) -> tuple[YearProjection, PlanYear]:
    if target.year < baseline.year:
        raise TargetYearError(
            target,
            baseline.year,
            Message(
                gettext_noop("the {kind} target for {year} lies before the base year {base_year}"),
                {"kind": _kind_name(target.kind), "year": target.year, "base_year": baseline.year},
            ),
        )
    projection = next((p for p in bau if p.year == target.year), None)
    planned = plan.get(target.year)
    if projection is None or planned is None:
        raise TargetYearError(
            target,
            baseline.year,
            Message(
                gettext_noop(
                    "the {kind} target for {year} cannot be checked: the forecast does not "
                    "contain {year}"
                ),
                {"kind": _kind_name(target.kind), "year": target.year},
            ),
        )
    return projection, planned


def _check_inputs(
    baseline: Baseline, bau: Sequence[YearProjection], plan: PlanForecast, tasks: Sequence[Task]
) -> None:
    if any(p.base_year != baseline.year for p in bau) or plan.base_year != baseline.year:
        raise TargetError(
            Message(
                gettext_noop("the forecasts do not start from the base year {base_year}"),
                {"base_year": baseline.year},
            ),
            code="target_base_year",
        )
    if sorted(t.id for t in tasks) != sorted(t.id for t in plan.tasks):
        raise TargetError(
            Message(
                gettext_noop("the tasks {tasks} are not those the plan was computed with: {plan}"),
                {"tasks": sorted(t.id for t in tasks), "plan": sorted(t.id for t in plan.tasks)},
            ),
            code="target_tasks",
        )


# ---------------------------------------------------------------------------------------------
# One target


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


# ---------------------------------------------------------------------------------------------
# The whole set


def _staged(targets: Sequence[Target]) -> tuple[StagedTargets, ...]:
    result: list[StagedTargets] = []
    for kind in TargetKind:
        stages = tuple(sorted((t for t in targets if t.kind is kind), key=lambda t: t.year))
        if not stages:
            continue
        final = stages[-1]
        # A later stage must be at least as strict as the one before it, so the path leads
        # monotonically to the final target (附件2 三: 制定分阶段目标).
        looser = [
            (before, after)
            for before, after in pairwise(stages)
            if (after.value < before.value if kind in AT_LEAST else after.value > before.value)
        ]
        listed = [
            Message(
                gettext_noop("{year}: {value}"),
                {"year": t.year, "value": _with_unit(t.value, kind)},
            )
            for t in stages
        ]
        if len(stages) == 1:
            message = Message(
                gettext_noop("{kind}: one target ({stages}), no staged targets"),
                {"kind": _kind_name(kind), "stages": listed},
            )
        elif not looser:
            message = Message(
                gettext_noop("{kind}: the staged targets {stages} lead steadily to the final one"),
                {"kind": _kind_name(kind), "stages": listed},
            )
        else:
            message = Message(
                gettext_noop(
                    "{kind}: the staged targets {stages} do not lead steadily to the final target "
                    "of {year}: {problems}"
                ),
                {
                    "kind": _kind_name(kind),
                    "stages": listed,
                    "year": final.year,
                    "problems": [
                        Message(
                            gettext_noop(
                                "{year} ({value}) is looser than {previous_year} ({previous})"
                            ),
                            {
                                "year": after.year,
                                "value": _with_unit(after.value, kind),
                                "previous_year": before.year,
                                "previous": _with_unit(before.value, kind),
                            },
                        )
                        for before, after in looser
                    ],
                },
            )
        result.append(StagedTargets(kind, stages, not looser, message))
    return tuple(result)


def _overall(checks: Sequence[TargetCheck]) -> list[tuple[TargetCheck, Requirement]]:
    """The overall emission targets (总体目标) with their requirements."""
    return [
        (check, requirement)
        for check in checks
        if check.target.overall and (requirement := check.requirement) is not None
    ]


def _consistency(checks: Sequence[TargetCheck], plan: PlanForecast) -> tuple[bool, Message]:
    overall = _overall(checks)
    if not overall:
        return False, Message(
            gettext_noop(
                "no overall emission target (total, decline rate, per capita or intensity) is "
                "set, so the task reductions cannot be matched to one"
            )
        )
    if not any(t.annual_reduction_tco2 > 0 for t in plan.tasks):
        return False, Message(
            gettext_noop(
                "no task states a reduction, so there is nothing to match to the overall target"
            )
        )
    lines = [
        Message(
            gettext_noop("{kind} {year} (required {required}; tasks {tasks}; gap {gap})"),
            {
                "kind": _kind_name(check.target.kind),
                "year": check.target.year,
                "required": _t(requirement.required_tco2),
                "tasks": _t(requirement.tasks_tco2),
                "gap": _t(requirement.gap_tco2),
            },
        )
        for check, requirement in overall
    ]
    if all(requirement.covered for _, requirement in overall):
        return True, Message(
            gettext_noop(
                "the task reductions cover the required reduction of every overall emission "
                "target: {lines}"
            ),
            {"lines": lines},
        )
    return False, Message(
        gettext_noop("the task reductions fall short of the overall emission targets: {lines}"),
        {"lines": lines},
    )


def _share(reduction: Decimal, required: Decimal) -> Decimal | None:
    return None if required == 0 else _decimal(Fraction(reduction) / Fraction(required) * _HUNDRED)


def _decomposition(checks: Sequence[TargetCheck], plan: PlanForecast) -> Decomposition | None:
    overall = _overall(checks)
    if not overall:
        return None
    year = max(check.target.year for check, _ in overall)
    # The binding target of the final year is the one asking for the largest reduction.
    binding, requirement = max(
        ((c, r) for c, r in overall if c.target.year == year),
        key=lambda pair: pair[1].required_tco2,
    )
    planned = plan.get(year)
    assert planned is not None
    required = requirement.required_tco2
    tasks = tuple(
        Share(e.task.id, e.counted_tco2, _share(e.counted_tco2, required)) for e in planned.effects
    )
    domains: list[Share] = []
    for domain in Domain:
        members = [e.counted_tco2 for e in planned.effects if e.task.domain is domain]
        if members:
            total = sum(members, Decimal(0))
            domains.append(Share(domain.value, total, _share(total, required)))

    def line(share: Share) -> Message:
        if share.share_pct is None:
            return Message(
                gettext_noop("{key} {reduction}"),
                {"key": share.key, "reduction": _t(share.reduction_tco2)},
            )
        return Message(
            gettext_noop("{key} {reduction} ({share} %)"),
            {
                "key": share.key,
                "reduction": _t(share.reduction_tco2),
                "share": share.share_pct.quantize(_TWO),
            },
        )

    params = {
        "year": year,
        "kind": _kind_name(binding.target.kind),
        "required": _t(required),
        "tasks": _t(requirement.tasks_tco2),
        "gap": _t(requirement.gap_tco2),
        "domains": [line(s) for s in domains],
        "task_lines": [line(s) for s in tasks],
    }
    explanation = (
        Message(
            gettext_noop(
                "final target year {year}: business as usual already meets the {kind} target, so "
                "no reduction is required; the tasks reduce {tasks}: domains {domains}; tasks "
                "{task_lines}"
            ),
            params,
        )
        if required == 0
        else Message(
            gettext_noop(
                "final target year {year}: the {kind} target requires {required}, shared as "
                "domains {domains}; tasks {task_lines}; tasks together {tasks}, gap {gap}"
            ),
            params,
        )
    )
    return Decomposition(
        year=year,
        kind=binding.target.kind,
        required_tco2=required,
        tasks_tco2=requirement.tasks_tco2,
        gap_tco2=requirement.gap_tco2,
        domains=tuple(domains),
        tasks=tasks,
        explanation=explanation,
    )


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
