"""The review pages: the administrator's panels, assignments, ranking, decisions and
publication; the expert's tasks, scoring workspace and panel discussion; the applicant's
decision; the public list of selected units.

Views parse input, ask :mod:`lowcarbon.web.permissions` and call the actions. Every refusal of
access is logged and answered 404, the same answer whether the object exists or not, so ids
cannot be probed (an expert cannot find out that another expert's review exists).
"""

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

from lowcarbon.core.messages import format_points
from lowcarbon.core.outline import is_missing
from lowcarbon.core.rubric import Pool
from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment import form_values
from lowcarbon.web.applications.assessment_views import METHOD_NAMES, item_controls, raw_fields
from lowcarbon.web.applications.evidence import file_response, kind_name
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.applications.outlines import application_outline, local
from lowcarbon.web.applications.views import display_value
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.review import actions
from lowcarbon.web.review.aggregate import ApplicationResult, application_result, ranking
from lowcarbon.web.review.forms import (
    AssignForm,
    DecisionForm,
    PanelForm,
    PostForm,
    ProfileForm,
    ReasonForm,
    SettingsForm,
)
from lowcarbon.web.review.inspection import (
    INSPECTION_METHODS,
    inspection_items,
    inspection_of,
    item_inspection,
)
from lowcarbon.web.review.models import (
    ACTIVE_STATUSES,
    ApplicantVisibility,
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    Decision,
    DecisionOutcome,
    Discussion,
    ExpertProfile,
    Panel,
    round_settings,
)
from lowcarbon.web.review.snapshots import evidence_entries, self_points, snapshot_rubric
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "assignment_evidence",
    "decide",
    "declare_conflict",
    "my_decision",
    "panel_detail",
    "panel_result",
    "panels",
    "profile",
    "public_results",
    "publish",
    "ranking_page",
    "reopen",
    "revise_item",
    "save_item",
    "settings_page",
    "submit",
    "tasks",
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


def _not_found(request: HttpRequest, what: str) -> Http404:
    permissions.log_denied(request, what)
    return Http404()


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"__all__": list(error.messages)}


def _add_errors(form: Any, error: ValidationError) -> None:
    for field, problems in _errors(error).items():
        form.add_error(field if field in form.fields else None, problems)


def _admin_or_404(request: HttpRequest, what: str) -> None:
    if not permissions.can_manage_review(request.user):
        raise _not_found(request, what)


def _assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    assignment: Assignment | None = (
        permissions.visible_assignments(request.user).filter(pk=pk).first()
    )
    if assignment is None or not permissions.can_view_assignment(request.user, assignment):
        raise _not_found(request, f"review assignment {pk}")
    return assignment


# --- expert: tasks and profile ----------------------------------------------------------------


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """我的评审任务: the expert's assignments with their deadlines and states."""
    if not permissions.is_expert(request.user):
        raise _not_found(request, "review tasks")
    assignments = permissions.visible_assignments(request.user).order_by(
        "panel__deadline", "application__unit__name"
    )
    return render(request, "review/tasks.html", {"assignments": assignments})


