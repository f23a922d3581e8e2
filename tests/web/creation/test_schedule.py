"""The batch's schedule as data: the default pattern (leap years, Asia/Shanghai), the bureau's
audited date changes and per-unit extensions, filings recorded, each duty's state against a
clock the test sets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_change_schedule_item, do_extend, do_record_completion
from lowcarbon.web.creation.duties import DutyState, unit_duties
from lowcarbon.web.creation.models import Extension, ScheduleItem
from lowcarbon.web.creation.schedule import close_of, default_items, is_late

from .conftest import Batch
from .support import shanghai

UTC = ZoneInfo("UTC")


def by_code(batch_year: int, kinds: list[str]) -> dict[str, object]:
    return {item.code: item for item in default_items(batch_year, kinds)}


def test_the_defaults_follow_the_notices_pattern_from_the_batch_year() -> None:
    items = {i.code: i for i in default_items(2021, ["community", "zone"])}
    assert items["final_plan"].due_on == date(2022, 2, 28)
    assert [items[f"work_plan_{y}"].due_on for y in (2022, 2023, 2024, 2025)] == [
        date(2022, 2, 28),
        date(2023, 2, 28),
        date(2024, 2, 29),  # a leap year: the end of February is the 29th
        date(2025, 2, 28),
    ]
    # Communities file work plans until their acceptance (two years), zones for four.
    assert items["work_plan_2023"].kinds == ("community", "zone")
    assert items["work_plan_2024"].kinds == ("zone",)
    assert items["zone_midterm_report"].due_on.year == 2023
    assert items["zone_final_acceptance"].due_on.year == 2025
    assert items["zone_final_acceptance"].opens_on is not None
    assert items["community_self_report"].due_on.year == 2023
    site_visit = items["community_site_visit"]
    assert site_visit.opens_on is not None
    assert site_visit.opens_on < site_visit.due_on
    community_only = {i.code for i in default_items(2021, ["community"])}
    assert "zone_midterm_report" not in community_only
    assert "work_plan_2024" not in community_only


def test_a_leap_year_batch_and_the_century_rule() -> None:
    assert default_items(2023, ["community"])[0].due_on == date(2024, 2, 29)
    # 2100 is no leap year (divisible by 100, not by 400).
    assert {i.code: i for i in default_items(2099, ["community"])}["final_plan"].due_on == date(
        2100, 2, 28
    )


def test_the_end_of_february_is_23_59_59_in_shanghai() -> None:
    due = close_of(date(2024, 2, 29))
    assert due == shanghai(2024, 2, 29, 23, 59, 59)
    assert not is_late(shanghai(2024, 2, 29, 23, 59, 59), due)
    assert not is_late(shanghai(2024, 2, 29, 23, 59, 59, 999_999), due)
    assert is_late(shanghai(2024, 3, 1, 0, 0, 0), due)
    # The same instants seen from UTC (eight hours behind).
    assert not is_late(datetime(2024, 2, 29, 15, 59, 59, tzinfo=UTC), due)
    assert is_late(datetime(2024, 2, 29, 16, 0, 0, tzinfo=UTC), due)


def duty(batch: Batch, code: str, now: datetime) -> object:
    return next(d for d in unit_duties(batch.unit, now) if d.item.code == code)


def test_each_duty_is_done_overdue_due_or_upcoming_against_the_given_clock(
    batch: Batch, officer: User
) -> None:
    final_plan = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    assert final_plan.due_at == shanghai(2100, 2, 28, 23, 59, 59)
    assert duty(batch, "final_plan", shanghai(2099, 12, 1)).state == DutyState.UPCOMING
    assert duty(batch, "final_plan", shanghai(2100, 2, 1)).state == DutyState.DUE
    assert duty(batch, "final_plan", shanghai(2100, 2, 28, 23, 59, 59)).state == DutyState.DUE
    assert duty(batch, "final_plan", shanghai(2100, 3, 1)).state == DutyState.OVERDUE
    # A window is due while it is open, even months before it closes.
    visit = ScheduleItem.objects.get(round=batch.round, code="community_site_visit")
    assert visit.opens_at is not None
    assert duty(batch, visit.code, visit.opens_at).state == DutyState.DUE
    assert duty(batch, visit.code, visit.opens_at - timedelta(days=40)).state == DutyState.UPCOMING
    # Zones' items are not the community's.
    codes = {d.item.code for d in unit_duties(batch.unit, shanghai(2100, 1, 1))}
    assert "zone_midterm_report" not in codes
    assert "community_self_report" in codes
    do_record_completion(
        batch.unit,
        final_plan,
        completed_on=date(2100, 3, 2),
        note="方案已报送。",
        actor=officer,
        now=shanghai(2100, 3, 5),
    )
    done = duty(batch, "final_plan", shanghai(2100, 3, 5))
    assert done.state == DutyState.DONE
    assert done.completed_late  # received two days after the end of February


def test_a_filing_in_the_future_or_twice_is_refused(batch: Batch, officer: User) -> None:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    now = shanghai(2100, 3, 5)
    with pytest.raises(ValidationError) as future:
        do_record_completion(
            batch.unit, item, completed_on=date(2100, 3, 6), note="", actor=officer, now=now
        )
    assert "2100-03-06" in future.value.message_dict["completed_on"][0]
    do_record_completion(
        batch.unit, item, completed_on=date(2100, 2, 28), note="", actor=officer, now=now
    )
    assert not duty(batch, "final_plan", now).completed_late
    with pytest.raises(ValidationError):
        do_record_completion(
            batch.unit, item, completed_on=date(2100, 3, 1), note="", actor=officer, now=now
        )
    with pytest.raises(ValidationError):
        do_record_completion(
            batch.unit, item, completed_on=date(2100, 3, 1), note="", actor=batch.other_officer
        )


def test_the_bureau_moves_a_date_with_a_reason_audited(batch: Batch, admin_user: User) -> None:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    with pytest.raises(ValidationError) as no_reason:
        do_change_schedule_item(
            item,
            opens_on=None,
            due_on=date(2100, 3, 31),
            reason=" ",
            expected_version=1,
            actor=admin_user,
        )
    assert "reason" in no_reason.value.message_dict
    changed = do_change_schedule_item(
        item,
        opens_on=None,
        due_on=date(2100, 3, 31),
        reason="按2100年通知，延至3月底。",
        expected_version=1,
        actor=admin_user,
    )
    assert changed.due_at == shanghai(2100, 3, 31, 23, 59, 59)
    event = AuditEvent.objects.get(action="creation_schedule_item_changed")
    assert event.reason == "按2100年通知，延至3月底。"
    assert event.before["due_at"].startswith("2100-02-28T23:59:59")
    assert event.after["due_at"].startswith("2100-03-31T23:59:59")
    # The unit's duty follows the batch's date.
    assert duty(batch, "final_plan", shanghai(2100, 3, 15)).state == DutyState.DUE
    with pytest.raises(ValidationError, match="重新加载"):
        do_change_schedule_item(
            item,
            opens_on=None,
            due_on=date(2100, 4, 30),
            reason="再延。",
            expected_version=1,
            actor=admin_user,
        )


def test_a_schedule_date_is_the_bureaus_and_a_window_opens_before_it_closes(
    batch: Batch, users: dict[str, User], admin_user: User
) -> None:
    window = ScheduleItem.objects.get(round=batch.round, code="community_site_visit")
    for person in (users[Role.DISTRICT_OFFICER], users[Role.APPLICANT]):
        with pytest.raises(ValidationError):
            do_change_schedule_item(
                window,
                opens_on=date(2101, 6, 1),
                due_on=date(2101, 9, 30),
                reason="改。",
                expected_version=1,
                actor=person,
            )
    with pytest.raises(ValidationError) as reversed_window:
        do_change_schedule_item(
            window,
            opens_on=date(2101, 10, 1),
            due_on=date(2101, 9, 30),
            reason="改。",
            expected_version=1,
            actor=admin_user,
        )
    assert "2101-09-30" in reversed_window.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError) as no_opening:
        do_change_schedule_item(
            window,
            opens_on=None,
            due_on=date(2101, 9, 30),
            reason="改。",
            expected_version=1,
            actor=admin_user,
        )
    assert "opens_on" in no_opening.value.message_dict
    assert not AuditEvent.objects.filter(action="creation_schedule_item_changed").exists()


def test_an_extension_moves_a_passed_due_date_for_one_unit_with_its_reason(
    batch: Batch, admin_user: User, officer: User
) -> None:
    item = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    late = shanghai(2100, 3, 10)
    assert duty(batch, "final_plan", late).state == DutyState.OVERDUE
    with pytest.raises(ValidationError) as no_reason:
        do_extend(batch.unit, item, due_on=date(2100, 4, 30), reason="", actor=admin_user, now=late)
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError):
        do_extend(batch.unit, item, due_on=date(2100, 4, 30), reason="疫情。", actor=officer)
    extension = do_extend(
        batch.unit,
        item,
        due_on=date(2100, 4, 30),
        reason="街道机构调整，延期报送。",
        actor=admin_user,
        now=late,
    )
    assert extension.previous_due_at == item.due_at
    now_due = duty(batch, "final_plan", late)
    assert now_due.state == DutyState.UPCOMING  # no longer overdue
    assert now_due.due_at == shanghai(2100, 4, 30, 23, 59, 59)
    assert now_due.extended
    # The batch's date is untouched for everyone else.
    item.refresh_from_db()
    assert item.due_at == shanghai(2100, 2, 28, 23, 59, 59)
    event = AuditEvent.objects.get(action="creation_unit_extended")
    assert event.reason == "街道机构调整，延期报送。"
    assert event.before == {"item": "final_plan", "due_at": "2100-02-28T23:59:59+08:00"}
    # Again, later: the latest extension applies, each is kept.
    do_extend(batch.unit, item, due_on=date(2100, 5, 31), reason="再延一月。", actor=admin_user)
    assert Extension.objects.count() == 2
    assert duty(batch, "final_plan", late).due_at == shanghai(2100, 5, 31, 23, 59, 59)
    with pytest.raises(ValidationError, match="2100-05-31"):
        do_extend(batch.unit, item, due_on=date(2100, 5, 31), reason="同。", actor=admin_user)


def test_an_extension_of_an_item_outside_the_units_schedule_is_refused(
    batch: Batch, admin_user: User
) -> None:
    zone_item = ScheduleItem.objects.get(round=batch.round, code="zone_midterm_report")
    with pytest.raises(ValidationError) as refused:
        do_extend(batch.unit, zone_item, due_on=date(2101, 12, 31), reason="延。", actor=admin_user)
    assert "item" in refused.value.message_dict
