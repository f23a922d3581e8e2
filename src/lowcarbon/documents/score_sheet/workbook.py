"""A score sheet as an XLSX workbook."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from lowcarbon.rules.xlsx_safety import put

from .sheet import Sheet, SheetRow, _text

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def write_xlsx(sheet: Sheet, out: Path) -> None:
    """The sheet as an A4 workbook: the table with borders, the header row repeated on every
    printed page, fitted to the page width, page numbers in the footer."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet.title[:31]
    columns = len(sheet.header)
    last = get_column_letter(columns)
    total_width = sum(sheet.widths) or 1
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = round(110 * width / total_width, 1)
    row = 1

    def banner(text: str, size: int, bold: bool, height: float) -> None:
        nonlocal row
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = put(ws, row, 1, text)
        cell.font = Font(name=_FONT, size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = height
        row += 1

    banner(sheet.title, 16, True, 28)
    banner(sheet.subtitle, 11, False, 18)
    for label, value in sheet.info:
        put(ws, row, 1, label).font = Font(name=_FONT, size=10, bold=True)
        if columns > 1:
            ws.merge_cells(f"B{row}:{last}{row}")
        cell = put(ws, row, min(2, columns), value)
        cell.font = Font(name=_FONT, size=10)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    fill = PatternFill("solid", fgColor="E7EEEA")

    def table(
        caption: str,
        header: Sequence[str],
        rows: Sequence[SheetRow],
        numeric_columns: frozenset[int],
        notes: Sequence[str],
    ) -> int:
        """Write a captioned table and its notes from the current row; its header row."""
        nonlocal row
        if caption:
            banner(caption, 11, True, 20)
        header_row = row
        for column, text in enumerate(header, start=1):
            cell = put(ws, row, column, text)
            cell.font = Font(name=_FONT, size=10, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            cell.fill = fill
        row += 1
        spans: list[tuple[int, int]] = []
        width = len(header)
        for entry in rows:
            bold = entry.kind != "item"
            for column in range(1, width + 1):
                content = entry.cells[column - 1] if column - 1 < len(entry.cells) else None
                numeric = column - 1 in numeric_columns and isinstance(content, Decimal | int)
                cell = put(
                    ws, row, column, content if numeric or content is None else _text(content)
                )
                cell.font = Font(name=_FONT, size=10, bold=bold)
                cell.border = _BORDER
                if entry.kind == "group":
                    cell.fill = fill
                cell.alignment = Alignment(
                    horizontal="right" if numeric else ("center" if column == 1 else "left"),
                    vertical="center" if column == 1 else "top",
                    wrap_text=True,
                )
                if numeric:
                    cell.number_format = "0.0#"
            if entry.span > 1:
                spans.append((row, row + entry.span - 1))
            row += 1
        # Merged after every row is written: a merged cell below the first no longer takes
        # values.
        for first, last_row in spans:
            ws.merge_cells(start_row=first, start_column=1, end_row=last_row, end_column=1)
        row += 1
        for note in notes:
            ws.merge_cells(f"A{row}:{last}{row}")
            cell = put(ws, row, 1, note)
            cell.font = Font(name=_FONT, size=9)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 30
            row += 1
        return header_row

    header_row = table("", sheet.header, sheet.rows, sheet.numeric, sheet.notes)
    for part in sheet.parts:
        row += 1
        table(part.caption, part.header, part.rows, part.numeric, part.notes)
    row += 1
    ws.merge_cells(f"A{row}:{last}{row}")
    cell = put(ws, row, 1, sheet.signature)
    cell.font = Font(name=_FONT, size=12)
    cell.alignment = Alignment(horizontal="right", vertical="bottom")
    ws.row_dimensions[row].height = 36
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if columns <= 8 else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "&P / &N"
    properties = workbook.properties
    properties.title = sheet.properties.get("title", sheet.title)
    properties.subject = sheet.subtitle
    properties.keywords = sheet.properties.get("keywords", "")
    properties.description = sheet.properties.get("description", "")
    properties.creator = "lowcarbon"
    workbook.save(out)
