"""A unit's metered year for its inventory, and the coverage of its monitoring system.

issue 17, 6.: a unit's yearly inventory can take its metered categories from the monitoring
system (tier ``measured``, with the coverage shown), and the system's own coverage report is
the evidence for 附件4 加分项第2项 (communities: rubric item ``B2``) or 附件2 五、第2项
(zones: rubric item ``5.2``, 区域碳排放统计、监测、核算体系).

* :func:`metered_year`: the monthly job (:func:`lowcarbon.monitoring.monthly.monthly`, DuckDB
  over the unit's community partition of the store, under its round's factor set) added up for
  one calendar year by :func:`lowcarbon.monitoring.coverage.year_coverage`: per meter and per
  accounting category and sector, the months with data, completeness and consumption; the
  inventory's categories (the base year's records of the plan the unit revises) the meters do
  not cover; and the activity records of tier ``measured`` with a source text naming the
  system, the meters and the months.
* :func:`prefilled_workbook`: the activity workbook the progress report imports (the baseline
  workbook's format), holding the plan's baseline data, the metered records of the year and an
  empty row of the year's size for the unit to fill; a sheet of its own lists the coverage.
* :func:`coverage_workbook`: the coverage report (监控系统覆盖情况) as XLSX.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from lowcarbon.core.activity import (
    CATEGORY_NAMES,
    SECTOR_NAMES,
    Sector,
    SourceCategory,
    SourceKey,
    UnitKind,
)
from lowcarbon.core.messages import Message
from lowcarbon.monitoring.coverage import (
    CategoryYear,
    YearCoverage,
    metered_records,
    month_ranges,
    year_coverage,
)
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.monitoring.store import Store
from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.rules.snapshot import as_json_numbers
from lowcarbon.rules.workbook import write_workbook_template
from lowcarbon.rules.xlsx_safety import put
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.archive.actions import RecordInput, do_add_record
from lowcarbon.web.archive.models import ArchiveRecord
from lowcarbon.web.creation.filing_content import base_plan
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.monitoring.actions import meters_of
from lowcarbon.web.monitoring.models import Meter as MeterRecord
from lowcarbon.web.monitoring.stores import community_key, monitoring_store

__all__ = [
    "ARCHIVE_CATEGORIES",
    "COVERAGE_SHEET",
    "RUBRIC_ITEMS",
    "MeteredYear",
    "NoBaseline",
    "coverage_file_name",
    "coverage_workbook",
    "do_archive_coverage",
    "inventory_keys",
    "metered_year",
    "prefilled_data",
    "prefilled_workbook",
]

#: The rubric item the coverage report is evidence for, per kind of unit (data/schemes).
RUBRIC_ITEMS = {UnitKind.COMMUNITY.value: "B2", UnitKind.ZONE.value: "5.2"}
CITATIONS = {UnitKind.COMMUNITY.value: "附件4 加分项第2项", UnitKind.ZONE.value: "附件2 五、第2项"}

#: The sheet of the pre-filled workbook that lists the coverage (the reader ignores it).
COVERAGE_SHEET = "计量覆盖情况"
DRIVERS_SHEET = "年度规模"

PERCENT = Decimal("0.1")


class _Community(Store):
    """The platform's store seen through one community partition."""

    def __init__(self, store: Store, community: str) -> None:
        super().__init__(store.root)
        self.community = community

    def files(self, communities: Iterable[str] | None = None) -> list[Path]:
        return super().files([self.community])


def inventory_keys(unit: CreationUnit) -> tuple[SourceKey, ...]:
    """The categories of the unit's inventory: those of the base year's records in the baseline
    data of the plan it revises."""
    accounting = base_plan(unit).get("accounting") or {}
    base_year = (accounting.get("profile") or {}).get("base_year")
    keys: list[SourceKey] = []
    for record in accounting.get("records") or []:
        if record.get("year") != base_year:
            continue
        key = (SourceCategory(record["category"]), Sector(record["sector"]))
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{(value * 100).quantize(PERCENT)} %"


def category_name(key: SourceKey) -> str:
    return f"{_(CATEGORY_NAMES[key[0]])}（{_(SECTOR_NAMES[key[1]])}）"


def months_text(months: Iterable[str]) -> str:
    return "、".join(
        first if first == last else f"{first}—{last}" for first, last in month_ranges(list(months))
    )


