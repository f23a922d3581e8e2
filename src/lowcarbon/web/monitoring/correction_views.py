"""The pages of corrections of stored readings: the form of one interval (from an import's
findings or a meter's page) and a unit's corrections (更正记录). Views ask ``permissions`` and
call the action; a unit or meter the user may not see is a logged 404."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lowcarbon.web import permissions
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.actions import core_meter
from lowcarbon.web.monitoring.correction_actions import (
    CorrectionItem,
    do_correct_readings,
)
from lowcarbon.web.monitoring.correction_forms import START_FORMAT, CorrectionForm, parse_start
from lowcarbon.web.monitoring.correction_links import interval_rows
from lowcarbon.web.monitoring.models import Meter, ReadingCorrection
from lowcarbon.web.monitoring.stores import monitoring_store
from lowcarbon.web.monitoring.views import _meter, _unit

__all__ = ["correction_new", "corrections"]

#: How many intervals around the one asked for the form shows (each side).
AROUND = 4


def _history(meter: Meter, start: datetime) -> list[ReadingCorrection]:
    """The corrections of ``meter``'s interval starting at ``start`` (store time), latest first."""
    return list(
        ReadingCorrection.objects.filter(meter=meter, start=start.replace(tzinfo=SHANGHAI))
        .select_related("corrected_by")
        .order_by("-corrected_at", "-id")
    )


@login_required
def correction_new(request: HttpRequest, pk: int) -> HttpResponse:
    meter = _meter(request, pk)
    if not permissions.can_correct_readings(request.user, meter.unit):
        permissions.deny(request, f"correct readings of meter {pk}")
    definition = core_meter(meter)
    store = monitoring_store()
    asked = parse_start(request.POST.get("start") if request.method == "POST" else None)
    asked = asked or parse_start(request.GET.get("start"))
    found = store.stored_intervals(definition, asked, asked + definition.interval) if asked else []
    current = found[0] if found else None
    initial = {}
    if asked is not None:
        initial["start"] = asked.strftime(START_FORMAT)
    if current is not None:
        initial["expected_from"] = current.source
        initial["kind"] = "replace"
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = CorrectionItem(
            meter=meter,
            start=data["start"],
            kind=data["kind"],
            value=data.get("value"),
            read_from_meter=bool(data.get("read_from_meter")),
            expected_from=data.get("expected_from") or None,
        )
        try:
            do_correct_readings(
                meter.unit,
                [item],
                data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The reading was corrected; the original is kept."))
            return redirect("monitoring:corrections", unit=meter.unit_id)
    around = (
        store.stored_intervals(
            definition,
            asked - AROUND * definition.interval,
            asked + (AROUND + 1) * definition.interval,
        )
        if asked is not None
        else store.marked_intervals(definition, limit=20)
    )
    context = {
        "unit": meter.unit,
        "meter": meter,
        "form": form,
        "asked": asked,
        "current": current,
        "current_row": interval_rows(meter, [current])[0] if current else None,
        "unit_name": definition.consumption_unit,
        "around": interval_rows(meter, around),
        "history": _history(meter, asked) if asked is not None else [],
    }
    return render(request, "monitoring/correction_form.html", context)


@require_safe
@login_required
def corrections(request: HttpRequest, unit: int) -> HttpResponse:
    organisation = _unit(request, unit)
    rows = ReadingCorrection.objects.filter(unit=organisation).select_related(
        "meter", "corrected_by"
    )
    context = {"unit": organisation, "rows": rows[:500], "count": rows.count()}
    return render(request, "monitoring/corrections.html", context)
