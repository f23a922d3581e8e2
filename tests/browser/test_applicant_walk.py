"""The whole application stage in one walk (issue 4, Tests): an applicant signs in, creates a
zone application from 我的申报, fills the plan (boundary file, map and 四至 included), uploads
the accounting workbook, reads the results with their charts, answers the self-assessment with
evidence and a suggestion, checks and submits; the district officer then recommends it.

Only the accounts and the round exist before the browser starts (the page fixture's rule: no
database calls while Playwright runs). The application is created in the browser, so every
element of the plan outline is filled through the section pages, not through actions; every
required text, number, list and table of the zone outline (附件3) is walked.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.core.activity import UnitKind
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.workbook import write_workbook_template
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import PASSWORD, VIEWPORT, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zone" / "accounting.yaml"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# About 2 km × 2.2 km around 121.5E 31.2N (the Huangpu riverside, 浦东新区/黄浦区).
RING = [[121.49, 31.19], [121.51, 31.19], [121.51, 31.21], [121.49, 31.21], [121.49, 31.19]]
FOUR_SIDES = "东至浦东南路，南至张杨路，西至黄浦江，北至陆家嘴环路"

# The rest of the zone outline's required elements, as an applicant types them.
TEXTS = {
    "1.2": {
        "implementing_bodies": "望江湾实践区管委会牵头，区内重点企业和物业公司参与。",
        "organisational_structure": "成立创建工作领导小组，下设办公室和三个专项工作组。",
    },
    "2.1": {"low_carbon_status": "区域已完成公共建筑节能改造12万平方米，建成充电桩300个。"},
    "2.2": {
        "favourable_conditions": "区位优越，产业以现代服务业为主，能源结构清洁。",
        "emission_reduction_potential": "建筑节能和光伏可再生能源替代的减排潜力约1.2万吨。",
    },
    "3.1": {
        "overall_approach": "以近零碳示范引领，分步实施，建筑、交通、能源协同降碳。",
        "construction_targets": "到2027年碳排放总量较2023年下降8%。",
    },
    "3.3": {"expected_outcomes": "建成近零碳示范楼宇1栋，年减排二氧化碳1500吨。"},
    "3.4": {
        "safeguards_organisation": "领导小组每季度召开推进会，实行项目清单管理。",
        "safeguards_funding_and_policy": "申请市节能减排专项资金，街道配套资金。",
        "safeguards_publicity_and_training": "开展低碳宣传周活动和物业人员培训。",
    },
}
TABLES = {
    "3.1": {
        "indicator_system-0-indicator": "碳排放总量下降率",
        "indicator_system-0-unit": "%",
        "indicator_system-0-target_year": "2027",
        "indicator_system-0-target_value": "8",
    },
    "3.3": {
        "project_schedule-0-project": "创智中心近零碳排放示范楼宇",
        "project_schedule-0-stage": "设计与施工",
        "project_schedule-0-start_date": "2026-03-01",
        "project_schedule-0-end_date": "2027-06-30",
    },
}


@pytest.fixture
def zone_round(admin_user: User) -> Round:
    """A round open for zones until 30 days from today, pinned to the green-power factor set
    that the example's green-power trades need (沪环气候〔2023〕89号)."""
    today = timezone.localdate()
    return do_open_round(
        year=2027,
        kinds=["zone"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"zone": "2021"},
        outline_editions={"zone": "2021"},
        factor_set_id="shanghai-2023-green-power",
        actor=admin_user,
    )


@pytest.fixture
def zone_applicant(admin_user: User) -> User:
    """The applicant of the (fictional) zone of examples/zone, in 浦东新区."""
    pudong = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="浦东新区"
    )
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="望江湾低碳发展实践区",
        parent=pudong,
        district=pudong.district,
        actor=admin_user,
    )
    return do_create_user(
        username="applicant",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
        full_name="陈立",
    )


@pytest.fixture
def district_officer(admin_user: User) -> User:
    """The officer of 浦东新区, the district of the applicant unit."""
    pudong = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="浦东新区"
    )
    return do_create_user(
        username="officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=pudong,
        actor=admin_user,
        full_name="赵敏",
    )


