"""The panel's site inspection: the checklist of items checked on site or by interview, findings
and photos recorded all or nothing (photos checked by content and size), shown to the panel's
experts beside the item, never to anyone else."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.review.actions import (
    do_decide,
    do_declare_conflict,
    do_publish_decisions,
    do_record_finding,
)
from lowcarbon.web.review.inspection import UploadedPhoto
from lowcarbon.web.review.models import InspectionFinding, InspectionPhoto

from .review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    recommended_application,
    signed_in,
)
from .test_review_actions import agree, submit

pytestmark = pytest.mark.django_db

FINDING = "宣传栏张贴低碳生活海报6处，黑板报每月更新。"


@pytest.fixture
def setup(admin_user: User, users: dict[str, User]) -> dict[str, Any]:
    round_ = make_round(admin_user)
    application, submission = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    c = make_expert(admin_user, "expert_c", "刘洋")
    outsider = make_expert(admin_user, "expert_x", "王五")
    panel = make_panel(admin_user, round_, [a, b, c, outsider])
    first, second, third = assign_all(admin_user, panel, application, [a, b, c])
    do_declare_conflict(third, reason="曾参与该社区方案编制。", actor=c)
    return {
        "round": round_,
        "application": application,
        "submission": submission,
        "panel": panel,
        "a": a,
        "b": b,
        "c": c,
        "outsider": outsider,
        "first": first,
        "second": second,
        **users,
    }


def clients(setup: dict[str, Any]) -> dict[str, Client]:
    return {
        "a": signed_in(setup["a"]),
        "b": signed_in(setup["b"]),
        "conflicted": signed_in(setup["c"]),
        "outsider": signed_in(setup["outsider"]),
        "applicant": signed_in(setup[Role.APPLICANT]),
        "officer": signed_in(setup[Role.DISTRICT_OFFICER]),
        "admin": signed_in(setup[Role.ADMINISTRATOR]),
        "anonymous": Client(),
    }


def checklist_url(setup: dict[str, Any]) -> str:
    return reverse("review:inspection", args=[setup["panel"].pk, setup["application"].pk])


def record_url(setup: dict[str, Any], item_id: str) -> str:
    return reverse(
        "review:inspection_record", args=[setup["panel"].pk, setup["application"].pk, item_id]
    )


def picture(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=kind)
    return buffer.getvalue()


def test_the_checklist_lists_the_items_checked_on_site_with_what_to_check(
    setup: dict[str, Any],
) -> None:
    page = clients(setup)["a"].get(checklist_url(setup))
    assert page.status_code == 200
    text = page.content.decode()
    assert "现场检查表" in text
    assert "田林十二村社区" in text
    # 附件4: item 8 (现场检查) and item 7 (交流访谈) are on it; item 1 (查阅文件材料) is not.
    assert 'id="check-8"' in text
    assert 'id="check-7"' in text
    assert 'id="check-1"' not in text
    assert "检查要点" in text
    assert "利用社区、街道公众号、宣传栏、黑板报等载体" in text  # item 8's official title
    assert "申报单位自述" in text
    assert 'capture="environment"' in text
    assert 'accept="image/jpeg,image/png"' in text
    assert "专家组签字" in text  # printed signature line


def test_who_sees_the_checklist(setup: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    people = clients(setup)
    url = checklist_url(setup)
    expected = {
        "a": 200,
        "b": 200,
        "admin": 200,
        "conflicted": 404,
        "outsider": 404,
        "applicant": 404,
        "officer": 404,
    }
    # Each allowed person records another item (the same item would be a stale form).
    items = {"a": "8", "b": "13", "admin": "15"}
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for who, status in expected.items():
            assert people[who].get(url).status_code == status, who
            posted = people[who].post(
                record_url(setup, items.get(who, "8")), {"text": "x", "version": "0"}
            )
            assert posted.status_code == (302 if status == 200 else 404), who
    assert people["anonymous"].get(url).status_code == 302
    denied = [r.getMessage() for r in caplog.records if "permission denied" in r.getMessage()]
    assert any("expert_c" in line and "site inspection" in line for line in denied)
    assert any("applicant" in line for line in denied)
    # An application the panel does not review is not found, whoever asks.
    assert (
        people["admin"]
        .get(reverse("review:inspection", args=[setup["panel"].pk, 99999]))
        .status_code
        == 404
    )


def test_a_finding_with_a_photo_is_saved_audited_and_shown_beside_the_item(
    setup: dict[str, Any],
) -> None:
    people = clients(setup)
    photo = SimpleUploadedFile("IMG_0001.png", picture(), content_type="image/png")
    response = people["a"].post(
        record_url(setup, "8"),
        {
            "outcome": "confirmed",
            "text": FINDING,
            "caption": "3号楼宣传栏",
            "version": "0",
            "photos": [photo],
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#check-8")
    finding = InspectionFinding.objects.get(item_id="8")
    assert (finding.outcome, finding.text, finding.version) == ("confirmed", FINDING, 1)
    stored = InspectionPhoto.objects.get(item_id="8")
    assert (stored.content_kind, stored.width, stored.height) == ("png", 40, 30)
    assert stored.file.name.endswith(f"{stored.sha256}.png")
    assert AuditEvent.objects.filter(action="inspection_finding_recorded").count() == 1
    assert AuditEvent.objects.filter(action="inspection_photo_added").count() == 1
    # B, the other expert of the panel, sees it in the checklist and beside item 8 when scoring.
    workspace = people["b"].get(reverse("review:workspace", args=[setup["second"].pk]))
    text = workspace.content.decode()
    assert FINDING in text
    assert "与申报材料一致" in text
    photo_url = reverse("review:inspection_photo", args=[stored.pk])
    assert photo_url in text
    assert text.index(FINDING) > text.index('id="item-8"')
    assert text.index(FINDING) < text.index('id="item-9"')
    image = people["b"].get(photo_url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    with stored.file.open("rb") as handle:
        assert b"".join(image.streaming_content) == handle.read()  # type: ignore[arg-type]
    # Nobody outside the panel gets the photo; the applicant's pages never show the finding.
    for who in ("outsider", "conflicted", "applicant", "officer"):
        assert people[who].get(photo_url).status_code == 404, who
    own = people["applicant"].get(reverse("applications:workspace", args=[setup["application"].pk]))
    assert own.status_code == 200
    assert FINDING not in own.content.decode()
    # The frozen submission is unchanged.
    before = setup["submission"].snapshot_sha256
    setup["submission"].refresh_from_db()
    assert setup["submission"].snapshot_sha256 == before


def test_a_second_save_from_a_stale_form_is_refused(setup: dict[str, Any]) -> None:
    people = clients(setup)
    people["a"].post(record_url(setup, "13"), {"outcome": "partly", "text": "甲", "version": "0"})
    refused = people["b"].post(
        record_url(setup, "13"), {"outcome": "not_found", "text": "乙的记录", "version": "0"}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "张明已在此期间填写了本项的检查情况" in text
    assert "乙的记录" in text  # what B typed is kept in the form
    finding = InspectionFinding.objects.get(item_id="13")
    assert (finding.text, finding.version) == ("甲", 1)
    accepted = people["b"].post(
        record_url(setup, "13"), {"outcome": "partly", "text": "甲；乙补充", "version": "1"}
    )
    assert accepted.status_code == 302
    finding.refresh_from_db()
    assert (finding.text, finding.version, finding.recorded_by.username) == (
        "甲；乙补充",
        2,
        "expert_b",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    ids=["gif", "heic", "pdf", "broken-jpeg", "empty", "text"],
    argvalues=[
        ("poster.gif", b"GIF89a" + b"\x00" * 40, "GIF"),
        ("IMG_0002.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "HEIC"),
        ("scan.jpg", b"%PDF-1.4 not a photo", "PDF"),
        ("broken.jpg", b"\xff\xd8\xff" + b"\x00" * 40, "无法读取为图片"),
        ("empty.png", b"", "空文件"),
        ("notes.png", b"just some text", "只接受JPEG或PNG格式的照片"),
    ],
)
def test_a_photo_of_another_type_is_refused_and_nothing_is_saved(
    setup: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    response = clients(setup)["a"].post(
        record_url(setup, "8"),
        {
            "outcome": "confirmed",
            "text": FINDING,
            "version": "0",
            "photos": [SimpleUploadedFile(name, content)],
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert name in text
    assert FINDING in text  # kept in the form
    assert not InspectionFinding.objects.exists()
    assert not InspectionPhoto.objects.exists()


@override_settings(LOWCARBON_UPLOAD_MAX_BYTES=1000)
def test_a_photo_over_the_limit_is_refused_naming_both_sizes(setup: dict[str, Any]) -> None:
    noise = Image.frombytes("RGB", (300, 300), bytes(range(256)) * 1055)
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    big = buffer.getvalue()
    assert len(big) > 1000
    response = clients(setup)["a"].post(
        record_url(setup, "8"),
        {"version": "0", "photos": [SimpleUploadedFile("big.png", big)]},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert f"照片“big.png”大小为{len(big) / 1024:.1f} KB，超过了1.0 KB的上限。" in text
    assert not InspectionPhoto.objects.exists()


def test_bad_input_is_refused_with_the_field_named(setup: dict[str, Any]) -> None:
    people = clients(setup)
    wrong_item = people["a"].post(record_url(setup, "1"), {"text": "x", "version": "0"})
    assert wrong_item.status_code == 400
    assert "第1项的评价方法不含现场检查或交流访谈" in wrong_item.content.decode()
    wrong_outcome = people["a"].post(
        record_url(setup, "8"), {"outcome": "excellent", "version": "0"}
    )
    assert wrong_outcome.status_code == 400
    assert "“excellent”不是有效的核查结果" in wrong_outcome.content.decode()
    nothing = people["a"].post(record_url(setup, "8"), {"version": "0"})
    assert nothing.status_code == 400
    assert "请选择核查结果、填写检查情况或添加照片" in nothing.content.decode()
    too_long = people["a"].post(record_url(setup, "8"), {"text": "长" * 5001, "version": "0"})
    assert too_long.status_code == 400
    assert "5001" in too_long.content.decode()
    assert not InspectionFinding.objects.exists()


def test_photos_are_removed_by_their_uploader_or_the_administrator(setup: dict[str, Any]) -> None:
    do_record_finding(
        setup["panel"],
        setup["application"],
        "16",
        outcome="",
        text="",
        photos=[UploadedPhoto("roof.jpg", picture("JPEG"), 100)],
        expected_version=0,
        actor=setup["a"],
    )
    assert not InspectionFinding.objects.exists()  # a photo alone makes no finding
    stored = InspectionPhoto.objects.get()
    assert stored.content_kind == "jpeg"
    people = clients(setup)
    remove = reverse("review:inspection_photo_remove", args=[stored.pk])
    refused = people["b"].post(remove, follow=True)
    assert "只有上传该照片的人或管理员可以删除" in refused.content.decode()
    assert people["applicant"].post(remove).status_code == 404
    assert people["a"].post(remove).status_code == 302
    stored.refresh_from_db()
    assert stored.removed_at is not None
    assert stored.removed_by == setup["a"]
    assert AuditEvent.objects.filter(action="inspection_photo_removed").count() == 1
    assert people["a"].get(reverse("review:inspection_photo", args=[stored.pk])).status_code == 404


def test_after_publication_the_inspection_is_read_only(setup: dict[str, Any]) -> None:
    people = clients(setup)
    people["a"].post(record_url(setup, "8"), {"text": FINDING, "version": "0"})
    for assignment in (setup["first"], setup["second"]):
        agree(assignment)
        submit(assignment)
    admin = setup[Role.ADMINISTRATOR]
    do_decide(setup["application"], outcome="selected", reasons="得分较高。", actor=admin)
    do_publish_decisions(setup["round"], actor=admin)
    page = people["a"].get(checklist_url(setup))
    assert page.status_code == 200
    text = page.content.decode()
    assert FINDING in text
    assert "保存第8项检查情况" not in text
    refused = people["a"].post(record_url(setup, "8"), {"text": "改", "version": "1"})
    assert refused.status_code == 400
    assert "评审决定公布后不能再修改" in refused.content.decode()
    assert InspectionFinding.objects.get().text == FINDING
