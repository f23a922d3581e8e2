"""What a person does in the browser: sign in, open a round, see it; what others may not do.

Data is set up through the real actions; everything after that goes through the pages.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lowcarbon.web.accounts.models import User
from lowcarbon.web.rounds.models import Round

from .conftest import PASSWORD, Shots

# A live server needs real transactions; the flush after each test would also delete the
# districts the migrations seed, so they are serialized and put back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_administrator_signs_in_and_opens_a_round(
    page: Page, site: str, shots: Shots, admin_user: User
) -> None:
    page.goto(site + "/")
    expect(page).to_have_url(site + "/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_text("上海市低碳示范创建平台")).to_be_visible()
    expect(page.get_by_text("登录失败5次")).to_be_visible()
    # The stylesheet is served by the live server (static files, no CDN): the brand-blue header.
    expect(page.locator("header")).to_have_css("background-color", "rgb(0, 82, 217)")
    shots("sign-in")
    shots.for_readme("sign-in.png")

    sign_in(page, "admin", PASSWORD)
    expect(page).to_have_url(site + "/")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_text("李文静 · 管理员")).to_be_visible()
    expect(page.get_by_text("目前没有进行中的批次。")).to_be_visible()
    shots("workbench-empty")

    page.get_by_role("link", name="开启新批次").click()
    expect(page.get_by_role("heading", name="开启新批次")).to_be_visible()
    page.get_by_label("年份").fill("2026")
    page.get_by_label("低碳社区").check()
    page.get_by_label("低碳发展实践区").check()
    page.get_by_label("申报截止日期").fill("2026-06-30")
    page.get_by_label("推荐截止日期").fill("2026-07-31")
    page.get_by_label("评审截止日期").fill("2026-09-30")
    page.get_by_label("社区评分标准版本").select_option("2021")
    page.get_by_label("排放因子集").select_option("shanghai-2022")
    shots("open-round-form")
    page.get_by_role("button", name="开启批次").click()

    expect(page.get_by_text("2026年度批次已开启。")).to_be_visible()
    expect(page.get_by_role("heading", name="2026")).to_be_visible()
    details = page.locator("main table")
    expect(details).to_contain_text("低碳社区、低碳发展实践区")
    expect(details).to_contain_text("2026-09-30")
    expect(details).to_contain_text("上海市温室气体排放核算缺省因子（沪环气〔2022〕34号）")
    shots("round-opened")

    page.get_by_role("link", name="返回我的工作台").click()
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="2026")
    expect(row).to_contain_text("低碳社区、低碳发展实践区")
    expect(row).to_contain_text("2026-06-30")
    shots("workbench-with-round")
    shots.for_readme("workbench.png")


def test_an_applicant_cannot_open_a_round(
    page: Page, site: str, shots: Shots, applicant: User, round_2026: Round
) -> None:
    page.goto(site + "/")
    sign_in(page, "applicant", PASSWORD)
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_text("王建国 · 申报人")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="2026")).to_contain_text("低碳社区")
    expect(page.get_by_role("link", name="开启新批次")).to_have_count(0)
    shots("applicant-workbench")

    response = page.goto(site + "/rounds/open/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_label("年份")).to_have_count(0)
    shots("applicant-forbidden")


def test_the_fifth_wrong_password_pauses_sign_in(
    page: Page, site: str, shots: Shots, admin_user: User
) -> None:
    page.goto(site + "/accounts/login/")
    for attempt in range(1, 5):
        sign_in(page, "admin", f"wrong-password-{attempt}")
        expect(page.get_by_text("请输入一个正确的")).to_be_visible()
        expect(page.get_by_text("登录失败次数过多")).to_have_count(0)
    shots("four-wrong-passwords")

    sign_in(page, "admin", "wrong-password-5")
    expect(page.get_by_text("登录失败次数过多")).to_be_visible()
    shots("throttled")

    # Even the right password is refused now.
    sign_in(page, "admin", PASSWORD)
    expect(page.get_by_text("登录失败次数过多")).to_be_visible()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    shots("throttled-right-password")
