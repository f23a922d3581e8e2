"""Tasks and key projects of an application: adding, changing, removing, tracking, and the
forms the rest of the platform reads them in (one source, :mod:`.task_models`).

**What reads the records.** The accounting input's ``tasks`` and ``reductions`` are written from
the records on every change, in the same transaction, and checked by the accounting engine like
any save of baseline data (:func:`accounting_form`); the plan's task lists and key-project
tables (三、2./三、3.) are written from them likewise (:func:`plan_values`). Snapshots, documents
and pages read those derived forms, so a submission freezes the records' planning content with
the rest; the snapshot also keeps the records themselves (its ``tasks``: responsible unit,
content, years, budget …, not their progress), which the task list reads by task number.
Snapshots made before the records existed read as before.

**The workbook.** Importing the accounting workbook fills the records from its task sheet and
its 减排测算 sheet (:func:`merge_workbook_tasks`): a workbook task is the record of the same name
(the task list's rule, :func:`lowcarbon.documents.task_list.same_task`), else the record of the
same task number; what the workbook says (name, field, what it acts on, stated reduction, years,
flags, activities) replaces the record's, what only the editor holds (content, responsible unit,
end year, budget, progress) is kept, and records the workbook does not name stay.

**Tracking.** During creation the unit records each task's status, percent complete, achieved
reduction and a note (:func:`do_track_task`); :func:`task_progress` sums them for a unit.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.activity import AccountingInput, ActivityChange, Domain, SourceCategory
from lowcarbon.documents.task_list import same_task
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask, TaskStatus
from lowcarbon.web.applications.task_plan import plan_values
from lowcarbon.web.audit.recording import record_event

__all__ = [
    "TASK_ADDED",
    "TASK_CHANGED",
    "TASK_PROGRESS_RECORDED",
    "TASK_REMOVED",
    "TaskProgress",
    "TaskValues",
    "accounting_form",
    "do_add_task",
    "do_change_task",
    "do_remove_task",
    "do_track_task",
    "merge_workbook_tasks",
    "planned_reductions",
    "sync_plan",
    "task_progress",
    "task_refusals",
    "tracking_refusals",
]

TASK_ADDED = "application_task_added"
TASK_CHANGED = "application_task_changed"
TASK_REMOVED = "application_task_removed"
TASK_PROGRESS_RECORDED = "application_task_progress_recorded"

_YEARS = (1990, 2100)


@dataclasses.dataclass(frozen=True)
class TaskValues:
    """What the editor sets of a task (its planning content; not its progress)."""

    name: str
    domain: str
    start_year: int
    content: str = ""
    responsible: str = ""
    end_year: int | None = None
    ramp_years: int = 1
    budget_10k_yuan: Decimal | None = None
    key_project: bool = False
    near_zero: bool = False
    acts_on: tuple[str, ...] = ()
    stated_reduction_tco2: Decimal | None = None
    # Entries in the accounting's ``reductions`` form, without ``task``.
    activities: tuple[Mapping[str, Any], ...] = ()


# --- derived forms -------------------------------------------------------------------------


def _number(value: Decimal | None) -> Any:
    return None if value is None else as_json_numbers(Decimal(value))


def accounting_form(
    records: Sequence[ApplicationTask],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The accounting input's ``tasks`` and ``reductions`` (stored form) made from ``records``."""
    tasks: list[dict[str, Any]] = []
    reductions: list[dict[str, Any]] = []
    for record in records:
        task: dict[str, Any] = {
            "id": record.code,
            "name": record.name,
            "domain": record.domain,
            "acts_on": list(record.acts_on or []),
        }
        if record.stated_reduction_tco2 is not None:
            task["annual_reduction_tco2"] = _number(record.stated_reduction_tco2)
        task |= {
            "start_year": record.start_year,
            "ramp_years": record.ramp_years,
            "key_project": record.key_project,
            "near_zero_demonstration": record.near_zero,
            "adds_renewable_kwh": _number(record.adds_renewable_kwh),
            "adds_sink_tco2": _number(record.adds_sink_tco2),
        }
        tasks.append(task)
        for activity in record.activities or []:
            reductions.append({"task": record.code, **activity})
    return tasks, reductions


