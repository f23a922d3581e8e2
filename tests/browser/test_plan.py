"""An applicant fills in the zone's plan: boundary file and map, key projects table, narrative.

Data is set up through the real actions before the browser starts; everything after that goes
through the pages.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]


@pytest.fixture
def zone_application(admin_user: User, applicant: User) -> Application:
    today = timezone.localdate()
    round_ = do_open_round(
        year=2099,
        kinds=["zone"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"zone": "2021"},
        outline_editions={"zone": "2021"},
        factor_set_id="shanghai-2022",
        actor=admin_user,
    )
    return do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_applicant_fills_in_boundary_projects_and_narrative(
    zone_application: Application, page: Page, site: str, shots: Shots, tmp_path: Path
) -> None:
    base = f"{site}/applications/{zone_application.pk}"
    page.goto(base + "/sections/1.1/")
    sign_in(page, "applicant", PASSWORD)
    expect(page.get_by_role("heading", name="1.1 区域情况简介")).to_be_visible()

    # 1. The boundary: a GeoJSON file, its four sides, and an area that disagrees by > 5%.
    boundary_file = tmp_path / "田林边界.geojson"
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }
    boundary_file.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    page.get_by_label("边界文件（GeoJSON）").set_input_files(boundary_file)
    page.get_by_label("四至").fill("东至宜山路，南至漕宝路，西至桂林路，北至田林路")
    page.get_by_label("面积").fill("5")
    shots("boundary-form")
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()
    section = page.locator("#section-1\\.1")
    expect(section.locator("svg.boundary-map")).to_be_visible()
    expect(section).to_contain_text("边界面积：4.2275 平方公里")
    expect(section).to_contain_text("东至宜山路，南至漕宝路")
    expect(page.get_by_text("相差超过5%")).to_be_visible()
    section.scroll_into_view_if_needed()
    shots("workspace-map")

    # 2. A table (指标体系): a bad number is shown in place with what was typed, then fixed.
    page.goto(base + "/sections/3.1/")
    expect(page.locator('[name="indicator_system-2-indicator"]')).to_be_attached()
    page.get_by_label("指标名称 1", exact=True).fill("碳排放下降率")
    page.get_by_label("单位 1", exact=True).fill("%")
    page.get_by_label("基准年 1", exact=True).fill("2023")
    page.get_by_label("目标年 1", exact=True).fill("2030")
    page.get_by_label("目标值 1", exact=True).fill("十五")
    page.locator("#editor-indicator_system").get_by_role("button", name="＋ 添加一行").click()
    expect(page.get_by_label("指标名称 4", exact=True)).to_be_visible()
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("第1行“目标值”：“十五”不是数值").first).to_be_visible()
    bad = page.get_by_label("目标值 1", exact=True)
    expect(bad).to_have_value("十五")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("指标名称 1", exact=True)).to_have_value("碳排放下降率")
    bad.scroll_into_view_if_needed()
    shots("table-error-in-place")
    bad.fill("15")
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()
    indicators = page.locator("#section-3\\.1")
    expect(indicators.get_by_role("cell", name="碳排放下降率")).to_be_visible()
    expect(indicators.get_by_role("cell", name="2030", exact=True)).to_be_visible()
    # 三、3.'s key projects are made from the tasks and key projects, not typed here.
    page.goto(base + "/sections/3.3/")
    expect(page.locator('[name="key_projects-0-name"]')).to_have_count(0)

    # 3. Narrative with the rich-text editor: a heading, bold text and a bullet list.
    page.goto(base + "/sections/3.1/")
    box = page.locator("#editor-overall_approach")
    editor = box.get_by_role("textbox", name="总体思路")
    editor.click()
    box.get_by_role("button", name="标题", exact=True).click()
    page.keyboard.type("总体思路")
    page.keyboard.press("Enter")
    box.get_by_role("button", name="正文").click()
    box.get_by_role("button", name="加粗").click()
    page.keyboard.type("近零碳")
    box.get_by_role("button", name="加粗").click()
    page.keyboard.type("引领，分步实施。")
    page.keyboard.press("Enter")
    box.get_by_role("button", name="项目符号列表").click()
    page.keyboard.type("能源清洁化")
    shots("richtext-editor")
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()
    narrative = page.locator("#section-3\\.1 .kind-text").first
    expect(narrative.locator("h3")).to_have_text("总体思路")
    expect(narrative.locator("strong")).to_have_text("近零碳")
    expect(narrative.locator("li")).to_have_text("能源清洁化")
    narrative.scroll_into_view_if_needed()
    shots("workspace-narrative")

    # The same pages on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/")
    expect(page.locator("#section-1\\.1 svg.boundary-map")).to_be_visible()
    shots("phone-workspace")
    page.goto(base + "/sections/3.1/")
    expect(page.get_by_label("指标名称 1", exact=True)).to_have_value("碳排放下降率")
    shots("phone-table-editor")
