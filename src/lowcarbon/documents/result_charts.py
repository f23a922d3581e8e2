"""The accounting result's charts, as SVG: one drawing for the results page and the Word plan.

Built from :mod:`lowcarbon.documents.charts` (plain-Python SVG). The web page inlines the SVG;
the Word writer embeds it as PNG (:func:`png`, through CairoSVG).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.activity import CATEGORY_NAMES, SECTOR_NAMES, Sector, SourceCategory
from lowcarbon.core.labels import TARGET

from . import charts
from .charts import PALETTE, Bar, Marker, Segment, Series, line_chart, stacked_bar_chart
from .formatting import Local, number, unit_name

__all__ = [
    "TARGET_UNITS",
    "png",
    "structure_chart",
    "target_places",
    "target_value",
    "trend_chart",
]

Translate = Callable[[str], str]

TARGET_UNITS: dict[str, str] = {
    "total": "tCO2",
    "decline_rate": "%",
    "per_capita": "tCO2/person",
    "per_capita_decline_rate": "%",
    "intensity_gdp": "tCO2/10^4yuan",
    "renewable_share": "%",
    "source_sink_ratio": "",
}


def _target_name(kind: str, _: Translate) -> str:
    return _(TARGET[kind]) if kind in TARGET else kind


def _category_name(category: SourceCategory | str, _: Translate) -> str:
    return _(CATEGORY_NAMES[SourceCategory(category)])


def _sector_name(sector: Sector | str, _: Translate) -> str:
    return _(SECTOR_NAMES[Sector(sector)])


def target_places(kind: str) -> int:
    """The decimals a target of ``kind`` is shown with: four for per-capita and intensity
    targets (0.0480 tCO₂ per 10⁴ yuan), two for the others."""
    return 4 if kind in ("per_capita", "intensity_gdp") else 2


def target_value(kind: str, value: Decimal | None, local: Local) -> str:
    """A target's value with its unit, as the tables and the chart's markers show it."""
    if value is None:
        return "—"
    unit = unit_name(TARGET_UNITS.get(kind, ""), local)
    places = target_places(kind)
    return f"{number(value, places)} {unit}".strip()


def structure_chart(result: AccountingResult, _: Translate, local: Local, *, by: str) -> str:
    """Gross emissions of every accounting year, one bar a year, split by category or sector."""
    bars = []
    for inventory in result.inventories:
        items = inventory.by_category if by == "category" else inventory.by_sector
        name = _category_name if by == "category" else _sector_name
        bars.append(
            Bar(
                str(inventory.year),
                tuple(Segment(name(key, _), value) for key, value in items.items()),
            )
        )
    title = (
        _("Emission structure by source category (scope 1 + 2)")
        if by == "category"
        else _("Emission structure by sector (scope 1 + 2)")
    )
    desc = _("Gross emissions of each accounting year in tCO₂, split into: {parts}.").format(
        parts="；".join(
            f"{bar.label}年 "
            + "、".join(f"{s.label} {number(s.value)}" for s in bar.segments if s.value > 0)
            for bar in bars
        )
    )
    return stacked_bar_chart(
        bars, chart_id=f"chart-{by}", title=title, desc=desc, unit=unit_name("tCO2", local)
    )


def trend_chart(result: AccountingResult, _: Translate, local: Local) -> str | None:
    """Inventories by year, then business as usual and the plan to the final target year, with
    each emission target at the largest emission that meets it."""
    forecast = result.forecast
    actual = Series(
        _("Inventory (accounted)"),
        tuple((inventory.year, inventory.gross_tco2) for inventory in result.inventories),
        PALETTE[7],
    )
    series = [actual]
    markers: list[Marker] = []
    if forecast is not None:
        series.append(
            Series(
                _("Business as usual"),
                tuple((y.year, y.bau.emissions_tco2) for y in forecast.plan.years),
                PALETTE[1],
                dashed=True,
            )
        )
        series.append(
            Series(
                _("Plan"),
                tuple((y.year, y.emissions_tco2) for y in forecast.plan.years),
                PALETTE[2],
            )
        )
        for check in forecast.targets.checks:
            if check.requirement is not None:
                markers.append(
                    Marker(
                        check.target.year,
                        check.requirement.allowed_tco2,
                        f"{_target_name(check.target.kind.value, _)} "
                        f"{target_value(check.target.kind.value, check.target.value, local)}",
                        check.met,
                    )
                )
    if sum(len(s.points) for s in series) < 2:
        return None
    desc = _(
        "Gross emissions (tCO₂) by year: {series}. Targets as the largest emission that meets "
        "them: {targets}."
    ).format(
        series="；".join(
            f"{s.name} " + "、".join(f"{year}年 {number(value)}" for year, value in s.points)
            for s in series
        ),
        targets="；".join(f"{m.label}（{m.year}年）{number(m.value)}" for m in markers) or "—",
    )
    return line_chart(
        series,
        markers,
        chart_id="chart-trend",
        title=_("Emission trend, forecast and targets"),
        desc=desc,
        unit=unit_name("tCO2", local),
        met_label=_("target met"),
        not_met_label=_("target not met"),
    )


def png(svg: str, *, width: int = 1200) -> bytes:
    """The chart as a PNG image ``width`` pixels wide (for Word, which shows no SVG)."""
    return charts.png(svg, width=width)
