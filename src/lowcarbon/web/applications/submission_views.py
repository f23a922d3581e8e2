"""Check and submit (the applicant), the frozen submissions, and the district's queue.

Views parse input, ask :mod:`lowcarbon.web.permissions`, call the actions of
:mod:`lowcarbon.web.applications.submission` and render; they decide nothing themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lowcarbon.core.labels import INDICATOR, TARGET
from lowcarbon.core.messages import format_points
from lowcarbon.documents.formatting import factor_set_name
from lowcarbon.rules.snapshot import AccountingFigures, IndicatorFigure
from lowcarbon.web import permissions
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import (
    Application,
    ApplicationStatus,
    DistrictDecision,
    Submission,
)
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.applications.submission.actions import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    do_district_decide,
    do_submit,
    do_withdraw,
)
from lowcarbon.web.applications.submission.check import GROUPS, Check, check_application, gap_text
from lowcarbon.web.applications.submission.district import district_submissions
from lowcarbon.web.applications.submission.frozen import frozen_snapshot, part_versions
from lowcarbon.web.applications.submission.snapshot import score_total
from lowcarbon.web.applications.views import visible_or_404
from lowcarbon.web.numbers import VersionField
from lowcarbon.web.rounds.models import Kind, Stage

__all__ = ["urlpatterns"]

ITEM_STATUS = {
    "scored": gettext_lazy("scored"),
    "not_applicable": gettext_lazy("not applicable"),
    "zeroed_constraint": gettext_lazy("0: constraint not met"),
    "zeroed_section_constraint": gettext_lazy("0: a constraint of the section is not met"),
    "zeroed_no_evidence": gettext_lazy("0: no evidence"),
    "unanswered": gettext_lazy("0: not answered"),
}
POOLS = {"main": gettext_lazy("Main points"), "bonus": gettext_lazy("Bonus points")}


class VersionsForm(forms.Form):
    """The part versions the person saw on the check page: a later save refuses the submit."""

    sections = VersionField(minimum=1)
    accounting = VersionField(minimum=1)
    answers = VersionField(minimum=1)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the withdrawal"),
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Give the reason for the withdrawal.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (DistrictDecision.RECOMMENDED, gettext_lazy("Recommend")),
            (DistrictDecision.RETURNED, gettext_lazy("Return for revision")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose whether to recommend or to return the application.")
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comments"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required when returning: what the applicant must revise."),
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


# --- presenting a check and a snapshot -------------------------------------------------------


def _grouped(application: Application, gaps: Any) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for key, label in GROUPS.items():
        lines = [
            {
                "text": gap_text(application, gap.code, gap.params),
                "blocking": gap.blocking,
                "url": gap.url,
                "details": [],
            }
            for gap in gaps
            if gap.group == key
        ]
        if lines:
            groups.append({"label": label, "lines": lines})
    return groups


def _points(value: Decimal) -> str:
    """Points as people write them (5, 2.5, never 5.0)."""
    return format_points(value)


def _indicator(values: Mapping[str, IndicatorFigure], key: str) -> Decimal | None:
    figure = values.get(key)  # an indicator the year does not have shows as "—"
    return None if figure is None else figure.value


def _key_figures(result: AccountingFigures | None) -> dict[str, Any]:
    """The few figures a reviewer reads first, from a snapshot's accounting result."""
    if result is None:
        return {}
    indicators = {entry.year: entry.values for entry in result.indicators}
    rows = [
        {
            "year": inventory.year,
            "final": inventory.final,
            "gross": inventory.gross_tco2,
            "sinks": inventory.sinks_tco2,
            "tce": inventory.total_tce,
            "per_capita": _indicator(indicators.get(inventory.year, {}), "per_capita"),
            "renewable": _indicator(indicators.get(inventory.year, {}), "renewable_share"),
        }
        for inventory in result.inventories
    ]
    comparison, targets = result.comparison, result.targets
    return {
        "inventories": rows,
        "final": result.final,
        "comparison": comparison,
        "targets": []
        if targets is None
        else [
            {
                "name": _(TARGET.get(check.kind, check.kind)),
                "year": check.year,
                "value": check.value,
                "reached": check.reached,
                "met": check.met,
            }
            for check in targets.checks
        ],
        "consistency": None if targets is None else targets.consistency,
        "indicator_names": {key: _(name) for key, name in INDICATOR.items()},
    }


