"""The records of snapshot format 1: a frozen submission as the platform writes it.

The parts entered by people (``sections``, ``accounting``, ``answers``) and a warning's
parameters stay free JSON in their own formats (read by their own readers); everything the
platform computed or recorded is typed. :mod:`.codec` reads and writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "FLOAT_ROOTS",
    "SNAPSHOT_FORMAT",
    "AccountingFigures",
    "ApplicationRef",
    "CitedRecord",
    "Comparison",
    "Edition",
    "Editions",
    "EvaluationRecord",
    "EvidenceEntry",
    "FactorSetEdition",
    "FrozenScore",
    "IndicatorFigure",
    "InventoryFigures",
    "ItemScore",
    "JsonObject",
    "Person",
    "PoolScore",
    "RoundRef",
    "SectionScore",
    "Snapshot",
    "SnapshotWarning",
    "TargetCheckFigures",
    "TargetFigures",
    "TaskOutcome",
    "TaskRecord",
    "UnitRef",
    "Versions",
    "YearIndicators",
]

SNAPSHOT_FORMAT = 1

# The inputs kept as they were entered: the only places where format 1 holds floats.
FLOAT_ROOTS = frozenset({"sections", "accounting", "answers"})

# The metadata of a part that snapshots written before it do not have: absent when ``None``,
# so such a snapshot still reads, and writes back to the same bytes and hash.
OPTIONAL_PART = {"optional": True}

# A free JSON value (inputs in their own formats, a warning's parameters): typed ``Any`` here
# and checked as JSON by the codec.
JsonObject = Mapping[str, Any]


# --- the format ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRef:
    id: int
    year: int


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    district_id: int | None


@dataclass(frozen=True)
class ApplicationRef:
    id: int
    kind: str
    round: RoundRef
    unit: UnitRef


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    name: str


@dataclass(frozen=True)
class Versions:
    """The version counter of each part when it was frozen."""

    sections: int
    accounting: int
    answers: int


@dataclass(frozen=True)
class Edition:
    kind: str
    edition: str
    sha256: str


@dataclass(frozen=True)
class FactorSetEdition:
    id: str
    sha256: str


@dataclass(frozen=True)
class Editions:
    rubric: Edition
    outline: Edition
    factor_set: FactorSetEdition


@dataclass(frozen=True)
class InventoryFigures:
    year: int
    final: bool
    gross_tco2: Decimal
    sinks_tco2: Decimal
    total_tce: Decimal | None  # None: a line has no conversion to tce under the set
    by_scope: Mapping[str, Decimal]
    by_category: Mapping[str, Decimal]
    by_sector: Mapping[str, Decimal]


@dataclass(frozen=True)
class IndicatorFigure:
    value: Decimal | None  # None: not applicable
    unit: str


@dataclass(frozen=True)
class YearIndicators:
    year: int
    values: Mapping[str, IndicatorFigure]


@dataclass(frozen=True)
class Comparison:
    base_year: int
    year: int
    decline_rate: Decimal | None
    per_capita_decline_rate: Decimal | None


@dataclass(frozen=True)
class TargetCheckFigures:
    kind: str
    year: int
    value: Decimal
    reached: Decimal | None
    met: bool
    margin: Decimal | None


@dataclass(frozen=True)
class TargetFigures:
    checks: tuple[TargetCheckFigures, ...]
    consistency: bool


@dataclass(frozen=True)
class AccountingFigures:
    """The key figures of the accounting; the inputs are frozen too, so every line can be
    recomputed under the pinned factor set."""

    final: bool
    factor_set: str
    inventories: tuple[InventoryFigures, ...]
    indicators: tuple[YearIndicators, ...]
    comparison: Comparison | None
    targets: TargetFigures | None


@dataclass(frozen=True)
class PoolScore:
    points: Decimal
    maximum: Decimal
    raw: Decimal


@dataclass(frozen=True)
class SectionScore:
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class ItemScore:
    points: Decimal
    maximum: Decimal
    status: str  # an ItemStatus value, or "unanswered"


@dataclass(frozen=True)
class FrozenScore:
    rubric: str
    rubric_sha256: str
    total: Decimal
    pools: Mapping[str, PoolScore]
    sections: Mapping[str, SectionScore]
    items: Mapping[str, ItemScore]


@dataclass(frozen=True)
class EvidenceEntry:
    code: str
    title: str
    items: tuple[str, ...]
    original_name: str
    content_kind: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SnapshotWarning:
    """A gap of the pre-submission check: its code and ids, no rendered text."""

    code: str
    params: JsonObject


@dataclass(frozen=True)
class TaskRecord:
    """A task or key project of the application as its record stood when frozen: what the plan
    commits to. The creation stage's progress is not part of the plan, so it is not frozen."""

    code: str  # the task's id in the baseline data (T01, Z03 …)
    name: str
    domain: str  # a Domain value
    content: str
    responsible: str  # "" when not stated (the applicant unit itself)
    start_year: int
    end_year: int | None
    budget_10k_yuan: Decimal | None  # 万元
    key_project: bool
    near_zero: bool
    stated_reduction_tco2: Decimal | None  # None: the reduction comes from its activities


@dataclass(frozen=True)
class TaskOutcome:
    """What became of one task by the time a self-evaluation report was frozen (the unit's
    creation-stage record of it)."""

    code: str  # the task's id, as in ``tasks``
    status: str  # a task status value (not_started, under_way, done, behind, cancelled)
    percent_done: int | None
    achieved_reduction_tco2: Decimal | None
    note: str


@dataclass(frozen=True)
class CitedRecord:
    """A record of the unit's archive cited by a self-evaluation report; its files are the
    snapshot's ``evidence`` entries whose codes are listed here."""

    id: int
    category: str
    title: str
    date: str  # ISO date, 2026-05-12
    items: tuple[str, ...]
    evidence: tuple[str, ...]  # codes in ``evidence``


@dataclass(frozen=True)
class EvaluationRecord:
    """The part a self-evaluation report (mid-term evaluation or final acceptance) adds to the
    frozen application it evaluates: the stage, the year whose inventory is compared with the
    base year, each task's outcome, the report's texts and the archive records it cites."""

    stage: str  # "midterm" or "final"
    base_submission: int  # the number of the application's submission the unit was selected on
    report_year: int | None  # None: no progress report with an inventory yet
    late: bool
    outcomes: tuple[TaskOutcome, ...]
    texts: Mapping[str, str]
    records: tuple[CitedRecord, ...]


@dataclass(frozen=True)
class Snapshot:
    """A frozen submission (or a draft made the same way: no number, nobody who submitted)."""

    format: int
    application: ApplicationRef
    number: int | None
    submitted_at: datetime | None
    submitted_by: Person | None
    versions: Versions
    editions: Editions
    sections: JsonObject
    accounting: JsonObject  # the baseline data in the accounting file format, {} when none
    accounting_result: AccountingFigures | None
    answers: JsonObject
    score: FrozenScore | None
    evidence: tuple[EvidenceEntry, ...]
    warnings: tuple[SnapshotWarning, ...]
    # The task records (None in a snapshot written before they were frozen).
    tasks: tuple[TaskRecord, ...] | None = field(default=None, metadata=OPTIONAL_PART)
    # A self-evaluation report's part (None in an application's own submission).
    evaluation: EvaluationRecord | None = field(default=None, metadata=OPTIONAL_PART)
