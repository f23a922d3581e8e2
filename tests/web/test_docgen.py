"""文件生成 (issue 6): requesting the plan as DOCX and PDF from the draft or a submission, the
background job, stale documents and the audit trail.

Data is set up through the real actions where they exist (creating an application, saving
sections, submitting); the baseline data and the self-assessment are stored with a direct
update from the bundled examples, as their pages would store them. Jobs run at once (the
immediate backend) unless a test says otherwise.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from docx import Document

from lowcarbon.rules.snapshot import snapshot_data
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.outlines import application_outline
from lowcarbon.web.applications.submission import (
    draft_snapshot,
    frozen_snapshot,
    snapshot_sha256,
)
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.documents.actions import DRAFT, current_draft_sha256, do_request_document
from lowcarbon.web.documents.models import DocumentStatus, GeneratedDocument
from lowcarbon.web.rounds.models import Round

from . import docgen_support as support
from .docgen_support import IMMEDIATE, UNIT, client_for, events, headings, read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Jobs run at once in the test's thread (a test may override this with another backend)."""
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


# --- generation ----------------------------------------------------------------------------


def test_the_plan_from_the_draft_is_made_as_docx_and_pdf(
    application: Application, applicant: User
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.progress == 100
    assert document.finished_at is not None
    assert document.submission is None
    assert document.snapshot_sha256 == current_draft_sha256(application)
    content = read(document.docx)
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert UNIT in text
    # Headings of the first level follow the outline's sections, in order, numbered 一、二、…
    outline = application_outline(application)
    top = [
        h for h in headings(content) if h[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}
    ]
    expected = [
        f"{n}、{section.title.zh}"
        for n, section in zip("一二三四五六", outline.sections, strict=False)
    ]
    assert top == expected
    # LibreOffice is installed here: the PDF is there and is a PDF.
    assert document.pdf_error == ""
    assert read(document.pdf).startswith(b"%PDF-")
    assert events("document_requested") == 1
    assert events("document_generated") == 1
    generated = AuditEvent.objects.get(action="document_generated")
    assert generated.after["snapshot_sha256"] == document.snapshot_sha256


def test_a_failed_conversion_keeps_the_docx_and_says_why(
    application: Application, applicant: User, no_pdf: str
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant)
    assert document.status == DocumentStatus.DONE
    assert read(document.docx)[:2] == b"PK"
    assert not document.pdf
    assert "LibreOffice" in document.pdf_error
    page = client_for(applicant).get(reverse("documents:list", args=[application.pk]))
    html = page.content.decode()
    assert "没有PDF" in html or "无PDF" in html, html
    assert "下载Word" in html


def test_missing_elements_are_listed_as_warnings(
    current_round: Round, applicant: User, no_pdf: str
) -> None:
    empty = do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )
    document = do_request_document(empty, source=DRAFT, actor=applicant)
    assert document.status == DocumentStatus.DONE, document.error
    assert any(w.startswith("第1.1部分：缺少") and "地理位置" in w for w in document.warnings)
    text = "\n".join(p.text for p in Document(io.BytesIO(read(document.docx))).paragraphs)
    # One placeholder per missing element (the missing baseline data shows in two sections
    # but is one warning).
    assert text.count("【待补充：") >= len(document.warnings) > 10
    assert "【待补充：地理位置" in text
    # The page lists them.
    html = client_for(applicant).get(reverse("documents:list", args=[empty.pk])).content.decode()
    assert f"{len(document.warnings)}项内容缺失" in html
    assert document.warnings[0] in html


def test_a_submission_document_uses_the_frozen_snapshot(
    submitted: Submission, application: Application, people: dict[str, User], no_pdf: str
) -> None:
    document = do_request_document(application, source=submitted.number, actor=people["officer"])
    assert document.status == DocumentStatus.DONE, document.error
    assert document.submission == submitted
    assert document.snapshot_sha256 == submitted.snapshot_sha256
    text = "\n".join(p.text for p in Document(io.BytesIO(read(document.docx))).paragraphs)
    assert "第1次提交稿" in text
    # The administrator may too.
    again = do_request_document(application, source=str(submitted.number), actor=people["admin"])
    assert again.status == DocumentStatus.DONE


