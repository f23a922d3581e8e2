"""Mid-term evaluation and final acceptance walked through the pages (issue 16): a community
from its self-evaluation report through the district's pre-acceptance (a rectification first,
then passed on), the city's acceptance panel and the bureau's decision to the public naming;
and a zone's mid-term report passed on, scored and continued.

The unit's creation up to the report (selection, a filed progress report on 2025, two archive
records, the self-score of every item) is made through the real actions before the browser
starts, as is the experts' item-by-item scoring (walked in tests/browser/test_review.py);
everything the issue adds goes through the pages. The clock is the walk's (see
tests/browser/test_creation_walk.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.review.actions import do_save_review
from lowcarbon.web.review.models import Assignment

from ..web.evaluation.support import reporting_unit, score_everything
from ..web.review_support import make_expert
from .conftest import Shots
from .walks import Clock, Selected, in_thread, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def ready(selected: Selected, admin: User, stage: str) -> CreationUnit:
    applicant = User.objects.get(username=selected.applicant)
    officer = User.objects.get(username=selected.officer)
    unit = reporting_unit(selected.unit, admin, applicant, officer)
    score_everything(unit, stage, applicant, now=unit.created_at, cite_all=True)
    return unit


def expert_scores(assignment_pk: int, expert: User) -> None:
    """The expert's item-by-item scores as the unit scored itself (the scoring pages are walked
    in the review's walk); submitting them is done on the page."""
    assignment = Assignment.objects.select_related("submission").get(pk=assignment_pk)
    for item_id, answer in assignment.submission.snapshot["answers"].items():
        assignment.review.refresh_from_db()
        do_save_review(
            assignment,
            item_id,
            answer_form_fields(answer),
            expected_version=assignment.review.version,
            actor=expert,
        )


def form_panel(page: Page, site: str, name: str, kind: str, stage: str, expert: str) -> None:
    page.goto(site + "/review/panels/")
    page.locator("#id_round").select_option(label="2024")
    page.locator("#id_kind").select_option(label=kind)
    page.locator("#id_stage").select_option(label=stage)
    page.locator("#id_name").fill(name)
    page.locator("#id_deadline").fill("2026-12-31")
    page.get_by_label(expert).check()
    page.get_by_role("button", name="组建专家组").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def assign(page: Page, unit_name: str, expert: str) -> int:
    page.locator("#id_application").select_option(label=unit_name)
    page.get_by_label(expert, exact=True).check()
    page.get_by_role("button", name="分配", exact=True).click()
    expect(page.locator("main")).to_contain_text(unit_name)
    return int(
        in_thread(lambda: Assignment.objects.exclude(panel__stage="selection").latest("pk").pk)
    )


def submit_scores(page: Page, site: str, expert: str, assignment: int) -> None:
    sign_in_as(page, site, expert)
    page.goto(f"{site}/review/assignments/{assignment}/")
    expect(page.locator("main")).to_contain_text("创建单位自评价报告")
    page.get_by_label("我确认提交后不可修改").check()
    page.get_by_role("button", name="提交我的评分").click()
    expect(page.locator("main")).to_contain_text("已提交")


