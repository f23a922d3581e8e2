"""The self-evaluation report (自评价报告) downloaded as Word and PDF from the unit's data
(issue 16 §1): the draft as it stands and the frozen report exactly as it was frozen, each with
the unit, the tasks promised and done, the indicators, the self-score with its cited records by
date and hash, and the unit's texts; who may download which; a PDF that cannot be made."""

from __future__ import annotations

import io
import logging
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import ApplicationTask, Submission
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.applications.task_models import TaskStatus
from lowcarbon.web.applications.tasks import do_track_task
from lowcarbon.web.archive.evidence import archive_evidence
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.evaluation.actions import (
    Finding,
    do_pre_accept,
    do_save_texts,
    do_submit_report,
    evaluation_of,
)
from lowcarbon.web.evaluation.report import report_rubric
from lowcarbon.web.evaluation.report_document import evaluation_report_input
from lowcarbon.web.review.actions import do_assign, do_form_panel
from lowcarbon.web.rounds.models import Stage

from ...system_tools import pdf_text, require_converter
from ..creation.conftest import Batch
from ..review_support import make_expert
from .support import REPORT_TIME, score_everything

pytestmark = pytest.mark.django_db

FINAL = Stage.FINAL.value
TEXTS = {
    "summary": "田林十二村社区常住人口约九千人。",
    "results": "完成既有住宅节能改造一期。",
    "problems": "居民参与仍不均衡。",
    "next_steps": "二〇二六年完成剩余改造面积。",
}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def document_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def table_rows(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def tracked_task(unit: CreationUnit, applicant: User) -> ApplicationTask:
    """The plan's first task as a record, its progress recorded through the real action (the
    review's test data writes the plan without the workbook import that makes the records)."""
    task = unit.application.accounting["tasks"][0]
    stated = task.get("annual_reduction_tco2")
    record = ApplicationTask.objects.create(
        application=unit.application,
        code=task["id"],
        position=0,
        name=task["name"],
        domain=task["domain"],
        start_year=task["start_year"],
        ramp_years=task.get("ramp_years", 1),
        stated_reduction_tco2=None if stated is None else Decimal(str(stated)),
    )
    return do_track_task(
        record,
        status=TaskStatus.IN_PROGRESS,
        percent_complete=60,
        achieved_reduction_tco2=Decimal("12.5"),
        note="一期完成。",
        expected_version=record.tracking_version,
        actor=applicant,
    )


def written(unit: CreationUnit, applicant: User) -> None:
    score_everything(unit, FINAL, applicant)
    do_save_texts(
        unit,
        FINAL,
        TEXTS,
        expected_version=evaluation_of(unit, FINAL).version,
        actor=applicant,
        now=REPORT_TIME,
    )


def submit(unit: CreationUnit, applicant: User) -> Any:
    return do_submit_report(
        unit,
        FINAL,
        expected_version=evaluation_of(unit, FINAL).version,
        actor=applicant,
        now=REPORT_TIME,
    )


def draft_url(unit: CreationUnit, fmt: str = "docx", stage: str = FINAL) -> str:
    return reverse("evaluation_documents:draft", args=[unit.pk, stage, fmt])


def frozen_url(submission: Any, fmt: str = "docx") -> str:
    return reverse("evaluation_documents:frozen", args=[submission.pk, fmt])


def cited_file(unit: CreationUnit) -> tuple[str, str]:
    """The code and SHA-256 of the archive file every answer with evidence cites."""
    first = min(archive_evidence(unit), key=lambda found: (found.record.pk, found.entry.code))
    return first.entry.code, first.file.sha256


def task_row(rows: list[list[str]], code: str) -> list[str]:
    return next(row for row in rows if len(row) == 8 and row[0] == code)


def score_total_row(rows: list[list[str]]) -> list[str]:
    # The self-score table has six columns; its last row is the total.
    return [row for row in rows if len(row) == 6 and row[1] == "合计"][-1]


def test_the_draft_is_the_report_as_it_stands(unit: CreationUnit, applicant: User) -> None:
    client = signed_in(applicant)
    # Nothing written yet: the report downloads, its unwritten parts as visible placeholders.
    empty = client.get(draft_url(unit))
    assert empty.status_code == 200
    assert "待补充：创建工作基本情况" in document_text(empty.content)
    tracked_task(unit, applicant)
    written(unit, applicant)
    response = client.get(draft_url(unit))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert unquote(response["Content-Disposition"]).endswith("田林十二村社区_验收自评价报告.docx")
    text = document_text(response.content)
    assert "田林十二村社区验收自评价报告" in text
    assert "徐汇区" in text
    for written_text in TEXTS.values():
        assert written_text in text
    rows = table_rows(response.content)
    # The plan's task with what its accounting counts, and what the unit recorded as done.
    row = task_row(rows, "C01")
    assert row[1] == "公共照明LED改造与智能控制"
    assert (row[4], row[6]) == ("12.01", "12.50")
    assert row[5] == "进行中\n60%"
    # Each cited record by its code, title, date and the first 12 digits of the file's hash.
    code, sha256 = cited_file(unit)
    assert f"{code} 低碳知识讲座\n2100年5月12日 {sha256[:12]}" in text
    # The annex lists the full hash (in lines of 16 digits) with the category's name.
    annex = next(r for r in rows if len(r) == 6 and r[1] == code)
    assert annex[3] == "学习培训和低碳专题讲座"
    assert annex[5].replace("\n", "") == sha256
    # Both years accounted under the plan's factor set, named by its title: no vintage rows.
    assert "上海市温室气体排放核算缺省因子" in text
    header = next(r for r in rows if r[0] == "指标")
    assert header == ["指标", "单位", "基准年2023年", "现状值（2025年）", "分阶段目标", "达成情况"]
    assert "基准年2023年" in text


def test_the_frozen_report_is_what_was_frozen(unit: CreationUnit, applicant: User) -> None:
    record = tracked_task(unit, applicant)
    written(unit, applicant)
    submission = submit(unit, applicant)
    frozen = frozen_snapshot(submission)
    assert frozen.score is not None
    # Progress recorded after the report was frozen changes the draft, not the frozen report.
    do_track_task(
        record,
        status=TaskStatus.DONE,
        percent_complete=100,
        achieved_reduction_tco2=Decimal("20"),
        note="全部完成。",
        expected_version=record.tracking_version,
        actor=applicant,
    )
    client = signed_in(applicant)
    response = client.get(frozen_url(submission))
    assert response.status_code == 200
    rows = table_rows(response.content)
    assert task_row(rows, "C01")[6] == "12.50"
    assert task_row(table_rows(client.get(draft_url(unit)).content), "C01")[6] == "20.00"
    # The self-score's total is the frozen score's total.
    assert Decimal(score_total_row(rows)[3]) == frozen.score.total
    text = document_text(response.content)
    # Dated the day it was submitted.
    day = local_date(submission.submitted_at)
    assert f"{day.year}年{day.month}月{day.day}日" in text
    code, sha256 = cited_file(unit)
    assert f"{code} 低碳知识讲座\n2100年5月12日 {sha256[:12]}" in text
    for written_text in TEXTS.values():
        assert written_text in text
    # The input read from the frozen report: each answer's statement, the items it cites.
    report = evaluation_report_input(unit, FINAL, submission=submission)
    items = {item.item_id: item for section in report.score for item in section.items}
    assert set(items) == {item.id for item in report_rubric(unit).items()}
    for item_id, answer in frozen.answers.items():
        assert [r.code for r in items[item_id].records] == list(answer.get("evidence") or [])
        assert items[item_id].self_points == frozen.score.items[item_id].points
    assert report.report_date == day


def test_the_frozen_report_as_pdf(unit: CreationUnit, applicant: User, tmp_path: Path) -> None:
    require_converter()
    tracked_task(unit, applicant)
    written(unit, applicant)
    submission = submit(unit, applicant)
    response = signed_in(applicant).get(frozen_url(submission, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert unquote(response["Content-Disposition"]).endswith("田林十二村社区_验收自评价报告.pdf")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf)
    assert "田林十二村社区验收自评价报告" in text
    # The task's row (its cells wrap in the narrow columns): code, planned and achieved.
    row = next(line for line in text.splitlines() if line.startswith("C01"))
    assert "12.01" in row
    assert "12.50" in row
    assert TEXTS["problems"] in text
    assert cited_file(unit)[1][:12] in text


def test_no_pdf_is_explained_in_chinese_with_the_word_file_offered(
    unit: CreationUnit, applicant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", "/nonexistent/soffice")
    written(unit, applicant)
    client = signed_in(applicant)
    response = client.get(draft_url(unit, "pdf"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "无法生成PDF" in page
    assert "本服务器未安装LibreOffice" in page
    assert "Traceback" not in page
    assert draft_url(unit, "docx") in page
    assert client.get(draft_url(unit, "docx")).status_code == 200


def test_who_downloads_which_report(
    unit: CreationUnit,
    batch: Batch,
    users: dict[str, User],
    applicant: User,
    officer: User,
    admin_user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    written(unit, applicant)
    submission = submit(unit, applicant)
    do_pre_accept(
        submission,
        findings={item.id: Finding(ok=True) for item in report_rubric(unit).items()},
        recommendation="pass",
        comment="同意报市级验收。",
        deadline=None,
        actor=officer,
    )
    reviewer = make_expert(admin_user, "expert_acc", "验收专家")
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage=FINAL,
        name="验收组",
        deadline=date.today() + timedelta(days=10),
        members=[reviewer],
        actor=admin_user,
    )
    assert do_assign(panel, unit.application, reviewer, actor=admin_user).submission == submission
    people = {
        "applicant": applicant,
        "officer": officer,
        "admin": admin_user,
        "other_applicant": batch.other_applicant,
        "other_officer": batch.other_officer,
        "expert": users[Role.EXPERT],  # not assigned to anything
        "reviewer": reviewer,  # assigned to the frozen report
    }
    clients = {name: signed_in(user) for name, user in people.items()}
    clients["anonymous"] = Client()
    readers = {"applicant", "officer", "admin"}
    expected = {
        draft_url(unit): readers,
        frozen_url(submission): readers | {"reviewer"},
    }
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for url, allowed in expected.items():
            for name, client in clients.items():
                answer = client.get(url).status_code
                wanted = 302 if name == "anonymous" else 200 if name in allowed else 404
                assert answer == wanted, (url, name, answer)
    assert any("self-evaluation report document" in r.getMessage() for r in caplog.records)
    admin = clients["admin"]
    # Only GET: nothing is changed by a download.
    assert admin.post(draft_url(unit)).status_code == 405
    assert admin.post(frozen_url(submission)).status_code == 405
    # A stage the unit does not report on, an unknown format, a submission that is not a
    # report (the application the unit was selected on) or none at all: not found.
    assert admin.get(draft_url(unit, stage=Stage.MIDTERM.value)).status_code == 404
    assert admin.get(draft_url(unit, "xlsx")).status_code == 404
    assert admin.get(frozen_url(submission, "txt")).status_code == 404
    assert admin.get(frozen_url(unit.submission)).status_code == 404
    assert (
        admin.get(reverse("evaluation_documents:frozen", args=[999999, "docx"])).status_code == 404
    )
    # Another unit's people cannot reach the draft by a PDF either.
    assert clients["other_officer"].get(draft_url(unit, "pdf")).status_code == 404


def test_a_changed_indicator_system_is_said_in_chinese_not_a_server_error(
    unit: CreationUnit, applicant: User
) -> None:
    # The indicator system the unit was selected under no longer has the text it was frozen
    # with (a damaged or edited data file): the report cannot be scored under other rules.
    snapshot = unit.submission.snapshot
    snapshot["editions"]["rubric"]["sha256"] = "0" * 64
    Submission.objects.filter(pk=unit.submission.pk).update(snapshot=snapshot)
    response = signed_in(applicant).get(draft_url(unit))
    assert response.status_code == 409
    page = response.content.decode()
    assert "无法生成报告" in page
    assert "指标体系" in page
    assert "Traceback" not in page
