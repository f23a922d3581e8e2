"""The accounting result as an XLSX report: one sheet per table, every number with its trace.

Sheets: 清单 (inventory lines: activity, factor, source row, citation, tCO2, tce, quality),
指标 (indicators with formula and inputs), 对比 (like-for-like comparison and LMDI effects),
预测 (business as usual and plan by year), 目标 (target checks, required reductions and gaps,
consistency), 任务 (task shares of the required reduction). Headers follow the user's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.messages import gettext_noop
from lowcarbon.rules.xlsx_safety import put

__all__ = ["write_accounting_report"]

Translate = Callable[[str], str]
Cell = str | int | float | None

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _number(value: Decimal | None, places: int = 4) -> float | None:
    return None if value is None else float(round(value, places))


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title)
    for column, text in enumerate(header, start=1):
        cell = put(sheet, 1, column, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Labels, sources and explanations are people's text: never a formula (rules.xlsx_safety).
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            put(sheet, number, column, value)
    sheet.freeze_panes = "A2"
    for index, title_text in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(60, 2 * len(title_text) + 4))
    return sheet


def write_accounting_report(result: AccountingResult, path: Path, lang: str, _: Translate) -> None:
    """Write ``result`` to ``path`` (XLSX) with headers in ``lang``."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _inventory_sheet(book, result, _)
    _indicator_sheet(book, result, _)
    _comparison_sheet(book, result, _)
    if result.forecast is not None:
        _forecast_sheets(book, result, _)
    book.save(path)


def _inventory_sheet(book: Workbook, result: AccountingResult, _: Translate) -> None:
    header = [
        _(h)
        for h in (
            gettext_noop("Year"),
            gettext_noop("Category"),
            gettext_noop("Sector"),
            gettext_noop("Label"),
            gettext_noop("Quantity"),
            gettext_noop("Unit"),
            gettext_noop("Data quality"),
            gettext_noop("Data source"),
            gettext_noop("Scope"),
            gettext_noop("Factor"),
            gettext_noop("Factor value"),
            gettext_noop("Factor unit"),
            gettext_noop("Source row"),
            gettext_noop("Confidence"),
            gettext_noop("Citation"),
            gettext_noop("tCO2"),
            gettext_noop("tce"),
            gettext_noop("Explanation"),
        )
    ]
    rows: list[list[Cell]] = []
    for inventory in result.inventories:
        for line in inventory.lines:
            record, factor = line.record, line.factor
            rows.append(
                [
                    inventory.year,
                    record.category.value,
                    record.sector.value,
                    record.label,
                    _number(record.quantity),
                    record.unit,
                    record.quality.value,
                    record.source,
                    None if line.scope is None else int(line.scope),
                    factor.factor_id if factor else line.notation_key and line.notation_key.value,
                    _number(factor.value, 6) if factor else None,
                    factor.unit.text if factor else None,
                    factor.source_id if factor else None,
                    factor.confidence.value if factor else None,
                    factor.reference if factor else None,
                    _number(line.tco2),
                    _number(line.energy_tce),
                    " ".join([line.explanation().render(_), *(n.render(_) for n in line.notes)]),
                ]
            )
    _sheet(book, _("Inventory"), header, rows)


def _indicator_sheet(book: Workbook, result: AccountingResult, _: Translate) -> None:
    header = [
        _(gettext_noop("Year")),
        _(gettext_noop("Indicator")),
        _(gettext_noop("Value")),
        _(gettext_noop("Unit")),
        _(gettext_noop("Explanation")),
    ]
    rows: list[list[Cell]] = []
    for indicators in result.indicators:
        for indicator in indicators:
            rows.append(
                [
                    indicators.year,
                    indicator.id.value,
                    _number(indicator.value, 6),
                    indicator.unit,
                    " ".join(m.render(_) for m in indicator.explanation()),
                ]
            )
    _sheet(book, _("Indicators"), header, rows)


def _comparison_sheet(book: Workbook, result: AccountingResult, _: Translate) -> None:
    header = [
        _(gettext_noop("Item")),
        _(gettext_noop("Value")),
        _(gettext_noop("Unit")),
        _(gettext_noop("Explanation")),
    ]
    rows: list[list[Cell]] = []
    comparison = result.comparison
    if comparison is not None:
        for indicator in (
            comparison.decline_rate,
            comparison.per_capita_decline_rate,
            comparison.apparent_decline_rate,
            comparison.factor_change_effect,
        ):
            rows.append(
                [
                    indicator.id.value,
                    _number(indicator.value, 6),
                    indicator.unit,
                    " ".join(m.render(_) for m in indicator.explanation()),
                ]
            )
    if result.decomposition is not None:
        for effect, value in result.decomposition.effects.items():
            rows.append([f"LMDI {effect.value}", _number(value), "tCO2", ""])
    _sheet(book, _("Comparison"), header, rows)


def _forecast_sheets(book: Workbook, result: AccountingResult, _: Translate) -> None:
    forecast = result.forecast
    assert forecast is not None
    header = [
        _(gettext_noop("Year")),
        _(gettext_noop("Business as usual (tCO2)")),
        _(gettext_noop("Task reductions (tCO2)")),
        _(gettext_noop("Plan (tCO2)")),
        _(gettext_noop("Explanation")),
    ]
    rows: list[list[Cell]] = [
        [
            year.year,
            _number(year.bau.emissions_tco2),
            _number(year.reduction_tco2),
            _number(year.emissions_tco2),
            year.explanation.render(_),
        ]
        for year in forecast.plan.years
    ]
    _sheet(book, _("Forecast"), header, rows)
    header = [
        _(gettext_noop("Target")),
        _(gettext_noop("Year")),
        _(gettext_noop("Target value")),
        _(gettext_noop("Plan reaches")),
        _(gettext_noop("Met")),
        _(gettext_noop("Required reduction (tCO2)")),
        _(gettext_noop("Tasks (tCO2)")),
        _(gettext_noop("Gap (tCO2)")),
        _(gettext_noop("Explanation")),
    ]
    rows = []
    for check in forecast.targets.checks:
        requirement = check.requirement
        rows.append(
            [
                check.target.kind.value,
                check.target.year,
                _number(check.target.value),
                _number(check.reached),
                _("yes") if check.met else _("no"),
                _number(requirement.required_tco2) if requirement else None,
                _number(requirement.tasks_tco2) if requirement else None,
                _number(requirement.gap_tco2) if requirement else None,
                check.explanation.render(_),
            ]
        )
    rows.append(
        [
            _("Consistency of tasks and targets"),
            None,
            None,
            None,
            _("yes") if forecast.targets.consistency else _("no"),
            None,
            None,
            None,
            forecast.targets.consistency_explanation.render(_),
        ]
    )
    _sheet(book, _("Targets"), header, rows)
    decomposition = forecast.targets.decomposition
    header = [
        _(gettext_noop("Task or domain")),
        _(gettext_noop("Reduction (tCO2)")),
        _(gettext_noop("Share of the required reduction (%)")),
    ]
    rows = []
    if decomposition is not None:
        rows += [
            [share.key, _number(share.reduction_tco2), _number(share.share_pct, 2)]
            for share in (*decomposition.domains, *decomposition.tasks)
        ]
    _sheet(book, _("Task shares"), header, rows)