@dataclass(frozen=True)
class MeteredYear:
    """A unit's metered year: the coverage, the records, and the meters' names."""

    unit: CreationUnit
    year: int
    factor_set: str
    coverage: YearCoverage
    names: dict[str, str]  # store id → "number name"
    notes: tuple[Message, ...]
    years: tuple[int, ...] = ()  # the years the unit's meters have readings of

    def meter_text(self, store_ids: Iterable[str]) -> str:
        return "、".join(self.names.get(i, i) for i in store_ids)

    def source(self, item: CategoryYear) -> str:
        return _(
            "Greenhouse-gas monitoring system of the platform: meters {meters}; months with data "
            "{months} ({count} of 12); completeness {share}"
        ).format(
            meters=self.meter_text(item.meters),
            months=months_text(item.months),
            count=len(item.months),
            share=percent(item.completeness),
        )

    def label(self, item: CategoryYear) -> str:
        return _("metered: {category}").format(category=category_name(item.key))

    @property
    def records(self) -> list[dict[str, Any]]:
        """The metered activity records, shaped as the accounting data holds them."""
        return [
            {
                "year": r.year,
                "category": r.category.value,
                "sector": r.sector.value,
                "quantity": r.quantity,
                "unit": r.unit,
                "quality": r.quality.value,
                "source": r.source,
                "label": r.label,
            }
            for r in metered_records(self.coverage, source=self.source, label=self.label)
        ]


def metered_year(
    unit: CreationUnit, year: int | None = None, *, store: Store | None = None
) -> MeteredYear:
    """The unit's metered ``year`` (module docstring); without a year, the latest year its
    meters have readings of (the year before this one when they have none)."""
    store = store if store is not None else monitoring_store()
    community = community_key(unit.application.unit)
    set_id = unit.application.round.factor_set_id
    report = monthly(_Community(store, community), set_id=set_id)
    years = tuple(sorted({int(f.month[:4]) for f in report.figures if f.community == community}))
    if year is None:
        year = max(years) if years else timezone.localdate().year - 1
    meters = [m for m in store.meters().values() if m.community == community]
    records: dict[str, MeterRecord] = {m.store_id: m for m in meters_of(unit.application.unit)}
    names = {key: f"{m.number} {m.name}" for key, m in records.items()}
    coverage = year_coverage(year, meters, report.figures, inventory_keys(unit))
    return MeteredYear(unit, year, set_id, coverage, names, report.notes, years)


# --- the workbooks ---------------------------------------------------------------------------


def _coverage_rows(metered: MeteredYear) -> list[list[Any]]:
    coverage = metered.coverage
    rows: list[list[Any]] = [
        [
            _("Category and sector"),
            _("Unit"),
            _("Meters measuring it"),
            _("Months with data"),
            _("Completeness"),
            _("Consumption"),
            _("Emissions (tCO2)"),
        ]
    ]
    for item in coverage.categories:
        rows.append(
            [
                category_name(item.key),
                item.unit,
                metered.meter_text(item.meters),
                f"{months_text(item.months) or '—'}（{len(item.months)}/12）",
                percent(item.completeness),
                item.consumption,
                item.tco2 if item.tco2 is not None else "—",
            ]
        )
    rows.append([])
    rows.append(
        [
            _("Categories of the inventory covered"),
            f"{len(coverage.covered)}/{len(coverage.inventory)}",
            percent(coverage.share),
        ]
    )
    rows.append(
        [
            _("Not covered by any meter"),
            "、".join(category_name(key) for key in coverage.uncovered) or "—",
        ]
    )
    return rows


def _meter_rows(metered: MeteredYear) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Meter"),
            _("Category and sector"),
            _("Months with data"),
            _("Intervals present"),
            _("Intervals in the year"),
            _("Completeness"),
            _("Consumption"),
            _("Unit"),
        ]
    ]
    for item in metered.coverage.meters:
        rows.append(
            [
                metered.meter_text([item.meter]),
                category_name((item.category, item.sector)),
                f"{months_text(item.months) or '—'}（{len(item.months)}/12）",
                item.present,
                item.expected,
                percent(item.completeness),
                item.consumption,
                item.unit,
            ]
        )
    return rows


def _write_rows(sheet: Any, rows: list[list[Any]], first: int = 1) -> int:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, first + offset, column, value)
            if offset == 0:
                cell.font = Font(bold=True)
    return first + len(rows)


def _title(metered: MeteredYear) -> str:
    return _("Coverage of the monitoring system: {unit}, {year}").format(
        unit=metered.unit.application.unit.name, year=metered.year
    )


def _fill_coverage_sheet(sheet: Any, metered: MeteredYear, now: datetime) -> None:
    put(sheet, 1, 1, _title(metered)).font = Font(bold=True, size=14)
    put(
        sheet,
        2,
        1,
        _(
            "From the monthly job over the unit's meters, factor set {set}; made {when}; "
            "evidence for {citation} (indicator item {item})."
        ).format(
            set=metered.factor_set,
            when=f"{now:%Y-%m-%d %H:%M}",
            citation=CITATIONS[metered.unit.kind],
            item=RUBRIC_ITEMS[metered.unit.kind],
        ),
    )
    row = _write_rows(sheet, _coverage_rows(metered), 4)
    _write_rows(sheet, _meter_rows(metered), row + 1)
    for letter, width in zip("ABCDEFGH", (34, 16, 40, 28, 14, 16, 16, 10), strict=True):
        sheet.column_dimensions[letter].width = width


