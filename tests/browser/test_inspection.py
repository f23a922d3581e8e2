"""The panel's site visit on a phone: an expert opens the inspection checklist from the scoring
workspace, records a finding for an item with a photo (a HEIC photo is refused first, saying
why), then sees the finding and the photo beside the item when scoring. The checklist's print
layout is captured too.

The application is created, submitted and recommended through the real actions, the panel
formed and the expert assigned; everything after that goes through the pages.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from tests.web.review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    recommended_application,
)

from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
FINDING = "3号楼、7号楼宣传栏张贴低碳生活海报，黑板报本月已更新。"


@pytest.fixture
def visit_ready(admin_user: User, applicant: User) -> dict[str, Any]:
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
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    panel = make_panel(admin_user, round_, [a, b], name="2099年低碳社区第一组")
    assign_all(admin_user, panel, application, [a, b])
    return {"panel": panel.pk, "application": application.pk}


def photo() -> bytes:
    image = Image.new("RGB", (480, 360), (232, 240, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 320), outline=(40, 110, 70), width=8)
    draw.rectangle((90, 100, 390, 150), fill=(40, 110, 70))
    draw.rectangle((90, 190, 300, 220), fill=(120, 160, 130))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()


def test_an_expert_records_a_finding_with_a_photo_on_a_phone(
    visit_ready: dict[str, Any], page: Page, site: str, shots: Shots
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, site, "expert_a")
    page.goto(site + "/review/tasks/")
    page.get_by_role("link", name="田林十二村社区").click()
    page.get_by_role("link", name="现场检查表").first.click()
    expect(page.get_by_role("heading", name="现场检查表")).to_be_visible()
    item = page.locator("#check-8")
    expect(item).to_contain_text("检查要点")
    expect(item).to_contain_text("现场检查")
    expect(page.locator("#check-1")).to_have_count(0)  # 查阅文件材料 only: not on the visit
    # The page fits the phone: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    shots("checklist-phone")

    # A photo straight from an iPhone (HEIC) is refused, saying what it is; nothing is saved.
    item.get_by_label("核查结果").select_option(label="与申报材料一致")
    item.get_by_label("检查情况（现场所见、访谈对象）").fill(FINDING)
    item.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "IMG_0042.HEIC",
                "mimeType": "image/heic",
                "buffer": b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64,
            }
        ]
    )
    item.get_by_role("button", name="保存第8项检查情况").click()
    item = page.locator("#check-8")
    expect(item.locator(".errorlist")).to_contain_text("HEIC/HEIF格式照片")
    expect(item.get_by_label("检查情况（现场所见、访谈对象）")).to_have_value(FINDING)
    expect(page.get_by_text("第8项：未保存任何内容。")).to_be_visible()
    shots("heic-refused")

    item.locator("input[type=file]").set_input_files(
        files=[{"name": "IMG_0043.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    item.get_by_label("照片说明").fill("3号楼宣传栏")
    item.get_by_role("button", name="保存第8项检查情况").click()
    expect(page.get_by_text("第8项：检查情况和1张照片已保存。")).to_be_visible()
    item = page.locator("#check-8")
    expect(item.locator(".recorded")).to_contain_text(FINDING)
    expect(item.locator(".recorded")).to_contain_text("与申报材料一致")
    expect(item.locator(".photos img")).to_have_count(1)
    assert item.locator(".photos img").evaluate("img => img.naturalWidth") == 480
    shots("finding-saved")

    # Printed on A4: the forms give way to the recorded findings and lines to write on.
    page.emulate_media(media="print")
    expect(page.locator(".finding-form").first).to_be_hidden()
    expect(page.get_by_text("专家组签字")).to_be_visible()
    shots("print-layout")
    page.emulate_media(media="screen")

    # Back in the scoring workspace the finding and the photo are beside item 8.
    page.get_by_role("link", name="返回评分工作台").click()
    scored = page.locator("#item-8")
    expect(scored.locator(".site-evidence")).to_contain_text(FINDING)
    expect(scored.locator(".site-evidence")).to_contain_text("张明")
    expect(scored.locator(".site-evidence img")).to_have_count(1)
    expect(page.locator("#item-10 .site-evidence")).to_contain_text("尚无现场检查记录")
    expect(page.locator("#item-9 .site-evidence")).to_have_count(0)  # 查阅文件材料 only
    scored.scroll_into_view_if_needed()
    shots("beside-the-item")
