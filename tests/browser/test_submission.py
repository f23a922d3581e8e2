"""An applicant checks and submits a complete application; the district officer recommends it.

The application is made complete before the browser starts: the outline's required elements
through the real action (tables and lists directly), the example community's baseline data and
self-assessment stored directly, three evidence files attached. Everything after that goes
through the pages.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.core.outline import ElementKind
from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "community"
ATTACHED = ("E01", "E02", "E03")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sign_in(page: Page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _answers() -> dict[str, Any]:
    items = yaml.safe_load((EXAMPLES / "answers.yaml").read_text(encoding="utf-8"))["items"]
    answers = {}
    for item_id, answer in items.items():
        answer = dict(answer)
        cited = [code for code in answer.get("evidence", []) if code in ATTACHED]
        if cited:
            answer["evidence"] = cited
        else:
            answer.pop("evidence", None)
        answers[str(item_id)] = answer
    return answers


@pytest.fixture
def ready(admin_user: User, applicant: User) -> Application:
    """A complete application of 田林十二村社区 in a round open until 30 days from today, and
    the 徐汇区 officer who will recommend it."""
    today = timezone.localdate()
    round_ = do_open_round(
        year=2099,
        kinds=["community"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"community": "2021"},
        outline_editions={"community": "2021"},
        factor_set_id="shanghai-2022",
        actor=admin_user,
    )
    xuhui = Organisation.objects.get(kind=OrganisationKind.DISTRICT_BUREAU, district__name="徐汇区")
    do_create_user(
        username="officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=xuhui,
        actor=admin_user,
        full_name="赵敏",
    )
    application = do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )
    direct: dict[str, Any] = {}
    for section in application_outline(application).iter_sections():
        values = {}
        for element in section.elements:
            if not element.required:
                continue
            if element.kind == ElementKind.TEXT:
                values[element.id] = f"{element.label.zh}：示例内容。"
            elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                values[element.id] = "12"
            else:
                direct[element.id] = [{"text": f"{element.label.zh}一"}]
        if values:
            application = do_save_section(
                application,
                section.id,
                values,
                expected_version=application.version,
                actor=applicant,
            )
    for code in ATTACHED:
        content = b"%PDF-1.4 " + code.encode()
        evidence = Evidence(
            application=application,
            code=code,
            title=f"证明材料{code}",
            items=["1"],
            original_name=f"{code}.pdf",
            content_kind="pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=applicant,
        )
        evidence.file.save(f"{code}.pdf", ContentFile(content), save=True)
    accounting = accounting_input_to_data(load_accounting_file(EXAMPLES / "accounting.yaml"))
    Application.objects.filter(pk=application.pk).update(
        sections=dict(application.sections) | direct,
        accounting=json.loads(json.dumps(accounting, default=str)),
        answers=_answers(),
    )
    application.refresh_from_db()
    return application


def test_an_applicant_submits_and_the_district_recommends(
    ready: Application, page: Page, site: str, shots: Shots
) -> None:
    page.goto(site + "/")
    sign_in(page, "applicant")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    page.get_by_role("link", name="完善后于截止日期前提交").click()

    expect(page.get_by_role("heading", name="提交前检查")).to_be_visible()
    expect(page.get_by_text("须在提交前修改的问题：0个")).to_be_visible()
    expect(page.get_by_text("申报了得分但未附证明材料，按0分计")).to_be_visible()
    expect(page.locator(".gaps li.blocking")).to_have_count(0)
    shots("check")

    page.get_by_role("link", name="提交申报…").click()
    expect(page.get_by_role("heading", name="确认提交")).to_be_visible()
    expect(page.get_by_text("提交后申报内容将变为只读")).to_be_visible()
    shots("confirm")
    page.get_by_role("button", name="确认提交").click()

    expect(page.get_by_text("第1次提交已收到，申报内容现为只读。")).to_be_visible()
    expect(page.get_by_role("heading", name="已提交，申报内容只读")).to_be_visible()
    facts = page.locator("table.facts")
    expect(facts).to_contain_text("王建国")
    expect(facts.locator("code.hash")).to_have_text(SHA256)
    expect(page.get_by_role("button", name="撤回")).to_be_visible()
    expect(page.get_by_role("link", name="提交申报…")).to_have_count(0)
    shots("submitted")

    # Read-only: the plan's edit page is refused to the unit itself.
    response = page.goto(site + f"/applications/{ready.pk}/sections/1.1/")
    assert response is not None
    assert response.status == 403
    page.goto(site + f"/applications/{ready.pk}/")
    expect(page.get_by_role("link", name="编辑本节")).to_have_count(0)
    expect(page.get_by_text("只读").first).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    page.goto(site + "/")
    sign_in(page, "officer")
    page.get_by_role("link", name="待推荐申报 1 项").click()
    expect(page.get_by_role("heading", name="徐汇区申报")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="田林十二村社区")
    expect(row).to_contain_text("待推荐")
    shots("district-queue")
    row.get_by_role("link", name="田林十二村社区").click()

    expect(page.get_by_role("heading", name="第1次提交（固化快照，只读）")).to_be_visible()
    expect(page.get_by_text("6083.11")).to_be_visible()
    expect(page.get_by_role("heading", name="提交时的提醒")).to_be_visible()
    page.get_by_label("推荐", exact=True).check()
    shots("district-snapshot")
    page.get_by_role("button", name="提交决定").click()

    expect(page.get_by_text("已推荐田林十二村社区的申报。")).to_be_visible()
    expect(page.get_by_text("待推荐申报 0 项。")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="田林十二村社区")).to_contain_text("已推荐")
    shots("recommended")
