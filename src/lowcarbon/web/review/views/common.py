"""What the review pages share: refusals answered 404 and logged (so ids cannot be
probed), and a refused action's errors onto its form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from lowcarbon.web import permissions
from lowcarbon.web.review.models import Assignment

__all__ = [
    "add_errors",
    "admin_or_404",
    "assignment_or_404",
    "confirmed",
    "errors_of",
    "not_found",
]


def not_found(request: HttpRequest, what: str) -> Http404:
    permissions.log_denied(request, what)
    return Http404()


def confirmed(data: Any) -> bool:
    """Whether the box confirming an irreversible step (``confirm``) was ticked."""
    return str(data.get("confirm", "")).strip().lower() in {"on", "1", "yes", "true"}


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


def add_errors(form: Any, error: ValidationError) -> None:
    for field, problems in errors_of(error).items():
        form.add_error(field if field in form.fields else None, problems)


def admin_or_404(request: HttpRequest, what: str) -> None:
    if not permissions.can_manage_review(request.user):
        raise not_found(request, what)


def assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    assignment: Assignment | None = (
        permissions.visible_assignments(request.user).filter(pk=pk).first()
    )
    if assignment is None or not permissions.can_view_assignment(request.user, assignment):
        raise not_found(request, f"review assignment {pk}")
    return assignment
