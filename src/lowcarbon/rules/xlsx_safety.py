"""Writing a value into a spreadsheet cell so that text can never become a formula.

Every XLSX the platform generates (the task list, the annual work plan, score and result
sheets, the pre-filled accounting workbook, the accounting report) shows text that people typed:
task names, key projects, unit names, comments. openpyxl stores any string that starts with
``=`` as a formula, so ``=HYPERLINK("http://…","点此查看")`` or the DDE payload
``=cmd|' /C calc'!A0`` typed by an applicant would become a live formula in the workbook a
district officer opens (CSV / formula injection, OWASP).

:func:`put` and :func:`set_value` are the one way a generated workbook receives a value:

* text is always a text cell (``data_type`` ``"s"``: an inline string, never ``<f>``), whatever
  it starts with, including an error literal such as ``#N/A``;
* text that starts with a character a spreadsheet reads as the start of a formula (OWASP's
  ``=``, ``+``, ``-``, ``@``, tab and carriage return; also line feed and the full-width
  ``＝ ＋ － ＠`` an input method types) gets the cell style's *quote prefix* (``quotePrefix``,
  what Excel sets when one types ``'=…``): the cell shows and returns exactly the text typed,
  and editing the cell does not turn it into a formula. OWASP's alternative, a leading ``'`` in
  the value, would change what the reader sees and what the workbook import reads back;
* characters XML cannot carry (C0 controls other than tab, line feed and carriage return) are
  removed, and text is cut at Excel's 32 767 characters, instead of failing the whole document;
* numbers (``int``, ``float``, ``Decimal``), dates and booleans stay numbers, dates and
  booleans: a reduction or a score remains a figure the reader can add up.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORMULA_TRIGGERS", "MAX_CELL_TEXT", "cell_text", "put", "set_value"]

#: A text starting with one of these is given the quote prefix (OWASP's list and its
#: full-width forms).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

#: The most characters an Excel cell holds.
MAX_CELL_TEXT = 32_767

# XML 1.0 cannot carry these; openpyxl refuses them (IllegalCharacterError).
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_KEPT_AS_IS = (bool, int, float, Decimal, datetime, date, time)


def cell_text(value: object) -> str:
    """``value`` as the text a cell can hold: without the characters XML refuses, at most
    :data:`MAX_CELL_TEXT` characters."""
    return _NOT_IN_XML.sub("", str(value))[:MAX_CELL_TEXT]


def set_value(cell: Cell, value: Any) -> Cell:
    """Give ``cell`` ``value``: text as neutralised text, numbers, dates and booleans as they
    are, ``None`` as an empty cell. Anything else is written as its text."""
    if value is None or isinstance(value, _KEPT_AS_IS):
        cell.value = value
        return cell
    text = cell_text(value)
    cell.value = text
    cell.data_type = "s"  # never "f" (formula) or "e" (error), whatever the text is
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into the cell at ``row``, ``column`` of ``sheet`` (see
    :func:`set_value`) and return the cell for its styling. A merged range takes its value in
    its first cell only."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(cell, MergedCell):
        raise ValueError(f"{cell.coordinate} is inside a merged range: write its first cell")
    return set_value(cell, value)
