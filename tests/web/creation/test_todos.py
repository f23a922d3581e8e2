"""我的待办 of the creation stage, per role, against a clock the test sets: the unit sees what
it still owes, the district officer its district's overdue items, the bureau every overdue item,
experts nothing."""

from __future__ import annotations

from datetime import date

import pytest

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.creation.actions import do_extend, do_record_completion
from lowcarbon.web.creation.duties import DutyState, duties_of, todos_for
from lowcarbon.web.creation.models import CreationUnit, ScheduleItem

from ..review_support import make_round, recommended_application
from .conftest import Batch
from .support import decide_and_publish, shanghai, unit_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(batch: Batch, admin_user: User) -> CreationUnit:
    """外滩社区 (黄浦区), selected in the 2098 batch."""
    round_ = make_round(admin_user, year=2098)
    application, _ = recommended_application(round_, batch.other_applicant, batch.other_officer)
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_c2")
    return unit_of(application)


def codes(duties: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(d.unit.application.unit.name, d.item.code, d.state) for d in duties]


def test_to_dos_per_role_against_the_given_clock(
    batch: Batch, second: CreationUnit, users: dict[str, User], admin_user: User
) -> None:
    # 2100-03-10: the 2099 batch's final plan and 2100 work plan (end of February 2100) are
    # overdue; the 2098 batch's self-report (2100-03-31) is due, its 2100 work plan overdue.
    now = shanghai(2100, 3, 10, 9, 0)
    mine = todos_for(users[Role.APPLICANT], now)
    assert {d.unit.pk for d in mine} == {batch.unit.pk}
    states = {d.item.code: d.state for d in mine}
    assert states["final_plan"] == DutyState.OVERDUE
    assert states["work_plan_2100"] == DutyState.OVERDUE
    assert states["community_self_report"] == DutyState.UPCOMING
    assert [d.due_at for d in mine] == sorted(d.due_at for d in mine)

    xuhui = todos_for(users[Role.DISTRICT_OFFICER], now)
    assert {(u, c) for u, c, _s in codes(xuhui)} == {
        ("田林十二村社区", "final_plan"),
        ("田林十二村社区", "work_plan_2100"),
    }
    huangpu = todos_for(batch.other_officer, now)
    assert {u for u, _c, _s in codes(huangpu)} == {"外滩社区"}
    assert all(s == DutyState.OVERDUE for _u, _c, s in codes(huangpu))
    assert ("外滩社区", "community_self_report", DutyState.DUE) not in codes(huangpu)

    bureau = todos_for(admin_user, now)
    assert set(codes(bureau)) == set(codes(xuhui)) | set(codes(huangpu))
    assert todos_for(users[Role.EXPERT], now) == []
    assert todos_for(batch.other_applicant, now) == [
        d for d in duties_of([second], now) if d.state != DutyState.DONE
    ]


def test_filings_and_extensions_take_items_off_the_lists(
    batch: Batch, users: dict[str, User], admin_user: User, officer: User
) -> None:
    now = shanghai(2100, 3, 1, 0, 0, 0)  # the first second after the end of February
    before = shanghai(2100, 2, 28, 23, 59, 59)
    assert todos_for(officer, before) == []  # on time until the last second
    overdue = {d.item.code for d in todos_for(officer, now)}
    assert overdue == {"final_plan", "work_plan_2100"}
    final_plan = ScheduleItem.objects.get(round=batch.round, code="final_plan")
    work_plan = ScheduleItem.objects.get(round=batch.round, code="work_plan_2100")
    do_record_completion(
        batch.unit, final_plan, completed_on=date(2100, 2, 27), note="", actor=officer, now=now
    )
    do_extend(
        batch.unit, work_plan, due_on=date(2100, 3, 15), reason="春节后报送。", actor=admin_user
    )
    assert todos_for(officer, now) == []
    assert todos_for(admin_user, now) == []
    [extended] = [d for d in todos_for(users[Role.APPLICANT], now) if d.item == work_plan]
    assert extended.state == DutyState.DUE
    assert extended.extended
    assert final_plan not in [d.item for d in todos_for(users[Role.APPLICANT], now)]
    # After the extended date it is overdue again, for the district and the bureau.
    later = shanghai(2100, 3, 16)
    assert [d.item for d in todos_for(officer, later)] == [work_plan]
