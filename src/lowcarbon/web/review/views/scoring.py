"""The expert's scoring workspace: the frozen submission, the self-assessment beside the
expert's own scores, saving, submitting and revising items, declaring a conflict, and the
snapshot's evidence files."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.core.labels import TARGET
from lowcarbon.core.messages import format_points
from lowcarbon.core.outline import is_missing
from lowcarbon.core.rubric import Pool
from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment import form_values
from lowcarbon.web.applications.assessment_views import (
    item_controls,
    item_heading,
    raw_fields,
)
from lowcarbon.web.applications.evidence import file_response, kind_name
from lowcarbon.web.applications.models import Evidence
from lowcarbon.web.applications.outlines import application_outline, local
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.applications.views import display_value
from lowcarbon.web.archive.evidence import file_download, file_of_code
from lowcarbon.web.evaluation.report import text_labels
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review import actions
from lowcarbon.web.review.actions.sheet import starting_evidence
from lowcarbon.web.review.forms import ReasonForm
from lowcarbon.web.review.inspection import (
    INSPECTION_METHODS,
    inspection_items,
    inspection_of,
    item_inspection,
)
from lowcarbon.web.review.models import Assignment
from lowcarbon.web.review.sheet_fields import sheet_prefix
from lowcarbon.web.review.snapshots import evidence_entries, self_points, snapshot_rubric
from lowcarbon.web.review.views.common import (
    add_errors,
    assignment_or_404,
    confirmed,
    errors_of,
    not_found,
)
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "assignment_evidence",
    "declare_conflict",
    "revise_item",
    "save_item",
    "submit",
    "workspace",
]


FIELD_NAMES = (
    "reason",
    "comment",
    "evidence",
    "constraint_met",
    "not_applicable",
    "revision_reason",
)


def _snapshot_sections(assignment: Assignment) -> list[dict[str, Any]]:
    """The plan contents as frozen, section by section, with the outline's labels."""
    outline = application_outline(assignment.application)
    stored = assignment.submission.snapshot.get("sections") or {}
    sections = []
    for section in outline.iter_sections():
        elements = [
            {
                "label": local(element.label),
                "display": display_value(element, stored.get(element.id)),
            }
            for element in section.elements
            if not is_missing(stored.get(element.id))
        ]
        if elements:
            sections.append(
                {"number": section.id, "title": local(section.title), "elements": elements}
            )
    return sections


