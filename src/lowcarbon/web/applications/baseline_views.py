"""The baseline data (基础数据) and computed results (核算结果) parts of the applicant workspace.

Views parse input, ask :mod:`lowcarbon.web.permissions` (through ``visible_or_404``), call the
audited actions of :mod:`lowcarbon.web.applications.baseline` and render. Results are computed
on every request from the stored data (``computing.accounting_result``): nothing is cached, so
the page always shows what the stored data gives under the application's factor set.
"""

from __future__ import annotations

import logging
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.numbers import shown_text
from lowcarbon.documents.formatting import factor_set_name
from lowcarbon.rules.workbook import WorkbookError, write_workbook_template
from lowcarbon.web import permissions
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.baseline.actions import (
    ACCOUNTING_ACTIONS,
    DRIVER_FIELDS,
    do_clear_accounting,
    do_import_accounting,
    do_save_drivers,
)
from lowcarbon.web.applications.baseline.upload import read_uploaded_workbook
from lowcarbon.web.applications.baseline_results import baseline_context, results_context
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.applications.views import visible_or_404
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.numbers import NumberField, VersionField

__all__ = ["urlpatterns"]

logger = logging.getLogger(__name__)


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Accounting workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    version = VersionField()


class ClearForm(forms.Form):
    version = VersionField()
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete all the baseline data of this application"),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


_DRIVER_LABELS = {
    "resident_population": gettext_lazy("Resident population (常住人口)"),
    "registered_population": gettext_lazy("Registered population (户籍人口)"),
    "households": gettext_lazy("Households"),
    "floor_area_residential": gettext_lazy("Floor area, residential (m²)"),
    "floor_area_commercial_public": gettext_lazy("Floor area, public and commercial (m²)"),
    "floor_area_industry": gettext_lazy("Floor area, industry (m²)"),
    "floor_area_other": gettext_lazy("Floor area, other (m²)"),
    "gdp_10k_yuan": gettext_lazy("GDP or value added (10⁴ yuan)"),
    "employees": gettext_lazy("Employees"),
}


# People and households of a unit: far below 10^9. Floor areas in m² and value added in 10^4
# yuan: below 10^12 (Shanghai's whole area is 6.3 × 10^9 m²), to the cent or square centimetre.
PEOPLE_MAXIMUM = 10**9
AMOUNT_MAXIMUM = 10**12
AMOUNT_PLACES = 2


