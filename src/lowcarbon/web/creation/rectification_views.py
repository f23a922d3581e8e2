"""The pages of rectification orders (整改通知): the issue form (the unit's district, the
bureau), an order with its items, answers of every round and the answer forms (the unit), the
close and return forms (the issuer's side) and the download of an answer's files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.web import permissions
from lowcarbon.web.applications.evidence import CONTENT_TYPES
from lowcarbon.web.archive.citations import records_of_source
from lowcarbon.web.archive.models import ArchiveRecord
from lowcarbon.web.creation.duties import rectification_state
from lowcarbon.web.creation.forms import (
    RectificationAnswerForm,
    RectificationCloseForm,
    RectificationIssueForm,
    RectificationReturnForm,
)
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import (
    CreationUnit,
    RectificationFile,
    RectificationOrder,
    RectificationStatus,
)
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_answer_rectification_item,
    do_close_rectification,
    do_issue_rectification,
    do_return_rectification,
    do_submit_rectification,
)
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.numbers import posted_version

__all__ = [
    "order_context",
    "rectification_answer",
    "rectification_close",
    "rectification_file",
    "rectification_issue",
    "rectification_order",
    "rectification_return",
    "rectification_submit",
    "unit_rectifications",
]


def _unit(request: HttpRequest, pk: int) -> CreationUnit:
    return visible_unit(request, pk, "creation unit")


def _order(request: HttpRequest, pk: int) -> RectificationOrder:
    """The order if the user may see its unit; 404 (logged) otherwise."""
    units = permissions.visible_creation_units(request.user)
    order: RectificationOrder | None = (
        RectificationOrder.objects.filter(pk=pk, unit__in=units)
        .select_related(
            "unit", "unit__application", "unit__application__unit", "unit__application__round"
        )
        .first()
    )
    if order is None:
        permissions.log_denied(request, f"view rectification order {pk}")
        raise Http404
    return order


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _messages(request: HttpRequest, error: ValidationError) -> None:
    for problems in error.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


def order_context(order: RectificationOrder) -> dict[str, Any]:
    """An order's items, each with its answers of every round (latest last)."""
    items = []
    for item in order.items.prefetch_related("answers__files"):
        answers = list(item.answers.all())
        current = next((a for a in answers if a.round_number == order.round_number), None)
        items.append({"item": item, "answers": answers, "current": current})
    return {"order": order, "items": items}


def unit_rectifications(unit: CreationUnit) -> list[dict[str, Any]]:
    """The unit page's rectification section: every order, the open ones first."""
    now = timezone.now()
    orders = list(unit.rectifications.select_related("issued_by"))
    orders.sort(key=lambda o: (o.status == RectificationStatus.CLOSED, -o.issued_at.timestamp()))
    return [order_context(o) | {"state": rectification_state(o, now)} for o in orders]


