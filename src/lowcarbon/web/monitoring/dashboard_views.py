"""The monthly energy and emission pages (上月碳排放): a unit's, a district's, the city's.

The figures are computed by :mod:`.dashboard`; here they are put in words and numbers for the
tables (which read without JavaScript) and in JSON for the charts (``json_script``, drawn by
``static/lowcarbon/dashboard.js`` with the locally served ECharts).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
import pyarrow as pa
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lowcarbon.core.activity import CATEGORY_NAMES
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message
from lowcarbon.core.metering import FindingKind, ReadingFinding, Severity
from lowcarbon.monitoring.choices import SEVERITY_NAMES
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role
from lowcarbon.web.applications.computing import factor_library
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.monitoring import dashboard
from lowcarbon.web.monitoring.dashboard import (
    Change,
    MonthFigures,
    Population,
    PopulationSource,
    UnitFigures,
)
from lowcarbon.web.monitoring.models import ImportRecord, MeterUse
from lowcarbon.web.organisations.models import District

__all__ = ["city_page", "district_page", "index", "unit_page"]

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
MILLI = Decimal("0.001")

#: The carriers' units written out, as the pages' text says them.
UNIT_NAMES = {
    "kWh": gettext_lazy("kilowatt-hours"),
    "m³": gettext_lazy("cubic metres"),
    "GJ": gettext_lazy("gigajoules"),
}
TONNES = gettext_lazy("tonnes of CO2 equivalent")


#: What computing the figures may meet besides a refusal of the engines: a store file that
#: cannot be read (damaged, removed under the reader).
UNREADABLE = (LowcarbonError, duckdb.Error, pa.ArrowException, OSError, ValueError)


def problem_text(error: Exception) -> str:
    """Why the figures cannot be shown, in the reader's language (never the exception's text)."""
    if isinstance(error, LowcarbonError):
        return error.message.render(_)
    logger.exception("monthly figures: the store of readings cannot be read")
    return _(
        "the store of readings cannot be read (a file is damaged or missing); the platform's "
        "administrators can check it with the command line: lowcarbon monitoring monthly"
    )


# --- numbers as the platform writes them ---------------------------------------------------


def _fixed(value: Decimal | None, step: Decimal) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(step, rounding=ROUND_HALF_UP):f}"


def tonnes(value: Decimal | None) -> str:
    return _fixed(value, CENT)


def per_person(value: Decimal | None) -> str:
    """tCO2 per resident in a month, written in kilograms (a month is tens of kilograms)."""
    return _fixed(None if value is None else value * 1000, CENT)


def amount(value: Decimal | None) -> str:
    return _fixed(value, TENTH)


def share(value: Decimal | None) -> str:
    """A share of 0..1 as a percentage: 97.5 %."""
    return "—" if value is None else f"{_fixed(value * 100, TENTH)} %"


def signed_percent(change: Change) -> str:
    percent = change.percent
    if percent is None:
        return "—"
    text = _fixed(percent, TENTH)
    return f"+{text} %" if percent.quantize(TENTH, rounding=ROUND_HALF_UP) > 0 else f"{text} %"


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(MILLI, rounding=ROUND_HALF_UP))


def month_label(month: str | None) -> str:
    if month is None:
        return "—"
    year, number = month.split("-")
    return _("{year}-{month}").format(year=int(year), month=int(number))


def unit_name(unit: str) -> str:
    return str(UNIT_NAMES.get(unit, unit))


def category_name(category: Any) -> str:
    return _(CATEGORY_NAMES[category])


def _population_text(population: Population) -> str:
    if population.value is None:
        return _("not reported")
    if population.source is PopulationSource.PROGRESS_REPORT:
        return _("{count} (annual progress report of {year})").format(
            count=population.value, year=population.year
        )
    if population.source is PopulationSource.ACCOUNTING:
        return _("{count} (baseline data of the application, {year})").format(
            count=population.value, year=population.year
        )
    return _("{count} (basic data of the plan)").format(count=population.value)


def _change(change: Change, places: Decimal = CENT) -> dict[str, Any]:
    return {
        "current": _fixed(change.current, places),
        "reference": _fixed(change.reference, places),
        "difference": _fixed(change.difference, places),
        "percent": signed_percent(change),
        "falls": change.difference is not None and change.difference < 0,
    }


# --- the unit's page -----------------------------------------------------------------------


def _english_reasons() -> list[tuple[re.Pattern[str], str]]:
    """Each finding's reason as an English report writes it, and its message id."""
    found = []
    for kind in FindingKind:
        template = ReadingFinding(kind, "", None, None, "", Message("")).reason.template
        pattern = re.escape(template).replace(re.escape("{limit}"), r"(?P<limit>\d+)")
        found.append((re.compile(f"^{pattern}$"), template))
    return found


