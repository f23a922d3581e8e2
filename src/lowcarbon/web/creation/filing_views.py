"""The filings' pages: a unit's filings, one revision (its content, the diff of a plan against
the submitted application, the forms of the unit and of the reviewers), and the bureau's rule
for late filings. Views ask the permissions; the actions in :mod:`.filings` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.documents.formatting import number
from lowcarbon.rules.workbook import WorkbookError
from lowcarbon.web import permissions
from lowcarbon.web.applications.baseline import read_uploaded_workbook
from lowcarbon.web.applications.narrative import to_plain_text
from lowcarbon.web.creation.filing_content import TASK_STATUSES, plan_diff, text_elements
from lowcarbon.web.creation.filing_models import (
    Filing,
    FilingKind,
    FilingStatus,
    LateFilings,
)
from lowcarbon.web.creation.filings import (
    can_file,
    can_review_filing,
    do_attach_activity,
    do_change_filing_policy,
    do_delete_filing,
    do_review_filing,
    do_save_filing,
    do_start_filing,
    do_submit_filing,
    policy_of,
    unit_due,
)
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit, ScheduleItem
from lowcarbon.web.numbers import VersionField, posted_version
from lowcarbon.web.rounds.models import Round

__all__ = [
    "filing_activity",
    "filing_delete",
    "filing_detail",
    "filing_policy",
    "filing_review",
    "filing_save",
    "filing_start",
    "filing_submit",
    "unit_filings",
]


def _unit(request: HttpRequest, pk: int) -> CreationUnit:
    return visible_unit(request, pk, "the filings of creation unit")


def _filing(request: HttpRequest, pk: int) -> Filing:
    units = permissions.visible_creation_units(request.user)
    filing = (
        Filing.objects.select_related("unit", "unit__application", "item")
        .filter(pk=pk, unit__in=units)
        .first()
    )
    if filing is None:
        permissions.log_denied(request, f"view filing {pk}")
        raise Http404
    return filing


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for problems in error.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


def _version(request: HttpRequest) -> int:
    return posted_version(request.POST)


def filing_rows(unit: CreationUnit) -> list[dict[str, Any]]:
    """What the unit files, each with its latest revision and due date: the final plan, each
    year's work plan and the progress report of the year before it."""
    items = ScheduleItem.objects.filter(round_id=unit.application.round_id).order_by("due_at")
    revisions: dict[tuple[str, int | None], Filing] = {}
    for filing in Filing.objects.filter(unit=unit).order_by("number"):
        revisions[(filing.kind, filing.year)] = filing
    rows = []
    for item in items:
        if unit.kind not in item.kinds:
            continue
        wanted: list[tuple[str, int | None]] = []
        if item.key == "final_plan":
            wanted = [(FilingKind.FINAL_PLAN, None)]
        elif item.key == "work_plan" and item.year is not None:
            wanted = [
                (FilingKind.WORK_PLAN, item.year),
                (FilingKind.PROGRESS_REPORT, item.year - 1),
            ]
        for kind, year in wanted:
            rows.append(
                {
                    "kind": kind,
                    "label": FilingKind(kind).label,
                    "year": year,
                    "due_at": unit_due(unit, item),
                    "latest": revisions.get((kind, year)),
                }
            )
    return rows


