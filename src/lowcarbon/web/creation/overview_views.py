"""The overview page of creation units and its XLSX export, for a district's officers (their
district's units) and the bureau (all); anyone else gets 404, logged."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lowcarbon.web import permissions
from lowcarbon.web.creation.models import LifecycleStatus
from lowcarbon.web.creation.overview import (
    OverviewFilters,
    overview_rows,
    overview_workbook,
    parse_filters,
)
from lowcarbon.web.creation.schedule import local_date

__all__ = ["overview", "overview_export"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[OverviewFilters, list[int], dict[int, str]]:
    if not permissions.can_view_creation_overview(request.user):
        permissions.log_denied(request, "view the creation overview")
        raise Http404
    units = permissions.visible_creation_units(request.user)
    batches = sorted(set(units.values_list("application__round__year", flat=True)), reverse=True)
    districts = dict(
        units.filter(application__unit__district__isnull=False)
        .values_list("application__unit__district_id", "application__unit__district__name")
        .distinct()
        .order_by("application__unit__district__name")
    )
    return parse_filters(request.GET, batches, districts), batches, districts


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    filters, batches, districts = _filters(request)
    for error in filters.errors:
        messages.error(request, error)
    now = timezone.now()
    rows = overview_rows(request.user, now, filters)
    query = urlencode(filters.query())
    context = {
        "rows": rows,
        "filters": filters,
        "batches": batches,
        "districts": sorted(districts.items(), key=lambda d: d[1]),
        "stages": LifecycleStatus.choices,
        "today": local_date(now),
        "export_query": f"?{query}" if query else "",
        "totals": {
            "units": len(rows),
            "overdue": sum(row.overdue for row in rows),
            "rectifications": sum(row.open_rectifications for row in rows),
        },
    }
    return render(request, "creation/overview.html", context)


@require_safe
@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    filters, _batches, _districts = _filters(request)
    now = timezone.now()
    content = overview_workbook(overview_rows(request.user, now, filters), now)
    name = _("creation-units-{date}.xlsx").format(date=local_date(now).isoformat())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
