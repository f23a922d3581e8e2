"""An applicant fills the accounting workbook, uploads it, and reads the computed results.

Data is set up through the real actions; everything after that goes through the pages.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from lowcarbon.core.activity import UnitKind
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.workbook import write_workbook_template
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "zone" / "accounting.yaml"


@pytest.fixture
def zone_application(admin_user: User, applicant: User) -> Application:
    """A zone application in an open round whose deadline lies ahead; the round pins the
    green-power set, which the example's green-power trades need (沪环气候〔2023〕89号)."""
    today = timezone.localdate()
    round_ = do_open_round(
        year=2099,
        kinds=["zone", "community"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"zone": "2021", "community": "2021"},
        outline_editions={"zone": "2021", "community": "2021"},
        factor_set_id="shanghai-2023-green-power",
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


def test_an_applicant_uploads_the_workbook_and_reads_the_results(
    zone_application: Application, page: Page, site: str, shots: Shots, tmp_path: Path
) -> None:
    # The consultancy fills the workbook offline; here it is the zone example's data.
    workbook = tmp_path / "望江湾核算数据.xlsx"
    write_workbook_template(
        workbook,
        kind=UnitKind.ZONE,
        language="zh",
        translate=str,
        example=load_accounting_file(EXAMPLE),
    )
    renamed_pdf = tmp_path / "扫描件.xlsx"
    renamed_pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    page.goto(f"{site}/applications/{zone_application.pk}/results/")
    sign_in(page, "applicant", PASSWORD)
    expect(page.get_by_text("暂无可核算的内容：本申报尚未录入基础数据。")).to_be_visible()
    shots("results-empty")
    page.get_by_role("link", name="录入基础数据").click()

    expect(page.get_by_role("heading", name="当前保存的数据")).to_be_visible()
    expect(page.get_by_text("尚未录入基础数据。")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载核算数据采集表（.xlsx）").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "核算数据采集表" in download.value.suggested_filename
    shots("baseline-empty")

    # A scanned PDF renamed to .xlsx is refused, saying what it is.
    page.get_by_label("核算数据采集表（.xlsx）").set_input_files(renamed_pdf)
    page.get_by_role("button", name="导入并核算").click()
    expect(page.get_by_text("是PDF文档，不是Excel工作簿（.xlsx）")).to_be_visible()
    shots("pdf-refused")

    # The real workbook: the progress indicator shows while the request runs.
    page.get_by_label("核算数据采集表（.xlsx）").set_input_files(workbook)
    page.evaluate(
        """() => document.querySelector('form.upload').addEventListener('submit', () =>
            sessionStorage.setItem('progress',
                document.getElementById('upload-progress').hidden ? 'hidden' : 'shown'))"""
    )
    page.get_by_role("button", name="导入并核算").click()
    expect(page.get_by_text("采集表“望江湾核算数据.xlsx”已导入")).to_be_visible()
    assert page.evaluate("() => sessionStorage.getItem('progress')") == "shown"
    expect(page.get_by_text("本批次所有申报统一按 shanghai-2023-green-power 核算")).to_have_count(0)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("望江湾低碳发展实践区")
    expect(facts).to_contain_text("2023、2024、2025")
    expect(facts).to_contain_text("71")
    expect(page.get_by_role("cell", name="14,800")).to_be_visible()
    expect(page.get_by_text("2023年：")).to_be_visible()
    shots("baseline-imported")

    page.get_by_role("link", name="查看核算结果").click()
    expect(page.get_by_text("基准年（2023年）碳排放总量（范围一＋范围二）")).to_be_visible()
    expect(page.locator(".headline strong").first).to_have_text("156,603.31")
    expect(page.get_by_text("各年度清单数据完整，以下为最终结果。")).to_be_visible()
    trend = page.locator("svg#chart-trend")
    expect(trend).to_be_visible()
    expect(trend.locator("title").first).to_have_text("碳排放趋势、预测与目标")
    expect(page.locator("svg#chart-category rect.segment")).to_have_count(15)
    expect(page.get_by_text("主要任务碳减排量与总体目标衔接（附件2 三）：")).to_be_visible()
    expect(page.locator(".verdict")).to_contain_text("未衔接")
    shots("results")
    page.locator("#inventories").scroll_into_view_if_needed()
    shots("results-inventories")

    # On a phone the page still reads: nothing wider than the screen but the tables' scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/applications/{zone_application.pk}/results/")
    expect(page.locator(".headline strong").first).to_have_text("156,603.31")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, width
    shots("results-phone")
