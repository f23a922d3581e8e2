"""What the baseline and results pages show, built from the stored data and the engine's result.

The structure and the labels follow the command line and the XLSX report
(``lowcarbon.cli.accounting``, ``lowcarbon.documents.accounting_report``): inventory by year
(category, sector, scope, gross, sinks, energy, draft or final with the gaps), the indicators
of accounting-method.md §7, the latest year against the base year with the LMDI decomposition,
the forecast (business as usual, plan, targets) and the consistency of the task reductions with
the overall target (附件2 三). Names are the msgids the CLI uses, so both read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.activity import CATEGORY_NAMES, SECTOR_NAMES, Sector, SourceCategory
from lowcarbon.core.inventory import Inventory
from lowcarbon.core.labels import DOMAIN, EFFECT, INDICATOR, QUALITY, REDUCTION_STATUS, TARGET
from lowcarbon.core.messages import Message
from lowcarbon.core.reductions import TaskReduction
from lowcarbon.core.shares import ShareTable
from lowcarbon.documents import result_charts
from lowcarbon.documents.formatting import factor_set_name, number, places_needed, unit_name
from lowcarbon.documents.result_charts import target_value
from lowcarbon.web.language import read

from .outlines import local

__all__ = [
    "DOMAIN",
    "EFFECT",
    "INDICATOR",
    "QUALITY",
    "TARGET",
    "baseline_context",
    "category_name",
    "results_context",
    "sector_name",
    "show_unit",
]

_FLOOR_TYPES = ("residential", "commercial_public", "industry", "other")


def _label(table: Mapping[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def category_name(category: SourceCategory | str) -> str:
    return _(CATEGORY_NAMES[SourceCategory(category)])


def sector_name(sector: Sector | str) -> str:
    return _(SECTOR_NAMES[Sector(sector)])


def show_unit(unit: str) -> str:
    """A unit's name in the language of the request (吨二氧化碳/人, tCO₂/person)."""
    return unit_name(unit, local)


def places_for(value: Decimal | None) -> int:
    """Two decimals, four below 1 (intensities such as 0.0480 tCO₂ per 10⁴ yuan)."""
    return 4 if value is not None and abs(value) < 1 and value != 0 else 2


def _render(message: Message) -> str:
    return read(message)


# --- the baseline page -----------------------------------------------------------------------


def _driver_row(item: Mapping[str, Any], accounting_years: list[int]) -> dict[str, Any]:
    floor = item.get("floor_area_m2") or {}
    return {
        "year": item["year"],
        "planned": item["year"] not in accounting_years,
        "resident_population": number(item.get("resident_population"), 0),
        "registered_population": number(item.get("registered_population"), 0),
        "households": number(item.get("households"), 0),
        "floor": [number(floor.get(kind), 0) for kind in _FLOOR_TYPES],
        "floor_total": number(sum(Decimal(str(v)) for v in floor.values()), 0) if floor else "—",
        "gdp_10k_yuan": number(item.get("gdp_10k_yuan"), 0),
        "employees": number(item.get("employees"), 0),
    }


