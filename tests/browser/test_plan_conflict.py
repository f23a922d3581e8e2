"""Two tabs edit one plan section: the second save shows both versions and asks which to keep.

The person sees the other save's text beside their own, must pick a version (the browser will
not send the form without a choice), and the workspace then shows what they chose.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lowcarbon.web.applications.models import Application

from .conftest import PASSWORD, Shots
from .test_plan import sign_in, zone_application

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

__all__ = ["zone_application"]

THEIRS = "位于徐汇区西南部，紧邻黄浦江"
MINE = "位于徐汇区西南部，地铁12号线沿线"


def test_the_second_save_asks_which_version_to_keep(
    zone_application: Application, page: Page, site: str, shots: Shots
) -> None:
    url = f"{site}/applications/{zone_application.pk}/sections/1.1/"
    page.goto(url)
    sign_in(page, "applicant", PASSWORD)
    other = page.context.new_page()  # a second tab of the same person, opened at version 1
    other.goto(url)

    page.get_by_role("textbox", name="地理位置").fill(THEIRS)
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()

    other.get_by_role("textbox", name="地理位置").fill(MINE)
    other.get_by_role("textbox", name="区位").fill("徐汇区南部中心")
    other.get_by_role("button", name="保存本节").click()
    panel = other.locator("section.conflicts")
    expect(panel.get_by_role("heading", name="他人在您编辑期间保存了本节")).to_be_visible()
    conflict = panel.locator("fieldset.conflict")
    expect(conflict.locator("legend")).to_have_text("地理位置")
    expect(conflict.locator(".conflict-side").first).to_contain_text(THEIRS)
    expect(conflict.locator(".conflict-side").last).to_contain_text(MINE)
    shots("conflict")

    # Without a choice the form is not sent: the page stays, nothing is saved.
    other.get_by_role("button", name="保存本节").click()
    expect(panel).to_be_visible()
    other.get_by_label("保留我的版本（以下方编辑器中的内容为准）").check()
    other.get_by_role("button", name="保存本节").click()
    expect(other.get_by_text("本节已保存。")).to_be_visible()
    section = other.locator("#section-1\\.1")
    expect(section).to_contain_text(MINE)
    expect(section).to_contain_text("徐汇区南部中心")
    expect(section).not_to_contain_text(THEIRS)
