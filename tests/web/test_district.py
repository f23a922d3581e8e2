"""The district's part: the queue of submissions, the frozen snapshot, recommend or return."""

# The fixtures come from test_submission: pytest finds them by the imported names, which
# ruff reads as redefinitions when tests take them as arguments.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.submission import do_district_decide, do_submit, do_withdraw
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Round

from .conftest import PASSWORD
from .test_submission import (  # noqa: F401 - fixtures
    application,
    complete,
    current_round,
    events,
    other_unit,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(complete: Application, applicant: User) -> Application:
    do_submit(complete, actor=applicant)
    complete.refresh_from_db()
    return complete


@pytest.fixture
def far_officer(admin_user: User) -> User:
    pudong = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="浦东新区"
    )
    return do_create_user(
        username="pudong-officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=pudong,
        actor=admin_user,
    )


# --- deciding ------------------------------------------------------------------------------


def test_recommending_freezes_it_and_audits(
    submitted: Application, officer: User, applicant: User
) -> None:
    decided = do_district_decide(submitted, decision="recommended", comment="", actor=officer)
    submitted.refresh_from_db()
    assert submitted.status == "recommended"
    assert (decided.district_decision, decided.decided_by) == ("recommended", officer)
    assert decided.decided_at is not None
    event = AuditEvent.objects.get(action="application_recommended")
    assert event.after is not None
    assert event.after["snapshot_sha256"] == decided.snapshot_sha256
    # Frozen: the unit can neither withdraw nor submit again.
    with pytest.raises(ValidationError):
        do_withdraw(submitted, reason="想再改改", actor=applicant)
    with pytest.raises(ValidationError):
        do_submit(submitted, actor=applicant)
    assert Submission.objects.count() == 1


