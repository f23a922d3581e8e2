"""The applicant workspace: creating applications, saving sections, who sees what."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import PASSWORD, open_round_arguments

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_round(admin_user: User) -> Round:
    """A round whose submission deadline lies ahead, whatever today is."""
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=2099,
            kinds=["community"],
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
        ),
        actor=admin_user,
    )


@pytest.fixture
def application(current_round: Round, applicant: User) -> Application:
    return do_create_application(
        current_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )


def _other_unit(admin_user: User, district_name: str, name: str) -> tuple[Organisation, User]:
    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name=district_name
    )
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name=name,
        parent=bureau,
        district=bureau.district,
        actor=admin_user,
    )
    person = do_create_user(
        username=f"applicant-{unit.pk}",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
    )
    return unit, person


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- creating ---------------------------------------------------------------------------


def test_creating_copies_the_round_editions_and_writes_one_event(
    application: Application, current_round: Round
) -> None:
    assert application.outline_edition == current_round.outline_editions["community"]
    assert application.rubric_edition == current_round.rubric_editions["community"]
    assert application.factor_set_id == current_round.factor_set_id
    assert (application.status, application.version, application.sections) == ("draft", 1, {})
    assert _events("application_created") == 1


def test_creating_for_another_unit_is_refused(
    current_round: Round, applicant: User, admin_user: User
) -> None:
    other, _ = _other_unit(admin_user, "徐汇区", "康健街道社区")
    with pytest.raises(ValidationError, match="只能为本单位申报"):
        do_create_application(current_round, other, "community", actor=applicant)
    assert Application.objects.count() == 0
    assert _events("application_created") == 0


def test_creating_for_a_kind_not_open_is_refused(current_round: Round, applicant: User) -> None:
    with pytest.raises(ValidationError, match="未开放该类型"):
        do_create_application(
            current_round,
            applicant.organisation,  # type: ignore[arg-type]
            "zone",
            actor=applicant,
        )
    assert Application.objects.count() == 0


def test_a_second_application_of_the_same_kind_is_refused(
    application: Application, current_round: Round, applicant: User
) -> None:
    with pytest.raises(ValidationError, match="已有该类型的申报"):
        do_create_application(
            current_round,
            applicant.organisation,  # type: ignore[arg-type]
            "community",
            actor=applicant,
        )
    assert Application.objects.count() == 1
    assert _events("application_created") == 1


def test_creating_after_the_deadline_is_refused(admin_user: User, applicant: User) -> None:
    today = timezone.localdate()
    past = do_open_round(
        **open_round_arguments(
            year=2098,
            submission_deadline=today - timedelta(days=1),
            recommendation_deadline=today + timedelta(days=30),
            review_deadline=today + timedelta(days=60),
        ),
        actor=admin_user,
    )
    with pytest.raises(ValidationError, match="截止日期"):
        do_create_application(
            past,
            applicant.organisation,  # type: ignore[arg-type]
            "community",
            actor=applicant,
        )
    assert Application.objects.count() == 0


# --- saving a section ---------------------------------------------------------------------


def test_saving_a_section_stores_values_bumps_the_version_and_audits(
    application: Application, applicant: User
) -> None:
    saved = do_save_section(
        application,
        "1.1",
        {"geographic_location": " 徐汇区田林路 ", "area": "0.35"},
        expected_version=1,
        actor=applicant,
    )
    assert saved.version == 2
    assert saved.sections == {"geographic_location": "徐汇区田林路", "area": "0.35"}
    event = AuditEvent.objects.get(action="application_section_saved")
    assert event.before == {
        "section": "1.1",
        "version": 1,
        "values": {"geographic_location": None, "area": None},
    }
    assert event.after is not None
    assert event.after["values"]["area"] == "0.35"


@pytest.mark.parametrize(
    ("values", "element", "words"),
    [
        ({"households": "三百"}, "households", "整数"),
        ({"households": "12.5"}, "households", "整数"),
        ({"area": "-1"}, "area", "“-1”小于0，应为0至1,000,000,000,000之间、最多6位小数的数值"),
        ({"no_such_thing": "x"}, "no_such_thing", "no_such_thing"),
    ],
)
def test_invalid_values_are_refused_naming_the_element(
    application: Application, applicant: User, values: dict[str, str], element: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_save_section(application, "1.1", values, expected_version=1, actor=applicant)
    assert element in refused.value.message_dict
    assert words in " ".join(refused.value.message_dict[element])
    application.refresh_from_db()
    assert (application.version, application.sections) == (1, {})
    assert _events("application_section_saved") == 0


def test_the_second_save_from_the_same_version_is_refused(
    application: Application, applicant: User
) -> None:
    do_save_section(application, "1.1", {"area": "0.35"}, expected_version=1, actor=applicant)
    with pytest.raises(ValidationError) as refused:
        do_save_section(
            application,
            "1.1",
            {"area": "9", "geographic_location": "x"},
            expected_version=1,
            actor=applicant,
        )
    message = " ".join(refused.value.messages)
    assert "他人已先保存了本申报" in message
    assert "面积" in message
    application.refresh_from_db()
    assert (application.version, application.sections) == (2, {"area": "0.35"})
    assert _events("application_section_saved") == 1


# --- who sees what ------------------------------------------------------------------------


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_permission_matrix(
    application: Application,
    users: dict[str, User],
    admin_user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, other_applicant = _other_unit(admin_user, "徐汇区", "康健街道社区")
    pudong = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name="浦东新区"
    )
    other_officer = do_create_user(
        username="pudong-officer",
        password=PASSWORD,
        role=Role.DISTRICT_OFFICER,
        organisation=pudong,
        actor=admin_user,
    )
    view = reverse("applications:workspace", args=[application.pk])
    edit = reverse("applications:edit_section", args=[application.pk, "1.1"])
    expected = [
        (users[Role.APPLICANT], 200, 200),
        (other_applicant, 404, 404),
        (users[Role.DISTRICT_OFFICER], 200, 404),
        (other_officer, 404, 404),
        (users[Role.EXPERT], 404, 404),
        (admin_user, 200, 404),
    ]
    for user, view_status, edit_status in expected:
        client = signed_in(user)
        with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
            caplog.clear()
            assert client.get(view).status_code == view_status, user.username
            assert client.get(edit).status_code == edit_status, user.username
        assert ("permission denied" in caplog.text) is (404 in (view_status, edit_status))
    assert (
        signed_in(other_applicant).get(reverse("applications:workspace", args=[9999])).status_code
        == 404
    )
    for url in (view, edit, reverse("applications:list")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_only_the_units_applications(
    application: Application, users: dict[str, User], admin_user: User
) -> None:
    _, other_applicant = _other_unit(admin_user, "徐汇区", "康健街道社区")
    assert list(
        signed_in(users[Role.APPLICANT]).get(reverse("applications:list")).context["applications"]
    ) == [application]
    assert (
        list(signed_in(other_applicant).get(reverse("applications:list")).context["applications"])
        == []
    )
    assert list(
        signed_in(users[Role.DISTRICT_OFFICER])
        .get(reverse("applications:list"))
        .context["applications"]
    ) == [application]
    assert signed_in(users[Role.EXPERT]).get(reverse("applications:list")).status_code == 404


def test_an_applicant_creates_an_application_through_the_page(
    current_round: Round, applicant: User
) -> None:
    response = signed_in(applicant).post(
        reverse("applications:list"), {"round": current_round.pk, "kind": "community"}
    )
    created = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:workspace", args=[created.pk])
    again = signed_in(applicant).post(
        reverse("applications:list"), {"round": current_round.pk, "kind": "community"}
    )
    assert again.status_code == 200
    assert Application.objects.count() == 1


# --- pages ---------------------------------------------------------------------------------


def test_the_workspace_shows_the_outline_and_what_is_missing(
    application: Application, applicant: User
) -> None:
    content = (
        signed_in(applicant)
        .get(reverse("applications:workspace", args=[application.pk]))
        .content.decode()
    )
    assert "一、社区基本情况" in content
    assert "社区情况简介" in content
    assert "社区地理位置、面积、区位" in content  # the official guidance text
    assert "缺少：" in content
    assert "尚缺必备内容" in content
    assert "地理位置" in content


def test_the_edit_page_saves_and_keeps_typed_values_on_a_stale_save(
    application: Application, applicant: User
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:edit_section", args=[application.pk, "1.1"])
    page = client.get(url).content.decode()
    assert "地理位置" in page
    first = client.post(url, {"version": "1", "area": "0.35", "geographic_location": "田林路"})
    assert first.status_code == 302
    stale = client.post(url, {"version": "1", "area": "0.50", "geographic_location": "漕宝路"})
    content = stale.content.decode()
    assert stale.status_code == 200
    assert "漕宝路" in content
    application.refresh_from_db()
    assert application.sections["geographic_location"] == "田林路"


def test_the_pages_speak_english_on_request(application: Application, applicant: User) -> None:
    client = signed_in(applicant)
    english = client.get(
        reverse("applications:workspace", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Basic information on the community" in english
    assert "Missing:" in english
    listing = client.get(reverse("applications:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My applications" in listing


def test_the_workspace_shows_years_ungrouped_numbers_grouped_and_units_in_chinese(
    application: Application, applicant: User
) -> None:
    saved = do_save_section(
        application,
        "1.1",
        {"area": "0.35", "households": "3120"},
        expected_version=1,
        actor=applicant,
    )
    do_save_section(
        saved,
        "3.1",
        {
            "indicator_system": [
                {
                    "indicator": "人均碳排放量",
                    "baseline_year": "2023",
                    "baseline_value": "4.5",
                    "target_year": "2030",
                    "target_value": "3.25",
                },
                {"indicator": "碳排放总量", "target_year": "2030", "target_value": "15000"},
            ]
        },
        expected_version=2,
        actor=applicant,
    )
    content = (
        signed_in(applicant)
        .get(reverse("applications:workspace", args=[application.pk]))
        .content.decode()
    )
    assert "3,120" in content
    assert "（平方千米）" in content or "(平方千米)" in content
    assert "(户)" in content
    assert "<td>2023</td>" in content
    assert "<td>2030</td>" in content
    assert "2,0" not in content
    assert "<td>3.25</td>" in content  # a column's numbers with the same decimals
    assert "<td>15,000.00</td>" in content
    for latin in ("(km2)", "(household)", "(person)", "(compound)"):
        assert latin not in content
