"""The administrator's panels: forming them, assigning experts (with conflicts and their
override) and reopening an expert's submitted scores."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web.review import actions
from lowcarbon.web.review.actions import recommended_submission
from lowcarbon.web.review.conflicts import detect_conflicts
from lowcarbon.web.review.forms import (
    AssignForm,
    PanelForm,
    ReasonForm,
    expert_label,
)
from lowcarbon.web.review.models import (
    Assignment,
    ConflictDeclaration,
    ExpertProfile,
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


def _experts_table(panel: Panel, form: AssignForm) -> list[dict[str, Any]]:
    """The panel's experts by full name with their affiliations, and for every application that
    may be assigned the conflicts found (or that the expert is already assigned), before anyone
    is assigned."""
    application_field = form.fields["application"]
    assert isinstance(application_field, ModelChoiceField)
    candidates = []
    for application in application_field.queryset:  # type: ignore[union-attr]
        submission = recommended_submission(application, panel.stage)
        if submission is not None:
            candidates.append((application, submission))
    assigned = set(
        Assignment.objects.filter(panel=panel).values_list("application_id", "expert_id")
    )
    data = form.data
    chosen = set(data.getlist("experts")) if isinstance(data, QueryDict) else set()
    rows = []
    members = panel.members.select_related("organisation").order_by("first_name", "username")
    for member in members:
        profile = ExpertProfile.objects.filter(user=member).first()
        checks = []
        for application, submission in candidates:
            if (application.pk, member.pk) in assigned:
                checks.append({"unit": application.unit.name, "assigned": True, "conflicts": []})
                continue
            checks.append(
                {
                    "unit": application.unit.name,
                    "assigned": False,
                    "conflicts": detect_conflicts(member, application, submission),
                }
            )
        rows.append(
            {
                "expert": member,
                "label": expert_label(member),
                "organisation": (profile.organisation_name if profile else "")
                or (member.organisation.name if member.organisation else ""),
                "districts": [d.name for d in profile.districts.all()] if profile else [],
                "consultancies": list(profile.consultancies) if profile else [],
                "checks": checks,
                "conflicted": any(c["conflicts"] for c in checks),
                "chosen": str(member.pk) in chosen,
            }
        )
    return rows


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
        experts = list(form.cleaned_data["experts"])
        try:
            made = actions.do_assign_experts(
                panel,
                application,
                experts,
                override_reason=form.cleaned_data["override_reason"].strip(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            errors = errors_of(error)
            conflicts = errors.pop("experts", [])
            for field, problems in errors.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("{experts} were assigned to {unit}.").format(
                    experts="、".join(
                        a.expert.get_full_name() or a.expert.get_username() for a in made
                    ),
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
        "members": panel.members.order_by("first_name", "username"),
        "applications": list(by_application.values()),
        "form": form,
        "experts": _experts_table(panel, form),
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