def coverage_workbook(metered: MeteredYear, now: datetime) -> bytes:
    """The coverage report (监控系统覆盖情况) as an XLSX workbook."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _fill_coverage_sheet(book.create_sheet(COVERAGE_SHEET), metered, now)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


class NoBaseline(Exception):
    """The plan the unit revises has no baseline data to fill the workbook with."""


def prefilled_data(metered: MeteredYear) -> dict[str, Any]:
    """The baseline data of the plan with the year's metered records and the years
    (base year, ``year``): what the pre-filled workbook holds."""
    accounting = copy.deepcopy(base_plan(metered.unit).get("accounting") or {})
    if not accounting:
        raise NoBaseline
    base_year = int(accounting["profile"]["base_year"])
    accounting["records"] = [
        r for r in accounting.get("records") or [] if r.get("year") == base_year
    ] + metered.records
    profile = accounting["profile"]
    profile["drivers"] = [d for d in profile.get("drivers") or [] if d.get("year") == base_year]
    accounting["years"] = sorted({base_year, metered.year})
    accounting.pop("factor_sets", None)  # the workbook holds one set (the plan's)
    return accounting


def prefilled_workbook(metered: MeteredYear, now: datetime) -> bytes:
    """The activity workbook of the year pre-filled with the metered categories (module
    docstring); raises :class:`NoBaseline` when the plan has no baseline data."""
    data = accounting_input_from_data(as_json_numbers(prefilled_data(metered)))
    language = "en" if (get_language() or "").startswith("en") else "zh"
    with tempfile.TemporaryDirectory(prefix="lowcarbon-metered-") as folder:
        target = Path(folder) / "workbook.xlsx"
        write_workbook_template(
            target,
            kind=UnitKind(metered.unit.kind),
            language=language,
            translate=_,
            example=data,
        )
        book = load_workbook(target)
    drivers = book[DRIVERS_SHEET]
    row = drivers.max_row + 1
    for found in range(2, drivers.max_row + 1):
        if drivers.cell(row=found, column=1).value is None:
            row = found
            break
    put(drivers, row, 1, metered.year)  # the year's size: for the unit to fill in
    _fill_coverage_sheet(book.create_sheet(COVERAGE_SHEET), metered, now)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


# --- the coverage report as evidence ---------------------------------------------------------

#: The archive category the coverage report is filed under, per kind of unit
#: (data/creation/archive_categories.yaml).
ARCHIVE_CATEGORIES = {
    UnitKind.COMMUNITY.value: "monitoring_system",
    UnitKind.ZONE.value: "statistics",
}


def coverage_file_name(metered: MeteredYear) -> str:
    return _("monitoring-coverage-{unit}-{year}.xlsx").format(
        unit=metered.unit.application.unit.name, year=metered.year
    )


def do_archive_coverage(
    unit: CreationUnit,
    year: int,
    *,
    actor: User,
    now: datetime | None = None,
    store: Store | None = None,
) -> ArchiveRecord:
    """The year's coverage report filed as a record of the unit's records archive (its workbook
    attached), citing the rubric item it is evidence for; audited by the archive's action."""
    if not permissions.can_edit_archive(actor, unit):
        raise ValidationError(
            {"__all__": [_("Only the unit's own staff file its coverage report.")]}
        )
    now = now or timezone.now()
    metered = metered_year(unit, year, store=store)
    if not metered.coverage.meters:
        raise ValidationError(
            {"__all__": [_("The unit has no meter registered: there is no coverage to file.")]}
        )
    coverage = metered.coverage
    description = _(
        "Metered {year}: {meters} meters, months with data {months}; {covered} of {inventory} "
        "categories of the inventory covered ({share}); not covered: {uncovered}."
    ).format(
        year=year,
        meters=len(coverage.meters),
        months=months_text(coverage.months) or "—",
        covered=len(coverage.covered),
        inventory=len(coverage.inventory),
        share=percent(coverage.share),
        uncovered="、".join(category_name(key) for key in coverage.uncovered) or "—",
    )
    return do_add_record(
        unit,
        RecordInput(
            category=ARCHIVE_CATEGORIES[unit.kind],
            title=_title(metered),
            date=local_date(now),
            description=description,
            items=[RUBRIC_ITEMS[unit.kind]],
            documents=[
                SimpleUploadedFile(
                    coverage_file_name(metered), coverage_workbook(metered, timezone.localtime(now))
                )
            ],
        ),
        actor=actor,
        now=now,
    )