def test_returning_needs_comments(submitted: Application, officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_district_decide(submitted, decision="returned", comment=" ", actor=officer)
    assert "comment" in refused.value.message_dict
    assert "退回时请写明" in " ".join(refused.value.message_dict["comment"])
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert events("application_returned") == 0


def test_an_unknown_decision_is_refused(submitted: Application, officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        do_district_decide(submitted, decision="approved", comment="x", actor=officer)
    assert "decision" in refused.value.message_dict


def test_a_returned_application_is_resubmitted_as_number_two(
    submitted: Application, officer: User, applicant: User
) -> None:
    do_district_decide(
        submitted, decision="returned", comment="请补充碳汇林认养协议。", actor=officer
    )
    submitted.refresh_from_db()
    assert submitted.status == "returned"
    assert submitted.is_editable
    assert AuditEvent.objects.get(action="application_returned").reason == "请补充碳汇林认养协议。"
    content = (
        signed_in(applicant)
        .get(reverse("applications:submission", args=[submitted.pk]))
        .content.decode()
    )
    assert "区生态环境局退回修改" in content
    assert "请补充碳汇林认养协议。" in content
    second = do_submit(submitted, actor=applicant)
    assert second.number == 2
    first = submitted.submissions.get(number=1)
    assert first.district_decision == "returned"
    assert len(first.snapshot_sha256) == 64
    assert first.snapshot["number"] == 1


def test_deciding_twice_is_refused(submitted: Application, officer: User) -> None:
    do_district_decide(submitted, decision="recommended", comment="", actor=officer)
    submitted.refresh_from_db()
    with pytest.raises(ValidationError, match="不在等待区里决定"):
        do_district_decide(submitted, decision="returned", comment="改", actor=officer)
    assert events("application_recommended") == 1
    assert events("application_returned") == 0


def test_the_second_of_two_decisions_is_refused(submitted: Application, officer: User) -> None:
    stale = Application.objects.get(pk=submitted.pk)
    do_district_decide(submitted, decision="recommended", comment="", actor=officer)
    with pytest.raises(ValidationError, match="本次未作决定"):
        do_district_decide(stale, decision="returned", comment="改", actor=officer)
    assert Application.objects.get(pk=submitted.pk).status == "recommended"


def test_only_the_units_district_decides(
    submitted: Application, far_officer: User, applicant: User, admin_user: User
) -> None:
    for actor in (far_officer, applicant, admin_user):
        with pytest.raises(ValidationError, match="所在区"):
            do_district_decide(submitted, decision="recommended", comment="", actor=actor)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_deciding_after_the_recommendation_deadline_is_refused(
    submitted: Application, officer: User
) -> None:
    Round.objects.filter(pk=submitted.round_id).update(
        recommendation_deadline=timezone.localdate() - timedelta(days=1)
    )
    submitted.refresh_from_db()
    with pytest.raises(ValidationError, match="推荐截止日期"):
        do_district_decide(submitted, decision="recommended", comment="", actor=officer)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_withdrawn_submission_cannot_be_decided(
    submitted: Application, officer: User, applicant: User
) -> None:
    do_withdraw(submitted, reason="补充材料", actor=applicant)
    submitted.refresh_from_db()
    with pytest.raises(ValidationError):
        do_district_decide(submitted, decision="recommended", comment="", actor=officer)


# --- pages ---------------------------------------------------------------------------------


def test_the_queue_lists_the_districts_submissions(
    submitted: Application, officer: User, far_officer: User
) -> None:
    response = signed_in(officer).get(reverse("applications:district_queue"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "待推荐申报 1 项" in content
    assert "田林十二村社区" in content
    total = submitted.submissions.get().snapshot["score"]["total"]
    assert total.rstrip("0").rstrip(".") in content
    assert "待推荐" in content
    far = signed_in(far_officer).get(reverse("applications:district_queue")).content.decode()
    assert "田林十二村社区" not in far
    assert "本区尚无提交的申报" in far
    home = signed_in(officer).get(reverse("home")).content.decode()
    assert "待推荐申报 1 项" in home
    assert reverse("applications:district_queue") in home


def test_the_snapshot_page_shows_the_frozen_figures(submitted: Application, officer: User) -> None:
    submission = submitted.submissions.get()
    url = reverse("applications:submission_detail", args=[submitted.pk, 1])
    content = signed_in(officer).get(url).content.decode()
    assert submission.snapshot_sha256 in content
    assert "固化快照" in content
    assert "合计：" in content
    assert "E01" in content
    assert "无证明材料" in content  # the warning and the zeroed items
    assert "6083.11" in content  # 2023 emissions of the example community
    assert "提交决定" in content  # the decision form
    assert "退回修改" in content
    # Below the data it depends on, and the check values folded away in a details block.
    assert content.index('id="decide-heading"') > content.index('id="evidence-heading"')
    assert content.index('<details class="hashes">') < content.index(submission.snapshot_sha256)


def test_deciding_through_the_page(submitted: Application, officer: User) -> None:
    client = signed_in(officer)
    url = reverse("applications:district_decide", args=[submitted.pk, 1])
    blank = client.post(url, {"decision": "returned", "comment": ""})
    assert blank.status_code == 200
    assert "退回时请写明" in blank.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    done = client.post(url, {"decision": "returned", "comment": "补充面积测绘依据"})
    assert done.status_code == 302
    assert done["Location"] == reverse("applications:district_queue")
    submitted.refresh_from_db()
    assert submitted.status == "returned"


def test_the_permission_matrix_of_the_district_routes(
    submitted: Application,
    users: dict[str, User],
    admin_user: User,
    far_officer: User,
) -> None:
    _, stranger = other_unit(admin_user, "徐汇区", "康健街道社区")
    queue = reverse("applications:district_queue")
    detail = reverse("applications:submission_detail", args=[submitted.pk, 1])
    missing = reverse("applications:submission_detail", args=[submitted.pk, 7])
    decide = reverse("applications:district_decide", args=[submitted.pk, 1])
    expected = [
        (users[Role.APPLICANT], 403, 200, 403),
        (stranger, 403, 404, 404),
        (users[Role.EXPERT], 403, 404, 404),
        (admin_user, 403, 200, 403),
        (far_officer, 200, 404, 404),
    ]
    for user, *statuses in expected:
        client = signed_in(user)
        found = [
            client.get(queue).status_code,
            client.get(detail).status_code,
            client.post(decide, {"decision": "recommended"}).status_code,
        ]
        assert found == statuses, user.username
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    officer = signed_in(users[Role.DISTRICT_OFFICER])
    assert officer.get(missing).status_code == 404
    assert officer.get(decide).status_code == 302  # a GET only goes back to the snapshot
    assert officer.post(decide, {"decision": "recommended"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "recommended"
    # Decided: a second post is refused (no longer awaiting a decision).
    assert officer.post(decide, {"decision": "returned", "comment": "x"}).status_code == 403
    for url in (queue, detail, decide):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_workbench_shows_the_queue_only_to_district_officers(
    submitted: Application, users: dict[str, User], admin_user: User
) -> None:
    for user in (admin_user, users[Role.EXPERT]):
        content = signed_in(user).get(reverse("home")).content.decode()
        assert "待推荐申报" not in content, user.username
    # The bureau's own to-dos (issue 14 item 14), not the district's queue; the expert's work
    # is their review assignments.
    assert "我的待办" in signed_in(admin_user).get(reverse("home")).content.decode()
    expert_home = signed_in(users[Role.EXPERT]).get(reverse("home")).content.decode()
    assert "待评分的评审任务：0 项" in expert_home
