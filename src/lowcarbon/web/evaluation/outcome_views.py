"""The bureau's acceptance pages (outcomes, naming, the decision's documents) and the public
list of named units. Refusals are logged and answered 404, as the review's pages do."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lowcarbon.documents.pdf import PdfConversionError
from lowcarbon.rules.acceptance_rules import acceptance_editions
from lowcarbon.web import permissions
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation.outcome import (
    do_decide_acceptance,
    do_publish_naming,
    do_set_acceptance_rule,
    round_rule,
    unit_rows,
)
from lowcarbon.web.evaluation.outcome_documents import (
    OPINION_FORMATS,
    RESULT_FORMATS,
    DocumentFile,
    render_opinion,
    render_results,
    results_of,
)
from lowcarbon.web.evaluation.outcome_forms import DecisionForm, RuleForm
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision, AcceptanceSettings
from lowcarbon.web.review.models import Panel
from lowcarbon.web.review.sheets import sheet_name
from lowcarbon.web.review.views.common import errors_of, not_found
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = ["decide", "index", "named", "opinion", "publish", "results", "round_page", "set_rule"]

STAGES = (Stage.MIDTERM.value, Stage.FINAL.value)


def _pairs(round_: Round) -> list[tuple[str, str, str, str]]:
    return [
        (kind, str(Kind(kind).label), stage, str(Stage(stage).label))
        for kind in round_.kinds
        for stage in STAGES
        if not (stage == Stage.MIDTERM and kind != Kind.ZONE)
    ]


def _round_or_404(request: HttpRequest, pk: int, kind: str, stage: str) -> Round:
    if not permissions.can_decide_acceptance(request.user):
        raise not_found(request, f"acceptance of round {pk}")
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None or (kind, stage) not in {(k, s) for k, _l, s, _s in _pairs(round_)}:
        raise Http404
    return round_


def _page(round_: Round, kind: str, stage: str) -> str:
    from django.urls import reverse

    return reverse("acceptance:round", args=[round_.pk, kind, stage])


def _download(document: DocumentFile) -> HttpResponse:
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not permissions.can_decide_acceptance(request.user):
        raise not_found(request, "acceptance index")
    rounds = [(r, _pairs(r)) for r in Round.objects.order_by("-year")]
    return render(request, "evaluation/outcome_index.html", {"rounds": rounds})


@require_GET
@login_required
def round_page(request: HttpRequest, pk: int, kind: str, stage: str) -> HttpResponse:
    round_ = _round_or_404(request, pk, kind, stage)
    rows = unit_rows(round_, kind, stage)
    forms = {
        row.unit.pk: DecisionForm(
            initial={
                "panel": row.proposal.panel.pk if row.proposal.panel else None,
                "version": row.unit.version,
                "improvements": "",
            }
        )
        for row in rows
    }
    stored = AcceptanceSettings.objects.filter(round=round_).first()
    try:
        rule = round_rule(round_, kind, stage)
    except Exception:
        rule = None
    return render(
        request,
        "evaluation/outcome_round.html",
        {
            "round": round_,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "stage": stage,
            "stage_label": Stage(stage).label,
            "rows": [(row, forms[row.unit.pk]) for row in rows],
            "rule": rule,
            "editions": acceptance_editions(kind, stage),
            "rule_form": RuleForm(initial={"version": 1 if stored is None else stored.version}),
            "result_formats": RESULT_FORMATS,
            "opinion_formats": OPINION_FORMATS,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    if not permissions.can_decide_acceptance(request.user):
        raise not_found(request, f"acceptance decision of unit {pk}")
    unit = CreationUnit.objects.select_related("application").filter(pk=pk).first()
    if unit is None or stage not in STAGES:
        raise Http404
    back = _page(unit.application.round, unit.kind, stage)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label or ''} {error}".strip()
                    if field in form.fields
                    else str(error),
                )
        return redirect(back)
    panel = Panel.objects.filter(pk=form.cleaned_data["panel"]).select_related("round").first()
    if panel is None:
        messages.error(request, _("The panel named by the form does not exist; reload the page."))
        return redirect(back)
    try:
        decision = do_decide_acceptance(
            unit,
            stage,
            panel=panel,
            reasons=form.cleaned_data.get("reasons") or "",
            improvements=form.improvement_lines(),
            opinion=form.cleaned_data.get("opinion") or "",
            deadline=form.cleaned_data.get("deadline"),
            expected_version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for field_errors in errors_of(error).values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        _("Decided: {unit}, {outcome}.").format(
            unit=unit.application.unit.name, outcome=decision.get_outcome_display()
        ),
    )
    return redirect(back)


@login_required
@require_POST
def set_rule(request: HttpRequest, pk: int, kind: str, stage: str) -> HttpResponse:
    round_ = _round_or_404(request, pk, kind, stage)
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            do_set_acceptance_rule(
                round_,
                kind,
                stage,
                edition=form.cleaned_data["edition"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("The round's rule edition was recorded."))
        except ValidationError as error:
            for field_errors in errors_of(error).values():
                for message in field_errors:
                    messages.error(request, message)
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect(_page(round_, kind, stage))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    round_ = _round_or_404(request, pk, kind, Stage.FINAL)
    try:
        named_now = do_publish_naming(round_, kind, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request, _("{count} unit(s) named and published.").format(count=len(named_now))
        )
    except ValidationError as error:
        for field_errors in errors_of(error).values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(_page(round_, kind, Stage.FINAL))


@require_GET
@login_required
def opinion(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    decision = (
        AcceptanceDecision.objects.select_related(
            "unit", "unit__application", "unit__application__unit", "panel", "order"
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None or not permissions.can_view_acceptance_decision(request.user, decision):
        raise not_found(request, f"acceptance opinion {pk}")
    if fmt not in OPINION_FORMATS:
        raise Http404
    title = _("Acceptance opinion") if decision.stage == Stage.FINAL else _("Mid-term evaluation")
    stem = sheet_name(title, decision.unit.application.unit.name, decision.pk)
    try:
        return _download(render_opinion(decision, fmt, stem))
    except PdfConversionError as error:
        messages.error(
            request,
            _("No PDF could be made: {reason}. The Word file is available.").format(
                reason=error.message.render(_)
            ),
        )
        if permissions.can_decide_acceptance(request.user):
            return redirect(
                _page(decision.unit.application.round, decision.unit.kind, decision.stage)
            )
        return redirect("creation:unit", pk=decision.unit.pk)


@require_GET
@login_required
def results(request: HttpRequest, pk: int, kind: str, stage: str, fmt: str) -> HttpResponse:
    round_ = _round_or_404(request, pk, kind, stage)
    if fmt not in RESULT_FORMATS:
        raise Http404
    sheet = results_of(round_, kind, stage)
    stem = sheet_name(_("Acceptance results"), round_.year, str(Kind(kind).label))
    try:
        return _download(render_results(sheet, fmt, stem))
    except PdfConversionError as error:
        messages.error(
            request,
            _("No PDF could be made: {reason}. The Word and Excel files are available.").format(
                reason=error.message.render(_)
            ),
        )
        return redirect(_page(round_, kind, stage))


@require_GET
def named(request: HttpRequest) -> HttpResponse:
    """The named units (命名), by batch and kind: open to everyone."""
    decisions = (
        AcceptanceDecision.objects.filter(
            stage=Stage.FINAL, outcome="passed", published_at__isnull=False
        )
        .select_related(
            "unit__application__round",
            "unit__application__unit",
            "unit__application__unit__district",
        )
        .order_by("-unit__application__round__year", "unit__application__kind", "published_at")
    )
    groups: dict[tuple[int, str], list[AcceptanceDecision]] = {}
    for decision in decisions:
        application = decision.unit.application
        groups.setdefault((application.round.year, application.kind), []).append(decision)
    listed = [
        {"year": year, "label": Kind(kind).label, "decisions": found}
        for (year, kind), found in groups.items()
    ]
    return render(request, "evaluation/named.html", {"groups": listed})
