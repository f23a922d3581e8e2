"""An applicant fills in the self-assessment: uploads evidence, answers, adopts a suggestion,
and watches the running total and the lost-points explanation change."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import PASSWORD, REPO_ROOT, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def zone_application(admin_user: User, applicant: User) -> Application:
    """A zone application with the example baseline data and a boundary, in a round whose
    deadline lies ahead. Listed before ``page`` so it exists before the browser starts."""
    today = timezone.localdate()
    round_ = do_open_round(
        year=2099,
        kinds=["zone"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"zone": "2021"},
        outline_editions={"zone": "2021"},
        factor_set_id="shanghai-2023-green-power",
        actor=admin_user,
    )
    application = do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )
    data = accounting_input_to_data(
        load_accounting_file(REPO_ROOT / "examples" / "zone" / "accounting.yaml")
    )
    boundary = {
        "type": "Polygon",
        "coordinates": [[[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.17]]],
    }
    Application.objects.filter(pk=application.pk).update(
        accounting=json.loads(json.dumps(data, default=str)), sections={"boundary": boundary}
    )
    return application


def test_an_applicant_answers_with_evidence_and_a_suggestion(
    zone_application: Application, page: Page, site: str, shots: Shots
) -> None:
    url = f"{site}/applications/{zone_application.pk}/assessment/"
    page.goto(url)
    page.get_by_label("用户名").fill("applicant")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(url)

    total = page.locator("#total")
    expect(page.get_by_role("link", name="自评")).to_have_attribute("aria-current", "page")
    expect(total.locator(".pools")).to_contain_text("0 / 100")
    expect(total).to_contain_text("8项尚未作答，按0分计。")
    expect(total).to_contain_text("第1.1项：失20分")
    item = page.locator("#item-1-1")
    expect(item).to_contain_text("提出合理且四至边界明确的创建区域，得2分")
    expect(item.locator(".suggestions")).to_contain_text("建议勾选：")
    expect(item.locator(".suggestions")).to_contain_text("依据：实施方案已明确四至边界")
    shots("assessment-empty")

    # Upload the inventory as evidence: a real PDF, typed by its content.
    page.locator("#id_file").set_input_files(
        files=[
            {
                "name": "2024年清单.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
            }
        ]
    )
    page.locator("#id_title").fill("实践区2024年能耗与碳排放清单")
    page.locator("#id_items").select_option("1.1")
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("已上传E01“实践区2024年能耗与碳排放清单”。")).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("2024年清单.pdf")
    shots("evidence-uploaded")

    # Adopt the suggestions of item 1.1: the boxes are ticked in the form, nothing saved yet.
    item = page.locator("#item-1-1")
    item.get_by_role("button", name="采纳建议").click()
    expect(item.get_by_text("已按建议填入，请核对后保存。")).to_be_visible()
    for criterion in ("boundary", "inventory", "forecast"):
        expect(item.locator(f'input[name="ticked"][value="{criterion}"]')).to_be_checked()
    expect(total.locator(".pools")).to_contain_text("0 / 100")
    item.locator("#item-1-1-evidence").select_option("E01")
    shots("suggestion-adopted")
    item.get_by_role("button", name="保存第1.1项").click()

    expect(page.get_by_text("第1.1项已保存。")).to_be_visible()
    expect(total.locator(".pools")).to_contain_text("20 / 100")
    expect(total).to_contain_text("7项尚未作答")
    expect(total).not_to_contain_text("第1.1项：失")

    # Answer item 2.1 with one criterion: the lost points say which criterion is missing.
    item = page.locator("#item-2-1")
    item.get_by_label("创建申报单位已有专门机构或部门负责低碳发展工作，得2分").check()
    item.get_by_role("button", name="保存第2.1项").click()
    expect(total.locator(".pools")).to_contain_text("22 / 100")
    lost = total.locator("#lost-item-2-1")
    expect(lost).to_contain_text("第2.1项：失2分")
    expect(lost).to_contain_text("未达到（2分）：申报单位对开展低碳发展实践重视")
    shots("running-total")

    # A judgement-free mistake: text in a checklist's place is impossible, so try item 4.1
    # without the constraint answer — refused in Chinese, the ticks kept.
    item = page.locator("#item-4-1")
    item.get_by_label(
        "结合区域发展特点和主要低碳发展任务，提出拟重点实施的低碳重点工程项目，得5分"
    ).check()
    item.get_by_role("button", name="保存第4.1项").click()
    item = page.locator("#item-4-1")
    expect(item).to_contain_text("第4.1项：请说明约束项是否满足")
    expect(item.locator('input[value="projects_proposed"]')).to_be_checked()
    expect(item.locator(".suggestions")).to_contain_text("创智中心近零碳排放示范楼宇")
    shots("constraint-refused")
    item.get_by_role("button", name="采纳建议").click()
    expect(item.locator('input[name="constraint_met"][value="yes"]')).to_be_checked()
    item.get_by_role("button", name="保存第4.1项").click()
    expect(page.get_by_text("第4.1项已保存。")).to_be_visible()
    expect(total.locator(".pools")).to_contain_text("27 / 100")
    shots("constraint-saved")
