"""The demo's filings of the 2024 batch: each unit's final implementation plan filed and
acknowledged (a first revision returned by the district, the second acknowledged), the 2025
work plan filed and acknowledged, and the progress report on 2025 filed with the 2026 work plan,
waiting for the district's review. The zone's 2026 work plan is not filed (overdue). Each step
runs through the real actions, at the dates a 2024 batch would have had them."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.web.accounts.models import User
from lowcarbon.web.creation.filing_content import base_plan, text_elements
from lowcarbon.web.creation.filings import (
    do_attach_activity,
    do_review_filing,
    do_save_filing,
    do_start_filing,
    do_submit_filing,
)
from lowcarbon.web.creation.models import CreationUnit, Filing
from lowcarbon.web.creation.schedule import SHANGHAI

__all__ = ["load_filings"]


def _at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def _file(filing: Filing, actor: User, now: datetime) -> Filing:
    return do_submit_filing(filing, expected_version=filing.version, actor=actor, now=now)


def _review(filing: Filing, actor: User, now: datetime, comment: str = "") -> Filing:
    return do_review_filing(
        filing,
        acknowledge=not comment,
        comment=comment,
        expected_version=filing.version,
        actor=actor,
        now=now,
    )


def _activity(unit: CreationUnit, year: int) -> Any:
    """The year's activity data: the plan's own records of the year when it has them, else the
    base year's, 4 % lower."""
    data = copy.deepcopy(base_plan(unit)["accounting"])
    base_year = int(data["profile"]["base_year"])
    records = [r for r in data["records"] if r["year"] == year]
    if not records:
        records = [
            dict(r, year=year, quantity=round(float(r["quantity"]) * 0.96, 2))
            for r in data["records"]
            if r["year"] == base_year
        ]
    drivers = [d for d in data["profile"]["drivers"] if d["year"] == year] or [
        dict(d, year=year) for d in data["profile"]["drivers"] if d["year"] == base_year
    ]
    data["records"] = records
    data["profile"]["drivers"] = drivers
    data["years"] = [year]
    return accounting_input_from_data(data)


def load_filings(unit: CreationUnit, applicant: User, officer: User) -> None:
    element = text_elements(unit)[0][0]
    plan = do_start_filing(
        unit, kind="final_plan", year=None, actor=applicant, now=_at(2025, 2, 10, 9, 30)
    )
    plan = do_save_filing(
        plan,
        fields={
            f"section_{element}": "根据评审意见修订：突出既有建筑节能改造和分布式光伏两条主线，"
            "明确各项任务的责任单位和完成时限。"
        },
        expected_version=plan.version,
        actor=applicant,
    )
    plan = _file(plan, applicant, _at(2025, 2, 12, 10, 0))
    _review(
        plan, officer, _at(2025, 2, 14, 15, 0), "任务清单中部分任务缺少责任单位，请补充后重新报送。"
    )
    plan = do_start_filing(
        unit, kind="final_plan", year=None, actor=applicant, now=_at(2025, 2, 18, 9, 0)
    )
    plan = _file(plan, applicant, _at(2025, 2, 20, 16, 0))
    _review(plan, officer, _at(2025, 2, 26, 10, 0))
    work = do_start_filing(
        unit, kind="work_plan", year=2025, actor=applicant, now=_at(2025, 2, 21, 9, 0)
    )
    work = _file(work, applicant, _at(2025, 2, 25, 11, 0))
    _review(work, officer, _at(2025, 3, 3, 10, 0))
    report = do_start_filing(
        unit, kind="progress_report", year=2025, actor=applicant, now=_at(2026, 2, 10, 9, 0)
    )
    report = do_attach_activity(
        report,
        _activity(unit, 2025),
        file_name="2025年活动数据采集表.xlsx",
        expected_version=report.version,
        actor=applicant,
    )
    fields = {"summary": "2025 年各项任务总体按计划推进，既有建筑节能改造完成过半。"}
    for index in range(1, len(report.content.get("tasks") or []) + 1):
        fields[f"task_{index}_status"] = "done" if index == 1 else "in_progress"
    report = do_save_filing(report, fields=fields, expected_version=report.version, actor=applicant)
    _file(report, applicant, _at(2026, 2, 26, 17, 0))
