"""The comparisons of an acceptance (issue 16 §5), set up through the real actions: the unit's
application score (the selection panel's, which agreed with the applicant) against the final
acceptance panel's aggregate item by item, planned against achieved reductions per task, and
the batch side by side with its workbook."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import do_district_decide, do_submit
from lowcarbon.web.applications.task_models import ApplicationTask
from lowcarbon.web.applications.tasks import TaskValues, do_add_task, do_track_task
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.evaluation.actions import (
    Finding,
    do_pre_accept,
    do_submit_report,
    evaluation_of,
)
from lowcarbon.web.evaluation.comparison import (
    application_side,
    plan_of,
    score_comparison,
)
from lowcarbon.web.evaluation.outcome import do_decide_acceptance
from lowcarbon.web.evaluation.report import report_rubric
from lowcarbon.web.review.actions import (
    do_assign,
    do_form_panel,
    do_save_review,
    do_submit_review,
)
from lowcarbon.web.review.models import Assignment, Panel
from lowcarbon.web.rounds.models import Stage

from ..creation.conftest import Batch
from ..creation.support import decide_and_publish, unit_of
from ..review_support import _fill, make_expert, make_round, make_unit, signed_in
from .support import REPORT_TIME, reporting_unit, score_everything

pytestmark = pytest.mark.django_db

FINAL = Stage.FINAL.value


def passed_report(unit: CreationUnit, applicant: User, officer: User) -> Submission:
    """The self-evaluation report scored, submitted and passed on by the district."""
    score_everything(unit, FINAL, applicant)
    evaluation = evaluation_of(unit, FINAL)
    report = do_submit_report(
        unit, FINAL, expected_version=evaluation.version, actor=applicant, now=REPORT_TIME
    )
    do_pre_accept(
        report,
        findings={item.id: Finding(ok=True) for item in report_rubric(unit).items()},
        recommendation="pass",
        comment="同意报市级验收。",
        deadline=None,
        actor=officer,
    )
    report.refresh_from_db()
    return report


def lowered_item(unit: CreationUnit, report: Submission) -> str:
    """An item the unit proved with an archive file and the application's panel gave points."""
    application = application_side(unit).scores
    return next(
        item_id
        for item_id, answer in report.snapshot["answers"].items()
        if answer.get("evidence")
        and (found := application.item(item_id)) is not None
        and found.points > 0
    )


def acceptance_panel(
    unit: CreationUnit, report: Submission, admin: User, *, lower: str = "", submit: bool = True
) -> Assignment:
    """A final panel of one expert who agrees with the report except on ``lower``, scored
    without its evidence (no evidence, no points)."""
    expert = make_expert(admin, "expert_acc", "验收专家")
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage=FINAL,
        name="验收组",
        deadline=date.today() + timedelta(days=10),
        members=[expert],
        actor=admin,
    )
    assignment = do_assign(panel, unit.application, expert, actor=admin)
    assert assignment.submission == report
    for item_id, answer in report.snapshot["answers"].items():
        if item_id == lower:
            answer = {k: v for k, v in answer.items() if k != "evidence"}
            answer["comment"] = "现场未见佐证材料。"
        assignment.review.refresh_from_db()
        do_save_review(
            assignment,
            item_id,
            answer_form_fields(answer),
            expected_version=assignment.review.version,
            actor=expert,
        )
    if submit:
        assignment.refresh_from_db()
        do_submit_review(assignment, expected_version=assignment.review.version, actor=expert)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def tasked(users: dict[str, User], admin_user: User) -> CreationUnit:
    """A community selected with three tasks in its plan (two with a stated reduction), in
    creation and ready to report (its own 2099 batch, without the creation tests' batch)."""
    applicant, officer = users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    round_ = make_round(admin_user, year=2099)
    application = _fill(
        do_create_application(round_, applicant.organisation, "community", actor=applicant),  # type: ignore[arg-type]
        applicant,
    )
    for name, domain, stated in (
        ("居民节能行为倡导", "behaviour", Decimal("50")),
        ("社区低碳工作小组", "governance", Decimal("30")),
        ("低碳示范楼栋", "demonstration", Decimal("20")),
    ):
        do_add_task(
            application,
            TaskValues(
                name=name,
                domain=domain,
                start_year=2025,
                acts_on=("electricity/residential",),
                stated_reduction_tco2=stated,
            ),
            actor=applicant,
        )
        application.refresh_from_db()
    do_submit(application, actor=applicant)
    application.refresh_from_db()
    do_district_decide(application, decision="recommended", comment="同意推荐。", actor=officer)
    application.refresh_from_db()
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_t1")
    return reporting_unit(unit_of(application), admin_user, applicant, officer)