def test_a_community_from_its_report_to_the_naming(
    community: Selected, clock: Clock, page: Page, site: str, shots: Shots, admin_user: User
) -> None:
    clock.set(2026, 3, 2, 9, 0)
    unit = in_thread(lambda: ready(community, admin_user, "final"))
    expert = in_thread(lambda: make_expert(admin_user, "expert_acc", "验收专家"))
    unit_url = f"{site}/creation/units/{unit.pk}/"

    # 1. March of the second year: the unit finishes its report and submits it to the district.
    clock.set(2026, 3, 20, 10, 0)
    sign_in_as(page, site, community.applicant)
    page.goto(unit_url)
    page.get_by_role("link", name="终期验收自评价报告").click()
    expect(page.locator("main")).to_contain_text("已自评 28 / 28 项")
    expect(page.locator("#tasks")).to_be_visible()
    expect(page.locator("main")).to_contain_text("据 2025 年度进展报告")
    page.get_by_label("下一步工作").fill("巩固垃圾分类成效，推广家庭低碳账本。")
    page.get_by_role("button", name="保存报告正文").click()
    expect(page.get_by_text("报告正文已保存。")).to_be_visible()
    # Item 1 scored lower than before: the running total follows.
    item = page.locator("#item-1")
    item.get_by_label("建立工作小组，但未进行岗位分工的得2.5分").check()
    item.get_by_role("button", name="保存第1项").click()
    expect(page.locator("#item-1 .item-score")).to_contain_text("2.5")
    shots("report-scored")
    page.get_by_role("button", name="将报告报送区里").click()
    expect(page.locator("main")).to_contain_text("等待区级预验收")
    shots("report-frozen")

    # 2. The district finds item 2 not met: a rectification first.
    sign_in_as(page, site, community.officer)
    page.goto(unit_url)
    expect(page.locator("main")).to_contain_text("预验收")
    page.get_by_role("link", name="第 1 次报送").click()
    row = page.locator("#item-2")
    row.get_by_label("未达标").check()
    row.locator("textarea").fill("工作计划未附考核办法。")
    page.get_by_role("radio", name="先行整改").check()
    page.get_by_label("区级意见").fill("请补充考核办法后重新报送。")
    page.get_by_role("button", name="记录预验收意见").click()
    expect(page.get_by_text("预验收意见已记录。")).to_be_visible()
    expect(page.get_by_role("link", name="整改通知")).to_be_visible()
    shots("pre-acceptance-rectify")

    # 3. The unit rectifies and submits again; the district passes it on.
    clock.set(2026, 4, 10, 9, 0)
    sign_in_as(page, site, community.applicant)
    page.goto(unit_url)
    expect(page.locator("main")).to_contain_text("整改后重新报送")
    page.get_by_role("link", name="终期验收自评价报告").click()
    page.get_by_label("存在问题").fill("考核办法已于 2026 年 4 月印发并归档。")
    page.get_by_role("button", name="保存报告正文").click()
    page.get_by_role("button", name="将报告报送区里").click()
    expect(page.locator("main")).to_contain_text("第 2 次报送")

    sign_in_as(page, site, community.officer)
    page.goto(unit_url)
    page.get_by_role("link", name="第 2 次报送").click()
    page.get_by_role("radio", name="同意报市级验收").check()
    page.get_by_label("区级意见").fill("资料齐全，同意报市级验收。")
    page.get_by_role("button", name="记录预验收意见").click()
    expect(page.locator("main")).to_contain_text("区级预验收：同意报市级验收")

    # 4. The bureau forms the acceptance panel and assigns the expert; the expert submits.
    clock.set(2026, 6, 5, 9, 0)
    sign_in_as(page, site, "admin")
    form_panel(page, site, "2024年低碳社区验收组", "低碳社区", "终期验收", "验收专家（expert_acc）")
    assignment = assign(page, "田林十二村社区", "验收专家（expert_acc）")
    in_thread(lambda: expert_scores(assignment, expert))
    submit_scores(page, site, "expert_acc", assignment)
    shots("acceptance-scored")

    # 5. The bureau decides by the rule and publishes the naming; the public list shows it.
    sign_in_as(page, site, "admin")
    page.goto(site + "/acceptance/")
    page.get_by_role("link").filter(has_text="终期验收").first.click()
    section = page.locator("section.card").filter(has_text="田林十二村社区")
    expect(section).to_contain_text("通过")
    section.locator("textarea[name=reasons]").fill("专家组评分达到通过线，各部分均达到最低得分。")
    section.get_by_role("button", name="认定").click()
    expect(page.locator("section.card").filter(has_text="田林十二村社区")).to_contain_text(
        "验收通过"
    )
    page.get_by_role("button", name="公布命名").click()
    shots("decided-and-named")
    page.context.clear_cookies()
    page.goto(site + "/acceptance/named/")
    expect(page.locator("main")).to_contain_text("田林十二村社区")
    shots("named-public")


def test_a_zones_mid_term_report_is_passed_on_scored_and_continued(
    zone: Selected, clock: Clock, page: Page, site: str, shots: Shots, admin_user: User
) -> None:
    clock.set(2026, 6, 1, 9, 0)
    unit = in_thread(lambda: ready(zone, admin_user, "midterm"))
    expert = in_thread(lambda: make_expert(admin_user, "expert_mid", "中期评估专家"))
    unit_url = f"{site}/creation/units/{unit.pk}/"

    clock.set(2026, 6, 15, 10, 0)
    sign_in_as(page, site, zone.applicant)
    page.goto(unit_url)
    expect(page.get_by_role("link", name="终期验收自评价报告")).to_be_visible()
    page.get_by_role("link", name="中期评估自评价报告").click()
    page.get_by_role("button", name="将报告报送区里").click()
    expect(page.locator("main")).to_contain_text("等待区级预验收")

    sign_in_as(page, site, zone.officer)
    page.goto(unit_url)
    expect(page.locator("main")).to_contain_text("中期评估")
    page.get_by_role("link", name="第 1 次报送").click()
    page.get_by_role("radio", name="同意报市级验收").check()
    page.get_by_role("button", name="记录预验收意见").click()
    expect(page.locator("main")).to_contain_text("区级预验收：同意报市级验收")

    clock.set(2026, 7, 10, 9, 0)
    sign_in_as(page, site, "admin")
    form_panel(
        page,
        site,
        "2024年实践区中期评估组",
        "低碳发展实践区",
        "中期评估",
        "中期评估专家（expert_mid）",
    )
    assignment = assign(page, "滨江新城低碳发展实践区", "中期评估专家（expert_mid）")
    in_thread(lambda: expert_scores(assignment, expert))
    submit_scores(page, site, "expert_mid", assignment)

    sign_in_as(page, site, "admin")
    page.goto(site + "/acceptance/")
    page.get_by_role("link").filter(has_text="中期评估").first.click()
    section = page.locator("section.card").filter(has_text="滨江新城低碳发展实践区")
    expect(section).to_contain_text("按规则得出的结果：通过")
    section.locator("textarea[name=reasons]").fill("中期评估得分达到通过线，继续创建。")
    section.get_by_role("button", name="认定").click()
    expect(page.locator("section.card").filter(has_text="滨江新城低碳发展实践区")).to_contain_text(
        "创建中"
    )
    shots("midterm-decided")
    unit_state: Any = in_thread(lambda: CreationUnit.objects.get(pk=unit.pk).status)
    assert unit_state == "in_creation"
