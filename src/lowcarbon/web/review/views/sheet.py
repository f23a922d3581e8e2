"""The expert's score sheet as one form: saving the whole sheet in one POST, autosaving one
item from the page's script (JSON), and starting the unsaved items from the applicant's
self-assessment. Without the script the sheet works the same: its buttons post the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review import actions
from lowcarbon.web.review.sheet_fields import item_fields, sheet_items
from lowcarbon.web.review.snapshots import snapshot_rubric
from lowcarbon.web.review.views.common import errors_of
from lowcarbon.web.review.views.scoring import _own_assignment_or_404, _workspace

__all__ = ["autosave_item", "save_sheet", "start_from_self_assessment"]


def _anchor(item_id: str) -> str:
    return "#item-" + item_id.replace(".", "-")


@login_required
@require_POST
def save_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole sheet in one POST; a button of one item (``only``) saves that item even when
    left as shown (a checklist with nothing ticked is an answer too)."""
    assignment = _own_assignment_or_404(request, pk)
    raws = sheet_items(request.POST)
    only = str(request.POST.get("only", ""))
    try:
        saved = actions.do_save_review_sheet(
            assignment,
            raws,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
            force={only} if only in raws else (),
        )
    except ValidationError as error:
        errors = errors_of(error)
        for problem in errors.pop("__all__", []):
            messages.error(request, problem)
        if errors:
            messages.error(
                request,
                _("Nothing was saved: {count} items need attention.").format(count=len(errors)),
            )
        assignment.refresh_from_db()
        assignment.review.refresh_from_db()
        # What was typed stays on the page, every item of it.
        typed: dict[str, tuple[dict[str, Any], dict[str, list[str]]]] = {
            item_id: (raw, {}) for item_id, raw in raws.items()
        }
        return _workspace(request, assignment, typed=typed, item_errors=errors, status=400)
    if saved:
        messages.success(
            request,
            _("{count} items were saved: {items}.").format(
                count=len(saved), items="、".join(saved)
            ),
        )
    else:
        messages.info(request, _("Nothing had changed; nothing was saved."))
    return redirect(reverse("review:workspace", args=[pk]) + (_anchor(only) if only else ""))


@login_required
@require_POST
def autosave_item(request: HttpRequest, pk: int, item_id: str) -> JsonResponse:
    """One item of the sheet, posted by the page's script when it changes: the same action as
    saving it with its button, answered in JSON (the new version, or why nothing was saved)."""
    assignment = _own_assignment_or_404(request, pk)
    try:
        review = actions.do_save_review(
            assignment,
            item_id,
            item_fields(request.POST, item_id),
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        errors = errors_of(error)
        # Saved from another window first: the page must be reloaded (409), not corrected.
        stale = any(e.code == "stale" for e in getattr(error, "error_list", []))
        problems = [message for field in errors.values() for message in field]
        return JsonResponse(
            {
                "saved": False,
                "item": item_id,
                "message": _("Not saved"),
                "errors": errors,
                "problems": problems,
            },
            status=409 if stale else 400,
        )
    rubric = snapshot_rubric(assignment.submission)
    return JsonResponse(
        {
            "saved": True,
            "item": item_id,
            "message": _("Saved"),
            "version": review.version,
            "scored_text": _("{scored} of {count} items scored.").format(
                scored=sum(1 for item in rubric.items() if item.id in review.answers),
                count=len(rubric.items()),
            ),
        }
    )


@login_required
@require_POST
def start_from_self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the applicant's self-assessment into the items the expert has not saved yet."""
    assignment = _own_assignment_or_404(request, pk)
    try:
        copied = actions.do_start_from_self_assessment(
            assignment,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for problems in errors_of(error).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(
            request,
            _(
                "The applicant's self-assessment was copied into {count} unsaved items; your "
                "saved scores were left as they were. Check each item before submitting."
            ).format(count=len(copied)),
        )
    return redirect("review:workspace", pk=pk)