def tracked(unit: CreationUnit, applicant: User) -> list[ApplicationTask]:
    """The first task done with half its plan, the second cancelled, the third lagging."""
    first, second, third = ApplicationTask.objects.filter(application=unit.application).order_by(
        "position", "code"
    )
    for record, status, percent, achieved in (
        (first, "done", 100, Decimal("25")),
        (second, "cancelled", 0, None),
        (third, "lagging", 20, None),
    ):
        do_track_task(
            record,
            status=status,
            percent_complete=percent,
            achieved_reduction_tco2=achieved,
            note="进展说明。",
            expected_version=record.tracking_version,
            actor=applicant,
        )
    return [first, second, third]


def page(client: Client, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def row_of(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def test_application_against_acceptance_item_by_item(
    unit: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    report = passed_report(unit, applicant, officer)
    client = signed_in(applicant)
    # Before the panel has scored, the acceptance side is the report's frozen self-score.
    html = page(client, "comparison:scores", unit.pk, FINAL)
    assert "自评分" in html
    assert "专家评分" in html
    found = score_comparison(unit, FINAL)
    assert found.application.by_experts
    assert found.acceptance is not None
    assert not found.acceptance.by_experts
    lower = lowered_item(unit, report)
    # An expert who has not submitted yet does not make the experts' side.
    acceptance_panel(unit, report, admin_user, lower=lower, submit=False)
    assert not score_comparison(unit, FINAL).acceptance.by_experts  # type: ignore[union-attr]
    # Scored and submitted: the experts' aggregate, with the item they gave fewer points.
    assignment = Assignment.objects.get(panel__stage=FINAL)
    do_submit_review(
        assignment, expected_version=assignment.review.version, actor=assignment.expert
    )
    found = score_comparison(unit, FINAL)
    assert found.acceptance is not None
    assert found.acceptance.by_experts
    comparison = found.comparison
    assert comparison is not None
    item = next(i for i in comparison.items if i.id == lower)
    assert item.acceptance == 0
    assert item.application is not None
    assert item.application > 0
    html = page(client, "comparison:scores", unit.pk, FINAL)
    assert "专家评分" in html
    assert "自评分" not in html
    lowered = cells(row_of(html, f'data-item="{lower}"'))
    assert lowered[4] == f"-{item.application.normalize():f}"
    assert "falls" in row_of(html, f'data-item="{lower}"')
    # Every other item agrees: no change.
    unchanged = [i for i in comparison.items if i.id != lower]
    assert all(i.change == 0 for i in unchanged)
    # The totals are the sums of the rows (main pool sections).
    main = [s for s in comparison.sections if s.pool.value == "main"]
    assert comparison.application_main == sum((s.application or 0 for s in main), Decimal(0))
    assert comparison.acceptance_main == sum((s.acceptance or 0 for s in main), Decimal(0))
    assert comparison.main_change == -item.application
    total = cells(row_of(html, 'data-total="main"'))
    assert total[1:] == [
        f"{comparison.application_main.normalize():f}",
        f"{comparison.acceptance_main.normalize():f}",
        f"-{item.application.normalize():f}",
        "",
    ]
    assert "申报得分" in html
    assert "验收得分" in html
    # The unit's page links both comparisons.
    unit_page = page(client, "creation:unit", unit.pk)
    assert reverse("comparison:scores", args=(unit.pk, FINAL)) in unit_page
    assert reverse("comparison:tasks", args=(unit.pk,)) in unit_page
    # The indicator system is named by its title, not its id.
    assert "community/2021" not in html
    assert "申报和验收均按" in html


def test_planned_against_achieved_per_task(
    tasked: CreationUnit, applicant: User, officer: User
) -> None:
    unit = tasked
    planned = plan_of(unit)
    assert planned.plan is not None
    assert planned.report is None
    assert [r.task.planned_tco2 for r in planned.plan.rows] == [
        Decimal("50"),
        Decimal("30"),
        Decimal("20"),
    ]
    first, _second, third = tracked(unit, applicant)
    live = plan_of(unit)
    assert live.plan is not None
    assert live.report is None
    row = live.plan.rows[0]
    assert (row.shortfall_tco2, row.achieved_percent) == (Decimal("25"), Decimal("50"))
    assert live.plan.rows[1].cancelled
    # Submitted, the report's frozen outcomes are what the page reads, even after a change.
    report = passed_report(unit, applicant, officer)
    first.refresh_from_db()
    do_track_task(
        first,
        status="done",
        percent_complete=100,
        achieved_reduction_tco2=Decimal("49"),
        note="后来补录。",
        expected_version=first.tracking_version,
        actor=applicant,
    )
    view = plan_of(unit)
    assert view.report == report
    assert view.plan is not None
    html = page(signed_in(officer), "comparison:tasks", unit.pk)
    assert "第1次提交" in html  # the first report of its stage (submission numbers run on)
    first_row = cells(row_of(html, f'data-task="{first.code}"'))
    assert first_row[:8] == [
        first.code,
        "居民节能行为倡导",
        "已完成",
        "100 %",
        "50.00",
        "25.00",
        "50.0 %",
        "25.00",
    ]
    lagging = row_of(html, f'data-task="{third.code}"')
    assert f"任务{third.code}进度滞后" in lagging
    assert cells(lagging)[7] == "20.00"  # nothing achieved: the whole plan is short
    # Cancelled tasks are listed apart and not counted in the totals.
    assert "已取消的任务" in html
    assert view.plan.cancelled.tasks == 1
    kept = [r for r in view.plan.rows if not r.cancelled]
    assert (
        view.plan.totals.planned_tco2
        == Decimal("70")
        == sum((r.task.planned_tco2 or Decimal(0) for r in kept), Decimal(0))
    )
    assert (
        view.plan.totals.shortfall_tco2
        == Decimal("45")
        == sum((r.shortfall_tco2 or Decimal(0) for r in kept), Decimal(0))
    )
    total = cells(row_of(html, 'data-total="tasks"'))
    assert total[1:5] == ["70.00", "25.00", "35.7 %", "45.00"]


def test_the_batch_side_by_side_and_its_workbook(
    tasked: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    unit = tasked
    tracked(unit, applicant)
    _org, _person, other_officer = make_unit(admin_user, "黄浦区", "外滩社区")
    report = passed_report(unit, applicant, officer)
    lower = lowered_item(unit, report)
    acceptance_panel(unit, report, admin_user, lower=lower)
    found = score_comparison(unit, FINAL)
    assert found.comparison is not None
    application_main = found.comparison.application_main
    acceptance_main = found.comparison.acceptance_main
    assert acceptance_main < application_main
    plan = plan_of(unit).plan
    assert plan is not None
    args = (unit.application.round_id, "community", FINAL)
    for user in (admin_user, officer):
        html = page(signed_in(user), "comparison:batch", *args)
        row = cells(row_of(html, f'data-unit="{unit.pk}"'))
        assert row[0] == "田林十二村社区"
        assert row[2].startswith(f"{application_main.normalize():f}")
        assert row[3] == f"{acceptance_main.normalize():f}"
        assert row[4] == f"{(acceptance_main - application_main).normalize():f}"
        assert row[5] == "待定"
        assert reverse("comparison:scores", args=(unit.pk, FINAL)) in html
    # The other district's officer sees the batch without this unit.
    html = page(signed_in(other_officer), "comparison:batch", *args)
    assert f'data-unit="{unit.pk}"' not in html
    response = signed_in(admin_user).get(reverse("comparison:batch_export", args=args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.cell(2, 1).value == "创建单位"
    values = [sheet.cell(3, column).value for column in range(1, 11)]
    assert values[0] == "田林十二村社区"
    assert isinstance(values[2], (int, float))
    assert Decimal(str(values[2])) == application_main
    assert isinstance(values[3], (int, float))
    assert Decimal(str(values[3])) == acceptance_main
    assert Decimal(str(values[4])) == acceptance_main - application_main
    assert values[5] == "待定"
    assert Decimal(str(values[6])) == plan.totals.planned_tco2
    assert Decimal(str(values[6])) == Decimal("70")
    assert values[9] == len(plan.flagged) == 1  # the lagging task
    assert sheet.max_row == 3
    # Decided by the bureau (far below the rectification mark: not passed), the outcome shows.
    unit.refresh_from_db()
    panel = Panel.objects.get(stage=FINAL)
    decision = do_decide_acceptance(
        unit,
        FINAL,
        panel=panel,
        reasons="专家组评分完整，按本轮验收规则认定。",
        improvements=[],
        opinion="创建任务完成不足。",
        expected_version=unit.version,
        actor=admin_user,
    )
    assert decision.outcome == "failed"
    html = page(signed_in(officer), "comparison:batch", *args)
    assert cells(row_of(html, f'data-unit="{unit.pk}"'))[5] == "未通过"
    response = signed_in(admin_user).get(reverse("comparison:batch_export", args=args))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.cell(3, 6).value == "未通过"


def test_the_batch_pages_refuse_others(
    batch: Batch, unit: CreationUnit, applicant: User, admin_user: User
) -> None:
    args = (batch.round.pk, "community", FINAL)
    assert signed_in(applicant).get(reverse("comparison:batch", args=args)).status_code == 404
    assert signed_in(applicant).get(reverse("comparison:batches")).status_code == 404
    # A community has no mid-term evaluation; an unknown kind is no batch.
    admin = signed_in(admin_user)
    bad = (batch.round.pk, "community", Stage.MIDTERM.value)
    assert admin.get(reverse("comparison:batch", args=bad)).status_code == 404
    assert admin.get(reverse("comparison:scores", args=(unit.pk, "midterm"))).status_code == 404
    html = page(admin, "comparison:batches")
    assert reverse("comparison:batch", args=args) in html
