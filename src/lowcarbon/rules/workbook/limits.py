"""What a workbook may hold, checked before openpyxl opens it: a 10 MB workbook of a million
rows once took 8.5 GB, and 42 million empty cells 3.9 GB and 97 s.

The accounting template has 13 sheets and 48 parts and unpacks to about 0.2 MB; a community or
a zone enters tens to a few thousand rows. :data:`WORKBOOK_LIMITS` leaves generous room (20 000
rows on any sheet, 200 000 cells in all: some 25 000 records, which openpyxl alone takes about
ten seconds to read) and :func:`check_workbook_package` refuses beyond it, naming the limit:

1. the package (:func:`lowcarbon.rules.archives.check_archive`): parts, unpacked bytes,
   compression ratio, nesting;
2. the XML of every part, streamed and counted before anything is parsed into objects:
   elements in all, sheets, rows (and the last row number) and cells on each sheet, cells in
   the workbook. Each worksheet part's sheet is found as openpyxl finds it (the content types,
   the workbook part and its relationships), so a refusal names the sheet.

The reader then opens the workbook read-only (rows streamed, never past the row limit).
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lowcarbon.core.messages import Message, gettext_noop

from ..archives import (
    MB,
    ArchiveLimits,
    ArchiveRefused,
    check_archive,
    scan_xml,
    xml_part_names,
)
from .errors import WorkbookError, WorkbookProblem

__all__ = [
    "WORKBOOK_LIMITS",
    "WorkbookLimits",
    "check_workbook_package",
]


@dataclass(frozen=True)
class WorkbookLimits:
    """The package limits, then sheets, rows on one sheet (row numbers included: row 1 is the
    header), cells on one sheet and in the workbook, and XML elements of all parts together."""

    archive: ArchiveLimits
    sheets: int
    rows: int
    sheet_cells: int
    cells: int
    xml_elements: int


WORKBOOK_LIMITS = WorkbookLimits(
    archive=ArchiveLimits(
        members=1000, unpacked_bytes=100 * MB, part_bytes=50 * MB, ratio=100, nesting=1
    ),
    sheets=32,
    rows=20_000,
    sheet_cells=160_000,
    cells=200_000,
    xml_elements=1_000_000,
)

_MAIN = frozenset(
    {
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
    }
)
_RELATIONSHIP_ID = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships id",
        "http://purl.oclc.org/ooxml/officeDocument/relationships id",
    }
)
_WORKBOOK_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    }
)
_CONTENT_TYPES = "[Content_Types].xml"


class _Scan:
    """Counts every element of every part against the budget, and rows and cells per sheet."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: WorkbookLimits) -> None:
        self.path = path
        self.archive = archive
        self.limits = limits
        self.elements = 0
        self.cells = 0
        self.scanned: set[str] = set()

    def refuse(self, sheet: str | None, found: object, expected: Message, code: str) -> None:
        raise WorkbookError(
            self.path, [WorkbookProblem(sheet, None, None, None, found, expected, code)]
        )

    def count(self) -> None:
        self.elements += 1
        if self.elements > self.limits.xml_elements:
            self.refuse(
                None,
                None,
                Message(
                    gettext_noop(
                        "a workbook of at most {limit} XML elements in all (this one has more: "
                        "very many cells, texts or formats)"
                    ),
                    {"limit": self.limits.xml_elements},
                ),
                "too_many_elements",
            )

    def part(
        self,
        name: str,
        collect: dict[str, list[dict[str, str]]] | None = None,
        sheet: str | None = None,
    ) -> None:
        """Scan a part once: count its elements, and the rows and cells of a sheet (named
        ``sheet``, else by its part name); ``collect`` gathers the attributes of the elements
        named by its keys."""
        if name in self.scanned or name not in self.archive.NameToInfo:
            return
        self.scanned.add(name)
        label = sheet or name
        limits = self.limits
        rows = last = cells = 0

        def start(namespace: str, local: str, attributes: dict[str, str]) -> None:
            nonlocal rows, last, cells
            self.count()
            if collect is not None and local in collect:
                collect[local].append(attributes)
            if namespace not in _MAIN:
                return
            if local == "row":
                rows += 1
                number = attributes.get("r", "")
                if not number.isdigit():  # no "r": the row after the one before
                    last += 1
                else:
                    last = int(number) if len(number) <= 9 else limits.rows + 1
                if max(rows, last) > limits.rows:
                    self.refuse(
                        label,
                        None,
                        Message(
                            gettext_noop(
                                "at most {limit} rows on one sheet (this sheet has more: "
                                "delete the rows below the data)"
                            ),
                            {"limit": limits.rows},
                        ),
                        "too_many_rows",
                    )
            elif local == "c":
                cells += 1
                self.cells += 1
                if cells > limits.sheet_cells:
                    self.refuse(
                        label,
                        None,
                        Message(
                            gettext_noop(
                                "at most {limit} cells on one sheet (this sheet has more: "
                                "delete the columns and rows outside the table)"
                            ),
                            {"limit": limits.sheet_cells},
                        ),
                        "too_many_cells",
                    )
                if self.cells > limits.cells:
                    self.refuse(
                        None,
                        None,
                        Message(
                            gettext_noop("at most {limit} cells in the workbook (it has more)"),
                            {"limit": limits.cells},
                        ),
                        "too_many_cells",
                    )

        scan_xml(self.archive, name, start)


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder, target))


