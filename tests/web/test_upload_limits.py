"""Every upload within its limits, each bomb refused in seconds and little memory with a message
that names the limit, and nothing saved: a body declared larger than a request may be (413
before it is read), a file larger than the upload limit (kept no further than the limit), Office
packages unpacking to a gigabyte, JSON nested 100 000 deep, photos declaring billions of pixels,
a Word template of a million XML elements, and the accounting workbook's bombs through its page.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import do_attach_evidence
from lowcarbon.web.applications.evidence import GEOJSON_MAX_CONTAINERS
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.documents.actions import do_upload_template
from lowcarbon.web.documents.models import DocumentTemplate
from lowcarbon.web.review.models import InspectionFinding, InspectionPhoto
from lowcarbon.web.rounds.models import Round
from lowcarbon.web.uploads import CappedTemporaryFileUploadHandler
from tests.bombs import (
    MIB,
    REFUSAL_SECONDS,
    jpeg_declaring,
    measured,
    parts_of,
    png_declaring,
    refusal_of,
    zip_with_repeated,
    zip_with_zeros,
)

from .assessment_support import docx_bytes, make_application, make_round, signed_in
from .test_inspection import record_url
from .test_inspection import setup as setup  # the inspection fixture, used by name

pytestmark = pytest.mark.django_db

# A refusal comes in seconds and small: the findings took 8.5 GB and minutes.
SECONDS = REFUSAL_SECONDS
PEAK_MB = 50


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return make_round(admin_user)


@pytest.fixture
def community(current_round: Round, applicant: User) -> Application:
    return make_application(current_round, applicant, "community")


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@contextmanager
def nothing_saved() -> Iterator[None]:
    """What happens inside leaves no file in storage and no audit event."""
    files, events = stored_files(), AuditEvent.objects.count()
    yield
    assert stored_files() == files
    assert AuditEvent.objects.count() == events


# --- the request as a whole ------------------------------------------------------------------


def test_a_body_declared_at_300_mb_is_refused_with_413_before_it_is_read(
    community: Application, applicant: User
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:evidence_upload", args=[community.pk])
    form = reverse("applications:assessment", args=[community.pk])
    with nothing_saved(), measured() as cost:
        # A few bytes are sent: had anything read the body as long as declared, the test
        # client's stream would have failed.
        response = client.post(
            url,
            data=b"--x--",
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(300 * MIB),
            HTTP_REFERER=f"http://testserver{form}",
        )
    assert response.status_code == 413
    assert response["Connection"] == "close"
    page = response.content.decode()
    assert "一次提交的内容过大" in page
    assert "本次提交共 300 MB；一次至多可提交 100 MB，每个文件至多 20 MB。未保存任何内容。" in page
    assert f'href="http://testserver{form}"' in page  # back to the form
    assert Evidence.objects.count() == 0
    assert cost.seconds < REFUSAL_SECONDS
    assert cost.peak_mb < 5


def test_a_form_body_beyond_the_field_limit_is_refused_with_413(
    community: Application, applicant: User
) -> None:
    response = signed_in(applicant).post(
        reverse("applications:assessment", args=[community.pk]),
        data=b"a=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(6 * MIB),
    )
    assert response.status_code == 413
    assert "一次至多可提交 5 MB" in response.content.decode()


def test_a_body_within_the_limits_reaches_the_view(community: Application, applicant: User) -> None:
    response = signed_in(applicant).post(
        reverse("applications:evidence_upload", args=[community.pk]),
        {"file": SimpleUploadedFile("计划.docx", docx_bytes()), "title": "计划", "items": ["2"]},
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 1


def test_an_uploaded_file_is_kept_on_disk_no_further_than_the_limit(tmp_path: Path) -> None:
    handler = CappedTemporaryFileUploadHandler()
    with override_settings(LOWCARBON_UPLOAD_MAX_BYTES=MIB, FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        handler.new_file("file", "big.docx", "application/octet-stream", None)
        chunk = bytes(64 * 1024)
        for start in range(0, 5 * MIB, len(chunk)):
            assert handler.receive_data_chunk(chunk, start) is None
        uploaded = handler.file_complete(5 * MIB)
    assert uploaded.size == 5 * MIB  # what was sent, for the form's message
    assert os.path.getsize(uploaded.temporary_file_path()) == MIB + 1  # what was kept
    uploaded.close()


@override_settings(LOWCARBON_UPLOAD_MAX_BYTES=64 * 1024, FILE_UPLOAD_MAX_MEMORY_SIZE=0)
def test_a_file_over_the_limit_is_refused_by_the_form_naming_both_sizes(
    community: Application, applicant: User
) -> None:
    big = SimpleUploadedFile("照片集.docx", b"PK\x03\x04" + bytes(MIB))
    client = signed_in(applicant)
    with nothing_saved():
        response = client.post(
            reverse("applications:evidence_upload", args=[community.pk]),
            {"file": big, "title": "照片", "items": ["2"]},
        )
    assert response.status_code == 400
    assert "文件大小为1.0 MB，超过上限64.0 KB。" in response.content.decode()
    assert Evidence.objects.count() == 0


# --- evidence files ----------------------------------------------------------------------------


def attach(application: Application, user: User, name: str, content: bytes) -> Any:
    """The refusal of attaching ``content`` as evidence (nothing saved), its message, time and
    peak memory."""
    with nothing_saved():
        refusal, cost = refusal_of(
            lambda: do_attach_evidence(
                application,
                SimpleUploadedFile(name, content),
                title="材料",
                items=["1"],
                actor=user,
            ),
            ValidationError,
        )
    assert isinstance(refusal, ValidationError)
    return " ".join(refusal.message_dict["file"]), cost


def docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_an_office_file_unpacking_to_a_gigabyte_is_refused(
    community: Application, applicant: User, tmp_path: Path
) -> None:
    bomb = zip_with_zeros(tmp_path / "b.docx", "word/media/image1.png", 1024 * MIB, docx_parts())
    assert bomb.stat().st_size < 1.2 * MIB
    message, cost = attach(community, applicant, "方案.docx", bomb.read_bytes())
    assert message == (
        "方案.docx：文件包含解压后为 1.0 GB 的部件“word/media/image1.png”；只接受单个部件解压后"
        "至多 128 MB。"
    )
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB
    assert Evidence.objects.count() == 0


def test_an_office_part_compressed_a_thousand_to_one_is_refused(
    community: Application, applicant: User, tmp_path: Path
) -> None:
    bomb = zip_with_zeros(tmp_path / "b.pptx", "ppt/slides/slide1.xml", 100 * MIB, docx_parts())
    message, cost = attach(community, applicant, "汇报.pptx", bomb.read_bytes())
    assert re.search(r"压缩比为 10\d\d:1 的部件“ppt/slides/slide1.xml”", message)
    assert "只接受压缩比至多 100:1 的部件" in message
    assert cost.peak_mb < PEAK_MB


def test_json_nested_100_000_deep_is_refused_without_recursion(
    community: Application, applicant: User
) -> None:
    deep = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    message, cost = attach(community, applicant, "边界.geojson", deep)
    assert message == (
        "边界.geojson：该文件的 JSON 嵌套超过 64 层（或有未闭合的括号）；"
        "GeoJSON 的嵌套不超过 10 层。"
    )
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB


def test_json_beyond_the_size_and_container_limits_is_refused(
    community: Application, applicant: User
) -> None:
    big = b'{"type": "FeatureCollection", "features": [], "note": "' + b"x" * (5 * MIB) + b'"}'
    message, _ = attach(community, applicant, "边界.geojson", big)
    assert "GeoJSON 文件至多接受 5.0 MB" in message
    many = b'{"type": "FeatureCollection", "features": [' + b"[]," * GEOJSON_MAX_CONTAINERS
    many += b"[]]}"
    message, cost = attach(community, applicant, "边界.geojson", many)
    assert f"GeoJSON 文件至多可含 {GEOJSON_MAX_CONTAINERS} 个" in message
    assert cost.peak_mb < PEAK_MB


# --- inspection photos -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("IMG_1.png", png_declaring(100_000, 100_000), "100000 × 100000"),
        ("IMG_2.jpg", jpeg_declaring(60_000, 60_000), "60000 × 60000"),
    ],
    ids=["png", "jpeg"],
)
def test_a_photo_declaring_billions_of_pixels_is_refused_before_it_is_decoded(
    setup: dict[str, Any], name: str, content: bytes, size: str
) -> None:
    client: Client = signed_in(setup["a"])
    with nothing_saved(), measured() as cost:
        response = client.post(
            record_url(setup, "8"),
            {
                "outcome": "confirmed",
                "text": "宣传栏",
                "version": "0",
                "photos": [SimpleUploadedFile(name, content)],
            },
        )
    assert response.status_code == 400
    assert (
        f"照片“{name}”为 {size} 像素；只接受至多 64 百万像素、每边至多 20000 像素的照片"
        in response.content.decode()
    )
    assert not InspectionPhoto.objects.exists()
    assert not InspectionFinding.objects.exists()
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB


# --- Word templates --------------------------------------------------------------------------


def test_a_word_template_unpacking_to_a_gigabyte_is_refused(
    admin_user: User, tmp_path: Path
) -> None:
    bomb = zip_with_zeros(tmp_path / "t.docx", "word/media/image1.png", 1024 * MIB, docx_parts())
    with nothing_saved():
        refusal, cost = refusal_of(
            lambda: do_upload_template(
                kind="community",
                edition="2021",
                content=bomb.read_bytes(),
                name="模板.docx",
                actor=admin_user,
            ),
            ValidationError,
        )
    assert isinstance(refusal, ValidationError)
    assert refusal.message_dict["file"] == [
        "模板“模板.docx”无法使用：文件包含解压后为 1.0 GB 的部件“word/media/image1.png”；只接受单个"
        "部件解压后至多 32 MB。未保存任何内容。"
    ]
    assert not DocumentTemplate.objects.exists()
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB


def test_a_word_template_of_a_million_xml_elements_is_refused_before_it_is_parsed(
    admin_user: User, tmp_path: Path
) -> None:
    # 1 MB of differing paragraphs (no bomb by its compression ratio), 16 times.
    block = b"".join(b'<w:p w:rsidR="%08X"/>' % n for n in range(40_000))
    parts = docx_parts()
    document = parts.pop("word/document.xml").decode()
    head, tail = document.split("<w:body>")
    bomb = zip_with_repeated(
        tmp_path / "t.docx",
        "word/document.xml",
        block,
        16,
        head=(head + "<w:body>").encode(),
        tail=tail.encode(),
        others=parts,
    )
    with nothing_saved():
        refusal, cost = refusal_of(
            lambda: do_upload_template(
                kind="community",
                edition="2021",
                content=bomb.read_bytes(),
                name="模板.docx",
                actor=admin_user,
            ),
            ValidationError,
        )
    assert isinstance(refusal, ValidationError)
    assert refusal.message_dict["file"] == [
        "模板“模板.docx”无法使用：文件包含超过 500000 个 XML 元素；只接受总计至多 500000 个 XML "
        "元素。未保存任何内容。"
    ]
    assert not DocumentTemplate.objects.exists()
    assert cost.peak_mb < PEAK_MB


# --- the accounting workbook -----------------------------------------------------------------


def test_a_workbook_unpacking_to_a_gigabyte_is_refused_on_its_page(
    community: Application, applicant: User, tmp_path: Path
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:baseline", args=[community.pk])
    template = tmp_path / "template.xlsx"
    workbook = client.get(reverse("applications:baseline_workbook", args=[community.pk]))
    template.write_bytes(b"".join(workbook.streaming_content))  # type: ignore[attr-defined]
    others = {k: v for k, v in parts_of(template).items() if k != "xl/worksheets/sheet4.xml"}
    bomb = zip_with_zeros(tmp_path / "b.xlsx", "xl/worksheets/sheet4.xml", 1024 * MIB, others)
    with nothing_saved(), measured() as cost:
        response = client.post(
            url,
            {
                "version": str(community.accounting_version),
                "workbook": SimpleUploadedFile("采集表.xlsx", bomb.read_bytes()),
            },
        )
    assert response.status_code == 400
    assert (
        "文件“采集表.xlsx”无法导入：文件包含解压后为 1.0 GB 的部件"
        "“xl/worksheets/sheet4.xml”；只接受单个部件解压后至多 50 MB。未导入任何内容。"
    ) in response.content.decode()
    assert Application.objects.get(pk=community.pk).accounting == {}
    assert cost.seconds < SECONDS
    assert cost.peak_mb < PEAK_MB