def baseline_context(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored baseline data (``Application.accounting``) for the baseline page."""
    if not data:
        return {"stored": None}
    profile = data["profile"]
    boundary = profile.get("boundary") or {}
    years = sorted(data.get("years") or {r["year"] for r in data["records"]})
    records_by_year: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for record in data["records"]:
        year = records_by_year.setdefault(record["year"], {})
        year.setdefault(record["category"], []).append(
            {
                "sector": sector_name(record["sector"]),
                "label": record.get("label", ""),
                "quantity": number(Decimal(str(record["quantity"])), places_for_quantity(record)),
                "unit": show_unit(record["unit"]),
                "quality": _label(QUALITY, record["quality"]),
                "default": record["quality"] == "default",
                "source": record.get("source", ""),
            }
        )
    groups = [
        {
            "year": year,
            "count": sum(len(rows) for rows in categories.values()),
            "categories": [
                {"name": category_name(category), "rows": rows}
                for category, rows in categories.items()
            ],
        }
        for year, categories in sorted(records_by_year.items())
    ]
    assumptions = data.get("assumptions") or {}
    return {
        "stored": {
            "name": profile["name"],
            "kind": profile["kind"],
            "four_sides": boundary.get("four_sides", ""),
            "area_km2": boundary.get("area_km2"),
            "has_geometry": bool(boundary.get("geometry")),
            "base_year": profile["base_year"],
            "years": years,
            "factor_set": data.get("factor_set", ""),
            "drivers": [_driver_row(item, years) for item in profile.get("drivers") or []],
            "records": len(data["records"]),
            "record_groups": groups,
            "tasks": len(data.get("tasks") or []),
            "key_projects": sum(1 for t in data.get("tasks") or [] if t.get("key_project")),
            "targets": len(data.get("targets") or []),
            "target_years": sorted(
                set(assumptions.get("target_years") or [])
                | {t["year"] for t in data.get("targets") or []}
            ),
        }
    }


def places_for_quantity(record: Mapping[str, Any]) -> int:
    return places_needed(record["quantity"])


# --- the results page ------------------------------------------------------------------------


def _share_rows(table: ShareTable[Any], name: Callable[[Any], str]) -> list[dict[str, Any]]:
    """One row per share, largest first: the amount and the share as shown, adding up to 100 %
    (largest remainder, ``core.shares``), with the exact share in the title for the curious."""
    return [
        {
            "name": name(share.key),
            "tco2": number(share.amount),
            "share": number(share.shown_pct, table.places),
            "exact": number(share.exact_pct, 4),
        }
        for share in table.shares
    ]


def _inventory(inventory: Inventory) -> dict[str, Any]:
    gross = inventory.gross_tco2
    completeness = inventory.completeness
    gaps = [
        _("no {category} record: it is required for this unit").format(
            category=category_name(category)
        )
        for category in completeness.missing_categories
    ]
    gaps += [_render(gap) for gap in completeness.gaps()[len(completeness.missing_categories) :]]
    shares = inventory.shares()
    return {
        "year": inventory.year,
        "set_id": inventory.set_id,
        "set_name": factor_set_name(inventory.set_id, local),
        "final": inventory.is_final,
        "gaps": gaps,
        "gross": number(gross),
        "by_category": _share_rows(shares.by_category, category_name),
        "by_sector": _share_rows(shares.by_sector, sector_name),
        "by_scope": _share_rows(
            shares.by_scope, lambda scope: _("scope {number}").format(number=int(scope))
        ),
        "shares_note": _render(shares.by_scope.note),
        "sinks": number(inventory.sinks_tco2),
        "net_memo": number(inventory.net_memo_tco2),
        "total_tce": number(inventory.total_tce),
        "quality": [
            {"name": _label(QUALITY, quality.value), "share": number(share * 100, 1)}
            for quality, share in inventory.share_by_quality().items()
        ],
        "not_estimated": list(
            dict.fromkeys(category_name(line.category) for line in inventory.not_estimated)
        ),
        "lines": len(inventory.lines),
    }


def _indicators(result: AccountingResult) -> list[dict[str, Any]]:
    if not result.indicators:
        return []
    rows = []
    for index, first in enumerate(result.indicators[0]):
        cells = []
        for indicators in result.indicators:
            indicator = list(indicators)[index]
            explanation = " ".join(_render(m) for m in indicator.explanation())
            if indicator.applicable:
                shown = number(indicator.value, places_for(indicator.value))
            else:
                shown = _("n/a")
            cells.append({"value": shown, "explanation": explanation})
        rows.append(
            {
                "name": _label(INDICATOR, first.id.value),
                "unit": show_unit(first.unit),
                "cells": cells,
            }
        )
    return rows


def _comparison(result: AccountingResult) -> dict[str, Any] | None:
    comparison = result.comparison
    if comparison is None:
        return None
    rows = [
        {
            "name": _label(INDICATOR, indicator.id.value),
            "value": number(indicator.value),
            "unit": show_unit(indicator.unit),
            "explanation": " ".join(_render(m) for m in indicator.explanation()),
        }
        for indicator in (
            comparison.decline_rate,
            comparison.per_capita_decline_rate,
            comparison.apparent_decline_rate,
            comparison.factor_change_effect,
        )
    ]
    decomposition = result.decomposition
    return {
        "base_year": comparison.base_year,
        "year": comparison.current_year,
        "rows": rows,
        "notes": [_render(note) for note in comparison.notes],
        "change": number(decomposition.change_tco2) if decomposition else None,
        "effects": [
            {"name": _label(EFFECT, effect.value), "tco2": number(value)}
            for effect, value in decomposition.effects.items()
        ]
        if decomposition
        else [],
        "explanation": " ".join(_render(m) for m in decomposition.explanation())
        if decomposition
        else "",
    }


def _target_value(kind: str, value: Decimal | None) -> str:
    return target_value(kind, value, local)


def _forecast(result: AccountingResult) -> dict[str, Any] | None:
    forecast = result.forecast
    if forecast is None:
        return None
    target_years = {check.target.year for check in forecast.targets.checks}
    years = [
        {
            "year": year.year,
            "bau": number(year.bau.emissions_tco2),
            "reduction": number(year.reduction_tco2),
            "plan": number(year.emissions_tco2),
            "target_year": year.year in target_years,
        }
        for year in forecast.plan.years
    ]
    checks = []
    for check in forecast.targets.checks:
        kind = check.target.kind.value
        requirement = check.requirement
        checks.append(
            {
                "kind": _label(TARGET, kind),
                "overall": check.target.overall,
                "year": check.target.year,
                "note": check.target.note,
                "value": _target_value(kind, check.target.value),
                "reached": _target_value(kind, check.reached),
                "met": check.met,
                "allowed": number(requirement.allowed_tco2) if requirement else "",
                "required": number(requirement.required_tco2) if requirement else "",
                "tasks": number(requirement.tasks_tco2) if requirement else "",
                "gap": number(requirement.gap_tco2) if requirement else "",
                "explanation": _render(check.explanation),
                "requirement": _render(requirement.explanation) if requirement else "",
            }
        )
    decomposition = forecast.targets.decomposition
    return {
        "years": years,
        "checks": checks,
        "met": sum(1 for check in checks if check["met"]),
        "consistency": forecast.targets.consistency,
        "consistency_explanation": _render(forecast.targets.consistency_explanation),
        "staged": [_render(staged.message) for staged in forecast.targets.staged],
        "decomposition": None
        if decomposition is None
        else {
            "year": decomposition.year,
            "kind": _label(TARGET, decomposition.kind.value),
            "required": number(decomposition.required_tco2),
            "tasks": number(decomposition.tasks_tco2),
            "gap": number(decomposition.gap_tco2),
            "domains": _share_rows(decomposition.domain_split(), lambda key: _label(DOMAIN, key)),
            "coverage": _percent_or_dash(decomposition.coverage_pct),
        },
        "reductions": [_reduction(reduction) for reduction in forecast.reductions],
        "declared": len(forecast.declared),
        "claims": [_render(claim) for claim in forecast.claims],
        "notes": [_render(note) for note in forecast.plan.notes],
    }


def _percent_or_dash(value: Decimal | None) -> str:
    return "—" if value is None else number(value, 1)


def _reduction(reduction: TaskReduction) -> dict[str, Any]:
    """A task's reduction as the results page lists it: computed (with each line of its
    calculation) or declared, not computed (flagged, 附件2 三 counts it as unproven)."""
    return {
        "task": reduction.task.id,
        "name": reduction.task.name,
        "status": reduction.status.value,
        "status_name": _label(REDUCTION_STATUS, reduction.status.value),
        "tco2": number(reduction.reduction_tco2),
        "sinks": number(reduction.sink_tco2) if reduction.sink_tco2 else "",
        "lines": [_render(effect.explanation) for effect in reduction.effects],
    }


def structure_chart(result: AccountingResult, *, by: str) -> SafeString:
    """Gross emissions of every accounting year, one bar a year, split by category or sector."""
    return mark_safe(result_charts.structure_chart(result, _, local, by=by))  # escaped by charts.py


def trend_chart(result: AccountingResult) -> SafeString | None:
    svg = result_charts.trend_chart(result, _, local)
    return None if svg is None else mark_safe(svg)  # escaped by charts.py


def results_context(result: AccountingResult) -> dict[str, Any]:
    inventories = [_inventory(inventory) for inventory in result.inventories]
    base_year = result.input.profile.base_year
    base = next((i for i in result.inventories if i.year == base_year), None)
    return {
        "unit_name": result.input.profile.name,
        "factor_set": result.input.factor_set,
        "factor_set_name": factor_set_name(result.input.factor_set, local),
        "final": result.is_final,
        "base_year": base_year,
        "base_gross": number(base.gross_tco2) if base else None,
        "years": [i.year for i in result.inventories],
        "inventories": inventories,
        "indicators": _indicators(result),
        "comparison": _comparison(result),
        "forecast": _forecast(result),
        "category_chart": structure_chart(result, by="category"),
        "sector_chart": structure_chart(result, by="sector"),
        "trend_chart": trend_chart(result),
        "trend_rows": _trend_rows(result),
    }


def _trend_rows(result: AccountingResult) -> list[dict[str, str]]:
    """The trend chart's numbers as a table: one row per year."""
    rows: dict[int, dict[str, str]] = {}
    for inventory in result.inventories:
        rows.setdefault(inventory.year, {})["actual"] = number(inventory.gross_tco2)
    forecast = result.forecast
    if forecast is not None:
        for year in forecast.plan.years:
            row = rows.setdefault(year.year, {})
            row["bau"] = number(year.bau.emissions_tco2)
            row["plan"] = number(year.emissions_tco2)
        for check in forecast.targets.checks:
            if check.requirement is not None:
                row = rows.setdefault(check.target.year, {})
                kind = check.target.kind.value
                allowed = number(check.requirement.allowed_tco2)
                text = (
                    f"{_label(TARGET, kind)} {_target_value(kind, check.target.value)}：≤ {allowed}"
                )
                row["targets"] = "；".join(filter(None, [row.get("targets", ""), text]))
    return [{"year": str(year), **row} for year, row in sorted(rows.items())]
