"""The "文件生成" tab of the workspace (the implementation plan, the task list and the annual
work plan of a chosen year), the job status for the page's poll, the downloads, and
the administrator's Word templates.

Views parse input, ask :mod:`lowcarbon.web.permissions`, call the actions of
:mod:`lowcarbon.web.documents.actions` and render; they decide nothing themselves.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.documents.word import build_template
from lowcarbon.web import permissions
from lowcarbon.web.applications.evidence import EvidenceRejected, read_upload
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.views import visible_or_404
from lowcarbon.web.documents.actions import (
    DRAFT,
    current_draft_sha256,
    do_mark_interrupted,
    do_request_document,
    do_reset_template,
    do_upload_template,
    is_stale,
    work_plan_years,
)
from lowcarbon.web.documents.models import (
    YEAR_MAX,
    YEAR_MIN,
    DocumentKind,
    DocumentStatus,
    DocumentTemplate,
    GeneratedDocument,
)
from lowcarbon.web.documents.templates_in_use import active_template
from lowcarbon.web.rounds.editions import outline_editions
from lowcarbon.web.rounds.models import Kind, Stage

__all__ = [
    "document_list",
    "document_status",
    "download",
    "request_document",
    "template_default",
    "template_download",
    "template_reset",
    "templates",
]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = ("docx", "pdf", "xlsx")


# --- the workspace tab -----------------------------------------------------------------------


def _source_label(document: GeneratedDocument) -> str:
    if document.submission is None:
        return _("Draft")
    return _("Submission {number}").format(number=document.submission.number)


def _title(document: GeneratedDocument) -> str:
    """What the document is: its kind, and for a work plan its year."""
    if document.kind == DocumentKind.WORK_PLAN:
        return _("{year} annual work plan").format(year=document.year)
    return str(document.get_kind_display())


def _files(application: Application, document: GeneratedDocument) -> dict[str, str]:
    return {
        fmt: reverse("documents:download", args=[application.pk, document.pk, fmt])
        for fmt in FORMATS
        if getattr(document, fmt)
    }


def _draft_hash(application: Application, documents: list[GeneratedDocument]) -> str | None:
    """The draft's current snapshot hash, when a draft document needs it to say if it is stale;
    ``None`` when it cannot be computed (the page then marks nothing stale)."""
    if not any(d.submission_id is None and d.status == DocumentStatus.DONE for d in documents):
        return None
    try:
        return current_draft_sha256(application)
    except (LowcarbonError, ValidationError):
        return None


def _rows(application: Application, documents: list[GeneratedDocument]) -> list[dict[str, Any]]:
    current = _draft_hash(application, documents)
    return [
        {
            "document": document,
            "title": _title(document),
            "source": _source_label(document),
            "files": _files(application, document),
            "stale": is_stale(document, current),
            "template": document.template,
        }
        for document in documents
    ]


def _page(
    request: HttpRequest,
    application: Application,
    *,
    errors: list[str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    do_mark_interrupted(GeneratedDocument.objects.filter(application=application))
    documents = list(
        GeneratedDocument.objects.filter(application=application).select_related(
            "submission", "requested_by", "template"
        )
    )
    years, proposed = work_plan_years(application)
    submissions = [
        submission
        for submission in application.submissions.filter(stage=Stage.SELECTION).order_by("-number")
        if permissions.can_request_document(user, application, submission)
    ]
    context = {
        "application": application,
        "rows": _rows(application, documents),
        "active": any(d.is_active for d in documents),
        "can_request_draft": permissions.can_request_document(user, application, None),
        "submissions": submissions,
        "can_manage_templates": permissions.can_manage_document_templates(user),
        "template": active_template(application.kind, application.outline_edition),
        "errors": errors or [],
        "draft": DRAFT,
        "kinds": DocumentKind,
        # What was typed stays in the form when the request is refused.
        "year": (typed or {}).get("year", str(proposed)),
        "years": years,
        "year_min": YEAR_MIN,
        "year_max": YEAR_MAX,
    }
    return render(request, "documents/list.html", context, status=status)


@login_required
@require_GET
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    return _page(request, application)


@login_required
@require_POST
def request_document(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    source = request.POST.get("source", "")
    kind = request.POST.get("kind", DocumentKind.PLAN)
    year = request.POST.get("year")
    try:
        document = do_request_document(
            application,
            source=source,
            actor=request.user,  # type: ignore[arg-type]
            kind=kind,
            year=year,
        )
    except ValidationError as error:
        typed = {"year": year} if year is not None else None
        return _page(request, application, errors=error.messages, typed=typed, status=400)
    if document.status == DocumentStatus.QUEUED:
        messages.success(
            request,
            _("The document is being made in the background; this page shows its progress."),
        )
    return redirect("documents:list", pk=application.pk)


@login_required
@require_GET
def document_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The jobs' state for the page's poll (``documents.js``)."""
    application = visible_or_404(request, pk)
    # A job whose worker was stopped ends here too, so the page stops waiting for it.
    do_mark_interrupted(GeneratedDocument.objects.filter(application=application))
    documents = GeneratedDocument.objects.filter(application=application).select_related(
        "submission"
    )
    return JsonResponse(
        {
            "documents": [
                {
                    "id": document.pk,
                    "kind": document.kind,
                    "year": document.year,
                    "title": _title(document),
                    "status": document.status,
                    "status_label": document.get_status_display(),
                    "progress": document.progress,
                    "step": document.get_step_display(),
                    "active": document.is_active,
                    "files": _files(application, document),
                }
                for document in documents
            ],
        }
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int, document_id: int, fmt: str) -> FileResponse:
    application = visible_or_404(request, pk)
    document = (
        GeneratedDocument.objects.filter(application=application, pk=document_id)
        .select_related("submission")
        .first()
    )
    if document is None or fmt not in CONTENT_TYPES or not getattr(document, fmt):
        raise Http404
    stored = getattr(document, fmt)
    source = (
        _("draft")
        if document.submission is None
        else _("submission {number}").format(number=document.submission.number)
    )
    if document.kind == DocumentKind.WORK_PLAN:
        name = _("{unit} {year} annual work plan ({source}).{ext}").format(
            unit=application.unit.name, year=document.year, source=source, ext=fmt
        )
    elif document.kind == DocumentKind.TASK_LIST:
        name = _("{unit} task list ({source}).{ext}").format(
            unit=application.unit.name, source=source, ext=fmt
        )
    else:
        name = _("{unit} implementation plan ({source}).{ext}").format(
            unit=application.unit.name, source=source, ext=fmt
        )
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the administrator's templates -----------------------------------------------------------


