"""The review pages: who may open what (blindness, conflicts, 404 for everything refused and
logged), and what each page shows."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review.actions import (
    do_decide,
    do_publish_decisions,
    do_save_expert_profile,
)
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

SECRET_COMMENT = "乙专家的保密意见：工作小组文件未见岗位分工。"


@pytest.fixture
def setup(admin_user: User, users: dict[str, User]) -> dict[str, Any]:
    round_ = make_round(admin_user)
    application, submission = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    a = make_expert(admin_user, "expert_a", "张明")
    b = make_expert(admin_user, "expert_b", "陈华")
    outsider = make_expert(admin_user, "expert_x", "王五")
    panel = make_panel(admin_user, round_, [a, b, outsider])
    first, second = assign_all(admin_user, panel, application, [a, b])
    return {
        "round": round_,
        "application": application,
        "submission": submission,
        "panel": panel,
        "a": a,
        "b": b,
        "outsider": outsider,
        "first": first,
        "second": second,
        **users,
    }


def _b_scores_with_a_secret(second: Assignment) -> None:
    agree(second)
    save(second, "1", {"level": "none", "comment": SECRET_COMMENT})


def clients(setup: dict[str, Any]) -> dict[str, Client]:
    return {
        "a": signed_in(setup["a"]),
        "b": signed_in(setup["b"]),
        "outsider": signed_in(setup["outsider"]),
        "applicant": signed_in(setup[Role.APPLICANT]),
        "officer": signed_in(setup[Role.DISTRICT_OFFICER]),
        "admin": signed_in(setup[Role.ADMINISTRATOR]),
        "anonymous": Client(),
    }


def test_the_scoring_workspace_is_the_assigned_experts_only(
    setup: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    _b_scores_with_a_secret(setup["second"])
    url = reverse("review:workspace", args=[setup["first"].pk])
    people = clients(setup)
    page = people["a"].get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "田林十二村社区" in text
    assert "申报单位自评" in text
    assert "自评得分" in text
    assert "佐证材料E01" in text
    assert SECRET_COMMENT not in text  # nothing of expert B before A submits
    expected = {"b": 404, "outsider": 404, "applicant": 404, "officer": 404, "admin": 200}
    with caplog.at_level(logging.WARNING, logger="lowcarbon.web.permissions"):
        for who, status in expected.items():
            assert people[who].get(url).status_code == status, who
    assert people["anonymous"].get(url).status_code == 302
    denied = [r.getMessage() for r in caplog.records if "permission denied" in r.getMessage()]
    assert any(
        "expert_b" in line and f"review assignment {setup['first'].pk}" in line for line in denied
    )
    # B's own workspace is B's: A cannot reach it by id either.
    assert (
        people["a"].get(reverse("review:workspace", args=[setup["second"].pk])).status_code == 404
    )


def test_the_panels_scores_stay_hidden_until_everyone_submitted(setup: dict[str, Any]) -> None:
    _b_scores_with_a_secret(setup["second"])
    result = reverse("review:result", args=[setup["panel"].pk, setup["application"].pk])
    people = clients(setup)
    for who in ("a", "b", "outsider", "applicant", "officer"):
        assert people[who].get(result).status_code == 404, who
    submit(setup["second"])
    # B submitted, A not: B still waits (default: after every expert submitted), A sees nothing.
    assert people["b"].get(result).status_code == 404
    assert people["a"].get(result).status_code == 404
    assert (
        SECRET_COMMENT
        not in people["a"]
        .get(reverse("review:workspace", args=[setup["first"].pk]))
        .content.decode()
    )
    agree(setup["first"])
    submit(setup["first"])
    page = people["a"].get(result)
    assert page.status_code == 200
    text = page.content.decode()
    assert SECRET_COMMENT in text
    assert "陈华" in text  # the panel knows who scored what
    assert "分歧" in text  # item 1: 5 vs 0 points of 5
    assert people["outsider"].get(result).status_code == 404
    assert people["applicant"].get(result).status_code == 404
    assert people["officer"].get(result).status_code == 404
    # The divergence opened the discussion: A posts.
    posted = people["a"].post(result, {"text": "请乙专家再看附件第3页。"})
    assert posted.status_code == 302
    assert "请乙专家再看附件第3页。" in people["b"].get(result).content.decode()
    assert people["outsider"].post(result, {"text": "x"}).status_code == 404


def test_saving_through_the_page_and_refusals(setup: dict[str, Any]) -> None:
    first = setup["first"]
    people = clients(setup)
    url = reverse("review:save_item", args=[first.pk, "1"])
    saved = people["a"].post(url, {"version": "1", "level": "group_with_roles", "evidence": "E01"})
    assert saved.status_code == 302
    assert ExpertReview.objects.get(assignment=first).answers["1"]["level"] == "group_with_roles"
    stale = people["a"].post(url, {"version": "1", "level": "none"})
    assert stale.status_code == 400
    assert "另一个窗口或会话中先行保存" in stale.content.decode()
    bad = people["a"].post(
        reverse("review:save_item", args=[first.pk, "10"]), {"version": "2", "points": "abc"}
    )
    assert bad.status_code == 400
    assert "abc" in bad.content.decode()
    assert 'value="abc"' in bad.content.decode()  # what was typed is kept
    for who in ("b", "outsider", "applicant", "officer", "admin"):
        assert people[who].post(url, {"version": "2", "level": "none"}).status_code == 404, who
    assert ExpertReview.objects.get(assignment=first).answers["1"]["level"] == "group_with_roles"
    submitted = people["a"].post(
        reverse("review:submit", args=[first.pk]), {"version": "2", "confirm": "on"}
    )
    assert submitted.status_code == 400
    assert "尚未评分" in submitted.content.decode()


def test_evidence_of_the_snapshot_downloads_for_the_assigned_expert_only(
    setup: dict[str, Any],
) -> None:
    people = clients(setup)
    url = reverse("review:evidence", args=[setup["first"].pk, "E01"])
    response = people["a"].get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 E01 evidence"  # type: ignore[attr-defined]
    assert people["b"].get(url).status_code == 404
    assert people["applicant"].get(url).status_code == 404
    assert (
        people["a"].get(reverse("review:evidence", args=[setup["first"].pk, "E99"])).status_code
        == 404
    )


def test_declaring_a_conflict_through_the_page(setup: dict[str, Any]) -> None:
    people = clients(setup)
    url = reverse("review:declare_conflict", args=[setup["first"].pk])
    assert people["b"].get(url).status_code == 404
    empty = people["a"].post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "errorlist" in empty.content.decode()
    assert people["a"].post(url, {"reason": "我曾为该社区提供咨询。"}).status_code == 302
    first = Assignment.objects.get(pk=setup["first"].pk)
    assert first.status == AssignmentStatus.DECLINED_CONFLICT
    assert people["a"].get(reverse("review:workspace", args=[first.pk])).status_code == 404
    tasks = people["a"].get(reverse("review:tasks")).content.decode()
    assert "已回避（利益冲突）" in tasks


def test_the_administrators_pages_are_theirs_only(setup: dict[str, Any]) -> None:
    people = clients(setup)
    urls = [
        reverse("review:panels"),
        reverse("review:panel", args=[setup["panel"].pk]),
        reverse("review:settings", args=[setup["round"].pk]),
        reverse("review:ranking", args=[setup["round"].pk, "community"]),
        reverse("review:expert_profile", args=[setup["a"].pk]),
    ]
    for url in urls:
        assert people["admin"].get(url).status_code == 200, url
        for who in ("a", "applicant", "officer"):
            assert people[who].get(url).status_code == 404, (who, url)
        assert people["anonymous"].get(url).status_code == 302
    assert people["a"].post(reverse("review:reopen", args=[setup["first"].pk])).status_code == 404
    assert people["a"].post(reverse("review:publish", args=[setup["round"].pk])).status_code == 404
    decide = reverse("review:decide", args=[setup["application"].pk])
    assert people["a"].post(decide, {}).status_code == 404
    # Tasks: experts only.
    assert people["a"].get(reverse("review:tasks")).status_code == 200
    for who in ("applicant", "officer", "admin"):
        assert people[who].get(reverse("review:tasks")).status_code == 404


def test_assigning_with_a_conflict_shows_it_and_an_override_needs_a_reason(
    setup: dict[str, Any],
) -> None:
    outsider = setup["outsider"]
    do_save_expert_profile(
        outsider,
        districts=[District.objects.get(name="徐汇区")],
        organisation_name="",
        consultancies=[],
        actor=outsider,
    )
    people = clients(setup)
    url = reverse("review:panel", args=[setup["panel"].pk])
    data = {"application": setup["application"].pk, "experts": outsider.pk}
    refused = people["admin"].post(url, data)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "利益冲突" in text
    assert "徐汇区" in text
    assert not Assignment.objects.filter(expert=outsider).exists()
    assigned = people["admin"].post(url, data | {"override_reason": "该领域专家不足。"})
    assert assigned.status_code == 302
    assert Assignment.objects.filter(expert=outsider).exists()
    assert "该领域专家不足。" in people["admin"].get(url).content.decode()


def test_the_applicant_sees_the_published_aggregate_never_the_experts(
    setup: dict[str, Any],
) -> None:
    _b_scores_with_a_secret(setup["second"])
    submit(setup["second"])
    agree(setup["first"])
    submit(setup["first"])
    admin = setup[Role.ADMINISTRATOR]
    people = clients(setup)
    decision_url = reverse("review:decision", args=[setup["application"].pk])
    public_url = reverse("review:public", args=[setup["round"].pk])
    assert people["applicant"].get(decision_url).status_code == 404
    assert people["anonymous"].get(public_url).status_code == 404
    do_decide(setup["application"], outcome="selected", reasons="综合评估得分较高。", actor=admin)
    assert people["applicant"].get(decision_url).status_code == 404  # decided, not published
    # Item 1 diverges (5 against 0) and its discussion is open: publishing needs a reason.
    do_publish_decisions(setup["round"], actor=admin, reason="分歧已在专家组会议上讨论。")
    page = people["applicant"].get(decision_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "入选" in text
    assert "综合评估得分较高。" in text
    assert SECRET_COMMENT in text  # the round's default: comments shown, without names
    for name in ("张明", "陈华", "expert_a", "expert_b", "专家1"):
        assert name not in text
    for who in ("officer", "a", "outsider"):
        assert people[who].get(decision_url).status_code == 404, who
    public = people["anonymous"].get(public_url)
    assert public.status_code == 200
    assert "田林十二村社区" in public.content.decode()
    assert "张明" not in public.content.decode()


def test_the_ranking_page_explains_ties_and_records_a_decision(setup: dict[str, Any]) -> None:
    for assignment in (setup["first"], setup["second"]):
        agree(assignment)
        submit(assignment)
    people = clients(setup)
    url = reverse("review:ranking", args=[setup["round"].pk, "community"])
    page = people["admin"].get(url).content.decode()
    assert "名次并列" in page
    assert "不设任何隐含的决胜规则" in page
    prefix = f"d{setup['application'].pk}"
    missing = people["admin"].post(
        reverse("review:decide", args=[setup["application"].pk]),
        {f"{prefix}-outcome": "selected", f"{prefix}-reasons": ""},
        follow=True,
    )
    assert "田林十二村社区" in missing.content.decode()
    recorded = people["admin"].post(
        reverse("review:decide", args=[setup["application"].pk]),
        {f"{prefix}-outcome": "selected", f"{prefix}-reasons": "得分第一。"},
        follow=True,
    )
    assert "已记录对田林十二村社区的评审决定。" in recorded.content.decode()
    published = people["admin"].post(
        reverse("review:publish", args=[setup["round"].pk]), {"confirm": "on"}, follow=True
    )
    assert "入选单位名单" in published.content.decode()


def test_round_settings_page_keeps_what_was_typed(setup: dict[str, Any]) -> None:
    people = clients(setup)
    url = reverse("review:settings", args=[setup["round"].pk])
    response = people["admin"].post(
        url,
        {
            "method": "median",
            "item_range_share": "abc",
            "total_spread_limit": "15",
            "panel_visibility": "after_all_submitted",
            "applicant_visibility": "aggregate",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "：“abc”不是数值，应为0.05至1之间、最多2位小数的数值。" in text
    assert 'value="abc"' in text
    ok = people["admin"].post(
        url,
        {
            "method": "median",
            "item_range_share": "0.5",
            "total_spread_limit": "15",
            "panel_visibility": "after_all_submitted",
            "applicant_visibility": "aggregate",
        },
    )
    assert ok.status_code == 302
    assert Round.objects.get(pk=setup["round"].pk).review_settings.method == "median"
