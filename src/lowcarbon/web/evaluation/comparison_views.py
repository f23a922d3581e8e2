"""The comparison pages of a mid-term evaluation or a final acceptance (issue 16 §5).

* a unit's application score against its acceptance score, item by item, for one stage;
* a unit's planned against achieved reductions, task by task;
* the batch side by side (a round, kind and stage) and its XLSX export, for the bureau and the
  district officers (their district's units).

A unit's pages are seen where the unit is (:func:`creation.lookup.visible_unit`, the same logged
404 otherwise); the batch pages refuse everyone else with a logged 404. Every figure comes from
:mod:`.comparison`; nothing is written.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lowcarbon.core.acceptance import AcceptanceOutcome, Presence, TaskRow
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import Pool
from lowcarbon.web import permissions
from lowcarbon.web.applications.computing import rubric_of
from lowcarbon.web.applications.task_models import TaskStatus
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation.comparison import (
    BatchLine,
    batch_rows,
    plan_of,
    score_comparison,
)
from lowcarbon.web.evaluation.report import stages_of, stages_of_kind
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = ["batch", "batch_export", "batches", "scores", "tasks"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def points(value: Decimal | None) -> str:
    """Points as people write them, to two decimals at most; — for none."""
    if value is None:
        return "—"
    return format_points(value.quantize(CENT, rounding=ROUND_HALF_UP))


def signed(value: Decimal | None) -> str:
    """A change with its sign: +2, -1.5, 0."""
    if value is None:
        return "—"
    text = points(value)
    return f"+{text}" if value.quantize(CENT, rounding=ROUND_HALF_UP) > 0 else text


def tonnes(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f} %"


def _source_label(by_experts: bool) -> str:
    return _("expert score") if by_experts else _("self-score")


def _presence_label(presence: Presence) -> str:
    if presence is Presence.APPLICATION_ONLY:
        return _("only in the application's edition")
    if presence is Presence.ACCEPTANCE_ONLY:
        return _("only in the acceptance's edition")
    return ""


def _rubric_label(ref: str) -> str:
    """An indicator system by its title and edition (附件4 … 2021版), not its id."""
    scheme, _slash, edition = ref.partition("/")
    try:
        title = rubric_of(scheme, edition).title.zh
    except (LowcarbonError, OSError, ValueError):
        title = _("indicator system")
    return _("{title} ({edition} edition)").format(title=title, edition=edition)


def _unit(request: HttpRequest, pk: int, what: str) -> CreationUnit:
    unit = visible_unit(request, pk, what)
    if not permissions.can_view_unit_comparisons(request.user, unit):  # pragma: no cover
        permissions.log_denied(request, f"view {what} {pk}")
        raise Http404
    return unit


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


@require_safe
@login_required
def scores(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    unit = _unit(request, pk, "score comparison")
    if stage not in stages_of(unit):
        raise Http404
    context: dict[str, Any] = {
        "unit": unit,
        "application": unit.application,
        "stage": stage,
        "stage_label": _stage_label(stage),
        "problem": "",
    }
    try:
        found = score_comparison(unit, stage)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "evaluation/compare_scores.html", context)
    except LowcarbonError as error:
        context["problem"] = error.message.render(_)
        return render(request, "evaluation/compare_scores.html", context)
    context["application_source"] = _source_label(found.application.by_experts)
    context["application_panel"] = found.application.panel
    if found.acceptance is not None:
        context["acceptance_source"] = _source_label(found.acceptance.by_experts)
        context["acceptance_panel"] = found.acceptance.panel
        context["report"] = found.acceptance.submission
    comparison = found.comparison
    if comparison is not None:
        context["sections"] = [
            {
                "label": section.label,
                "title": section.title.zh,
                "bonus": section.pool is Pool.BONUS,
                "application": points(section.application),
                "application_maximum": points(section.application_maximum),
                "acceptance": points(section.acceptance),
                "acceptance_maximum": points(section.acceptance_maximum),
                "change": signed(section.change),
                "falls": section.change is not None and section.change < 0,
                "presence": _presence_label(section.presence),
                "items": [
                    {
                        "id": item.id,
                        "title": item.title.zh,
                        "application": points(item.application),
                        "application_maximum": points(item.application_maximum),
                        "acceptance": points(item.acceptance),
                        "acceptance_maximum": points(item.acceptance_maximum),
                        "change": signed(item.change),
                        "falls": item.change is not None and item.change < 0,
                        "presence": _presence_label(item.presence),
                    }
                    for item in section.items
                ],
            }
            for section in comparison.sections
        ]
        context["totals"] = {
            "application_main": points(comparison.application_main),
            "acceptance_main": points(comparison.acceptance_main),
            "main_change": signed(comparison.main_change),
            "application_bonus": points(comparison.application_bonus),
            "acceptance_bonus": points(comparison.acceptance_bonus),
            "bonus_change": signed(comparison.bonus_change),
            "application_rubric": _rubric_label(comparison.application_ref),
            "acceptance_rubric": _rubric_label(comparison.acceptance_ref),
            "same_edition": comparison.same_edition,
        }
        # The first note names the two editions by id; the page names them by title above.
        context["notes"] = [
            note.render(_)
            for note in comparison.notes
            if "application" not in note.params or "acceptance" not in note.params
        ]
    return render(request, "evaluation/compare_scores.html", context)


def _status_label(status: str) -> str:
    return str(TaskStatus(status).label) if status in TaskStatus.values else status


def _task_row(row: TaskRow) -> dict[str, Any]:
    task = row.task
    return {
        "code": task.code,
        "name": task.name,
        "planned": tonnes(task.planned_tco2),
        "achieved": tonnes(task.achieved_tco2),
        "status": _status_label(task.status),
        "percent": "—" if task.percent is None else f"{task.percent} %",
        "achieved_percent": percent(row.achieved_percent),
        "shortfall": tonnes(row.shortfall_tco2),
        "notes": [note.render(_) for note in row.notes],
    }


@require_safe
@login_required
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, "task comparison")
    context: dict[str, Any] = {"unit": unit, "application": unit.application}
    try:
        view = plan_of(unit)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "evaluation/compare_tasks.html", context)
    except LowcarbonError as error:
        context["problem"] = error.message.render(_)
        return render(request, "evaluation/compare_tasks.html", context)
    context["problem"] = view.problem
    context["report"] = view.report
    context["stages"] = [(stage, _stage_label(stage)) for stage in stages_of(unit)]
    plan = view.plan
    if plan is not None:
        context["rows"] = [_task_row(row) for row in plan.rows if not row.cancelled]
        context["cancelled_rows"] = [_task_row(row) for row in plan.rows if row.cancelled]
        context["totals"] = {
            "tasks": plan.totals.tasks,
            "planned": tonnes(plan.totals.planned_tco2),
            "achieved": tonnes(plan.totals.achieved_tco2),
            "shortfall": tonnes(plan.totals.shortfall_tco2),
            "achieved_percent": percent(plan.totals.achieved_percent),
            "flagged": len(plan.flagged),
        }
        context["cancelled"] = {
            "tasks": plan.cancelled.tasks,
            "planned": tonnes(plan.cancelled.planned_tco2),
            "achieved": tonnes(plan.cancelled.achieved_tco2),
        }
    return render(request, "evaluation/compare_tasks.html", context)


# -- the batch ----------------------------------------------------------------------------------


def _batch_allowed(request: HttpRequest) -> None:
    if not permissions.can_view_batch_comparison(request.user):
        permissions.log_denied(request, "view the batch comparison")
        raise Http404


def _outcome_label(outcome: AcceptanceOutcome | None) -> str:
    labels = {
        AcceptanceOutcome.PASSED: _("passed"),
        AcceptanceOutcome.REINSPECT: _("re-inspection after rectification"),
        AcceptanceOutcome.FAILED: _("not passed"),
    }
    return labels[outcome] if outcome is not None else _("pending")


@require_safe
@login_required
def batches(request: HttpRequest) -> HttpResponse:
    _batch_allowed(request)
    units = permissions.visible_creation_units(request.user)
    found = (
        units.values_list("application__round_id", "application__round__year", "application__kind")
        .distinct()
        .order_by("-application__round__year", "application__kind")
    )
    counts: dict[tuple[int, str], int] = {}
    for round_id, _year, kind in units.values_list(
        "application__round_id", "application__round__year", "application__kind"
    ):
        counts[(round_id, kind)] = counts.get((round_id, kind), 0) + 1
    listed = [
        {
            "round_id": round_id,
            "year": year,
            "kind_label": Kind(kind).label,
            "kind": kind,
            "units": counts[(round_id, kind)],
            "stages": [(stage, _stage_label(stage)) for stage in stages_of_kind(kind)],
        }
        for round_id, year, kind in found
    ]
    return render(request, "evaluation/compare_batches.html", {"batches": listed})


def _batch(
    request: HttpRequest, round_pk: int, kind: str, stage: str
) -> tuple[Round, list[BatchLine]]:
    _batch_allowed(request)
    if kind not in Kind.values or stage not in stages_of_kind(kind):
        raise Http404
    round_ = get_object_or_404(Round, pk=round_pk)
    units = permissions.visible_creation_units(request.user).filter(
        application__round=round_, application__kind=kind
    )
    return round_, batch_rows(units, stage)


def _line(line: BatchLine) -> dict[str, Any]:
    row = line.row
    return {
        "unit": line.unit,
        "name": row.unit,
        "district": line.unit.application.unit.district or "—",
        "application": points(row.application_main),
        "application_source": _source_label(line.application_source == "experts")
        if line.application_source
        else "",
        "acceptance": points(row.acceptance_main),
        "change": signed(row.change),
        "falls": row.change is not None and row.change < 0,
        "outcome": _outcome_label(row.outcome),
        "named": bool(line.decision is not None and line.decision.published_at),
        "planned": tonnes(row.planned_tco2),
        "achieved": tonnes(row.achieved_tco2),
        "shortfall": tonnes(row.shortfall_tco2),
        "flagged": row.flagged_tasks,
        "problem": line.problem,
    }


@require_safe
@login_required
def batch(request: HttpRequest, round_pk: int, kind: str, stage: str) -> HttpResponse:
    round_, lines = _batch(request, round_pk, kind, stage)
    context = {
        "round": round_,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "stage": stage,
        "stage_label": _stage_label(stage),
        "rows": [_line(line) for line in lines],
    }
    return render(request, "evaluation/compare_batch.html", context)


def _headers() -> list[tuple[str, int]]:
    return [
        (_("Creation unit"), 28),
        (_("District"), 12),
        (_("Application score"), 14),
        (_("Acceptance score"), 14),
        (_("Change in points"), 12),
        (_("Outcome"), 16),
        (_("Planned reduction (tCO2e a year)"), 18),
        (_("Achieved reduction (tCO2e a year)"), 18),
        (_("Shortfall (tCO2e a year)"), 16),
        (_("Flagged tasks"), 12),
    ]


def batch_workbook(round_: Round, kind: str, stage: str, lines: list[BatchLine]) -> bytes:
    """The batch as an XLSX workbook: Chinese headers, scores and tonnes as numbers (an empty
    cell where a figure is not there yet), every text written so that it cannot become a
    formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from lowcarbon.rules.xlsx_safety import put

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Batch comparison")
    put(
        sheet,
        1,
        1,
        _("{year} batch · {kind} · {stage}: application against acceptance").format(
            year=round_.year, kind=Kind(kind).label, stage=_stage_label(stage)
        ),
    ).font = Font(bold=True)
    for column, (title, width) in enumerate(_headers(), start=1):
        put(sheet, 2, column, title).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, line in enumerate(lines, start=3):
        row = line.row
        district = line.unit.application.unit.district
        cells: list[tuple[Any, str | None]] = [
            (row.unit, None),
            (str(district) if district else "", None),
            (row.application_main, "0.00"),
            (row.acceptance_main, "0.00"),
            (row.change, "+0.00;-0.00;0"),
            (_outcome_label(row.outcome), None),
            (row.planned_tco2, "0.00"),
            (row.achieved_tco2, "0.00"),
            (row.shortfall_tco2, "0.00"),
            (row.flagged_tasks, "0"),
        ]
        for column, (value, number_format) in enumerate(cells, start=1):
            cell = put(sheet, index, column, value)
            if number_format is not None and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@require_safe
@login_required
def batch_export(request: HttpRequest, round_pk: int, kind: str, stage: str) -> HttpResponse:
    round_, lines = _batch(request, round_pk, kind, stage)
    content = batch_workbook(round_, kind, stage, lines)
    name = _("comparison-{year}-{kind}-{stage}.xlsx").format(
        year=round_.year, kind=kind, stage=stage
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