def sign_in(page: Page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def save_section(page: Page, url: str, texts: dict[str, str], fields: dict[str, str]) -> None:
    """Type into one section's editors (rich-text areas and named inputs) and save it."""
    page.goto(url)
    for element_id, text in texts.items():
        page.locator(f"#editor-{element_id}").get_by_role("textbox").fill(text)
    for name, value in fields.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()


def test_an_applicant_walks_from_sign_in_to_the_district_recommendation(
    zone_applicant: User,
    zone_round: Round,
    district_officer: User,
    page: Page,
    site: str,
    shots: Shots,
    tmp_path: Path,
) -> None:
    # --- sign in (Chinese), create the application from 我的申报 -------------------------
    page.goto(site + "/")
    sign_in(page, "applicant")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_text("本单位尚无申报。")).to_be_visible()
    page.get_by_role("link", name="我的申报").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    page.get_by_label("批次").select_option(label="2027")
    page.get_by_label("类型").select_option("zone")
    shots("create")
    page.get_by_role("button", name="创建申报").click()
    expect(page.get_by_text("申报已创建。")).to_be_visible()
    expect(
        page.get_by_role("heading", name="望江湾低碳发展实践区 · 2027 · 低碳发展实践区")
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"尚缺必备内容：\d+ 项"))).to_be_visible()
    base = page.url.rstrip("/")
    assert re.search(r"/applications/\d+$", base), base

    # --- 1.1 basic information: the boundary file, 四至, area and the texts --------------
    boundary_file = tmp_path / "实践区边界.geojson"
    boundary_file.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "实践区"},
                        "geometry": {"type": "Polygon", "coordinates": [RING]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    page.locator("#section-1\\.1").get_by_role("link", name="编辑本节").click()
    expect(page.get_by_role("heading", name="1.1 区域情况简介")).to_be_visible()
    page.get_by_label("边界文件（GeoJSON）").set_input_files(boundary_file)
    page.get_by_label("四至").fill(FOUR_SIDES)
    page.get_by_label("面积").fill("4.23")
    for element_id, text in {
        "geographic_location": "上海市浦东新区，黄浦江东岸，东经121.5度、北纬31.2度附近。",
        "regional_position": "位于浦东新区沿江地区，毗邻陆家嘴金融贸易区。",
        "transport_conditions": "轨道交通9号线、12号线穿过，公交线路20条。",
        "infrastructure_connection": "与周边市政供电、燃气、给排水管网完全衔接。",
    }.items():
        page.locator(f"#editor-{element_id}").get_by_role("textbox").fill(text)
    shots("basic-information-form")
    page.get_by_role("button", name="保存本节").click()
    expect(page.get_by_text("本节已保存。")).to_be_visible()
    section = page.locator("#section-1\\.1")
    expect(section.locator("svg.boundary-map")).to_be_visible()
    expect(section).to_contain_text(FOUR_SIDES)
    expect(section).to_contain_text(re.compile(r"边界面积：4\.2\d* 平方公里"))
    expect(section).to_contain_text("已完整")
    expect(page.get_by_text("相差超过5%")).to_have_count(0)
    section.scroll_into_view_if_needed()
    shots("workspace-boundary")
    shots.for_readme("workspace.png")

    # --- the rest of the outline: texts and tables, section by section -------------------
    # (三、2. is made entirely from the tasks the workbook brings, and 三、3.'s key projects.)
    for section_id in ("1.2", "2.1", "2.2", "3.1", "3.3", "3.4"):
        fields = dict(TABLES.get(section_id, {}))
        save_section(page, f"{base}/sections/{section_id}/", TEXTS.get(section_id, {}), fields)

    # --- baseline data: the template, then the filled workbook ---------------------------
    page.get_by_role("link", name="基础数据").click()
    expect(page.get_by_text("尚未录入基础数据。")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载核算数据采集表（.xlsx）").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    assert "核算数据采集表" in download.value.suggested_filename
    assert download.value.suggested_filename.endswith(".xlsx")
    assert template.read_bytes()[:2] == b"PK"  # an Office Open XML file is a zip
    workbook = tmp_path / "实践区核算数据.xlsx"
    write_workbook_template(
        workbook,
        kind=UnitKind.ZONE,
        language="zh",
        translate=str,
        example=load_accounting_file(EXAMPLE),
    )
    page.get_by_label("核算数据采集表（.xlsx）").set_input_files(workbook)
    page.get_by_role("button", name="导入并核算").click()
    expect(page.get_by_text("采集表“实践区核算数据.xlsx”已导入")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("2023、2024、2025")
    shots("baseline-imported")
    # The workbook's tasks and key projects are now the plan's lists and key-project table.
    page.goto(f"{base}/")
    expect(page.get_by_text("编制指南要求的必备内容均已填写。")).to_be_visible()
    expect(page.locator("#section-3\\.3")).to_contain_text("创智中心近零碳排放示范楼宇")
    shots("workspace-complete")

    # --- results: the base-year total and the charts --------------------------------------
    page.get_by_role("link", name="核算结果").first.click()
    expect(page.get_by_text("基准年（2023年）碳排放总量（范围一＋范围二）")).to_be_visible()
    expect(page.locator(".headline strong").first).to_have_text("156,603.31")
    expect(page.locator("svg#chart-trend")).to_be_visible()
    expect(page.locator("svg#chart-trend title").first).to_have_text("碳排放趋势、预测与目标")
    expect(page.locator("svg#chart-category rect.segment").first).to_be_visible()
    shots("results")
    shots.for_readme("results.png")

    # --- self-assessment: evidence, an answer with it, a suggestion adopted --------------
    page.get_by_role("link", name="自评").click()
    total = page.locator("#total")
    expect(total.locator(".pools")).to_contain_text("0 / 100")
    expect(total).to_contain_text("第1.1项：失20分")
    page.locator("#id_file").set_input_files(
        files=[
            {
                "name": "2023年清单.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
            }
        ]
    )
    page.locator("#id_title").fill("实践区2023年能耗与碳排放清单")
    page.locator("#id_items").select_option("1.1")
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("已上传E01“实践区2023年能耗与碳排放清单”。")).to_be_visible()
    expect(page.locator("#evidence")).to_contain_text("2023年清单.pdf")

    item = page.locator("#item-1-1")
    expect(item.locator(".suggestions")).to_contain_text("依据：实施方案已明确四至边界")
    item.get_by_role("button", name="采纳建议").click()
    expect(item.get_by_text("已按建议填入，请核对后保存。")).to_be_visible()
    expect(item.locator('input[name="ticked"][value="boundary"]')).to_be_checked()
    item.locator("#item-1-1-evidence").select_option("E01")
    item.get_by_role("button", name="保存第1.1项").click()
    expect(page.get_by_text("第1.1项已保存。")).to_be_visible()
    expect(total.locator(".pools")).to_contain_text("20 / 100")
    expect(total).not_to_contain_text("第1.1项：失")

    item = page.locator("#item-2-1")
    item.get_by_label("创建申报单位已有专门机构或部门负责低碳发展工作，得2分").check()
    item.get_by_role("button", name="保存第2.1项").click()
    expect(page.get_by_text("第2.1项已保存。")).to_be_visible()
    expect(total.locator(".pools")).to_contain_text("22 / 100")
    expect(total.locator("#lost-item-2-1")).to_contain_text("第2.1项：失2分")
    page.locator("#item-1-1").scroll_into_view_if_needed()
    shots("self-assessment")
    shots.for_readme("self-assessment.png")

    # --- check and submit -----------------------------------------------------------------
    page.get_by_role("link", name="检查与提交").click()
    expect(page.get_by_role("heading", name="提交前检查")).to_be_visible()
    expect(page.locator(".gaps li.blocking")).to_have_count(0)
    expect(page.get_by_text("须在提交前修改的问题：0个；提醒：1条。")).to_be_visible()
    expect(page.locator(".gaps li.warning")).to_contain_text(
        "有6个指标项尚未自评，按0分计：2.2、2.3、3.1、4.1、5.1、5.2。"
    )
    expect(page.get_by_text("当前自评得分：22分。")).to_be_visible()
    shots("check")
    page.get_by_role("link", name="提交申报…").click()
    expect(page.get_by_role("heading", name="确认提交")).to_be_visible()
    expect(page.get_by_text("提交后申报内容将变为只读")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(page.get_by_text("第1次提交已收到，申报内容现为只读。")).to_be_visible()
    expect(page.get_by_role("heading", name="已提交，申报内容只读")).to_be_visible()
    facts = page.locator("table.facts")
    expect(facts).to_contain_text("陈立")
    expect(facts).to_contain_text("已提交")
    expect(facts.locator("code.hash")).to_have_text(SHA256)
    snapshot_hash = facts.locator("code.hash").inner_text()
    shots("submitted")

    # Read-only everywhere: no editor on the plan, no upload on the baseline page.
    page.goto(base + "/")
    expect(page.get_by_text("只读").first).to_be_visible()
    expect(page.get_by_role("link", name="编辑本节")).to_have_count(0)
    page.goto(base + "/baseline/")
    expect(page.get_by_role("button", name="导入并核算")).to_have_count(0)

    # --- the district officer, in a browser of their own ----------------------------------
    browser = page.context.browser
    assert browser is not None
    officer_context = browser.new_context(
        viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    officer_context.set_default_timeout(10_000)
    officer = officer_context.new_page()
    officer_shots = Shots(officer, shots.folder)
    officer_shots.count = shots.count
    officer.goto(site + "/")
    sign_in(officer, "officer")
    expect(officer.get_by_role("heading", name="我的工作台")).to_be_visible()
    officer.get_by_role("link", name="待推荐申报 1 项").click()
    expect(officer.get_by_role("heading", name="浦东新区申报")).to_be_visible()
    row = officer.get_by_role("row").filter(has_text="望江湾低碳发展实践区")
    expect(row).to_contain_text("待推荐")
    expect(row).to_contain_text("22")
    officer_shots("district-queue")
    officer_shots.for_readme("district-queue.png")
    row.get_by_role("link", name="望江湾低碳发展实践区").click()
    expect(officer.get_by_role("heading", name="第1次提交（固化快照，只读）")).to_be_visible()
    # The check values are folded away below the facts; opened, the snapshot's is there.
    officer.locator("details.hashes > summary").click()
    expect(officer.get_by_text(snapshot_hash)).to_be_visible()
    officer.get_by_label("推荐", exact=True).check()
    officer.get_by_role("textbox", name="意见").fill("材料齐全，同意推荐。")
    officer_shots("district-decision")
    officer.get_by_role("button", name="提交决定").click()
    expect(officer.get_by_text("已推荐望江湾低碳发展实践区的申报。")).to_be_visible()
    expect(officer.get_by_text("待推荐申报 0 项。")).to_be_visible()
    expect(officer.get_by_role("row").filter(has_text="望江湾低碳发展实践区")).to_contain_text(
        "已推荐"
    )
    officer_shots("district-recommended")
    officer_context.close()

    # --- back to the applicant: recommended, still read-only ------------------------------
    page.goto(base + "/submission/")
    expect(page.locator("table.facts")).to_contain_text("区已推荐")
    expect(page.get_by_role("button", name="撤回")).to_have_count(0)
    page.goto(site + "/")
    row = page.locator("table.work tbody tr")
    expect(row).to_contain_text("区已推荐")
    expect(row).to_contain_text("区生态环境局已推荐：等待市级综合评估")
    shots.count = officer_shots.count
    shots("applicant-recommended")

    # --- the workspace on a phone (390×844): nothing wider than the screen ----------------
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/")
    expect(page.locator("#section-1\\.1 svg.boundary-map")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, width
    shots("phone-workspace")