@login_required
def profile(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    """The expert's affiliations (their own, or any expert's for an administrator)."""
    from lowcarbon.web.accounts.models import Role, User

    if user_id is None:
        expert = request.user
        if not permissions.is_expert(expert):
            raise _not_found(request, "expert profile")
    else:
        _admin_or_404(request, f"expert profile {user_id}")
        found = User.objects.filter(pk=user_id, role=Role.EXPERT).first()
        if found is None:
            raise Http404
        expert = found
    stored = ExpertProfile.objects.filter(user_id=int(expert.pk or 0)).first()
    initial = {
        "districts": list(stored.districts.all()) if stored else [],
        "organisation_name": stored.organisation_name if stored else "",
        "consultancies": "\n".join(stored.consultancies) if stored else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_expert_profile(
                expert,  # type: ignore[arg-type]
                districts=form.cleaned_data["districts"],
                organisation_name=form.cleaned_data["organisation_name"],
                consultancies=form.cleaned_data["consultancies"].splitlines(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The affiliations were saved."))
            return redirect(request.path)
    return render(request, "review/profile.html", {"form": form, "expert": expert})


# --- expert: the scoring workspace ------------------------------------------------------------


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


def _figures(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The key computed figures of the snapshot (the accounting engine's, as submitted)."""
    result = snapshot.get("accounting_result") or {}
    targets = result.get("targets") or {}
    return {
        "inventories": result.get("inventories") or [],
        "comparison": result.get("comparison"),
        "checks": targets.get("checks") or [],
        "consistency": targets.get("consistency"),
        "score": snapshot.get("score") or {},
    }


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
                    values["evidence"] = list((applicant.get(item.id) or {}).get("evidence", []))
                errors = {}
            chosen = set(values.get("evidence") or ())
            their = applicant.get(item.id) or {}
            items.append(
                {
                    "id": item.id,
                    "anchor": "item-" + item.id.replace(".", "-"),
                    "title": local(item.title),
                    "declared": format_points(item.declared_points)
                    if item.declared_points is not None
                    else "—",
                    "citation": item.citation,
                    "methods": [str(METHOD_NAMES[m]) for m in item.methods],
                    "method_text": item.method_text,
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
        "sections": _item_views(assignment, typed or {}, item_errors or {}, site),
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
    assignment = _assignment_or_404(request, pk)
    if not (assignment.expert_id == request.user.pk or permissions.can_manage_review(request.user)):
        raise _not_found(request, f"review assignment {pk}")
    return _workspace(request, assignment)


def _version(request: HttpRequest) -> int:
    return posted_version(request.POST)


def _own_assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    assignment = _assignment_or_404(request, pk)
    if assignment.expert_id != request.user.pk:
        raise _not_found(request, f"score review assignment {pk}")
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
        return _workspace(request, assignment, typed={item_id: (raw, _errors(error))}, status=400)
    messages.success(request, _("Item {item} was saved.").format(item=item_id))
    anchor = "#item-" + item_id.replace(".", "-")
    return redirect(reverse("review:workspace", args=[pk]) + anchor)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _own_assignment_or_404(request, pk)
    try:
        actions.do_submit_review(
            assignment,
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        errors = _errors(error)
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
        return _workspace(request, assignment, typed={item_id: (raw, _errors(error))}, status=400)
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
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your conflict of interest was recorded; the assignment is withdrawn.")
            )
            return redirect("review:tasks")
    return render(request, "review/conflict.html", {"assignment": assignment, "form": form})


@login_required
def assignment_evidence(request: HttpRequest, pk: int, code: str) -> FileResponse:
    """An evidence file of the frozen submission: exactly the bytes the snapshot hashed."""
    assignment = _assignment_or_404(request, pk)
    entry = next((e for e in evidence_entries(assignment.submission) if e["code"] == code), None)
    evidence = (
        Evidence.objects.filter(
            application=assignment.application, code=code, sha256=entry["sha256"]
        ).first()
        if entry
        else None
    )
    if evidence is None:
        raise Http404
    return file_response(evidence)


# --- the panel's result and discussion ----------------------------------------------------------


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
        raise _not_found(request, f"panel {panel_pk} scores of application {application_pk}")
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
            _add_errors(form, error)
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


# --- administrator: panels, assignment, reopening ------------------------------------------------


@login_required
def panels(request: HttpRequest) -> HttpResponse:
    _admin_or_404(request, "review panels")
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = actions.do_form_panel(
                round_=form.cleaned_data["round"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                deadline=form.cleaned_data["deadline"],
                members=form.cleaned_data["members"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
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
    _admin_or_404(request, f"review panel {pk}")
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
            errors = _errors(error)
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
    _admin_or_404(request, f"reopen review assignment {pk}")
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
        for problems in _errors(error).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The scores were reopened for the expert."))
    return redirect("review:panel", pk=assignment.panel_id)


# --- administrator: settings, ranking, decisions, publication ------------------------------------


def _round_or_404(request: HttpRequest, pk: int) -> Round:
    _admin_or_404(request, f"review of round {pk}")
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
            _add_errors(form, error)
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
    }
    return render(request, "review/ranking.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_or_404(request, f"decide application {pk}")
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
        for refusals in _errors(error).values():
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
    try:
        count = actions.do_publish_decisions(round_, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problems in _errors(error).values():
            for problem in problems:
                messages.error(request, problem)
        kind = str(request.POST.get("kind", ""))  # back to the ranking the page showed
        return redirect(
            "review:ranking", pk=pk, kind=kind if kind in Kind.values else round_.kinds[0]
        )
    messages.success(request, _("{count} decisions were published.").format(count=count))
    return redirect("review:public", pk=pk)


# --- public and applicant --------------------------------------------------------------------


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


@login_required
def my_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's decision and, per the round setting, the aggregate (experts unnamed)."""
    application = Application.objects.select_related("round", "unit").filter(pk=pk).first()
    if application is None or not permissions.can_view_own_decision(request.user, application):
        raise _not_found(request, f"review decision of application {pk}")
    decision = Decision.objects.get(application=application)
    settings = round_settings(application.round)
    view = None
    if settings.applicant_visibility != ApplicantVisibility.DECISION_ONLY:
        assignment = (
            Assignment.objects.filter(application=application, status__in=ACTIVE_STATUSES)
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