def _records(application: Application) -> list[ApplicationTask]:
    return list(ApplicationTask.objects.filter(application=application).order_by("position", "pk"))


def _sync(locked: Application, records: Sequence[ApplicationTask]) -> dict[str, Any]:
    """Write the derived forms of ``records`` into the locked application; refused (nothing
    saved) when the accounting engine cannot compute the result. Returns what changed."""
    from lowcarbon.web.applications import baseline  # the baseline data's checks

    changed: dict[str, Any] = {}
    if locked.accounting:
        tasks, reductions = accounting_form(records)
        data = json.loads(json.dumps(locked.accounting))  # a deep copy
        data["tasks"] = tasks
        data["reductions"] = reductions
        if not reductions:
            data.pop("reductions")
        if data != locked.accounting:
            problems, result = baseline._engine_problems(locked, data)
            if problems:
                raise ValidationError({"__all__": problems})
            locked.accounting = data
            locked.accounting_version += 1
            locked.save(update_fields=["accounting", "accounting_version", "updated_at"])
            if result is not None:
                computing.remember(locked, result)
            changed["accounting_version"] = locked.accounting_version
    return changed | sync_plan(locked, records)


def sync_plan(
    locked: Application, records: Sequence[ApplicationTask] | None = None
) -> dict[str, Any]:
    """Write the plan's task lists and key-project table from the records into the locked
    application (:mod:`.task_plan`); returns the plan's new version when they changed."""
    from lowcarbon.web.applications.outlines import application_outline

    records = _records(locked) if records is None else records
    values = plan_values(
        application_outline(locked), locked.kind, records, _planned(locked, records)
    )
    contents = dict(locked.sections)
    for element_id, value in values.items():
        if value is None:
            contents.pop(element_id, None)
        else:
            contents[element_id] = value
    if contents == locked.sections:
        return {}
    locked.sections = contents
    locked.version += 1
    locked.save(update_fields=["sections", "version", "updated_at"])
    return {"plan_version": locked.version}


# --- checks --------------------------------------------------------------------------------


def task_refusals(application: Application, actor: User) -> list[str]:
    """Why ``actor`` may not change the tasks of ``application`` now (empty: may)."""
    if not permissions.is_own_unit(actor, application):
        return [_("You can only edit your own unit's applications.")]
    if not permissions.can_edit_application(actor, application):
        return [
            _(
                "This application is {status}: its tasks and key projects can no longer be changed."
            ).format(status=application.get_status_display())
        ]
    deadline = application.round.submission_deadline
    if timezone.localdate() > deadline:
        return [
            _(
                "The submission deadline ({deadline}) has passed: the tasks and key projects can "
                "no longer be changed."
            ).format(deadline=deadline.isoformat())
        ]
    return []


def _source_keys() -> set[str]:
    from lowcarbon.core.activity import Sector

    return {f"{c.value}/{s.value}" for c in SourceCategory for s in Sector}


