"""The records archive (档案): records with files checked by content and stored once under their
hash, activities with attendance and photos, the 低碳志愿者 team with published inspection
reports, citations by rectification answers (a cited record is neither changed nor removed),
removal as an audited action with a reason; who sees what; the pages in Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from lowcarbon.web.accounts.models import User
from lowcarbon.web.archive.actions import (
    RecordInput,
    do_add_record,
    do_add_volunteer,
    do_change_record,
    do_publish_report,
    do_remove_record,
)
from lowcarbon.web.archive.citations import cite
from lowcarbon.web.archive.models import ArchiveFile, ArchiveRecord, Citation
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.creation.rectification import (
    ItemInput,
    do_answer_rectification_item,
    do_issue_rectification,
)
from lowcarbon.web.management.commands._demo_archive import load_archive

from ..responses import read_download
from ..review_support import signed_in
from .conftest import Batch
from .support import shanghai

pytestmark = pytest.mark.django_db

NOW = shanghai(2100, 3, 1, 9, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"1 0 obj\n<<>>\nendobj\n" * 4 + b"%%EOF\n"


def png(name: str = "现场照片.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def training(**overrides: object) -> RecordInput:
    values: dict[str, object] = {
        "category": "training",
        "title": "垃圾分类与节能知识讲座",
        "date": date(2100, 2, 20),
        "description": "邀请区生态环境局讲解家庭节能。",
        "place": "田林十二村社区活动中心",
        "organiser": "社区居委会",
        "attendance": 46,
        "photos": [png()],
        "attendance_lists": [SimpleUploadedFile("签到表.pdf", PDF)],
    } | overrides
    return RecordInput(**values)  # type: ignore[arg-type]


def problems(call: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()  # type: ignore[operator]
    return caught.value.message_dict


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "archive"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_training_is_recorded_with_attendance_and_photos(batch: Batch, applicant: User) -> None:
    record = do_add_record(batch.unit, training(), actor=applicant, now=NOW)
    assert record.attendance == 46
    assert record.items == ["6", "3"]  # the category's items when none are chosen
    kinds = sorted((f.role, f.content_kind) for f in record.files.all())
    assert kinds == [("attendance", "pdf"), ("photo", "png")]
    for stored in record.files.all():
        assert stored.file.name == f"archive/{batch.unit.pk}/{stored.sha256}"
    event = AuditEvent.objects.get(action="archive_record_added")
    assert event.after["attendance"] == 46
    assert {f["name"] for f in event.after["files"]} == {"现场照片.png", "签到表.pdf"}


def test_an_activity_needs_place_organiser_and_attendance(batch: Batch, applicant: User) -> None:
    found = problems(
        lambda: do_add_record(
            batch.unit,
            training(place="", organiser="", attendance=None, items=["99"]),
            actor=applicant,
            now=NOW,
        )
    )
    assert found["place"] == ["请填写地点。"]
    assert found["attendance"] == ["请填写参加人数。"]
    assert found["items"] == ["指标体系中没有第99项。"]
    future = problems(
        lambda: do_add_record(batch.unit, training(date=date(2100, 3, 2)), actor=applicant, now=NOW)
    )
    assert "2100-03-02" in future["date"][0]
    assert "2100-03-01" in future["date"][0]
    unknown = problems(
        lambda: do_add_record(batch.unit, training(category="parties"), actor=applicant, now=NOW)
    )
    assert "“parties”" in unknown["category"][0]
    assert "学习培训和低碳专题讲座" in unknown["category"][0]
    assert not ArchiveRecord.objects.exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("签到表.pdf", b"MZ\x90\x00program"), "签到表.pdf：该文件是"),
        (SimpleUploadedFile("签到表.pdf", b""), "签到表.pdf：文件为空。"),
        (SimpleUploadedFile("签到表.png", PDF), "签到表.png"),
    ],
)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_saved(
    batch: Batch, applicant: User, upload: SimpleUploadedFile, expected: str
) -> None:
    before = stored_files()
    found = problems(
        lambda: do_add_record(
            batch.unit, training(attendance_lists=[upload]), actor=applicant, now=NOW
        )
    )
    assert any(p.startswith(expected) for p in found["attendance_lists"]), found
    assert not ArchiveRecord.objects.exists()
    assert not ArchiveFile.objects.exists()
    assert stored_files() == before


@override_settings(LOWCARBON_UPLOAD_MAX_BYTES=1024)
def test_a_file_beyond_the_limit_is_refused(batch: Batch, applicant: User) -> None:
    big = SimpleUploadedFile("合影.png", PNG + b"\x00" * 2048)
    before = stored_files()
    found = problems(
        lambda: do_add_record(batch.unit, training(photos=[big]), actor=applicant, now=NOW)
    )
    assert found["photos"][0].startswith("合影.png：")
    assert "1.0 KB" in found["photos"][0]
    assert not ArchiveRecord.objects.exists()
    assert stored_files() == before


def test_a_photo_must_be_an_image(batch: Batch, applicant: User) -> None:
    found = problems(
        lambda: do_add_record(
            batch.unit,
            training(photos=[SimpleUploadedFile("合影.pdf", PDF)]),
            actor=applicant,
            now=NOW,
        )
    )
    assert found["photos"] == ["合影.pdf：照片须为 PNG 或 JPEG 图片，该文件是PDF文档。"]


def test_the_same_content_is_stored_once(batch: Batch, applicant: User) -> None:
    before = len(stored_files())
    first = do_add_record(batch.unit, training(), actor=applicant, now=NOW)
    second = do_add_record(
        batch.unit,
        training(title="第二次讲座", photos=[png("另一个名字.png")], attendance_lists=[]),
        actor=applicant,
        now=NOW,
    )
    photo_1 = first.files.get(role="photo")
    photo_2 = second.files.get(role="photo")
    assert photo_1.sha256 == photo_2.sha256
    assert photo_1.file.name == photo_2.file.name
    assert len(stored_files()) - before <= 2  # the photo once, the attendance list
    assert len({f.file.name for f in ArchiveFile.objects.all()}) == 2
    # The same content twice on one record is refused, naming both names.
    found = problems(
        lambda: do_change_record(
            second,
            training(title="第二次讲座", photos=[png("再传一次.png")], attendance_lists=[]),
            expected_version=second.version,
            actor=applicant,
            now=NOW,
        )
    )
    assert "再传一次.png" in found["documents"][0]
    assert "另一个名字.png" in found["documents"][0]


def test_only_the_units_people_keep_the_archive(
    batch: Batch, officer: User, admin_user: User
) -> None:
    for person in (officer, admin_user, batch.other_applicant):
        found = problems(lambda p=person: do_add_record(batch.unit, training(), actor=p, now=NOW))
        assert found["__all__"] == ["只有本单位人员可以维护本单位档案。"]


@pytest.fixture
def unit(batch: Batch, admin_user: User) -> CreationUnit:
    return do_change_unit_status(
        batch.unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=batch.unit.version,
        actor=admin_user,
    )


def test_a_record_cited_by_a_rectification_answer_is_neither_changed_nor_removed(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    record = do_add_record(unit, training(), actor=applicant, now=NOW)
    order = do_issue_rectification(
        unit,
        items=[ItemInput("宣传培训记录不全。", "补充培训记录。")],
        deadline=date(2100, 3, 31),
        expected_version=unit.version,
        actor=officer,
        now=NOW,
    )
    do_answer_rectification_item(
        order.items.get(),
        text="已补充培训记录。",
        records=[str(record.pk)],
        expected_version=order.version,
        actor=applicant,
        now=NOW,
    )
    [citation] = Citation.objects.all()
    assert citation.source_label == "2100-03-01 下发的整改通知第 1 项（第 1 轮答复）"
    removal = problems(
        lambda: do_remove_record(
            record, reason="重复。", expected_version=record.version, actor=applicant, now=NOW
        )
    )
    assert removal["__all__"] == [
        "记录“垃圾分类与节能知识讲座”已被2100-03-01 下发的整改通知第 1 项（第 1 轮答复）引用，"
        "不能删除。"
    ]
    change = problems(
        lambda: do_change_record(
            record, training(), expected_version=record.version, actor=applicant, now=NOW
        )
    )
    assert "不能修改" in change["__all__"][0]
    record.refresh_from_db()
    assert record.removed_at is None
    # The page says so too, and offers no removal.
    response = signed_in(applicant).get(reverse("archive:remove", args=[record.pk]))
    refusal = "已被2100-03-01 下发的整改通知第 1 项（第 1 轮答复）引用，不能删除。"
    assert refusal in response.content.decode()
    # Answering the same round again without the record releases it.
    order.refresh_from_db()
    do_answer_rectification_item(
        order.items.get(),
        text="已补充培训记录。",
        expected_version=order.version,
        actor=applicant,
        now=NOW,
    )
    assert not Citation.objects.exists()


def test_an_answer_cites_only_the_units_current_records(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    order = do_issue_rectification(
        unit,
        items=[ItemInput("缺少记录。", "补充。")],
        deadline=date(2100, 3, 31),
        expected_version=unit.version,
        actor=officer,
        now=NOW,
    )
    found = problems(
        lambda: do_answer_rectification_item(
            order.items.get(),
            text="已补充。",
            records=["999999", "x"],
            expected_version=order.version,
            actor=applicant,
            now=NOW,
        )
    )
    assert found["records"] == ["“x”不是档案中的记录。", "本单位档案中没有编号为 999999 的记录。"]
    other = ArchiveRecord(pk=123456)
    with pytest.raises(ValueError, match="not current records"):
        cite(unit, [other], "测试", "test:1")


def test_an_uncited_record_is_removed_with_its_reason_and_kept(
    batch: Batch, applicant: User
) -> None:
    record = do_add_record(batch.unit, training(), actor=applicant, now=NOW)
    found = problems(
        lambda: do_remove_record(
            record, reason=" ", expected_version=record.version, actor=applicant, now=NOW
        )
    )
    assert found["reason"] == ["请填写删除原因。"]
    do_remove_record(
        record,
        reason="与另一条记录重复。",
        expected_version=record.version,
        actor=applicant,
        now=NOW,
    )
    record.refresh_from_db()
    assert record.removed_at == NOW
    assert record.removal_reason == "与另一条记录重复。"
    event = AuditEvent.objects.get(action="archive_record_removed")
    assert event.reason == "与另一条记录重复。"
    assert event.before["title"] == "垃圾分类与节能知识讲座"
    assert event.before["files"]
    page = signed_in(applicant).get(reverse("archive:unit", args=[batch.unit.pk]))
    assert "垃圾分类与节能知识讲座" not in page.content.decode()
    assert signed_in(applicant).get(reverse("archive:record", args=[record.pk])).status_code == 404


def inspection(batch: Batch, applicant: User, title: str) -> ArchiveRecord:
    return do_add_record(
        batch.unit,
        RecordInput(
            category="volunteer_inspection",
            title=title,
            date=date(2100, 2, 25),
            inspectors="王建国、李秀英",
            findings="楼道感应灯3处损坏，已报物业维修。",
            documents=[SimpleUploadedFile(f"{title}.pdf", PDF + title.encode())],
        ),
        actor=applicant,
        now=NOW,
    )


def test_the_public_page_shows_published_reports_only_and_no_contact(
    batch: Batch, applicant: User
) -> None:
    do_add_volunteer(
        batch.unit,
        name="王建国",
        contact="13800001234",
        joined_on=date(2099, 6, 1),
        actor=applicant,
        now=NOW,
    )
    published = inspection(batch, applicant, "2月楼道节能检查")
    inspection(batch, applicant, "3月草稿检查")
    do_publish_report(published, expected_version=published.version, actor=applicant, now=NOW)
    again = problems(
        lambda: do_publish_report(
            published, expected_version=published.version + 1, actor=applicant, now=NOW
        )
    )
    assert again["__all__"] == ["该报告已经公布。"]
    page = signed_in(applicant).get(reverse("archive:volunteers", args=[batch.unit.pk]))
    assert "13800001234" in page.content.decode()  # the unit sees the contact
    public = Client().get(reverse("archive:public", args=[batch.unit.pk]))
    text = public.content.decode()
    assert public.status_code == 200
    assert "2月楼道节能检查" in text
    assert "楼道感应灯3处损坏" in text
    assert "3月草稿检查" not in text
    assert "13800001234" not in text
    event = AuditEvent.objects.get(action="archive_volunteer_added")
    assert "13800001234" not in str(event.after)


def test_only_inspections_are_published(batch: Batch, applicant: User) -> None:
    record = do_add_record(batch.unit, training(), actor=applicant, now=NOW)
    found = problems(
        lambda: do_publish_report(record, expected_version=record.version, actor=applicant, now=NOW)
    )
    assert found["__all__"] == ["只有低碳志愿者评议检查的报告可以公布。"]


def test_a_volunteer_needs_a_name_and_a_past_day(batch: Batch, applicant: User) -> None:
    found = problems(
        lambda: do_add_volunteer(
            batch.unit, name="", contact="", joined_on=date(2100, 4, 1), actor=applicant, now=NOW
        )
    )
    assert found["name"] == ["请填写成员姓名。"]
    assert found["joined_on"] == ["日期 2100-04-01 晚于今天（2100-03-01）。"]


def test_who_sees_the_archive(
    batch: Batch, applicant: User, officer: User, admin_user: User
) -> None:
    record = do_add_record(batch.unit, training(date=date(2026, 5, 1)), actor=applicant)
    photo = record.files.get(role="photo")
    urls = [
        reverse("archive:unit", args=[batch.unit.pk]),
        reverse("archive:record", args=[record.pk]),
        reverse("archive:items", args=[batch.unit.pk]),
        reverse("archive:file", args=[photo.pk]),
    ]
    for person in (applicant, officer, admin_user):
        for url in urls:
            response = signed_in(person).get(url)
            assert response.status_code == 200, (person, url)
            if response.streaming:  # read the download to its end, which closes it
                assert read_download(response) == PNG
    for person in (batch.other_applicant, batch.other_officer):
        for url in urls:
            assert signed_in(person).get(url).status_code == 404, (person, url)
    add = reverse("archive:add", args=[batch.unit.pk, "training"])
    assert signed_in(officer).get(add).status_code == 403
    assert signed_in(applicant).get(add).status_code == 200


def test_the_archive_page_groups_filters_and_bridges_to_items(
    batch: Batch, applicant: User
) -> None:
    do_add_record(batch.unit, training(date=date(2026, 5, 1)), actor=applicant)
    inspection(batch, applicant, "2月楼道节能检查")
    client = signed_in(applicant)
    url = reverse("archive:unit", args=[batch.unit.pk])
    text = client.get(url).content.decode()
    assert '学习培训和低碳专题讲座 <span class="muted">(1)</span>' in text
    assert "共 2 条记录，显示 2 条。" in text
    text = client.get(url, {"year": "2026"}).content.decode()
    assert "共 2 条记录，显示 1 条。" in text
    assert "2月楼道节能检查" not in text
    text = client.get(url, {"item": "5"}).content.decode()
    assert "2月楼道节能检查" in text
    assert "垃圾分类与节能知识讲座" not in text
    text = client.get(url, {"category": "nonsense", "year": "abc"}).content.decode()
    assert "档案中没有类别“nonsense”，已显示全部类别。" in text
    assert "档案中没有“abc”年的记录，已显示全部年份。" in text
    items = client.get(reverse("archive:items", args=[batch.unit.pk])).content.decode()
    assert "垃圾分类与节能知识讲座" in items
    assert "暂无记录" in items


def test_the_add_form_saves_and_reports_bad_files(batch: Batch, applicant: User) -> None:
    client = signed_in(applicant)
    url = reverse("archive:add", args=[batch.unit.pk, "market"])
    response = client.post(
        url,
        {
            "title": "周末跳蚤市场",
            "date": "2026-05-16",
            "place": "社区广场",
            "organiser": "居委会",
            "attendance": "120",
            "photos": [SimpleUploadedFile("集市.png", b"not an image")],
        },
    )
    assert response.status_code == 200
    assert "集市.png：" in response.content.decode()
    assert not ArchiveRecord.objects.exists()
    response = client.post(
        url,
        {
            "title": "周末跳蚤市场",
            "date": "2026-05-16",
            "place": "社区广场",
            "organiser": "居委会",
            "attendance": "120",
            "items": ["10"],
            "photos": [png("集市.png")],
        },
    )
    record = ArchiveRecord.objects.get()
    assert response.status_code == 302
    assert record.items == ["10"]
    assert record.attendance == 120
    assert signed_in(applicant).get(reverse("archive:record", args=[record.pk])).status_code == 200


def test_the_demo_archive_of_a_community(batch: Batch, applicant: User) -> None:
    load_archive(batch.unit, applicant)
    records = ArchiveRecord.objects.filter(unit=batch.unit)
    assert len({r.category for r in records}) >= 6
    lecture = records.get(category="training")
    assert lecture.attendance == 56
    assert sorted(f.role for f in lecture.files.all()) == ["attendance", "photo", "photo"]
    assert [r.title for r in records.filter(published_at__isnull=False)] == [
        "2025年第二季度低碳评议检查"
    ]
    assert batch.unit.volunteers.count() == 4
    public = Client().get(reverse("archive:public", args=[batch.unit.pk])).content.decode()
    assert "2025年第二季度低碳评议检查" in public
    assert "2025年第四季度低碳评议检查" not in public
    assert "138 0000 1201" not in public


def test_a_change_adds_files_keeps_the_old_ones_and_checks_the_version(
    batch: Batch, applicant: User
) -> None:
    record = do_add_record(batch.unit, training(date=date(2026, 5, 1)), actor=applicant)
    client = signed_in(applicant)
    url = reverse("archive:edit", args=[record.pk])
    values = {
        "title": "讲座（补充照片）",
        "date": "2026-05-01",
        "place": "社区活动中心",
        "organiser": "居委会",
        "attendance": "48",
        "items": ["6"],
        "version": str(record.version),
        "photos": [png("补充.png", PNG + b"\x02")],
    }
    assert client.post(url, values).status_code == 302
    record.refresh_from_db()
    assert record.title == "讲座（补充照片）"
    assert record.attendance == 48
    assert record.files.count() == 3
    stale = client.post(url, values | {"photos": []})
    assert "该记录已被他人修改，请刷新页面后重试。" in stale.content.decode()
    event = AuditEvent.objects.get(action="archive_record_changed")
    assert event.before["title"] == "垃圾分类与节能知识讲座"


def test_the_archive_pages_read_in_chinese_and_their_links_lead_somewhere(
    batch: Batch, applicant: User, officer: User
) -> None:
    from ..test_chinese_pages import ALLOWED, FILE_NAME, HASH, LATIN_WORD, _links, _visible_text

    load_archive(batch.unit, applicant)
    record = ArchiveRecord.objects.get(unit=batch.unit, category="training")
    pages = [
        reverse("archive:unit", args=[batch.unit.pk]),
        reverse("archive:items", args=[batch.unit.pk]),
        reverse("archive:volunteers", args=[batch.unit.pk]),
        reverse("archive:record", args=[record.pk]),
        reverse("archive:edit", args=[record.pk]),
        reverse("archive:remove", args=[record.pk]),
        reverse("archive:add", args=[batch.unit.pk, "clean_plate"]),
        reverse("archive:public", args=[batch.unit.pk]),
    ]
    found: dict[str, set[str]] = {}
    for person in (applicant, officer):
        client = signed_in(person)
        for url in pages:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            if response.status_code == 403:  # the district sees, does not keep, the archive
                continue
            assert response.status_code == 200, url
            html = response.content.decode()
            text = FILE_NAME.sub(" ", HASH.sub(" ", _visible_text(html)))
            words = {w for w in LATIN_WORD.findall(text) if w not in ALLOWED}
            words -= set(User.objects.values_list("username", flat=True))  # data
            if words:
                found[url] = words
            for link in _links(html):
                if link.startswith(("/archive/", "/creation/")):
                    answer = client.get(link)
                    if answer.streaming:
                        read_download(answer)
                    assert answer.status_code in (200, 403), (url, link)
    assert not found, found


def test_the_answer_form_offers_the_archive_and_shows_what_an_answer_cites(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    record = do_add_record(unit, training(date=date(2026, 5, 1)), actor=applicant)
    order = do_issue_rectification(
        unit,
        items=[ItemInput("培训记录不全。", "补充培训记录。")],
        deadline=date(2100, 3, 31),
        expected_version=unit.version,
        actor=officer,
    )
    client = signed_in(applicant)
    page = client.get(reverse("creation:rectification", args=[order.pk])).content.decode()
    assert f'name="item1-records" value="{record.pk}"' in page
    response = client.post(
        reverse("creation:rectification_answer", args=[order.pk, 1]),
        {
            "item1-text": "已补充。",
            "item1-version": str(order.version),
            "item1-records": [record.pk],
        },
    )
    assert response.status_code == 302
    page = signed_in(officer).get(reverse("creation:rectification", args=[order.pk]))
    assert "引用的档案记录：" in page.content.decode()
    assert "垃圾分类与节能知识讲座" in page.content.decode()
    cited = signed_in(applicant).get(reverse("archive:record", args=[record.pk])).content.decode()
    assert "整改通知第 1 项（第 1 轮答复）" in cited
    assert reverse("archive:remove", args=[record.pk]) not in cited