@require_safe
@login_required
def unit_filings(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    context = {
        "unit": unit,
        "rows": filing_rows(unit),
        "revisions": Filing.objects.filter(unit=unit).order_by("kind", "year", "-number"),
        "can_file": can_file(request.user, unit),
        "policy": policy_of(unit.application.round),
    }
    return render(request, "creation/filing_list.html", context)


@login_required
@require_POST
def filing_start(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if not can_file(request.user, unit):
        permissions.deny(request, f"start a filing of creation unit {pk}")
    kind = request.POST.get("kind", "")
    year_text = request.POST.get("year", "")
    # A year of four digits, or none (a longer number is no year and must not reach a query).
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    try:
        filing = do_start_filing(unit, kind=kind, year=year, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
        return redirect("creation:filings", pk=unit.pk)
    return redirect("creation:filing", pk=filing.pk)


def _sections(filing: Filing) -> list[dict[str, Any]]:
    source = filing.content if not filing.is_frozen else filing.snapshot.get("plan") or {}
    sections = source.get("sections") or {}
    return [
        {
            "field": f"section_{element_id}",
            "section": section,
            "label": label,
            "text": to_plain_text(str(sections.get(element_id) or "")),
        }
        for element_id, section, label in text_elements(filing.unit)
    ]


@require_safe
@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    unit = filing.unit
    content = filing.snapshot.get("content", {}) if filing.is_frozen else filing.content
    context: dict[str, Any] = {
        "filing": filing,
        "unit": unit,
        "content": content,
        "editable": not filing.is_frozen and can_file(request.user, unit),
        "can_review": filing.status == FilingStatus.SUBMITTED
        and can_review_filing(request.user, unit),
        "revisions": Filing.objects.filter(unit=unit, kind=filing.kind, year=filing.year).order_by(
            "-number"
        ),
        "task_statuses": TASK_STATUSES,
        "due_at": filing.due_at or unit_due(unit, filing.item),
    }
    if filing.kind == FilingKind.FINAL_PLAN:
        context["sections"] = _sections(filing)
        after = (
            (filing.snapshot.get("plan") or {}).get("sections")
            if filing.is_frozen
            else filing.content.get("sections")
        )
        context["diff"] = plan_diff(
            unit, unit.submission.snapshot.get("sections") or {}, after or {}
        )
        # Stored exactly as the task list was generated; shown at one precision, grouped.
        context["task_list"] = [
            row | {"reduction_tco2": number(row["reduction_tco2"])}
            if row.get("reduction_tco2") is not None
            else row
            for row in filing.snapshot.get("task_list") or []
        ]
    if filing.kind == FilingKind.PROGRESS_REPORT:
        context["activity"] = (content.get("activity") or {}).get("figures")
        context["activity_file"] = (content.get("activity") or {}).get("file", "")
    return render(request, "creation/filing.html", context)


@login_required
@require_POST
def filing_save(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    if not can_file(request.user, filing.unit):
        permissions.deny(request, f"edit filing {pk}")
    fields = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    try:
        do_save_filing(
            filing,
            fields=fields,
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The draft was saved."))
    return redirect("creation:filing", pk=filing.pk)


class ActivityForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Activity workbook of the year (.xlsx)"))
    version = VersionField()


@login_required
@require_POST
def filing_activity(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    if not can_file(request.user, filing.unit):
        permissions.deny(request, f"upload activity data to filing {pk}")
    form = ActivityForm(request.POST, request.FILES)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("creation:filing", pk=filing.pk)
    upload = form.cleaned_data["workbook"]
    try:
        data = read_uploaded_workbook(upload)
        do_attach_activity(
            filing,
            data,
            file_name=upload.name or "",
            expected_version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except WorkbookError as spoiled:
        messages.error(
            request,
            _("The workbook “{name}” was not used; nothing was saved.").format(name=upload.name),
        )
        for item in spoiled.problems[:20]:
            messages.error(
                request,
                _(
                    "Sheet {sheet}, row {row}, column {column}: found “{found}”; "
                    "expected {expected}."
                ).format(
                    sheet=item.sheet or _("the whole workbook"),
                    row=item.row or "—",
                    column=item.column or "—",
                    found="" if item.found is None else str(item.found)[:80],
                    expected=item.expected.render(_),
                ),
            )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The year's inventory was computed from the workbook."))
    return redirect("creation:filing", pk=filing.pk)


@login_required
@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    if not can_file(request.user, filing.unit):
        permissions.deny(request, f"file filing {pk}")
    try:
        filed = do_submit_filing(filing, expected_version=_version(request), actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        if filed.late:
            messages.warning(request, _("Filed after its due date: marked late."))
        else:
            messages.success(request, _("Filed; the district reviews it."))
    return redirect("creation:filing", pk=filing.pk)


@login_required
@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    if not can_review_filing(request.user, filing.unit):
        permissions.deny(request, f"review filing {pk}")
    acknowledge = request.POST.get("decision") == "acknowledge"
    try:
        do_review_filing(
            filing,
            acknowledge=acknowledge,
            comment=request.POST.get("comment", ""),
            expected_version=_version(request),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Acknowledged.") if acknowledge else _("Returned to the unit."))
    return redirect("creation:filing", pk=filing.pk)


@login_required
@require_POST
def filing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _filing(request, pk)
    if not can_file(request.user, filing.unit):
        permissions.deny(request, f"delete filing {pk}")
    try:
        do_delete_filing(filing, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
        return redirect("creation:filing", pk=filing.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("creation:filings", pk=filing.unit_id)


class PolicyForm(forms.Form):
    late_filings = forms.ChoiceField(
        label=gettext_lazy("Late filings"), choices=LateFilings.choices
    )
    grace_days = forms.IntegerField(
        label=gettext_lazy("Days accepted after the due date"), min_value=0, max_value=366
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField()


@login_required
def filing_policy(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_creation_schedule(request.user):
        permissions.log_denied(request, f"late filings rule of round {pk}")
        raise Http404
    round_ = get_object_or_404(Round, pk=pk)
    policy = policy_of(round_)
    initial = {
        "late_filings": policy.late_filings,
        "grace_days": policy.grace_days,
        "version": policy.version,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_filing_policy(
                round_,
                late_filings=form.cleaned_data["late_filings"],
                grace_days=form.cleaned_data["grace_days"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The rule for late filings was changed."))
            return redirect("creation:schedule", pk=round_.pk)
    return render(
        request, "creation/filing_policy.html", {"round": round_, "form": form, "policy": policy}
    )
