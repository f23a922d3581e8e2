"""An applicant generates the implementation plan from the draft in the 文件生成 tab, follows
its progress and downloads the Word file; then the annual work plan of a year they choose,
downloaded as a spreadsheet and as a Word file.

The job goes through the real database queue: the click queues it, the page shows it waiting
and polls its status (the progress it reports is simulated here, to watch the page follow it
without racing the worker); then one iteration of ``db_worker``'s loop runs the job while the
browser is away from the page, and the page, loaded again, offers the DOCX and the PDF.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, Route, expect

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application

from ..web.docgen_support import make_application, make_round
from .conftest import PASSWORD, Shots

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNIT = "田林十二村社区"


@pytest.fixture
def draft(admin_user: User, applicant: User, settings: Any) -> Application:
    """A community application with its plan, baseline data and self-assessment filled in;
    jobs go to the database queue, as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return make_application(make_round(admin_user), applicant)


def run_one_job(monkeypatch: pytest.MonkeyPatch) -> None:
    """One iteration of the database worker, in a thread using the test's database connection
    (the in-memory database is shared with the live server the same way)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    connection = connections["default"]
    failures: list[BaseException] = []

    def work() -> None:
        connections["default"] = connection
        try:
            db_worker.Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=1,
                worker_id="browser-test",
                excluded_queue_names=[],
            ).run()
        except BaseException as error:  # reported in the test's thread
            failures.append(error)

    connection.inc_thread_sharing()
    try:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join(120)
    finally:
        connection.dec_thread_sharing()
    assert not thread.is_alive(), "the job did not finish within two minutes"
    assert not failures, failures


def test_an_applicant_generates_the_plan_and_downloads_it(
    draft: Application,
    page: Page,
    site: str,
    shots: Shots,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page.goto(site + f"/applications/{draft.pk}/")
    page.get_by_label("用户名").fill("applicant")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("navigation", name="申报各部分").get_by_role("link", name="文件生成").click()
    expect(page.get_by_role("heading", name="文件生成")).to_be_visible()
    expect(page.get_by_text("尚未生成任何文件。")).to_be_visible()
    expect(page.get_by_text("Word模板：系统内置默认模板（公文格式）。")).to_be_visible()
    shots("documents-tab")

    page.get_by_role("button", name="从当前草稿生成实施方案").click()
    expect(page.get_by_text("文件正在后台生成，本页显示生成进度。")).to_be_visible()
    card = page.locator(".document").first
    expect(card.locator(".state")).to_have_text("排队中")
    expect(card.locator(".step")).to_have_text("等待后台任务处理")
    expect(card.locator(".percent")).to_have_text("0%")
    expect(card.get_by_role("heading")).to_contain_text("实施方案 · 草稿")
    # With JavaScript the page polls; the refresh link is for browsers without it.
    expect(page.get_by_role("link", name="刷新页面查看进度")).to_be_hidden()
    shots("queued")

    # The page follows what the status endpoint reports.
    document_id = card.get_attribute("data-document")
    reported = {"progress": 45, "step": "正在生成Word文件", "label": "生成中"}

    def status(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps(
                {
                    "documents": [
                        {
                            "id": int(document_id or 0),
                            "status": "running",
                            "status_label": reported["label"],
                            "progress": reported["progress"],
                            "step": reported["step"],
                            "active": True,
                            "files": {},
                        }
                    ]
                }
            ),
        )

    page.route("**/status/", status)
    expect(card.locator(".percent")).to_have_text("45%")
    expect(card.locator(".step")).to_have_text("正在生成Word文件")
    expect(card.locator(".state")).to_have_text("生成中")
    expect(card.locator("progress")).to_have_attribute("value", "45")
    shots("progress")
    page.unroute("**/status/")

    # The worker runs the job while the browser is elsewhere (no request races it).
    page.goto("about:blank")
    time.sleep(0.5)
    run_one_job(monkeypatch)

    page.goto(site + f"/documents/applications/{draft.pk}/")
    card = page.locator(".document").first
    expect(card.locator(".state")).to_have_text("已完成")
    expect(card.locator("progress")).to_have_count(0)
    expect(card.get_by_text("快照校验值（SHA-256）")).to_be_visible()
    expect(card.locator("code.hash").first).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(card.get_by_role("link", name="下载PDF")).to_be_visible()
    shots("done")

    with page.expect_download() as downloading:
        card.get_by_role("link", name="下载Word（DOCX）").click()
    download = downloading.value
    assert download.suggested_filename == f"{UNIT}实施方案（草稿）.docx"
    saved = tmp_path / "plan.docx"
    download.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert UNIT in text
    assert "一、社区基本情况" in text


def test_an_applicant_generates_the_work_plan_of_a_chosen_year(
    draft: Application,
    page: Page,
    site: str,
    shots: Shots,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page.goto(site + f"/documents/applications/{draft.pk}/")
    page.get_by_label("用户名").fill("applicant")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    work_plan = page.locator("form.kind", has=page.get_by_role("heading", name="年度工作计划"))
    expect(work_plan.get_by_text("规划预测覆盖2024—2027年")).to_be_visible()
    year = work_plan.get_by_label("计划年度")
    # The years of the forecast are offered (the base year 2023 is the inventory, not a year
    # of work).
    options = page.locator("#work-plan-years option")
    expect(options).to_have_count(4)
    assert [options.nth(i).get_attribute("value") for i in range(4)] == [
        "2024",
        "2025",
        "2026",
        "2027",
    ]
    year.fill("2026")
    shots("work-plan-year")
    work_plan.get_by_role("button", name="从当前草稿生成年度工作计划").click()
    expect(page.get_by_text("文件正在后台生成，本页显示生成进度。")).to_be_visible()
    card = page.locator(".document").first
    expect(card.get_by_role("heading")).to_contain_text("2026年度工作计划 · 草稿")
    expect(card.locator(".state")).to_have_text("排队中")
    shots("work-plan-queued")

    page.goto("about:blank")
    time.sleep(0.5)
    run_one_job(monkeypatch)

    page.goto(site + f"/documents/applications/{draft.pk}/")
    card = page.locator(".document").first
    expect(card.get_by_role("heading")).to_contain_text("2026年度工作计划 · 草稿")
    expect(card.locator(".state")).to_have_text("已完成")
    expect(card.get_by_role("link", name="下载PDF")).to_be_visible()
    expect(card.get_by_role("link", name="下载Word（DOCX）")).to_be_visible()
    shots("work-plan-done")

    with page.expect_download() as downloading:
        card.get_by_role("link", name="下载Excel（XLSX）").click()
    download = downloading.value
    assert download.suggested_filename == f"{UNIT}2026年度工作计划（草稿）.xlsx"
    saved = tmp_path / "work-plan.xlsx"
    download.save_as(saved)
    sheet = load_workbook(saved)["年度任务"]
    assert sheet["A1"].value.startswith(f"{UNIT}2026年度低碳发展工作计划")
    assert sheet["G3"].value == "2026年减排量（tCO₂）"

    with page.expect_download() as downloading:
        card.get_by_role("link", name="下载Word（DOCX）").click()
    download = downloading.value
    assert download.suggested_filename == f"{UNIT}2026年度工作计划（草稿）.docx"
    saved = tmp_path / "work-plan.docx"
    download.save_as(saved)
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert f"{UNIT}2026年度低碳发展工作计划" in text