def reason_text(cell: str) -> str:
    """A report's reason in the reader's language (a report written in English is read back
    through the message it was rendered from; any other text is shown as it is)."""
    for pattern, template in _english_reasons():
        match = pattern.match(cell)
        if match:
            return Message(template, match.groupdict()).render(_)
    return cell


def _report_links(import_ids: Sequence[str], may_see: bool) -> dict[str, str]:
    """The pages of the imports (the meter register's import records) the reader may open."""
    if not may_see or not import_ids:
        return {}
    records = ImportRecord.objects.filter(store_import__in=set(import_ids))
    return {r.store_import: reverse("monitoring:import", args=[r.pk]) for r in records}


def _charts(months: Sequence[MonthFigures]) -> dict[str, Any]:
    labels = [month_label(m.month) for m in months]
    categories = list(dict.fromkeys(c.category for m in months for c in m.categories))
    emissions = []
    energy = []
    axes: list[str] = []  # the energy chart's value axes: one per unit (kWh, m³ …)
    for category in categories:
        found = [m.category(category) for m in months]
        unit = next((c.unit for c in found if c is not None), "")
        if unit_name(unit) not in axes:
            axes.append(unit_name(unit))
        if any(c is not None and c.tco2 is not None for c in found):
            emissions.append(
                {
                    "name": category_name(category),
                    "data": [None if c is None else _float(c.tco2) for c in found],
                }
            )
        energy.append(
            {
                "name": _("{category} ({unit})").format(
                    category=category_name(category), unit=unit_name(unit)
                ),
                "data": [None if c is None else _float(c.consumption) for c in found],
                "axis": axes.index(unit_name(unit)),
            }
        )
    return {
        "emissions": {
            "kind": "stacked",
            "title": _("Emissions by category and month"),
            "axis": str(TONNES),
            "labels": labels,
            "series": emissions,
            "total": _("Total"),
            "total_data": [_float(m.tco2) for m in months],
        },
        "energy": {
            "kind": "lines",
            "title": _("Energy and water by category and month"),
            "axis": "",
            "axes": axes,
            "labels": labels,
            "series": energy,
        },
    }


def _month_rows(months: Sequence[MonthFigures]) -> list[dict[str, Any]]:
    return [
        {
            "month": month_label(m.month),
            "total": tonnes(m.tco2),
            "categories": [
                {
                    "name": category_name(c.category),
                    "consumption": amount(c.consumption),
                    "unit": unit_name(c.unit),
                    "tco2": tonnes(c.tco2),
                }
                for c in m.categories
            ],
        }
        for m in reversed(months)
    ]


def _factor_set_title(set_id: str) -> str:
    try:
        return factor_library().factor_set(set_id).title.zh
    except LowcarbonError:  # pragma: no cover - a round names a set of the library
        return set_id


def _factor_notes(months: Sequence[MonthFigures]) -> list[str]:
    """The categories the factor set gives no emissions (the job's notes say why, in terms
    of ids: here in words)."""
    missing = dict.fromkeys(c.category for m in months for c in m.categories if c.tco2 is None)
    return [
        _(
            "{category}: the factor set gives no emission factor that fits; its consumption is "
            "shown without emissions and left out of the totals."
        ).format(category=category_name(category))
        for category in missing
    ]


