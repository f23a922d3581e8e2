"""The creation stage's writes, each validated first, then one transaction and one audit event:
units made from a published decision, lifecycle moves, schedule dates, extensions, filings."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.lifecycle import transition_error
from lowcarbon.web.creation.models import (
    Completion,
    CreationUnit,
    Extension,
    LifecycleStatus,
    ScheduleItem,
)
from lowcarbon.web.creation.schedule import (
    SHANGHAI,
    close_of,
    default_items,
    local_date,
    opening_of,
)
from lowcarbon.web.rounds.models import Round

__all__ = [
    "do_change_schedule_item",
    "do_change_unit_status",
    "do_create_units",
    "do_extend",
    "do_record_completion",
]

REASON_LENGTH = 2000


def _reason(reason: str, errors: dict[str, list[str]], missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [missing]
    elif len(reason) > REASON_LENGTH:
        errors["reason"] = [
            _("The reason has {found} characters; at most {limit} are kept.").format(
                found=len(reason), limit=REASON_LENGTH
            )
        ]
    return reason


def _local(instant: datetime) -> str:
    """An instant as the audit log keeps it: ISO 8601 in Asia/Shanghai (+08:00)."""
    return instant.astimezone(SHANGHAI).isoformat()


def _item_after(item: ScheduleItem) -> dict[str, object]:
    return {
        "code": item.code,
        "opens_at": _local(item.opens_at) if item.opens_at else None,
        "due_at": _local(item.due_at),
    }


def _ensure_schedule(round_: Round, actor: User | None) -> None:
    """The round's schedule from the default pattern, the first time it has units."""
    if ScheduleItem.objects.filter(round=round_).exists():
        return
    for default in default_items(round_.year, round_.kinds):
        item = ScheduleItem.objects.create(
            round=round_,
            code=default.code,
            key=default.key,
            year=default.year,
            kinds=list(default.kinds),
            opens_at=opening_of(default.opens_on) if default.opens_on else None,
            due_at=close_of(default.due_on),
        )
        record_event(
            actor=actor,
            action="creation_schedule_item_created",
            target=item,
            after=_item_after(item),
        )


def do_create_units(round_: Round, *, actor: User | None) -> list[CreationUnit]:
    """Every selected application of the round whose decision is published becomes a creation
    unit, starting from the submission the decision was based on; the round gets its default
    schedule. Called by the publication (same transaction) and by ``create_creation_units`` for
    rounds published before; idempotent: a unit is made once. ``actor`` None: the system."""
    from lowcarbon.web.review.models import Decision, DecisionOutcome

    if actor is not None and not permissions.can_manage_creation_schedule(actor):
        raise ValidationError({"__all__": [_("Only an administrator creates creation units.")]})
    created: list[CreationUnit] = []
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round_.pk)
        # Applications that have a unit are left out by a subquery, not an outer join:
        # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        decisions = (
            Decision.objects.select_for_update()
            .filter(
                application__round=round_,
                outcome=DecisionOutcome.SELECTED,
                published_at__isnull=False,
            )
            .exclude(application_id__in=CreationUnit.objects.values("application_id"))
            .select_related("application")
            .order_by("application_id")
        )
        for decision in decisions:
            unit = CreationUnit.objects.create(
                application=decision.application, submission_id=decision.submission_id
            )
            record_event(
                actor=actor,
                action="creation_unit_created",
                target=unit,
                after={
                    "application": decision.application_id,
                    "submission": decision.submission_id,
                    "status": unit.status,
                },
            )
            created.append(unit)
        if CreationUnit.objects.filter(application__round=round_).exists():
            _ensure_schedule(round_, actor)
    return created


