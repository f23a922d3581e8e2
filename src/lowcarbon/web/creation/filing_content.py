"""What a filing holds, read and generated (no writes): the plan sections a revision edits and
their diff against the submitted application, the task list and the work plan generated from the
unit's data, and the progress report's inventory from the year's activity data.

Nothing here reads the clock or the request."""

from __future__ import annotations

import copy
import difflib
import json
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.core.activity import AccountingInput, TargetKind
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.labels import TARGET
from lowcarbon.core.outline import ElementKind, Outline
from lowcarbon.documents.blocks import Heading, Paragraph, Placeholder, Table
from lowcarbon.documents.plan import PlanInput, plan_input_from_file
from lowcarbon.documents.task_list import build_task_list
from lowcarbon.documents.work_plan import build_work_plan, work_plan_blocks
from lowcarbon.rules.activity import (
    accounting_input_from_data,
    accounting_input_to_data,
    check_accounting_data,
)
from lowcarbon.rules.application_file import load_application_file
from lowcarbon.rules.snapshot import as_json_numbers, canonical_json, snapshot_from_data
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.narrative import to_plain_text
from lowcarbon.web.applications.outlines import local, outline_of
from lowcarbon.web.creation.filing_models import Filing, FilingKind, FilingStatus
from lowcarbon.web.creation.models import CreationUnit

__all__ = [
    "TASK_STATUSES",
    "base_plan",
    "initial_content",
    "plan_diff",
    "plan_input",
    "progress_figures",
    "task_rows",
    "text_elements",
    "work_plan_parts",
]

# The status of a task in a progress report (issue 15 §2).
TASK_STATUSES = {
    "not_started": "未开始",
    "in_progress": "进行中",
    "done": "已完成",
    "lagging": "滞后",
    "cancelled": "已取消",
}


def _outline(unit: CreationUnit) -> Outline:
    application = unit.application
    return outline_of(application.kind, application.outline_edition)


def text_elements(unit: CreationUnit) -> list[tuple[str, str, str]]:
    """(element id, section title, element label) of every narrative element of the plan, in
    outline order: what a revision edits as text."""
    found = []
    for section, element in _outline(unit).iter_elements():
        if element.kind == ElementKind.TEXT:
            found.append(
                (element.id, f"{section.label} {local(section.title)}", local(element.label))
            )
    return found