def _unit_context(unit: CreationUnit, figures: UnitFigures, user: Any) -> dict[str, Any]:
    headline = figures.headline
    may_see_meters = permissions.can_view_meters(user, unit.application.unit)
    links = _report_links([a.import_id for a in figures.anomalies.latest], may_see_meters)
    base = figures.base_year
    anomalies = figures.anomalies
    prefix = f"{figures.community}-"

    def in_register(meter_id: str) -> str:
        """The meter's number in the unit's register, not its id in the store."""
        return meter_id.removeprefix(prefix)

    return {
        "figures": figures,
        "factor_set": _factor_set_title(figures.factor_set),
        "month": month_label(figures.month),
        "last_complete": month_label(figures.last_complete),
        "headline": None
        if headline is None
        else {
            "total": tonnes(headline.tco2),
            "categories": [
                {
                    "name": category_name(c.category),
                    "consumption": amount(c.consumption),
                    "unit": unit_name(c.unit),
                    "tco2": tonnes(c.tco2),
                }
                for c in headline.categories
            ],
        },
        "population": _population_text(figures.population),
        "per_capita": per_person(figures.per_capita),
        "last_year": _change(figures.last_year),
        "last_year_month": month_label(
            None if figures.month is None else dashboard.month_before(figures.month, 12)
        ),
        "base": {
            "year": base.base_year,
            "month": month_label(base.month),
            "metered": base.metered,
            "change": _change(base.change),
            "problem": "" if base.problem is None else base.problem.render(_),
            "categories": [
                {"name": category_name(category), "reference": tonnes(reference)}
                for category, reference in base.categories
            ],
        },
        "months": _month_rows(figures.months),
        "facilities": [
            {
                "rank": number,
                "meter": in_register(f.meter),
                "use": MeterUse(f.use).label,
                "category": category_name(f.category),
                "consumption": amount(f.consumption),
                "unit": unit_name(f.unit),
                "tco2": tonnes(f.tco2),
            }
            for number, f in enumerate(figures.facilities, start=1)
        ],
        "completeness": [
            {
                "meter": in_register(c.meter),
                "use": MeterUse(c.use).label,
                "category": category_name(c.category),
                "expected": c.expected,
                "present": c.present,
                "estimated": c.estimated,
                "flagged": c.flagged,
                "share": share(c.share),
                "short": c.share < 1,
            }
            for c in figures.completeness
        ],
        "anomaly_counts": [
            {"severity": _(SEVERITY_NAMES[s]), "count": anomalies.counts.get(s, 0)}
            for s in (Severity.REJECTED, Severity.FLAGGED, Severity.NOTE)
        ],
        "anomalies": [
            {
                "severity": a.severity_text
                if a.severity is None
                else _(SEVERITY_NAMES[a.severity]),
                "reason": reason_text(a.reason),
                "meter": in_register(a.meter),
                "at": a.at or "—",
                "row": a.row or "—",
                "source": a.source,
                "link": links.get(a.import_id, ""),
            }
            for a in anomalies.latest
        ],
        "anomalies_open": anomalies.open_total,
        "anomalies_corrected": anomalies.corrected,
        "anomalies_shown": len(anomalies.latest),
        "notes": _factor_notes(figures.months),
        "charts": _charts(figures.months),
        "unit": unit,
        "application": unit.application,
        "may_see_meters": may_see_meters,
        "problem": "",
    }


@require_safe
@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = visible_unit(request, pk, "monthly figures")
    if not permissions.can_view_unit_figures(request.user, unit):  # pragma: no cover
        permissions.log_denied(request, f"view monthly figures {pk}")
        raise Http404
    try:
        figures = dashboard.unit_figures(unit, now=timezone.localtime())
    except UNREADABLE as error:
        context: dict[str, Any] = {"unit": unit, "application": unit.application}
        context["problem"] = problem_text(error)
        return render(request, "monitoring/dashboard_unit.html", context)
    return render(
        request, "monitoring/dashboard_unit.html", _unit_context(unit, figures, request.user)
    )


# --- the district's and the city's pages ---------------------------------------------------


def _latest_units(units: Any) -> list[CreationUnit]:
    """One creation unit per organisation (its latest round), by name."""
    seen: set[int] = set()
    chosen = []
    for unit in units.select_related(
        "application", "application__round", "application__unit", "submission"
    ).order_by("application__unit__name", "-application__round__year", "-pk"):
        if unit.application.unit_id not in seen:
            seen.add(unit.application.unit_id)
            chosen.append(unit)
    return chosen


