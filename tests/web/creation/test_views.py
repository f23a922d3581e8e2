"""The creation stage's pages in Chinese and in English, and their forms through the views."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import Extension, LifecycleStatus, ScheduleItem

from ..review_support import signed_in
from .conftest import Batch

pytestmark = pytest.mark.django_db


def pages(batch: Batch) -> list[str]:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    return [
        reverse("creation:todos"),
        reverse("creation:list"),
        reverse("creation:unit", kwargs={"pk": batch.unit.pk}),
        reverse("creation:schedule", kwargs={"pk": batch.round.pk}),
        reverse("creation:schedule_edit", kwargs={"pk": item.pk}),
        reverse("creation:extend", kwargs={"pk": batch.unit.pk, "item_pk": item.pk}),
    ]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ["我的待办", "创建单位", "入选", "最终实施方案和任务清单", "北京时间"]),
        ("en", ["My to-dos", "Creation units", "selected", "final implementation plan"]),
    ],
)
def test_every_page_renders_in_chinese_and_in_english(
    batch: Batch, admin_user: User, language: str, words: list[str]
) -> None:
    client = signed_in(admin_user)
    seen = ""
    for url in pages(batch):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        seen += response.content.decode()
    for word in words:
        assert word in seen, word


def test_the_unit_page_shows_status_schedule_and_history(batch: Batch, officer: User) -> None:
    page = signed_in(officer).get(reverse("creation:unit", kwargs={"pk": batch.unit.pk}))
    text = page.content.decode()
    assert "田林十二村社区" in text
    assert "2100-02-28 23:59:59" in text  # the final plan, in Asia/Shanghai
    assert "入选创建：生成创建单位" in text  # the history, from the audit log
    assert "变更状态" in text  # the district moves its units
    assert "延期</a>" not in text  # extensions are the bureau's


def test_the_application_page_shows_the_lifecycle_status(batch: Batch, applicant: User) -> None:
    client = signed_in(applicant)
    page = client.get(reverse("applications:workspace", kwargs={"pk": batch.selected.pk}))
    text = page.content.decode()
    unit_url = reverse("creation:unit", kwargs={"pk": batch.unit.pk})
    assert f'创建状态：<a href="{unit_url}">入选</a>' in text
    # The application not selected says so, and links nowhere.
    other = signed_in(batch.other_applicant)
    rejected = other.get(reverse("applications:workspace", kwargs={"pk": batch.rejected.pk}))
    assert "创建状态：未入选" in rejected.content.decode()


def test_changing_the_status_through_the_page(batch: Batch, officer: User) -> None:
    client = signed_in(officer)
    url = reverse("creation:status", kwargs={"pk": batch.unit.pk})
    response = client.post(url, {"status": "in_creation", "reason": "", "version": "1"})
    assert response.status_code == 302
    batch.unit.refresh_from_db()
    assert batch.unit.status == LifecycleStatus.SELECTED
    page = client.get(response["Location"]).content.decode()
    assert "理由" in page  # the refusal is shown, in Chinese
    client.post(url, {"status": "in_creation", "reason": "方案已定稿。", "version": "1"})
    batch.unit.refresh_from_db()
    assert batch.unit.status == LifecycleStatus.IN_CREATION
    refused = client.post(url, {"status": "accepted", "reason": "验收。", "version": "2"})
    page = client.get(refused["Location"]).content.decode()
    assert "只有市生态环境局可以确定验收通过或未通过" in page  # the bureau's, not the district's
    batch.unit.refresh_from_db()
    assert batch.unit.status == LifecycleStatus.IN_CREATION


def test_extending_and_editing_dates_through_the_pages(batch: Batch, admin_user: User) -> None:
    client = signed_in(admin_user)
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    extend = reverse("creation:extend", kwargs={"pk": batch.unit.pk, "item_pk": item.pk})
    missing = client.post(extend, {"due_on": "2100-04-30", "reason": ""})
    assert missing.status_code == 200
    assert not Extension.objects.exists()
    done = client.post(extend, {"due_on": "2100-04-30", "reason": "延期报送。"})
    assert done.status_code == 302
    assert Extension.objects.get().reason == "延期报送。"
    edit = reverse("creation:schedule_edit", kwargs={"pk": item.pk})
    bad = client.post(edit, {"due_on": "2100-13-01", "reason": "改。", "version": "1"})
    assert bad.status_code == 200
    changed = client.post(edit, {"due_on": "2100-03-31", "reason": "按通知。", "version": "1"})
    assert changed.status_code == 302
    assert AuditEvent.objects.filter(action="creation_schedule_item_changed").count() == 1


def test_recording_a_filing_through_the_page(batch: Batch, users: dict[str, User]) -> None:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    url = reverse("creation:complete", kwargs={"pk": batch.unit.pk, "item_pk": item.pk})
    assert Client().post(url).status_code == 302  # to sign in
    applicant = signed_in(users[Role.APPLICANT])
    assert applicant.post(url, {"completed_on": "2026-01-05"}).status_code == 403
    officer = signed_in(users[Role.DISTRICT_OFFICER])
    response = officer.post(url, {"completed_on": "2026-01-05", "note": "已收到。"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="creation_item_completed").count() == 1


def test_the_workbench_shows_each_applications_lifecycle(batch: Batch, applicant: User) -> None:
    text = signed_in(applicant).get(reverse("home")).content.decode()
    unit_url = reverse("creation:unit", kwargs={"pk": batch.unit.pk})
    assert f'<a href="{unit_url}">入选</a>' in text


def test_a_rectification_order_is_offered_only_where_it_can_be_issued(
    batch: Batch, officer: User
) -> None:
    # A unit just selected (入选) cannot turn to rectification: the page does not offer an order
    # the form would refuse; once in creation it does.
    from lowcarbon.web.creation.actions import do_change_unit_status

    issue = reverse("creation:rectification_issue", kwargs={"pk": batch.unit.pk})
    unit_page = reverse("creation:unit", kwargs={"pk": batch.unit.pk})
    client = signed_in(officer)
    assert batch.unit.status == LifecycleStatus.SELECTED
    assert issue not in client.get(unit_page).content.decode()
    do_change_unit_status(
        batch.unit,
        target=LifecycleStatus.IN_CREATION,
        reason="最终实施方案已报送。",
        expected_version=batch.unit.version,
        actor=officer,
    )
    assert issue in client.get(unit_page).content.decode()
