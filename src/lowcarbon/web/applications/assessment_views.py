"""The self-assessment tab: every item with its options, evidence files, suggestions from the
data and the running total with the points being lost and why.

Views only parse input, ask ``permissions`` and call the actions of
:mod:`lowcarbon.web.applications.assessment`; everything they show comes from the engines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    Method,
    PerUnitRule,
    Pool,
    SimpleRule,
)
from lowcarbon.core.scoring import ItemStatus
from lowcarbon.core.validation import item_effective_max
from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment.actions import (
    do_attach_evidence,
    do_remove_evidence,
    do_save_answer,
)
from lowcarbon.web.applications.assessment.fields import active_evidence, form_values, rubric_for
from lowcarbon.web.applications.assessment.totals import RunningTotal, lost_reasons, running_total
from lowcarbon.web.applications.evidence import file_response, kind_name
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.applications.suggestions import Suggestion, adopted, suggestions_for
from lowcarbon.web.applications.views import visible_or_404
from lowcarbon.web.numbers import posted_version

__all__ = ["urlpatterns"]

METHOD_NAMES = {
    Method.DOCUMENT_REVIEW: gettext_lazy("document review (查阅文件材料)"),
    Method.SITE_INSPECTION: gettext_lazy("site inspection (现场检查)"),
    Method.INTERVIEW: gettext_lazy("interview (交流访谈)"),
}
STATUS_NAMES = {
    ItemStatus.NOT_APPLICABLE: gettext_lazy("not applicable"),
    ItemStatus.ZEROED_CONSTRAINT: gettext_lazy("constraint not met"),
    ItemStatus.ZEROED_SECTION_CONSTRAINT: gettext_lazy("section constraint not met"),
    ItemStatus.ZEROED_NO_EVIDENCE: gettext_lazy("no evidence"),
}
LIST_FIELDS = ("ticked", "evidence", "items")


class EvidenceForm(forms.Form):
    """The upload form; the action checks everything (content type, size, duplicates)."""

    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Supports items"), required=False, choices=()
    )

    def __init__(self, application: Application, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (item.id, f"{item.id} {local(item.title)}") for item in rubric_for(application).items()
        ]
        field.widget.attrs["size"] = 6


def raw_fields(data: QueryDict) -> dict[str, Any]:
    """The posted fields of one item, lists kept as lists."""
    raw: dict[str, Any] = {}
    for key in data:
        if key.endswith("ticked") or key in LIST_FIELDS:
            raw[key] = data.getlist(key)
        else:
            raw[key] = data.get(key)
    return raw


def _option(option_id: str, points: Any, text: str, chosen: bool) -> dict[str, Any]:
    return {"id": option_id, "points": format_points(points), "text": text, "chosen": chosen}


def item_heading(item: Item, anchor: str = "item") -> dict[str, Any]:
    """What every page showing an indicator item heads it with (the self-assessment, the
    experts' scoring, the site checklist, the self-evaluation report): its id and anchor, title,
    declared points, clause and evaluation methods."""
    return {
        "id": item.id,
        "anchor": f"{anchor}-" + item.id.replace(".", "-"),
        "title": local(item.title),
        "declared": "—" if item.declared_points is None else format_points(item.declared_points),
        "citation": item.citation,
        "methods": [str(METHOD_NAMES[m]) for m in item.methods],
        "method_text": item.method_text,
    }


def item_controls(
    item: Item, values: Mapping[str, Any], errors: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    """The form controls of one item by rule kind (a composite item's parts each get theirs),
    with the errors of each field: one form generator for applicants and experts."""
    rule = item.rule
    if isinstance(rule, CompositeRule):
        controls = [
            {"title": local(p.title), **item_control(p.id, p.rule, dict(values))}
            for p in rule.parts
        ]
    else:
        controls = [item_control(None, rule, dict(values))]
    for control in controls:
        control["errors"] = errors.get(control["name"], [])
        if control.get("deduction"):
            control["deduction"]["errors"] = errors.get(control["deduction"]["name"], [])
    return controls


def item_control(part: str | None, rule: SimpleRule, values: dict[str, Any]) -> dict[str, Any]:
    prefix = "" if part is None else f"part-{part}-"
    if isinstance(rule, LevelsRule):
        chosen = values.get(prefix + "level") or ""
        return {
            "kind": "levels",
            "name": prefix + "level",
            "options": [
                _option(o.id, o.points, local(o.text), o.id == chosen) for o in rule.options
            ],
        }
    if isinstance(rule, ChecklistRule):
        ticked = set(values.get(prefix + "ticked") or ())
        return {
            "kind": "checklist",
            "name": prefix + "ticked",
            "options": [
                _option(c.id, c.points, local(c.text), c.id in ticked) for c in rule.criteria
            ],
            "cap": format_points(rule.cap) if rule.cap is not None else "",
            "deduction": (
                {
                    "name": prefix + "deduct",
                    "text": local(rule.deduction.text),
                    "step": format_points(rule.deduction.step),
                    "value": values.get(prefix + "deduct") or "",
                }
                if rule.deduction is not None
                else None
            ),
        }
    if isinstance(rule, CountTiersRule | PerUnitRule):
        texts = (
            [local(t.text) for t in rule.tiers]
            if isinstance(rule, CountTiersRule)
            else [local(rule.text)]
        )
        return {
            "kind": "count",
            "name": prefix + "count",
            "counted": local(rule.counted),
            "texts": texts,
            "value": values.get(prefix + "count") or "",
        }
    assert isinstance(rule, JudgementRule)
    return {
        "kind": "judgement",
        "name": prefix + "points",
        "text": local(rule.text),
        "minimum": format_points(rule.minimum),
        "maximum": format_points(rule.maximum),
        "step": format_points(rule.step),
        "value": values.get(prefix + "points") or "",
    }


def _suggestion_view(item: Item, suggestion: Suggestion) -> dict[str, Any]:
    if suggestion.is_constraint:
        assert item.constraint is not None
        what = local(item.constraint.text)
    else:
        rules = (
            [p.rule for p in item.rule.parts]
            if isinstance(item.rule, CompositeRule)
            else [item.rule]
        )
        what = next(
            (
                local(c.text)
                for r in rules
                if isinstance(r, ChecklistRule)
                for c in r.criteria
                if c.id == suggestion.criterion
            ),
            suggestion.criterion,
        )
    if suggestion.is_constraint:
        verdict = _("Suggested: met") if suggestion.supports else _("Suggested: not met")
    else:
        verdict = _("Suggested: tick") if suggestion.supports else _("Suggested: do not tick")
    return {
        "criterion": suggestion.criterion,
        "constraint": suggestion.is_constraint,
        "supports": suggestion.supports,
        "verdict": verdict,
        "what": what,
        "reason": suggestion.reason,
    }


def _item_view(
    application: Application,
    item: Item,
    total: RunningTotal,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    suggestions: list[Suggestion],
    evidence: list[Any],
    can_edit: bool,
) -> dict[str, Any]:
    rubric = rubric_for(application)
    rule = item.rule
    controls = item_controls(item, values, errors)
    needs_reason = isinstance(rule, JudgementRule) or (
        isinstance(rule, ChecklistRule) and rule.deduction is not None
    )
    result = total.result.item(item.id)
    unanswered = item.id in total.unanswered
    chosen = set(values.get("evidence") or ())
    return {
        **item_heading(item),
        "maximum": format_points(item_effective_max(item, rubric.caps)),
        "controls": controls,
        "constraint": local(item.constraint.text) if item.constraint else "",
        "values": values,
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "field_errors": {
            name: errors.get(name, [])
            for name in ("reason", "comment", "evidence", "constraint_met", "not_applicable")
        },
        "needs_reason": needs_reason,
        "suggestions": [_suggestion_view(item, s) for s in suggestions],
        "evidence": [
            {
                "code": e.code,
                "title": e.title,
                "chosen": e.code in chosen,
                "related": item.id in (e.items or []),
            }
            for e in evidence
        ],
        "points": format_points(result.points),
        "unanswered": unanswered,
        "status": "" if unanswered else str(STATUS_NAMES.get(result.status, "")),
        "can_edit": can_edit,
    }


def _total_view(application: Application, total: RunningTotal) -> dict[str, Any]:
    rubric = rubric_for(application)
    pools = [
        {
            "label": _("Total (main points)") if p.pool is Pool.MAIN else _("Bonus pool"),
            "points": format_points(p.points),
            "maximum": format_points(p.maximum),
        }
        for p in total.result.pools
    ]
    sections = []
    lost = []
    for section in total.result.sections:
        sections.append(
            {
                "label": section.section.label,
                "title": local(section.section.title),
                "points": format_points(section.points),
                "maximum": format_points(section.maximum),
                "notes": [n.render(_) for n in section.notes],
            }
        )
        for result in section.items:
            unanswered = result.item.id in total.unanswered
            if not (result.lost or unanswered or result.status is not ItemStatus.SCORED):
                continue
            lost.append(
                {
                    "id": result.item.id,
                    "anchor": "item-" + result.item.id.replace(".", "-"),
                    "title": local(result.item.title),
                    "lost": format_points(result.lost),
                    "points": format_points(result.points),
                    "maximum": format_points(result.maximum),
                    "status": (
                        _("not answered")
                        if unanswered
                        else str(STATUS_NAMES.get(result.status, ""))
                    ),
                    "reasons": lost_reasons(result, unanswered),
                }
            )
    return {
        "pools": pools,
        "sections": sections,
        "lost": lost,
        "unanswered": len(total.unanswered),
        "complete": total.complete,
        "evidence_rule": rubric.evidence_citation if rubric.evidence_required else "",
    }


def _page(
    request: HttpRequest,
    application: Application,
    *,
    typed: dict[str, tuple[dict[str, Any], dict[str, list[str]]]] | None = None,
    upload_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    typed = typed or {}
    rubric = rubric_for(application)
    # The actions refuse saves after the deadline; the page says so instead of offering forms.
    deadline_passed = timezone.localdate() > application.round.submission_deadline
    can_edit = permissions.can_edit_application(request.user, application) and not deadline_passed
    total = running_total(application)
    suggestions = suggestions_for(application)
    evidence = list(active_evidence(application))
    sections = []
    for section in rubric.sections:
        items = []
        for item in section.items:
            values, errors = typed.get(
                item.id, (form_values(item, application.answers.get(item.id)), {})
            )
            items.append(
                _item_view(
                    application,
                    item,
                    total,
                    values,
                    errors,
                    suggestions.get(item.id, []),
                    evidence,
                    can_edit,
                )
            )
        sections.append(
            {
                "label": section.label,
                "title": local(section.title),
                "bonus": section.pool is Pool.BONUS,
                "items": items,
            }
        )
    context = {
        "application": application,
        "rubric_title": local(rubric.title),
        "rubric_source": rubric.source,
        "sections": sections,
        "total": _total_view(application, total),
        "version": application.answers_version,
        "can_edit": can_edit,
        "deadline_passed": deadline_passed,
        "deadline": application.round.submission_deadline,
        "evidence": [
            {
                "code": e.code,
                "title": e.title,
                "name": e.original_name,
                "kind": kind_name(e.content_kind),
                "size": e.size,
                "items": "、".join(e.items or []),
                "uploaded_at": e.uploaded_at,
            }
            for e in evidence
        ],
        "upload_form": upload_form
        if upload_form is not None
        else (EvidenceForm(application) if can_edit else None),
    }
    return render(request, "applications/assessment.html", context, status=status)


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


@login_required
@require_safe
def page(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    return _page(request, application)


@login_required
@require_POST
def save_item(request: HttpRequest, pk: int, item_id: str) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    item = rubric_for(application).item(item_id)
    if item is None:
        raise Http404
    raw = raw_fields(request.POST)
    anchor = "#item-" + item.id.replace(".", "-")
    if "adopt" in request.POST:
        # Without JavaScript the button comes here: fill the form, save nothing.
        values = adopted(raw, suggestions_for(application).get(item.id, []))
        messages.info(
            request,
            _("The suggestions for item {item} are filled in; check them and save.").format(
                item=item.id
            ),
        )
        return _page(request, application, typed={item.id: (values, {})})
    version = posted_version(request.POST)
    try:
        do_save_answer(
            application,
            item.id,
            raw,
            expected_version=version,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "stale":
            # Keep what was typed; the page now carries the current version, so saving again
            # knowingly replaces the other save of this item.
            application.refresh_from_db()
        return _page(request, application, typed={item.id: (raw, _messages_of(error))}, status=400)
    messages.success(request, _("Item {item} was saved.").format(item=item.id))
    return redirect(reverse("applications:assessment", args=[application.pk]) + anchor)


@login_required
@require_POST
def upload_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    form = EvidenceForm(application, request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = do_attach_evidence(
                application,
                form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                items=form.cleaned_data["items"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for field, problems in _messages_of(error).items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("{code} “{title}” was attached.").format(
                    code=evidence.code, title=evidence.title
                ),
            )
            return redirect(reverse("applications:assessment", args=[pk]) + "#evidence")
    return _page(request, application, upload_form=form, status=400)


@login_required
@require_safe
def download_evidence(request: HttpRequest, pk: int, code: str) -> FileResponse:
    application = visible_or_404(request, pk)
    evidence = active_evidence(application).filter(code=code).first()
    if evidence is None:
        raise Http404
    return file_response(evidence)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    try:
        affected = do_remove_evidence(application, code, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        if affected:
            messages.success(
                request,
                _(
                    "{code} was removed; it is no longer cited by items {items} (without "
                    "evidence those items may score 0)."
                ).format(code=code, items="、".join(affected)),
            )
        else:
            messages.success(request, _("{code} was removed.").format(code=code))
    return redirect(reverse("applications:assessment", args=[pk]) + "#evidence")


urlpatterns = [
    path("<int:pk>/assessment/", page, name="assessment"),
    path("<int:pk>/assessment/items/<str:item_id>/", save_item, name="assessment_save"),
    path("<int:pk>/evidence/", upload_evidence, name="evidence_upload"),
    path("<int:pk>/evidence/<str:code>/", download_evidence, name="evidence_download"),
    path("<int:pk>/evidence/<str:code>/remove/", remove_evidence, name="evidence_remove"),
]
