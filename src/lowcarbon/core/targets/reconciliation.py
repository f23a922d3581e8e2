"""The reconciliation of the tasks with the overall targets (附件2 三): the consistency verdict
and the decomposition of the final year's required reduction to domains and tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ..activity import Domain
from ..forecast import PlanForecast
from ..messages import Message, gettext_noop
from .kinds import _HUNDRED, _TWO, _decimal, _kind_name, _t
from .report import Decomposition, Requirement, Share, TargetCheck

__all__: list[str] = []


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
    # A covered target has no gap to name ("缺口 0" reads as if something were missing).
    lines = [
        Message(
            gettext_noop("{kind} {year} (required {required}; tasks {tasks})")
            if requirement.covered
            else gettext_noop("{kind} {year} (required {required}; tasks {tasks}; gap {gap})"),
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
    # Name the targets they fall short of; those they cover are said apart ("缺口 0" under
    # "不足以实现" read as a contradiction).
    short = [line for line, (_, r) in zip(lines, overall, strict=True) if not r.covered]
    covered = [line for line, (_, r) in zip(lines, overall, strict=True) if r.covered]
    if not covered:
        return False, Message(
            gettext_noop("the task reductions fall short of the overall emission targets: {lines}"),
            {"lines": short},
        )
    return False, Message(
        gettext_noop(
            "the task reductions fall short of the overall emission targets {short}; they cover "
            "{covered}"
        ),
        {"short": short, "covered": covered},
    )


#: The domains in their order, once (iterating an enum class is slow).
_DOMAINS: tuple[Domain, ...] = tuple(Domain)


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
    for domain in _DOMAINS:
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
