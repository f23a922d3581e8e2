"""The expert's score sheet and the bureau's pages (issue 14, items 13 and 14): the whole sheet
in one POST through the per-item action, nothing half-saved; the autosave's JSON; starting from
the self-assessment without overwriting; irreversible steps confirmed on the server; several
experts assigned at once with the conflict check first; a panel deadline past the round's
review deadline refused; publication over an open discussion needs a reason; a community cannot
open a practice zone application; the bureau's to-dos on its workbench."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import District, Organisation, OrganisationKind
from lowcarbon.web.review.actions import do_decide, do_form_panel, do_save_expert_profile
from lowcarbon.web.review.actions.sheet import starting_evidence
from lowcarbon.web.review.models import Assignment, AssignmentStatus, ExpertReview
from lowcarbon.web.rounds.models import Round

from .review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    recommended_application,
    signed_in,
)
from .test_review_actions import agree, save, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(admin_user: User, users: dict[str, User]) -> dict[str, Any]:
    round_ = make_round(admin_user)
    application, submission = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    c = make_expert(admin_user, "expert_c", "徐汇")
    panel = make_panel(admin_user, round_, [a, b, c])
    first, second = assign_all(admin_user, panel, application, [a, b])
    return {
        "round": round_,
        "application": application,
        "submission": submission,
        "panel": panel,
        "a": a,
        "b": b,
        "c": c,
        "first": first,
        "second": second,
        "admin": admin_user,
        **users,
    }


def review_of(assignment: Assignment) -> ExpertReview:
    return ExpertReview.objects.get(assignment=assignment)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_the_whole_sheet_saves_in_one_post_and_refuses_as_a_whole(world: dict[str, Any]) -> None:
    first = world["first"]
    client = signed_in(world["a"])
    page = client.get(reverse("review:workspace", args=[first.pk])).content.decode()
    # One form for the sheet, evidence as checkboxes, no Ctrl-click list.
    assert page.count('id="score-sheet"') == 1
    assert 'name="1:evidence" value="E01"' in page
    assert 'type="checkbox"' in page
    assert "<select" not in page.split('id="score-sheet"')[1].split("</form>")[0]
    assert "以申报单位自评分为起点" in page
    assert "我确认提交后不可修改" in page
    url = reverse("review:save_sheet", args=[first.pk])
    sheet = {
        "version": "1",
        "1:shown": "1",
        "1:level": "group_with_roles",
        "1:evidence": "E01",
        "10:shown": "1",
        "10:points": "3",
        "10:reason": "台账齐全。",
        # Shown but left as it was (the files the applicant cited, ticked): not saved.
        "2:shown": "1",
        "2:evidence": starting_evidence(first, "2"),
    }
    before = events("review_item_saved")
    # A problem in one item refuses the whole sheet, naming it; what was typed stays.
    refused = client.post(url, sheet | {"10:points": "abc"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "未保存任何评分" in text
    assert "abc" in text
    assert 'value="abc"' in text
    assert review_of(first).answers == {}
    assert events("review_item_saved") == before
    saved = client.post(url, sheet)
    assert saved.status_code == 302
    review = review_of(first)
    assert set(review.answers) == {"1", "10"}
    assert review.version == 3  # two items, each through the per-item action and its event
    assert events("review_item_saved") == before + 2
    # A sheet opened before another window saved is refused as a whole, naming the item.
    save(first, "1", {"level": "none", "comment": "另一窗口"})
    stale = client.post(url, sheet | {"version": "3", "10:points": "2"})
    assert stale.status_code == 400
    text = stale.content.decode()
    assert "另一个窗口或会话中保存" in text
    assert "第1项" in text
    assert review_of(first).answers["10"]["points"] == 3
    # Its own button saves an item even when left as shown (a checklist: nothing met).
    assert client.post(url, {"version": "4", "11:shown": "1", "only": "11"}).status_code == 302
    assert review_of(first).answers["11"] == {"ticked": []}


def test_autosave_answers_in_json_through_the_same_action(world: dict[str, Any]) -> None:
    first = world["first"]
    client = signed_in(world["a"])
    url = reverse("review:autosave_item", args=[first.pk, "1"])
    ok = client.post(url, {"version": "1", "1:level": "group_with_roles", "1:evidence": "E01"})
    assert ok.status_code == 200
    answer = ok.json()
    assert answer["saved"] is True
    assert answer["message"] == "已保存"
    assert answer["version"] == 2
    assert answer["scored_text"] == "已评1项，共28项。"
    assert review_of(first).answers["1"]["level"] == "group_with_roles"
    bad = client.post(
        reverse("review:autosave_item", args=[first.pk, "10"]), {"version": "2", "10:points": "x"}
    )
    assert bad.status_code == 400
    refusal = bad.json()
    assert refusal["saved"] is False
    assert refusal["message"] == "保存失败"
    assert any("x" in problem for problem in refusal["problems"])
    stale = client.post(url, {"version": "1", "1:level": "none"})
    assert stale.status_code == 409
    assert "另一个窗口" in json.dumps(stale.json(), ensure_ascii=False)
    assert review_of(first).answers["1"]["level"] == "group_with_roles"
    # Another expert's assignment does not exist for them.
    assert signed_in(world["b"]).post(url, {"version": "2"}).status_code == 404


def test_starting_from_the_self_assessment_never_overwrites(world: dict[str, Any]) -> None:
    first = world["first"]
    save(first, "1", {"level": "none", "comment": "未见岗位分工。"})
    client = signed_in(world["a"])
    url = reverse("review:start_from_self", args=[first.pk])
    response = client.post(url, {"version": "2"}, follow=True)
    assert "尚未保存的评分项" in response.content.decode()
    review = review_of(first)
    assert review.answers["1"] == {"level": "none", "comment": "未见岗位分工。"}
    theirs = world["submission"].snapshot["answers"]
    copied = [item for item in theirs if item != "1"]
    assert set(review.answers) == {"1", *copied}
    event = AuditEvent.objects.get(action="review_started_from_self_assessment")
    assert "1" not in event.after["items"]
    assert len(event.after["items"]) == len(copied)
    # Nothing is left to copy: refused, nothing changes.
    again = client.post(url, {"version": str(review.version)}, follow=True)
    assert "未复制任何内容" in again.content.decode()
    assert review_of(first).version == review.version


def test_submitting_and_publishing_need_the_box_ticked_and_an_open_discussion_a_reason(
    world: dict[str, Any],
) -> None:
    first, second = world["first"], world["second"]
    agree(first)
    agree(second)
    save(second, "1", {"level": "none", "comment": "未见岗位分工。"})
    expert = signed_in(world["b"])
    submit_url = reverse("review:submit", args=[second.pk])
    version = str(review_of(second).version)
    unconfirmed = expert.post(submit_url, {"version": version})
    assert unconfirmed.status_code == 400
    assert "我确认提交后不可修改" in unconfirmed.content.decode()
    assert Assignment.objects.get(pk=second.pk).status != AssignmentStatus.SUBMITTED
    assert expert.post(submit_url, {"version": version, "confirm": "on"}).status_code == 302
    assert Assignment.objects.get(pk=second.pk).status == AssignmentStatus.SUBMITTED
    submit(first)  # 5 against 0 points on item 1: the discussion opens
    admin = signed_in(world["admin"])
    do_decide(world["application"], outcome="selected", reasons="得分第一。", actor=world["admin"])
    ranking = admin.get(reverse("review:ranking", args=[world["round"].pk, "community"]))
    assert "讨论尚未结束" in ranking.content.decode()
    url = reverse("review:publish", args=[world["round"].pk])
    no_box = admin.post(url, {"reason": "已讨论。"}, follow=True)
    assert "我确认公示后评审决定不可更改" in no_box.content.decode()
    no_reason = admin.post(url, {"confirm": "on"}, follow=True)
    assert "田林十二村社区" in no_reason.content.decode()
    assert "请填写理由" in no_reason.content.decode()
    assert Round.objects.get(pk=world["round"].pk).published_at is None
    published = admin.post(url, {"confirm": "on", "reason": "分歧已在专家组会议上讨论。"})
    assert published.status_code == 302
    event = AuditEvent.objects.get(action="review_decisions_published")
    assert event.reason == "分歧已在专家组会议上讨论。"
    assert event.after["open_discussions"] == [world["application"].pk]


def test_several_experts_at_once_after_the_conflict_check(world: dict[str, Any]) -> None:
    admin_user, c = world["admin"], world["c"]
    round_ = world["round"]
    do_save_expert_profile(
        c,
        districts=[District.objects.get(name="徐汇区")],
        organisation_name="同济大学",
        consultancies=[],
        actor=c,
    )
    d = make_expert(admin_user, "expert_d", "李四")
    e = make_expert(admin_user, "expert_e", "王五")
    # A panel's deadline after the round's review deadline is refused, naming both dates.
    late = round_.review_deadline + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        do_form_panel(
            round_=round_,
            kind="community",
            name="第二组",
            deadline=late,
            members=[c, d, e],
            actor=admin_user,
        )
    message = " ".join(refused.value.message_dict["deadline"])
    assert late.isoformat() in message
    assert round_.review_deadline.isoformat() in message
    panel = do_form_panel(
        round_=round_,
        kind="community",
        name=world["panel"].name,
        deadline=round_.review_deadline,
        members=[world["a"], world["b"], c, d, e],
        actor=admin_user,
        panel=world["panel"],
    )
    client = signed_in(admin_user)
    url = reverse("review:panel", args=[panel.pk])
    page = client.get(url).content.decode()
    # Full names, affiliations and the conflict check, before anyone is assigned.
    assert "徐汇（expert_c）" in page
    assert "同济大学" in page
    assert "与申报单位同区" in page or "徐汇区" in page
    assert "未发现利益冲突" in page
    data = {"application": world["application"].pk, "experts": [c.pk, d.pk, e.pk]}
    before = events("review_assigned")
    refused_page = client.post(url, data)
    assert refused_page.status_code == 200
    assert "徐汇：存在利益冲突" in refused_page.content.decode()
    assert Assignment.objects.filter(panel=panel).count() == 2  # none of the three
    assert client.post(url, data | {"experts": [d.pk, e.pk]}).status_code == 302
    assert set(Assignment.objects.filter(panel=panel).values_list("expert_id", flat=True)) == {
        world["a"].pk,
        world["b"].pk,
        d.pk,
        e.pk,
    }
    assert events("review_assigned") == before + 2  # one audited action per assignment


def test_a_community_cannot_open_a_practice_zone_application(
    admin_user: User, users: dict[str, User], xuhui: Organisation
) -> None:
    round_ = make_round(admin_user)
    street = do_create_organisation(
        kind=OrganisationKind.STREET_TOWN,
        name="枫林路街道",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )
    community = do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="青枫里社区",
        parent=street,
        district=xuhui.district,
        actor=admin_user,
    )
    from lowcarbon.web.accounts.actions import do_create_user

    person = do_create_user(
        username="qingfeng",
        password="correct-horse-battery",
        role=Role.APPLICANT,
        organisation=community,
        actor=admin_user,
    )
    with pytest.raises(ValidationError) as refused:
        do_create_application(round_, community, "zone", actor=person)
    assert "枫林路街道" in " ".join(refused.value.message_dict["kind"])
    assert do_create_application(round_, community, "community", actor=person).kind == "community"
    page = signed_in(person).post(
        reverse("applications:list"), {"round": round_.pk, "kind": "zone"}
    )
    assert page.status_code == 200
    assert "请申报低碳社区" in page.content.decode()


def test_the_bureaus_workbench_lists_what_waits_for_it(world: dict[str, Any]) -> None:
    client = signed_in(world["admin"])
    home = client.get(reverse("home")).content.decode()
    assert "我的待办" in home
    # Two experts assigned, none submitted: nothing to decide yet.
    assert "待作评审决定" not in home
    for assignment in (world["first"], world["second"]):
        agree(assignment)
        submit(assignment)
    home = client.get(reverse("home")).content.decode()
    assert "评分已汇总、待作评审决定" in home
    assert "田林十二村社区" in home
    other_round = make_round(world["admin"], year=2098)
    recommended_application(
        other_round, world[Role.APPLICANT], world[Role.DISTRICT_OFFICER], kind="zone"
    )
    home = client.get(reverse("home")).content.decode()
    assert "待组建专家组" in home
    assert "待分配专家的推荐申报" in home
    # Nobody else sees the bureau's list.
    assert "待组建专家组" not in signed_in(world["a"]).get(reverse("home")).content.decode()
