"""Evidence files: type by content, size, duplicates, numbering, download, removal."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.assessment import (
    do_attach_evidence,
    do_remove_evidence,
    do_save_answer,
    running_total,
)
from lowcarbon.web.applications.evidence import EvidenceRejected, sniff
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.rounds.models import Round

from .assessment_support import (
    docx_bytes,
    exe_bytes,
    geojson_bytes,
    jpeg_bytes,
    make_application,
    make_round,
    pdf_bytes,
    png_bytes,
    pptx_bytes,
    signed_in,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return make_round(admin_user)


@pytest.fixture
def community(current_round: Round, applicant: User) -> Application:
    return make_application(current_round, applicant, "community")


def _attach(
    application: Application, name: str, content: bytes, user: User, title: str = "材料"
) -> Evidence:
    return do_attach_evidence(
        application, upload(name, content), title=title, items=["1"], actor=user
    )


def _file_error(refused: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(refused.value.message_dict["file"])


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("工作小组.pdf", pdf_bytes, "pdf"),
        ("考核办法.docx", docx_bytes, "docx"),
        ("活动台账.xlsx", xlsx_bytes, "xlsx"),
        ("汇报.pptx", pptx_bytes, "pptx"),
        ("宣传栏.png", png_bytes, "png"),
        ("现场照片.JPG", jpeg_bytes, "jpeg"),
        ("边界.geojson", geojson_bytes, "geojson"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(
    community: Application, applicant: User, name: str, make: Callable[[], bytes], kind: str
) -> None:
    content = make()
    evidence = _attach(community, name, content, applicant)
    assert (evidence.code, evidence.content_kind, evidence.size) == ("E01", kind, len(content))
    assert evidence.original_name == name
    assert evidence.file.name == f"evidence/{community.pk}/{evidence.sha256}"
    with evidence.file.open("rb") as stored:
        assert stored.read() == content
    event = AuditEvent.objects.get(action="evidence_attached")
    assert event.after is not None
    assert event.after["code"] == "E01"


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        (
            "考核办法.docx",
            pdf_bytes,
            "文件名“考核办法.docx”表明是Word文档（.docx）（.docx），但文件内容是PDF文档",
        ),
        ("照片.png", jpeg_bytes, "但文件内容是JPEG图片"),
        ("setup.pdf", exe_bytes, "Windows可执行程序"),
        ("setup.exe", exe_bytes, "Windows可执行程序"),
        ("说明.txt", pdf_bytes, "后缀为“.txt”，但文件内容是PDF文档；请将后缀改为.pdf"),
        ("旧.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版Office文件"),
        ("宏.docx", lambda: docx_bytes(macros=True), "文档含有宏"),
        (
            "压缩包.docx",
            lambda: docx_bytes().replace(b"[Content_Types].xml", b"[Content_Typez].xml"),
            "ZIP压缩包",
        ),
        ("坏.pdf", lambda: b"just some text", "无法识别文件内容的类型"),
        ("空.pdf", lambda: b"", "文件为空"),
        ("假.geojson", lambda: b'{"type": "Invoice"}', "无法识别文件内容的类型"),
    ],
)
def test_wrong_types_are_refused_naming_what_was_found(
    community: Application, applicant: User, name: str, make: Callable[[], bytes], words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _attach(community, name, make(), applicant)
    assert words in _file_error(refused)
    assert name in _file_error(refused)
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence_attached").exists()


def test_sniffing_does_not_trust_the_name() -> None:
    assert sniff(pdf_bytes(), "a.pdf").kind == "pdf"
    with pytest.raises(EvidenceRejected):
        sniff(pdf_bytes(), "a.xlsx")


@override_settings(LOWCARBON_UPLOAD_MAX_BYTES=1024)
def test_an_oversized_file_is_refused_with_both_sizes(
    community: Application, applicant: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        _attach(community, "大.pdf", pdf_bytes("x" * 2000), applicant)
    assert "超过上限1.0 KB" in _file_error(refused)
    assert not Evidence.objects.exists()


def test_the_same_content_twice_is_refused_naming_the_existing_number(
    community: Application, applicant: User
) -> None:
    _attach(community, "a.pdf", pdf_bytes("same"), applicant, title="工作小组通知")
    with pytest.raises(ValidationError) as refused:
        _attach(community, "copy-of-a.pdf", pdf_bytes("same"), applicant)
    assert "已作为E01（工作小组通知）上传" in _file_error(refused)
    assert Evidence.objects.count() == 1


def test_a_title_and_known_items_are_required(community: Application, applicant: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_attach_evidence(
            community, upload("a.pdf", pdf_bytes()), title=" ", items=["99"], actor=applicant
        )
    errors = refused.value.message_dict
    assert "请填写材料名称" in errors["title"][0]
    assert "没有第99项" in errors["items"][0]


def test_numbers_are_never_reused_and_removal_clears_citations(
    community: Application, applicant: User
) -> None:
    first = _attach(community, "a.pdf", pdf_bytes("a"), applicant)
    second = _attach(community, "b.pdf", pdf_bytes("b"), applicant)
    saved = do_save_answer(
        community,
        "1",
        {"level": "group_with_roles", "evidence": [first.code, second.code]},
        expected_version=1,
        actor=applicant,
    )
    assert running_total(saved).result.item("1").points == 5
    affected = do_remove_evidence(saved, "E01", actor=applicant)
    assert affected == ["1"]
    fresh = Application.objects.get(pk=community.pk)
    assert fresh.answers["1"]["evidence"] == ["E02"]
    assert fresh.answers_version == 3
    first.refresh_from_db()
    assert first.removed_at is not None
    assert first.file.storage.exists(first.file.name)
    event = AuditEvent.objects.get(action="evidence_removed")
    assert event.after is not None
    assert event.after["items"] == ["1"]
    # The removed number is not handed out again; the same content may come back.
    again = _attach(fresh, "a-again.pdf", pdf_bytes("a"), applicant)
    assert again.code == "E03"
    assert again.file.name == first.file.name
    do_remove_evidence(fresh, "E02", actor=applicant)
    fresh = Application.objects.get(pk=community.pk)
    assert "evidence" not in fresh.answers["1"]
    # 附件4 注: without evidence the 5 points claimed score 0.
    assert running_total(fresh).result.item("1").status.value == "zeroed_no_evidence"


def test_removing_is_refused_after_submission_and_for_unknown_numbers(
    community: Application, applicant: User
) -> None:
    _attach(community, "a.pdf", pdf_bytes("a"), applicant)
    with pytest.raises(ValidationError, match="没有可删除的证明材料E09"):
        do_remove_evidence(community, "E09", actor=applicant)
    Application.objects.filter(pk=community.pk).update(status="submitted")
    fresh = Application.objects.get(pk=community.pk)
    with pytest.raises(ValidationError, match="不能再修改"):
        do_remove_evidence(fresh, "E01", actor=applicant)
    with pytest.raises(ValidationError, match="不能再修改"):
        _attach(fresh, "b.pdf", pdf_bytes("b"), applicant)
    assert Evidence.objects.filter(removed_at__isnull=True).count() == 1


def test_the_download_is_an_attachment_with_the_original_name_and_a_safe_type(
    community: Application, applicant: User, users: dict[str, User]
) -> None:
    evidence = _attach(community, "宣传栏 照片.png", png_bytes(), applicant)
    url = reverse("applications:evidence_download", args=[community.pk, evidence.code])
    for person in (applicant, users[Role.DISTRICT_OFFICER], users[Role.ADMINISTRATOR]):
        response = signed_in(person).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E5%AE%A3" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        # Reading the stream to its end lets the test client close the file the way a server
        # does; an extra close() would end the test's database transaction on PostgreSQL.
        assert b"".join(response.streaming_content) == png_bytes()  # type: ignore[attr-defined]
    response = signed_in(users[Role.EXPERT]).get(url)
    assert response.status_code == 404
    do_remove_evidence(community, evidence.code, actor=applicant)
    assert signed_in(applicant).get(url).status_code == 404


def test_uploading_through_the_page(community: Application, applicant: User) -> None:
    client = signed_in(applicant)
    url = reverse("applications:evidence_upload", args=[community.pk])
    response = client.post(
        url, {"file": upload("改名.docx", pdf_bytes()), "title": "计划", "items": ["2"]}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "但文件内容是PDF文档" in text
    assert 'value="计划"' in text
    ok = client.post(
        url, {"file": upload("计划.pdf", pdf_bytes()), "title": "计划", "items": ["2"]}
    )
    assert ok.status_code == 302
    assert ok["Location"].endswith("#evidence")
    page = client.get(reverse("applications:assessment", args=[community.pk])).content.decode()
    assert "E01" in page
    assert "计划.pdf" in page
    assert "PDF文档" in page
    removed = client.post(reverse("applications:evidence_remove", args=[community.pk, "E01"]))
    assert removed.status_code == 302
    page = client.get(reverse("applications:assessment", args=[community.pk])).content.decode()
    assert "E01已删除。" in page
    assert "尚未上传证明材料。" in page
