"""Creation: the unit records each task's progress (status, percent complete, achieved reduction,
a note); only the unit, only in creation, each change audited with its version checked; the
progress of a unit sums planned against achieved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.task_models import ApplicationTask, TaskStatus
from lowcarbon.web.applications.tasks import (
    TASK_PROGRESS_RECORDED,
    do_track_task,
    planned_reductions,
    task_progress,
)
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit

from .conftest import Batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(batch: Batch) -> list[ApplicationTask]:
    """The selected application's tasks as records (the review's test data writes the baseline
    data without the workbook import that makes them)."""
    made = []
    for index, task in enumerate(batch.selected.accounting["tasks"]):
        stated = task.get("annual_reduction_tco2")
        made.append(
            ApplicationTask.objects.create(
                application=batch.selected,
                code=task["id"],
                position=index,
                name=task["name"],
                domain=task["domain"],
                start_year=task["start_year"],
                ramp_years=task.get("ramp_years", 1),
                stated_reduction_tco2=None if stated is None else Decimal(str(stated)),
            )
        )
    return made


def track(record: ApplicationTask, actor: User, **changes: object) -> ApplicationTask:
    arguments: dict[str, object] = {
        "status": TaskStatus.IN_PROGRESS,
        "percent_complete": 50,
        "achieved_reduction_tco2": Decimal("12.5"),
        "note": "一期完成。",
        "expected_version": record.tracking_version,
        "actor": actor,
    }
    return do_track_task(record, **(arguments | changes))  # type: ignore[arg-type]


def test_the_unit_records_progress_audited(
    batch: Batch, records: list[ApplicationTask], users: dict[str, User]
) -> None:
    applicant = users[Role.APPLICANT]
    first = track(records[0], applicant, evidence_note="竣工验收报告（档案第3项）")
    assert (first.status, first.percent_complete, first.tracking_version) == (
        TaskStatus.IN_PROGRESS,
        50,
        2,
    )
    assert first.tracked_by == applicant
    event = AuditEvent.objects.get(action=TASK_PROGRESS_RECORDED)
    assert event.before["status"] == TaskStatus.NOT_STARTED
    assert event.after["evidence"] == "竣工验收报告（档案第3项）"
    with pytest.raises(ValidationError) as stale:
        track(records[0], applicant, expected_version=1)
    assert "现为第2版" in " ".join(stale.value.messages)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"status": "finished"}, "status", "finished"),
        ({"percent_complete": 120}, "percent_complete", "120"),
        ({"status": TaskStatus.DONE, "percent_complete": 80}, "percent_complete", "100%"),
        ({"achieved_reduction_tco2": Decimal(-1)}, "achieved_reduction_tco2", "-1"),
        ({"status": TaskStatus.LAGGING, "note": " "}, "tracking_note", "滞后的原因"),
    ],
)
def test_bad_progress_is_refused_naming_the_field(
    batch: Batch,
    records: list[ApplicationTask],
    users: dict[str, User],
    changes: dict[str, object],
    field: str,
    words: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        track(records[0], users[Role.APPLICANT], **changes)
    assert words in " ".join(refused.value.message_dict[field])
    records[0].refresh_from_db()
    assert records[0].tracking_version == 1


def test_only_the_unit_records_progress(
    batch: Batch, records: list[ApplicationTask], users: dict[str, User]
) -> None:
    for actor in (users[Role.DISTRICT_OFFICER], batch.other_applicant, users[Role.ADMINISTRATOR]):
        with pytest.raises(ValidationError) as refused:
            track(records[0], actor)
        assert "只有创建单位" in " ".join(refused.value.messages)
    # An application that is not a creation unit has no progress to record.
    not_selected = ApplicationTask.objects.create(
        application=batch.rejected, code="C01", name="外滩任务", domain="energy", start_year=2025
    )
    with pytest.raises(ValidationError) as refused:
        track(not_selected, batch.other_applicant)
    assert "尚未成为创建单位" in " ".join(refused.value.messages)


def test_the_progress_of_a_unit_sums_planned_and_achieved(
    batch: Batch, records: list[ApplicationTask], users: dict[str, User]
) -> None:
    applicant = users[Role.APPLICANT]
    track(
        records[0],
        applicant,
        status=TaskStatus.DONE,
        percent_complete=100,
        achieved_reduction_tco2=Decimal(30),
    )
    track(records[1], applicant, status=TaskStatus.LAGGING, note="审批延后。")
    track(records[2], applicant, status=TaskStatus.CANCELLED, achieved_reduction_tco2=None)
    progress = task_progress(batch.unit)
    assert progress.total == len(records)
    assert (progress.done, progress.lagging) == (1, 1)
    assert progress.by_status[TaskStatus.CANCELLED] == 1
    assert progress.by_status[TaskStatus.NOT_STARTED] == len(records) - 3
    assert progress.achieved_tco2 == Decimal("42.5")
    planned = planned_reductions(batch.selected)
    assert progress.planned_tco2 == sum(
        (planned.get(r.code, Decimal(0)) for r in records if r.pk != records[2].pk), Decimal(0)
    )
    assert progress.planned_tco2 > 0


def test_the_progress_page(
    batch: Batch, records: list[ApplicationTask], users: dict[str, User]
) -> None:
    client = Client()
    client.force_login(users[Role.APPLICANT])
    url = reverse("applications:task_progress", args=[batch.selected.pk, records[0].pk])
    assert "完成百分比" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "status": TaskStatus.LAGGING,
            "percent_complete": "30",
            "achieved_reduction_tco2": "",
            "tracking_note": "",
            "version": "1",
        },
    )
    assert response.status_code == 400
    assert "请说明任务滞后的原因" in response.content.decode()
    response = client.post(
        url,
        {
            "status": TaskStatus.LAGGING,
            "percent_complete": "30",
            "tracking_note": "施工许可延后。",
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("applications:tasks", args=[batch.selected.pk])).content.decode()
    assert "滞后" in page
    assert "填报进展" in page
    officer = Client()
    officer.force_login(users[Role.DISTRICT_OFFICER])
    assert officer.get(url).status_code == 403
    page = officer.get(reverse("applications:tasks", args=[batch.selected.pk])).content.decode()
    assert "滞后" in page
    assert "填报进展" not in page


def test_the_demo_s_units_show_their_progress(demo: None) -> None:
    for unit in CreationUnit.objects.all():
        progress = task_progress(unit)
        assert progress.total >= 5
        assert progress.done == 2
        assert progress.lagging == 1
        assert 0 < progress.achieved_tco2 < progress.planned_tco2
