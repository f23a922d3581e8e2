"""The plain values a self-evaluation report is written from, and the labels of their codes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from lowcarbon.core.messages import gettext_noop

Translate = Callable[[str], str]

#: Hex digits of a record's SHA-256 shown beside an item (the annex gives all 64).
HASH_PREFIX = 12

# The task statuses of the creation stage (the web layer's TaskStatus values); another text is
# shown as written.
_STATUS: dict[str, str] = {
    "not_started": gettext_noop("not started"),
    "in_progress": gettext_noop("under way"),
    "done": gettext_noop("completed"),
    "lagging": gettext_noop("lagging behind"),
    "cancelled": gettext_noop("cancelled"),
}
_KIND: dict[str, str] = {
    "community": gettext_noop("low-carbon community"),
    "zone": gettext_noop("low-carbon development practice zone"),
}
_STAGE: dict[str, str] = {
    "midterm": gettext_noop("mid-term evaluation"),
    "final": gettext_noop("acceptance"),
}


@dataclass(frozen=True)
class ReportTask:
    """A task or key project of the plan with its progress."""

    code: str  # the task number (Z01, T03 …)
    name: str
    domain: str  # the field as the reader reads it (能源、建筑 …)
    responsible: str
    start_year: int | None
    end_year: int | None
    key_project: bool
    near_zero: bool
    planned_tco2e: Decimal | None  # the promised reduction, tCO₂e a year; None: none stated
    status: str  # not_started / in_progress / done / lagging / cancelled
    percent_done: int | None
    achieved_tco2e: Decimal | None  # tCO₂e a year; None: not yet measured
    note: str = ""


@dataclass(frozen=True)
class StagedTarget:
    year: int
    value: Decimal
    met: bool | None  # None: not yet due, or not assessed


@dataclass(frozen=True)
class ReportIndicator:
    name: str
    unit: str  # as the reader reads it (formatting.unit_name)
    base_value: Decimal | None
    current_value: Decimal | None  # under the current year's factor set
    targets: tuple[StagedTarget, ...] = ()
    # The current value under the base year's factor set (同口径), for an indicator that depends
    # on the factors; shown only when the two factor sets differ.
    like_for_like_value: Decimal | None = None


@dataclass(frozen=True)
class Emissions:
    """Gross emissions of the base year and of the current year (tCO₂e)."""

    base_tco2e: Decimal
    current_tco2e: Decimal  # under the current year's factor set
    # The current year under the base year's factor set; None when the sets are the same.
    like_for_like_tco2e: Decimal | None = None


@dataclass(frozen=True)
class ChangeEffect:
    """One effect of the decomposition of the change (LMDI), tCO₂e."""

    name: str
    tco2e: Decimal


@dataclass(frozen=True)
class CitedRecord:
    """A record of the archive cited as evidence."""

    code: str
    title: str
    category: str
    date: date
    sha256: str  # 64 hex digits


@dataclass(frozen=True)
class ScoreItem:
    item_id: str
    title: str
    max_points: Decimal
    self_points: Decimal | None  # None: not scored yet
    statement: str = ""
    records: tuple[CitedRecord, ...] = ()


@dataclass(frozen=True)
class ScoreSection:
    title: str
    items: tuple[ScoreItem, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((item.max_points for item in self.items), Decimal(0))

    @property
    def self_points(self) -> Decimal:
        return sum(
            (item.self_points for item in self.items if item.self_points is not None), Decimal(0)
        )


@dataclass(frozen=True)
class EvaluationReport:
    unit_name: str
    district: str
    kind: Literal["community", "zone"]
    stage: Literal["midterm", "final"]
    batch_year: int
    period_start: int  # the creation period, in years
    period_end: int
    report_date: date
    rubric: str  # the indicator system scored against, as cited (附件4 …)
    base_year: int
    current_year: int  # the latest year with data
    base_factor_set: str  # the factor sets' titles as the reader reads them
    current_factor_set: str
    tasks: tuple[ReportTask, ...] = ()
    indicators: tuple[ReportIndicator, ...] = ()
    emissions: Emissions | None = None
    effects: tuple[ChangeEffect, ...] = ()
    score: tuple[ScoreSection, ...] = ()
    # The unit's own texts; paragraphs separated by line breaks; empty: a placeholder.
    summary: str = ""
    achievements: str = ""
    problems: str = ""
    next_steps: str = ""
    # Records listed in the annex besides those the score items cite.
    evidence: tuple[CitedRecord, ...] = ()

    @property
    def vintage_changed(self) -> bool:
        """The current year is accounted with another factor set than the base year."""
        return self.base_factor_set != self.current_factor_set

    @property
    def cited_records(self) -> tuple[CitedRecord, ...]:
        """The annex: every record cited by an item or listed as evidence, once, by code."""
        found: dict[str, CitedRecord] = {}
        for section in self.score:
            for item in section.items:
                for record in item.records:
                    found.setdefault(record.code, record)
        for record in self.evidence:
            found.setdefault(record.code, record)
        return tuple(sorted(found.values(), key=lambda r: (r.code, r.date)))

    @property
    def max_points(self) -> Decimal:
        return sum((section.max_points for section in self.score), Decimal(0))

    @property
    def self_points(self) -> Decimal:
        return sum((section.self_points for section in self.score), Decimal(0))