def _snapshot_context(application: Application, submission: Submission) -> dict[str, Any]:
    snapshot = frozen_snapshot(submission)
    score = snapshot.score
    rubric = computing.rubric_of(application.kind, application.rubric_edition)
    items: list[dict[str, Any]] = []
    for item_id, entry in ({} if score is None else score.items).items():
        item = rubric.item(item_id)
        items.append(
            {
                "id": item_id,
                "title": local(item.title) if item else "",
                "points": _points(entry.points),
                "maximum": _points(entry.maximum),
                "status": ITEM_STATUS.get(entry.status, entry.status),
                "lost": entry.status != "scored",
            }
        )
    order = {item.id: index for index, item in enumerate(rubric.items())}
    items.sort(key=lambda entry: order.get(entry["id"], len(order)))
    warnings = [
        {"text": gap_text(application, warning.code, warning.params)}
        for warning in snapshot.warnings
    ]
    return {
        "submission": submission,
        "snapshot": snapshot,
        "editions": snapshot.editions,
        # The editions as a reader names them: the kind's name, the factor set's title.
        "kind_name": Kind(snapshot.editions.rubric.kind).label
        if snapshot.editions.rubric.kind in Kind.values
        else snapshot.editions.rubric.kind,
        "factor_set_name": factor_set_name(snapshot.editions.factor_set.id, local),
        "total": "—" if score is None else _points(score.total),
        "pools": []
        if score is None
        else [
            {"label": label, "points": _points(pool.points), "maximum": _points(pool.maximum)}
            for key, label in POOLS.items()
            if (pool := score.pools.get(key)) is not None
        ],
        "items": items,
        "warnings": warnings,
        "evidence": snapshot.evidence,
        "figures": _key_figures(snapshot.accounting_result),
    }


def _history(application: Application) -> list[Submission]:
    return list(
        application.submissions.filter(stage=Stage.SELECTION)
        .select_related("submitted_by", "withdrawn_by", "decided_by")
        .order_by("-number")
        .defer("snapshot")
    )


# --- the applicant's pages -----------------------------------------------------------------


def _state(request: HttpRequest, application: Application) -> dict[str, Any]:
    """What the submission page shows, for everyone who can see the application."""
    today = timezone.localdate()
    round_ = application.round
    history = _history(application)
    latest = history[0] if history else None
    check: Check | None = check_application(application) if application.is_editable else None
    own = permissions.is_own_unit(request.user, application)
    can_submit = (
        check is not None
        and not check.blocking
        and permissions.can_submit_application(request.user, application)
        and today <= round_.submission_deadline
    )
    can_withdraw = (
        permissions.can_withdraw_application(request.user, application)
        and today <= round_.submission_deadline
        and latest is not None
        and not latest.district_decision
    )
    returned = next((s for s in history if s.district_decision == DistrictDecision.RETURNED), None)
    return {
        "application": application,
        "own": own,
        "check": check,
        "groups": _grouped(application, check.gaps) if check else [],
        "score_total": format_points(score_total(check.score)) if check and check.score else None,
        "can_submit": can_submit,
        "can_withdraw": can_withdraw,
        "deadline_passed": today > round_.submission_deadline,
        "history": history,
        "latest": latest,
        "returned": returned if application.status == ApplicationStatus.RETURNED else None,
        "withdraw_form": WithdrawForm() if can_withdraw else None,
        "versions": VersionsForm(initial=part_versions(application)),
    }


@login_required
@require_safe
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    return render(request, "applications/submission.html", _state(request, application))


