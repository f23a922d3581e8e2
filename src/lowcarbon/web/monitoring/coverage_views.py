"""The monitoring system's coverage report (监控系统覆盖情况) and the activity workbook
pre-filled with the metered categories (按计量数据预填的活动水平数据表).

Who may do what, as on the meter pages: the unit's own staff read and act (file the report in
the archive); the district's officers and the bureau read; experts and residents see nothing.
The figures come from :mod:`.inventory`.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.monitoring.dashboard_views import UNREADABLE, problem_text
from lowcarbon.web.monitoring.inventory import (
    CITATIONS,
    RUBRIC_ITEMS,
    MeteredYear,
    NoBaseline,
    category_name,
    coverage_file_name,
    coverage_workbook,
    do_archive_coverage,
    metered_year,
    months_text,
    percent,
    prefilled_workbook,
)

__all__ = ["coverage_archive", "coverage_download", "index", "prefilled_download", "unit_page"]

MILLI = Decimal("0.001")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(request: HttpRequest, pk: int) -> CreationUnit:
    unit = visible_unit(request, pk, "monitoring coverage")
    if not permissions.can_view_unit_figures(request.user, unit):
        permissions.log_denied(request, f"view monitoring coverage {pk}")
        raise Http404
    return unit


#: The years a coverage may be asked for (the store's readings are of 2000-2099).
YEARS = range(2000, 2100)


def _year(text: str | None) -> int | None:
    """A year of four digits the store can hold, or none."""
    return int(text) if text and text.isdigit() and int(text) in YEARS else None


def _unit_year(request: HttpRequest, pk: int, year: int) -> CreationUnit:
    unit = _unit(request, pk)
    if year not in YEARS:
        permissions.log_denied(request, f"monitoring coverage {pk} of the year {year}")
        raise Http404
    return unit


def _rows(metered: MeteredYear) -> dict[str, Any]:
    coverage = metered.coverage
    return {
        "categories": [
            {
                "name": category_name(item.key),
                "unit": item.unit,
                "meters": metered.meter_text(item.meters),
                "count": len(item.meters),
                "months": months_text(item.months) or "—",
                "month_count": len(item.months),
                "completeness": percent(item.completeness),
                "consumption": f"{item.consumption:f}",
                "tco2": "—" if item.tco2 is None else f"{item.tco2.quantize(MILLI):f}",
            }
            for item in coverage.categories
        ],
        "meters": [
            {
                "name": metered.meter_text([item.meter]),
                "category": category_name((item.category, item.sector)),
                "months": months_text(item.months) or "—",
                "month_count": len(item.months),
                "present": item.present,
                "expected": item.expected,
                "completeness": percent(item.completeness),
                "consumption": f"{item.consumption:f}",
                "unit": item.unit,
            }
            for item in coverage.meters
        ],
        "covered": len(coverage.covered),
        "inventory": len(coverage.inventory),
        "share": percent(coverage.share),
        "uncovered": [category_name(key) for key in coverage.uncovered],
    }


@require_safe
@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    context: dict[str, Any] = {
        "unit": unit,
        "application": unit.application,
        "can_archive": permissions.can_edit_archive(request.user, unit),
        "citation": CITATIONS[unit.kind],
        "item": RUBRIC_ITEMS[unit.kind],
    }
    try:
        metered = metered_year(unit, _year(request.GET.get("year")))
    except UNREADABLE as error:
        context["problem"] = problem_text(error)
        return render(request, "monitoring/coverage_unit.html", context)
    context |= {"metered": metered, "year": metered.year, "years": metered.years}
    context |= _rows(metered)
    return render(request, "monitoring/coverage_unit.html", context)


def _xlsx(content: bytes, name: str) -> FileResponse:
    return FileResponse(BytesIO(content), as_attachment=True, filename=name, content_type=XLSX)


@require_safe
@login_required
def coverage_download(request: HttpRequest, pk: int, year: int) -> HttpResponseBase:
    unit = _unit_year(request, pk, year)
    try:
        metered = metered_year(unit, year)
    except UNREADABLE as error:
        messages.error(request, problem_text(error))
        return redirect("monitoring_coverage:unit", pk=unit.pk)
    return _xlsx(coverage_workbook(metered, timezone.localtime()), coverage_file_name(metered))


@require_safe
@login_required
def prefilled_download(request: HttpRequest, pk: int, year: int) -> HttpResponseBase:
    """按计量数据预填的活动水平数据表: the progress report's workbook with the metered rows."""
    unit = _unit_year(request, pk, year)
    try:
        metered = metered_year(unit, year)
        content = prefilled_workbook(metered, timezone.localtime())
    except NoBaseline:
        messages.error(
            request,
            _(
                "The unit's plan has no baseline data: the workbook cannot be pre-filled. "
                "Download the empty template from the application's baseline data."
            ),
        )
        return redirect("monitoring_coverage:unit", pk=unit.pk)
    except UNREADABLE as error:
        messages.error(request, problem_text(error))
        return redirect("monitoring_coverage:unit", pk=unit.pk)
    name = _("activity-workbook-{unit}-{year}-metered.xlsx").format(
        unit=unit.application.unit.name, year=year
    )
    return _xlsx(content, name)


@login_required
@require_POST
def coverage_archive(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """归档为加分项证明材料: the year's coverage report filed in the unit's archive."""
    unit = _unit_year(request, pk, year)
    if not permissions.can_edit_archive(request.user, unit):
        permissions.deny(request, f"file the monitoring coverage of creation unit {pk}")
    try:
        record = do_archive_coverage(unit, year, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    except UNREADABLE as error:
        messages.error(request, problem_text(error))
    else:
        messages.success(
            request,
            _("The coverage report was filed in the archive as “{title}”.").format(
                title=record.title
            ),
        )
    return redirect(f"{reverse('monitoring_coverage:unit', args=[unit.pk])}?year={year}")


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The units the user may see, each with its coverage in the latest year with readings."""
    units = [
        unit
        for unit in permissions.visible_creation_units(request.user).select_related(
            "application", "application__unit", "application__round"
        )
        if permissions.can_view_unit_figures(request.user, unit)
    ]
    if not permissions.has_role(
        request.user, Role.APPLICANT, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR
    ):
        permissions.log_denied(request, "view monitoring coverage")
        raise Http404
    rows = []
    for unit in units:
        row: dict[str, Any] = {"unit": unit, "problem": ""}
        try:
            metered = metered_year(unit)
        except UNREADABLE as error:
            row["problem"] = problem_text(error)
        else:
            row |= {"metered": metered} | _rows(metered)
        rows.append(row)
    return render(request, "monitoring/coverage_index.html", {"rows": rows})