class DriversForm(forms.Form):
    """The drivers of one year, read by the one number parser (lowcarbon.web.numbers)."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, whole in DRIVER_FIELDS.items():
            required = name == "resident_population"
            self.fields[name] = NumberField(
                label=_DRIVER_LABELS[name],
                required=required,
                minimum=1 if required else 0,
                maximum=PEOPLE_MAXIMUM if whole else AMOUNT_MAXIMUM,
                places=0 if whole else AMOUNT_PLACES,
            )

    def driver_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in DRIVER_FIELDS}


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _last_import(application: Application) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(
            action__in=ACCOUNTING_ACTIONS,
            object_type=Application._meta.label,
            object_id=str(application.pk),
        )
        .order_by("-pk")
        .first()
    )


def _deadline_passed(application: Application) -> bool:
    return timezone.localdate() > application.round.submission_deadline


# Problems whose "found" is the text of an exception, not something the person typed.
_INTERNAL_FOUND = frozenset({"unreadable"})
FOUND_SHOWN = 80


def _problem_rows(error: WorkbookError) -> list[dict[str, Any]]:
    """The problems as the page lists them, with what was found shortened and its control and
    bidi characters made visible. For a workbook that cannot be opened at all, what was found
    may be a library's error text naming a temporary path: that goes to the log, never to the
    page (the expected text says what is wrong)."""
    return [
        {
            "sheet": problem.sheet or _("the whole workbook"),
            "row": problem.row or "",
            "column": problem.column or "",
            "cell": problem.cell or "",
            "found": ""
            if problem.found is None or problem.code in _INTERNAL_FOUND
            else shown_text(_shown(problem.found), FOUND_SHOWN),
            "expected": problem.expected.render(_),
        }
        for problem in error.problems
    ]


def _shown(found: object) -> str:
    return format(found, ".15g") if isinstance(found, float) else str(found)


def _baseline_page(
    request: HttpRequest,
    application: Application,
    *,
    upload_form: UploadForm | None = None,
    problems: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = permissions.can_edit_application(request.user, application)
    deadline_passed = _deadline_passed(application)
    editable = can_edit and not deadline_passed
    version = application.accounting_version
    event = _last_import(application)
    context = {
        "application": application,
        **baseline_context(application.accounting),
        "can_edit": editable,
        "deadline_passed": deadline_passed,
        "upload_form": upload_form or UploadForm(initial={"version": version}),
        "clear_form": ClearForm(initial={"version": version}),
        "problems": problems,
        "last_event": event,
        "max_mb": _max_mb(),
        "factor_set_name": factor_set_name(application.factor_set_id, local),
    }
    stored_set = (application.accounting or {}).get("factor_set")
    if stored_set:
        context["stored_factor_set_name"] = factor_set_name(str(stored_set), local)
    return render(request, "applications/baseline.html", context, status=status)


def _max_mb() -> str:
    return f"{settings.LOWCARBON_UPLOAD_MAX_BYTES / 1024 / 1024:.0f}"


@login_required
def baseline(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored baseline data, the workbook to download and the upload form (POST: import)."""
    if request.method != "POST":
        return _baseline_page(request, visible_or_404(request, pk))
    application = visible_or_404(request, pk, edit=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _baseline_page(request, application, upload_form=form, status=400)
    upload = form.cleaned_data["workbook"]
    try:
        data = read_uploaded_workbook(upload)
    except WorkbookError as error:
        logger.info(
            "workbook refused: application=%s file=%r problems=%s",
            application.pk,
            upload.name,
            "; ".join(problem.message.render() for problem in error.problems[:20]),
        )
        return _baseline_page(
            request, application, upload_form=form, problems=_problem_rows(error), status=400
        )
    except ValidationError as error:
        _add_errors(form, error)
        return _baseline_page(request, application, upload_form=form, status=400)
    try:
        stored = do_import_accounting(
            application,
            data,
            expected_version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
            file_name=upload.name or "",
        )
    except ValidationError as error:
        _add_errors(form, error)
        if getattr(error, "code", None) == "stale":
            # Show what is stored now; uploading again knowingly replaces it.
            application.refresh_from_db()
            posted = request.POST.copy()
            posted["version"] = str(application.accounting_version)
            form.data = posted
        return _baseline_page(request, application, upload_form=form, status=400)
    messages.success(
        request,
        _(
            "The workbook “{name}” was imported: {records} activity records for {years}. The "
            "results are computed again from the new data."
        ).format(
            name=upload.name,
            records=len(data.records),
            years="、".join(str(year) for year in data.years),
        ),
    )
    if data.factor_set != stored.factor_set_id:
        messages.warning(
            request,
            _(
                "The workbook names the factor set {workbook_set}; this round computes every "
                "application with {round_set} (accounting-method.md §5.2), so the results use "
                "{round_set}."
            ).format(workbook_set=data.factor_set, round_set=stored.factor_set_id),
        )
    return redirect("applications:baseline", pk=application.pk)


@login_required
@require_safe
def baseline_workbook(request: HttpRequest, pk: int) -> FileResponse:
    """The accounting workbook: filled with the stored data when there is some (under the
    application's factor set), else the empty template for the application's kind."""
    application = visible_or_404(request, pk)
    example = computing.accounting_input(application)
    language = "en" if (get_language() or "").startswith("en") else "zh"
    kind = UnitKind(application.kind)
    if example is not None and example.profile.kind is not kind:
        example = None  # stored data of another kind cannot fill this template
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "workbook.xlsx"
        write_workbook_template(target, kind=kind, language=language, translate=_, example=example)
        content = target.read_bytes()
    name = _("accounting-workbook-{unit}-{year}.xlsx").format(
        unit=application.unit.name, year=application.round.year
    )
    return FileResponse(
        BytesIO(content),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def baseline_clear(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    form = ClearForm(request.POST)
    if form.is_valid():
        try:
            do_clear_accounting(
                application,
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(request, _("The baseline data was deleted."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("applications:baseline", pk=application.pk)


@login_required
def baseline_drivers(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Edit the drivers (population, households, floor area…) of one year without a workbook."""
    application = visible_or_404(request, pk, edit=True)
    stored = application.accounting
    if not stored:
        raise Http404
    drivers = stored["profile"].get("drivers") or []
    current = next((item for item in drivers if item.get("year") == year), None)
    years = set(stored.get("years") or ()) | {item.get("year") for item in drivers}
    if year not in years:
        raise Http404
    initial: dict[str, Any] = {"version": application.accounting_version}
    if current is not None:
        initial |= {name: current.get(name) for name in DRIVER_FIELDS if name in current}
        for kind, value in (current.get("floor_area_m2") or {}).items():
            initial[f"floor_area_{kind}"] = value
    form = DriversForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_drivers(
                application,
                year,
                form.driver_values(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The drivers of {year} were saved.").format(year=year))
            return redirect("applications:baseline", pk=application.pk)
    context = {"application": application, "form": form, "year": year}
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/baseline_drivers.html", context, status=status)


@login_required
@require_safe
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Inventories, indicators, comparison, forecast, targets and consistency, with charts."""
    application = visible_or_404(request, pk)
    context: dict[str, Any] = {"application": application, "result": None, "error": None}
    try:
        result = computing.accounting_result(application)
    except LowcarbonError as error:
        # Stored data is computed before it is saved; this only happens when the factor
        # library changed since. Say what the engine says instead of a server error.
        context["error"] = error.message.render(_)
    else:
        if result is not None:
            context["result"] = results_context(result)
    return render(request, "applications/results.html", context)


urlpatterns = [
    path("<int:pk>/baseline/", baseline, name="baseline"),
    path("<int:pk>/baseline/workbook/", baseline_workbook, name="baseline_workbook"),
    path("<int:pk>/baseline/clear/", baseline_clear, name="baseline_clear"),
    path("<int:pk>/baseline/drivers/<int:year>/", baseline_drivers, name="baseline_drivers"),
    path("<int:pk>/results/", results, name="results"),
]
