"""Writing the template (:func:`write_workbook_template`): the instructions sheet, each form
and table sheet with headers, help and drop-down validation, optionally filled with an
example, and the hidden options sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.messages import Message, Translate, gettext_noop

from ..activity import (
    ACTIVITY_GROUPS,
    CATEGORY_UNITS,
    DEFAULT_FACTOR_SET,
    AccountingInput,
    accounting_input_to_data,
)
from ..factors import SETS_FOLDER
from ..paths import data_dir
from ..xlsx_safety import put
from .cells import KeyPath, _Field, _get, _Sheet
from .choices import (
    _CATEGORIES,
    _CHANGES,
    _CONFIDENCES,
    _DOMAINS,
    _FLAGS,
    _KINDS,
    _QUALITIES,
    _REDUCTION_CATEGORY_VALUES,
    _REDUCTION_UNITS,
    _SECTORS,
    _TARGET_KINDS,
)
from .layout import (
    _FIRST_DATA_ROW,
    _FORM_HEADERS,
    _SHEETS,
    _VALIDATED_ROWS,
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
)

__all__ = [
    "write_workbook_template",
]


_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_KIND_NAMES = {
    UnitKind.ZONE: gettext_noop(
        "low-carbon development practice zone (near-zero-carbon practice zone)"
    ),
    UnitKind.COMMUNITY: gettext_noop("low-carbon community (near-zero-carbon community)"),
}
_PLAN_STATES = {
    UnitKind.ZONE: gettext_noop(
        "附件1 一、1 asks a zone's plan for its location and area, and 附件2 一 rewards a "
        "boundary with clear four sides (四至): enter them on 基本情况; enter population, floor "
        "area, GDP and employees for every accounting year on 年度规模."
    ),
    UnitKind.COMMUNITY: gettext_noop(
        "附件3 一、1 asks a community's plan for its location and area and, for its residential "
        "compounds, the residential floor area, households, resident and registered "
        "population: enter them on 基本情况 and, for every accounting year, on 年度规模."
    ),
}
_GUIDANCE = (
    (
        gettext_noop("Purpose"),
        gettext_noop(
            "This workbook collects the inputs of the carbon accounting of one unit of "
            "Shanghai's low-carbon demonstration programme (《上海市低碳示范创建工作方案》, "
            "沪环气〔2021〕182号): its profile and yearly size, activity data by source, tasks "
            "and key projects, staged targets and forecast assumptions."
        ),
    ),
    (
        gettext_noop("Method"),
        gettext_noop(
            "The accounting follows the recommended method for demonstration units "
            "(accounting-method.md, reconstructing 附件5): source categories §4, formulas §5, "
            "indicators §7, data-quality tiers §8, baseline and forecast §9. One factor set "
            "applies to the base year and every target year (§5.2); the default shanghai-2022 "
            "uses 4.2 tCO2/10^4kWh for electricity and 0.06 tCO2/GJ for heat (沪环气〔2022〕34号)."
        ),
    ),
    (
        gettext_noop("Layout"),
        gettext_noop(
            "Do not rename, move or delete sheets, header cells or the labels in column A of "
            "基本情况 and 预测假设: the import refuses a changed layout. Enter data from row 2 "
            "down, one row per year, source and user; empty rows are skipped."
        ),
    ),
    (
        gettext_noop("Lists and units"),
        gettext_noop(
            "Choose categories, sectors, data quality, domains, target kinds and yes/no from "
            "the drop-down lists. For units choose from the list or type another accepted "
            "spelling of the same kind: energy for electricity and heat, volume for natural "
            "gas, mass or volume for liquid fuels, area for green space, 株 for trees, mass for "
            "waste, volume for water."
        ),
    ),
    (
        gettext_noop("Data quality"),
        gettext_noop(
            "Tag every figure with its tier and source (§8): A measured (meters, bills, "
            "invoices, ETS reports), B calculated (statistics, allocations), C estimated "
            "(benchmarks, surveys, literature), or a default value where no data exist. "
            "Indicators without credible data score 0 (附件4 注)."
        ),
    ),
    (
        gettext_noop("Double counting"),
        gettext_noop(
            "Enter charging electricity for cars and e-bikes under transport, not under "
            "buildings (§4). Self-consumed PV is on-site renewable electricity, PV fed to the "
            "grid a memo item (§5.3); green power counts only for executed and settled trades "
            "with their evidence (沪环气候〔2023〕89号). Sinks are reported separately, never "
            "netted from emissions (§5.9)."
        ),
    ),
    (
        gettext_noop("Import"),
        gettext_noop(
            "Leave a cell empty when a figure is unknown rather than writing 0. The import "
            "lists every problem with its sheet, cell, column, the value found and what is "
            "expected, and imports nothing until all are fixed."
        ),
    ),
)


def _bundled_factor_sets() -> list[str]:
    return sorted(path.stem for path in (data_dir() / "factors" / SETS_FOLDER).glob("*.yaml"))


def _options(language: str) -> dict[str, list[str]]:
    """The drop-down lists by name, as :attr:`_Field.options` refers to them."""
    lists: dict[str, list[str]] = {}
    for choices in (
        _KINDS,
        _FLAGS,
        _SECTORS,
        _QUALITIES,
        _DOMAINS,
        _TARGET_KINDS,
        _CHANGES,
        _CONFIDENCES,
    ):
        lists[choices.name] = [choices.shown(value, language) for value in choices.labels]
    lists["category_reductions"] = [
        _CATEGORIES.shown(value, language) for value in _REDUCTION_CATEGORY_VALUES
    ]
    lists["unit_reductions"] = list(_REDUCTION_UNITS)
    for group, categories in ACTIVITY_GROUPS:
        lists[f"category_{group}"] = [_CATEGORIES.shown(c.value, language) for c in categories]
        units = [unit for category in categories for unit in CATEGORY_UNITS[category]]
        lists[f"unit_{group}"] = list(dict.fromkeys(units))
    lists["factor_set"] = _bundled_factor_sets()
    return lists


def _header(sheet: Worksheet, column: int, text: str, *, required: bool = False) -> None:
    cell = put(sheet, 1, column, text)
    cell.font = _BOLD
    cell.fill = _REQUIRED_FILL if required else _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _validate(
    sheet: Worksheet,
    reference: str,
    cells: str,
    translate: Translate,
    *,
    strict: bool,
) -> None:
    validation = DataValidation(
        type="list",
        formula1=reference,
        allow_blank=True,
        showErrorMessage=strict,
        showInputMessage=not strict,
        errorTitle=translate(gettext_noop("Not in the list")),
        error=translate(gettext_noop("Choose a value from the drop-down list.")),
        promptTitle=translate(gettext_noop("Drop-down list")),
        prompt=translate(gettext_noop("Choose from the list or type another accepted value.")),
    )
    sheet.add_data_validation(validation)
    validation.add(cells)


def _list_reference(letter: str, length: int) -> str:
    return f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${length + 1}"


class _Writer:
    def __init__(self, book: Workbook, language: str, translate: Translate) -> None:
        self.book = book
        self.language = language
        self.translate = translate
        self.lists = _options(language)
        self.references = {
            name: _list_reference(get_column_letter(column), len(values))
            for column, (name, values) in enumerate(self.lists.items(), start=1)
        }

    def help(self, field: _Field) -> str:
        text = self.translate(field.help)
        if field.required:
            return Message(gettext_noop("(required) {help}"), {"help": text}).render(self.translate)
        return text

    def put(self, sheet: Worksheet, row: int, column: int, field: _Field, value: object) -> None:
        shown = None if value is None else field.kind.write(value, self.language)
        if shown not in (None, ""):
            # What was entered goes back as entered: text never becomes a formula.
            put(sheet, row, column, shown)

    def options(self) -> None:
        sheet = self.book.create_sheet(OPTIONS_SHEET)
        sheet.sheet_state = "hidden"
        for column, (name, values) in enumerate(self.lists.items(), start=1):
            put(sheet, 1, column, name)
            for row, value in enumerate(values, start=2):
                put(sheet, row, column, value)

    def field_validation(self, sheet: Worksheet, field: _Field, cells: str) -> None:
        if field.options is not None:
            _validate(
                sheet,
                self.references[field.options],
                cells,
                self.translate,
                strict=field.strict,
            )

    def form(self, spec: _Sheet, data: Mapping[str, Any]) -> None:
        sheet = self.book.create_sheet(spec.name)
        for column, text in enumerate(_FORM_HEADERS, start=1):
            _header(sheet, column, text)
        for row, field in enumerate(spec.fields, start=_FIRST_DATA_ROW):
            label = put(sheet, row, 1, field.header)
            label.font = _BOLD
            if field.required:
                label.fill = _REQUIRED_FILL
            self.put(sheet, row, 2, field, _get(data, field.path))
            put(sheet, row, 3, self.help(field)).alignment = _WRAP
            self.field_validation(sheet, field, f"B{row}")
        for letter, width in zip("ABC", (22, 44, 80), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"

    def table(self, spec: _Sheet, table: KeyPath, data: Mapping[str, Any]) -> None:
        sheet = self.book.create_sheet(spec.name)
        rows = [
            item
            for item in _get(data, table) or ()
            if not spec.categories or item["category"] in spec.categories
        ]
        last = max(_VALIDATED_ROWS, len(rows) + 1 + _VALIDATED_ROWS // 5)
        for column, field in enumerate(spec.fields, start=1):
            letter = get_column_letter(column)
            _header(sheet, column, field.header, required=field.required)
            sheet.cell(row=1, column=column).comment = Comment(
                self.help(field), "lowcarbon", width=300, height=120
            )
            sheet.column_dimensions[letter].width = field.width
            self.field_validation(sheet, field, f"{letter}{_FIRST_DATA_ROW}:{letter}{last}")
            for row, item in enumerate(rows, start=_FIRST_DATA_ROW):
                self.put(sheet, row, column, field, _get(item, field.path))
        sheet.freeze_panes = "A2"

    def instructions(self, sheet: Worksheet, kind: UnitKind) -> None:
        _ = self.translate
        sheet.title = INSTRUCTIONS_SHEET
        title = Message(
            gettext_noop("Carbon accounting data-collection workbook: {kind}"),
            {"kind": Message(_KIND_NAMES[kind])},
        )
        put(sheet, 1, 1, title.render(_)).font = Font(bold=True, size=14)
        rows: list[tuple[str, str, bool]] = [
            (_(topic), _(text), True) for topic, text in _GUIDANCE[:1]
        ]
        rows.append((_(gettext_noop("What the plan states")), _(_PLAN_STATES[kind]), True))
        rows += [(_(topic), _(text), True) for topic, text in _GUIDANCE[1:]]
        rows.append(("", "", False))
        rows.append((_(gettext_noop("Sheet / column")), _(gettext_noop("How to fill it")), True))
        for spec in _SHEETS:
            rows.append((spec.name, _(spec.purpose), True))
            rows += [(field.header, self.help(field), False) for field in spec.fields]
        for row, (topic, text, bold) in enumerate(rows, start=3):
            head = put(sheet, row, 1, topic)
            head.font = Font(bold=bold)
            head.alignment = _WRAP
            put(sheet, row, 2, text).alignment = _WRAP
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 110


def write_workbook_template(
    path: Path | str,
    *,
    kind: UnitKind,
    language: str,
    translate: Translate,
    example: AccountingInput | None = None,
) -> None:
    """Write the data-collection workbook for a unit of ``kind`` to ``path``.

    ``language`` (``zh`` or ``en``) chooses the drop-down labels; ``translate`` renders the
    explanations. With ``example`` the sheets hold its data, and :func:`read_workbook` reads
    back an equal :class:`AccountingInput`.
    """
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
    if example is not None and example.profile.kind != kind:
        raise ValueError(f"the example is a {example.profile.kind.value}, not a {kind.value}")
    if example is not None and example.year_factor_sets:
        # The workbook holds one set for every year: never drop a year's own set silently.
        raise ValueError("the workbook holds one factor set; keep years with their own set in YAML")
    data: Mapping[str, Any] = (
        accounting_input_to_data(example)
        if example is not None
        else {"profile": {"kind": kind.value}, "factor_set": DEFAULT_FACTOR_SET}
    )
    book = Workbook()
    writer = _Writer(book, language, translate)
    writer.instructions(book.worksheets[0], kind)
    for spec in _SHEETS:
        if spec.table is None:
            writer.form(spec, data)
        else:
            writer.table(spec, spec.table, data)
    writer.options()
    book.save(Path(path))
