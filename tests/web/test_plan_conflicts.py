"""Two people editing one plan section: the later save never silently wins (issue 14 item 11).

Each test starts from version 2 of section 1.1 (two texts saved), lets "the other person" save
from it through the action, then posts the page's form from version 2 as a second browser tab
would, and checks what is shown, what is stored and what the audit trail keeps.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.rounds.actions import do_open_round

from .conftest import open_round_arguments

pytestmark = pytest.mark.django_db

BASE = {
    "geographic_location": "位于徐汇区西南部",
    "regional_position": "徐汇区南部中心",
    "transport_conditions": "",
    "infrastructure_connection": "",
    "area": "3.6",
}


@pytest.fixture
def zone(admin_user: User, applicant: User) -> Application:
    today = timezone.localdate()
    round_ = do_open_round(
        **open_round_arguments(
            year=2099,
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
        ),
        actor=admin_user,
    )
    zone = do_create_application(round_, applicant.organisation, "zone", actor=applicant)  # type: ignore[arg-type]
    return do_save_section(
        zone,
        "1.1",
        {k: v for k, v in BASE.items() if v},
        expected_version=zone.version,
        actor=applicant,
    )


def other_saves(zone: Application, applicant: User, **values: str) -> Application:
    return do_save_section(zone, "1.1", values, expected_version=2, actor=applicant)


def post(applicant: User, zone: Application, **data: str) -> tuple[int, str]:
    client = Client()
    client.force_login(applicant)
    url = reverse("applications:edit_section", args=[zone.pk, "1.1"])
    response = client.post(url, {"version": "2", **BASE, **data})
    return response.status_code, response.content.decode()


def test_both_versions_are_shown_and_nothing_is_saved(zone: Application, applicant: User) -> None:
    other_saves(zone, applicant, geographic_location="甲：位于徐汇区西南部，紧邻黄浦江")
    status, page = post(applicant, zone, geographic_location="乙：位于徐汇区西南部，地铁沿线")
    assert status == 200
    assert "他人在您编辑期间保存了本节" in page
    assert "甲：位于徐汇区西南部，紧邻黄浦江" in page  # theirs, side by side …
    assert "乙：位于徐汇区西南部，地铁沿线" in page  # … with mine
    assert 'name="resolve__geographic_location"' in page
    assert 'name="conflicts" value="geographic_location"' in page
    assert 'name="conflict_base" value="2"' in page
    assert 'name="version" value="3"' in page  # the editor now starts from their save
    zone.refresh_from_db()
    assert zone.version == 3
    assert zone.sections["geographic_location"] == "甲：位于徐汇区西南部，紧邻黄浦江"


def test_saving_again_without_a_choice_is_refused(zone: Application, applicant: User) -> None:
    other_saves(zone, applicant, geographic_location="甲的版本")
    status, page = post(
        applicant,
        zone,
        version="3",
        conflict_base="2",
        conflicts="geographic_location",
        geographic_location="乙的版本",
    )
    assert status == 200
    assert "请为双方都修改过的每一部分选择保留哪个版本" in page
    assert "地理位置" in page
    zone.refresh_from_db()
    assert (zone.version, zone.sections["geographic_location"]) == (3, "甲的版本")


@pytest.mark.parametrize(("choice", "kept"), [("mine", "乙的版本"), ("theirs", "甲的版本")])
def test_the_choice_decides_and_is_audited(
    zone: Application, applicant: User, choice: str, kept: str
) -> None:
    other_saves(zone, applicant, geographic_location="甲的版本")
    status, _page = post(
        applicant,
        zone,
        version="3",
        conflict_base="2",
        conflicts="geographic_location",
        resolve__geographic_location=choice,
        geographic_location="乙的版本",
        transport_conditions="乙补充的交通条件",
    )
    assert status == 302
    zone.refresh_from_db()
    assert zone.version == 4
    assert zone.sections["geographic_location"] == kept
    assert zone.sections["transport_conditions"] == "乙补充的交通条件"
    event = AuditEvent.objects.filter(object_id=str(zone.pk)).order_by("pk").last()
    assert event is not None
    assert event.after["resolved"] == {"geographic_location": choice}


def test_a_part_only_they_changed_takes_their_version(zone: Application, applicant: User) -> None:
    other_saves(zone, applicant, regional_position="甲改写的区域定位")
    # The second tab changed another part and posts the region as it loaded it (the base).
    status, page = post(applicant, zone, transport_conditions="乙的交通条件")
    assert status == 200
    assert "只有对方修改了区位" in page
    assert "甲改写的区域定位</textarea>" in page
    assert 'name="conflicts" value=""' in page  # nothing to decide
    # Saving the page as shown keeps their region and adds the transport text.
    status, _page = post(
        applicant,
        zone,
        version="3",
        conflict_base="2",
        conflicts="",
        regional_position="甲改写的区域定位",
        transport_conditions="乙的交通条件",
    )
    assert status == 302
    zone.refresh_from_db()
    assert zone.sections["regional_position"] == "甲改写的区域定位"
    assert zone.sections["transport_conditions"] == "乙的交通条件"


def test_a_third_save_in_between_is_a_new_conflict(zone: Application, applicant: User) -> None:
    other_saves(zone, applicant, geographic_location="甲的版本")
    zone.refresh_from_db()
    do_save_section(
        zone, "1.1", {"geographic_location": "丙的版本"}, expected_version=3, actor=applicant
    )
    status, page = post(
        applicant,
        zone,
        version="3",
        conflict_base="2",
        conflicts="geographic_location",
        resolve__geographic_location="mine",
        geographic_location="乙的版本",
    )
    assert status == 200
    assert "丙的版本" in page
    assert 'name="version" value="4"' in page
    zone.refresh_from_db()
    assert zone.sections["geographic_location"] == "丙的版本"


def test_a_part_left_theirs_stays_theirs_after_another_save(
    zone: Application, applicant: User
) -> None:
    other_saves(zone, applicant, geographic_location="甲的版本")
    zone.refresh_from_db()
    do_save_section(
        zone, "1.1", {"regional_position": "丙的区位"}, expected_version=3, actor=applicant
    )
    status, page = post(
        applicant,
        zone,
        version="3",
        conflict_base="2",
        conflicts="geographic_location",
        resolve__geographic_location="theirs",
        geographic_location="乙的版本",
    )
    assert status == 200
    # The editor shows what a save would now post: their location (chosen) and the third
    # person's region (only they changed it), never the text the person chose to drop.
    assert "甲的版本</textarea>" in page
    assert "丙的区位</textarea>" in page
    assert "乙的版本</textarea>" not in page


def test_a_narrative_posted_back_as_paragraphs_is_not_a_change(
    zone: Application, applicant: User
) -> None:
    # The editor shows stored plain text as paragraphs and posts it back as HTML: that save
    # changes nothing of it, and a later conflict does not name it.
    status, _page = post(
        applicant,
        zone,
        geographic_location=f"<p>{BASE['geographic_location']}</p>",
        geographic_location__format="html",
        transport_conditions="乙的交通条件",
    )
    assert status == 302
    zone.refresh_from_db()
    assert zone.sections["geographic_location"] == BASE["geographic_location"]
    event = AuditEvent.objects.filter(object_id=str(zone.pk)).order_by("pk").last()
    assert event is not None
    assert set(event.after["values"]) == {"transport_conditions"}
