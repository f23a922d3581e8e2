"""The ledger's meters in the web: the committee links and unlinks a household's meters, feeds
the community's ledgers from them, and takes a meter's figures instead of a bill; the ledger
page's notes on metered months (what a resident sees of their own household). Each POST answers
with a redirect and a message; a household or community the user may not see is a logged 404,
a resident asking the committee's actions a logged 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lowcarbon.web import permissions
from lowcarbon.web.households.forms import FeedForm, MeterLinkForm
from lowcarbon.web.households.meters import (
    do_feed_from_meters,
    do_link_meter,
    do_take_metered_month,
    do_unlink_meter,
)
from lowcarbon.web.households.models import Household, HouseholdMeter, LedgerMonth
from lowcarbon.web.households.views import _household, _unit
from lowcarbon.web.monitoring.models import Meter
from lowcarbon.web.numbers import is_key, posted_version

__all__ = ["feed", "meter_link", "meter_unlink", "month_take_metered"]


def _committee_household(request: HttpRequest, pk: int, what: str) -> Household:
    found = _household(request, pk)
    if not permissions.can_manage_households(request.user, found.unit):
        permissions.deny(request, f"{what} of household {pk}")
    return found


def _show(request: HttpRequest, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


@login_required
@require_POST
def meter_link(request: HttpRequest, pk: int) -> HttpResponse:
    found = _committee_household(request, pk, "link a meter")
    form = MeterLinkForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("meter", []) + form.errors.get("since", []):
            messages.error(request, str(problem))
        return redirect("households:household", pk=found.pk)
    number = form.cleaned_data["meter"].strip()
    meter = Meter.objects.filter(unit=found.unit, number=number).first()
    if meter is None:
        messages.error(
            request,
            _("No meter numbered “{number}” in the community's register.").format(
                number=number[:60]
            ),
        )
        return redirect("households:household", pk=found.pk)
    try:
        do_link_meter(
            found,
            meter,
            since=form.cleaned_data["since"],
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("Meter {number} now feeds this household's ledger.").format(number=meter.number),
        )
    return redirect("households:household", pk=found.pk)


@login_required
@require_POST
def meter_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    found = _committee_household(request, pk, "unlink a meter")
    raw = request.POST.get("link", "")
    link = (
        HouseholdMeter.objects.filter(pk=int(raw), household=found).first() if is_key(raw) else None
    )
    if link is None:
        messages.error(request, _("Choose one of the household's linked meters."))
        return redirect("households:household", pk=found.pk)
    try:
        do_unlink_meter(link, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("Meter {number} no longer feeds this household's ledger.").format(
                number=link.meter.number
            ),
        )
    return redirect("households:household", pk=found.pk)


@login_required
@require_POST
def feed(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee's button: every linked household's ledger fed from its meters now."""
    unit = _unit(request, pk)
    form = FeedForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("month", []):
            messages.error(request, str(problem))
        return redirect("households:community", pk=unit.pk)
    try:
        report = do_feed_from_meters(
            unit,
            actor=request.user,  # type: ignore[arg-type]
            month=form.cleaned_data["month"],
        )
    except ValidationError as error:
        _show(request, error)
        return redirect("households:community", pk=unit.pk)
    messages.success(request, report.summary())
    for line in report.skipped[:20]:
        messages.warning(request, line)
    if len(report.skipped) > 20:
        messages.warning(
            request,
            _("… and {more} more left out; each household's ledger lists its own.").format(
                more=len(report.skipped) - 20
            ),
        )
    return redirect("households:community", pk=unit.pk)


@login_required
@require_POST
def month_take_metered(request: HttpRequest, pk: int, month_pk: int) -> HttpResponse:
    found = _committee_household(request, pk, "take the meters' figures")
    entry = LedgerMonth.objects.filter(pk=month_pk, household=found).first()
    if entry is None:
        raise Http404
    try:
        do_take_metered_month(
            entry,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("{month} now holds the meters' figures.").format(month=f"{entry.month:%Y-%m}"),
        )
    return redirect("households:household", pk=found.pk)
