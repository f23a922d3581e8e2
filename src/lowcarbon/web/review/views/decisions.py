"""The administrator's review settings, ranking and decisions, their publication, and the
public list of selected units."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web.applications.models import Application
from lowcarbon.web.review import actions
from lowcarbon.web.review.actions.decision import open_discussions
from lowcarbon.web.review.aggregate import ranking
from lowcarbon.web.review.forms import (
    DecisionForm,
    SettingsForm,
)
from lowcarbon.web.review.models import (
    Decision,
    DecisionOutcome,
    round_settings,
)
from lowcarbon.web.review.views.common import (
    add_errors,
    admin_or_404,
    confirmed,
    errors_of,
)
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "decide",
    "public_results",
    "publish",
    "ranking_page",
    "settings_page",
]


def _round_or_404(request: HttpRequest, pk: int) -> Round:
    admin_or_404(request, f"review of round {pk}")
    found = Round.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def settings_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(request, pk)
    current = round_settings(round_)
    initial = {
        "method": current.method,
        "item_range_share": str(current.item_range_share),
        "total_spread_limit": str(current.total_spread_limit),
        "panel_visibility": current.panel_visibility,
        "applicant_visibility": current.applicant_visibility,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_review_settings(
                round_,
                **form.cleaned_data,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The review settings were saved."))
            return redirect("review:ranking", pk=pk, kind=round_.kinds[0])
    return render(request, "review/settings.html", {"round": round_, "form": form})


@login_required
def ranking_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    round_ = _round_or_404(request, pk)
    if kind not in Kind.values:
        raise Http404
    entries = ranking(round_, kind)
    rows = [
        {
            "entry": entry,
            "form": DecisionForm(
                prefix=f"d{entry.subject.application.pk}",
                initial={
                    "outcome": entry.subject.decision.outcome if entry.subject.decision else "",
                    "reasons": entry.subject.decision.reasons if entry.subject.decision else "",
                },
            ),
            "result_url": reverse(
                "review:result", args=[entry.subject.result.panel.pk, entry.subject.application.pk]
            ),
        }
        for entry in entries
    ]
    context = {
        "round": round_,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "kinds": [(k, Kind(k).label) for k in round_.kinds],
        "rows": rows,
        "settings": round_settings(round_),
        "published": Decision.objects.filter(
            application__round=round_, published_at__isnull=False
        ).exists(),
        # Warned before publishing: discussions of diverging scores still open.
        "open_discussions": [
            {
                "unit": d.application.unit.name,
                "url": reverse("review:result", args=[d.panel_id, d.application_id]),
            }
            for d in open_discussions(round_)
        ],
    }
    return render(request, "review/ranking.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    admin_or_404(request, f"decide application {pk}")
    application = Application.objects.select_related("round", "unit").filter(pk=pk).first()
    if application is None:
        raise Http404
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    target = reverse("review:ranking", args=[application.round_id, application.kind])
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, f"{application.unit.name}：{problem}")
        return redirect(target)
    try:
        actions.do_decide(
            application,
            outcome=form.cleaned_data["outcome"],
            reasons=form.cleaned_data["reasons"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for refusals in errors_of(error).values():
            for refusal in refusals:
                messages.error(request, f"{application.unit.name}：{refusal}")
    else:
        messages.success(
            request, _("The decision on {unit} was recorded.").format(unit=application.unit.name)
        )
    return redirect(target)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_or_404(request, pk)
    kind = str(request.POST.get("kind", ""))  # back to the ranking the page showed
    back = redirect("review:ranking", pk=pk, kind=kind if kind in Kind.values else round_.kinds[0])
    if not confirmed(request.POST):
        # Publication cannot be undone: the box is required here, not only in the browser.
        messages.error(
            request,
            _("Tick “{confirm}” to publish; nothing was published.").format(
                confirm=_("I confirm that published decisions can no longer change")
            ),
        )
        return back
    try:
        count = actions.do_publish_decisions(
            round_,
            actor=request.user,  # type: ignore[arg-type]
            reason=str(request.POST.get("reason", "")),
        )
    except ValidationError as error:
        for problems in errors_of(error).values():
            for problem in problems:
                messages.error(request, problem)
        return back
    messages.success(request, _("{count} decisions were published.").format(count=count))
    return redirect("review:public", pk=pk)


def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The selected units of a round, once published (公示): open to everyone."""
    round_ = Round.objects.filter(pk=pk).first()
    decisions = Decision.objects.filter(
        application__round_id=pk, published_at__isnull=False, outcome=DecisionOutcome.SELECTED
    ).select_related("application__unit", "application__unit__district")
    if (
        round_ is None
        or not Decision.objects.filter(
            application__round_id=pk, published_at__isnull=False
        ).exists()
    ):
        raise Http404
    groups = [
        {
            "label": label,
            "decisions": sorted(
                (d for d in decisions if d.application.kind == kind),
                key=lambda d: (d.application.unit.name, d.pk),
            ),
        }
        for kind, label in Kind.choices
        if kind in round_.kinds
    ]
    published = decisions.order_by("published_at").values_list("published_at", flat=True).first()
    return render(
        request,
        "review/public.html",
        {"round": round_, "groups": groups, "published_at": published},
    )
