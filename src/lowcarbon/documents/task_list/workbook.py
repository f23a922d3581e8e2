"""The task list's tables as an XLSX workbook."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lowcarbon.rules.xlsx_safety import put

from .grid import Cell, Grid

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_EMPHASIS_FILL = PatternFill("solid", fgColor="F2F2F2")
_FONT = "宋体"
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def write_workbook(title: str, subtitle: str, grids: Sequence[Grid], out: Path) -> None:
    """One worksheet per grid, laid out for printing: the title over the table (row 1), the
    unit and date (row 2), the header (row 3, repeated on every printed page), notes below."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for index, grid in enumerate(grids, start=1):
        name = _SHEET_NAME.sub("", grid.sheet or grid.caption)[:31] or f"Sheet{index}"
        sheet = workbook.create_sheet(name)
        columns = len(grid.header)
        last = get_column_letter(columns)
        sheet.merge_cells(f"A1:{last}1")
        heading = put(
            sheet, 1, 1, f"{title}　{grid.caption}" if grid.caption not in title else title
        )
        heading.font = Font(name=_FONT, size=16, bold=True)
        heading.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 30
        sheet.merge_cells(f"A2:{last}2")
        put(sheet, 2, 1, subtitle).font = Font(name=_FONT, size=10)
        for column, text in enumerate(grid.header, start=1):
            cell = put(sheet, 3, column, text)
            cell.font = Font(name=_FONT, size=10, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for offset, row in enumerate(grid.rows):
            emphasised = offset in grid.emphasis
            for column, value in enumerate(row, start=1):
                cell = put(sheet, 4 + offset, column, _plain(value))
                cell.font = Font(name=_FONT, size=10, bold=emphasised)
                cell.border = _BORDER
                numeric = column - 1 in grid.numeric
                cell.alignment = Alignment(
                    horizontal="right" if numeric else "left", vertical="center", wrap_text=True
                )
                if isinstance(value, Decimal):
                    cell.number_format = "#,##0.00"
                if emphasised:
                    cell.fill = _EMPHASIS_FILL
        widths = list(grid.widths) if len(grid.widths) == columns else [1.0] * columns
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(6.0, width * 11)
        if grid.note:
            note_row = 5 + len(grid.rows)
            sheet.merge_cells(f"A{note_row}:{last}{note_row}")
            note = put(sheet, note_row, 1, grid.note)
            note.font = Font(name=_FONT, size=9)
            note.alignment = Alignment(wrap_text=True)
            sheet.row_dimensions[note_row].height = 15 * (1 + len(grid.note) // 90)
        sheet.freeze_panes = "A4"
        sheet.print_title_rows = "3:3"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.save(str(out))


def _plain(value: Cell) -> Any:
    # Decimals are written as floats: spreadsheets hold binary numbers; the shown format keeps
    # two places, and the exact figures remain in the snapshot.
    if isinstance(value, Decimal):
        return float(value)
    return value
