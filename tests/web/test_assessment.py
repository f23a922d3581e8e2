"""The self-assessment: saving answers, the running total, the page, who may do what."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lowcarbon.core.scoring import score_answers
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.assessment import (
    do_attach_evidence,
    do_save_answer,
    form_values,
    rubric_for,
    running_total,
)
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Round

from .assessment_support import (
    example_answers,
    make_application,
    make_round,
    pdf_bytes,
    signed_in,
    upload,
)
from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_round(admin_user: User) -> Round:
    return make_round(admin_user)


@pytest.fixture
def zone(current_round: Round, applicant: User) -> Application:
    return make_application(current_round, applicant, "zone")


@pytest.fixture
def community(current_round: Round, applicant: User) -> Application:
    return make_application(current_round, applicant, "community")


def _fresh(application: Application) -> Application:
    return Application.objects.select_related("round", "unit").get(pk=application.pk)


def _save(
    application: Application, item_id: str, raw: dict[str, Any], user: User, version: int = 1
) -> Application:
    return do_save_answer(application, item_id, raw, expected_version=version, actor=user)


def _refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- saving one answer ------------------------------------------------------------------------


def test_saving_an_answer_stores_it_bumps_the_version_and_audits(
    zone: Application, applicant: User
) -> None:
    saved = _save(
        zone, "1.1", {"ticked": ["boundary", "inventory"], "comment": " 边界见附图 "}, applicant
    )
    assert saved.answers_version == 2
    assert saved.answers == {"1.1": {"ticked": ["boundary", "inventory"], "comment": "边界见附图"}}
    event = AuditEvent.objects.get(action="assessment_answer_saved")
    assert event.before == {"answers_version": 1, "items": ["1.1"], "answer": None}
    assert event.after is not None
    assert event.after["answer"]["ticked"] == ["boundary", "inventory"]
    total = running_total(_fresh(zone))
    assert total.result.item("1.1").points == Decimal(12)
    assert total.result.main == Decimal(12)
    assert "1.1" not in total.unanswered
    assert len(total.unanswered) == 7


@pytest.mark.parametrize(
    ("item", "raw", "field", "words"),
    [
        ("1", {}, "level", "第1项未作答"),
        ("1", {"level": "excellent"}, "level", "等级 excellent 不存在"),
        ("10", {"points": "2.5"}, "reason", "须写明理由"),
        ("10", {"points": "5", "reason": "x"}, "points", "5分不在0至3分"),
        ("10", {"points": "两分", "reason": "x"}, "points", "“两分”"),
        ("16", {"count": "三"}, "count", "“三”"),
        ("16", {"count": "-1"}, "count", "“-1”"),
        ("13", {"ticked": ["donation_point"], "deduct": "0.5"}, "reason", "扣分须写明理由"),
        (
            "13",
            {"ticked": ["donation_point"], "deduct": "0.3", "reason": "x"},
            "deduct",
            "步长0.5分",
        ),
        ("8", {"ticked": ["official_account", "unknown_one"]}, "ticked", "unknown_one"),
        (
            "9",
            {"part-lamp_points-ticked": ["distribution_point"]},
            "part-campaign-level",
            "家庭节能电器推广策划活动",
        ),
        ("2", {"not_applicable": "on"}, "reason", "不适用须写明理由"),
        ("3", {"level": "none", "evidence": ["E09"]}, "evidence", "E09"),
        ("4", {"level": "none", "reason": "很长" * 1001}, "reason", "2000"),
    ],
)
def test_invalid_answers_are_refused_naming_the_field(
    community: Application,
    applicant: User,
    item: str,
    raw: dict[str, Any],
    field: str,
    words: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        _save(community, item, raw, applicant)
    errors = _refusal(refused)
    assert field in errors, errors
    assert words in " ".join(errors[field])
    fresh = _fresh(community)
    assert (fresh.answers_version, fresh.answers) == (2 - 1, {})
    assert not AuditEvent.objects.filter(action="assessment_answer_saved").exists()


def test_a_constraint_must_be_answered_and_not_met_zeroes_the_item(
    zone: Application, applicant: User
) -> None:
    ticked = {"ticked": ["projects_proposed", "projects_mature"]}
    with pytest.raises(ValidationError) as refused:
        _save(zone, "4.1", ticked, applicant)
    assert "请说明约束项是否满足" in " ".join(_refusal(refused)["constraint_met"])
    _save(zone, "4.1", ticked | {"constraint_met": "no"}, applicant)
    result = running_total(_fresh(zone)).result.item("4.1")
    assert (result.points, result.status.value) == (Decimal(0), "zeroed_constraint")


def test_not_applicable_keeps_no_choice_and_counts_zero(
    community: Application, applicant: User
) -> None:
    saved = _save(
        community,
        "19",
        {"level": "car_chargers", "not_applicable": "on", "reason": "小区无公共停车位"},
        applicant,
    )
    assert saved.answers["19"] == {"not_applicable": True, "reason": "小区无公共停车位"}
    assert running_total(_fresh(community)).status("19") == "not_applicable"


def test_an_unknown_item_is_refused(zone: Application, applicant: User) -> None:
    with pytest.raises(ValidationError, match=r"没有第9\.9项"):
        _save(zone, "9.9", {"ticked": []}, applicant)


def test_the_second_save_from_the_same_version_is_refused_naming_the_item(
    zone: Application, applicant: User
) -> None:
    _save(zone, "1.1", {"ticked": ["boundary"]}, applicant, version=1)
    with pytest.raises(ValidationError) as refused:
        _save(zone, "2.1", {"ticked": ["dedicated_body"]}, applicant, version=1)
    message = " ".join(refused.value.messages)
    assert "他人已先保存了自评" in message
    assert "第1.1项（创建区域能耗和温室气体排放情况）" in message
    fresh = _fresh(zone)
    assert (fresh.answers_version, list(fresh.answers)) == (2, ["1.1"])


def test_a_submitted_application_cannot_be_answered(zone: Application, applicant: User) -> None:
    Application.objects.filter(pk=zone.pk).update(status="submitted")
    with pytest.raises(ValidationError, match="不能再修改"):
        _save(_fresh(zone), "1.1", {"ticked": ["boundary"]}, applicant)
    assert _fresh(zone).answers == {}


def test_answers_after_the_deadline_are_refused(
    zone: Application, applicant: User, current_round: Round
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    Round.objects.filter(pk=current_round.pk).update(submission_deadline=yesterday)
    with pytest.raises(ValidationError, match="截止日期"):
        _save(_fresh(zone), "1.1", {"ticked": ["boundary"]}, applicant)
    assert _fresh(zone).answers == {}
    with pytest.raises(ValidationError, match="截止日期"):
        do_attach_evidence(
            _fresh(zone), upload("a.pdf", pdf_bytes()), title="x", items=[], actor=applicant
        )
    page = signed_in(applicant).get(reverse("applications:assessment", args=[zone.pk]))
    text = page.content.decode()
    assert f"申报截止日期（{yesterday.isoformat()}）已过，自评不能再修改。" in text
    assert "保存第1.1项" not in text


def _other_unit_person(admin_user: User, district: str = "徐汇区") -> User:
    bureau = Organisation.objects.get(
        kind=OrganisationKind.DISTRICT_BUREAU, district__name=district
    )
    unit = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="康健街道社区",
        parent=bureau,
        district=bureau.district,
        actor=admin_user,
    )
    return do_create_user(
        username="other-applicant",
        password=PASSWORD,
        role=Role.APPLICANT,
        organisation=unit,
        actor=admin_user,
    )


def test_another_unit_and_an_officer_cannot_answer(
    zone: Application, users: dict[str, User], admin_user: User
) -> None:
    for person in (_other_unit_person(admin_user), users[Role.DISTRICT_OFFICER], admin_user):
        with pytest.raises(ValidationError, match="只能编辑本单位的申报"):
            _save(zone, "1.1", {"ticked": ["boundary"]}, person)
    assert _fresh(zone).answers == {}


# --- the running total equals the scoring engine on the example answers ----------------------


@pytest.mark.parametrize("kind", ["zone", "community"])
def test_the_running_total_of_the_saved_examples_equals_the_engine(
    kind: str, current_round: Round, applicant: User
) -> None:
    application = make_application(current_round, applicant, kind)
    example = example_answers(kind)
    numbers: dict[str, str] = {}
    for index, (example_id, entry) in enumerate(example["evidence"].items()):
        evidence = do_attach_evidence(
            application,
            upload(f"{example_id}.pdf", pdf_bytes(example_id)),
            title=entry["title"],
            items=[],
            actor=applicant,
        )
        numbers[example_id] = evidence.code
        assert evidence.code == f"E{index + 1:02d}"
    rubric = rubric_for(application)
    version = 1
    for item_id, answer in example["items"].items():
        mapped = dict(answer) | {"evidence": [numbers[e] for e in answer.get("evidence") or []]}
        item = rubric.item(item_id)
        assert item is not None
        application = _save(application, item_id, form_values(item, mapped), applicant, version)
        version += 1
    expected_data = example | {
        "evidence": {numbers[k]: v for k, v in example["evidence"].items()},
        "items": {
            k: dict(v) | {"evidence": [numbers[e] for e in v.get("evidence") or []]}
            for k, v in example["items"].items()
        },
    }
    expected = score_answers(rubric, answer_set_from_data(expected_data))
    total = running_total(_fresh(application))
    assert total.complete
    assert [p.points for p in total.result.pools] == [p.points for p in expected.pools]
    for section, wanted in zip(total.result.sections, expected.sections, strict=True):
        assert [(i.item.id, i.points, i.status) for i in section.items] == [
            (i.item.id, i.points, i.status) for i in wanted.items
        ]
    # The snapshot and the other tabs use computing.score_result: the same figures.
    assert computing.score_result(_fresh(application)).main == expected.main
    assert expected.main > 0


def test_the_page_shows_lost_points_with_reasons_and_missing_evidence(
    community: Application, applicant: User
) -> None:
    _save(community, "1", {"level": "group_without_roles"}, applicant)
    content = signed_in(applicant).get(reverse("applications:assessment", args=[community.pk]))
    text = content.content.decode()
    assert "失分明细及原因" in text
    assert "第1项：失5分" in text  # 5 claimed without evidence → 0 under 附件4 注
    assert "自评2.5分但无证明材料，计0分（附件4 注）" in text
    assert "未达到（5分）：建立工作小组，且岗位分工合理的得5分" in text
    assert "尚未作答：计0分" in text
    assert "27项尚未作答" in text


# --- the page ----------------------------------------------------------------------------------


def test_the_page_lists_every_item_with_its_official_text_and_controls(
    community: Application, applicant: User
) -> None:
    response = signed_in(applicant).get(reverse("applications:assessment", args=[community.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    rubric = rubric_for(community)
    for item in rubric.items():
        assert f'id="item-{item.id}"' in text
        assert item.title.zh in text
    assert "建立工作小组，且岗位分工合理的得5分" in text  # a level's official text
    assert 'type="radio" name="level" value="group_with_roles"' in text
    assert 'type="checkbox" name="ticked" value="official_account"' in text
    assert 'name="part-campaign-level"' in text
    assert 'name="part-lamp_points-ticked"' in text
    assert 'name="count"' in text
    assert 'name="points"' in text
    assert 'name="deduct"' in text
    assert "查阅文件材料" in text
    assert "现场检查" in text
    assert "交流访谈" in text
    assert "不适用" in text
    assert "加分项" in text


def test_a_refused_save_through_the_page_keeps_what_was_typed(
    community: Application, applicant: User
) -> None:
    client = signed_in(applicant)
    url = reverse("applications:assessment_save", args=[community.pk, "10"])
    response = client.post(url, {"version": "1", "points": "2.5", "comment": "每季度一次"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第10项：酌情评分须写明理由" in text
    assert 'value="2.5"' in text
    assert "每季度一次" in text
    assert _fresh(community).answers == {}
    ok = client.post(url, {"version": "1", "points": "2.5", "reason": "参与面有待扩大"})
    assert ok.status_code == 302
    assert ok["Location"].endswith("#item-10")
    assert _fresh(community).answers["10"] == {"points": 2.5, "reason": "参与面有待扩大"}


def test_a_stale_save_through_the_page_keeps_the_typing_and_takes_the_new_version(
    zone: Application, applicant: User
) -> None:
    client = signed_in(applicant)
    _save(zone, "2.2", {"ticked": ["dedicated_funds"]}, applicant)
    url = reverse("applications:assessment_save", args=[zone.pk, "1.1"])
    response = client.post(url, {"version": "1", "ticked": ["boundary"], "comment": "草稿"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "他人已先保存了自评" in text
    assert "第2.2项" in text
    assert "草稿" in text
    assert 'name="version" value="2"' in text
    assert client.post(url, {"version": "2", "ticked": ["boundary"]}).status_code == 302


def test_the_running_total_is_visible_to_the_district_read_only(
    zone: Application, users: dict[str, User], applicant: User
) -> None:
    _save(zone, "1.1", {"ticked": ["boundary", "inventory", "forecast"]}, applicant)
    text = (
        signed_in(users[Role.DISTRICT_OFFICER])
        .get(reverse("applications:assessment", args=[zone.pk]))
        .content.decode()
    )
    assert "<strong>20</strong> / 100" in text
    assert "<fieldset disabled>" in text
    assert "保存第1.1项" not in text
    assert "evidence_upload" not in text
    assert "enctype" not in text


def test_the_page_speaks_english_on_request(zone: Application, applicant: User) -> None:
    text = (
        signed_in(applicant)
        .get(reverse("applications:assessment", args=[zone.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Points lost and why" in text
    assert "Energy use and greenhouse-gas emissions of the zone" in text


# --- who may do what, route by route -------------------------------------------------------


def test_the_permission_matrix_of_every_route(
    zone: Application,
    users: dict[str, User],
    admin_user: User,
    applicant: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    evidence = do_attach_evidence(
        zone, upload("边界.pdf", pdf_bytes("x")), title="边界图", items=["1.1"], actor=applicant
    )
    other_applicant = _other_unit_person(admin_user)
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
    page = reverse("applications:assessment", args=[zone.pk])
    save = reverse("applications:assessment_save", args=[zone.pk, "1.1"])
    attach = reverse("applications:evidence_upload", args=[zone.pk])
    download = reverse("applications:evidence_download", args=[zone.pk, evidence.code])
    remove = reverse("applications:evidence_remove", args=[zone.pk, "E99"])

    def fetched(client: Client, url: str) -> int:
        response = client.get(url)
        # Read a download to its end: the test client then closes the file the way a server
        # does (close() by hand would also end the test's transaction on PostgreSQL).
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response.status_code

    def statuses(client: Client) -> tuple[int, int, int, int, int]:
        return (
            client.get(page).status_code,
            client.post(save, {"version": "1", "ticked": ["boundary"]}).status_code,
            client.post(attach, {"title": "x"}).status_code,
            fetched(client, download),
            client.post(remove).status_code,
        )

    expected = [
        # page, save, upload (no file: the form refuses), download, remove (unknown number)
        (applicant, (200, 302, 400, 200, 302)),
        (other_applicant, (404, 404, 404, 404, 404)),
        (users[Role.DISTRICT_OFFICER], (200, 404, 404, 200, 404)),
        (other_officer, (404, 404, 404, 404, 404)),
        (users[Role.EXPERT], (404, 404, 404, 404, 404)),
        (admin_user, (200, 404, 404, 200, 404)),
    ]
    for user, wanted in expected:
        with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
            caplog.clear()
            assert statuses(signed_in(user)) == wanted, user.username
        assert ("permission denied" in caplog.text) is (404 in wanted)
    for url in (page, download):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for url in (save, attach, remove):
        response = Client().post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    # Once submitted the unit's own people may look but not change: 403, said so.
    Application.objects.filter(pk=zone.pk).update(status="submitted")
    client = signed_in(applicant)
    assert client.get(page).status_code == 200
    assert client.post(save, {"version": "2"}).status_code == 403
    assert client.post(attach, {"title": "x"}).status_code == 403
    assert client.post(remove).status_code == 403
    assert fetched(client, download) == 200
