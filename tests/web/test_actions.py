"""Actions: success writes exactly one audit event; invalid input saves nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation
from lowcarbon.web.rounds.actions import do_change_round_deadlines, do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import open_round_arguments

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Round.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
        Organisation.objects.count(),
    )


def test_opening_a_round_saves_it_with_one_audit_event(admin_user: User) -> None:
    rounds, events, *_ = counts()
    round_ = do_open_round(**open_round_arguments(kinds=["zone", "community"]), actor=admin_user)
    assert (Round.objects.count(), AuditEvent.objects.count()) == (rounds + 1, events + 1)
    assert round_.kinds == ["community", "zone"]
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.object_id) == (
        "round_opened",
        admin_user,
        str(round_.pk),
    )
    assert event.after["rubric_editions"] == {"community": "2021", "zone": "2021"}
    assert event.after["submission_deadline"] == "2026-06-30"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"year": 2019}, "year"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["village"]}, "kinds"),
        ({"recommendation_deadline": date(2026, 6, 30)}, "recommendation_deadline"),
        ({"review_deadline": date(2026, 7, 1)}, "review_deadline"),
        ({"rubric_editions": {"community": "1999", "zone": "2021"}}, "rubric_editions"),
        ({"outline_editions": {"zone": "2021"}}, "outline_editions"),
        ({"factor_set_id": "nowhere-2099"}, "factor_set_id"),
    ],
)
def test_an_invalid_round_saves_nothing(
    admin_user: User, overrides: dict[str, Any], field: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as raised:
        do_open_round(**open_round_arguments(**overrides), actor=admin_user)
    assert field in raised.value.message_dict
    assert counts() == before


def test_a_second_round_for_the_same_year_is_refused(open_round: Round, admin_user: User) -> None:
    before = counts()
    with pytest.raises(ValidationError, match="2026"):
        do_open_round(**open_round_arguments(), actor=admin_user)
    assert counts() == before


def test_errors_are_in_chinese_by_default(admin_user: User) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        do_open_round(**open_round_arguments(factor_set_id="x"), actor=admin_user)
    assert raised.value.message_dict["factor_set_id"][0].startswith("没有内置的排放因子集“x”")


def test_changing_deadlines_records_before_after_and_reason(
    open_round: Round, admin_user: User
) -> None:
    events = AuditEvent.objects.count()
    changed = do_change_round_deadlines(
        open_round,
        submission_deadline=date(2026, 7, 15),
        recommendation_deadline=date(2026, 8, 15),
        review_deadline=date(2026, 10, 15),
        actor=admin_user,
        reason="区级推荐延期（沪环气通知）",
    )
    assert changed.submission_deadline == date(2026, 7, 15)
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "round_deadlines_changed"
    assert event.before["submission_deadline"] == "2026-06-30"
    assert event.after["submission_deadline"] == "2026-07-15"
    assert event.reason == "区级推荐延期（沪环气通知）"


@pytest.mark.parametrize(
    ("reason", "review", "field"),
    [(" ", date(2026, 10, 1), "reason"), ("延期", date(2026, 7, 1), "review_deadline")],
)
def test_an_invalid_deadline_change_saves_nothing(
    open_round: Round, admin_user: User, reason: str, review: date, field: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        do_change_round_deadlines(
            open_round,
            submission_deadline=date(2026, 7, 15),
            recommendation_deadline=date(2026, 8, 15),
            review_deadline=review,
            actor=admin_user,
            reason=reason,
        )
    assert field in raised.value.message_dict
    open_round.refresh_from_db()
    assert open_round.submission_deadline == date(2026, 6, 30)
    assert AuditEvent.objects.count() == events


def test_creating_a_user_validates_the_password(municipal: Organisation) -> None:
    before = counts()
    with pytest.raises(ValidationError) as raised:
        do_create_user(
            username="short",
            password="abc12345",
            role=Role.ADMINISTRATOR,
            organisation=municipal,
            actor=None,
        )
    assert "password" in raised.value.message_dict
    assert counts() == before


@pytest.mark.parametrize(
    ("username", "role", "field"),
    [
        ("admin", Role.EXPERT, "username"),
        ("new", "mayor", "role"),
        ("new", Role.APPLICANT, "organisation"),
    ],
)
def test_an_invalid_user_saves_nothing(
    admin_user: User, username: str, role: str, field: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as raised:
        do_create_user(
            username=username,
            password="a-long-enough-pass",
            role=role,
            organisation=None,
            actor=admin_user,
        )
    assert field in raised.value.message_dict
    assert counts() == before


def test_creating_an_organisation_writes_one_event(admin_user: User, xuhui: Organisation) -> None:
    before = counts()
    unit = do_create_organisation(
        kind="applicant_unit",
        name=" 示范社区 ",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )
    assert unit.name == "示范社区"
    assert counts() == (before[0], before[1] + 1, before[2], before[3] + 1)
    with pytest.raises(ValidationError):
        do_create_organisation(
            kind="applicant_unit", name="示范社区", parent=None, district=None, actor=admin_user
        )
    with pytest.raises(ValidationError):
        do_create_organisation(kind="club", name="", parent=None, district=None, actor=admin_user)
    assert counts() == (before[0], before[1] + 1, before[2], before[3] + 1)
