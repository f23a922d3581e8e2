"""A creation unit ready to report, set up through the real actions."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.archive.actions import RecordInput, do_add_record
from lowcarbon.web.archive.evidence import evidence_code
from lowcarbon.web.archive.models import ArchiveRecord
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.filings import (
    do_attach_activity,
    do_review_filing,
    do_start_filing,
    do_submit_filing,
)
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, ScheduleItem
from lowcarbon.web.evaluation.actions import do_save_item, do_save_texts, evaluation_of
from lowcarbon.web.evaluation.report import report_rubric

from ..creation.filing_support import activity_of
from ..creation.support import shanghai
from ..review_support import example_answers

ZONE_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "zone"
# The batch of tests/web/creation is 2099: its communities report by 2101-03-31.
REPORT_TIME = shanghai(2101, 3, 1, 9, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"1 0 obj\n<<>>\nendobj\n" * 4 + b"%%EOF\n"


def record(unit: CreationUnit, applicant: User, title: str, items: list[str]) -> ArchiveRecord:
    return do_add_record(
        unit,
        RecordInput(
            category="training",
            title=title,
            date=date(2100, 5, 12),
            description="社区居民参加。",
            items=items,
            place="社区活动中心",
            organiser="居委会",
            attendance=40,
            photos=[SimpleUploadedFile("现场.png", PNG + title.encode())],
            attendance_lists=[SimpleUploadedFile("签到表.pdf", PDF + title.encode())],
        ),
        actor=applicant,
        now=shanghai(2100, 5, 12, 18, 0),
    )


def work_plan_2026(unit: CreationUnit) -> None:
    """The example's base year is 2023: a work plan of 2026 lets the unit report on 2025 (a
    batch of 2024 has it in its schedule already; the tests' batch of 2099 does not)."""
    ScheduleItem.objects.get_or_create(
        round_id=unit.application.round_id,
        code="work_plan_2026",
        defaults={
            "key": "work_plan",
            "year": 2026,
            "kinds": ["community", "zone"],
            "due_at": shanghai(2026, 2, 28, 23, 59, 59),
        },
    )


def reporting_unit(unit: CreationUnit, admin: User, applicant: User, officer: User) -> CreationUnit:
    """In creation, its 2025 progress report filed and acknowledged, two archive records."""
    unit = do_change_unit_status(
        unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=unit.version,
        actor=admin,
    )
    work_plan_2026(unit)
    now = shanghai(2026, 2, 10, 9, 0)
    report = do_start_filing(unit, kind="progress_report", year=2025, actor=applicant, now=now)
    report = do_attach_activity(
        report,
        activity_of(2025, unit.kind),
        file_name="2025年活动数据.xlsx",
        expected_version=report.version,
        actor=applicant,
    )
    report = do_submit_filing(report, expected_version=report.version, actor=applicant, now=now)
    do_review_filing(
        report, acknowledge=True, comment="", expected_version=report.version, actor=officer
    )
    zone = unit.kind == "zone"
    record(unit, applicant, "低碳知识讲座", ["5.2"] if zone else ["3"])
    record(unit, applicant, "节能灯发放", ["4.1"] if zone else ["9"])
    unit.refresh_from_db()
    return unit


def zone_answers() -> dict[str, Any]:
    """The zone example's self-assessment (examples/zone/answers.yaml), evidence left out."""
    items = yaml.safe_load((ZONE_EXAMPLE / "answers.yaml").read_text(encoding="utf-8"))["items"]
    return {
        str(item): {k: v for k, v in answer.items() if k != "evidence"}
        for item, answer in items.items()
    }


def score_everything(
    unit: CreationUnit,
    stage: str,
    applicant: User,
    now: datetime = REPORT_TIME,
    *,
    cite_all: bool = False,
) -> Any:
    """Every item answered as the example self-assessment, citing the first archive file where
    the example cites evidence (with ``cite_all``, on every item: no item loses its points for
    want of evidence)."""
    code = evidence_code(unit.archive_records.order_by("pk").first().pk, 1)  # type: ignore[union-attr]
    answers = example_answers() if unit.kind == "community" else zone_answers()
    for item in report_rubric(unit).items():
        answer = dict(answers[item.id])
        if "evidence" in answer or cite_all:
            answer["evidence"] = [code]
        evaluation = evaluation_of(unit, stage)
        do_save_item(
            unit,
            stage,
            item.id,
            answer_form_fields(answer),
            expected_version=evaluation.version,
            actor=applicant,
            now=now,
        )
    evaluation = evaluation_of(unit, stage)
    return do_save_texts(
        unit,
        stage,
        {"summary": "创建以来，社区完成既有住宅节能改造等任务。", "problems": "居民参与仍不均衡。"},
        expected_version=evaluation.version,
        actor=applicant,
        now=now,
    )


def frozen_report(world: Any) -> dict[str, int]:
    """For the permission matrix: the world's creation unit's final report, frozen through the
    real actions the first time a row asks for it (a progress report on 2025 filed, every item
    answered citing the unit's archive file, submitted)."""
    from lowcarbon.web.applications.models import Submission
    from lowcarbon.web.evaluation.actions import do_submit_report

    unit = world.unit
    found = Submission.objects.filter(application=unit.application, stage="final").first()
    if found is None:
        applicant = world.users["applicant"]
        work_plan_2026(unit)
        now = shanghai(2026, 2, 10, 9, 0)
        report = do_start_filing(unit, kind="progress_report", year=2025, actor=applicant, now=now)
        report = do_attach_activity(
            report,
            activity_of(2025),
            file_name="2025年活动数据.xlsx",
            expected_version=report.version,
            actor=applicant,
        )
        do_submit_filing(report, expected_version=report.version, actor=applicant, now=now)
        unit.refresh_from_db()
        score_everything(unit, "final", applicant, now=timezone.now())
        found = do_submit_report(
            unit,
            "final",
            expected_version=evaluation_of(unit, "final").version,
            actor=applicant,
        )
    return {"pk": found.pk}


def frozen_file(world: Any) -> dict[str, Any]:
    from lowcarbon.web.applications.models import Submission

    kwargs = frozen_report(world)
    submission = Submission.objects.get(pk=kwargs["pk"])
    return kwargs | {"code": submission.snapshot["evidence"][0]["code"]}
