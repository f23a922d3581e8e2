"""Filings of creation units (issue 15 §3, §4): the final plan with its task list, the annual
work plans and progress reports — drafted, frozen on filing, returned and revised, acknowledged
(the schedule item recorded as done); late filings by the round's rule; extensions; the diff
against the submitted application; a bad workbook; concurrent reviews; pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lowcarbon.core.activity import Domain
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.applications.tasks import do_track_task
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_change_unit_status, do_extend
from lowcarbon.web.creation.duties import DutyState, unit_duties
from lowcarbon.web.creation.filing_content import plan_diff, text_elements
from lowcarbon.web.creation.filings import (
    citing_filing,
    do_attach_activity,
    do_change_filing_policy,
    do_delete_filing,
    do_review_filing,
    do_save_filing,
    do_start_filing,
    do_submit_filing,
    filing_todos_for,
    policy_of,
)
from lowcarbon.web.creation.models import (
    Completion,
    CreationUnit,
    Filing,
    FilingStatus,
    LifecycleStatus,
    ScheduleItem,
)

from ..review_support import signed_in
from ..test_baseline import _spoil, upload, workbook_bytes
from .conftest import Batch
from .filing_support import activity_of
from .support import shanghai

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
ON_TIME = shanghai(2100, 2, 20, 9, 0)  # the final plan and the 2100 work plan: due 2100-02-28
LAST_SECOND = shanghai(2100, 2, 28, 23, 59, 59)
NEXT_DAY = shanghai(2100, 3, 1, 0, 0, 0)


@pytest.fixture
def unit(batch: Batch, admin_user: User) -> CreationUnit:
    return do_change_unit_status(
        batch.unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=batch.unit.version,
        actor=admin_user,
    )


@pytest.fixture
def applicant(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def officer(users: dict[str, User]) -> User:
    return users[Role.DISTRICT_OFFICER]


def refused(call: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(m for ms in caught.value.message_dict.values() for m in ms)


def first_text(unit: CreationUnit) -> str:
    return text_elements(unit)[0][0]


def file_plan(unit: CreationUnit, applicant: User, text: str, now: datetime = ON_TIME) -> Filing:
    draft = do_start_filing(unit, kind="final_plan", year=None, actor=applicant, now=now)
    draft = do_save_filing(
        draft,
        fields={f"section_{first_text(unit)}": text},
        expected_version=draft.version,
        actor=applicant,
    )
    return do_submit_filing(draft, expected_version=draft.version, actor=applicant, now=now)


def review(filing: Filing, actor: User, *, ok: bool, comment: str = "") -> Filing:
    return do_review_filing(
        filing,
        acknowledge=ok,
        comment=comment,
        expected_version=filing.version,
        actor=actor,
        now=ON_TIME,
    )


def test_final_plan_lifecycle_revisions_and_diff(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    first = file_plan(unit, applicant, "修订后的总体思路：以社区更新带动低碳改造。\n新增一条措施。")
    assert (first.status, first.number, first.late) == (FilingStatus.SUBMITTED, 1, False)
    assert len(first.snapshot_sha256) == 64
    # The plan is frozen in the submission's snapshot shape, with the generated task list.
    assert first.snapshot["plan"]["format"] == unit.submission.snapshot["format"]
    assert set(first.snapshot["plan"]) == set(unit.submission.snapshot)
    assert isinstance(first.snapshot["task_list"], list)
    assert "冻结" in refused(
        lambda: do_save_filing(
            first, fields={"summary": "改"}, expected_version=first.version, actor=applicant
        )
    )
    # Waiting for review: in the district's to-dos, not in the unit's.
    assert [d.filing.pk for d in filing_todos_for(officer, ON_TIME)] == [first.pk]
    assert filing_todos_for(officer, ON_TIME)[0].state == DutyState.REVIEW
    assert filing_todos_for(applicant, ON_TIME) == []
    assert "退回" in refused(lambda: review(first, officer, ok=False))  # a reason is required
    returned = review(first, officer, ok=False, comment="任务清单缺少责任单位。")
    assert returned.status == FilingStatus.RETURNED
    assert not Completion.objects.filter(unit=unit).exists()
    second = file_plan(unit, applicant, "再次修订。")
    assert second.number == 2
    done = review(second, officer, ok=True)
    assert done.status == FilingStatus.ACKNOWLEDGED
    assert done.completion is not None
    assert Completion.objects.filter(unit=unit, item=done.item).count() == 1
    duty = next(d for d in unit_duties(unit, ON_TIME) if d.item.pk == done.item.pk)
    assert duty.state == DutyState.DONE
    # A revision after acknowledgement is a new version; the earlier ones are kept unchanged.
    third = file_plan(unit, applicant, "验收后再修订。")
    assert third.number == 3
    review(third, officer, ok=True)
    assert Completion.objects.filter(unit=unit, item=done.item).count() == 1
    first.refresh_from_db()
    assert first.status == FilingStatus.RETURNED
    assert "再次修订" not in str(first.snapshot["plan"]["sections"])
    diff = plan_diff(unit, unit.submission.snapshot["sections"], third.snapshot["plan"]["sections"])
    assert len(diff) == 1
    added = [line["text"] for line in diff[0]["lines"] if line["mark"] == "added"]
    assert added == ["验收后再修订。"]
    assert diff[0]["removed"] >= 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="creation_filing_").values_list(
            "action", flat=True
        )
    )
    assert actions.count("creation_filing_submitted") == 3
    assert actions.count("creation_filing_returned") == 1
    # A frozen revision is never deleted; a draft is.
    assert "不能删除" in refused(lambda: do_delete_filing(first, actor=applicant))
    draft = do_start_filing(unit, kind="final_plan", year=None, actor=applicant, now=ON_TIME)
    do_delete_filing(draft, actor=applicant)
    assert not Filing.objects.filter(pk=draft.pk).exists()


def test_late_filings_by_the_rounds_rule_and_extensions(
    batch: Batch, unit: CreationUnit, applicant: User, admin_user: User
) -> None:
    assert file_plan(unit, applicant, "按时。", now=LAST_SECOND).late is False
    wp = do_start_filing(unit, kind="work_plan", year=2100, actor=applicant, now=NEXT_DAY)
    # Default: accepted and marked late.
    assert policy_of(batch.round).late_filings == "accept"
    policy = do_change_filing_policy(
        batch.round,
        late_filings="refuse",
        grace_days=3,
        reason="本批次严格执行报送期限。",
        expected_version=0,
        actor=admin_user,
    )
    assert "市生态环境局" in refused(
        lambda: do_change_filing_policy(
            batch.round,
            late_filings="refuse",
            grace_days=1,
            reason="x",
            expected_version=policy.version,
            actor=applicant,
        )
    )
    message = refused(
        lambda: do_submit_filing(
            wp, expected_version=wp.version, actor=applicant, now=shanghai(2100, 3, 4, 0, 0)
        )
    )
    assert "2100-02-28" in message
    assert "2100-03-03" in message
    wp.refresh_from_db()
    assert wp.status == FilingStatus.DRAFT
    # An extension moves the due date: on time again.
    do_extend(unit, wp.item, due_on=date(2100, 3, 10), reason="调整。", actor=admin_user)
    filed = do_submit_filing(
        wp, expected_version=wp.version, actor=applicant, now=shanghai(2100, 3, 4, 0, 0)
    )
    assert filed.late is False
    assert filed.due_at == shanghai(2100, 3, 10, 23, 59, 59)
    assert AuditEvent.objects.filter(action="creation_filing_policy_changed").count() == 1


def test_late_within_grace_is_marked(
    batch: Batch, unit: CreationUnit, applicant: User, admin_user: User
) -> None:
    do_change_filing_policy(
        batch.round,
        late_filings="refuse",
        grace_days=3,
        reason="严格。",
        expected_version=0,
        actor=admin_user,
    )
    filed = file_plan(unit, applicant, "迟交。", now=shanghai(2100, 3, 3, 23, 0))
    assert filed.late is True


def test_progress_report_and_work_plan(
    unit: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    # The example's base year is 2023: a schedule item of 2026 lets the unit report on 2025.
    ScheduleItem.objects.create(
        round_id=unit.application.round_id,
        code="work_plan_2026",
        key="work_plan",
        year=2026,
        kinds=["community"],
        due_at=shanghai(2026, 2, 28, 23, 59, 59),
    )
    assert "2100" in refused(
        lambda: do_attach_activity(
            do_start_filing(unit, kind="progress_report", year=2100, actor=applicant),
            activity_of(2100),
            file_name="x.xlsx",
            expected_version=1,
            actor=applicant,
        )
    )
    # A task record of the application (set up here), its progress recorded by the unit.
    record = ApplicationTask.objects.create(
        application=unit.application,
        code="T01",
        name="既有住宅节能改造",
        domain=Domain.BUILDINGS.value,
        start_year=2024,
    )
    do_track_task(
        record,
        status="done",
        percent_complete=100,
        achieved_reduction_tco2=Decimal("12.5"),
        note="三个小区已完成改造。",
        expected_version=record.tracking_version,
        actor=applicant,
    )
    report = do_start_filing(unit, kind="progress_report", year=2025, actor=applicant, now=ON_TIME)
    assert report.item.code == "work_plan_2026"
    assert report.content["tasks"][0]["percent_complete"] == 100
    assert report.content["tasks"][0]["achieved_tco2"] == "12.500"
    assert "活动数据" in refused(
        lambda: do_submit_filing(report, expected_version=report.version, actor=applicant)
    )
    report = do_attach_activity(
        report,
        activity_of(2025),
        file_name="2025年活动数据.xlsx",
        expected_version=report.version,
        actor=applicant,
    )
    figures = report.content["activity"]["figures"]
    assert (figures["year"], figures["base_year"]) == (2025, 2023)
    assert [row["kind"] for row in figures["targets"]] == ["per_capita", "per_capita_decline_rate"]
    assert float(figures["total_tco2"]) > 0
    assert figures["decline_rate_pct"] is not None
    report = do_save_filing(
        report,
        fields={"summary": "年度任务总体按计划推进。", "task_1_status": "done"},
        expected_version=report.version,
        actor=applicant,
    )
    assert "状态" in refused(
        lambda: do_save_filing(
            report,
            fields={"task_1_status": "finished"},
            expected_version=report.version,
            actor=applicant,
        )
    )
    filed = do_submit_filing(report, expected_version=report.version, actor=applicant, now=ON_TIME)
    # The report states the task records' progress and cites them: while it is frozen, they are
    # the filing's.
    cited = [c for c in filed.snapshot["cites"] if c["type"] == "applications.ApplicationTask"]
    assert cited
    assert citing_filing("applications.ApplicationTask", cited[0]["id"]) == filed
    assert filed.snapshot["content"]["tasks"][0]["status"] == "done"
    # Two reviewers at once: the second is refused (its version is stale).
    stale = Filing.objects.get(pk=filed.pk)
    review(filed, officer, ok=True)
    assert "刷新" in refused(lambda: review(stale, admin_user, ok=True))
    # A progress report records no schedule item.
    assert not Completion.objects.filter(unit=unit).exists()
    plan = do_start_filing(unit, kind="work_plan", year=2100, actor=applicant, now=ON_TIME)
    assert plan.content["parts"]
    assert "2100" in plan.content["title"]
    plan = do_save_filing(
        plan,
        fields={"part_1": "本年度重点推进既有住宅节能改造。"},
        expected_version=plan.version,
        actor=applicant,
    )
    plan = do_submit_filing(plan, expected_version=plan.version, actor=applicant, now=ON_TIME)
    assert plan.snapshot["content"]["parts"][0]["text"] == "本年度重点推进既有住宅节能改造。"
    review(plan, officer, ok=True)
    assert Completion.objects.filter(unit=unit, item=plan.item).exists()
    assert "没有 2150 年" in refused(
        lambda: do_start_filing(unit, kind="work_plan", year=2150, actor=applicant)
    )


def test_a_bad_workbook_names_sheet_and_row_and_saves_nothing(
    unit: CreationUnit, applicant: User, tmp_path: Path
) -> None:
    report = do_start_filing(unit, kind="progress_report", year=2100, actor=applicant, now=ON_TIME)
    client = signed_in(applicant)
    response = client.post(
        reverse("creation:filing_activity", args=[report.pk]),
        {
            "version": report.version,
            "workbook": upload(workbook_bytes("community", tmp_path, _spoil)),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "没有保存" in page or "nothing was saved" in page
    assert "电力" in page
    assert "一万八千" in page
    report.refresh_from_db()
    assert report.content["activity"] is None
    assert report.version == 1


def test_the_pages(unit: CreationUnit, applicant: User, officer: User) -> None:
    filed = file_plan(unit, applicant, "修订。", now=timezone.now())
    client = signed_in(officer)
    for url in (
        reverse("creation:filings", args=[unit.pk]),
        reverse("creation:filing", args=[filed.pk]),
        reverse("creation:todos"),
        reverse("creation:unit", args=[unit.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "最终实施方案" in response.content.decode() or "报送" in response.content.decode()
    todos = client.get(reverse("creation:todos")).content.decode()
    assert "待您确认的报送材料" in todos
    assert reverse("creation:filing", args=[filed.pk]) in todos
    history = client.get(reverse("creation:unit", args=[unit.pk])).content.decode()
    assert "报送材料：报送修订版" in history
    assert "第1版" in history
    page = client.get(reverse("creation:filing", args=[filed.pk])).content.decode()
    assert "确认收到" in page
    assert "修订。" in page
    response = client.post(
        reverse("creation:filing_review", args=[filed.pk]),
        {"decision": "acknowledge", "comment": "", "version": filed.version},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == FilingStatus.ACKNOWLEDGED
