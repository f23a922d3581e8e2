"""The lifecycle of an application and of the creation unit it becomes, and the one table of
the moves a unit may make (issue 15 §1):

申报中 → 区已推荐 → 入选 / 未入选 → 创建中 → 中期评估 (zones) → 预验收 → 验收通过 / 整改中 / 未通过

The first four are read from the application and the published decision; from 入选 on the
unit holds its status and moves only as :data:`TRANSITIONS` allows.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lowcarbon.web.applications.models import ApplicationStatus
from lowcarbon.web.creation.models import LifecycleStatus
from lowcarbon.web.rounds.models import Kind

__all__ = [
    "BUREAU_ONLY",
    "TRANSITIONS",
    "application_lifecycle",
    "next_statuses",
    "transition_error",
]

S = LifecycleStatus
BOTH = frozenset({Kind.COMMUNITY.value, Kind.ZONE.value})
ZONE = frozenset({Kind.ZONE.value})

# current status -> {next status: the kinds that may make the move}
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.SELECTED: {S.IN_CREATION: BOTH},
    S.IN_CREATION: {S.MIDTERM_EVALUATION: ZONE, S.PRE_ACCEPTANCE: BOTH, S.RECTIFICATION: BOTH},
    # A zone's mid-term evaluation passed: creation goes on; or it is told to rectify.
    S.MIDTERM_EVALUATION: {S.IN_CREATION: ZONE, S.RECTIFICATION: ZONE},
    S.PRE_ACCEPTANCE: {S.ACCEPTED: BOTH, S.RECTIFICATION: BOTH, S.FAILED: BOTH},
    S.RECTIFICATION: {
        S.IN_CREATION: BOTH,
        S.MIDTERM_EVALUATION: ZONE,
        S.PRE_ACCEPTANCE: BOTH,
        S.FAILED: BOTH,
    },
    S.ACCEPTED: {},
    S.FAILED: {},
}

# The final word on acceptance is the municipal bureau's (工作方案: 市级验收).
BUREAU_ONLY = frozenset({S.ACCEPTED.value, S.FAILED.value})


def next_statuses(kind: str, current: str) -> list[str]:
    """The statuses a unit of ``kind`` in ``current`` may move to, in lifecycle order."""
    allowed = TRANSITIONS.get(current, {})
    return [s for s in LifecycleStatus.values if kind in allowed.get(s, frozenset())]


def transition_error(kind: str, current: str, target: str) -> str | None:
    """Why the move is refused (in the user's language), or None when it is allowed."""
    if target not in LifecycleStatus.values:
        return _("'{target}' is not a status of a creation unit.").format(target=target)
    if target in next_statuses(kind, current):
        return None
    options = next_statuses(kind, current)
    names = "、".join(str(LifecycleStatus(s).label) for s in options)
    if not options:
        return _(
            "A unit in status “{current}” has finished its creation; its status is final."
        ).format(current=LifecycleStatus(current).label)
    return _(
        "A {kind} in status “{current}” cannot move to “{target}”; it can move to: {options}."
    ).format(
        kind=Kind(kind).label,
        current=LifecycleStatus(current).label,
        target=LifecycleStatus(target).label,
        options=names,
    )


def application_lifecycle(application: Any) -> LifecycleStatus:
    """Where an application stands in the whole lifecycle: its creation unit's status once it
    has one; else the published decision; else the district's recommendation; else applying."""
    from lowcarbon.web.creation.models import CreationUnit
    from lowcarbon.web.review.models import Decision, DecisionOutcome

    unit = CreationUnit.objects.filter(application_id=application.pk).only("status").first()
    if unit is not None:
        return LifecycleStatus(unit.status)
    decision = (
        Decision.objects.filter(application_id=application.pk, published_at__isnull=False)
        .only("outcome")
        .first()
    )
    if decision is not None:
        selected = decision.outcome == DecisionOutcome.SELECTED
        return LifecycleStatus.SELECTED if selected else LifecycleStatus.NOT_SELECTED
    if application.status == ApplicationStatus.RECOMMENDED:
        return LifecycleStatus.RECOMMENDED
    return LifecycleStatus.APPLYING
