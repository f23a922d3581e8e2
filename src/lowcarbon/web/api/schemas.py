"""The shapes of the API's answers (pydantic, through django-ninja): every time is ISO 8601 with
the +08:00 offset (Asia/Shanghai), every decimal a string."""

from __future__ import annotations

from datetime import date, datetime
from typing import overload

from ninja import Schema
from pydantic import Field, field_validator

from lowcarbon.web.creation.schedule import SHANGHAI

__all__ = ["Problem", "local_time"]


@overload
def local_time(moment: datetime) -> datetime: ...
@overload
def local_time(moment: None) -> None: ...
def local_time(moment: datetime | None) -> datetime | None:
    """``moment`` in Asia/Shanghai (serialised with +08:00)."""
    return None if moment is None else moment.astimezone(SHANGHAI)


class FieldError(Schema):
    field: str = Field(description="where: body.readings.0.value, query.limit …")
    type: str
    message: str


class Problem(Schema):
    """application/problem+json (RFC 9457) with the platform's code and both languages."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="stable: see docs/api.md")
    title_zh: str
    title_en: str
    detail_zh: str
    detail_en: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class Page(Schema):
    next_cursor: str | None = Field(
        description="pass as ?cursor= for the next page; null on the last page"
    )


class ApiInfo(Schema):
    name: str
    version: str
    openapi: str
    docs: str


class RoundOut(Schema):
    year: int
    status: str
    kinds: list[str]
    submission_deadline: date
    recommendation_deadline: date
    review_deadline: date
    decisions_published_at: datetime | None


class RoundPage(Page):
    items: list[RoundOut]


class ScheduleItemOut(Schema):
    code: str
    key: str
    label: str
    year: int | None
    kinds: list[str]
    opens_at: datetime | None
    due_at: datetime


class SchedulePage(Page):
    items: list[ScheduleItemOut]


class PublishedDecisionOut(Schema):
    round: int
    kind: str
    unit: str
    district: str | None
    published_at: datetime | None


class PublishedDecisionPage(Page):
    items: list[PublishedDecisionOut]


class NamedUnitOut(Schema):
    round: int
    kind: str
    unit: str
    district: str | None
    named_at: datetime | None


class NamedUnitPage(Page):
    items: list[NamedUnitOut]


class DueOut(Schema):
    code: str
    label: str
    due_at: datetime
    state: str
    extended: bool
    completed_at: datetime | None


class TasksOut(Schema):
    done: int | None = Field(description="null: not tracked yet")
    total: int
    achieved_tco2: str | None
    planned_tco2: str | None


class CreationUnitOut(Schema):
    id: int
    unit_id: int
    unit: str
    district: str | None
    round: int
    kind: str
    status: str
    status_label: str
    next_due: DueOut | None
    overdue: int
    tasks: TasksOut


class CreationUnitPage(Page):
    items: list[CreationUnitOut]


class CreationUnitDetail(CreationUnitOut):
    dues: list[DueOut]


class TaskOut(Schema):
    code: str
    name: str
    domain: str
    key_project: bool
    near_zero: bool
    start_year: int
    end_year: int | None
    status: str
    percent_complete: int
    planned_reduction_tco2: str | None
    achieved_reduction_tco2: str | None


class TaskPage(Page):
    items: list[TaskOut]


class SectionScoreOut(Schema):
    id: str
    points: str
    maximum: str


class SelfAssessmentOut(Schema):
    complete: bool = Field(description="every item answered")
    unanswered: int
    main: str
    bonus: str
    sections: list[SectionScoreOut]


class ApplicationOut(Schema):
    id: int
    unit_id: int
    unit: str
    round: int
    kind: str
    status: str
    status_label: str
    self_assessment: SelfAssessmentOut | None = Field(
        description="the running self-score; null when it cannot be worked out"
    )
    updated_at: datetime


class ApplicationPage(Page):
    items: list[ApplicationOut]


class MeterOut(Schema):
    id: str
    carrier: str
    use: str
    category: str
    sector: str
    unit: str
    reading: str
    interval_minutes: int
    multiplier: str
    installed: date | None
    max_rate: str | None
    max_gap_intervals: int


class MeterPage(Page):
    items: list[MeterOut]


class MonthlyOut(Schema):
    meter: str
    month: str
    category: str
    sector: str
    unit: str
    rows: int
    measured: int
    estimated: int
    flagged: int
    completeness: str
    consumption: str
    tco2: str | None


class MonthlyPage(Page):
    factor_set: str
    items: list[MonthlyOut]


class ReadingIn(Schema):
    meter: str = Field(min_length=1, max_length=100)
    time: datetime = Field(
        description="ISO 8601 between 2000 and 2099; without an offset it is read as +08:00",
        json_schema_extra={"pattern": "^20[0-9]{2}-"},
    )
    value: float = Field(allow_inf_nan=False, ge=-1e12, le=1e12)

    @field_validator("time")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2099:
            raise ValueError("a reading's time lies between 2000 and 2099")
        return value


class ReadingBatchIn(Schema):
    batch_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    readings: list[ReadingIn] = Field(min_length=1, max_length=10_000)


class FindingOut(Schema):
    severity: str = Field(description="rejected | flagged | note")
    kind: str
    meter: str
    index: int | None = Field(description="position of the reading in the batch, from 1")
    time: str | None
    found: str
    reason_zh: str
    reason_en: str
    expected_zh: str
    expected_en: str


class BatchReportOut(Schema):
    batch_id: str
    unit_id: int
    import_id: str
    received_at: datetime
    readings: int
    added: int
    already_stored: int
    rejected: int
    flagged: int
    findings: list[FindingOut]