def _edition_choices() -> list[tuple[str, str]]:
    return [
        (
            f"{kind}/{edition}",
            _("{kind}, outline edition {edition}").format(kind=label, edition=edition),
        )
        for kind, label in Kind.choices
        for edition in outline_editions(kind)
    ]


class EditionForm(forms.Form):
    outline = forms.ChoiceField(
        label=gettext_lazy("Plan outline edition"),
        error_messages={"required": gettext_lazy("Choose the plan outline edition.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outline"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _edition_choices()

    def kind_edition(self) -> tuple[str, str]:
        kind, _slash, edition = self.cleaned_data["outline"].partition("/")
        return kind, edition


class TemplateUploadForm(EditionForm):
    file = forms.FileField(
        label=gettext_lazy("Word template (.docx)"),
        error_messages={
            "required": gettext_lazy("Choose the Word file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _templates_page(
    request: HttpRequest, upload_form: TemplateUploadForm | None = None, status: int = 200
) -> HttpResponse:
    editions = []
    for value, label in _edition_choices():
        kind, _slash, edition = value.partition("/")
        editions.append(
            {
                "value": value,
                "label": label,
                "kind": kind,
                "edition": edition,
                "current": active_template(kind, edition),
                "history": DocumentTemplate.objects.filter(
                    kind=kind, edition=edition, retired_at__isnull=False
                ).select_related("uploaded_by", "retired_by")[:10],
            }
        )
    context = {"editions": editions, "upload_form": upload_form or TemplateUploadForm()}
    return render(request, "documents/templates.html", context, status=status)


def _admin_or_404(request: HttpRequest) -> None:
    if not permissions.can_manage_document_templates(request.user):
        permissions.log_denied(request, "manage document templates")
        raise Http404


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    if request.method != "POST":
        return _templates_page(request)
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        kind, edition = form.kind_edition()
        try:
            content = read_upload(upload.chunks(), _upload_limit())
            template = do_upload_template(
                kind=kind,
                edition=edition,
                content=content,
                name=upload.name,
                actor=request.user,  # type: ignore[arg-type]
            )
        except EvidenceRejected as rejected:
            form.add_error("file", rejected.message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The template “{name}” is now used for {edition}.").format(
                    name=template.original_name,
                    edition=dict(_edition_choices())[f"{kind}/{edition}"],
                ),
            )
            return redirect("documents:templates")
    return _templates_page(request, form, status=400)


def _upload_limit() -> int:
    return int(settings.LOWCARBON_UPLOAD_MAX_BYTES)


@login_required
@require_POST
def template_reset(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request)
    form = EditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for e in form.errors.get("outline", [])))
        return redirect("documents:templates")
    kind, edition = form.kind_edition()
    try:
        do_reset_template(kind=kind, edition=edition, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("The bundled default template is used again for {edition}.").format(
                edition=dict(_edition_choices())[f"{kind}/{edition}"]
            ),
        )
    return redirect("documents:templates")


@login_required
@require_GET
def template_download(request: HttpRequest, template_id: int) -> FileResponse:
    _admin_or_404(request)
    template = DocumentTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Http404
    response = FileResponse(
        template.file.open("rb"),
        as_attachment=True,
        filename=template.original_name,
        content_type=CONTENT_TYPES["docx"],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def template_default(request: HttpRequest, kind: str, edition: str) -> HttpResponse:
    """The bundled default template, to change in Word and upload."""
    _admin_or_404(request)
    if f"{kind}/{edition}" not in dict(_edition_choices()):
        raise Http404
    with tempfile.TemporaryDirectory(prefix="lowcarbon-template-") as folder:
        path = Path(folder) / "template.docx"
        build_template(path, _)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=CONTENT_TYPES["docx"])
    name = _("plan template {kind} {edition} {date}.docx").format(
        kind=kind, edition=edition, date=timezone.localdate().isoformat()
    )
    response["Content-Disposition"] = _content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_disposition(name: str) -> str:
    return str(content_disposition_header(as_attachment=True, filename=name))
