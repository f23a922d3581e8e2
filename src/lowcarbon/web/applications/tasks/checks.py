"""What a task's values must satisfy before they are saved, and what tracking must satisfy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.activity import ActivityChange, Domain, SourceCategory
from lowcarbon.documents.task_list.matching import same_task
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask

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
