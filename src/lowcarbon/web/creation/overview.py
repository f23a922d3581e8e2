"""The overview of creation units for the districts and the bureau (issue 15, item 8): every
unit a person may see, by batch, kind and stage, with its next due date, overdue items, open
rectification orders, tasks done and reductions achieved against planned; the same table as an
XLSX workbook. ``now`` is passed in; nothing here writes.

Tasks are records of the application, tracked during creation
(``lowcarbon.web.applications.tasks.task_progress``: tasks done, achieved and planned
reductions); a unit whose application has no task records shows the tasks and the planned
reduction of the frozen submission it started from, achieved figures not yet reported."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.web import permissions
from lowcarbon.web.creation.duties import Duty, DutyState, duties_of
from lowcarbon.web.creation.models import (
    CreationUnit,
    LifecycleStatus,
    RectificationStatus,
)
from lowcarbon.web.creation.schedule import local_date

__all__ = [
    "OverviewFilters",
    "OverviewRow",
    "TaskFigures",
    "overview_rows",
    "overview_workbook",
    "parse_filters",
]


@dataclass(frozen=True)
class TaskFigures:
    done: int | None  # None: not tracked yet
    total: int
    achieved_tco2: Decimal | None  # None: not reported yet
    planned_tco2: Decimal | None  # None: the plan states no reduction the engine can count


@dataclass(frozen=True)
class OverviewRow:
    unit: CreationUnit
    next_due: Duty | None
    overdue: int
    open_rectifications: int
    tasks: TaskFigures

    @property
    def district(self) -> str:
        district = self.unit.application.unit.district
        return district.name if district is not None else ""


@dataclass
class OverviewFilters:
    batch: int | None = None
    district: int | None = None
    stage: str | None = None
    overdue_only: bool = False
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (the export link repeats them)."""
        found = {
            "batch": str(self.batch) if self.batch is not None else "",
            "district": str(self.district) if self.district is not None else "",
            "stage": self.stage or "",
            "overdue": "1" if self.overdue_only else "",
        }
        return {key: value for key, value in found.items() if value}


def parse_filters(
    query: Mapping[str, str], batches: Iterable[int], districts: Mapping[int, str]
) -> OverviewFilters:
    """The filters of the query string; a value that names nothing is left out with a message
    naming the field, the value and what is expected."""
    filters = OverviewFilters()
    years = sorted(set(batches))
    batch = (query.get("batch") or "").strip()
    if batch:
        if batch.isdigit() and int(batch) in years:
            filters.batch = int(batch)
        else:
            filters.errors.append(
                _("Batch: found '{found}', expected one of the batches {years}.").format(
                    found=batch[:20], years="、".join(str(y) for y in years) or "—"
                )
            )
    district = (query.get("district") or "").strip()
    if district:
        if district.isdigit() and int(district) in districts:
            filters.district = int(district)
        else:
            filters.errors.append(
                _("District: found '{found}', expected a district of the list.").format(
                    found=district[:20]
                )
            )
    stage = (query.get("stage") or "").strip()
    if stage:
        if stage in LifecycleStatus.values:
            filters.stage = stage
        else:
            filters.errors.append(
                _("Stage: found '{found}', expected a stage of the list.").format(found=stage[:30])
            )
    filters.overdue_only = (query.get("overdue") or "") in ("1", "on", "true")
    return filters


# --- planned reductions of the frozen submission ---------------------------------------------
_KEPT = 256
_planned: OrderedDict[int, tuple[int, Decimal | None]] = OrderedDict()
_planned_lock = threading.Lock()


def _submitted_plan(unit: CreationUnit) -> tuple[int, Decimal | None]:
    """The tasks of the submission the unit started from and the annual reduction the
    accounting counts for them (computed, or declared where the plan typed a figure); the
    snapshot is frozen, so the figure is worked out once per process."""
    with _planned_lock:
        kept = _planned.get(unit.submission_id)
    if kept is not None:
        return kept
    from lowcarbon.rules.activity import accounting_input_from_data
    from lowcarbon.web.applications.computing import compute

    data = (unit.submission.snapshot or {}).get("accounting") or {}
    tasks = len(data.get("tasks") or [])
    planned: Decimal | None = None
    if data and tasks:
        try:
            engine_input = dataclasses.replace(
                accounting_input_from_data(data), factor_set=unit.application.factor_set_id
            )
            forecast = compute(engine_input).forecast
        except LowcarbonError:
            forecast = None
        if forecast is not None and forecast.reductions:
            planned = sum((r.reduction_tco2 for r in forecast.reductions), Decimal(0))
    with _planned_lock:
        _planned[unit.submission_id] = (tasks, planned)
        while len(_planned) > _KEPT:
            _planned.popitem(last=False)
    return tasks, planned