def base_plan(unit: CreationUnit) -> dict[str, Any]:
    """The plan the unit revises: the latest acknowledged final plan's frozen one, else the
    submission the decision was based on (the same snapshot shape)."""
    latest = (
        Filing.objects.filter(
            unit=unit, kind=FilingKind.FINAL_PLAN, status=FilingStatus.ACKNOWLEDGED
        )
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.snapshot.get("plan"):
        return dict(latest.snapshot["plan"])
    return dict(unit.submission.snapshot)


def plan_input(plan: Mapping[str, Any]) -> PlanInput:
    """The documents' input from a plan snapshot (format 1), read as the documents read it."""
    typed = snapshot_from_data(plan, source="plan")
    with tempfile.TemporaryDirectory(prefix="lowcarbon-filing-") as folder:
        path = Path(folder) / "snapshot.json"
        path.write_text(canonical_json(typed), encoding="utf-8")
        exported = load_application_file(path)
    return plan_input_from_file(exported, local, draw_charts=False)


def task_rows(plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The task list generated from a plan snapshot, as plain rows (frozen with the plan)."""
    tasks = build_task_list(plan_input(plan), _)
    return [
        {
            "number": entry.number,
            "name": entry.name,
            "content": entry.content,
            "responsible": entry.responsible,
            "start_year": entry.start_year,
            "end_year": entry.end_year,
            "deadline": entry.deadline,
            "reduction_tco2": None if entry.reduction_tco2 is None else str(entry.reduction_tco2),
            "key_project": entry.key_project,
            "task_id": entry.task_id,
        }
        for entry in tasks.entries
    ]


def _block_text(block: object) -> str:
    if isinstance(block, Paragraph):
        return f"{block.lead}{block.text}"
    if isinstance(block, Placeholder):
        return block.text
    if isinstance(block, Table):
        lines = [block.caption, "｜".join(block.header)]
        lines += ["｜".join(str(cell) for cell in row) for row in block.rows]
        if block.note:
            lines.append(block.note)
        return "\n".join(line for line in lines if line)
    return ""


def work_plan_parts(plan: Mapping[str, Any], year: int) -> dict[str, Any]:
    """The year's work plan generated by the documents' generator from the unit's plan and the
    year's staged targets, as text parts (one per first-level heading) the unit then edits."""
    work = build_work_plan(plan_input(plan), year, _)
    parts: list[dict[str, str]] = []
    for block in work_plan_blocks(work, _):
        if isinstance(block, Heading) and block.level == 1:
            parts.append({"title": f"{block.number}{block.text}", "text": ""})
            continue
        text = f"{block.number}{block.text}" if isinstance(block, Heading) else _block_text(block)
        if not text:
            continue
        if not parts:
            parts.append({"title": _("Introduction"), "text": ""})
        parts[-1]["text"] = f"{parts[-1]['text']}\n{text}".strip()
    return {"title": work.title, "parts": parts, "warnings": list(work.warnings)}


def _task_progress(unit: CreationUnit, plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The tasks whose progress the report states: the application's task records with the
    progress the unit recorded on them (status, percent complete, achieved reduction, note);
    without records, the task list of the unit's plan, each to be given its status."""
    from lowcarbon.web.applications.task_models import ApplicationTask

    records = ApplicationTask.objects.filter(application_id=unit.application_id).order_by(
        "position", "code"
    )
    if records:
        return [
            {
                "id": record.pk,
                "number": number,
                "code": record.code,
                "name": record.name,
                "status": record.status,
                "percent_complete": record.percent_complete,
                "achieved_tco2": None
                if record.achieved_reduction_tco2 is None
                else str(record.achieved_reduction_tco2),
                "note": record.tracking_note,
            }
            for number, record in enumerate(records, start=1)
        ]
    return [
        {
            "number": row["number"],
            "name": row["name"],
            "reduction_tco2": row["reduction_tco2"],
            "status": "not_started",
            "note": "",
        }
        for row in task_rows(plan)
    ]


def initial_content(unit: CreationUnit, kind: str, year: int | None) -> dict[str, Any]:
    """A first revision's content: the plan as submitted (or last acknowledged), a generated
    work plan, or an empty progress report listing the tasks."""
    plan = base_plan(unit)
    if kind == FilingKind.FINAL_PLAN:
        return {"sections": dict(plan.get("sections") or {})}
    assert year is not None
    if kind == FilingKind.WORK_PLAN:
        return work_plan_parts(plan, year)
    return {"summary": "", "tasks": _task_progress(unit, plan), "activity": None}


# --- the diff against the submitted application -----------------------------------------------


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return to_plain_text(value)
    # Tables, lists, a boundary: one line per row, as JSON (its numbers as stored).
    if isinstance(value, list):
        return "\n".join(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def plan_diff(
    unit: CreationUnit, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Section by section, the lines removed and added between two plans' sections (by element;
    unchanged elements left out)."""
    changed = []
    for section, element in _outline(unit).iter_elements():
        old, new = _plain(before.get(element.id)), _plain(after.get(element.id))
        if old == new:
            continue
        lines = []
        for line in difflib.ndiff(old.splitlines(), new.splitlines()):
            mark, text = line[:1], line[2:]
            if mark in ("-", "+"):
                lines.append({"mark": "removed" if mark == "-" else "added", "text": text})
            elif mark == " ":
                lines.append({"mark": "same", "text": text})
        changed.append(
            {
                "section": f"{section.label} {local(section.title)}",
                "element": local(element.label),
                "lines": lines,
                "added": sum(1 for line in lines if line["mark"] == "added"),
                "removed": sum(1 for line in lines if line["mark"] == "removed"),
            }
        )
    return changed


# --- the progress report's inventory ----------------------------------------------------------

# Targets met when the year's value is at most (emissions) or at least (rates, shares) the target.
_AT_MOST = {TargetKind.TOTAL, TargetKind.PER_CAPITA, TargetKind.INTENSITY_GDP}
_AT_LEAST = {
    TargetKind.DECLINE_RATE,
    TargetKind.PER_CAPITA_DECLINE_RATE,
    TargetKind.RENEWABLE_SHARE,
}


def _number(value: Decimal | None, places: int = 2) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal(1).scaleb(-places)))


def progress_figures(
    plan: Mapping[str, Any], activity: AccountingInput, year: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The year's activity data merged into the unit's baseline data (the year's records and
    drivers replace any the plan had), accounted under the plan's factor set: the stored data and
    the figures (total, decline against the base year like for like, indicators against the
    year's staged targets). Raises ``ValidationError`` (field ``workbook``) naming the problem."""
    baseline = copy.deepcopy(plan.get("accounting") or {})
    if not baseline:
        raise ValidationError(
            {"workbook": [_("The unit's plan has no baseline data to compare the year with.")]}
        )
    uploaded = as_json_numbers(accounting_input_to_data(activity))
    base_year = int(baseline["profile"]["base_year"])
    if year <= base_year:
        raise ValidationError(
            {
                "workbook": [
                    _("The report's year {year} is not after the base year {base}.").format(
                        year=year, base=base_year
                    )
                ]
            }
        )
    records = [r for r in uploaded.get("records") or [] if int(r.get("year", 0)) == year]
    if not records:
        found = sorted({int(r.get("year", 0)) for r in uploaded.get("records") or []})
        raise ValidationError(
            {
                "workbook": [
                    _(
                        "The workbook has no activity records of {year} (sheet of activity data, "
                        "column year): it has records of {found}. Fill in the year {year}."
                    ).format(year=year, found="、".join(map(str, found)) or "—")
                ]
            }
        )
    drivers = [
        d for d in (uploaded.get("profile") or {}).get("drivers") or [] if d.get("year") == year
    ]
    merged = baseline
    merged["records"] = [
        r for r in baseline.get("records") or [] if int(r.get("year", 0)) == base_year
    ] + records
    profile = merged["profile"]
    profile["drivers"] = [d for d in profile.get("drivers") or [] if d.get("year") == base_year]
    profile["drivers"] += drivers
    merged["years"] = [base_year, year]
    issues = check_accounting_data(merged)
    if issues:
        head = _(
            "The activity data of {year} cannot be accounted with the base year {base} "
            "({count} problems; the first are listed):"
        ).format(year=year, base=base_year, count=len(issues))
        raise ValidationError(
            {
                "workbook": [head]
                + [
                    f"{'.'.join(str(key) for key in issue.path)}: {issue.expected.render(_)}"
                    for issue in issues[:5]
                ]
            }
        )
    try:
        data = accounting_input_from_data(merged)
        result = computing.compute(data)
    except LowcarbonError as error:
        raise ValidationError(
            {
                "workbook": [
                    _("The year's data cannot be accounted: {problem}").format(
                        problem=error.message.render(_)
                    )
                ]
            }
        ) from error
    inventory = result.inventory(year)
    base = result.inventory(base_year)
    comparison = result.comparison
    indicators = next(i for i in result.indicators if i.year == year)
    values: dict[TargetKind, Decimal | None] = {
        TargetKind.TOTAL: inventory.gross_tco2,
        TargetKind.PER_CAPITA: indicators.per_capita.value,
        TargetKind.INTENSITY_GDP: indicators.per_gdp.value,
        TargetKind.RENEWABLE_SHARE: indicators.renewable_share.value,
        TargetKind.SOURCE_SINK_RATIO: indicators.source_sink_ratio.value,
        TargetKind.DECLINE_RATE: None if comparison is None else comparison.decline_rate.value,
        TargetKind.PER_CAPITA_DECLINE_RATE: None
        if comparison is None
        else comparison.per_capita_decline_rate.value,
    }
    targets = [t for t in data.targets if t.year >= year]
    staged_year = min((t.year for t in targets), default=None)
    rows = []
    for target in data.targets:
        if target.year != staged_year:
            continue
        value = values.get(target.kind)
        met = None
        if value is not None and target.kind in _AT_MOST:
            met = value <= target.value
        elif value is not None and target.kind in _AT_LEAST:
            met = value >= target.value
        rows.append(
            {
                "kind": target.kind.value,
                "label": _(TARGET[target.kind]),
                "target_year": target.year,
                "target": str(target.value),
                "value": _number(value, 3),
                "met": met,
            }
        )
    figures = {
        "year": year,
        "base_year": base_year,
        "total_tco2": _number(inventory.gross_tco2),
        "base_tco2": _number(base.gross_tco2),
        "base_like_for_like_tco2": None
        if comparison is None
        else _number(comparison.base_like_for_like_tco2),
        "decline_rate_pct": None if comparison is None else _number(comparison.decline_rate.value),
        "final": inventory.is_final,
        "targets": rows,
    }
    return merged, figures
