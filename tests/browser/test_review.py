"""A panel in the browser: the administrator meets a conflict when assigning, two experts
score one application in separate browser contexts without seeing each other, the divergence
opens a discussion, the administrator sees the aggregate, decides and publishes, and the public
list shows the selected unit.

Data is set up through the real actions (the application is created, submitted and
recommended; the panel formed and both experts assigned; every item but item 1 saved as each
expert's draft through the scoring action, since scoring 28 items by hand in a browser test
adds nothing); everything after that goes through the pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.models import District, Organisation, OrganisationKind
from lowcarbon.web.review.actions import do_save_expert_profile, do_save_review
from lowcarbon.web.review.models import ExpertReview
from tests.web.review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    recommended_application,
)
from tests.web.test_review_actions import form_of

from .conftest import PASSWORD, VIEWPORT, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def panel_ready(admin_user: User, applicant: User) -> dict[str, Any]:
    from lowcarbon.web.accounts.actions import do_create_user

    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区"
    )
    officer = do_create_user(
        username="officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=bureau,
        actor=admin_user,
    )
    round_ = make_round(admin_user)
    application, submission = recommended_application(round_, applicant, officer)
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    c = make_expert(admin_user, "expert_c", "徐汇")
    do_save_expert_profile(
        c,
        districts=[District.objects.get(name="徐汇区")],
        organisation_name="",
        consultancies=[],
        actor=c,
    )
    panel = make_panel(admin_user, round_, [a, b, c], name="2099年低碳社区第一组")
    for assignment in assign_all(admin_user, panel, application, [a, b]):
        for item_id, answer in submission.snapshot["answers"].items():
            if item_id == "1":
                continue
            review = ExpertReview.objects.get(assignment=assignment)
            do_save_review(
                assignment,
                item_id,
                form_of(answer),
                expected_version=review.version,
                actor=assignment.expert,
            )
    return {"round": round_.pk, "panel": panel.pk, "application": application.pk}


def snap(shots: Shots, page: Page, step: str) -> None:
    """A numbered screenshot of another browser context's page, in the same sequence."""
    main = shots.page
    shots.page = page
    try:
        shots(step)
    finally:
        shots.page = main


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    return context.new_page()


def score_item_1(page: Page, level: str, comment: str = "") -> None:
    item = page.locator("#item-1")
    item.locator(f"input[name='1:level'][value={level}]").check()
    if comment:
        item.locator("#item-1-comment").fill(comment)
    item.get_by_role("button", name="保存第1项").click()
    # Saved in place (the page's script), 已保存 beside the item.
    expect(item.locator(".save-state")).to_have_text("已保存")


