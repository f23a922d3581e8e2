"""The creation stage's pages: 我的待办, the list of units, a unit (status, schedule, history),
and the bureau's schedule and extension forms. Views ask ``permissions``; actions write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.web import permissions
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import (
    do_change_schedule_item,
    do_change_unit_status,
    do_extend,
    do_record_completion,
)
from lowcarbon.web.creation.duties import (
    duties_of,
    rectification_todos_for,
    todos_for,
    unit_duties,
)
from lowcarbon.web.creation.filings import (
    FILING_EVENT_LABELS,
    filing_details,
    filing_todos_for,
)
from lowcarbon.web.creation.forms import (
    CompletionForm,
    ExtensionForm,
    ScheduleItemForm,
    StatusForm,
)
from lowcarbon.web.creation.lifecycle import next_statuses
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    ScheduleItem,
)
from lowcarbon.web.creation.rectification import issue_refusal
from lowcarbon.web.creation.rectification_views import unit_rectifications
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.rounds.models import Round

__all__ = [
    "record_completion",
    "round_schedule",
    "schedule_item_edit",
    "todos",
    "unit_detail",
    "unit_extend",
    "unit_list",
    "unit_status",
]


def _unit(request: HttpRequest, pk: int) -> CreationUnit:
    return visible_unit(request, pk, "creation unit")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for problems in error.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


@require_safe
@login_required
def todos(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "duties": todos_for(request.user, now),
        "rectifications": rectification_todos_for(request.user, now),
        "filings": filing_todos_for(request.user, now),
    }
    return render(request, "creation/todos.html", context)


@require_safe
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_creation_units(request.user):
        permissions.log_denied(request, "list creation units")
        raise Http404
    units = list(permissions.visible_creation_units(request.user))
    now = timezone.now()
    by_unit: dict[int, dict[str, Any]] = {
        u.pk: {"unit": u, "overdue": 0, "next": None} for u in units
    }
    for duty in duties_of(units, now):
        row = by_unit[duty.unit.pk]
        if duty.state == "overdue":
            row["overdue"] += 1
        elif duty.state != "done" and row["next"] is None:
            row["next"] = duty
    rounds = (
        Round.objects.filter(creation_schedule__isnull=False).distinct()
        if permissions.can_manage_creation_schedule(request.user)
        else Round.objects.none()
    )
    context = {"rows": list(by_unit.values()), "schedules": rounds}
    return render(request, "creation/list.html", context)


# What each audit event of the unit and its batch's schedule says, for its history.
EVENT_LABELS = {
    "creation_unit_created": gettext_lazy("selected into creation: unit made"),
    "creation_unit_status_changed": gettext_lazy("status changed"),
    "creation_unit_extended": gettext_lazy("due date extended"),
    "creation_item_completed": gettext_lazy("recorded as done"),
    "creation_schedule_item_created": gettext_lazy("batch schedule: date set"),
    "creation_schedule_item_changed": gettext_lazy("batch schedule: date changed"),
    "creation_rectification_issued": gettext_lazy("rectification order issued"),
    "creation_rectification_answered": gettext_lazy("rectification: item answered"),
    "creation_rectification_submitted": gettext_lazy("rectification: answers submitted"),
    "creation_rectification_returned": gettext_lazy("rectification: returned for another round"),
    "creation_rectification_closed": gettext_lazy("rectification order closed"),
    **FILING_EVENT_LABELS,
}


def _rectification_details(after: dict[str, Any]) -> list[str]:
    details = []
    if after.get("item"):
        details.append(_("item {number}").format(number=after["item"]))
    if after.get("unit_status"):
        details.append(str(LifecycleStatus(after["unit_status"]).label))
    if after.get("deadline"):
        details.append(str(after["deadline"]))
    return details


def _history(unit: CreationUnit) -> list[dict[str, Any]]:
    items = {
        str(item.pk): item
        for item in ScheduleItem.objects.filter(round_id=unit.application.round_id)
    }
    codes = {item.code: item.label for item in items.values()}
    orders = [str(pk) for pk in unit.rectifications.values_list("pk", flat=True)]
    filings = [str(pk) for pk in unit.filings.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(
        Q(object_type="creation.CreationUnit", object_id=str(unit.pk))
        | Q(object_type="creation.ScheduleItem", object_id__in=list(items))
        | Q(object_type="creation.RectificationOrder", object_id__in=orders)
        | Q(object_type="creation.Filing", object_id__in=filings)
    ).order_by("-created_at", "-id")
    history = []
    for event in events:
        after = event.after or {}
        details = []
        if event.object_type == "creation.RectificationOrder":
            details += _rectification_details(after)
        elif event.object_type == "creation.Filing":
            details += filing_details(after or event.before or {})
        elif after.get("status"):
            details.append(str(LifecycleStatus(after["status"]).label))
        if event.object_type == "creation.ScheduleItem":
            details.append(items[event.object_id].label)
        elif after.get("item") and event.object_type == "creation.CreationUnit":
            details.append(codes.get(after["item"], after["item"]))
        for key in ("due_at", "completed_at"):
            if after.get(key):
                details.append(after[key][:10])
        history.append(
            {
                "event": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "details": " · ".join(details),
            }
        )
    return history


@require_safe
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    now = timezone.now()
    targets = next_statuses(unit.kind, unit.status)
    allowed = [t for t in targets if permissions.can_change_unit_status(request.user, unit, t)]
    rectifications = unit_rectifications(unit)
    context = {
        "unit": unit,
        "application": unit.application,
        "duties": unit_duties(unit, now),
        "history": _history(unit),
        "status_form": (
            StatusForm(targets=allowed, initial={"version": unit.version}) if allowed else None
        ),
        "can_extend": permissions.can_manage_creation_schedule(request.user),
        "can_record": permissions.can_record_completion(request.user, unit),
        "completion_form": CompletionForm(initial={"completed_on": local_date(now)}),
        "rectifications": rectifications,
        # Offered only where the order could be issued: one at a time (a new one once the last
        # is closed), and from a stage that may turn to rectification (not while 入选).
        "can_issue_rectification": permissions.can_issue_rectification(request.user, unit)
        and issue_refusal(unit) is None,
    }
    return render(request, "creation/unit.html", context)


@login_required
@require_POST
def unit_status(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if not permissions.can_change_unit_status(request.user, unit):
        permissions.deny(request, f"change the status of creation unit {pk}")
    form = StatusForm(request.POST, targets=[])
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("creation:unit", pk=unit.pk)
    try:
        do_change_unit_status(
            unit,
            target=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The unit's status was changed."))
    return redirect("creation:unit", pk=unit.pk)


def _item_of_unit(request: HttpRequest, unit: CreationUnit, item_pk: int) -> ScheduleItem:
    item = ScheduleItem.objects.filter(pk=item_pk, round_id=unit.application.round_id).first()
    if item is None or unit.kind not in item.kinds:
        permissions.log_denied(request, f"schedule item {item_pk} of creation unit {unit.pk}")
        raise Http404
    return item


@login_required
def unit_extend(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if not permissions.can_manage_creation_schedule(request.user):
        permissions.deny(request, f"extend a due date of creation unit {pk}")
    item = _item_of_unit(request, unit, item_pk)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_extend(
                unit,
                item,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The extension was granted."))
            return redirect("creation:unit", pk=unit.pk)
    current = next(d for d in unit_duties(unit, timezone.now()) if d.item.pk == item.pk)
    context = {"unit": unit, "item": item, "duty": current, "form": form}
    return render(request, "creation/extend.html", context)


@login_required
@require_POST
def record_completion(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if not permissions.can_record_completion(request.user, unit):
        permissions.deny(request, f"record a filing of creation unit {pk}")
    item = _item_of_unit(request, unit, item_pk)
    form = CompletionForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("creation:unit", pk=unit.pk)
    try:
        do_record_completion(
            unit,
            item,
            completed_on=form.cleaned_data["completed_on"],
            note=form.cleaned_data["note"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Recorded as done: {item}.").format(item=item.label))
    return redirect("creation:unit", pk=unit.pk)


@require_safe
@login_required
def round_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_creation_schedule(request.user):
        permissions.log_denied(request, f"view the creation schedule of round {pk}")
        raise Http404
    round_ = get_object_or_404(Round, pk=pk)
    items = ScheduleItem.objects.filter(round=round_)
    return render(request, "creation/schedule.html", {"round": round_, "items": items})


@login_required
def schedule_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_creation_schedule(request.user):
        permissions.log_denied(request, f"edit schedule item {pk}")
        raise Http404
    item = get_object_or_404(ScheduleItem.objects.select_related("round"), pk=pk)
    initial = {
        "opens_on": local_date(item.opens_at) if item.opens_at else None,
        "due_on": local_date(item.due_at),
        "version": item.version,
    }
    form = ScheduleItemForm(request.POST or None, initial=initial, window=item.is_window)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_schedule_item(
                item,
                opens_on=form.cleaned_data.get("opens_on"),
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The date was changed."))
            return redirect("creation:schedule", pk=item.round_id)
    return render(request, "creation/schedule_edit.html", {"item": item, "form": form})
