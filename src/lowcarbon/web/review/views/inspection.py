"""The site inspection pages: the checklist for the panel's visit (printable on A4 and usable on
a phone), recording a finding with photos per item, the photos themselves, removing a photo.

Only the panel's experts (an active assignment to the application) and the administrator see
any of it; everyone else gets a logged 404, the same answer whether the inspection exists or
not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment_views import item_heading
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review.actions import do_record_finding, do_remove_photo
from lowcarbon.web.review.inspection import (
    PHOTO_LIMIT,
    UploadedPhoto,
    criteria_texts,
    inspection_items,
    inspection_of,
    item_inspection,
    panel_submission,
    self_claim,
)
from lowcarbon.web.review.models import (
    ACTIVE_STATUSES,
    Assignment,
    FindingOutcome,
    InspectionPhoto,
    Panel,
)
from lowcarbon.web.review.snapshots import frozen_evidence, snapshot_rubric, unit_name
from lowcarbon.web.review.views.common import not_found

__all__ = ["checklist", "photo", "record", "remove_photo"]


def _scope_or_404(
    request: HttpRequest, panel_pk: int, application_pk: int
) -> tuple[Panel, Application, Submission]:
    panel = Panel.objects.select_related("round").filter(pk=panel_pk).first()
    application = (
        Application.objects.select_related("unit", "round").filter(pk=application_pk).first()
    )
    submission = panel_submission(panel, application) if panel is not None and application else None
    if (
        panel is None
        or application is None
        or submission is None
        or not permissions.can_inspect(request.user, panel, application)
    ):
        raise not_found(request, f"site inspection of application {application_pk}")
    return panel, application, submission


def _own_assignment(request: HttpRequest, panel: Panel, application: Application) -> Assignment:
    """The assignment whose evidence links the page uses: the expert's own, or for an
    administrator the first active one."""
    assignments = panel.assignments.filter(application=application, status__in=ACTIVE_STATUSES)
    own = assignments.filter(expert_id=request.user.pk).first()
    found = (
        own
        or assignments.order_by("pk").first()
        or panel.assignments.filter(application=application).first()
    )
    assert found is not None  # _scope_or_404 found a submission through one
    return found


def _page(
    request: HttpRequest,
    panel: Panel,
    application: Application,
    submission: Submission,
    *,
    typed: Mapping[str, Mapping[str, Any]] | None = None,
    errors: Mapping[str, Mapping[str, list[str]]] | None = None,
    status: int = 200,
) -> HttpResponse:
    typed = typed or {}
    errors = errors or {}
    rubric = snapshot_rubric(submission)
    inspection = inspection_of(panel, application)
    recorded = item_inspection(inspection, request.user)
    assignment = _own_assignment(request, panel, application)
    titles = {entry.code: entry.title for entry in frozen_evidence(submission)}
    can_record = permissions.can_record_inspection(request.user, panel, application)
    items = []
    for item in inspection_items(rubric):
        entry = recorded.get(item.id, {})
        finding = entry.get("finding")
        values = typed.get(item.id) or {
            "outcome": finding.outcome if finding else "",
            "text": finding.text if finding else "",
            "caption": "",
        }
        claim = self_claim(submission, item.id)
        items.append(
            {
                **item_heading(item, "check"),
                "criteria": criteria_texts(item),
                "claim": claim,
                "claim_evidence": [
                    {
                        "code": code,
                        "title": titles.get(code, ""),
                        "url": reverse("review:evidence", args=[assignment.pk, code]),
                    }
                    for code in claim["evidence"]
                    if code in titles
                ],
                "finding": finding,
                "photos": entry.get("photos", []),
                "values": values,
                "version": finding.version if finding else 0,
                # "__all__" cannot be read in a template: the item's general problems.
                "errors": {
                    ("general" if field == "__all__" else field): problems
                    for field, problems in errors.get(item.id, {}).items()
                },
            }
        )
    context = {
        "panel": panel,
        "application": application,
        "submission": submission,
        "unit": unit_name(submission),
        "rubric_title": local(rubric.title),
        "items": items,
        "outcomes": FindingOutcome.choices,
        "can_record": can_record,
        "workspace_url": reverse("review:workspace", args=[assignment.pk])
        if assignment.expert_id == request.user.pk or permissions.can_manage_review(request.user)
        else "",
        "limit_mb": f"{settings.LOWCARBON_UPLOAD_MAX_BYTES / 1024 / 1024:.0f}",
        "photo_limit": PHOTO_LIMIT,
        "experts": [
            a.expert.get_full_name() or a.expert.get_username()
            for a in panel.assignments.filter(
                application=application, status__in=ACTIVE_STATUSES
            ).select_related("expert")
        ],
    }
    return render(request, "review/inspection.html", context, status=status)


@login_required
def checklist(request: HttpRequest, panel_pk: int, application_pk: int) -> HttpResponse:
    """现场检查表: every item checked on site or by interview, with what to check."""
    panel, application, submission = _scope_or_404(request, panel_pk, application_pk)
    return _page(request, panel, application, submission)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


def _uploads(request: HttpRequest) -> list[UploadedPhoto]:
    """The chosen photos, read up to the limit (a larger one is read no further: its size is
    what Django counted)."""
    limit = int(settings.LOWCARBON_UPLOAD_MAX_BYTES)
    photos = []
    for upload in request.FILES.getlist("photos"):
        size = int(upload.size or 0)
        content = b"" if size > limit else upload.read()
        photos.append(UploadedPhoto(str(upload.name or ""), content, size))
    return photos


@login_required
@require_POST
def record(request: HttpRequest, panel_pk: int, application_pk: int, item_id: str) -> HttpResponse:
    panel, application, submission = _scope_or_404(request, panel_pk, application_pk)
    values = {
        "outcome": str(request.POST.get("outcome", "")),
        "text": str(request.POST.get("text", "")),
        "caption": str(request.POST.get("caption", "")),
    }
    version = posted_version(request.POST)
    photos = _uploads(request)
    try:
        do_record_finding(
            panel,
            application,
            item_id,
            outcome=values["outcome"],
            text=values["text"],
            photos=photos,
            caption=values["caption"],
            expected_version=version,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        problems = _errors(error)
        if photos and "photos" not in problems:
            problems.setdefault("photos", []).append(
                _("The photos were not stored either; choose them again.")
            )
        # Problems of no one field (a refusal, a stale form) go at the top of the page: the
        # item's form may not be on it (an item not checked on site, a published decision).
        general = problems.pop("__all__", [])
        messages.error(
            request,
            " ".join([_("Item {item}: nothing was saved.").format(item=item_id), *general]),
        )
        return _page(
            request,
            panel,
            application,
            submission,
            typed={item_id: values},
            errors={item_id: problems},
            status=400,
        )
    if photos:
        messages.success(
            request,
            _("Item {item}: the finding and {count} photo(s) were saved.").format(
                item=item_id, count=len(photos)
            ),
        )
    else:
        messages.success(request, _("Item {item}: the finding was saved.").format(item=item_id))
    target = reverse("review:inspection", args=[panel.pk, application.pk])
    return redirect(target + "#check-" + item_id.replace(".", "-"))


def _photo_or_404(request: HttpRequest, pk: int) -> InspectionPhoto:
    found = (
        InspectionPhoto.objects.select_related(
            "inspection", "inspection__panel", "inspection__application"
        )
        .filter(pk=pk, removed_at__isnull=True)
        .first()
    )
    if found is None or not permissions.can_inspect(
        request.user, found.inspection.panel, found.inspection.application
    ):
        raise not_found(request, f"inspection photo {pk}")
    return found


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = _photo_or_404(request, pk)
    response = FileResponse(
        found.file.open("rb"),
        content_type="image/png" if found.content_kind == "png" else "image/jpeg",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def remove_photo(request: HttpRequest, pk: int) -> HttpResponse:
    found = _photo_or_404(request, pk)
    inspection = found.inspection
    try:
        do_remove_photo(found, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problems in _errors(error).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The photo was removed."))
    target = reverse("review:inspection", args=[inspection.panel_id, inspection.application_id])
    return redirect(target + "#check-" + found.item_id.replace(".", "-"))
