"""Shared pages: sign-in, the forgotten-password pages and the role-aware home page (我的工作台)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from lowcarbon.web import permissions
from lowcarbon.web.accounts import sign_in
from lowcarbon.web.accounts.models import Role
from lowcarbon.web.accounts.recovery import account_context, account_help, mail_configured
from lowcarbon.web.applications.models import Application, ApplicationStatus
from lowcarbon.web.applications.submission import district_submissions
from lowcarbon.web.creation.duties import rectification_todos_for, todos_for
from lowcarbon.web.creation.filings import filing_todos_for
from lowcarbon.web.creation.lifecycle import application_lifecycle
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.review.models import AssignmentStatus
from lowcarbon.web.review.todos import Todo, review_todos

__all__ = ["PasswordResetDoneView", "PasswordResetView", "SignInView", "home"]


class SignInView(LoginView):
    """Sign-in; django-axes' backend counts the failures and refuses during a lockout
    (``accounts.sign_in``)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs) | {"limits": sign_in.limits()}
        return context | account_context() | {"demo_units": _demo_units()}


def _demo_units() -> list[dict[str, str]]:
    """Under the demo settings, what each demo application shows (the first page says so)."""
    if not getattr(settings, "LOWCARBON_DEMO", False):
        return []
    from lowcarbon.web.management.commands.load_demo import unit_parts  # demo only

    return unit_parts()


class _MailRequired:
    """Without mail, the password reset pages say whom to ask instead (GET and POST alike)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not mail_configured():
            return render(request, "registration/reset_unavailable.html", account_context())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


# Template names of their own: the admin app's registration/password_reset_*.html come first.
class PasswordResetView(_MailRequired, auth_views.PasswordResetView):
    template_name = "registration/reset_by_mail.html"
    extra_context = {"account_help": account_help}  # called when the page is made


class PasswordResetDoneView(_MailRequired, auth_views.PasswordResetDoneView):
    template_name = "registration/reset_mail_sent.html"
    extra_context = {"account_help": account_help}  # called when the page is made


# What the applicant does next, by status (工作方案: 申报 → 各区推荐 → 综合评估).
NEXT_STEP: dict[str, Any] = {
    ApplicationStatus.DRAFT: _("Complete it and submit it before the deadline"),
    ApplicationStatus.SUBMITTED: _("Awaiting the district's recommendation"),
    ApplicationStatus.RETURNED: _("Returned by the district: revise it and submit it again"),
    ApplicationStatus.RECOMMENDED: _("Recommended by the district: awaiting the municipal review"),
}


def _my_application(request: HttpRequest, application: Application) -> dict[str, Any]:
    """An applicant's application on the workbench: its status through the whole lifecycle and
    what comes next, the published decision included (入选 / 未入选), never "awaiting" after it."""
    stage = application_lifecycle(application)
    entry: dict[str, Any] = {
        "application": application,
        "decided": stage not in (LifecycleStatus.APPLYING, LifecycleStatus.RECOMMENDED),
        "next_step": NEXT_STEP.get(application.status, ""),
        "next_url": reverse("applications:submission", args=[application.pk]),
    }
    if stage is LifecycleStatus.NOT_SELECTED:
        entry["next_step"] = _("Not selected: the published decision lists the units selected")
        entry["next_url"] = reverse("review:public", args=[application.round_id])
    elif entry["decided"]:
        unit = CreationUnit.objects.filter(application_id=application.pk).first()
        entry["next_step"] = _("Selected: in the creation stage ({stage}); see what is due").format(
            stage=stage.label
        )
        entry["next_url"] = (
            reverse("creation:unit", args=[unit.pk])
            if unit is not None and permissions.can_view_creation_unit(request.user, unit)
            else reverse("review:public", args=[application.round_id])
        )
    return entry


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if permissions.is_resident(request.user):  # a resident's platform is their own ledger
        return redirect("households:index")
    context = {
        "rounds": permissions.visible_rounds(request.user),
        "can_manage_rounds": permissions.can_manage_rounds(request.user),
    }
    # The work queue: the applicant's own applications and what each needs next; the district
    # officer's submissions awaiting a recommendation.
    if permissions.has_role(request.user, Role.APPLICANT):
        context["my_applications"] = [
            _my_application(request, application)
            for application in permissions.visible_applications(request.user)
        ]
    if permissions.can_view_district_queue(request.user):
        context["district_pending"] = (
            district_submissions(request.user)
            .filter(
                withdrawn_at__isnull=True,
                district_decision="",
                application__status=ApplicationStatus.SUBMITTED,
            )
            .count()
        )
    # Experts: their review assignments (综合评估); the bureau: panels, ranking and decisions.
    if permissions.is_expert(request.user):
        assignments = permissions.visible_assignments(request.user)
        context["review_open"] = assignments.filter(
            status__in=[
                AssignmentStatus.ASSIGNED,
                AssignmentStatus.SCORING,
                AssignmentStatus.REOPENED,
            ]
        ).count()
    context["can_manage_review"] = permissions.can_manage_review(request.user)
    if context["can_manage_review"]:
        context["bureau_todos"] = _bureau_todos(request)
    return render(request, "home.html", context)


def _bureau_todos(request: HttpRequest) -> list[Todo]:
    """我的待办 of the bureau: the assessment's (panels to form, applications to assign,
    aggregates to decide, discussions open) and the creation stage's (overdue items, answered
    rectification orders, filings to review), each with how many and where it is done."""
    now = timezone.now()
    todos = review_todos()
    for label, count in (
        (_("Overdue items of creation units"), len(todos_for(request.user, now))),
        (
            _("Answered rectification orders to close or return"),
            len(rectification_todos_for(request.user, now)),
        ),
        (_("Filed reports waiting for your review"), len(filing_todos_for(request.user, now))),
    ):
        if count:
            todos.append(Todo(str(label), count, reverse("creation:todos")))
    return todos