def task_figures(unit: CreationUnit) -> TaskFigures:
    """The unit's tracked tasks (:func:`~lowcarbon.web.applications.tasks.task_progress`); for
    a unit whose application has no task records, the tasks of the submission it started from,
    none of them reported yet."""
    from lowcarbon.web.applications.tasks import task_progress

    progress = task_progress(unit)
    if progress.total:
        return TaskFigures(
            done=progress.done,
            total=progress.total,
            achieved_tco2=progress.achieved_tco2,
            planned_tco2=progress.planned_tco2,
        )
    total, planned = _submitted_plan(unit)
    return TaskFigures(done=None, total=total, achieved_tco2=None, planned_tco2=planned)


def overview_rows(user: Any, now: datetime, filters: OverviewFilters) -> list[OverviewRow]:
    """The overview's rows for ``user`` at ``now``, filtered, by batch (newest first), district
    and unit; nothing for those the overview is not for (a unit's own people, experts)."""
    if not permissions.can_view_creation_overview(user):
        return []
    units = permissions.visible_creation_units(user).select_related("submission")
    if filters.batch is not None:
        units = units.filter(application__round__year=filters.batch)
    if filters.district is not None:
        units = units.filter(application__unit__district_id=filters.district)
    if filters.stage is not None:
        units = units.filter(status=filters.stage)
    units = units.annotate(
        open_orders=Count(
            "rectifications", filter=~Q(rectifications__status=RectificationStatus.CLOSED)
        )
    ).order_by("-application__round__year", "application__unit__district__name", "pk")
    listed = list(units)
    overdue: dict[int, int] = {u.pk: 0 for u in listed}
    upcoming: dict[int, Duty] = {}
    for duty in duties_of(listed, now):
        if duty.state == DutyState.OVERDUE:
            overdue[duty.unit.pk] += 1
        if duty.state != DutyState.DONE and duty.unit.pk not in upcoming:
            upcoming[duty.unit.pk] = duty
    rows = [
        OverviewRow(
            unit=unit,
            next_due=upcoming.get(unit.pk),
            overdue=overdue[unit.pk],
            open_rectifications=unit.open_orders,
            tasks=task_figures(unit),
        )
        for unit in listed
    ]
    if filters.overdue_only:
        rows = [row for row in rows if row.overdue]
    return rows


# --- the workbook -----------------------------------------------------------------------------
COUNT = "0"
TONNES = "#,##0.00"
DAY = "yyyy-mm-dd"


def _headers() -> list[tuple[str, int]]:
    return [
        (_("Unit"), 30),
        (_("District"), 12),
        (_("Batch"), 8),
        (_("Kind"), 14),
        (_("Stage"), 12),
        (_("Next due item"), 30),
        (_("Next due date"), 14),
        (_("Overdue items"), 10),
        (_("Open rectification orders"), 12),
        (_("Tasks done"), 10),
        (_("Tasks in total"), 10),
        (_("Reduction achieved (tCO2 a year)"), 16),
        (_("Reduction planned (tCO2 a year)"), 16),
    ]


def _cells(row: OverviewRow) -> list[tuple[object, str | None]]:
    unit = row.unit
    due_on: date | None = local_date(row.next_due.due_at) if row.next_due else None
    return [
        (unit.application.unit.name, None),
        (row.district, None),
        (unit.application.round.year, COUNT),
        (unit.kind_label, None),
        (unit.get_status_display(), None),
        (row.next_due.item.label if row.next_due else "", None),
        (due_on, DAY),
        (row.overdue, COUNT),
        (row.open_rectifications, COUNT),
        (row.tasks.done, COUNT),
        (row.tasks.total, COUNT),
        (row.tasks.achieved_tco2, TONNES),
        (row.tasks.planned_tco2, TONNES),
    ]


def overview_workbook(rows: list[OverviewRow], now: datetime) -> bytes:
    """The overview as an XLSX workbook: Chinese headers, figures as numbers with their
    formats, dates as dates, every text written so that it cannot become a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from lowcarbon.rules.xlsx_safety import put

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Creation units")
    put(sheet, 1, 1, _("Overview of creation units, as of {date}").format(date=local_date(now)))
    sheet.cell(row=1, column=1).font = Font(bold=True)
    for column, (title, width) in enumerate(_headers(), start=1):
        put(sheet, 2, column, title).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, row in enumerate(rows, start=3):
        for column, (value, number_format) in enumerate(_cells(row), start=1):
            cell = put(sheet, index, column, value)
            if number_format is not None and value is not None:
                cell.number_format = number_format
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