def test_the_draft_snapshot_matches_the_submission_format(
    submitted: Submission, application: Application
) -> None:
    draft = draft_snapshot(application)
    frozen = frozen_snapshot(submitted)
    for key in ("format", "application", "editions", "sections", "accounting", "answers"):
        assert getattr(draft, key) == getattr(frozen, key), key
    assert draft.number is None
    assert draft.submitted_by is None
    assert draft.score == frozen.score
    assert draft.accounting_result == frozen.accounting_result
    assert set(snapshot_data(draft)) == set(submitted.snapshot)
    # Nothing depends on the time: the same contents, the same hash.
    assert snapshot_sha256(draft_snapshot(application)) == snapshot_sha256(draft)


@pytest.mark.parametrize(
    ("who", "source", "allowed"),
    [
        ("own", "draft", True),
        ("own", 1, True),
        ("other_unit", "draft", False),
        ("other_unit", 1, False),
        ("officer", "draft", False),
        ("officer", 1, True),
        ("other_district", 1, False),
        ("expert", 1, False),
        ("admin", "draft", False),
        ("admin", 1, True),
    ],
)
def test_who_may_request_a_document(
    submitted: Submission,
    application: Application,
    people: dict[str, User],
    who: str,
    source: str | int,
    allowed: bool,
    no_pdf: str,
) -> None:
    if allowed:
        document = do_request_document(application, source=source, actor=people[who])
        assert document.status == DocumentStatus.DONE
    else:
        with pytest.raises(ValidationError):
            do_request_document(application, source=source, actor=people[who])
        assert GeneratedDocument.objects.count() == 0
        assert events("document_requested") == 0


def test_an_unknown_source_is_refused_naming_it(application: Application, applicant: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=7, actor=applicant)
    assert "7" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        do_request_document(application, source="latest", actor=applicant)
    assert GeneratedDocument.objects.count() == 0


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_second_request_while_one_is_queued_is_refused(
    application: Application, applicant: User
) -> None:
    first = do_request_document(application, source=DRAFT, actor=applicant)
    assert first.status == DocumentStatus.QUEUED
    assert first.task_id
    with pytest.raises(ValidationError) as refused:
        do_request_document(application, source=DRAFT, actor=applicant)
    assert refused.value.code == "busy"
    assert "正在生成" in " ".join(refused.value.messages)
    assert GeneratedDocument.objects.count() == 1


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_the_database_backend_queues_the_job_and_one_worker_iteration_runs_it(
    application: Application, applicant: User, no_pdf: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    document = do_request_document(application, source=DRAFT, actor=applicant)
    assert document.status == DocumentStatus.QUEUED
    assert document.step == "waiting"
    queued = DBTaskResult.objects.get()
    assert str(queued.id) == document.task_id
    # The test's transaction must survive the worker's connection housekeeping.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    assert read(document.docx)[:2] == b"PK"
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


def test_a_job_is_run_once_only(application: Application, applicant: User, no_pdf: str) -> None:
    from lowcarbon.web.documents.tasks import run_generation

    document = do_request_document(application, source=DRAFT, actor=applicant)
    assert run_generation(document.pk) == "skipped"
    assert events("document_generated") == 1


def test_an_unusable_snapshot_fails_the_job_with_the_reason(
    submitted: Submission, application: Application, applicant: User, no_pdf: str
) -> None:
    Submission.objects.filter(pk=submitted.pk).update(snapshot_sha256="0" * 64)
    document = do_request_document(application, source=1, actor=applicant)
    assert document.status == DocumentStatus.FAILED
    assert "SHA-256" in document.error
    assert not document.docx
    assert events("document_failed") == 1


# --- stale ---------------------------------------------------------------------------------


def test_a_draft_document_becomes_stale_when_the_draft_changes(
    submitted: Submission, application: Application, applicant: User, no_pdf: str
) -> None:
    Application.objects.filter(pk=application.pk).update(status="draft")
    application.refresh_from_db()
    from_draft = do_request_document(application, source=DRAFT, actor=applicant)
    from_submission = do_request_document(application, source=1, actor=applicant)
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
    assert "生成此文件后草稿已有改动；如需包含最新内容，请重新生成。" in html
    stale_cards = [
        part
        for part in html.split('<li class="document ')[1:]
        if part.startswith("status-done stale")
    ]
    assert len(stale_cards) == 1
    assert f'data-document="{from_draft.pk}"' in stale_cards[0]
    assert f'data-document="{from_submission.pk}"' not in stale_cards[0]
