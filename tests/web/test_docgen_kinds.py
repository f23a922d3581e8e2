"""文件生成: the task list (任务清单) and the annual work plan (年度工作计划) of a chosen year, made
from the draft or a submission by the same background job as the plan.

Each test opens the files it gets: the spreadsheet's header row and title, the Word file's
title with the unit's name (and the year), the PDF's first bytes. Data is set up as in
``test_docgen.py`` (``docgen_support``): the example community's baseline data has the base year
2023 and targets for 2025 and 2027, so the forecast covers 2023–2027.
"""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.documents.actions import (
    DRAFT,
    do_request_document,
    do_upload_template,
    work_plan_years,
)
from lowcarbon.web.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from lowcarbon.web.rounds.models import Round

from . import docgen_support as support
from .docgen_support import IMMEDIATE, UNIT, client_for, events, read

pytestmark = pytest.mark.django_db

TASK_LIST = DocumentKind.TASK_LIST.value
WORK_PLAN = DocumentKind.WORK_PLAN.value

# The task list's columns (the bureau's circulated layout, lowcarbon.documents.task_list).
TASK_LIST_HEADER = [
    "序号",
    "领域",
    "任务/项目名称",
    "主要内容",
    "责任单位",
    "完成时限",
    "预期减排量（tCO₂/年）",
    "是否重点项目/近零碳示范",
]


def work_plan_header(year: int) -> list[str]:
    return [
        "序号",
        "领域",
        "任务/项目名称",
        "年度工作内容",
        "责任单位",
        "完成时限",
        f"{year}年减排量（tCO₂）",
        "是否重点项目/近零碳示范",
    ]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture
def no_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return support.no_pdf(monkeypatch, tmp_path)


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return support.make_round(admin_user)


@pytest.fixture
def application(current_round: Round, applicant: User) -> Application:
    return support.make_application(current_round, applicant)


@pytest.fixture
def submitted(application: Application, applicant: User) -> Submission:
    return support.submit(application, applicant)


@pytest.fixture
def people(users: dict[str, User], admin_user: User) -> dict[str, User]:
    return support.make_people(users, admin_user)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def sheet_with(book: Any, header: list[str]) -> Any:
    """The worksheet whose header row (row 3) is ``header``."""
    for sheet in book.worksheets:
        if [c.value for c in sheet[3]][: len(header)] == header:
            return sheet
    raise AssertionError([[c.value for c in s[3]] for s in book.worksheets])


# --- generation, with the files opened -----------------------------------------------------


