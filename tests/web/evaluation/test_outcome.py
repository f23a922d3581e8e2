"""The outcome of an acceptance (issue 16 §4) through the real actions: the unit reports, the
district passes the report on, a panel of the stage scores it, the bureau decides the outcome
the round's rule gives, and the passed units are named; a re-inspection is a new report, a new
panel and a new decision, the earlier kept."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
)
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, RectificationStatus
from lowcarbon.web.evaluation.actions import (
    Finding,
    do_pre_accept,
    do_save_texts,
    do_submit_report,
    evaluation_of,
)
from lowcarbon.web.evaluation.outcome import (
    do_decide_acceptance,
    do_publish_naming,
    propose,
    round_rule,
)
from lowcarbon.web.evaluation.outcome_documents import opinion_of, render_opinion
from lowcarbon.web.evaluation.outcome_models import AcceptanceDecision
from lowcarbon.web.evaluation.report import report_rubric
from lowcarbon.web.review.actions import do_assign, do_form_panel, do_save_review
from lowcarbon.web.review.actions.scoring import do_submit_review
from lowcarbon.web.review.models import Panel
from lowcarbon.web.review.snapshots import evidence_codes
from lowcarbon.web.rounds.models import Stage

from ..creation.support import shanghai
from ..review_support import example_answers, make_expert
from .support import REPORT_TIME, score_everything

pytestmark = pytest.mark.django_db

FINAL = Stage.FINAL.value
DECIDED = shanghai(2101, 6, 1, 10, 0)


def problems(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def passed_on(unit: CreationUnit, applicant: User, officer: User, now: Any = REPORT_TIME) -> Any:
    evaluation = evaluation_of(unit, FINAL)
    submission = do_submit_report(
        unit, FINAL, expected_version=evaluation.version, actor=applicant, now=now
    )
    do_pre_accept(
        submission,
        findings={item.id: Finding(ok=True) for item in report_rubric(unit).items()},
        recommendation="pass",
        comment="同意报市级验收。",
        deadline=None,
        actor=officer,
    )
    submission.refresh_from_db()
    return submission


def zero_answer(rule: Any) -> dict[str, Any]:
    if isinstance(rule, LevelsRule):
        return {"level": min(rule.options, key=lambda o: o.points).id}
    if isinstance(rule, ChecklistRule):
        return {"ticked": []}
    if isinstance(rule, JudgementRule):
        return {"points": 0, "reason": "现场未见相关工作。"}
    if isinstance(rule, CompositeRule):
        return {"parts": {part.id: zero_answer(part.rule) for part in rule.parts}}
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return {"count": 0}
    raise AssertionError(rule)


def panel_scores_report(
    unit: CreationUnit,
    admin: User,
    submission: Any,
    name: str,
    experts: list[User],
    zeroed: set[str] | None = None,
    submit: bool = True,
) -> Panel:
    """A final panel of ``experts``: each scores the report as the unit did, except the items
    in ``zeroed``, scored 0."""
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage=FINAL,
        name=name,
        deadline=date.today() + timedelta(days=10),
        members=experts,
        actor=admin,
    )
    rubric = report_rubric(unit)
    rules = {item.id: item.rule for item in rubric.items()}
    examples = example_answers()
    code = evidence_codes(submission)[0]
    for expert in experts:
        assignment = do_assign(panel, unit.application, expert, actor=admin)
        assert assignment.submission == submission
        for item_id in rules:
            # The example's answers, each proved by a file the report froze.
            answer = {**examples[item_id], "evidence": [code]}
            given = zero_answer(rules[item_id]) if zeroed and item_id in zeroed else answer
            given["comment"] = "现场核实，按核实情况评分。"
            do_save_review(
                assignment,
                item_id,
                answer_form_fields(given),
                expected_version=assignment.review.version,
                actor=expert,
            )
            assignment.review.refresh_from_db()
        if submit:
            do_submit_review(assignment, expected_version=assignment.review.version, actor=expert)
    return panel


@pytest.fixture
def experts(admin_user: User) -> list[User]:
    return [
        make_expert(admin_user, "expert_a", "甲专家"),
        make_expert(admin_user, "expert_b", "乙专家"),
        make_expert(admin_user, "expert_c", "丙专家"),
    ]


@pytest.fixture
def reported(unit: CreationUnit, applicant: User, officer: User) -> Any:
    score_everything(unit, FINAL, applicant)
    return passed_on(unit, applicant, officer)


def decide(unit: CreationUnit, panel: Panel, admin: User, **kwargs: Any) -> AcceptanceDecision:
    unit.refresh_from_db()
    arguments: dict[str, Any] = {
        "panel": panel,
        "reasons": "专家组评分完整，按本轮验收规则认定。",
        "improvements": [],
        "opinion": "社区低碳工作扎实，档案齐全。",
        "expected_version": unit.version,
        "actor": admin,
        "now": DECIDED,
    }
    arguments.update(kwargs)
    return do_decide_acceptance(unit, FINAL, **arguments)


def test_passed_then_named_on_the_public_list(
    unit: CreationUnit,
    reported: Any,
    admin_user: User,
    applicant: User,
    experts: list[User],
    client: Any,
) -> None:
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts)
    proposal = propose(unit, FINAL, panel)
    assert proposal.refusal is None
    assert proposal.outcome == "passed"
    # The unit cannot decide, nor can the district.
    assert "市" in problems(lambda: decide(unit, panel, applicant))["__all__"][0]
    decision = decide(unit, panel, admin_user)
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.ACCEPTED
    assert decision.outcome == "passed"
    assert decision.rule_ref == round_rule(unit.application.round, "community", FINAL).ref
    assert decision.basis["explanation"][-1].startswith("通过")
    assert len(decision.basis["members"]) == 3
    assert AuditEvent.objects.filter(action="acceptance_decided").count() == 1
    # The same report is not decided twice.
    assert "已" in " ".join(problems(lambda: decide(unit, panel, admin_user))["__all__"])
    # Not public before the naming.
    page = client.get("/acceptance/named/")
    assert page.status_code == 200
    assert unit.application.unit.name not in page.content.decode()
    named = do_publish_naming(unit.application.round, "community", actor=admin_user)
    assert [d.pk for d in named] == [decision.pk]
    decision.refresh_from_db()
    assert decision.published_at is not None
    page = client.get("/acceptance/named/")
    assert unit.application.unit.name in page.content.decode()
    # Nothing left to publish.
    assert problems(
        lambda: do_publish_naming(unit.application.round, "community", actor=admin_user)
    )
    # The opinion: the unit, the outcome and a signature line for every member.
    document = Document(io.BytesIO(render_opinion(decision, "docx", "opinion").content))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert unit.application.unit.name in text
    assert "通过" in text
    for expert in experts:
        assert expert.get_full_name() in text
    assert opinion_of(decision).members[0].role == "leader"


def test_refused_while_the_scores_are_incomplete(
    unit: CreationUnit, reported: Any, admin_user: User, experts: list[User]
) -> None:
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts, submit=False)
    proposal = propose(unit, FINAL, panel)
    assert proposal.outcome is None
    assert "3" in (proposal.refusal or "")
    assert "不完整" in problems(lambda: decide(unit, panel, admin_user))["__all__"][0]
    assert not AcceptanceDecision.objects.exists()
    # Nobody to name while the report waits for its decision.
    assert (
        unit.application.unit.name
        in problems(
            lambda: do_publish_naming(unit.application.round, "community", actor=admin_user)
        )["__all__"][0]
    )


def test_a_stale_page_decides_nothing(
    unit: CreationUnit, reported: Any, admin_user: User, experts: list[User]
) -> None:
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts)
    unit.refresh_from_db()
    version = unit.version
    decide(unit, panel, admin_user, expected_version=version)
    found = problems(lambda: decide(unit, panel, admin_user, expected_version=version))
    assert found["__all__"]
    assert AcceptanceDecision.objects.count() == 1


def test_failed(unit: CreationUnit, reported: Any, admin_user: User, experts: list[User]) -> None:
    every = {item.id for item in report_rubric(unit).items()}
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts, zeroed=every)
    decision = decide(unit, panel, admin_user)
    assert decision.outcome == "failed"
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.FAILED
    assert decision.order is None


def test_reinspect_orders_a_rectification_then_a_new_report_gets_its_own_decision(
    unit: CreationUnit,
    reported: Any,
    admin_user: User,
    applicant: User,
    officer: User,
    experts: list[User],
) -> None:
    # Item 21 (垃圾分类) is a key item: at 0 the unit cannot pass.
    panel = panel_scores_report(unit, admin_user, reported, "验收组", experts, zeroed={"21"})
    assert propose(unit, FINAL, panel).outcome == "reinspect"
    # A rectification needs the improvements and the order's deadline.
    assert "improvements" in problems(lambda: decide(unit, panel, admin_user))
    assert "deadline" in problems(
        lambda: decide(unit, panel, admin_user, improvements=["垃圾分类箱房覆盖全部小区。"])
    )
    first = decide(
        unit,
        panel,
        admin_user,
        improvements=["垃圾分类箱房覆盖全部小区。", "补齐分类投放督导记录。"],
        deadline=date(2101, 9, 30),
    )
    assert first.outcome == "reinspect"
    assert first.order is not None
    assert [i.problem for i in first.order.items.order_by("number")] == [
        "垃圾分类箱房覆盖全部小区。",
        "补齐分类投放督导记录。",
    ]
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.RECTIFICATION
    # The unit reports again; the district passes it on; a new panel scores it.
    evaluation = evaluation_of(unit, FINAL)
    do_save_texts(
        unit,
        FINAL,
        {**evaluation.texts, "problems": "已完成垃圾分类整改。"},
        expected_version=evaluation.version,
        actor=applicant,
        now=shanghai(2101, 9, 1, 9, 0),
    )
    second_report = passed_on(unit, applicant, officer, shanghai(2101, 9, 2, 9, 0))
    assert second_report.pk != reported.pk
    # The first panel scored an earlier report: it cannot decide the new one.
    assert propose(unit, FINAL, panel).refusal
    again = panel_scores_report(unit, admin_user, second_report, "复验组", experts)
    second = decide(unit, again, admin_user, now=shanghai(2101, 10, 1, 9, 0))
    assert second.outcome == "passed"
    assert AcceptanceDecision.objects.filter(unit=unit).count() == 2
    first.refresh_from_db()
    assert first.outcome == "reinspect"
    first.order.refresh_from_db()
    assert first.order.status == RectificationStatus.CLOSED
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.ACCEPTED