@require_safe
@login_required
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    district = District.objects.filter(code=code).first()
    if district is None or not permissions.can_view_district_figures(request.user, district):
        permissions.log_denied(request, f"view district figures {code}")
        raise Http404
    units = _latest_units(CreationUnit.objects.filter(application__unit__district=district))
    context: dict[str, Any] = {"district": district, "problem": "", "rows": []}
    try:
        figures = dashboard.district_figures(units, now=timezone.localtime())
    except UNREADABLE as error:
        context["problem"] = problem_text(error)
        return render(request, "monitoring/dashboard_district.html", context)
    rows = [
        {
            "pk": row.unit.pk,
            "name": row.unit.application.unit.name,
            "meters": row.meters,
            "tco2": tonnes(row.tco2),
            "population": "—" if row.population.value is None else row.population.value,
            "per_capita": per_person(row.per_capita),
            "last_year": _change(row.last_year),
            "completeness": share(row.completeness),
        }
        for row in figures.rows
    ]
    context |= {
        "month": month_label(figures.month),
        "last_complete": month_label(figures.last_complete),
        "fell_back": figures.month is not None and figures.month != figures.last_complete,
        "has_data": figures.month is not None,
        "rows": rows,
        "chart": {
            "kind": "bars",
            "title": _("Emissions of the month by unit"),
            "axis": str(TONNES),
            "labels": [row["name"] for row in rows],
            "series": [
                {
                    "name": _("Emissions"),
                    "data": [_float(row.tco2) for row in figures.rows],
                }
            ],
        },
        "can_see_city": permissions.can_view_city_figures(request.user),
    }
    return render(request, "monitoring/dashboard_district.html", context)


@require_safe
@login_required
def city_page(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_city_figures(request.user):
        permissions.deny(request, "view city figures")
    all_units = _latest_units(CreationUnit.objects.all())
    by_district: dict[District, list[CreationUnit]] = {
        district: [] for district in District.objects.order_by("code")
    }
    for unit in all_units:
        district = unit.application.unit.district
        if district is not None:
            by_district.setdefault(district, []).append(unit)
    context: dict[str, Any] = {"problem": "", "rows": []}
    try:
        figures = dashboard.city_figures(by_district, now=timezone.localtime())
    except UNREADABLE as error:
        context["problem"] = problem_text(error)
        return render(request, "monitoring/dashboard_city.html", context)
    rows = [
        {
            "code": row.district.code,
            "name": row.district.name,
            "units": row.units,
            "units_with_data": row.units_with_data,
            "tco2": tonnes(row.tco2),
            "population": row.population or "—",
            "per_capita": per_person(row.per_capita),
            "last_year": _change(row.last_year),
            "completeness": share(row.completeness),
        }
        for row in figures.rows
    ]
    context |= {
        "month": month_label(figures.month),
        "last_complete": month_label(figures.last_complete),
        "fell_back": figures.month is not None and figures.month != figures.last_complete,
        "has_data": figures.month is not None,
        "rows": rows,
        "notes": [note.render(_) for note in figures.notes],
        "chart": {
            "kind": "bars",
            "title": _("Emissions of the month by district"),
            "axis": str(TONNES),
            "labels": [row["name"] for row in rows],
            "series": [
                {"name": _("Emissions"), "data": [_float(row.tco2) for row in figures.rows]}
            ],
        },
    }
    return render(request, "monitoring/dashboard_city.html", context)


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The figures a person may see first: the city for the bureau, the district for its
    officers, the unit for its people."""
    user = request.user
    if permissions.can_view_city_figures(user):
        return redirect("monitoring_figures:city")
    if permissions.has_role(user, Role.DISTRICT_OFFICER):
        organisation = getattr(user, "organisation", None)
        district = None if organisation is None else organisation.district
        if district is not None:
            return redirect("monitoring_figures:district", code=district.code)
    if permissions.has_role(user, Role.APPLICANT):
        own = _latest_units(permissions.visible_creation_units(user))
        if own:
            return redirect("monitoring_figures:unit", pk=own[0].pk)
    permissions.log_denied(request, "view monthly figures")
    raise Http404