def test_the_task_list_from_the_draft_is_made_as_xlsx_docx_and_pdf(
    application: Application, applicant: User
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant, kind=TASK_LIST)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.kind == TASK_LIST
    assert document.year is None
    book = workbook(read(document.xlsx))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[3]] == TASK_LIST_HEADER
    assert sheet["A1"].value.startswith(f"{UNIT}低碳发展任务清单")
    assert "草稿（未提交）" in sheet["A2"].value
    # The example's tasks are listed: a numbered row names one of them.
    names = [row[2].value for row in sheet.iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert names, "no task listed"
    text = docx_text(read(document.docx))
    assert f"{UNIT}低碳发展任务清单" in text
    assert "草稿（未提交）" in text
    assert names[0] in text
    # LibreOffice is installed here: the PDF is there and is a PDF.
    assert document.pdf_error == ""
    assert read(document.pdf).startswith(b"%PDF-")
    generated = AuditEvent.objects.get(action="document_generated")
    assert generated.after["kind"] == TASK_LIST
    assert generated.after["xlsx"] is True
    assert generated.after["snapshot_sha256"] == document.snapshot_sha256
    requested = AuditEvent.objects.get(action="document_requested")
    assert requested.after["kind"] == TASK_LIST
    assert requested.after["year"] is None


def test_the_work_plan_from_the_draft_is_made_for_the_chosen_year(
    application: Application, applicant: User
) -> None:
    document = do_request_document(
        application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year="2026"
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.year == 2026
    text = docx_text(read(document.docx))
    assert f"{UNIT}2026年度低碳发展工作计划" in text
    # Within the forecast: the year's expected reduction is there, not a placeholder for it.
    assert "规划情景预测中没有2026年" not in text
    assert "2026年减排量（tCO₂）" in text
    book = workbook(read(document.xlsx))
    sheet = sheet_with(book, work_plan_header(2026))
    assert sheet["A1"].value.startswith(f"{UNIT}2026年度低碳发展工作计划")
    assert read(document.pdf).startswith(b"%PDF-")
    assert not any("规划情景预测中没有" in w for w in document.warnings)
    generated = AuditEvent.objects.get(action="document_generated")
    assert generated.after["year"] == 2026
    assert AuditEvent.objects.get(action="document_requested").after["year"] == 2026


@pytest.mark.parametrize("kind", [TASK_LIST, WORK_PLAN])
def test_each_kind_from_a_submission_uses_the_frozen_snapshot(
    submitted: Submission,
    application: Application,
    people: dict[str, User],
    kind: str,
    no_pdf: str,
) -> None:
    # The draft changes after submission: the submission's document must not show it.
    Application.objects.filter(pk=application.pk).update(status="draft")
    application.refresh_from_db()
    do_save_section(
        application,
        "1.1",
        {"geographic_location": "提交后修改的地理位置。"},
        expected_version=application.version,
        actor=people["own"],
    )
    year = 2027 if kind == WORK_PLAN else None
    document = do_request_document(
        application, source=submitted.number, actor=people["officer"], kind=kind, year=year
    )
    assert document.status == DocumentStatus.DONE, document.error
    assert document.submission == submitted
    assert document.snapshot_sha256 == submitted.snapshot_sha256
    text = docx_text(read(document.docx))
    title = f"{UNIT}2027年度低碳发展工作计划" if kind == WORK_PLAN else f"{UNIT}低碳发展任务清单"
    assert title in text
    assert "第1次提交稿" in text
    assert "提交后修改" not in text
    sheet = workbook(read(document.xlsx)).worksheets[0]
    assert "第1次提交稿" in sheet["A2"].value
    header = work_plan_header(2027) if kind == WORK_PLAN else TASK_LIST_HEADER
    sheet_with(workbook(read(document.xlsx)), header)


@pytest.mark.parametrize("kind", [TASK_LIST, WORK_PLAN])
def test_a_failed_conversion_keeps_the_docx_and_the_xlsx(
    application: Application, applicant: User, kind: str, no_pdf: str
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant, kind=kind, year=2027)
    assert document.status == DocumentStatus.DONE
    assert read(document.docx)[:2] == b"PK"
    assert read(document.xlsx)[:2] == b"PK"
    assert not document.pdf
    assert "LibreOffice" in document.pdf_error
    html = client_for(applicant).get(reverse("documents:list", args=[application.pk])).content
    text = html.decode()
    assert "没有PDF：" in text
    assert "下载Word（DOCX）" in text
    assert "下载Excel（XLSX）" in text
    assert reverse("documents:download", args=[application.pk, document.pk, "xlsx"]) in text
    assert reverse("documents:download", args=[application.pk, document.pk, "pdf"]) not in text


def test_the_plan_has_no_spreadsheet_and_ignores_a_year(
    application: Application, applicant: User, no_pdf: str
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant, year="abc")
    assert document.status == DocumentStatus.DONE
    assert document.year is None
    assert not document.xlsx


def test_a_year_outside_the_forecast_is_accepted_with_its_placeholder(
    application: Application, applicant: User, no_pdf: str
) -> None:
    document = do_request_document(
        application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2035
    )
    assert document.status == DocumentStatus.DONE, document.error
    assert any("规划情景预测中没有2035年" in w for w in document.warnings), document.warnings
    text = docx_text(read(document.docx))
    assert f"{UNIT}2035年度低碳发展工作计划" in text
    assert "【待补充：规划情景预测中没有2035年" in text
    html = client_for(applicant).get(reverse("documents:list", args=[application.pk])).content
    assert "项需核对" in html.decode()
    assert "规划情景预测中没有2035年" in html.decode()


def test_the_work_plan_uses_the_uploaded_template(
    application: Application, applicant: User, admin_user: User, no_pdf: str
) -> None:
    from .test_docgen_views import template_bytes

    template = do_upload_template(
        kind="community",
        edition=application.outline_edition,
        content=template_bytes("由本局统一制作：{{ unit_name }}"),
        name="局模板.docx",
        actor=admin_user,
    )
    for kind in (TASK_LIST, WORK_PLAN):
        document = do_request_document(
            application, source=DRAFT, actor=applicant, kind=kind, year=2026
        )
        assert document.template == template
        assert f"由本局统一制作：{UNIT}" in docx_text(read(document.docx))


# --- the years offered ---------------------------------------------------------------------


def test_the_years_offered_run_from_after_the_base_year_to_the_last_target_year(
    application: Application, applicant: User
) -> None:
    next_year = timezone.localdate().year + 1
    assert work_plan_years(application) == ([2024, 2025, 2026, 2027], next_year)
    html = client_for(applicant).get(reverse("documents:list", args=[application.pk])).content
    text = html.decode()
    datalist = re.search(r'<datalist id="work-plan-years">(.*?)</datalist>', text, re.S)
    assert datalist is not None
    assert re.findall(r'value="(\d+)"', datalist.group(1)) == ["2024", "2025", "2026", "2027"]
    field = re.search(r'<input type="number" id="work-plan-year"[^>]*>', text)
    assert field is not None
    assert f'value="{next_year}"' in field.group(0)
    assert 'min="2000"' in field.group(0)
    assert 'max="2100"' in field.group(0)
    assert "规划预测覆盖2024—2027年" in text


def test_without_baseline_data_no_year_is_suggested_and_the_page_says_why(
    current_round: Round, applicant: User
) -> None:
    empty = do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )
    assert work_plan_years(empty) == ([], timezone.localdate().year + 1)
    text = client_for(applicant).get(reverse("documents:list", args=[empty.pk])).content.decode()
    assert "尚未填报基础数据" in text
    assert "<datalist" not in text


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("二〇二七", "计划年度“二〇二七”不是数字；请用阿拉伯数字填写年份，例如2027。"),
        ("2027.5", "计划年度“2027.5”不是数字"),
        ("1999", "计划年度1999不在2000—2100年范围内"),
        ("2101", "计划年度2101不在2000—2100年范围内"),
        ("", "请填写年度工作计划的年份，例如2027。"),
        (None, "请填写年度工作计划的年份，例如2027。"),
    ],
)
def test_a_bad_year_is_refused_naming_the_value(
    application: Application, applicant: User, year: str | None, expected: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=year)
    assert expected in " ".join(refused.value.message_dict["year"])
    assert GeneratedDocument.objects.count() == 0
    assert events("document_requested") == 0