@login_required
def rectification_issue(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if not permissions.can_issue_rectification(request.user, unit):
        permissions.deny(request, f"issue a rectification order to creation unit {pk}")
    form = RectificationIssueForm(request.POST or None, initial={"version": unit.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = [
            ItemInput(data[f"problem_{n}"], data[f"requirement_{n}"], data[f"basis_{n}"])
            for n in range(1, len(form.item_rows()) + 1)
        ]
        try:
            order = do_issue_rectification(
                unit,
                items=items,
                deadline=data["deadline"],
                expected_version=data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The rectification order was issued."))
            return redirect("creation:rectification", pk=order.pk)
    return render(request, "creation/rectification_issue.html", {"unit": unit, "form": form})


@require_safe
@login_required
def rectification_order(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    can_answer = permissions.can_answer_rectification(request.user, order)
    can_review = permissions.can_review_rectification(request.user, order)
    context = order_context(order) | {
        "unit": order.unit,
        "state": rectification_state(order, timezone.now()),
        "can_answer": can_answer and order.is_answerable,
        "can_review": can_review and order.status != RectificationStatus.CLOSED,
        "can_return": can_review and order.status == RectificationStatus.ANSWERED,
    }
    # The unit's archive records an answer can cite as evidence, and those each answer cites.
    context["archive_records"] = list(
        ArchiveRecord.objects.filter(unit=order.unit, removed_at__isnull=True).order_by(
            "-date", "-id"
        )
    )
    for entry in context["items"]:
        current = entry["current"]
        for answer in entry["answers"]:
            key = f"rectification:{order.pk}:{entry['item'].number}:{answer.round_number}"
            answer.cited_records = list(records_of_source(key))
        entry["cited_now"] = [r.pk for r in current.cited_records] if current else []
        entry["form"] = RectificationAnswerForm(
            initial={"text": current.text if current else "", "version": order.version},
            prefix=f"item{entry['item'].number}",
        )
    return render(request, "creation/rectification.html", context)


@login_required
@require_POST
def rectification_answer(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    order = _order(request, pk)
    if not permissions.can_answer_rectification(request.user, order):
        permissions.deny(request, f"answer rectification order {pk}")
    item = order.items.filter(number=number).first()
    if item is None:
        permissions.log_denied(request, f"item {number} of rectification order {pk}")
        raise Http404
    form = RectificationAnswerForm(request.POST, prefix=f"item{number}")
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in problems:
                messages.error(
                    request,
                    _("Item {number}: {field} {problem}").format(
                        number=number, field=label or "", problem=problem
                    ),
                )
        return redirect("creation:rectification", pk=order.pk)
    try:
        do_answer_rectification_item(
            item,
            text=form.cleaned_data["text"],
            files=request.FILES.getlist(f"item{number}-files"),
            records=request.POST.getlist(f"item{number}-records"),
            expected_version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The answer to item {number} was saved.").format(number=number))
    return redirect("creation:rectification", pk=order.pk)


@login_required
@require_POST
def rectification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not permissions.can_answer_rectification(request.user, order):
        permissions.deny(request, f"submit the answers of rectification order {pk}")
    version = posted_version(request.POST)
    if version < 0:
        messages.error(request, _("The page is out of date; reload it and try again."))
        return redirect("creation:rectification", pk=order.pk)
    try:
        do_submit_rectification(
            order,
            expected_version=version,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _messages(request, error)
    else:
        messages.success(request, _("The answers were submitted for review."))
    return redirect("creation:rectification", pk=order.pk)


@login_required
def rectification_close(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not permissions.can_review_rectification(request.user, order):
        permissions.deny(request, f"close rectification order {pk}")
    form = RectificationCloseForm(request.POST or None, initial={"version": order.version})
    if request.method == "POST" and form.is_valid():
        try:
            do_close_rectification(
                order,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The rectification order was closed."))
            return redirect("creation:rectification", pk=order.pk)
    context = order_context(order) | {"unit": order.unit, "form": form}
    return render(request, "creation/rectification_close.html", context)


@login_required
def rectification_return(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    if not permissions.can_review_rectification(request.user, order):
        permissions.deny(request, f"return rectification order {pk}")
    numbers = list(order.items.values_list("number", flat=True))
    form = RectificationReturnForm(
        request.POST or None,
        numbers=numbers,
        initial={"version": order.version, "deadline": local_date(order.due_at)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_return_rectification(
                order,
                comment=data["comment"],
                item_comments={n: data[f"item_{n}"] for n in numbers},
                deadline=data["deadline"],
                expected_version=data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The order was returned for another round of answers."))
            return redirect("creation:rectification", pk=order.pk)
    context = order_context(order) | {"unit": order.unit, "form": form}
    return render(request, "creation/rectification_return.html", context)


@require_safe
@login_required
def rectification_file(request: HttpRequest, pk: int) -> FileResponse:
    units = permissions.visible_creation_units(request.user)
    found: RectificationFile | None = RectificationFile.objects.filter(
        pk=pk, unit__in=units
    ).first()
    if found is None:
        permissions.log_denied(request, f"download rectification file {pk}")
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=CONTENT_TYPES.get(found.content_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
