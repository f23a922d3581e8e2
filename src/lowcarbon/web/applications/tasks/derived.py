"""The forms the rest of the platform reads the task records in: the accounting input's tasks and
reductions, and the plan's task lists and key-project tables.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.applications.task_plan import plan_values


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
    # The baseline data's checks (imported here: the baseline data's actions import this module).
    from lowcarbon.web.applications.baseline.checks import _engine_problems

    changed: dict[str, Any] = {}
    if locked.accounting:
        tasks, reductions = accounting_form(records)
        data = json.loads(json.dumps(locked.accounting))  # a deep copy
        data["tasks"] = tasks
        data["reductions"] = reductions
        if not reductions:
            data.pop("reductions")
        if data != locked.accounting:
            problems, result = _engine_problems(locked, data)
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
    application (:mod:`..task_plan`); returns the plan's new version when they changed."""
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