def do_change_unit_status(
    unit: CreationUnit, *, target: str, reason: str, expected_version: int, actor: User
) -> CreationUnit:
    errors: dict[str, list[str]] = {}
    if not permissions.can_change_unit_status(actor, unit, target):
        raise ValidationError(
            {"__all__": [_("Only the municipal bureau accepts a unit or finds it not accepted.")]}
            if permissions.can_change_unit_status(actor, unit)
            else {"__all__": [_("You may not change this unit's status.")]}
        )
    refused = transition_error(unit.kind, unit.status, target)
    if refused:
        errors["status"] = [refused]
    reason = _reason(reason, errors, _("Give the reason for the change of status."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            CreationUnit.objects.select_for_update().select_related("application").get(pk=unit.pk)
        )
        if locked.version != expected_version:
            raise ValidationError(
                {
                    "__all__": [
                        _("Someone changed this unit meanwhile; reload the page and try again.")
                    ]
                }
            )
        before = {"status": locked.status}
        locked.status = LifecycleStatus(target)
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        record_event(
            actor=actor,
            action="creation_unit_status_changed",
            target=locked,
            before=before,
            after={"status": locked.status},
            reason=reason,
        )
    return locked


def do_change_schedule_item(
    item: ScheduleItem,
    *,
    opens_on: date | None,
    due_on: date,
    reason: str,
    expected_version: int,
    actor: User,
) -> ScheduleItem:
    """The bureau moves a date of the batch's schedule (for every unit without an extension of
    that item), with its reason; a date already passed can be moved too."""
    if not permissions.can_manage_creation_schedule(actor):
        raise ValidationError({"__all__": [_("Only the municipal bureau sets the schedule.")]})
    errors: dict[str, list[str]] = {}
    if item.is_window and opens_on is None:
        errors["opens_on"] = [_("A window needs the day it opens.")]
    if opens_on is not None and not item.is_window:
        errors["opens_on"] = [_("This item is a deadline, not a window: it has no opening day.")]
    if opens_on is not None and item.is_window and opens_on > due_on:
        errors["due_on"] = [
            _("The window closes on {due} before it opens on {opens}.").format(
                due=due_on.isoformat(), opens=opens_on.isoformat()
            )
        ]
    reason = _reason(reason, errors, _("Give the reason for changing the date."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ScheduleItem.objects.select_for_update().get(pk=item.pk)
        if locked.version != expected_version:
            raise ValidationError(
                {
                    "__all__": [
                        _("Someone changed this date meanwhile; reload the page and try again.")
                    ]
                }
            )
        before = _item_after(locked)
        locked.opens_at = opening_of(opens_on) if opens_on is not None else None
        locked.due_at = close_of(due_on)
        if before == _item_after(locked):
            raise ValidationError({"due_on": [_("The dates are unchanged.")]})
        locked.version += 1
        locked.save(update_fields=["opens_at", "due_at", "version"])
        record_event(
            actor=actor,
            action="creation_schedule_item_changed",
            target=locked,
            before=before,
            after=_item_after(locked),
            reason=reason,
        )
    return locked


def _item_of(unit: CreationUnit, item: ScheduleItem, errors: dict[str, list[str]]) -> None:
    if item.round_id != unit.application.round_id or unit.kind not in item.kinds:
        errors["item"] = [_("This date is not in the unit's schedule.")]


def _current_due(unit: CreationUnit, item: ScheduleItem) -> datetime:
    latest = Extension.objects.filter(unit=unit, item=item).order_by("-id").first()
    return latest.due_at if latest is not None else item.due_at


def do_extend(
    unit: CreationUnit,
    item: ScheduleItem,
    *,
    due_on: date,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> Extension:
    """A unit's own due date for one item, with its reason; a due date that has passed can
    still be moved (the unit keeps its history: every extension is kept)."""
    if not permissions.can_manage_creation_schedule(actor):
        raise ValidationError({"__all__": [_("Only the municipal bureau grants extensions.")]})
    errors: dict[str, list[str]] = {}
    _item_of(unit, item, errors)
    reason = _reason(reason, errors, _("Give the reason for the extension."))
    if item.opens_at is not None and due_on < local_date(item.opens_at):
        errors["due_on"] = [
            _("The new due date {due} lies before the window opens ({opens}).").format(
                due=due_on.isoformat(), opens=local_date(item.opens_at).isoformat()
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = (
            CreationUnit.objects.select_for_update().select_related("application").get(pk=unit.pk)
        )
        previous = _current_due(locked, item)
        if close_of(due_on) == previous:
            raise ValidationError(
                {"due_on": [_("The unit is already due on {due}.").format(due=due_on.isoformat())]}
            )
        extension = Extension.objects.create(
            unit=locked,
            item=item,
            due_at=close_of(due_on),
            previous_due_at=previous,
            reason=reason,
            granted_by=actor,
            granted_at=now or timezone.now(),
        )
        record_event(
            actor=actor,
            action="creation_unit_extended",
            target=locked,
            before={"item": item.code, "due_at": _local(previous)},
            after={"item": item.code, "due_at": _local(extension.due_at)},
            reason=reason,
        )
    return extension


def do_record_completion(
    unit: CreationUnit,
    item: ScheduleItem,
    *,
    completed_on: date,
    note: str,
    actor: User,
    now: datetime | None = None,
) -> Completion:
    """The district or the bureau records that the unit met an item (its filing arrived on
    ``completed_on``, not in the future)."""
    if not permissions.can_record_completion(actor, unit):
        raise ValidationError({"__all__": [_("You may not record filings for this unit.")]})
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    _item_of(unit, item, errors)
    if completed_on > local_date(now):
        errors["completed_on"] = [
            _("The date {date} lies in the future.").format(date=completed_on.isoformat())
        ]
    note = (note or "").strip()
    if len(note) > REASON_LENGTH:
        errors["note"] = [
            _("The note has {found} characters; at most {limit} are kept.").format(
                found=len(note), limit=REASON_LENGTH
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CreationUnit.objects.select_for_update().get(pk=unit.pk)
        if Completion.objects.filter(unit=locked, item=item).exists():
            raise ValidationError({"__all__": [_("This item is already recorded as done.")]})
        completion = Completion.objects.create(
            unit=locked,
            item=item,
            # The day it arrived: its last second, as deadlines, so on time means on time.
            completed_at=min(close_of(completed_on), now),
            note=note,
            recorded_by=actor,
            recorded_at=now,
        )
        record_event(
            actor=actor,
            action="creation_item_completed",
            target=locked,
            after={"item": item.code, "completed_at": _local(completion.completed_at)},
            reason=note,
        )
    return completion
