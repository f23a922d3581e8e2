"""The pages of a self-evaluation report: the unit writes and submits it, its district and the
bureau read it, the district pre-accepts a frozen one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.core.labels import TARGET
from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import Pool
from lowcarbon.rules.snapshot import TaskOutcome
from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment import form_values, lost_reasons
from lowcarbon.web.applications.assessment_views import (
    item_controls,
    item_heading,
    raw_fields,
)
from lowcarbon.web.applications.evidence import kind_name
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.applications.task_models import TaskStatus
from lowcarbon.web.applications.tasks import planned_reductions
from lowcarbon.web.archive.evidence import ArchiveEvidence, archive_evidence, file_download
from lowcarbon.web.archive.evidence import file_of_code as archive_file_of_code
from lowcarbon.web.creation.filings import unit_due
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation import actions
from lowcarbon.web.evaluation.models import PreAcceptance, Recommendation, SelfEvaluation
from lowcarbon.web.evaluation.report import (
    TEXT_FIELDS,
    latest_progress,
    report_ordinal,
    report_rubric,
    report_total,
    schedule_item,
    stages_of,
    task_outcomes,
    text_labels,
)
from lowcarbon.web.language import local
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review.views.common import errors_of
from lowcarbon.web.rounds.models import Stage

__all__ = ["frozen", "frozen_file", "pre_accept", "report", "save_item", "save_texts", "submit"]

# The form fields of an item's answer whose errors are shown in place.
FIELD_NAMES = ("reason", "comment", "evidence", "constraint_met", "not_applicable")


def _unit_and_stage(request: HttpRequest, pk: int, stage: str) -> CreationUnit:
    unit = visible_unit(request, pk, "self-evaluation report")
    if stage not in stages_of(unit):
        permissions.log_denied(request, f"self-evaluation report {pk} of stage {stage}")
        raise Http404
    return unit


def _evidence_view(found: list[ArchiveEvidence], url: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": e.entry.code,
            "title": e.entry.title,
            "name": e.entry.original_name,
            "kind": kind_name(e.entry.content_kind),
            "sha256": e.entry.sha256[:12],
            "items": list(e.entry.items),
            "url": url(e),
        }
        for e in found
    ]


def _item_views(
    unit: CreationUnit,
    evaluation: SelfEvaluation,
    evidence: list[dict[str, Any]],
    typed: Mapping[str, tuple[Mapping[str, Any], Mapping[str, list[str]]]],
) -> tuple[list[dict[str, Any]], Any]:
    rubric = report_rubric(unit)
    total = report_total(evaluation)
    sections = []
    for section in rubric.sections:
        items = []
        for item in section.items:
            answer = evaluation.answers.get(item.id)
            if item.id in typed:
                values, errors = typed[item.id]
            else:
                values, errors = form_values(item, answer), {}
            chosen = set(values.get("evidence") or ())
            result = total.result.item(item.id)
            unanswered = item.id in total.unanswered
            items.append(
                {
                    **item_heading(item),
                    "controls": item_controls(item, values, errors),
                    "values": values,
                    "field_errors": {name: list(errors.get(name, [])) for name in FIELD_NAMES},
                    "general_errors": list(errors.get("__all__", [])),
                    "points": format_points(result.points),
                    "maximum": format_points(result.maximum),
                    "lost": lost_reasons(result, unanswered),
                    "answered": not unanswered,
                    "evidence": [
                        {**e, "chosen": e["code"] in chosen, "related": item.id in e["items"]}
                        for e in evidence
                    ],
                }
            )
        sections.append(
            {
                "label": section.label,
                "title": local(section.title),
                "bonus": section.pool is Pool.BONUS,
                "items": items,
            }
        )
    return sections, total


def _progress_view(unit: CreationUnit) -> dict[str, Any] | None:
    progress = latest_progress(unit)
    if progress is None:
        return None
    figures = dict(progress.figures)
    return {
        "filing": progress.filing,
        "year": progress.year,
        "figures": figures,
        "targets": [
            {**row, "label": _(TARGET.get(row.get("kind", ""), row.get("kind", "")))}
            for row in figures.get("targets") or []
        ],
    }


def _outcome_rows(unit: CreationUnit, outcomes: Sequence[TaskOutcome]) -> list[dict[str, Any]]:
    """The tasks as the plan promised them (named and planned as the task list and the
    comparisons give them) beside ``outcomes``: the live tracking for a draft, the frozen
    outcomes for a submitted report."""
    tasks = {task.code: task for task in (frozen_snapshot(unit.submission).tasks or ())}
    planned = planned_reductions(unit.application)
    return [
        {
            "code": outcome.code,
            "name": tasks[outcome.code].name if outcome.code in tasks else outcome.code,
            "planned": planned.get(outcome.code),
            "status": TaskStatus(outcome.status).label
            if outcome.status in TaskStatus.values
            else outcome.status,
            "percent": outcome.percent_done,
            "achieved": outcome.achieved_reduction_tco2,
            "note": outcome.note,
        }
        for outcome in outcomes
    ]


def _report_page(
    request: HttpRequest,
    unit: CreationUnit,
    stage: str,
    *,
    typed: Mapping[str, tuple[Mapping[str, Any], Mapping[str, list[str]]]] | None = None,
    text_errors: Mapping[str, list[str]] | None = None,
    texts: Mapping[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    evaluation = actions.evaluation_of(unit, stage)
    found = archive_evidence(unit)
    evidence = _evidence_view(found, lambda e: reverse("archive:file", args=[e.file.pk]))
    sections, total = _item_views(unit, evaluation, evidence, typed or {})
    item = schedule_item(unit, stage)
    shown_texts = texts if texts is not None else evaluation.texts
    reports = list(
        Submission.objects.filter(application=unit.application, stage=stage)
        .select_related("submitted_by")
        .order_by("number")
    )
    for ordinal, frozen_report in enumerate(reports, start=1):
        frozen_report.ordinal = ordinal  # type: ignore[attr-defined]
    reports.reverse()
    can_write = permissions.can_write_self_evaluation(request.user, unit) and (
        evaluation.pk is None or evaluation.is_editable
    )
    context = {
        "unit": unit,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "evaluation": evaluation,
        "sections": sections,
        "total": total,
        "main_points": sum(
            (p.points for p in total.result.pools if p.pool is Pool.MAIN), Decimal(0)
        ),
        "scored": len(evaluation.answers),
        "item_count": len(report_rubric(unit).items()),
        "texts": [
            {
                "name": name,
                "label": label,
                "value": shown_texts.get(name, ""),
                "errors": (text_errors or {}).get(name, []),
            }
            for name, label in text_labels()
        ],
        "evidence": evidence,
        "progress": _progress_view(unit),
        "outcomes": _outcome_rows(unit, task_outcomes(unit)),
        "due_at": None if item is None else unit_due(unit, item),
        "schedule_item": item,
        "reports": reports,
        "can_write": can_write,
        "version": evaluation.version,
    }
    return render(request, "evaluation/report.html", context, status=status)


@require_safe
@login_required
def report(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    unit = _unit_and_stage(request, pk, stage)
    return _report_page(request, unit, stage)


def _writer(request: HttpRequest, pk: int, stage: str) -> CreationUnit:
    unit = _unit_and_stage(request, pk, stage)
    if not permissions.can_write_self_evaluation(request.user, unit):
        permissions.deny(request, f"write self-evaluation report {pk} {stage}")
    return unit


def _anchor(item_id: str) -> str:
    return "#item-" + item_id.replace(".", "-")


@login_required
@require_POST
def save_item(request: HttpRequest, pk: int, stage: str, item_id: str) -> HttpResponse:
    unit = _writer(request, pk, stage)
    raw = raw_fields(request.POST)
    try:
        actions.do_save_item(
            unit,
            stage,
            item_id,
            raw,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        return _report_page(
            request, unit, stage, typed={item_id: (raw, errors_of(error))}, status=400
        )
    messages.success(request, _("Item {item} was saved.").format(item=item_id))
    return redirect(reverse("evaluation:report", args=[pk, stage]) + _anchor(item_id))


@login_required
@require_POST
def save_texts(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    unit = _writer(request, pk, stage)
    texts = {name: str(request.POST.get(name, "")) for name in TEXT_FIELDS}
    try:
        actions.do_save_texts(
            unit,
            stage,
            texts,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        errors = errors_of(error)
        for problem in errors.pop("__all__", []):
            messages.error(request, problem)
        return _report_page(request, unit, stage, text_errors=errors, texts=texts, status=400)
    messages.success(request, _("The report's texts were saved."))
    return redirect(reverse("evaluation:report", args=[pk, stage]) + "#texts")


@login_required
@require_POST
def submit(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    unit = _writer(request, pk, stage)
    try:
        submission = actions.do_submit_report(
            unit,
            stage,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for problems in errors_of(error).values():
            for problem in problems:
                messages.error(request, problem)
        return _report_page(request, unit, stage, status=400)
    messages.success(
        request,
        _("The report was submitted to the district as submission {number}.").format(
            number=report_ordinal(submission)
        ),
    )
    return redirect("evaluation:frozen", pk=submission.pk)


# --- a frozen report ----------------------------------------------------------------------------


def _frozen_or_404(request: HttpRequest, pk: int) -> tuple[Submission, CreationUnit]:
    submission = (
        Submission.objects.exclude(stage=Stage.SELECTION)
        .select_related("application", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    unit = (
        permissions.visible_creation_units(request.user)
        .filter(application_id=submission.application_id)
        .first()
        if submission is not None
        else None
    )
    if submission is None or unit is None:
        permissions.log_denied(request, f"frozen self-evaluation report {pk}")
        raise Http404
    return submission, unit


def _frozen_items(
    submission: Submission, evidence: list[dict[str, Any]], findings: Mapping[str, Any]
) -> list[dict[str, Any]]:
    snapshot = frozen_snapshot(submission)
    unit_rubric = report_rubric(submission.application.creation_unit)
    answers = snapshot.answers
    scores = snapshot.score.items if snapshot.score is not None else {}
    by_code = {e["code"]: e for e in evidence}
    sections = []
    for section in unit_rubric.sections:
        items = []
        for item in section.items:
            answer = answers.get(item.id) or {}
            score = scores.get(item.id)
            items.append(
                {
                    "id": item.id,
                    "title": local(item.title),
                    "points": format_points(score.points) if score else "—",
                    "maximum": format_points(score.maximum) if score else "—",
                    "reason": answer.get("reason", ""),
                    "comment": answer.get("comment", ""),
                    "evidence": [by_code[c] for c in answer.get("evidence") or () if c in by_code],
                    "finding": findings.get(item.id),
                }
            )
        sections.append({"label": section.label, "title": local(section.title), "items": items})
    return sections


def _frozen_page(
    request: HttpRequest,
    submission: Submission,
    unit: CreationUnit,
    *,
    posted: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    snapshot = frozen_snapshot(submission)
    part = snapshot.evaluation
    evidence = [
        {
            "code": entry.code,
            "title": entry.title,
            "kind": kind_name(entry.content_kind),
            "sha256": entry.sha256,
            "url": reverse("evaluation:frozen_file", args=[submission.pk, entry.code]),
        }
        for entry in snapshot.evidence
    ]
    pre = PreAcceptance.objects.filter(submission=submission).select_related("decided_by").first()
    findings = pre.findings if pre is not None else {}
    latest = (
        Submission.objects.filter(application=submission.application, stage=submission.stage)
        .order_by("-number")
        .first()
    )
    can_decide = (
        permissions.can_pre_accept(request.user, unit)
        and pre is None
        and not submission.district_decision
        and submission.withdrawn_at is None
        and latest == submission
    )
    posted = posted or {}
    sections = _frozen_items(submission, evidence, findings)
    for section in sections:
        for item in section["items"]:
            item["posted_ok"] = posted.get(f"ok_{item['id']}", "yes")
            item["posted_note"] = posted.get(f"note_{item['id']}", "")
            item["errors"] = (errors or {}).get(f"note_{item['id']}", [])
    context = {
        "submission": submission,
        "unit": unit,
        "stage_label": Stage(submission.stage).label,
        "ordinal": report_ordinal(submission),
        "part": part,
        "texts": [
            (label, (part.texts.get(name) if part else "") or "") for name, label in text_labels()
        ],
        "score": snapshot.score,
        "sections": sections,
        "evidence": evidence,
        "records": part.records if part else (),
        "outcomes": _outcome_rows(unit, part.outcomes if part else ()),
        "pre": pre,
        "can_decide": can_decide,
        "recommendations": Recommendation.choices,
        "posted": posted,
        "errors": errors or {},
        "default_deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    return render(request, "evaluation/frozen.html", context, status=status)


@require_safe
@login_required
def frozen(request: HttpRequest, pk: int) -> HttpResponse:
    submission, unit = _frozen_or_404(request, pk)
    return _frozen_page(request, submission, unit)


@require_safe
@login_required
def frozen_file(request: HttpRequest, pk: int, code: str) -> FileResponse:
    """A file the report froze: exactly the bytes its hash was taken of."""
    submission, unit = _frozen_or_404(request, pk)
    entry = next((e for e in frozen_snapshot(submission).evidence if e.code == code), None)
    found = None if entry is None else archive_file_of_code(unit, code, entry.sha256)
    if found is None:
        raise Http404
    return file_download(found)


@login_required
@require_POST
def pre_accept(request: HttpRequest, pk: int) -> HttpResponse:
    submission, unit = _frozen_or_404(request, pk)
    if not permissions.can_pre_accept(request.user, unit):
        permissions.deny(request, f"pre-accept self-evaluation report {pk}")
    rubric = report_rubric(unit)
    findings = {
        item.id: actions.Finding(
            ok=request.POST.get(f"ok_{item.id}") != "no",
            note=str(request.POST.get(f"note_{item.id}", "")),
        )
        for item in rubric.items()
        if request.POST.get(f"ok_{item.id}") in {"yes", "no"}
    }
    deadline = None
    raw_deadline = str(request.POST.get("deadline", "")).strip()
    errors: dict[str, list[str]] = {}
    if raw_deadline:
        try:
            deadline = date.fromisoformat(raw_deadline)
        except ValueError:
            errors["deadline"] = [
                _("“{found}” is not a date; expected a date such as 2026-05-31.").format(
                    found=raw_deadline[:40]
                )
            ]
    if not errors:
        try:
            actions.do_pre_accept(
                submission,
                findings=findings,
                recommendation=str(request.POST.get("recommendation", "")),
                comment=str(request.POST.get("comment", "")),
                deadline=deadline,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            errors = errors_of(error)
    if errors:
        for field in ("__all__", "findings", "recommendation", "comment", "deadline", "items"):
            for problem in errors.pop(field, []):
                messages.error(request, problem)
        return _frozen_page(
            request, submission, unit, posted=request.POST, errors=errors, status=400
        )
    messages.success(request, _("The pre-acceptance was recorded."))
    return redirect("evaluation:frozen", pk=pk)
