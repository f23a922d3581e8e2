"""Downloads of the self-evaluation report (自评价报告) as Word and PDF: a frozen report (a
submission of the stage) exactly as it was frozen, and the unit's current draft as it stands.

The unit's own people, its district and the bureau download both; an expert assigned to a
frozen report downloads that report. Every other request is logged and answered 404, whether or
not the report exists, so ids cannot be probed. A PDF that cannot be made is explained on a
page of its own, with the Word file offered instead.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lowcarbon.documents.evaluation_report import (
    EvaluationReport,
    write_evaluation_report,
    write_evaluation_report_pdf,
)
from lowcarbon.documents.pdf import PdfConversionError
from lowcarbon.web import permissions
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation.report import stages_of
from lowcarbon.web.evaluation.report_document import document_stem, evaluation_report_input
from lowcarbon.web.review.models import Assignment
from lowcarbon.web.rounds.models import Stage

__all__ = ["FORMATS", "draft_document", "frozen_document"]

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_REPORT_STAGES = (Stage.MIDTERM.value, Stage.FINAL.value)


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    name = quote(f"{stem}.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _unavailable(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """The report cannot be read from the unit's data (the indicator system it was selected
    under has changed since): said in Chinese, never a server error."""
    return render(
        request,
        "evaluation/document_unavailable.html",
        {"heading": _("The report cannot be made"), "reason": "；".join(error.messages)},
        status=409,
    )


def _render(
    request: HttpRequest,
    report: EvaluationReport,
    fmt: str,
    stem: str,
    word_url: str,
) -> HttpResponse:
    """The report written in a temporary folder and sent; a PDF that cannot be made is
    explained (the converter's reason in Chinese) with a link to the Word file."""
    translate: Callable[[str], str] = _
    with tempfile.TemporaryDirectory(prefix="lowcarbon-evaluation-") as folder:
        out = Path(folder)
        if fmt == "docx":
            docx = out / "report.docx"
            write_evaluation_report(report, docx, translate)
            return _download(docx.read_bytes(), fmt, stem)
        try:
            _docx, pdf = write_evaluation_report_pdf(report, out, "report", translate)
        except PdfConversionError as error:
            return render(
                request,
                "evaluation/document_unavailable.html",
                {
                    "heading": _("No PDF could be made"),
                    "title": stem,
                    "reason": error.message.render(_),
                    "word_url": word_url,
                },
                status=503,
            )
        return _download(pdf.read_bytes(), fmt, stem)


@login_required
@require_safe
def draft_document(request: HttpRequest, pk: int, stage: str, fmt: str) -> HttpResponse:
    """The unit's self-evaluation report of ``stage`` as it stands (not yet submitted, or
    being rectified): what the unit has saved so far."""
    unit = visible_unit(request, pk, "self-evaluation report document")
    if not permissions.can_view_self_evaluation(request.user, unit):
        permissions.log_denied(request, f"self-evaluation report document of unit {pk}")
        raise Http404
    if stage not in stages_of(unit) or fmt not in FORMATS:
        raise Http404
    try:
        report = evaluation_report_input(unit, stage)
    except ValidationError as error:
        return _unavailable(request, error)
    word_url = reverse("evaluation_documents:draft", args=[unit.pk, stage, "docx"])
    return _render(request, report, fmt, document_stem(report.unit_name, stage), word_url)


def _may_read_frozen(request: HttpRequest, submission: Submission, unit: CreationUnit) -> bool:
    user = request.user
    if permissions.visible_creation_units(user).filter(
        pk=unit.pk
    ).exists() and permissions.can_view_self_evaluation(user, unit):
        return True
    assignments = Assignment.objects.filter(submission=submission).select_related("panel")
    return any(permissions.can_view_assignment(user, found) for found in assignments)


@login_required
@require_safe
def frozen_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A submitted self-evaluation report exactly as it was frozen."""
    submission = (
        Submission.objects.select_related("application").filter(pk=pk, stage__in=_REPORT_STAGES)
    ).first()
    unit = (
        None
        if submission is None
        else CreationUnit.objects.select_related(
            "application", "application__unit", "application__round", "submission"
        )
        .filter(application=submission.application)
        .first()
    )
    if submission is None or unit is None or not _may_read_frozen(request, submission, unit):
        permissions.log_denied(request, f"frozen self-evaluation report document {pk}")
        raise Http404
    if fmt not in FORMATS:
        raise Http404
    try:
        report = evaluation_report_input(unit, submission.stage, submission=submission)
    except ValidationError as error:
        return _unavailable(request, error)
    word_url = reverse("evaluation_documents:frozen", args=[submission.pk, "docx"])
    stem = document_stem(report.unit_name, submission.stage)
    return _render(request, report, fmt, stem, word_url)
