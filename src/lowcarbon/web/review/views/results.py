"""The panel's scores of an application with its discussion, and the applicant's decision
with the aggregate as the round's setting allows (experts never named to the applicant)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import Pool
from lowcarbon.web import permissions
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.review import actions
from lowcarbon.web.review.aggregate import ApplicationResult, application_result
from lowcarbon.web.review.forms import PostForm
from lowcarbon.web.review.models import (
    ACTIVE_STATUSES,
    ApplicantVisibility,
    Assignment,
    AssignmentStatus,
    Decision,
    Discussion,
    Panel,
    round_settings,
)
from lowcarbon.web.review.views.common import (
    add_errors,
    not_found,
)
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "my_decision",
    "panel_result",
]


def _result_view(result: ApplicationResult, *, names: bool) -> dict[str, Any]:
    """Per item and per expert: the experts are named for the panel and administrators only."""
    aggregate = result.aggregate
    experts = [
        (a.expert.get_full_name() or a.expert.get_username())
        if names
        else _("Expert {number}").format(number=index + 1)
        for index, a in enumerate(result.assignments)
    ]
    if aggregate is None:
        return {"experts": experts, "sections": [], "pools": []}
    flagged = {flag.target for flag in result.flags}
    comments: dict[str, list[str]] = {}
    for assignment in result.assignments:
        for item_id, answer in assignment.review.answers.items():
            text = str((answer or {}).get("comment") or "").strip()
            if text:
                comments.setdefault(item_id, []).append(text)
    sections = []
    for section in aggregate.sections:
        sections.append(
            {
                "label": section.section.label,
                "title": local(section.section.title),
                "points": format_points(section.scores.points),
                "maximum": format_points(section.maximum),
                "items": [
                    {
                        "id": item.item.id,
                        "title": local(item.item.title),
                        "maximum": format_points(item.maximum),
                        "individual": [format_points(v) for v in item.scores.individual],
                        "points": format_points(item.scores.points),
                        "explanation": item.scores.explanation.render(_),
                        "flagged": item.item.id in flagged,
                        "comments": comments.get(item.item.id, []),
                    }
                    for item in section.items
                ],
            }
        )
    pools = [
        {
            "label": _("Main points") if pool.pool is Pool.MAIN else _("Bonus pool"),
            "individual": [format_points(v) for v in pool.scores.individual],
            "points": format_points(pool.scores.points),
            "maximum": format_points(pool.maximum),
            "explanation": pool.scores.explanation.render(_),
        }
        for pool in aggregate.pools
    ]
    return {
        "experts": experts,
        "sections": sections,
        "pools": pools,
        "flags": [flag.message.render(_) for flag in result.flags],
        "method": result.settings.get_method_display(),
    }


@login_required
def panel_result(request: HttpRequest, panel_pk: int, application_pk: int) -> HttpResponse:
    panel = Panel.objects.select_related("round").filter(pk=panel_pk).first()
    application = (
        Application.objects.select_related("unit", "round").filter(pk=application_pk).first()
    )
    if (
        panel is None
        or application is None
        or not panel.assignments.filter(application=application).exists()
        or not permissions.can_view_panel_scores(request.user, panel, application)
    ):
        raise not_found(request, f"panel {panel_pk} scores of application {application_pk}")
    discussion = Discussion.objects.filter(panel=panel, application=application).first()
    form = PostForm(request.POST or None)
    if request.method == "POST" and discussion is not None and form.is_valid():
        try:
            actions.do_post_discussion(
                discussion,
                text=form.cleaned_data["text"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your contribution was posted."))
            return redirect(request.path + "#discussion")
    result = application_result(panel, application)
    own = panel.assignments.filter(application=application, expert_id=request.user.pk).first()
    context = {
        "panel": panel,
        "application": application,
        "result": result,
        "view": _result_view(result, names=True),
        "discussion": discussion,
        "posts": discussion.posts.select_related("author") if discussion else [],
        "form": form,
        "own": own,
        "can_revise": own is not None and permissions.can_revise_review(request.user, own),
        "is_admin": permissions.can_manage_review(request.user),
    }
    return render(request, "review/result.html", context)


@login_required
def my_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's decision and, per the round setting, the aggregate (experts unnamed)."""
    application = Application.objects.select_related("round", "unit").filter(pk=pk).first()
    if application is None or not permissions.can_view_own_decision(request.user, application):
        raise not_found(request, f"review decision of application {pk}")
    decision = Decision.objects.get(application=application)
    settings = round_settings(application.round)
    view = None
    if settings.applicant_visibility != ApplicantVisibility.DECISION_ONLY:
        assignment = (
            Assignment.objects.filter(
                application=application,
                status__in=ACTIVE_STATUSES,
                panel__stage=Stage.SELECTION,
            )
            .select_related("panel", "panel__round")
            .first()
        )
        if assignment is not None:
            view = _result_view(application_result(assignment.panel, application), names=False)
            if settings.applicant_visibility != ApplicantVisibility.AGGREGATE_AND_COMMENTS:
                for section in view["sections"]:
                    for item in section["items"]:
                        item["comments"] = []
            # Applicants see the aggregate, never who gave which points.
            for section in view["sections"]:
                for item in section["items"]:
                    item["individual"] = []
                    item["comments"] = sorted(item["comments"])
            for pool in view["pools"]:
                pool["individual"] = []
            view["experts"] = []
    context = {
        "application": application,
        "decision": decision,
        "view": view,
        "basis": decision.basis,
        "comments": settings.applicant_visibility == ApplicantVisibility.AGGREGATE_AND_COMMENTS,
        "status_submitted": AssignmentStatus.SUBMITTED,
    }
    return render(request, "review/decision.html", context)
