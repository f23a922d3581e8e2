"""Publication makes creation units exactly once; the lifecycle and its one table of moves."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.actions import do_change_unit_status, do_create_units
from lowcarbon.web.creation.lifecycle import application_lifecycle, transition_error
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, ScheduleItem
from lowcarbon.web.review.models import Decision
from lowcarbon.web.rounds.models import Round

from ..review_support import make_round, recommended_application
from .conftest import Batch

pytestmark = pytest.mark.django_db
S = LifecycleStatus


def test_publication_makes_one_unit_per_selected_application_from_its_frozen_submission(
    batch: Batch,
) -> None:
    assert list(CreationUnit.objects.values_list("application_id", flat=True)) == [
        batch.selected.pk
    ]
    decision = Decision.objects.get(application=batch.selected)
    assert batch.unit.submission_id == decision.submission_id
    assert batch.unit.submission.snapshot_sha256  # the frozen snapshot is the starting point
    assert batch.unit.status == S.SELECTED
    assert AuditEvent.objects.filter(action="creation_unit_created").count() == 1
    # The batch got its default schedule in the same step.
    codes = set(ScheduleItem.objects.filter(round=batch.round).values_list("code", flat=True))
    assert {"final_plan", "work_plan_2100", "community_self_report"} <= codes


def test_making_units_again_makes_none(batch: Batch, admin_user: User) -> None:
    assert do_create_units(batch.round, actor=admin_user) == []
    out = StringIO()
    call_command("create_creation_units", stdout=out)
    assert "0" in out.getvalue()
    assert CreationUnit.objects.count() == 1
    assert ScheduleItem.objects.filter(round=batch.round).count() == len(
        {i.code for i in ScheduleItem.objects.filter(round=batch.round)}
    )
    assert AuditEvent.objects.filter(action="creation_unit_created").count() == 1


def test_the_command_makes_the_units_of_a_round_published_before(batch: Batch) -> None:
    # A database from before the creation stage: the decisions are published, no unit exists.
    CreationUnit.objects.all().delete()
    ScheduleItem.objects.all().delete()
    out = StringIO()
    call_command("create_creation_units", "--year", "2099", stdout=out)
    assert "2099" in out.getvalue()
    unit = CreationUnit.objects.get()
    assert unit.application_id == batch.selected.pk
    assert ScheduleItem.objects.filter(round=batch.round).exists()
    call_command("create_creation_units", stdout=StringIO())
    assert CreationUnit.objects.count() == 1
    created = AuditEvent.objects.filter(action="creation_unit_created", actor__isnull=True)
    assert created.count() == 1  # made by the system, not by a person


def test_a_year_without_published_decisions_is_refused_by_the_command(batch: Batch) -> None:
    with pytest.raises(Exception, match="2098"):
        call_command("create_creation_units", "--year", "2098", stdout=StringIO())


def test_only_an_administrator_makes_units(batch: Batch, users: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        do_create_units(batch.round, actor=users[Role.DISTRICT_OFFICER])


def test_the_lifecycle_of_an_application_from_applying_to_creation(
    users: dict[str, User], admin_user: User, batch: Batch
) -> None:
    assert application_lifecycle(batch.selected) == S.SELECTED
    assert application_lifecycle(batch.rejected) == S.NOT_SELECTED
    later: Round = make_round(admin_user, year=2098)
    recommended, _ = recommended_application(
        later, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    assert application_lifecycle(recommended) == S.RECOMMENDED
    Application.objects.filter(pk=recommended.pk).update(status="draft")
    recommended.refresh_from_db()
    assert application_lifecycle(recommended) == S.APPLYING
    do_change_unit_status(
        batch.unit, target=S.IN_CREATION, reason="开始创建。", expected_version=1, actor=admin_user
    )
    assert application_lifecycle(batch.selected) == S.IN_CREATION


def move(unit: CreationUnit, target: str, actor: User) -> CreationUnit:
    unit.refresh_from_db()
    return do_change_unit_status(
        unit, target=target, reason=f"转为{target}。", expected_version=unit.version, actor=actor
    )


def test_a_community_moves_through_creation_to_acceptance_each_move_audited(
    batch: Batch, admin_user: User, officer: User
) -> None:
    move(batch.unit, S.IN_CREATION, officer)
    move(batch.unit, S.PRE_ACCEPTANCE, officer)
    move(batch.unit, S.RECTIFICATION, officer)
    move(batch.unit, S.PRE_ACCEPTANCE, officer)
    unit = move(batch.unit, S.ACCEPTED, admin_user)
    assert unit.status == S.ACCEPTED
    events = AuditEvent.objects.filter(action="creation_unit_status_changed").order_by("id")
    assert [e.after["status"] for e in events] == [
        S.IN_CREATION,
        S.PRE_ACCEPTANCE,
        S.RECTIFICATION,
        S.PRE_ACCEPTANCE,
        S.ACCEPTED,
    ]
    assert events.last().reason == "转为accepted。"  # type: ignore[union-attr]
    assert events.first().before == {"status": S.SELECTED}  # type: ignore[union-attr]


def test_refused_moves_say_what_the_unit_can_do_instead(batch: Batch, admin_user: User) -> None:
    with pytest.raises(ValidationError) as straight_to_acceptance:
        move(batch.unit, S.ACCEPTED, admin_user)
    [message] = straight_to_acceptance.value.message_dict["status"]
    assert "入选" in message
    assert "验收通过" in message
    assert "创建中" in message
    move(batch.unit, S.IN_CREATION, admin_user)
    with pytest.raises(ValidationError) as midterm:
        move(batch.unit, S.MIDTERM_EVALUATION, admin_user)
    assert "低碳社区" in midterm.value.message_dict["status"][0]
    assert CreationUnit.objects.get().status == S.IN_CREATION


def test_a_zone_has_a_midterm_evaluation_and_final_statuses_are_final() -> None:
    assert transition_error("zone", S.IN_CREATION, S.MIDTERM_EVALUATION) is None
    assert transition_error("zone", S.MIDTERM_EVALUATION, S.IN_CREATION) is None
    assert transition_error("community", S.IN_CREATION, S.MIDTERM_EVALUATION) is not None
    for final in (S.ACCEPTED, S.FAILED):
        message = transition_error("zone", final, S.IN_CREATION)
        assert message is not None
        assert "不再变更" in message
    assert transition_error("zone", S.IN_CREATION, "nonsense") is not None


def test_a_move_needs_a_reason_the_current_version_and_the_right_person(
    batch: Batch, admin_user: User, officer: User, users: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as no_reason:
        do_change_unit_status(
            batch.unit, target=S.IN_CREATION, reason="  ", expected_version=1, actor=officer
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError, match="重新加载"):
        do_change_unit_status(
            batch.unit, target=S.IN_CREATION, reason="开始。", expected_version=7, actor=officer
        )
    for outsider in (users[Role.APPLICANT], batch.other_officer, users[Role.EXPERT]):
        with pytest.raises(ValidationError):
            move(batch.unit, S.IN_CREATION, outsider)
    move(batch.unit, S.IN_CREATION, officer)
    move(batch.unit, S.PRE_ACCEPTANCE, officer)
    with pytest.raises(ValidationError, match="市"):
        move(batch.unit, S.ACCEPTED, officer)  # acceptance is the bureau's
    assert CreationUnit.objects.get().status == S.PRE_ACCEPTANCE
    assert not AuditEvent.objects.filter(reason="开始。").exists()