def test_an_unknown_kind_is_refused_naming_it(application: Application, applicant: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=DRAFT, actor=applicant, kind="memo")
    assert refused.value.message_dict["kind"] == [
        "没有“memo”这种文件；请选择实施方案、任务清单或年度工作计划。"
    ]
    assert GeneratedDocument.objects.count() == 0


def test_a_bad_year_and_an_unknown_submission_are_both_named(
    application: Application, applicant: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=5, actor=applicant, kind=WORK_PLAN, year="x")
    assert set(refused.value.message_dict) == {"year", "source"}


def test_the_page_refuses_a_bad_year_in_chinese_and_keeps_what_was_typed(
    application: Application, applicant: User
) -> None:
    client = client_for(applicant)
    response = client.post(
        reverse("documents:request", args=[application.pk]),
        {"kind": WORK_PLAN, "source": DRAFT, "year": "2O27"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "计划年度“2O27”不是数字；请用阿拉伯数字填写年份，例如2027。" in text
    field = re.search(r'<input type="number" id="work-plan-year"[^>]*>', text)
    assert field is not None
    assert 'value="2O27"' in field.group(0)
    assert GeneratedDocument.objects.count() == 0
    unknown = client.post(
        reverse("documents:request", args=[application.pk]), {"kind": "memo", "source": DRAFT}
    )
    assert unknown.status_code == 400
    assert "没有“memo”这种文件" in unknown.content.decode()


def test_a_work_plan_of_each_year_is_one_document_of_the_model(
    application: Application, applicant: User
) -> None:
    # The database holds the rule too: a work plan has a year, the other kinds none.
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(
            application=application, kind=WORK_PLAN, requested_by=applicant
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedDocument.objects.create(
            application=application, kind=TASK_LIST, year=2027, requested_by=applicant
        )


# --- the page: requesting, downloading, permissions ----------------------------------------


@pytest.mark.parametrize(
    ("who", "source", "expected"),
    [
        ("own", DRAFT, 302),
        ("own", "1", 302),
        ("officer", DRAFT, 400),
        ("officer", "1", 302),
        ("admin", DRAFT, 400),
        ("admin", "1", 302),
        ("other_unit", "1", 404),
        ("other_district", "1", 404),
        ("expert", "1", 404),
        (None, "1", 302),
    ],
)
@pytest.mark.parametrize("kind", [TASK_LIST, WORK_PLAN])
def test_who_may_ask_for_a_task_list_or_a_work_plan(
    submitted: Submission,
    application: Application,
    people: dict[str, User],
    who: str | None,
    source: str,
    expected: int,
    kind: str,
    no_pdf: str,
) -> None:
    client = client_for(people[who] if who else None)
    response = client.post(
        reverse("documents:request", args=[application.pk]),
        # Even with a bad year, a refusal for the person comes first.
        {"kind": kind, "source": source, "year": "2027" if expected != 400 else "abc"},
    )
    assert response.status_code == expected
    if who is None:
        assert "/accounts/login/" in response["Location"]
        assert GeneratedDocument.objects.count() == 0
    elif expected == 302:
        document = GeneratedDocument.objects.get()
        assert document.kind == kind
        assert document.year == (2027 if kind == WORK_PLAN else None)
        assert document.status == DocumentStatus.DONE
        assert document.requested_by == people[who]
    elif expected == 400:
        assert "只有申报单位本单位人员可以依据草稿生成文件" in response.content.decode()
        assert GeneratedDocument.objects.count() == 0
    else:
        assert GeneratedDocument.objects.count() == 0


WHO = ("own", "other_unit", "officer", "other_district", "expert", "admin", None)
SEES = {"own", "officer", "admin"}


@pytest.mark.parametrize("who", WHO)
def test_who_downloads_the_spreadsheet_of_a_work_plan(
    application: Application, applicant: User, people: dict[str, User], who: str | None, no_pdf: str
) -> None:
    document = do_request_document(
        application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2026
    )
    url = reverse("documents:download", args=[application.pk, document.pk, "xlsx"])
    response = client_for(people[who] if who else None).get(url)
    if who is None:
        assert response.status_code == 302
    elif who in SEES:
        assert response.status_code == 200
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = urllib.parse.quote(f"{UNIT}2026年度工作计划（草稿）.xlsx")
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        sheet_with(workbook(content), work_plan_header(2026))
    else:
        assert response.status_code == 404


def test_the_task_list_downloads_are_named_by_their_kind(
    submitted: Submission, application: Application, applicant: User, no_pdf: str
) -> None:
    document = do_request_document(application, source=1, actor=applicant, kind=TASK_LIST)
    client = client_for(applicant)
    for fmt in ("xlsx", "docx"):
        response = client.get(
            reverse("documents:download", args=[application.pk, document.pk, fmt])
        )
        assert response.status_code == 200
        name = urllib.parse.quote(f"{UNIT}任务清单（第1次提交稿）.{fmt}")
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert content == read(getattr(document, fmt))


def test_the_list_shows_the_kind_and_the_year(
    submitted: Submission, application: Application, applicant: User, no_pdf: str
) -> None:
    do_request_document(application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2025)
    do_request_document(application, source=1, actor=applicant, kind=TASK_LIST)
    client = client_for(applicant)
    text = client.get(reverse("documents:list", args=[application.pk])).content.decode()
    titles = re.findall(r"<h3>([^<]*?)\s*<span class=\"state\">", text)
    assert [t.strip() for t in titles] == ["任务清单 · 第1次提交稿", "2025年度工作计划 · 草稿"]
    assert "从当前草稿生成任务清单" in text
    assert "从第1次提交稿生成年度工作计划" in text
    assert "任务清单和年度工作计划的Word文件使用同一模板" in text
    status = json.loads(client.get(reverse("documents:status", args=[application.pk])).content)
    assert [(d["kind"], d["year"], d["title"]) for d in status["documents"]] == [
        (TASK_LIST, None, "任务清单"),
        (WORK_PLAN, 2025, "2025年度工作计划"),
    ]
    assert set(status["documents"][0]["files"]) == {"docx", "xlsx"}


def test_the_officer_is_offered_only_the_submissions(
    submitted: Submission, application: Application, people: dict[str, User]
) -> None:
    text = (
        client_for(people["officer"])
        .get(reverse("documents:list", args=[application.pk]))
        .content.decode()
    )
    assert "从当前草稿生成任务清单" not in text
    assert "从当前草稿生成年度工作计划" not in text
    assert "从第1次提交稿生成任务清单" in text
    assert "从第1次提交稿生成年度工作计划" in text


# --- one job at a time per document; staleness ---------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_work_plan_of_a_year_in_progress_refuses_the_same_year_only(
    application: Application, applicant: User
) -> None:
    first = do_request_document(
        application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2026
    )
    assert first.status == DocumentStatus.QUEUED
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2026)
    assert refused.value.code == "busy"
    # Another year, the task list and the plan are other documents.
    do_request_document(application, source=DRAFT, actor=applicant, kind=WORK_PLAN, year=2027)
    do_request_document(application, source=DRAFT, actor=applicant, kind=TASK_LIST)
    do_request_document(application, source=DRAFT, actor=applicant)
    assert GeneratedDocument.objects.count() == 4
    assert events("document_requested") == 4


def test_a_draft_task_list_becomes_stale_when_the_draft_changes(
    application: Application, applicant: User, no_pdf: str
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant, kind=TASK_LIST)
    url = reverse("documents:list", args=[application.pk])
    client = client_for(applicant)
    assert "stale-tag" not in client.get(url).content.decode()
    do_save_section(
        application,
        "1.1",
        {"geographic_location": "位于徐汇区西南部，已修改。"},
        expected_version=application.version,
        actor=applicant,
    )
    html = client.get(url).content.decode()
    assert html.count('class="tag stale-tag"') == 1
    card = html.split(f'data-document="{document.pk}"')[0].rsplit("<li", 1)[1]
    assert "stale" in card


def test_after_submission_the_draft_is_frozen_but_documents_can_still_be_made(
    submitted: Submission, application: Application, applicant: User, no_pdf: str
) -> None:
    # The application is submitted (frozen for editing): making documents changes no data.
    application.refresh_from_db()
    assert application.status == "submitted"
    version = application.version
    document = do_request_document(
        application, source=1, actor=applicant, kind=WORK_PLAN, year=2027
    )
    assert document.status == DocumentStatus.DONE
    application.refresh_from_db()
    assert application.version == version
