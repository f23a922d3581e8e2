"""文件生成 pages: who sees and downloads what, the status endpoint, the request form, and the
administrator's Word templates (upload checked by rendering, refusal naming the field, going
back to the bundled default), with their audit events."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from docx import Document

from lowcarbon.documents.word import build_template
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.documents.actions import (
    DRAFT,
    do_request_document,
    do_reset_template,
    do_upload_template,
)
from lowcarbon.web.documents.models import DocumentStatus, DocumentTemplate, GeneratedDocument
from lowcarbon.web.documents.templates_in_use import active_template
from lowcarbon.web.rounds.models import Round

from . import docgen_support as support
from .docgen_support import IMMEDIATE, UNIT, client_for, events

pytestmark = pytest.mark.django_db

WHO = ("own", "other_unit", "officer", "other_district", "expert", "admin", None)
SEES = {"own", "officer", "admin"}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
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


@pytest.fixture
def made(application: Application, applicant: User) -> GeneratedDocument:
    return do_request_document(application, source=DRAFT, actor=applicant)


def template_bytes(extra: str = "", *, body: bool = True) -> bytes:
    """The bundled template, optionally with an extra paragraph or without the body field."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.docx"
        build_template(path, lambda text: text)
        document = Document(str(path))
    if extra:
        document.add_paragraph(extra)
    if not body:
        for paragraph in document.paragraphs:
            if "{{ body }}" in paragraph.text:
                paragraph.text = "正文"
    document.save(buffer)
    return buffer.getvalue()


# --- permissions over every view -----------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_who_sees_the_documents_tab_and_its_status(
    made: GeneratedDocument, application: Application, people: dict[str, User], who: str | None
) -> None:
    client = client_for(people[who] if who else None)
    for name in ("documents:list", "documents:status"):
        response = client.get(reverse(name, args=[application.pk]))
        if who is None:
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif who in SEES:
            assert response.status_code == 200
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("who", WHO)
def test_who_downloads_a_document(
    made: GeneratedDocument, application: Application, people: dict[str, User], who: str | None
) -> None:
    url = reverse("documents:download", args=[application.pk, made.pk, "docx"])
    response = client_for(people[who] if who else None).get(url)
    if who is None:
        assert response.status_code == 302
    elif who in SEES:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88" in response["Content-Disposition"]  # 实施方案
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
        assert UNIT in text
    else:
        assert response.status_code == 404