def _worksheets(scan: _Scan) -> dict[str, str]:
    """Worksheet part → sheet name, as openpyxl finds them; refuses too many sheets."""
    types: dict[str, list[dict[str, str]]] = {"Override": []}
    scan.part(_CONTENT_TYPES, types)
    workbook = next(
        (
            entry.get("PartName", "").lstrip("/")
            for entry in types["Override"]
            if entry.get("ContentType") in _WORKBOOK_TYPES
        ),
        "xl/workbook.xml",
    )
    sheets: dict[str, list[dict[str, str]]] = {"sheet": []}
    scan.part(workbook, sheets)
    if len(sheets["sheet"]) > scan.limits.sheets:
        scan.refuse(
            None,
            len(sheets["sheet"]),
            Message(
                gettext_noop("at most {limit} sheets (the template has 13)"),
                {"limit": scan.limits.sheets},
            ),
            "too_many_sheets",
        )
    folder, base = posixpath.split(workbook)
    relationships: dict[str, list[dict[str, str]]] = {"Relationship": []}
    scan.part(posixpath.join(folder, "_rels", f"{base}.rels"), relationships)
    targets = {
        entry.get("Id", ""): _resolve(folder, entry.get("Target", ""))
        for entry in relationships["Relationship"]
        if entry.get("TargetMode") != "External"
    }
    parts: dict[str, str] = {}
    for entry in sheets["sheet"]:
        relationship = next((v for k, v in entry.items() if k in _RELATIONSHIP_ID), "")
        if relationship in targets:  # a sheet without a declared part has none to count
            parts.setdefault(targets[relationship], entry.get("name", ""))
    return parts


def check_workbook_package(path: Path, limits: WorkbookLimits = WORKBOOK_LIMITS) -> None:
    """Refuse a workbook beyond ``limits`` before it is opened: a :class:`WorkbookError` whose
    one problem names the sheet (when it is one sheet's) and the limit. A file that is no ZIP
    at all passes: opening it fails with the reader's own message."""
    try:
        check_archive(path, limits.archive)
    except ArchiveRefused as refused:
        if refused.code == "archive_damaged":
            return
        raise WorkbookError(
            path,
            [
                WorkbookProblem(
                    None, None, None, None, refused.value, refused.expected, refused.code
                )
            ],
        ) from None
    try:
        with zipfile.ZipFile(path) as archive:
            scan = _Scan(path, archive, limits)
            for part, sheet in _worksheets(scan).items():
                scan.part(part, sheet=sheet)
            for name in xml_part_names(archive.namelist()):
                scan.part(name)
    except ArchiveRefused as refused:
        raise WorkbookError(
            path,
            [
                WorkbookProblem(
                    None, None, None, None, refused.value, refused.expected, refused.code
                )
            ],
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return  # damaged: opening fails in the reader, with its message
