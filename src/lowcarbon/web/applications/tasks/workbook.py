"""The task records filled from an imported accounting workbook's task and 减排测算 sheets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lowcarbon.core.activity import AccountingInput
from lowcarbon.documents.task_list.matching import same_task
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import ApplicationTask

from .actions import _next_code, _summary
from .derived import _records, accounting_form


def _workbook_values(data: AccountingInput) -> list[tuple[str, dict[str, Any]]]:
    """Each task of ``data`` as (its number, the record fields the workbook sets)."""
    from lowcarbon.rules.activity.writing import accounting_input_to_data

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