def _consistency(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("consistent") if value else _("not consistent")
    # Snapshots keep the engine's verdict as text ("True"/"False"), never shown as such.
    verdicts = {"true": _("consistent"), "false": _("not consistent")}
    return verdicts.get(str(value).strip().lower(), str(value))


def _figures(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The key computed figures of the snapshot (the accounting engine's, as submitted)."""
    result = snapshot.get("accounting_result") or {}
    targets = result.get("targets") or {}
    return {
        "inventories": result.get("inventories") or [],
        "comparison": result.get("comparison"),
        # Target kinds by their names (人均碳排放), never the machine ids of the snapshot.
        "checks": [
            {**check, "kind": _(TARGET.get(str(check.get("kind")), str(check.get("kind"))))}
            for check in targets.get("checks") or []
        ],
        # 衔接 / 未衔接, never the snapshot's true or false.
        "consistency": _consistency(targets.get("consistency")),
        "score": snapshot.get("score") or {},
    }


def _report_texts(submission: Any) -> list[tuple[str, str]]:
    """A self-evaluation report's own words (none for an application)."""
    part = frozen_snapshot(submission).evaluation
    if part is None:
        return []
    return [(label, part.texts.get(name) or "—") for name, label in text_labels()]


def _evidence_view(assignment: Assignment) -> list[dict[str, Any]]:
    return [
        {
            "code": entry["code"],
            "title": entry.get("title", ""),
            "name": entry.get("original_name", ""),
            "kind": kind_name(entry.get("content_kind", "")),
            "size": entry.get("size"),
            "sha256": str(entry.get("sha256", ""))[:12],
            "items": list(entry.get("items") or []),
            "url": reverse("review:evidence", args=[assignment.pk, entry["code"]]),
        }
        for entry in evidence_entries(assignment.submission)
    ]


def _item_views(
    assignment: Assignment,
    typed: Mapping[str, tuple[Mapping[str, Any], Mapping[str, list[str]]]],
    item_errors: Mapping[str, list[str]],
    site: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    sheet: bool = False,
) -> list[dict[str, Any]]:
    site = site or {}
    submission = assignment.submission
    rubric = snapshot_rubric(submission)
    claimed = self_points(submission)
    applicant = submission.snapshot.get("answers") or {}
    evidence = _evidence_view(assignment)
    own = assignment.review.answers
    sections = []
    for section in rubric.sections:
        items = []
        for item in section.items:
            answer = own.get(item.id)
            if item.id in typed:
                values, errors = typed[item.id]
            else:
                values = form_values(item, answer)
                if answer is None:
                    # Start from the files the applicant cited for the item.
                    values["evidence"] = starting_evidence(assignment, item.id)
                errors = {}
            chosen = set(values.get("evidence") or ())
            their = applicant.get(item.id) or {}
            items.append(
                {
                    **item_heading(item),
                    # The fields of the one score sheet form carry the item's id in their names;
                    # a revision after discussion is a form of its own, with plain names.
                    "prefix": sheet_prefix(item.id) if sheet else "",
                    "constraint": local(item.constraint.text) if item.constraint else "",
                    "controls": item_controls(item, values, errors),
                    "values": values,
                    "field_errors": {name: list(errors.get(name, [])) for name in FIELD_NAMES},
                    "general_errors": list(errors.get("__all__", []))
                    + list(item_errors.get(item.id, [])),
                    "self_points": format_points(claimed.get(item.id, Decimal(0))),
                    "self_reason": their.get("reason", ""),
                    "self_comment": their.get("comment", ""),
                    "self_evidence": [
                        e for e in evidence if e["code"] in their.get("evidence", [])
                    ],
                    "evidence": [
                        {**e, "chosen": e["code"] in chosen, "related": item.id in e["items"]}
                        for e in evidence
                    ],
                    "scored": answer is not None,
                    # The panel's site inspection of the item (findings and photos), shown
                    # beside it as the panel's evidence (issue 5 §6).
                    "site": site.get(item.id),
                    "inspected": bool(INSPECTION_METHODS & set(item.methods)),
                }
            )
        sections.append(
            {
                "label": section.label,
                "title": local(section.title),
                "bonus": section.pool is Pool.BONUS,
                "items": items,
            }
        )
    return sections


def _workspace(
    request: HttpRequest,
    assignment: Assignment,
    *,
    typed: Mapping[str, tuple[Mapping[str, Any], Mapping[str, list[str]]]] | None = None,
    item_errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_score = permissions.can_score_assignment(user, assignment)
    can_revise = permissions.can_revise_review(user, assignment)
    review = assignment.review
    rubric = snapshot_rubric(assignment.submission)
    scored = sum(1 for item in rubric.items() if item.id in review.answers)
    can_inspect = permissions.can_inspect(user, assignment.panel, assignment.application) and bool(
        inspection_items(rubric)
    )
    site = (
        item_inspection(inspection_of(assignment.panel, assignment.application))
        if can_inspect
        else {}
    )
    sheets = (
        [
            {
                "revision": revision,
                "links": [
                    (
                        label,
                        reverse("review:expert_sheet", args=[assignment.pk, fmt])
                        + f"?revision={revision.number}",
                    )
                    for fmt, label in (("xlsx", "Excel"), ("pdf", "PDF"), ("docx", "Word"))
                ],
            }
            for revision in review.revisions.all()
        ]
        if permissions.can_download_score_sheet(user, assignment)
        else []
    )
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "submission": assignment.submission,
        "review": review,
        "rubric_title": local(rubric.title),
        "sections": _item_views(assignment, typed or {}, item_errors or {}, site, sheet=can_score),
        "inspection_url": reverse(
            "review:inspection", args=[assignment.panel_id, assignment.application_id]
        )
        if can_inspect
        else "",
        "sheets": sheets,
        "plan": _snapshot_sections(assignment),
        "figures": _figures(assignment.submission.snapshot),
        "evidence": _evidence_view(assignment),
        "warnings": assignment.submission.snapshot.get("warnings") or [],
        # A self-evaluation report's own words, in the report's order.
        "report_texts": _report_texts(assignment.submission),
        "can_score": can_score,
        "can_revise": can_revise,
        "can_declare": permissions.can_declare_conflict(user, assignment),
        "is_own": assignment.expert_id == user.pk,
        "scored": scored,
        "item_count": len(rubric.items()),
        "panel_url": reverse("review:result", args=[assignment.panel_id, assignment.application_id])
        if permissions.can_view_panel_scores(user, assignment.panel, assignment.application)
        else "",
        "revisions": review.revisions.all(),
    }
    return render(request, "review/workspace.html", context, status=status)


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_or_404(request, pk)
    if not (assignment.expert_id == request.user.pk or permissions.can_manage_review(request.user)):
        raise not_found(request, f"review assignment {pk}")
    return _workspace(request, assignment)


def _version(request: HttpRequest) -> int:
    return posted_version(request.POST)


def _own_assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    assignment = assignment_or_404(request, pk)
    if assignment.expert_id != request.user.pk:
        raise not_found(request, f"score review assignment {pk}")
    return assignment


def _item_raw(data: QueryDict) -> dict[str, Any]:
    return raw_fields(data)


@login_required
@require_POST
def save_item(request: HttpRequest, pk: int, item_id: str) -> HttpResponse:
    assignment = _own_assignment_or_404(request, pk)
    raw = _item_raw(request.POST)
    try:
        actions.do_save_review(
            assignment,
            item_id,
            raw,
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        assignment.refresh_from_db()
        assignment.review.refresh_from_db()
        return _workspace(request, assignment, typed={item_id: (raw, errors_of(error))}, status=400)
    messages.success(request, _("Item {item} was saved.").format(item=item_id))
    anchor = "#item-" + item_id.replace(".", "-")
    return redirect(reverse("review:workspace", args=[pk]) + anchor)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment_or_404(request, pk)
    if not confirmed(request.POST):
        # Submitting locks the scores: the box is required here, not only in the browser.
        messages.error(
            request,
            _("Tick “{confirm}” to submit; nothing was submitted.").format(
                confirm=_("I confirm that my scores cannot be changed after submission")
            ),
        )
        return _workspace(request, assignment, status=400)
    try:
        actions.do_submit_review(
            assignment,
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        errors = errors_of(error)
        general = errors.pop("__all__", [])
        for problem in general:
            messages.error(request, problem)
        if errors:
            messages.error(
                request,
                _("The scores cannot be submitted yet: {count} items need attention.").format(
                    count=len(errors)
                ),
            )
        assignment.refresh_from_db()
        return _workspace(request, assignment, item_errors=errors, status=400)
    messages.success(request, _("Your scores were submitted and are now locked."))
    return redirect("review:workspace", pk=pk)


@login_required
@require_POST
def revise_item(request: HttpRequest, pk: int, item_id: str) -> HttpResponse:
    assignment = _own_assignment_or_404(request, pk)
    raw = _item_raw(request.POST)
    try:
        actions.do_revise_review(
            assignment,
            item_id,
            raw,
            reason=str(request.POST.get("revision_reason", "")),
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        assignment.refresh_from_db()
        assignment.review.refresh_from_db()
        return _workspace(request, assignment, typed={item_id: (raw, errors_of(error))}, status=400)
    messages.success(
        request, _("Item {item} was revised; the earlier scores are kept.").format(item=item_id)
    )
    return redirect(reverse("review:workspace", args=[pk]) + "#item-" + item_id.replace(".", "-"))


@login_required
def declare_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment_or_404(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_declare_conflict(
                assignment,
                reason=form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Your conflict of interest was recorded; the assignment is withdrawn.")
            )
            return redirect("review:tasks")
    return render(request, "review/conflict.html", {"assignment": assignment, "form": form})


@login_required
def assignment_evidence(request: HttpRequest, pk: int, code: str) -> FileResponse:
    """An evidence file of the frozen submission: exactly the bytes the snapshot hashed."""
    assignment = assignment_or_404(request, pk)
    entry = next((e for e in evidence_entries(assignment.submission) if e["code"] == code), None)
    if entry is None:
        raise Http404
    if assignment.submission.stage != Stage.SELECTION:
        # A self-evaluation report's evidence: files of the unit's archive, by their codes.
        unit = assignment.application.creation_unit
        found = file_of_code(unit, code, entry["sha256"])
        if found is None:
            raise Http404
        return file_download(found)
    evidence = Evidence.objects.filter(
        application=assignment.application, code=code, sha256=entry["sha256"]
    ).first()
    if evidence is None:
        raise Http404
    return file_response(evidence)
