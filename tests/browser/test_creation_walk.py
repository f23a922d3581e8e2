"""The creation stage walked through the pages against a clock the test moves (issue 15): a
community from its selection through two years (final plan, progress of a task, a reminder and
its escalation, a rectification order answered with an archive record and closed, the second
year's work plan and progress report), and a zone whose final plan is returned and refiled,
then seen on the bureau's overview and in its XLSX export.

The selection is made through the real actions before the browser starts; everything after it
goes through the pages. The server runs in this process and reads ``timezone.now()``, which the
test patches to a settable Asia/Shanghai clock. Database calls the walk needs (sending the
reminders, as the nightly command would) run in a thread of their own: Django refuses them in
the thread that runs Playwright's loop.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.management.commands._demo_files import placeholder_file
from lowcarbon.web.reminders.actions import do_send_reminders

from ..web.test_baseline import workbook_bytes
from .conftest import Shots
from .walks import Clock, Selected, in_thread, sign_in_as

ZONE_ANSWERS = Path(__file__).resolve().parents[2] / "examples" / "zone" / "answers.yaml"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def filing_row(page: Page, label: str, year: str = "—") -> Any:
    return (
        page.locator("main table")
        .first.get_by_role("row")
        .filter(has_text=label)
        .filter(has=page.get_by_role("cell", name=year, exact=True))
    )


def file_final_plan(page: Page, site: str, unit: CreationUnit, text: str) -> None:
    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    filing_row(page, "最终实施方案和任务清单").get_by_role("button").click()
    expect(page.get_by_role("heading", name="最终实施方案和任务清单")).to_be_visible()
    page.locator("main textarea").first.fill(text)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("pre.diff")).to_contain_text(text)
    page.get_by_role("button", name="报送本修订版").click()
    expect(page.locator("main table").first).to_contain_text("已报送，待确认")


def test_a_community_from_selection_through_two_years(
    community: Selected, clock: Clock, page: Page, site: str, shots: Shots, tmp_path: Path
) -> None:
    unit = community.unit
    unit_url = f"{site}/creation/units/{unit.pk}/"

    # 1. The selection is published: the unit page shows it selected, with its schedule.
    clock.set(2024, 10, 10, 9, 0)
    sign_in_as(page, site, community.applicant)
    page.goto(unit_url)
    expect(page.get_by_role("heading", name="田林十二村社区")).to_be_visible()
    expect(page.locator("main")).to_contain_text("入选")
    expect(page.locator("main")).to_contain_text("2025-02-28")
    shots("unit-selected")

    # 2. January of the first year: the final plan is revised and filed with its task list.
    clock.set(2025, 1, 15, 10, 0)
    sign_in_as(page, site, community.applicant)
    file_final_plan(page, site, unit, "根据评审意见修订的实施方案：增加既有住宅节能改造。")
    expect(page.locator("main")).to_contain_text("既有住宅节能改造")
    shots("final-plan-filed")

    sign_in_as(page, site, community.officer)
    page.goto(site + "/creation/todos/")
    expect(page.get_by_role("heading", name="待您确认的报送材料")).to_be_visible()
    waiting = (
        page.get_by_role("row").filter(has_text="田林十二村社区").filter(has_text="最终实施方案")
    )
    shots("district-todos")
    waiting.get_by_role("link").filter(has_text="最终实施方案").click()
    page.get_by_role("button", name="确认收到").click()
    expect(page.locator("main table").first).to_contain_text("已确认收到")
    # With its plan in hand the district moves the unit on to 创建中.
    page.goto(unit_url)
    page.get_by_label("新状态").select_option(label="创建中")
    page.get_by_label("理由").fill("最终实施方案已确认收到，进入创建。")
    page.get_by_role("button", name="变更状态").click()
    expect(page.locator("main table").first).to_contain_text("创建中")

    sign_in_as(page, site, community.applicant)
    page.goto(unit_url)
    expect(page.locator("main table").first).to_contain_text("创建中")
    schedule = page.locator("main table").nth(1)
    expect(schedule.get_by_role("row").filter(has_text="最终实施方案和任务清单")).to_contain_text(
        "已完成"
    )
    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    expect(filing_row(page, "最终实施方案和任务清单")).to_contain_text("已确认收到")
    shots("final-plan-acknowledged")

    # 3. The unit records the progress of a task on its tracking page.
    page.goto(f"{site}/applications/{community.application.pk}/tasks/")
    page.get_by_role("row").filter(has_text="既有住宅节能改造").get_by_role(
        "link", name="填报进展"
    ).click()
    page.get_by_label("状态").select_option("in_progress")
    page.get_by_label("完成百分比").fill("40")
    page.get_by_label("已实现减排量（每年，tCO₂）").fill("5.2")
    page.get_by_label("进展说明").fill("两个小区已完成外墙保温。")
    page.get_by_role("button", name="保存").click()
    progress = page.get_by_role("row").filter(has_text="既有住宅节能改造")
    expect(progress).to_contain_text("40")
    expect(progress).to_contain_text("5.2")
    shots("task-progress")

    # 4. The 2025 work plan's due date passes unfiled: the unit is reminded, then its district.
    in_thread(lambda: do_send_reminders(clock.set(2025, 3, 1, 0, 0)))
    clock.set(2025, 3, 1, 9, 0)
    sign_in_as(page, site, community.applicant)
    reminders = page.get_by_role("link", name="我的提醒")
    expect(reminders).to_contain_text("1")
    reminders.click()
    expect(page.locator("main")).to_contain_text("年度工作计划 2025已于 2025-02-28 到期，尚未报送")
    # Seen, it is marked read: the count leaves the navigation.
    expect(page.get_by_role("link", name="我的提醒")).to_have_text("我的提醒")
    shots("applicant-reminder")

    in_thread(lambda: do_send_reminders(clock.set(2025, 3, 8, 0, 0)))
    clock.set(2025, 3, 8, 9, 0)
    sign_in_as(page, site, community.officer)
    page.get_by_role("link", name="我的提醒").click()
    expect(page.locator("main")).to_contain_text(
        "田林十二村社区尚未报送年度工作计划 2025（2025-02-28 到期），已逾期 7 天"
    )
    shots("district-escalation")

    # 5. The district issues a rectification order.
    page.goto(unit_url)
    page.get_by_role("link", name="下发整改通知").click()
    page.locator("[name=deadline]").fill("2025-04-30")
    page.locator("[name=problem_1]").fill("2025年度工作计划逾期未报送。")
    page.locator("[name=requirement_1]").fill("补充工作小组会议记录并尽快报送。")
    page.get_by_role("button", name="下发整改通知").click()
    expect(page.locator("main")).to_contain_text("2025年度工作计划逾期未报送。")
    order_url = page.url
    shots("rectification-issued")

    # The unit records the working group's meeting in its archive, with its minutes as a PDF.
    clock.set(2025, 3, 12, 14, 0)
    sign_in_as(page, site, community.applicant)
    page.goto(f"{site}/archive/units/{unit.pk}/")
    page.locator(f"a[href='/archive/units/{unit.pk}/new/working_group/']").click()
    page.get_by_label("名称").fill("创建工作小组第二次会议")
    page.get_by_label("日期").fill("2025-03-11")
    name, _kind, content = placeholder_file("W1", "会议纪要", "会议纪要.pdf")
    page.locator("input[type=file][name=documents]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="创建工作小组第二次会议")).to_be_visible()
    record_url = page.url
    expect(page.locator("main")).to_contain_text("会议纪要.pdf")
    shots("archive-record")

    page.goto(order_url)
    page.locator("[name=item1-text]").fill("已召开工作小组会议，部署年度工作计划编制。")
    page.get_by_label("创建工作小组第二次会议").check()
    page.get_by_role("button", name="保存答复").click()
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("main")).to_contain_text("引用的档案记录：")
    shots("rectification-answered")

    sign_in_as(page, site, community.officer)
    page.goto(order_url)
    page.get_by_role("link", name="关闭整改通知").click()
    page.get_by_label("关闭理由").fill("已整改到位。")
    page.get_by_role("button", name="关闭整改通知").click()
    expect(page.locator("main")).to_contain_text("整改通知已关闭。")
    expect(page.locator("main")).to_contain_text("已关闭")
    shots("rectification-closed")

    sign_in_as(page, site, community.applicant)
    page.goto(record_url)
    expect(page.get_by_role("heading", name="引用情况")).to_be_visible()
    expect(page.locator("main")).to_contain_text("整改")
    expect(page.get_by_role("link", name="删除记录")).to_have_count(0)
    expect(page.get_by_role("link", name="修改记录")).to_have_count(0)
    shots("record-cited")

    # 6. February of the second year: the 2026 work plan and the progress report on 2025.
    clock.set(2026, 2, 10, 10, 0)
    sign_in_as(page, site, community.applicant)
    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    filing_row(page, "年度工作计划", "2026").get_by_role("button").click()
    expect(page.locator("main")).to_contain_text("2026")
    page.get_by_role("button", name="报送本修订版").click()
    expect(page.locator("main table").first).to_contain_text("已报送，待确认")
    shots("work-plan-filed")

    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    filing_row(page, "年度进展报告", "2025").get_by_role("button").click()
    page.locator("#id_workbook").set_input_files(
        files=[
            {
                "name": "2025年活动数据.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": workbook_bytes("community", tmp_path),
            }
        ]
    )
    page.get_by_role("button", name="上传并计算").click()
    expect(page.locator("main")).to_contain_text("2025年活动数据.xlsx")
    expect(page.get_by_role("row").filter(has_text="既有住宅节能改造")).to_contain_text("40")
    page.get_by_role("button", name="报送本修订版").click()
    expect(page.locator("main table").first).to_contain_text("已报送，待确认")
    shots("progress-report-filed")

    sign_in_as(page, site, community.officer)
    for label in ("年度工作计划", "年度进展报告"):
        page.goto(site + "/creation/todos/")
        page.get_by_role("link").filter(has_text=label).first.click()
        page.get_by_role("button", name="确认收到").click()
        expect(page.locator("main table").first).to_contain_text("已确认收到")
    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    expect(filing_row(page, "年度工作计划", "2026")).to_contain_text("已确认收到")
    expect(filing_row(page, "年度进展报告", "2025")).to_contain_text("已确认收到")
    shots("second-year-acknowledged")


def test_a_zone_refiles_its_returned_plan_and_the_bureau_sees_it(
    zone: Selected, clock: Clock, page: Page, site: str, shots: Shots
) -> None:
    unit = zone.unit
    clock.set(2025, 2, 3, 10, 0)
    sign_in_as(page, site, zone.applicant)
    file_final_plan(page, site, unit, "实践区实施方案修订稿。")

    sign_in_as(page, site, zone.officer)
    page.goto(site + "/creation/todos/")
    page.get_by_role("link").filter(has_text="最终实施方案").first.click()
    page.get_by_label("意见").fill("请补充重点项目的资金来源。")
    page.get_by_role("button", name="退回", exact=True).click()
    expect(page.locator("main table").first).to_contain_text("已退回")
    expect(page.locator("main table").first).to_contain_text("请补充重点项目的资金来源。")
    shots("zone-plan-returned")

    clock.set(2025, 2, 12, 10, 0)
    sign_in_as(page, site, zone.applicant)
    page.goto(f"{site}/creation/units/{unit.pk}/filings/")
    expect(filing_row(page, "最终实施方案和任务清单")).to_contain_text("已退回")
    file_final_plan(page, site, unit, "实践区实施方案修订稿：补充重点项目资金来源。")

    sign_in_as(page, site, zone.officer)
    page.goto(site + "/creation/todos/")
    page.get_by_role("link").filter(has_text="最终实施方案").first.click()
    page.get_by_role("button", name="确认收到").click()
    expect(page.locator("main table").first).to_contain_text("已确认收到")
    # The returned revision is kept beside the one acknowledged.
    expect(page.locator("main")).to_contain_text("1（已退回）")
    shots("zone-plan-acknowledged")

    sign_in_as(page, site, "admin")
    page.goto(site + "/creation/overview/")
    row = page.get_by_role("row").filter(has_text="滨江新城低碳发展实践区")
    expect(row).to_contain_text("入选")
    expect(row).to_contain_text("年度工作计划 2025")
    expect(row).to_contain_text("2025-02-28")
    shots("bureau-overview")
    with page.expect_download() as caught:
        page.get_by_role("link", name="下载 Excel 表").click()
    book = load_workbook(BytesIO(Path(caught.value.path()).read_bytes()))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    [found] = [r for r in rows if "滨江新城低碳发展实践区" in r]
    # The unit's row: text as text, the batch and the counts as numbers, the due day as a date.
    assert found[:9] == [
        "滨江新城低碳发展实践区",
        "浦东新区",
        2024,
        "低碳发展实践区",
        "入选",
        "年度工作计划 2025",
        datetime(2025, 2, 28),
        0,
        0,
    ]
