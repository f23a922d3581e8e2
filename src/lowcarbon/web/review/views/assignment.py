"""The administrator's panels: forming them, assigning experts (with conflicts and their
override) and reopening an expert's submitted scores."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web.review import actions
from lowcarbon.web.review.forms import (
    AssignForm,
    PanelForm,
    ReasonForm,
)
from lowcarbon.web.review.models import (
    Assignment,
    ConflictDeclaration,
    Panel,
)
from lowcarbon.web.review.views.common import (
    add_errors,
    admin_or_404,
    errors_of,
)
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "panel_detail",
    "panels",
    "reopen",
]


@login_required
def panels(request: HttpRequest) -> HttpResponse:
    admin_or_404(request, "review panels")
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = actions.do_form_panel(
                round_=form.cleaned_data["round"],
                kind=form.cleaned_data["kind"],
                stage=form.cleaned_data["stage"],
                name=form.cleaned_data["name"],
                deadline=form.cleaned_data["deadline"],
                members=form.cleaned_data["members"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The panel {name} was formed.").format(name=panel.name))
            return redirect("review:panel", pk=panel.pk)
    context = {
        "panels": Panel.objects.select_related("round").prefetch_related("members"),
        "form": form,
        "rounds": Round.objects.all(),
        "kinds": Kind.choices,
    }
    return render(request, "review/panels.html", context)


@login_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    admin_or_404(request, f"review panel {pk}")
    panel = Panel.objects.select_related("round").filter(pk=pk).first()
    if panel is None:
        raise Http404
    form = AssignForm(panel, request.POST or None)
    conflicts: list[str] = []
    if request.method == "POST" and form.is_valid():
        application = form.cleaned_data["application"]
        expert = form.cleaned_data["expert"]
        reason = form.cleaned_data["override_reason"].strip()
        try:
            if reason:
                actions.do_override_conflict(
                    panel,
                    application,
                    expert,
                    reason=reason,
                    actor=request.user,  # type: ignore[arg-type]
                )
            else:
                actions.do_assign(
                    panel,
                    application,
                    expert,
                    actor=request.user,  # type: ignore[arg-type]
                )
        except ValidationError as error:
            errors = errors_of(error)
            conflicts = errors.pop("expert", []) if "expert" in errors else []
            for field, problems in errors.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("{expert} was assigned to {unit}.").format(
                    expert=expert.get_full_name() or expert.get_username(),
                    unit=application.unit.name,
                ),
            )
            return redirect("review:panel", pk=pk)
    assignments = panel.assignments.select_related("application__unit", "expert").order_by(
        "application__unit__name", "pk"
    )
    by_application: dict[int, dict[str, Any]] = {}
    for assignment in assignments:
        entry = by_application.setdefault(
            assignment.application_id,
            {
                "application": assignment.application,
                "assignments": [],
                "result_url": reverse("review:result", args=[panel.pk, assignment.application_id]),
            },
        )
        entry["assignments"].append(assignment)
    context = {
        "panel": panel,
        "members": panel.members.order_by("username"),
        "applications": list(by_application.values()),
        "form": form,
        "conflicts": conflicts,
        "overrides": ConflictDeclaration.objects.filter(
            application__in=[a.application_id for a in assignments]
        ).select_related("expert", "application__unit", "overridden_by"),
        "reopen_form": ReasonForm(),
    }
    return render(request, "review/panel.html", context)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    admin_or_404(request, f"reopen review assignment {pk}")
    assignment = Assignment.objects.select_related("panel").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    try:
        actions.do_reopen_review(
            assignment,
            reason=str(request.POST.get("reason", "")),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for problems in errors_of(error).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The scores were reopened for the expert."))
    return redirect("review:panel", pk=assignment.panel_id)
