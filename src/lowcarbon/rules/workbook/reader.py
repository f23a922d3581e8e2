"""Reading a filled workbook (:func:`read_workbook`): its size is checked against the limits
first (:mod:`.limits`), then it is opened read-only (rows streamed from the file), the layout is
checked, every cell is read, and the checks of the YAML loader run; every problem is reported at
once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from lowcarbon.core.messages import Message, gettext_noop

from ..activity import AccountingInput, accounting_input_from_data, check_accounting_data
from .cells import KeyPath, _Field, _get, _put, _Sheet
from .errors import WorkbookError, WorkbookProblem, _Invalid
from .layout import _ACTIVITY_SHEETS, _FIRST_DATA_ROW, _SHEET_ORDER, _SHEETS
from .limits import WORKBOOK_LIMITS, WorkbookLimits, check_workbook_package
from .tables import _DRIVERS

__all__ = [
    "read_workbook",
]


@dataclass(frozen=True)
class _Where:
    sheet: str | None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    index: int = 0  # column number, for sorting


def _cell_value(raw: object) -> object:
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


# Headers beyond this column are not read (they are only listed in a message).
_HEADER_COLUMNS = 64


class _Unreadable(Exception):
    """The file cannot be opened or parsed as a workbook."""


def _unreadable(path: Path) -> WorkbookError:
    # The exception's text is not shown: it names temporary paths and parser internals.
    return WorkbookError(
        path,
        [
            WorkbookProblem(
                None,
                None,
                None,
                None,
                None,
                Message(
                    gettext_noop(
                        "an .xlsx workbook made from the template (this file cannot be opened "
                        "as one: damaged, or saved in another format)"
                    )
                ),
                "unreadable",
            )
        ],
    )


class _Reader:
    def __init__(self, path: Path, book: Workbook, limits: WorkbookLimits) -> None:
        self.path = path
        self.book = book
        self.limits = limits
        self.form_rows: dict[str, list[tuple[object, ...]]] = {}
        self.problems: list[tuple[tuple[int, int, int], WorkbookProblem]] = []
        self.data: dict[str, Any] = {
            "profile": {"boundary": {}, "drivers": []},
            "records": [],
            "tasks": [],
            "reductions": [],
            "targets": [],
            "assumptions": {},
        }
        self.where: dict[KeyPath, _Where] = {(): _Where(None)}
        self.entered = False

    def problem(self, where: _Where, found: object, expected: Message, code: str) -> None:
        problem = WorkbookProblem(
            where.sheet, where.row, where.column, where.cell, found, expected, code
        )
        order = _SHEET_ORDER.get(where.sheet or "", -1)
        self.problems.append(((order, where.row or 0, where.index), problem))

    def fail_if_problems(self) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda pair: pair[0])
            raise WorkbookError(self.path, [problem for _, problem in ordered])

    def layout(self) -> None:
        present = self.book.sheetnames
        names = [spec.name for spec in _SHEETS]
        for name in names:
            if name not in present:
                self.problem(
                    _Where(name),
                    None,
                    Message(
                        gettext_noop(
                            "a sheet named {sheet}, as in the template (sheets may not be renamed "
                            "or removed); the workbook has {sheets}"
                        ),
                        {"sheet": name, "sheets": present},
                    ),
                    "sheet_missing",
                )
        found_order = [name for name in present if name in names]
        if len(found_order) == len(names) and found_order != names:
            self.problem(
                _Where(None),
                " | ".join(found_order),
                Message(
                    gettext_noop("the sheets in the template's order: {sheets}"),
                    {"sheets": " | ".join(names)},
                ),
                "sheet_order",
            )
        for spec in _SHEETS:
            if spec.name in present:
                self.headers(spec, self.book[spec.name])

    def rows(self, sheet: Any, first: int, columns: int) -> Iterator[tuple[object, ...]]:
        """The values of the rows from ``first``, ``columns`` wide, streamed from the file and
        never past the row limit (the package check refused a sheet with more). A sheet that
        cannot be parsed (read-only mode parses it only now) raises :class:`_Unreadable`."""
        rows = sheet.iter_rows(
            min_row=first, max_row=self.limits.rows, max_col=columns, values_only=True
        )
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # openpyxl raises zip, XML and its own errors alike
                raise _Unreadable from None
            yield tuple(row)

    def headers(self, spec: _Sheet, sheet: Any) -> None:
        wanted = [field.header for field in spec.fields]
        if spec.table is None:
            # A form: labels in column A and values in column B from row 2, read once.
            rows = list(self.rows(sheet, 2, 2))
            self.form_rows[spec.name] = rows
            cells = [row[0] for row in rows]
            template = gettext_noop("the labels {labels} in column A in this order")
        else:
            cells = list(next(iter(self.rows(sheet, 1, _HEADER_COLUMNS)), ()))
            template = gettext_noop("the headers {labels} in row 1 in this order")
        texts = [_cell_value(value) for value in cells]
        if texts[: len(wanted)] == wanted:
            return
        found = [str(text) for text in texts if text is not None]
        missing = [header for header in wanted if header not in found]
        expected = Message(template, {"labels": " | ".join(wanted)})
        if missing:
            expected = Message(
                gettext_noop("{expected}; missing or renamed: {missing}"),
                {"expected": expected, "missing": " | ".join(missing)},
            )
        self.problem(_Where(spec.name), " | ".join(found), expected, "headers")

    def value(self, field: _Field, raw: object, where: _Where) -> object:
        try:
            return field.kind.read(raw)
        except _Invalid as invalid:
            self.problem(where, raw, invalid.expected, "cell")
            return None

    def form(self, spec: _Sheet) -> None:
        rows = self.form_rows.get(spec.name, [])
        for row, field in enumerate(spec.fields, start=_FIRST_DATA_ROW):
            where = _Where(spec.name, row, field.header, f"B{row}", 2)
            self.where[field.path] = where
            index = row - _FIRST_DATA_ROW
            raw = _cell_value(rows[index][1] if index < len(rows) else None)
            if raw is None:
                if field.required:
                    self.problem(where, None, field.kind.expected, "required")
                continue
            self.entered = self.entered or not field.prefilled
            value = self.value(field, raw, where)
            if value is not None:
                _put(self.data, field.path, value)

    def table(self, spec: _Sheet, sheet: Any, table: KeyPath) -> None:
        items: list[dict[str, Any]] = _get(self.data, table)
        self.where.setdefault(table, _Where(spec.name))
        width = len(spec.fields)
        for row, cells in enumerate(
            self.rows(sheet, _FIRST_DATA_ROW, width), start=_FIRST_DATA_ROW
        ):
            raws = [_cell_value(raw) for raw in cells]
            if all(raw is None for raw in raws):
                continue
            self.entered = True
            index = len(items)
            # The row as a whole: problems of an item (a record entered twice) are placed here.
            self.where[(*table, index)] = _Where(spec.name, row)
            item: dict[str, Any] = {}
            for column, (field, raw) in enumerate(zip(spec.fields, raws, strict=True), start=1):
                where = _Where(
                    spec.name, row, field.header, f"{get_column_letter(column)}{row}", column
                )
                self.where[(*table, index, *field.path)] = where
                if raw is None:
                    if field.required:
                        self.problem(where, None, field.kind.expected, "required")
                    continue
                value = self.value(field, raw, where)
                if value is not None:
                    _put(item, field.path, value)
            items.append(item)

    def read(self) -> AccountingInput:
        self.layout()
        self.fail_if_problems()
        for spec in _SHEETS:
            if spec.table is None:
                self.form(spec)
            else:
                self.table(spec, self.book[spec.name], spec.table)
        if not self.entered:
            self.problems.clear()
            self.problem(
                _Where(None),
                None,
                Message(
                    gettext_noop(
                        "data on the sheets 基本情况, 年度规模 and the activity sheets: nothing "
                        "was entered in the template"
                    )
                ),
                "nothing_entered",
            )
            self.fail_if_problems()
        self.required_rows()
        for issue in check_accounting_data(self.data, self.locate):
            self.problem(self.where_of(issue.path), issue.found, issue.expected, issue.code)
        self.fail_if_problems()
        return accounting_input_from_data(
            self.data, origin=self.record_origin, reduction_origin=self.reduction_origin
        )

    def where_of(self, path: KeyPath) -> _Where:
        """Where the value at ``path`` was read, or its nearest enclosing place."""
        return next(
            self.where[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.where
        )

    def locate(self, path: KeyPath) -> Message:
        """How a problem names another place of the workbook (the first of two records)."""
        where = self.where_of(path)
        return Message(
            gettext_noop("sheet {sheet}, row {row}"), {"sheet": where.sheet, "row": where.row}
        )

    def reduction_origin(self, index: int) -> str:
        """Where reductions[index] was read: ``减排测算!A3``."""
        where = self.where_of(("reductions", index))
        return f"{where.sheet}!A{where.row}"

    def record_origin(self, index: int) -> str:
        """Where records[index] was read, for the engine's messages: ``电力!A5``."""
        where = self.where_of(("records", index))
        return f"{where.sheet}!A{where.row}"

    def required_rows(self) -> None:
        if not self.data["profile"]["drivers"]:
            self.problem(
                _Where(_DRIVERS.name),
                None,
                Message(gettext_noop("at least one row: the size of the unit in the base year")),
                "no_drivers",
            )
        if not self.data["records"]:
            self.problem(
                _Where(None),
                None,
                Message(
                    gettext_noop("at least one activity record on the sheets {sheets}"),
                    {"sheets": ", ".join(sheet.name for sheet in _ACTIVITY_SHEETS)},
                ),
                "no_records",
            )


def read_workbook(path: Path | str, limits: WorkbookLimits = WORKBOOK_LIMITS) -> AccountingInput:
    """The accounting input in the workbook at ``path`` (made from the template).

    Raises :class:`WorkbookError` listing every problem: a workbook beyond ``limits`` (refused
    before it is opened, naming the limit), a changed layout, unreadable cells, and what
    :func:`~lowcarbon.rules.activity.check_accounting_data` finds.
    """
    path = Path(path)
    check_workbook_package(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and its own errors alike
        raise _unreadable(path) from None
    try:
        return _Reader(path, book, limits).read()
    except _Unreadable:  # a sheet that fails to parse when its rows are read
        raise _unreadable(path) from None
    finally:
        book.close()