@login_required
def submission_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step: says the application becomes read-only, then submits."""
    application = visible_or_404(request, pk, edit=True)
    if not permissions.can_submit_application(request.user, application):
        permissions.deny(request, f"submit application {pk}")
    form = VersionsForm(request.POST or None, initial=part_versions(application))
    if request.method == "POST" and form.is_valid():
        try:
            submission = do_submit(
                application,
                actor=request.user,  # type: ignore[arg-type]
                expected_versions=form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Submission {number} was received; the application is now read-only.").format(
                    number=submission.number
                ),
            )
            return redirect("applications:submission", pk=application.pk)
    check = check_application(application)
    context = {
        "application": application,
        "form": form,
        "check": check,
        "groups": _grouped(application, check.gaps),
        "score_total": format_points(score_total(check.score)) if check.score else None,
    }
    return render(request, "applications/submission_confirm.html", context)


@login_required
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    if not permissions.can_withdraw_application(request.user, application):
        permissions.deny(request, f"withdraw application {pk}")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = do_withdraw(
                application,
                reason=form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Submission {number} was withdrawn; the application can be edited again "
                    "and must be submitted again before the deadline."
                ).format(number=submission.number),
            )
            return redirect("applications:submission", pk=application.pk)
    context = {"application": application, "form": form, "latest": _history(application)[0]}
    return render(request, "applications/submission_withdraw.html", context)


# --- one frozen submission, and the district's decision --------------------------------------


def _detail(
    request: HttpRequest, application: Application, submission: Submission, form: Any
) -> HttpResponse:
    latest = (
        application.submissions.filter(stage=Stage.SELECTION)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    can_decide = (
        permissions.can_decide_as_district(request.user, application)
        and submission.number == latest
        and not submission.district_decision
        and submission.withdrawn_at is None
    )
    today = timezone.localdate()
    context = {
        "application": application,
        **_snapshot_context(application, submission),
        "can_decide": can_decide,
        "form": form if can_decide else None,
        "recommendation_passed": today > application.round.recommendation_deadline,
        "submission_passed": today > application.round.submission_deadline,
        "is_officer": permissions.can_view_district_queue(request.user),
    }
    return render(request, "applications/submission_detail.html", context)


def _submission_or_404(application: Application, number: int) -> Submission:
    submission = (
        application.submissions.select_related("submitted_by", "withdrawn_by", "decided_by")
        .filter(number=number, stage=Stage.SELECTION)
        .first()
    )
    if submission is None:
        raise Http404
    return submission


@login_required
@require_safe
def submission_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    submission = _submission_or_404(application, number)
    return _detail(request, application, submission, DecisionForm())


@login_required
def district_decide(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    submission = _submission_or_404(application, number)
    if not permissions.can_decide_as_district(request.user, application):
        permissions.deny(request, f"decide on application {pk}")
    if request.method != "POST":
        return redirect("applications:submission_detail", pk=pk, number=number)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = do_district_decide(
                application,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            text = (
                _("The application of {unit} was recommended.")
                if decided.district_decision == DistrictDecision.RECOMMENDED
                else _("The application of {unit} was returned with your comments.")
            )
            messages.success(request, text.format(unit=application.unit.name))
            return redirect("applications:district_queue")
    return _detail(request, application, submission, form)


@login_required
@require_safe
def district_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_district_queue(request.user):
        permissions.deny(request, "district queue")
    rows = []
    for submission in district_submissions(request.user):
        score = frozen_snapshot(submission).score
        if submission.withdrawn_at is not None:
            state, pending = _("withdrawn"), False
        elif submission.district_decision:
            state, pending = submission.get_district_decision_display(), False
        else:
            state, pending = _("awaiting your decision"), True
        rows.append(
            {
                "submission": submission,
                "application": submission.application,
                "total": None if score is None else _points(score.total),
                "state": state,
                "pending": pending,
            }
        )
    rows.sort(key=lambda row: not row["pending"])  # stable: the latest first within each
    context = {
        "rows": rows,
        "pending": sum(1 for row in rows if row["pending"]),
        "district": request.user.organisation.district,  # type: ignore[union-attr]
    }
    return render(request, "applications/district_queue.html", context)


urlpatterns = [
    path("<int:pk>/submission/", submission_page, name="submission"),
    path("<int:pk>/submission/confirm/", submission_confirm, name="submission_confirm"),
    path("<int:pk>/submission/withdraw/", submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/submissions/<int:number>/", submission_detail, name="submission_detail"),
    path("<int:pk>/submissions/<int:number>/decide/", district_decide, name="district_decide"),
    path("district/", district_queue, name="district_queue"),
]
