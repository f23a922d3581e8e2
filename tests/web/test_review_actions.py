"""The expert review's actions: assignment and conflicts, scoring, submission, reopening,
discussion and revision, aggregation, ranking, decision and publication."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lowcarbon.core.aggregation import AggregationMethod, aggregate_scores
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review import aggregate as review_aggregate
from lowcarbon.web.review.actions import (
    do_assign,
    do_decide,
    do_declare_conflict,
    do_form_panel,
    do_override_conflict,
    do_post_discussion,
    do_publish_decisions,
    do_reopen_review,
    do_revise_review,
    do_save_expert_profile,
    do_save_review,
    do_save_review_settings,
    do_submit_review,
)
from lowcarbon.web.review.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    Decision,
    Discussion,
    ExpertReview,
    Panel,
)
from lowcarbon.web.review.snapshots import score_of
from lowcarbon.web.rounds.models import Round

from .review_support import (
    assign_all,
    make_expert,
    make_panel,
    make_round,
    make_unit,
    recommended_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(admin_user: User) -> Round:
    return make_round(admin_user)


@pytest.fixture
def experts(admin_user: User) -> list[User]:
    return [
        make_expert(admin_user, "expert_a", "张明"),
        make_expert(admin_user, "expert_b", "陈华"),
        make_expert(admin_user, "expert_c", "刘洋"),
    ]


@pytest.fixture
def recommended(round_: Round, users: dict[str, User]) -> tuple[Application, Submission]:
    return recommended_application(round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER])


@pytest.fixture
def panel(admin_user: User, round_: Round, experts: list[User]) -> Panel:
    return make_panel(admin_user, round_, experts)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def agree(assignment: Assignment) -> None:
    """Store the applicant's own answers as the expert's draft (through the real action)."""
    for item_id, answer in assignment.submission.snapshot["answers"].items():
        review = ExpertReview.objects.get(assignment=assignment)
        raw = form_of(answer)
        do_save_review(
            assignment, item_id, raw, expected_version=review.version, actor=assignment.expert
        )
        assignment.refresh_from_db()


def form_of(answer: dict[str, Any]) -> dict[str, Any]:
    """The form fields that store ``answer`` (the inverse of the shared ``clean_answer``)."""
    raw: dict[str, Any] = {}
    for key in ("level", "ticked", "count", "points", "deduct", "reason", "comment", "evidence"):
        if key in answer:
            raw[key] = (
                [str(v) for v in answer[key]] if isinstance(answer[key], list) else str(answer[key])
            )
    for part, choice in (answer.get("parts") or {}).items():
        for key, value in choice.items():
            raw[f"part-{part}-{key}"] = (
                [str(v) for v in value] if isinstance(value, list) else (str(value))
            )
    if "constraint_met" in answer:
        raw["constraint_met"] = "yes" if answer["constraint_met"] else "no"
    if answer.get("not_applicable"):
        raw["not_applicable"] = "on"
    return raw


def save(assignment: Assignment, item_id: str, raw: dict[str, Any]) -> ExpertReview:
    review = ExpertReview.objects.get(assignment=assignment)
    return do_save_review(
        assignment, item_id, raw, expected_version=review.version, actor=assignment.expert
    )


def submit(assignment: Assignment) -> Assignment:
    assignment.refresh_from_db()
    return do_submit_review(
        assignment, expected_version=assignment.review.version, actor=assignment.expert
    )


# --- panels and conflicts ------------------------------------------------------------------


def test_a_panel_needs_experts_a_name_and_a_future_deadline(
    admin_user: User, round_: Round, users: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as refused:
        do_form_panel(
            round_=round_,
            kind="community",
            name=" ",
            deadline=timezone.localdate() - timedelta(days=1),
            members=[users[Role.APPLICANT]],
            actor=admin_user,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"name", "deadline", "members"}
    assert "applicant" in errors["members"][0]
    with pytest.raises(ValidationError):
        do_form_panel(
            round_=round_,
            kind="community",
            name="第一组",
            deadline=timezone.localdate(),
            members=[users[Role.EXPERT]],
            actor=users[Role.EXPERT],
        )
    assert Panel.objects.count() == 0


def test_assigning_a_recommended_application(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    assert assignment.submission == submission
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert ExpertReview.objects.get(assignment=assignment).answers == {}
    assert events("review_assigned") == 1
    with pytest.raises(ValidationError, match="已分配"):
        do_assign(panel, application, experts[0], actor=admin_user)


def test_only_recommended_applications_are_reviewed(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    Application.objects.filter(pk=application.pk).update(status="submitted")
    application.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        do_assign(panel, application, experts[0], actor=admin_user)
    assert "推荐" in refused.value.message_dict["application"][0]
    assert Assignment.objects.count() == 0


def test_same_district_is_a_conflict_refused_until_overridden_with_a_reason(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    expert = experts[0]
    do_save_expert_profile(
        expert,
        districts=[District.objects.get(name="徐汇区")],
        organisation_name="同济大学",
        consultancies=[],
        actor=expert,
    )
    with pytest.raises(ValidationError) as refused:
        do_assign(panel, application, expert, actor=admin_user)
    assert "利益冲突" in refused.value.message_dict["expert"][0]
    assert "徐汇区" in " ".join(refused.value.message_dict["expert"])
    assert Assignment.objects.count() == 0
    with pytest.raises(ValidationError) as no_reason:
        do_override_conflict(panel, application, expert, reason=" ", actor=admin_user)
    assert "reason" in no_reason.value.message_dict
    assignment = do_override_conflict(
        panel, application, expert, reason="全市仅此一位建筑节能专家。", actor=admin_user
    )
    assert assignment.status == AssignmentStatus.ASSIGNED
    conflict = ConflictDeclaration.objects.get(expert=expert)
    assert conflict.overridden_by == admin_user
    assert "徐汇区" in conflict.reason
    event = AuditEvent.objects.get(action="review_conflict_overridden")
    assert event.reason == "全市仅此一位建筑节能专家。"


def test_same_organisation_and_a_named_consultancy_are_conflicts(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    do_save_expert_profile(
        experts[1],
        districts=[],
        organisation_name="田林十二村社区",
        consultancies=[],
        actor=admin_user,
    )
    # The plan's text (filled by the fixture) contains "示例内容": a consultancy of that name
    # is named in the plan.
    do_save_expert_profile(
        experts[2], districts=[], organisation_name="", consultancies=["示例内容"], actor=admin_user
    )
    for expert, expected in ((experts[1], "田林十二村社区"), (experts[2], "示例内容")):
        with pytest.raises(ValidationError) as refused:
            do_assign(panel, application, expert, actor=admin_user)
        assert expected in " ".join(refused.value.message_dict["expert"])


def test_only_the_expert_or_an_administrator_edits_a_profile(
    experts: list[User], users: dict[str, User]
) -> None:
    with pytest.raises(ValidationError):
        do_save_expert_profile(
            experts[0], districts=[], organisation_name="x", consultancies=[], actor=experts[1]
        )
    with pytest.raises(ValidationError):
        do_save_expert_profile(
            users[Role.APPLICANT],
            districts=[],
            organisation_name="x",
            consultancies=[],
            actor=users[Role.APPLICANT],
        )


def test_an_expert_declares_a_conflict_and_leaves_the_assignment(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    with pytest.raises(ValidationError):
        do_declare_conflict(assignment, reason="", actor=experts[0])
    with pytest.raises(ValidationError):
        do_declare_conflict(assignment, reason="我参与了方案编制。", actor=experts[1])
    declined = do_declare_conflict(assignment, reason="我参与了方案编制。", actor=experts[0])
    assert declined.status == AssignmentStatus.DECLINED_CONFLICT
    assert events("review_conflict_declared") == 1
    with pytest.raises(ValidationError, match="分配给您"):
        save(declined, "1", {"level": "none"})
    # The expert's own declaration now counts as a conflict, and is never overridden.
    from lowcarbon.web.review.conflicts import detect_conflicts

    assert any("方案编制" in c for c in detect_conflicts(experts[0], application, _submission))


# --- scoring -------------------------------------------------------------------------------


def test_saving_an_item_checks_it_with_the_engine_and_the_version(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    with pytest.raises(ValidationError) as refused:
        save(assignment, "1", {"level": "gold", "evidence": ["E01"]})
    assert "gold" in " ".join(refused.value.message_dict["level"])
    with pytest.raises(ValidationError) as judgement:
        save(assignment, "10", {"points": "2.5"})
    assert "reason" in judgement.value.message_dict
    with pytest.raises(ValidationError) as unknown_evidence:
        save(assignment, "1", {"level": "none", "evidence": ["E99"]})
    assert "E99" in " ".join(unknown_evidence.value.message_dict["evidence"])
    review = save(assignment, "1", {"level": "group_with_roles", "evidence": ["E01"]})
    assert review.answers == {"1": {"level": "group_with_roles", "evidence": ["E01"]}}
    assert review.version == 2
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SCORING
    # A second window that started from version 1 is refused, nothing saved.
    with pytest.raises(ValidationError) as stale:
        do_save_review(assignment, "1", {"level": "none"}, expected_version=1, actor=experts[0])
    assert stale.value.code == "stale"
    assert ExpertReview.objects.get(pk=review.pk).answers["1"]["level"] == "group_with_roles"


def test_another_expert_cannot_save_into_my_review(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    with pytest.raises(ValidationError):
        do_save_review(assignment, "1", {"level": "none"}, expected_version=1, actor=experts[1])
    with pytest.raises(ValidationError):
        do_save_review(assignment, "1", {"level": "none"}, expected_version=1, actor=admin_user)
    assert ExpertReview.objects.get(assignment=assignment).answers == {}


def test_submitting_needs_every_item_and_comments_where_departing(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    save(assignment, "1", {"level": "none"})
    with pytest.raises(ValidationError) as unscored:
        submit(assignment)
    errors = unscored.value.message_dict
    assert "2" in errors
    assert "B5" in errors
    assert "尚未评分" in errors["2"][0]
    agree(assignment)
    save(assignment, "1", {"level": "none"})  # departs from the self-score of 5
    with pytest.raises(ValidationError) as departing:
        submit(assignment)
    assert list(departing.value.message_dict) == ["1"]
    assert "5" in departing.value.message_dict["1"][0]
    save(assignment, "1", {"level": "none", "comment": "工作小组文件未见岗位分工。"})
    submitted = submit(assignment)
    assert submitted.status == AssignmentStatus.SUBMITTED
    review = ExpertReview.objects.get(assignment=assignment)
    assert review.submitted_at is not None
    revision = review.revisions.get()
    assert revision.number == 1
    assert revision.kind == "submitted"
    expected = score_of(submission, review.answers)
    assert revision.main_points == expected.main
    assert revision.bonus_points == expected.bonus
    with pytest.raises(ValidationError, match="已提交并锁定"):
        save(submitted, "2", {"level": "none"})


def test_reopening_needs_an_administrator_and_a_reason_and_keeps_the_revision(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    assignment = do_assign(panel, application, experts[0], actor=admin_user)
    agree(assignment)
    submitted = submit(assignment)
    with pytest.raises(ValidationError):
        do_reopen_review(submitted, reason="请复核", actor=experts[0])
    with pytest.raises(ValidationError) as no_reason:
        do_reopen_review(submitted, reason="", actor=admin_user)
    assert "reason" in no_reason.value.message_dict
    reopened = do_reopen_review(submitted, reason="第6项分值录入错误。", actor=admin_user)
    assert reopened.status == AssignmentStatus.REOPENED
    assert AuditEvent.objects.get(action="review_reopened").reason == "第6项分值录入错误。"
    first = ExpertReview.objects.get(assignment=assignment).revisions.get()
    save(
        reopened,
        "1",
        {"level": "group_without_roles", "evidence": ["E01"], "comment": "分工不全。"},
    )
    submit(reopened)
    review = ExpertReview.objects.get(assignment=assignment)
    assert [r.number for r in review.revisions.all()] == [1, 2]
    assert review.revisions.get(number=1).answers == first.answers
    assert review.revisions.get(number=2).main_points < first.main_points


# --- aggregation, discussion, revision ------------------------------------------------------


def test_aggregate_equals_core_aggregation_of_the_stored_scores_and_divergence_opens_a_thread(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, submission = recommended
    a, b = assign_all(admin_user, panel, application, experts[:2])
    agree(a)
    agree(b)
    save(b, "1", {"level": "none", "comment": "未见岗位分工。"})
    submit(a)
    assert Discussion.objects.count() == 0  # b has not submitted yet
    submit(b)
    result = review_aggregate.application_result(panel, application)
    stored = [score_of(submission, r.answers) for r in ExpertReview.objects.order_by("pk")]
    expected = aggregate_scores(stored, AggregationMethod.MEAN)
    assert result.aggregate is not None
    assert result.aggregate.main == expected.main
    assert result.aggregate.bonus == expected.bonus
    assert result.aggregate.item("1").scores.points == Decimal("2.50")
    discussion = Discussion.objects.get()
    assert {flag["target"] for flag in discussion.flags} == {"1"}
    # Revision after discussion: a new revision row with its reason; the first stays.
    b.refresh_from_db()
    do_post_discussion(discussion, text="岗位分工见附件第3页。", actor=experts[0])
    review = ExpertReview.objects.get(assignment=b)
    do_revise_review(
        b,
        "1",
        {"level": "group_with_roles", "evidence": ["E01"]},
        reason="经讨论，附件第3页有岗位分工。",
        expected_version=review.version,
        actor=experts[1],
    )
    review.refresh_from_db()
    assert [(r.number, r.kind) for r in review.revisions.all()] == [
        (1, "submitted"),
        (2, "revised"),
    ]
    assert review.revisions.get(number=1).answers["1"]["level"] == "none"
    after = review_aggregate.application_result(panel, application)
    assert after.aggregate is not None
    assert after.aggregate.item("1").scores.points == Decimal(5)
    assert after.flags == ()


def test_a_revision_without_a_reason_or_outside_a_discussion_is_refused(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    (a,) = assign_all(admin_user, panel, application, experts[:1])
    agree(a)
    submit(a)
    with pytest.raises(ValidationError, match="讨论"):
        do_revise_review(
            a,
            "1",
            {"level": "none"},
            reason="x",
            expected_version=a.review.version,
            actor=experts[0],
        )


def test_the_round_method_and_thresholds_are_used(
    admin_user: User, round_: Round, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    do_save_review_settings(
        round_,
        method="median",
        item_range_share="0.9",
        total_spread_limit="30",
        panel_visibility="after_all_submitted",
        applicant_visibility="aggregate",
        actor=admin_user,
    )
    a, b, c = assign_all(admin_user, panel, application, experts)
    for assignment in (a, b, c):
        agree(assignment)
    save(c, "1", {"level": "group_without_roles", "evidence": ["E01"], "comment": "分工不全。"})
    for assignment in (a, b, c):
        submit(assignment)
    result = review_aggregate.application_result(panel, application)
    assert result.aggregate is not None
    assert result.aggregate.method is AggregationMethod.MEDIAN
    assert result.aggregate.item("1").scores.points == Decimal(5)
    # 2.5 of 5 points apart: flagged at the default half, not at the round's 0.9.
    assert result.flags == ()
    assert Discussion.objects.count() == 0


def test_settings_refuse_bad_numbers(admin_user: User, round_: Round) -> None:
    with pytest.raises(ValidationError) as refused:
        do_save_review_settings(
            round_,
            method="vote",
            item_range_share="abc",
            total_spread_limit="500",
            panel_visibility="x",
            applicant_visibility="y",
            actor=admin_user,
        )
    assert set(refused.value.message_dict) == {
        "method",
        "item_range_share",
        "total_spread_limit",
        "panel_visibility",
        "applicant_visibility",
    }
    assert "abc" in refused.value.message_dict["item_range_share"][0]


# --- ranking, decisions, publication --------------------------------------------------------


def test_ranking_shows_ties_as_ties_and_decisions_are_published_together(
    admin_user: User, round_: Round, panel: Panel, experts: list[User], recommended: Any
) -> None:
    first, _submission = recommended
    units = [make_unit(admin_user, "静安区", name) for name in ("石门二路社区", "曹家渡社区")]
    second, _ = recommended_application(round_, units[0][1], units[0][2])
    third, _ = recommended_application(round_, units[1][1], units[1][2])
    for application in (first, second, third):
        (assignment,) = assign_all(admin_user, panel, application, experts[:1])
        agree(assignment)
        if application == third:
            save(
                assignment,
                "2",
                {"level": "plan_only", "evidence": ["E02"], "comment": "无考核办法。"},
            )
        submit(assignment)
    entries = review_aggregate.ranking(round_, "community")
    ranks = {e.subject.application.unit.name: (e.rank, e.tied) for e in entries}
    assert ranks["田林十二村社区"] == (1, True)
    assert ranks["石门二路社区"] == (1, True)
    assert ranks["曹家渡社区"] == (3, False)
    # Within the tie: listed by unit name (a stable order of listing, not of merit).
    tied = [e.subject.application.unit.name for e in entries if e.rank == 1]
    assert tied == sorted(tied)
    assert entries[0].total == entries[1].total > entries[2].total

    with pytest.raises(ValidationError) as no_reason:
        do_decide(first, outcome="selected", reasons="", actor=admin_user)
    assert "reasons" in no_reason.value.message_dict
    do_decide(first, outcome="selected", reasons="综合得分并列第一。", actor=admin_user)
    with pytest.raises(ValidationError, match="石门二路社区"):
        do_publish_decisions(round_, actor=admin_user)
    do_decide(second, outcome="selected", reasons="综合得分并列第一。", actor=admin_user)
    decision = do_decide(third, outcome="not_selected", reasons="得分较低。", actor=admin_user)
    assert decision.basis["rank"] == 3
    assert decision.basis["method"] == "mean"
    assert Decimal(decision.basis["total"]) == entries[2].total
    round_.refresh_from_db()
    assert round_.published_at is None
    assert do_publish_decisions(round_, actor=admin_user) == 3
    assert Decision.objects.filter(published_at__isnull=True).count() == 0
    # The round knows it was published, at the decisions' time (its pages link the list).
    round_.refresh_from_db()
    assert round_.published_at == Decision.objects.get(pk=decision.pk).published_at
    with pytest.raises(ValidationError, match="公示"):
        do_decide(third, outcome="selected", reasons="改判", actor=admin_user)
    with pytest.raises(ValidationError):
        do_publish_decisions(round_, actor=admin_user)
    assert events("review_decisions_published") == 1


def test_deciding_before_every_expert_submitted_is_refused(
    admin_user: User, panel: Panel, experts: list[User], recommended: Any
) -> None:
    application, _submission = recommended
    a, _b = assign_all(admin_user, panel, application, experts[:2])
    agree(a)
    submit(a)
    with pytest.raises(ValidationError, match="1"):
        do_decide(application, outcome="selected", reasons="好。", actor=admin_user)
    assert Decision.objects.count() == 0
