"""Utility export files (CSV or XLSX, UTF-8 or GBK) read through a column mapping.

A :class:`ColumnMapping` names the column of the time, of the value and, optionally, of the
meter id. :func:`read_export` yields :class:`~lowcarbon.core.metering.RawReading` rows and the
findings of cells that cannot be read (a time or a number that is not one): those rows are
rejected with their row number (row 1 is the header, as a spreadsheet counts) and column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.metering import FindingKind, RawReading, ReadingFinding
from lowcarbon.rules.archives import ArchiveLimits
from lowcarbon.rules.workbook.limits import WorkbookLimits, check_workbook_package

__all__ = ["ColumnMapping", "ExportError", "ExportRows", "parse_cells", "read_export"]

MB = 1024 * 1024

#: Meter exports are long and narrow: up to Excel's 1 048 576 rows of a few columns.
EXPORT_LIMITS = WorkbookLimits(
    archive=ArchiveLimits(
        members=100, unpacked_bytes=500 * MB, part_bytes=500 * MB, ratio=100, nesting=1
    ),
    sheets=10,
    rows=1_048_576,
    sheet_cells=20_000_000,
    cells=20_000_000,
    xml_elements=100_000_000,
)


class ExportError(LowcarbonError):
    """An export that cannot be read at all: its name, and what was found and expected."""

    code = "export"


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns hold the time, the value and (when the file has several meters) the meter."""

    time: str
    value: str
    meter: str | None = None


@dataclass
class ExportRows:
    """The readable rows of an export and the findings of those that are not."""

    readings: list[RawReading]
    findings: list[ReadingFinding]


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads every GBK file
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExportError(  # pragma: no cover - GB18030 decodes almost any byte string
        Message(
            gettext_noop("{file}: the text is neither UTF-8 nor GBK"),
            {"file": name},
        )
    )


def _time(raw: object) -> datetime | None:
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None)
    text = str(raw).strip()
    if "/" in text:
        text = text.replace("/", "-")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else moment.replace(tzinfo=None)


def _value(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _rows(path: Path) -> Iterator[list[object]]:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        check_workbook_package(path, EXPORT_LIMITS)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception:  # openpyxl raises zip, XML and its own errors alike
            raise ExportError(
                Message(
                    gettext_noop("{file}: not a readable XLSX workbook"),
                    {"file": path.name},
                )
            ) from None
        try:
            sheet = book.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield ["" if cell is None else cell for cell in row]
        finally:
            book.close()
        return
    text = _decode(path.read_bytes(), path.name)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _column(header: list[str], wanted: str, name: str) -> int:
    try:
        return header.index(wanted)
    except ValueError:
        raise ExportError(
            Message(
                gettext_noop("{file}: no column '{found}'; the columns are {expected}"),
                {"file": name, "found": wanted, "expected": [f"'{h}'" for h in header]},
            )
        ) from None


def read_export(path: Path, mapping: ColumnMapping, meter: str | None) -> ExportRows:
    """The rows of the export at ``path``; ``meter`` is the id of a one-meter file (used when
    the mapping names no meter column)."""
    rows = _rows(path)
    try:
        header = [str(cell).strip() for cell in next(rows)]
    except StopIteration:
        raise ExportError(
            Message(gettext_noop("{file}: the file is empty"), {"file": path.name})
        ) from None
    time_at = _column(header, mapping.time, path.name)
    value_at = _column(header, mapping.value, path.name)
    meter_at = _column(header, mapping.meter, path.name) if mapping.meter else None
    cells = (
        (number, row + [""] * (len(header) - len(row)))
        for number, row in enumerate(rows, start=2)
        if "".join(map(str, row)).strip()
    )
    return parse_cells(
        (
            (
                number,
                str(row[meter_at]).strip() if meter_at is not None else (meter or ""),
                row[time_at],
                row[value_at],
            )
            for number, row in cells
        ),
        mapping,
    )


def parse_cells(
    cells: Iterable[tuple[int, str, object, object]], mapping: ColumnMapping
) -> ExportRows:
    """Readings (or findings) of ``(row number, meter id, time cell, value cell)``: the one
    reading of cells, for :func:`read_export` and for rows DuckDB hands over."""
    result = ExportRows([], [])
    for number, meter_id, time_cell, value_cell in cells:
        moment = _time(time_cell)
        if moment is None:
            result.findings.append(
                ReadingFinding(
                    FindingKind.BAD_TIMESTAMP,
                    meter_id,
                    number,
                    None,
                    str(time_cell),
                    Message(gettext_noop("a date and time such as 2024-03-01 00:15")),
                    column=mapping.time,
                )
            )
            continue
        value = _value(value_cell)
        if value is None:
            result.findings.append(
                ReadingFinding(
                    FindingKind.BAD_VALUE,
                    meter_id,
                    number,
                    moment,
                    str(value_cell),
                    Message(gettext_noop("a number such as 12.5")),
                    column=mapping.value,
                )
            )
            continue
        result.readings.append(RawReading(number, meter_id, moment, value))
    return result
