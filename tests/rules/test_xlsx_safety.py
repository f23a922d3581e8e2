"""Text written into a generated spreadsheet never becomes a formula (OWASP CSV / formula
injection), reads back exactly as typed, and numbers stay numbers."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from lowcarbon.rules.xlsx_safety import FORMULA_TRIGGERS, MAX_CELL_TEXT, put

from ..formula_payloads import PAYLOADS


def written(tmp_path: Path, values: list[object]) -> tuple[Path, list[object]]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row, value in enumerate(values, start=1):
        put(sheet, row, 1, value)
    path = tmp_path / "out.xlsx"
    book.save(path)
    return path, values


def test_every_payload_is_text_read_back_as_written(tmp_path: Path) -> None:
    path, _values = written(tmp_path, list(PAYLOADS))
    sheet = load_workbook(path).active
    assert sheet is not None
    for row, payload in enumerate(PAYLOADS, start=1):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s", payload
        assert cell.value == payload
        assert cell.quotePrefix is payload.startswith(FORMULA_TRIGGERS), payload
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    assert b"<f " not in xml


def test_numbers_dates_and_booleans_stay_what_they_are(tmp_path: Path) -> None:
    values: list[object] = [12, -3.5, Decimal("-0.25"), date(2026, 2, 1), True, None, "-5"]
    path, _values = written(tmp_path, values)
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [sheet.cell(row=row, column=1) for row in range(1, len(values) + 1)]
    assert [c.data_type for c in cells[:3]] == ["n", "n", "n"]
    assert [c.value for c in cells[:3]] == [12, -3.5, -0.25]
    assert cells[3].is_date
    assert cells[4].value is True
    assert cells[5].value is None
    # Text that looks like a negative number is still the text typed.
    assert (cells[6].value, cells[6].data_type, cells[6].quotePrefix) == ("-5", "s", True)
    assert not any(c.quotePrefix for c in cells[:6])


def test_characters_xml_cannot_hold_are_dropped_and_long_text_is_cut(tmp_path: Path) -> None:
    path, _values = written(tmp_path, ["任务\x00一\x07\x1b", "长" * (MAX_CELL_TEXT + 10)])
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == "任务一"
    assert sheet["A2"].value == "长" * MAX_CELL_TEXT


def test_a_cell_inside_a_merged_range_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.merge_cells("A1:C1")
    with pytest.raises(ValueError, match="B1"):
        put(sheet, 1, 2, "=1+1")
