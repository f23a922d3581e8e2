"""Who sees what: each role against each page, anonymous visitors sent to sign in."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.rounds.models import Round, RoundStatus

pytestmark = pytest.mark.django_db

ROLES = [Role.ADMINISTRATOR, Role.DISTRICT_OFFICER, Role.EXPERT, Role.APPLICANT]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["home", "rounds:open"])
def test_anonymous_visitors_are_sent_to_sign_in(name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_cannot_see_a_round(open_round: Round) -> None:
    response = Client().get(reverse("rounds:detail", args=[open_round.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_open_round_on_the_workbench(
    users: dict[str, User], open_round: Round, role: str
) -> None:
    response = signed_in(users[role]).get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["rounds"]) == [open_round]
    assert response.context["can_manage_rounds"] is (role == Role.ADMINISTRATOR)
    detail = signed_in(users[role]).get(reverse("rounds:detail", args=[open_round.pk]))
    assert detail.status_code == 200
    # The round's factor set by its title, not its id.
    page = detail.content.decode()
    assert "上海市温室气体排放核算缺省因子（沪环气〔2022〕34号）" in page
    assert "shanghai-2022" not in page


@pytest.mark.parametrize(
    ("role", "status"), [(r, 200 if r == Role.ADMINISTRATOR else 404) for r in ROLES]
)
def test_only_administrators_see_a_closed_round(
    users: dict[str, User],
    open_round: Round,
    role: str,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # No close action exists yet (next increment); set the state directly for this test.
    Round.objects.filter(pk=open_round.pk).update(status=RoundStatus.CLOSED)
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        response = signed_in(users[role]).get(reverse("rounds:detail", args=[open_round.pk]))
    assert response.status_code == status
    assert ("permission denied" in caplog.text) is (status == 404)
    home = signed_in(users[role]).get(reverse("home"))
    assert len(home.context["rounds"]) == (1 if role == Role.ADMINISTRATOR else 0)


@pytest.mark.parametrize(
    ("role", "status"), [(r, 200 if r == Role.ADMINISTRATOR else 403) for r in ROLES]
)
def test_only_administrators_may_open_a_round(
    users: dict[str, User], role: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        response = signed_in(users[role]).get(reverse("rounds:open"))
    assert response.status_code == status
    assert ("permission denied" in caplog.text) is (status == 403)


def form_data(**overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "year": "2027",
        "kinds": ["community", "zone"],
        "submission_deadline": "2027-06-30",
        "recommendation_deadline": "2027-07-31",
        "review_deadline": "2027-09-30",
        "community_rubric": "2021",
        "community_outline": "2021",
        "zone_rubric": "2021",
        "zone_outline": "2021",
        "factor_set_id": "shanghai-2022",
    }
    return data | overrides


def test_an_administrator_opens_a_round_through_the_form(users: dict[str, User]) -> None:
    client = signed_in(users[Role.ADMINISTRATOR])  # signing in is an audit event of its own
    events = AuditEvent.objects.count()
    response = client.post(reverse("rounds:open"), form_data(), follow=True)
    round_ = Round.objects.get(year=2027)
    assert response.redirect_chain[-1][0] == reverse("rounds:detail", args=[round_.pk])
    assert "2027年度批次已开启。" in response.content.decode()
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor, event.ip_address) == (
        "round_opened",
        users[Role.ADMINISTRATOR],
        "127.0.0.1",
    )
    assert round_.review_deadline == date(2027, 9, 30)


def test_the_form_shows_the_actions_errors_and_saves_nothing(users: dict[str, User]) -> None:
    client = signed_in(users[Role.ADMINISTRATOR])
    events = AuditEvent.objects.count()
    response = client.post(reverse("rounds:open"), form_data(review_deadline="2027-07-01"))
    assert response.status_code == 200
    assert "评审截止日期必须晚于推荐截止日期。" in response.content.decode()
    assert not Round.objects.filter(year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_a_forbidden_post_saves_nothing(users: dict[str, User]) -> None:
    response = signed_in(users[Role.DISTRICT_OFFICER]).post(reverse("rounds:open"), form_data())
    assert response.status_code == 403
    assert not Round.objects.filter(year=2027).exists()


def test_after_publication_applicants_are_told_the_result(demo: None) -> None:
    """The demo's 2024 batch was published: its applicant sees 入选 and where the creation
    stage stands, never "awaiting the municipal review"; the round reads as published."""
    applicant = User.objects.get(username="demo-fenglin")
    unit = CreationUnit.objects.get(application__unit=applicant.organisation)
    page = signed_in(applicant).get(reverse("home")).content.decode()
    assert "已入选：创建阶段" in page
    assert "等待市级综合评估" not in page
    assert reverse("creation:unit", args=[unit.pk]) in page
    assert "评审结果已公示" in page  # the 2024 round
    # An applicant of this year's open round still sees what to do next.
    other = signed_in(User.objects.get(username="demo-community")).get(reverse("home"))
    assert "完善后于截止日期前提交" in other.content.decode()
