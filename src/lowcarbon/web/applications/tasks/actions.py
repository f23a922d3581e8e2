"""The audited actions on tasks: adding, changing, removing, and tracking during creation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask, TaskStatus
from lowcarbon.web.audit.recording import record_event

from .checks import TaskValues, _check_values, task_refusals, tracking_refusals
from .derived import _number, _records, _sync

TASK_ADDED = "application_task_added"
TASK_CHANGED = "application_task_changed"
TASK_REMOVED = "application_task_removed"
TASK_PROGRESS_RECORDED = "application_task_progress_recorded"


def _apply(record: ApplicationTask, values: TaskValues) -> None:
    record.name = values.name.strip()
    record.domain = values.domain
    record.content = values.content.strip()
    record.responsible = values.responsible.strip()
    record.start_year = values.start_year
    record.end_year = values.end_year
    record.ramp_years = values.ramp_years
    record.budget_10k_yuan = values.budget_10k_yuan
    record.key_project = values.key_project
    record.near_zero = values.near_zero
    record.acts_on = list(values.acts_on)
    record.stated_reduction_tco2 = values.stated_reduction_tco2
    record.activities = [as_json_numbers(dict(a)) for a in values.activities]


def _summary(record: ApplicationTask) -> dict[str, Any]:
    """What the audit trail keeps of a task's planning content."""
    return {
        "code": record.code,
        "name": record.name,
        "domain": record.domain,
        "content": record.content,
        "responsible": record.responsible,
        "start_year": record.start_year,
        "end_year": record.end_year,
        "ramp_years": record.ramp_years,
        "budget_10k_yuan": _number(record.budget_10k_yuan),
        "key_project": record.key_project,
        "near_zero": record.near_zero,
        "acts_on": list(record.acts_on or []),
        "stated_reduction_tco2": _number(record.stated_reduction_tco2),
        "activities": list(record.activities or []),
        "version": record.version,
    }


def _locked_application(application: Application, actor: User) -> Application:
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    refusals = task_refusals(locked, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    return locked


def _stale(record: ApplicationTask, expected_version: int) -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _(
                    "Someone else changed task {code} first (now version {current}, you started "
                    "from version {expected}). Nothing was saved: look at the task now stored and "
                    "try again."
                ).format(code=record.code, current=record.version, expected=expected_version)
            ]
        },
        code="stale",
    )


def _next_code(application: Application, prefix: str = "T") -> str:
    taken = set(
        ApplicationTask.objects.filter(application=application).values_list("code", flat=True)
    )
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def do_add_task(application: Application, values: TaskValues, *, actor: User) -> ApplicationTask:
    """Add a task or key project to a draft application."""
    refusals = task_refusals(application, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    errors = _check_values(application, values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_application(application, actor)
        errors = _check_values(locked, values)
        if errors:
            raise ValidationError(errors)
        last = ApplicationTask.objects.filter(application=locked).order_by("-position").first()
        record = ApplicationTask(
            application=locked,
            code=_next_code(locked),
            position=0 if last is None else last.position + 1,
        )
        _apply(record, values)
        record.save()
        changed = _sync(locked, _records(locked))
        record_event(
            actor=actor,
            action=TASK_ADDED,
            target=record,
            before=None,
            after=_summary(record) | changed,
        )
    return record


def do_change_task(
    record: ApplicationTask, values: TaskValues, *, expected_version: int, actor: User
) -> ApplicationTask:
    """Change a task's planning content; refused when someone changed it since
    ``expected_version``, after submission or after the deadline."""
    application = record.application
    refusals = task_refusals(application, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    errors = _check_values(application, values, exclude=record.pk)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_application(application, actor)
        current = ApplicationTask.objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise _stale(current, expected_version)
        before = _summary(current)
        _apply(current, values)
        current.version += 1
        current.save()
        changed = _sync(locked, _records(locked))
        record_event(
            actor=actor,
            action=TASK_CHANGED,
            target=current,
            before=before,
            after=_summary(current) | changed,
        )
    return current


def do_remove_task(record: ApplicationTask, *, expected_version: int, actor: User) -> None:
    """Remove a task from a draft application (a submitted one keeps it in its snapshot)."""
    application = record.application
    refusals = task_refusals(application, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    with transaction.atomic():
        locked = _locked_application(application, actor)
        current = ApplicationTask.objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise _stale(current, expected_version)
        before = _summary(current)
        record_event(actor=actor, action=TASK_REMOVED, target=current, before=before, after=None)
        current.delete()
        _sync(locked, _records(locked))


def do_track_task(
    record: ApplicationTask,
    *,
    status: str,
    percent_complete: int,
    achieved_reduction_tco2: Decimal | None,
    note: str,
    evidence_note: str = "",
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> ApplicationTask:
    """Record how far a task has come (状态、完成百分比、已实现减排量、说明).

    ``evidence_note`` is a free description of the proof for now; the records archive links its
    entries here later."""
    refusals = tracking_refusals(record, actor)
    if refusals:
        raise ValidationError({"__all__": refusals})
    errors: dict[str, list[str]] = {}
    if status not in TaskStatus.values:
        errors["status"] = [
            _("The status “{value}” is not one of: {known}.").format(
                value=status, known="、".join(str(label) for label in TaskStatus.labels)
            )
        ]
    if not 0 <= percent_complete <= 100:
        errors["percent_complete"] = [
            _("The percent complete is {value}; expected a whole number from 0 to 100.").format(
                value=percent_complete
            )
        ]
    elif status == TaskStatus.DONE and percent_complete != 100:
        errors["percent_complete"] = [
            _("A completed task is 100 % complete; {value} % was entered.").format(
                value=percent_complete
            )
        ]
    if achieved_reduction_tco2 is not None and achieved_reduction_tco2 < 0:
        errors["achieved_reduction_tco2"] = [
            _("The achieved reduction is {value}; expected a number of 0 or more.").format(
                value=achieved_reduction_tco2
            )
        ]
    if status == TaskStatus.LAGGING and not note.strip():
        errors["tracking_note"] = [
            _("Say why the task is lagging behind and what is done about it.")
        ]
    if errors:
        raise ValidationError(errors)
    moment = now or timezone.now()
    with transaction.atomic():
        current = ApplicationTask.objects.select_for_update().get(pk=record.pk)
        if current.tracking_version != expected_version:
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "Someone else recorded the progress of task {code} first (now "
                            "version {current}, you started from version {expected}). Nothing "
                            "was saved: look at the progress now stored and try again."
                        ).format(
                            code=current.code,
                            current=current.tracking_version,
                            expected=expected_version,
                        )
                    ]
                },
                code="stale",
            )
        before = _tracking(current)
        current.status = status
        current.percent_complete = percent_complete
        current.achieved_reduction_tco2 = achieved_reduction_tco2
        current.tracking_note = note.strip()
        current.evidence_note = evidence_note.strip()
        current.tracking_version += 1
        current.tracked_at = moment
        current.tracked_by = actor
        current.save()
        record_event(
            actor=actor,
            action=TASK_PROGRESS_RECORDED,
            target=current,
            before=before,
            after=_tracking(current),
        )
    return current


def _tracking(record: ApplicationTask) -> dict[str, Any]:
    return {
        "code": record.code,
        "status": record.status,
        "percent_complete": record.percent_complete,
        "achieved_reduction_tco2": _number(record.achieved_reduction_tco2),
        "note": record.tracking_note,
        "evidence": record.evidence_note,
        "version": record.tracking_version,
    }