def _check_values(
    application: Application, values: TaskValues, *, exclude: int | None = None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = values.name.strip()
    if not name:
        errors["name"] = [_("Enter the name of the task or project.")]
    elif len(name) > 200:
        errors["name"] = [
            _("The name has {count} characters; at most 200 are allowed.").format(count=len(name))
        ]
    else:
        others = ApplicationTask.objects.filter(application=application).exclude(pk=exclude or 0)
        same = next((other for other in others if same_task(other.name, name)), None)
        if same is not None:
            errors["name"] = [
                _(
                    "“{name}” is already task {code} “{other}”: change that one, or give this one "
                    "another name."
                ).format(name=name, code=same.code, other=same.name)
            ]
    if len(values.content) > 1500:
        errors["content"] = [
            _("The content has {count} characters; at most 1500 are allowed.").format(
                count=len(values.content)
            )
        ]
    if values.domain not in {d.value for d in Domain}:
        errors["domain"] = [
            _("The field “{value}” is not one of the fields listed.").format(value=values.domain)
        ]
    low, high = _YEARS
    if not low <= values.start_year <= high:
        errors["start_year"] = [
            _("The start year is {value}; expected a year from {low} to {high}.").format(
                value=values.start_year, low=low, high=high
            )
        ]
    if values.end_year is not None and values.end_year < values.start_year:
        errors["end_year"] = [
            _("The end year {end} is before the start year {start}.").format(
                end=values.end_year, start=values.start_year
            )
        ]
    elif values.end_year is not None and values.end_year > high:
        errors["end_year"] = [
            _("The end year is {value}; expected a year up to {high}.").format(
                value=values.end_year, high=high
            )
        ]
    if not 1 <= values.ramp_years <= 50:
        errors["ramp_years"] = [
            _("The years to full effect are {value}; expected a whole number from 1 to 50.").format(
                value=values.ramp_years
            )
        ]
    for field, amount in (
        ("budget_10k_yuan", values.budget_10k_yuan),
        ("stated_reduction_tco2", values.stated_reduction_tco2),
    ):
        if amount is not None and amount < 0:
            errors[field] = [
                _("The value is {value}; expected a number of 0 or more.").format(value=amount)
            ]
    base_year = ((application.accounting or {}).get("profile") or {}).get("base_year")
    if "start_year" not in errors and isinstance(base_year, int) and values.start_year < base_year:
        errors["start_year"] = [
            _(
                "The start year is {value}, before the base year {base} of the baseline data; "
                "expected {base} or later."
            ).format(value=values.start_year, base=base_year)
        ]
    reduces = (values.stated_reduction_tco2 or 0) > 0 or any(
        a.get("change") == ActivityChange.AVOIDED.value for a in values.activities
    )
    if reduces and not values.acts_on:
        errors["acts_on"] = [
            _(
                "A task that reduces emissions names the sources it acts on (e.g. electricity of "
                "public buildings): choose at least one."
            )
        ]
    known = _source_keys()
    unknown = [key for key in values.acts_on if key not in known]
    if unknown:
        errors["acts_on"] = [
            _("Unknown sources: {keys}.").format(keys="、".join(unknown)),
        ]
    for index, activity in enumerate(values.activities, start=1):
        problem = _activity_problem(activity)
        if problem:
            errors.setdefault("activities", []).append(
                _("Reduction activity {number}: {problem}").format(number=index, problem=problem)
            )
    return errors


def _activity_problem(activity: Mapping[str, Any]) -> str:
    if activity.get("change") not in {c.value for c in ActivityChange}:
        return _("choose whether the activity is avoided or added.")
    if activity.get("category") not in {c.value for c in SourceCategory}:
        return _("choose what is avoided or added.")
    quantity = activity.get("quantity")
    if not isinstance(quantity, int | float | Decimal) or quantity <= 0:
        return _("the quantity is {value}; expected a number above 0.").format(value=quantity)
    if not str(activity.get("unit") or "").strip():
        return _("enter the unit of the quantity (kWh, 万kWh, m³, t, GJ …).")
    return ""


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


# --- the actions ---------------------------------------------------------------------------


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


# --- the workbook --------------------------------------------------------------------------


def _workbook_values(data: AccountingInput) -> list[tuple[str, dict[str, Any]]]:
    """Each task of ``data`` as (its number, the record fields the workbook sets)."""
    from lowcarbon.rules.activity import accounting_input_to_data

    stored = as_json_numbers(accounting_input_to_data(data))
    by_task: dict[str, list[dict[str, Any]]] = {}
    for entry in stored.get("reductions") or []:
        activity = dict(entry)
        by_task.setdefault(str(activity.pop("task")), []).append(activity)
    result = []
    for task in stored.get("tasks") or []:
        stated = task.get("annual_reduction_tco2")
        result.append(
            (
                str(task["id"]),
                {
                    "name": task["name"],
                    "domain": task["domain"],
                    "acts_on": list(task.get("acts_on") or []),
                    "stated_reduction_tco2": None if stated is None else Decimal(str(stated)),
                    "start_year": task["start_year"],
                    "ramp_years": task.get("ramp_years", 1),
                    "key_project": bool(task.get("key_project")),
                    "near_zero": bool(task.get("near_zero_demonstration")),
                    "adds_renewable_kwh": Decimal(str(task.get("adds_renewable_kwh", 0))),
                    "adds_sink_tco2": Decimal(str(task.get("adds_sink_tco2", 0))),
                    "activities": by_task.get(str(task["id"]), []),
                },
            )
        )
    return result


def merge_workbook_tasks(locked: Application, data: AccountingInput) -> dict[str, Any]:
    """Fill the records of the locked application from a workbook's tasks (the rule is in the
    module's docstring) and return the stored accounting's ``tasks`` and ``reductions`` made
    from every record, with counts for the audit trail. Runs inside the import's transaction."""
    records = _records(locked)
    matched: set[int] = set()
    added = updated = 0
    for code, fields in _workbook_values(data):
        record = next(
            (r for r in records if r.pk not in matched and same_task(r.name, fields["name"])),
            None,
        ) or next((r for r in records if r.pk not in matched and r.code == code), None)
        if record is None:
            taken = {r.code for r in records}
            record = ApplicationTask(
                application=locked,
                code=code if code not in taken and len(code) <= 20 else _next_code(locked),
                position=max((r.position for r in records), default=-1) + 1,
            )
            records.append(record)
            added += 1
        else:
            before = _summary(record)
            for name, value in fields.items():
                setattr(record, name, value)
            if _summary(record) == before:
                matched.add(record.pk)
                continue
            record.version += 1
            updated += 1
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
        matched.add(record.pk)
    tasks, reductions = accounting_form(records)
    return {
        "tasks": tasks,
        "reductions": reductions,
        "added": added,
        "updated": updated,
        "kept": len(records) - len(matched),
    }


# --- tracking during creation --------------------------------------------------------------


def tracking_refusals(record: ApplicationTask, actor: User) -> list[str]:
    """Why ``actor`` may not record the progress of ``record`` (empty: may): only the creation
    unit's own people, while the application is a creation unit."""
    unit = getattr(record.application, "creation_unit", None)
    if unit is None:
        return [
            _(
                "The progress of tasks is recorded once the application's unit is in creation; "
                "this application has not become a creation unit."
            )
        ]
    if not permissions.is_own_unit(actor, record.application):
        return [_("Only the creation unit records the progress of its tasks.")]
    return []


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


@dataclasses.dataclass(frozen=True)
class TaskProgress:
    """How the tasks of one creation unit stand: counts by status, planned and achieved
    reductions (tCO₂ a year; planned: the counted figure of the accounting, else the stated)."""

    total: int
    by_status: Mapping[str, int]
    planned_tco2: Decimal
    achieved_tco2: Decimal

    @property
    def done(self) -> int:
        return self.by_status.get(TaskStatus.DONE, 0)

    @property
    def lagging(self) -> int:
        return self.by_status.get(TaskStatus.LAGGING, 0)


def planned_reductions(application: Application) -> dict[str, Decimal]:
    """Each task's planned reduction by task number: what the accounting counts (computed from
    its activities, or stated), else the stated figure."""
    return _planned(application, _records(application))


def _planned(application: Application, records: Sequence[ApplicationTask]) -> dict[str, Decimal]:
    planned: dict[str, Decimal] = {}
    result = computing.accounting_result(application)
    forecast = result.forecast if result is not None else None
    for record in records:
        counted = forecast.reduction_of(record.code) if forecast is not None else None
        if counted is not None:
            planned[record.code] = counted.reduction_tco2
        elif record.stated_reduction_tco2 is not None:
            planned[record.code] = Decimal(record.stated_reduction_tco2)
    return planned


def task_progress(unit: Any) -> TaskProgress:
    """The progress of a creation unit's tasks (for the unit's pages and the overview)."""
    application = unit.application
    records = [r for r in _records(application) if r.status != TaskStatus.CANCELLED]
    every = _records(application)
    by_status = dict.fromkeys(TaskStatus.values, 0)
    for record in every:
        by_status[record.status] += 1
    planned = planned_reductions(application)
    return TaskProgress(
        total=len(every),
        by_status=by_status,
        planned_tco2=sum((planned.get(r.code, Decimal(0)) for r in records), Decimal(0)),
        achieved_tco2=sum((Decimal(r.achieved_reduction_tco2 or 0) for r in records), Decimal(0)),
    )
