"""What each creation unit owes and when: the schedule items that concern it, with its own
extensions and completions, classed against a given instant (``now`` is always passed in, so
tests, the to-do page and later the reminders all read the same clock they are given).

:func:`unit_duties` answers for one unit (its schedule page); :func:`duties_of` for many at
once in a fixed number of queries (the to-dos; reminders will walk the same list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.creation.models import (
    Completion,
    CreationUnit,
    Extension,
    RectificationOrder,
    ScheduleItem,
)
from lowcarbon.web.creation.schedule import is_late

__all__ = [
    "DUE_SOON",
    "Duty",
    "DutyState",
    "RectificationDuty",
    "duties_of",
    "rectification_todos_for",
    "todos_for",
    "unit_duties",
]

# An item is "due" (not just upcoming) this long before its date, or while its window is open.
DUE_SOON = timedelta(days=30)


class DutyState(StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    DutyState.DONE: _("done"),
    DutyState.OVERDUE: _("overdue"),
    DutyState.DUE: _("due"),
    DutyState.UPCOMING: _("upcoming"),
    DutyState.REVIEW: _("waiting for your review"),
}


@dataclass(frozen=True)
class Duty:
    unit: CreationUnit
    item: ScheduleItem
    due_at: datetime  # the unit's own: its latest extension (the last granted), else the schedule's
    extension: Extension | None
    completion: Completion | None
    state: DutyState

    @property
    def extended(self) -> bool:
        return self.extension is not None

    @property
    def completed_late(self) -> bool:
        return self.completion is not None and is_late(self.completion.completed_at, self.due_at)


def _state(
    now: datetime, item: ScheduleItem, due_at: datetime, completion: Completion | None
) -> DutyState:
    if completion is not None:
        return DutyState.DONE
    if is_late(now, due_at):
        return DutyState.OVERDUE
    if due_at - now <= DUE_SOON or (item.opens_at is not None and item.opens_at <= now):
        return DutyState.DUE
    return DutyState.UPCOMING


def duties_of(units: Iterable[CreationUnit] | QuerySet[CreationUnit], now: datetime) -> list[Duty]:
    """Every duty of ``units`` against ``now``, by unit and then by due date. Units that have
    finished (accepted, not accepted) owe nothing more."""
    from lowcarbon.web.creation.models import LifecycleStatus

    finished = {LifecycleStatus.ACCEPTED, LifecycleStatus.FAILED}
    units = [u for u in units if u.status not in finished]
    if not units:
        return []
    rounds = {u.application.round_id for u in units}
    items_by_round: dict[int, list[ScheduleItem]] = {}
    for item in ScheduleItem.objects.filter(round_id__in=rounds).order_by("due_at", "code"):
        items_by_round.setdefault(item.round_id, []).append(item)
    ids = [u.pk for u in units]
    latest: dict[tuple[int, int], Extension] = {}
    for extension in Extension.objects.filter(unit_id__in=ids).order_by("id"):
        latest[(extension.unit_id, extension.item_id)] = extension
    done = {(c.unit_id, c.item_id): c for c in Completion.objects.filter(unit_id__in=ids)}
    duties: list[Duty] = []
    for unit in units:
        owed = []
        for item in items_by_round.get(unit.application.round_id, []):
            if unit.kind not in item.kinds:
                continue
            found = latest.get((unit.pk, item.pk))
            completion = done.get((unit.pk, item.pk))
            due_at = found.due_at if found is not None else item.due_at
            state = _state(now, item, due_at, completion)
            owed.append(Duty(unit, item, due_at, found, completion, state))
        duties += sorted(owed, key=lambda d: (d.due_at, d.item.code))
    return duties


def unit_duties(unit: CreationUnit, now: datetime) -> list[Duty]:
    """The unit's whole schedule against ``now`` (also once it has finished)."""
    items = ScheduleItem.objects.filter(round_id=unit.application.round_id)
    latest: dict[int, Extension] = {}
    for extension in unit.extensions.order_by("id"):
        latest[extension.item_id] = extension
    done = {c.item_id: c for c in unit.completions.all()}
    duties = []
    for item in items:
        if unit.kind not in item.kinds:
            continue
        found = latest.get(item.pk)
        due_at = found.due_at if found is not None else item.due_at
        duties.append(
            Duty(
                unit,
                item,
                due_at,
                found,
                done.get(item.pk),
                _state(now, item, due_at, done.get(item.pk)),
            )
        )
    return sorted(duties, key=lambda d: (d.due_at, d.item.code))


def todos_for(user: object, now: datetime) -> list[Duty]:
    """我的待办 of the creation stage for ``user`` against ``now``: a unit's people see what
    their unit still owes (overdue, due, upcoming); district officers the overdue items of their
    district's units; the bureau every overdue item; experts nothing."""
    from lowcarbon.web import permissions
    from lowcarbon.web.accounts.models import Role

    units = permissions.visible_creation_units(user)
    if permissions.has_role(user, Role.APPLICANT):
        return [d for d in duties_of(units, now) if d.state != DutyState.DONE]
    if permissions.has_role(user, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR):
        return [d for d in duties_of(units, now) if d.state == DutyState.OVERDUE]
    return []


@dataclass(frozen=True)
class RectificationDuty:
    order: RectificationOrder
    due_at: datetime  # the order's deadline, 23:59:59 Asia/Shanghai
    state: DutyState  # OVERDUE or DUE for the unit, REVIEW for the issuer's side

    @property
    def unit(self) -> CreationUnit:
        return self.order.unit


def rectification_state(order: RectificationOrder, now: datetime) -> DutyState:
    """An order the unit still has to answer is due until its deadline, then overdue."""
    from lowcarbon.web.creation.models import RectificationStatus

    if order.status == RectificationStatus.ANSWERED:
        return DutyState.REVIEW
    if order.status == RectificationStatus.CLOSED:
        return DutyState.DONE
    return DutyState.OVERDUE if is_late(now, order.due_at) else DutyState.DUE


def rectification_todos_for(user: object, now: datetime) -> list[RectificationDuty]:
    """The rectification orders waiting for ``user`` against ``now``, by deadline: the unit's
    people those to answer (open or returned); the issuer's side those answered, to close or
    return (the bureau's own orders for the bureau, the district's for its officers)."""
    from lowcarbon.web import permissions
    from lowcarbon.web.accounts.models import Role
    from lowcarbon.web.creation.models import RectificationOrder, RectificationStatus

    units = permissions.visible_creation_units(user)
    orders = RectificationOrder.objects.filter(unit__in=units).select_related(
        "unit",
        "unit__application",
        "unit__application__round",
        "unit__application__unit",
        "issued_by",
    )
    if permissions.has_role(user, Role.APPLICANT):
        waiting = orders.filter(status__in=[RectificationStatus.OPEN, RectificationStatus.RETURNED])
    elif permissions.has_role(user, Role.ADMINISTRATOR):
        waiting = orders.filter(
            status=RectificationStatus.ANSWERED, issued_by__role=Role.ADMINISTRATOR
        )
    elif permissions.has_role(user, Role.DISTRICT_OFFICER):
        waiting = orders.filter(status=RectificationStatus.ANSWERED).exclude(
            issued_by__role=Role.ADMINISTRATOR
        )
    else:
        return []
    duties = [RectificationDuty(o, o.due_at, rectification_state(o, now)) for o in waiting]
    return sorted(duties, key=lambda d: (d.due_at, d.order.pk))
