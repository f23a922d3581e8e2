"""Reminders of the creation stage against a clock the test sets: each step at its instant
(00:00 Asia/Shanghai on its day), sent once whatever runs the walk (twice, after a restart, two
runs at the same instant, 23:59 and 00:01 around a deadline), escalating to the district and
the bureau; a moved due date gets its own reminders, a duty done none; mail once, in Chinese;
a reminder seen is marked read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_extend, do_record_completion
from lowcarbon.web.creation.duties import duties_of
from lowcarbon.web.creation.models import CreationUnit, ScheduleItem
from lowcarbon.web.reminders import actions
from lowcarbon.web.reminders.actions import do_send_reminders
from lowcarbon.web.reminders.models import Delivery, Reminder
from lowcarbon.web.reminders.rules import due_steps, reminder_steps

from ..review_support import signed_in
from .conftest import Batch
from .support import shanghai

pytestmark = pytest.mark.django_db

# The 2099 batch: its final plan and its 2100 work plan are due 2100-02-28 23:59:59.


def steps_at(batch: Batch, code: str, now: datetime) -> list[str]:
    [duty] = [d for d in duties_of([batch.unit], now) if d.item.code == code]
    return [due.step.code for due in due_steps(duty, now)]


def sent(unit: CreationUnit, code: str = "final_plan") -> list[tuple[str, str, date]]:
    return [
        (r.step, r.audience, r.due_at.date())
        for r in Reminder.objects.filter(unit=unit, item__code=code).order_by("fires_at", "id")
    ]


def received(user: User) -> list[tuple[str, str]]:
    return [
        (d.reminder.item.code, d.reminder.step)
        for d in Delivery.objects.filter(recipient=user).order_by("reminder__fires_at", "id")
    ]


def test_each_step_falls_due_at_midnight_of_its_day(batch: Batch) -> None:
    assert steps_at(batch, "final_plan", shanghai(2100, 2, 13, 23, 59, 59)) == []
    assert steps_at(batch, "final_plan", shanghai(2100, 2, 14)) == ["before_14"]
    assert steps_at(batch, "final_plan", shanghai(2100, 2, 24, 23, 59)) == ["before_14"]
    assert steps_at(batch, "final_plan", shanghai(2100, 2, 25)) == ["before_3"]
    # On time until the last second of the due day; late, and told so, from 00:00 the next day.
    assert steps_at(batch, "final_plan", shanghai(2100, 2, 28, 23, 59, 59)) == ["before_3"]
    assert steps_at(batch, "final_plan", shanghai(2100, 3, 1)) == ["after_1"]
    assert steps_at(batch, "final_plan", shanghai(2100, 3, 6, 23, 59)) == ["after_1"]
    assert steps_at(batch, "final_plan", shanghai(2100, 3, 7)) == ["after_1", "escalate_district"]
    assert steps_at(batch, "final_plan", shanghai(2100, 3, 29, 23, 59)) == [
        "after_1",
        "escalate_district",
    ]
    assert steps_at(batch, "final_plan", shanghai(2100, 3, 30)) == [
        "after_1",
        "escalate_district",
        "escalate_bureau",
    ]


def test_the_walk_reminds_the_unit_then_escalates_to_its_district_and_the_bureau(
    batch: Batch, users: dict[str, User], admin_user: User
) -> None:
    applicant, officer = users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    for day in (
        shanghai(2100, 2, 14, 8),
        shanghai(2100, 2, 25, 8),
        shanghai(2100, 3, 1, 8),
        shanghai(2100, 3, 8, 8),
        shanghai(2100, 3, 30, 8),
    ):
        do_send_reminders(day)
    assert sent(batch.unit) == [
        ("before_14", "unit", date(2100, 2, 28)),
        ("before_3", "unit", date(2100, 2, 28)),
        ("after_1", "unit", date(2100, 2, 28)),
        ("escalate_district", "district", date(2100, 2, 28)),
        ("escalate_bureau", "bureau", date(2100, 2, 28)),
    ]
    mine = received(applicant)
    assert ("final_plan", "before_14") in mine
    assert ("work_plan_2100", "after_1") in mine
    assert {step for _c, step in mine} == {"before_14", "before_3", "after_1"}
    assert {step for _c, step in received(officer)} == {"escalate_district"}
    assert {step for _c, step in received(admin_user)} == {"escalate_bureau"}
    # The other district's officer and the other unit's people hear nothing of 田林.
    assert received(batch.other_officer) == []
    assert received(batch.other_applicant) == []
    assert received(users[Role.EXPERT]) == []
    event = AuditEvent.objects.filter(action="reminder_sent").first()
    assert event is not None
    assert event.actor is None


def test_a_late_first_run_sends_only_the_latest_step_of_each_audience(batch: Batch) -> None:
    do_send_reminders(shanghai(2100, 4, 2))
    assert [step for step, _a, _d in sent(batch.unit)] == [
        "after_1",
        "escalate_district",
        "escalate_bureau",
    ]


def test_running_twice_after_a_restart_or_at_once_sends_once(batch: Batch) -> None:
    now = shanghai(2100, 3, 8, 9)
    first = do_send_reminders(now)
    assert first.reminders == 4  # final plan and work plan: to the unit and to the district
    assert do_send_reminders(now).reminders == 0
    # A restart: a new process has none of this one's caches and reads everything again.
    reminder_steps.cache_clear()
    units = list(CreationUnit.objects.all())
    assert do_send_reminders(now, units=units).reminders == 0
    assert Reminder.objects.count() == 4
    # Two runs at the same instant: the second found nothing sent when it looked, then makes
    # the same reminder; the unique constraint refuses it and it sends nothing.
    [duty] = [d for d in duties_of([batch.unit], now) if d.item.code == "final_plan"]
    [*_, latest] = due_steps(duty, now)
    assert actions._make(actions.Due(batch.unit, duty.due_at, item=duty.item), latest, now) is None
    assert Reminder.objects.count() == 4
    assert Delivery.objects.count() == first.deliveries


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (shanghai(2100, 2, 28, 23, 59), shanghai(2100, 3, 1, 0, 1)),
        # The same instants written in UTC: the clock of a server that does not run in Shanghai.
        (datetime(2100, 2, 28, 15, 59, tzinfo=UTC), datetime(2100, 2, 28, 16, 1, tzinfo=UTC)),
    ],
)
def test_around_the_deadline_the_overdue_notice_goes_out_once(
    batch: Batch, before: datetime, after: datetime
) -> None:
    do_send_reminders(before)
    assert [s for s, _a, _d in sent(batch.unit)] == ["before_3"]
    do_send_reminders(after)
    do_send_reminders(after)
    assert [s for s, _a, _d in sent(batch.unit)] == ["before_3", "after_1"]


def test_the_command_reads_now_in_shanghai_and_sends_once(batch: Batch) -> None:
    out = StringIO()
    call_command("send_reminders", "--now", "2100-02-28T23:59", stdout=out)
    call_command("send_reminders", "--now", "2100-03-01T00:01", stdout=out)
    call_command("send_reminders", "--now", "2100-03-01T00:01", stdout=out)
    call_command("send_reminders", "--now", "2100-02-28T16:01+00:00", stdout=out)
    assert [s for s, _a, _d in sent(batch.unit)] == ["before_3", "after_1"]
    assert [r.fires_at for r in Reminder.objects.filter(step="after_1")] == [
        shanghai(2100, 3, 1)
    ] * 2  # the final plan and the work plan


def test_the_command_refuses_a_date_it_cannot_read(batch: Batch) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2100-02-30"):
        call_command("send_reminders", "--now", "2100-02-30T08:00")
    assert Reminder.objects.count() == 0


def test_a_moved_due_date_gets_its_own_reminders(batch: Batch, admin_user: User) -> None:
    do_send_reminders(shanghai(2100, 3, 1, 8))
    assert sent(batch.unit) == [("after_1", "unit", date(2100, 2, 28))]
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    do_extend(
        batch.unit,
        item,
        due_on=date(2100, 3, 20),
        reason="区级审核材料退回补正，顺延。",
        actor=admin_user,
        now=shanghai(2100, 3, 2, 10),
    )
    # A week after the old date: no escalation for it; the new date's first reminder instead.
    do_send_reminders(shanghai(2100, 3, 8, 8))
    assert sent(batch.unit) == [
        ("after_1", "unit", date(2100, 2, 28)),
        ("before_14", "unit", date(2100, 3, 20)),
    ]
    assert [s for s, _a, _d in sent(batch.unit, "work_plan_2100")] == [
        "after_1",
        "escalate_district",
    ]


def test_a_duty_done_is_not_reminded(batch: Batch, officer: User) -> None:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    do_record_completion(
        batch.unit,
        item,
        completed_on=date(2100, 2, 10),
        note="",
        actor=officer,
        now=shanghai(2100, 2, 10, 9),
    )
    for day in (14, 25):
        do_send_reminders(shanghai(2100, 2, day, 8))
    do_send_reminders(shanghai(2100, 4, 1, 8))
    assert sent(batch.unit) == []
    assert [s for s, _a, _d in sent(batch.unit, "work_plan_2100")] == [
        "before_14",
        "before_3",
        "after_1",
        "escalate_district",
        "escalate_bureau",
    ]


@override_settings(EMAIL_HOST="smtp.example.org")
def test_mail_goes_once_to_those_with_an_address_in_chinese(
    batch: Batch, users: dict[str, User]
) -> None:
    applicant = users[Role.APPLICANT]
    applicant.email = "tianlin@example.org"
    applicant.save(update_fields=["email"])
    now = shanghai(2100, 2, 14, 8)
    report = do_send_reminders(now)
    do_send_reminders(now)
    assert report.reminders == 2
    assert report.mailed == 2
    assert len(mail.outbox) == 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects[0].startswith("提醒：")
    assert "田林十二村社区" in subjects[0]
    assert "2100-02-28" in subjects[0]
    assert all(message.to == ["tianlin@example.org"] for message in mail.outbox)
    assert "我的提醒" in mail.outbox[0].body
    assert all(d.mailed_at == now for d in Delivery.objects.filter(recipient=applicant))


def test_without_mail_configured_reminders_stay_in_the_platform(
    batch: Batch, users: dict[str, User]
) -> None:
    applicant = users[Role.APPLICANT]
    applicant.email = "tianlin@example.org"
    applicant.save(update_fields=["email"])
    report = do_send_reminders(shanghai(2100, 2, 14, 8))
    assert report.reminders == 2
    assert report.mailed == 0
    assert mail.outbox == []


def test_the_page_lists_reminders_and_marks_them_read(batch: Batch, users: dict[str, User]) -> None:
    applicant = users[Role.APPLICANT]
    do_send_reminders(shanghai(2100, 3, 1, 8))
    client = signed_in(applicant)
    home = client.get(reverse("creation:todos")).content.decode()
    assert '我的提醒 <span class="count">2</span>' in home
    page = client.get(reverse("reminders:mine")).content.decode()
    assert "田林十二村社区：最终实施方案和任务清单已于 2100-02-28 到期，尚未报送。" in page
    assert page.count("<strong>新</strong>") == 2
    assert all(d.read_at is not None for d in Delivery.objects.filter(recipient=applicant))
    assert '<span class="count">' not in page  # the count is gone once seen
    again = client.get(reverse("reminders:mine")).content.decode()
    assert "<strong>新</strong>" not in again
    assert AuditEvent.objects.filter(action="reminders_read", actor=applicant).count() == 1
    # Someone else's page shows none of them and marks nothing.
    assert (
        "田林十二村社区"
        not in signed_in(batch.other_applicant).get(reverse("reminders:mine")).content.decode()
    )


def test_the_demo_reminds_the_zone_and_escalates_to_its_district_and_the_bureau(demo: None) -> None:
    zone = CreationUnit.objects.select_related("application__unit").get(
        application__unit__name="滨江新城低碳发展实践区"
    )
    steps = {(r.step, r.audience) for r in Reminder.objects.filter(unit=zone)}
    assert ("escalate_district", "district") in steps
    assert ("escalate_bureau", "bureau") in steps
    # Its rectification order, due in 14 days, reminds it too.
    assert Reminder.objects.filter(unit=zone, order__isnull=False, step="before_14").exists()
    people = {
        "applicant": User.objects.get(role=Role.APPLICANT, organisation=zone.application.unit),
        "officer": User.objects.get(
            role=Role.DISTRICT_OFFICER,
            organisation__district=zone.application.unit.district,
            organisation__kind="district_bureau",
        ),
        "bureau": User.objects.filter(role=Role.ADMINISTRATOR).first(),
    }
    counts = {
        name: Delivery.objects.filter(recipient=user, read_at__isnull=True).count()
        for name, user in people.items()
    }
    assert all(counts.values()), counts
    # Run again the next instant, the walk finds nothing more to send.
    assert do_send_reminders(timezone.now()).reminders == 0


def test_a_rectification_order_is_reminded_until_it_is_answered(
    batch: Batch, users: dict[str, User], admin_user: User, officer: User
) -> None:
    from lowcarbon.web.creation.actions import do_change_unit_status
    from lowcarbon.web.creation.models import LifecycleStatus
    from lowcarbon.web.creation.rectification import (
        ItemInput,
        do_answer_rectification_item,
        do_issue_rectification,
        do_submit_rectification,
    )

    applicant = users[Role.APPLICANT]
    unit = do_change_unit_status(
        batch.unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=batch.unit.version,
        actor=admin_user,
    )
    order = do_issue_rectification(
        unit,
        items=[ItemInput("缺少监测数据。", "补报2099年能耗监测数据。")],
        deadline=date(2100, 3, 31),
        expected_version=unit.version,
        actor=officer,
        now=shanghai(2100, 3, 1, 9),
    )
    do_send_reminders(shanghai(2100, 3, 17, 8))  # 14 days before the deadline
    do_send_reminders(shanghai(2100, 4, 1, 8))  # the day after
    do_send_reminders(shanghai(2100, 4, 1, 8))
    reminders = list(Reminder.objects.filter(order=order).order_by("fires_at"))
    assert [(r.step, r.item) for r in reminders] == [("before_14", None), ("after_1", None)]
    page = signed_in(applicant).get(reverse("reminders:mine")).content.decode()
    assert "田林十二村社区：2100-03-01 下发的整改通知已于 2100-03-31 到期，尚未提交答复。" in page
    assert reverse("creation:rectification", args=[order.pk]) in page
    order.refresh_from_db()
    do_answer_rectification_item(
        order.items.get(number=1),
        text="已补报。",
        expected_version=order.version,
        actor=applicant,
        now=shanghai(2100, 4, 2, 9),
    )
    order.refresh_from_db()
    do_submit_rectification(
        order, expected_version=order.version, actor=applicant, now=shanghai(2100, 4, 2, 10)
    )
    # Answered: no escalation to the district a week after the deadline.
    do_send_reminders(shanghai(2100, 4, 8, 8))
    assert Reminder.objects.filter(order=order).count() == 2
    assert not Reminder.objects.filter(order=order, audience="district").exists()