def test_a_panel_scores_blind_discusses_and_the_bureau_decides_and_publishes(
    panel_ready: dict[str, Any], page: Page, site: str, shots: Shots
) -> None:
    ids = panel_ready
    # The administrator tries to add the third expert: the conflict is shown, nothing assigned.
    sign_in(page, site, "admin")
    page.goto(f"{site}/review/panels/{ids['panel']}/")
    expect(page.get_by_role("heading", name="2099年低碳社区第一组")).to_be_visible()
    page.locator("#id_application").select_option(label="田林十二村社区")
    # The experts by full name, with the conflict check before anyone is assigned.
    expect(page.locator("table.expert-choices")).to_contain_text("与申报单位同区")
    page.get_by_label("徐汇（expert_c）").check()
    page.get_by_role("button", name="分配", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("与申报单位同区")
    shots("conflict-refused")

    browser = page.context.browser
    assert browser is not None
    expert_a, expert_b = new_page(browser), new_page(browser)

    sign_in(expert_a, site, "expert_a")
    expert_a.goto(site + "/review/tasks/")
    expect(expert_a.get_by_role("heading", name="我的评审任务")).to_be_visible()
    expert_a.get_by_role("link", name="田林十二村社区").click()
    expect(expert_a.get_by_text("提交时冻结的申报材料")).to_be_visible()
    expect(expert_a.locator("#item-1")).to_contain_text("自评得分：5")
    expect(expert_a.locator("#item-1")).to_contain_text("E01 佐证材料E01")
    score_item_1(expert_a, "group_with_roles")
    snap(shots, expert_a, "expert-a-scored")

    sign_in(expert_b, site, "expert_b")
    expert_b.goto(site + "/review/tasks/")
    expert_b.get_by_role("link", name="田林十二村社区").click()
    # A's draft is invisible to B.
    expect(expert_b.locator("#item-1 input[name='1:level']:checked")).to_have_count(0)
    expect(expert_b.get_by_text("专家组评分与讨论")).to_have_count(0)
    expert_b.locator("#item-1 input[name='1:level'][value=none]").check()
    expert_b.locator("#item-1").get_by_role("button", name="保存第1项").click()
    expect(expert_b.locator("#item-1 .save-state")).to_have_text("已保存")
    expert_b.get_by_label("我确认提交后不可修改").check()
    expert_b.get_by_role("button", name="提交我的评分").click()
    # Departing from the self-score needs a comment.
    expect(expert_b.locator("#item-1 .errorlist")).to_contain_text("请填写评审意见说明理由")
    snap(shots, expert_b, "expert-b-comment-required")
    score_item_1(expert_b, "none", "工作小组文件未列明岗位分工。")
    expert_b.get_by_label("我确认提交后不可修改").check()
    expert_b.get_by_role("button", name="提交我的评分").click()
    expect(expert_b.get_by_text("您的评分已提交并锁定。")).to_be_visible()
    # A has not submitted: B still sees no one else's scores.
    expect(expert_b.get_by_text("专家组评分与讨论")).to_have_count(0)

    expert_a.get_by_label("我确认提交后不可修改").check()
    expert_a.get_by_role("button", name="提交我的评分").click()
    expect(expert_a.get_by_text("您的评分已提交并锁定。")).to_be_visible()
    expert_a.get_by_role("link", name="专家组评分与讨论").click()
    expect(expert_a.get_by_text("评分分歧")).to_be_visible()
    expect(expert_a.locator("table.items")).to_contain_text("工作小组文件未列明岗位分工。")
    expert_a.get_by_label("发言内容").fill("岗位分工见E01第3页，请陈专家复核。")
    expert_a.get_by_role("button", name="发言").click()
    expect(expert_a.get_by_text("发言已发布。")).to_be_visible()
    snap(shots, expert_a, "discussion")

    # The administrator: the aggregate, the ranking, the decision, the publication.
    page.goto(f"{site}/review/rounds/{ids['round']}/ranking/community/")
    expect(page.get_by_role("heading", name="2099年度排名与决定 · 低碳社区")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="田林十二村社区")
    expect(row).to_contain_text("1")
    shots("ranking")
    row.get_by_label("入选", exact=True).check()
    row.get_by_label("理由").fill("综合评估得分列本批次第一。")
    row.get_by_role("button", name="提交决定").click()
    expect(page.get_by_text("已记录对田林十二村社区的评审决定。")).to_be_visible()
    # The discussion is still open: publishing warns and asks for a reason, and a confirmation.
    expect(page.get_by_role("alert")).to_contain_text("讨论尚未结束")
    page.get_by_label("讨论未结束仍公示的理由").fill("分歧已在专家组会议上说明，结论不变。")
    page.get_by_label("我确认公示后评审决定不可更改").check()
    page.get_by_role("button", name="公示评审决定").click()
    expect(page.get_by_role("heading", name="2099年度入选单位名单")).to_be_visible()
    shots("published")

    # Anyone, without signing in, sees the selected unit.
    public = new_page(browser)
    public.goto(f"{site}/review/rounds/{ids['round']}/selected/")
    expect(public.get_by_role("table")).to_contain_text("田林十二村社区")
    expect(public.get_by_role("table")).to_contain_text("徐汇区")
    expect(public.get_by_text("张明")).to_have_count(0)
    snap(shots, public, "public-list")


@pytest.fixture
def sheet_ready(admin_user: User, applicant: User) -> dict[str, Any]:
    from lowcarbon.web.accounts.actions import do_create_user

    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区"
    )
    officer = do_create_user(
        username="officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=bureau,
        actor=admin_user,
    )
    round_ = make_round(admin_user)
    application, _submission = recommended_application(round_, applicant, officer)
    expert = make_expert(admin_user, "expert_s", "孙丽")
    panel = make_panel(admin_user, round_, [expert], name="2099年低碳社区第二组")
    [assignment] = assign_all(admin_user, panel, application, [expert])
    return {"assignment": assignment.pk}


def test_an_expert_scores_the_sheet_with_autosave_and_confirms_the_submission(
    sheet_ready: dict[str, Any], page: Page, site: str, shots: Shots
) -> None:
    sign_in(page, site, "expert_s")
    url = f"{site}/review/assignments/{sheet_ready['assignment']}/"
    page.goto(url)
    expect(page.get_by_text("已评0项，共28项。")).to_be_visible()
    # Start from the applicant's self-assessment: every unsaved item is filled in, saved.
    page.get_by_role("button", name="以申报单位自评分为起点").click()
    expect(page.get_by_text("已将申报单位自评填入", exact=False)).to_be_visible()
    expect(page.get_by_text("已评28项，共28项。")).to_be_visible()
    shots("sheet-started-from-self-assessment")
    # Change item 1: saved as soon as it changes, beside the item, without reloading.
    item = page.locator("#item-1")
    item.locator("input[name='1:level'][value=none]").check()
    expect(item.locator(".save-state")).to_have_text("已保存")
    item.locator("#item-1-comment").fill("工作小组文件未列明岗位分工。")
    item.locator("#item-1-reason").click()  # leaving the comment saves it
    expect(item.locator(".save-state")).to_have_text("已保存")
    # A refusal shows beside the item, and nothing else changes.
    points = page.locator("#item-10")
    points.locator("input[name='10:points']").fill("99")
    points.locator("input[name='10:points']").press("Tab")
    expect(points.locator(".save-state")).to_have_text("保存失败")
    expect(points.locator(".save-problems")).to_be_visible()
    shots("sheet-autosave-refused")
    # Evidence is picked with checkboxes.
    expect(item.locator("input[type=checkbox][name='1:evidence']").first).to_be_visible()
    page.reload()
    expect(page.locator("#item-1 input[name='1:level'][value=none]")).to_be_checked()
    expect(page.locator("#item-1-comment")).to_have_value("工作小组文件未列明岗位分工。")
    # Submitting asks for the confirmation box: the browser will not send the form without it.
    submit = page.get_by_role("button", name="提交我的评分")
    submit.click()
    expect(page.get_by_text("您的评分已提交并锁定。")).to_have_count(0)
    page.get_by_label("我确认提交后不可修改").check()
    shots("sheet-confirm-submission")
    submit.click()
    expect(page.get_by_text("您的评分已提交并锁定。")).to_be_visible()
    expect(page.locator("#score-sheet")).to_have_count(0)
    shots("sheet-submitted")