def test_a_missing_file_or_another_applications_document_is_not_found(
    made: GeneratedDocument, application: Application, applicant: User
) -> None:
    client = client_for(applicant)
    # No PDF was made (the converter is missing in these tests).
    assert (
        client.get(reverse("documents:download", args=[application.pk, made.pk, "pdf"])).status_code
        == 404
    )
    assert (
        client.get(reverse("documents:download", args=[application.pk, made.pk, "exe"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("documents:download", args=[application.pk, made.pk + 99, "docx"])
        ).status_code
        == 404
    )


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
def test_who_may_ask_for_a_document_on_the_page(
    submitted: Submission,
    application: Application,
    people: dict[str, User],
    who: str | None,
    source: str,
    expected: int,
) -> None:
    client = client_for(people[who] if who else None)
    response = client.post(reverse("documents:request", args=[application.pk]), {"source": source})
    assert response.status_code == expected
    if who is None:
        assert "/accounts/login/" in response["Location"]
        assert GeneratedDocument.objects.count() == 0
    elif expected == 302:
        assert response["Location"] == reverse("documents:list", args=[application.pk])
        document = GeneratedDocument.objects.get()
        assert document.status == DocumentStatus.DONE
        assert document.requested_by == people[who]
    elif expected == 400:
        assert "只有申报单位本单位人员可以依据草稿生成文件" in response.content.decode()
        assert GeneratedDocument.objects.count() == 0
    else:
        assert GeneratedDocument.objects.count() == 0


def test_the_buttons_offered_follow_the_permissions(
    submitted: Submission, application: Application, people: dict[str, User]
) -> None:
    url = reverse("documents:list", args=[application.pk])
    own = client_for(people["own"]).get(url).content.decode()
    assert "从当前草稿生成实施方案" in own
    assert "从第1次提交稿生成实施方案" in own
    assert "管理Word模板" not in own
    officer = client_for(people["officer"]).get(url).content.decode()
    assert "从当前草稿生成实施方案" not in officer
    assert "从第1次提交稿生成实施方案" in officer
    admin = client_for(people["admin"]).get(url).content.decode()
    assert "管理Word模板" in admin
    # The tab is on every workspace page.
    workspace = client_for(people["own"]).get(
        reverse("applications:workspace", args=[application.pk])
    )
    assert url in workspace.content.decode()
    assert "文件生成" in workspace.content.decode()


def test_a_get_cannot_request_a_document(application: Application, applicant: User) -> None:
    response = client_for(applicant).get(reverse("documents:request", args=[application.pk]))
    assert response.status_code == 405


def test_the_page_lists_the_document_newest_first_with_its_hash_and_links(
    application: Application, applicant: User
) -> None:
    first = do_request_document(application, source=DRAFT, actor=applicant)
    second = do_request_document(application, source=DRAFT, actor=applicant)
    html = client_for(applicant).get(reverse("documents:list", args=[application.pk])).content
    text = html.decode()
    assert text.index(f'data-document="{second.pk}"') < text.index(f'data-document="{first.pk}"')
    assert first.snapshot_sha256 in text
    assert reverse("documents:download", args=[application.pk, first.pk, "docx"]) in text
    assert "下载Word（DOCX）" in text
    assert "没有PDF：本服务器未安装LibreOffice" in text
    assert "内置默认模板" in text
    assert "刷新页面查看进度" not in text  # nothing in progress


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_queued_document_shows_its_progress_and_a_refresh_link(
    application: Application, applicant: User
) -> None:
    document = do_request_document(application, source=DRAFT, actor=applicant)
    client = client_for(applicant)
    html = client.get(reverse("documents:list", args=[application.pk])).content.decode()
    assert "排队中" in html
    assert "等待后台任务处理" in html
    assert 'data-active="1"' in html
    assert "刷新页面查看进度" in html
    status = json.loads(client.get(reverse("documents:status", args=[application.pk])).content)
    assert status["documents"] == [
        {
            "id": document.pk,
            "kind": "plan",
            "year": None,
            "title": "实施方案",
            "status": "queued",
            "status_label": "排队中",
            "progress": 0,
            "step": "等待后台任务处理",
            "active": True,
            "files": {},
        }
    ]
    # A second request from the page is refused while this one waits.
    response = client.post(reverse("documents:request", args=[application.pk]), {"source": DRAFT})
    assert response.status_code == 400
    assert "该文件正在生成中" in response.content.decode()


def test_the_status_of_a_finished_document_gives_its_files(
    made: GeneratedDocument, application: Application, applicant: User
) -> None:
    status = json.loads(
        client_for(applicant).get(reverse("documents:status", args=[application.pk])).content
    )
    (entry,) = status["documents"]
    assert entry["status"] == "done"
    assert entry["progress"] == 100
    assert entry["active"] is False
    assert entry["files"] == {
        "docx": reverse("documents:download", args=[application.pk, made.pk, "docx"])
    }


def test_a_failed_document_shows_why(
    submitted: Submission, application: Application, applicant: User
) -> None:
    Submission.objects.filter(pk=submitted.pk).update(snapshot_sha256="f" * 64)
    client = client_for(applicant)
    client.post(reverse("documents:request", args=[application.pk]), {"source": "1"})
    html = client.get(reverse("documents:list", args=[application.pk])).content.decode()
    assert "失败" in html
    assert "第1次提交稿保存的快照与其记录的SHA-256校验值不符" in html


# --- templates -----------------------------------------------------------------------------

TEMPLATE_VIEWS = ("documents:templates",)


@pytest.mark.parametrize("who", WHO)
def test_only_the_administrator_reaches_the_templates(
    people: dict[str, User], who: str | None
) -> None:
    client = client_for(people[who] if who else None)
    urls = [
        reverse("documents:templates"),
        reverse("documents:template_default", args=["community", "2021"]),
    ]
    for url in urls:
        response = client.get(url)
        if who is None:
            assert response.status_code == 302
        elif who == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 404
    reset = client.post(reverse("documents:template_reset"), {"outline": "community/2021"})
    assert reset.status_code == (302 if who in (None, "admin") else 404)
    upload = client.post(
        reverse("documents:templates"),
        {"outline": "community/2021", "file": SimpleUploadedFile("t.docx", template_bytes())},
    )
    assert upload.status_code == (302 if who in (None, "admin") else 404)
    assert DocumentTemplate.objects.filter(retired_at__isnull=True).count() == (
        1 if who == "admin" else 0
    )


def test_the_bundled_default_can_be_downloaded_and_is_a_template(admin_user: User) -> None:
    response = client_for(admin_user).get(
        reverse("documents:template_default", args=["zone", "2021"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "{{ body }}" in text
    assert (
        client_for(admin_user)
        .get(reverse("documents:template_default", args=["zone", "1999"]))
        .status_code
        == 404
    )


def test_an_uploaded_template_is_used_for_the_documents_of_its_edition(
    application: Application, applicant: User, admin_user: User
) -> None:
    content = template_bytes("由本局统一制作：{{ unit_name }}")
    response = client_for(admin_user).post(
        reverse("documents:templates"),
        {"outline": "community/2021", "file": SimpleUploadedFile("社区模板.docx", content)},
    )
    assert response.status_code == 302
    template = active_template("community", "2021")
    assert template is not None
    assert template.original_name == "社区模板.docx"
    assert active_template("zone", "2021") is None
    assert events("document_template_uploaded") == 1
    page = client_for(admin_user).get(reverse("documents:templates")).content.decode()
    assert "正在使用：" in page
    assert "社区模板.docx" in page
    document = do_request_document(application, source=DRAFT, actor=applicant)
    assert document.template == template
    assert document.template_sha256 == template.sha256
    with document.docx.open("rb") as handle:
        text = "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)
    assert f"由本局统一制作：{UNIT}" in text
    html = client_for(applicant).get(reverse("documents:list", args=[application.pk])).content
    assert "社区模板.docx" in html.decode()


def test_a_template_with_an_unknown_field_is_refused_naming_it(admin_user: User) -> None:
    response = client_for(admin_user).post(
        reverse("documents:templates"),
        {
            "outline": "community/2021",
            "file": SimpleUploadedFile("坏模板.docx", template_bytes("{{ seal_owner }}")),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "坏模板.docx" in html
    assert "{{ seal_owner }}" in html
    assert "未保存任何内容" in html
    assert DocumentTemplate.objects.count() == 0
    assert events("document_template_uploaded") == 0


def test_a_template_without_the_body_field_is_refused(admin_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_upload_template(
            kind="community",
            edition="2021",
            content=template_bytes(body=False),
            name="无正文.docx",
            actor=admin_user,
        )
    assert "{{ body }}" in " ".join(refused.value.message_dict["file"])
    assert DocumentTemplate.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (b"%PDF-1.4 not a template", "PDF"),
        (b"just some text, renamed", "不是Word文件"),
        (b"", "文件为空"),
    ],
)
def test_a_file_that_is_not_a_word_document_is_refused_by_content(
    admin_user: User, content: bytes, found: str
) -> None:
    response = client_for(admin_user).post(
        reverse("documents:templates"),
        {"outline": "community/2021", "file": SimpleUploadedFile("模板.docx", content)},
    )
    assert response.status_code == 400
    assert found in response.content.decode()
    assert DocumentTemplate.objects.count() == 0


def test_an_excel_file_named_docx_is_refused(admin_user: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError) as refused:
        do_upload_template(
            kind="community",
            edition="2021",
            content=buffer.getvalue(),
            name="表.docx",
            actor=admin_user,
        )
    assert "XLSX" in " ".join(refused.value.message_dict["file"])


def test_an_unknown_edition_and_a_non_administrator_are_refused(
    admin_user: User, applicant: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_upload_template(
            kind="community",
            edition="1999",
            content=template_bytes(),
            name="t.docx",
            actor=admin_user,
        )
    assert "1999" in " ".join(refused.value.message_dict["edition"])
    with pytest.raises(ValidationError):
        do_upload_template(
            kind="community",
            edition="2021",
            content=template_bytes(),
            name="t.docx",
            actor=applicant,
        )
    assert DocumentTemplate.objects.count() == 0


def test_a_new_upload_retires_the_previous_and_going_back_uses_the_default(
    admin_user: User,
) -> None:
    first = do_upload_template(
        kind="zone", edition="2021", content=template_bytes(), name="一.docx", actor=admin_user
    )
    second = do_upload_template(
        kind="zone",
        edition="2021",
        content=template_bytes("第二版"),
        name="二.docx",
        actor=admin_user,
    )
    first.refresh_from_db()
    assert first.retired_at is not None
    assert active_template("zone", "2021") == second
    client = client_for(admin_user)
    response = client.post(reverse("documents:template_reset"), {"outline": "zone/2021"})
    assert response.status_code == 302
    assert active_template("zone", "2021") is None
    assert events("document_template_reset") == 1
    page = client.get(reverse("documents:templates")).content.decode()
    assert "以往模板" in page
    assert "一.docx" in page
    assert "二.docx" in page
    with pytest.raises(ValidationError) as refused:
        do_reset_template(kind="zone", edition="2021", actor=admin_user)
    assert "已在使用内置默认模板" in " ".join(refused.value.messages)
    assert events("document_template_reset") == 1
    # Both kept for the documents that name them; each downloadable by the administrator.
    download = client.get(reverse("documents:template_download", args=[first.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _stored(first)  # type: ignore[attr-defined]


def _stored(template: DocumentTemplate) -> bytes:
    with template.file.open("rb") as handle:
        return bytes(handle.read())
