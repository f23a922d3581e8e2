"""The self-evaluation report (issue 16 §1) and the district's pre-acceptance (§3): scored item
by item against the indicator system the unit was selected under with its archive as evidence,
frozen as a submission of the stage that the review's panels then score like an application;
late reports by the round's rule; evidence that cannot be removed once frozen; rectification."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.archive.actions import do_remove_record
from lowcarbon.web.archive.evidence import evidence_code
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.filings import do_change_filing_policy
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus, RectificationOrder
from lowcarbon.web.evaluation.actions import (
    Finding,
    do_pre_accept,
    do_save_item,
    do_save_texts,
    do_submit_report,
    evaluation_of,
)
from lowcarbon.web.evaluation.models import PreAcceptance, ReportStatus
from lowcarbon.web.evaluation.report import report_rubric, report_total
from lowcarbon.web.review.actions import do_assign, do_form_panel, do_save_review
from lowcarbon.web.review.forms import AssignForm
from lowcarbon.web.review.snapshots import evidence_codes, self_points
from lowcarbon.web.rounds.models import Stage

from ..creation.support import shanghai
from ..review_support import make_expert
from .support import REPORT_TIME, score_everything

pytestmark = pytest.mark.django_db

FINAL = Stage.FINAL.value


def problems(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def joined(found: dict[str, list[str]]) -> str:
    return " ".join(message for messages in found.values() for message in messages)


def submit(unit: CreationUnit, applicant: User, now: Any = REPORT_TIME) -> Any:
    evaluation = evaluation_of(unit, FINAL)
    return do_submit_report(
        unit, FINAL, expected_version=evaluation.version, actor=applicant, now=now
    )


def all_met(unit: CreationUnit) -> dict[str, Finding]:
    return {item.id: Finding(ok=True) for item in report_rubric(unit).items()}


def test_the_report_is_frozen_as_a_submission_of_the_stage(
    unit: CreationUnit, applicant: User
) -> None:
    evaluation = score_everything(unit, FINAL, applicant)
    total = report_total(evaluation)
    assert total.complete
    submission = submit(unit, applicant)
    assert (submission.stage, submission.number) == (FINAL, unit.submission.number + 1)
    frozen = frozen_snapshot(submission)
    part = frozen.evaluation
    assert part is not None
    assert (part.stage, part.report_year, part.late) == (FINAL, 2025, False)
    assert part.base_submission == unit.submission.number
    assert part.texts["summary"].startswith("创建以来")
    assert part.texts["next_steps"] == ""
    # The archive's two records, each with its photo and attendance list, hashed.
    assert [r.title for r in part.records] == ["低碳知识讲座", "节能灯发放"]
    assert len(frozen.evidence) == 4
    assert all(len(entry.sha256) == 64 for entry in frozen.evidence)
    first = unit.archive_records.order_by("pk").first()
    assert first is not None
    assert evidence_code(first.pk, 1) in evidence_codes(submission)
    # The frozen self-score is the running total's; the inventory is the progress year's.
    assert frozen.score is not None
    assert frozen.score.total == sum((p.points for p in total.result.pools), Decimal(0))
    assert frozen.accounting_result is not None
    assert [i.year for i in frozen.accounting_result.inventories] == [2023, 2025]
    # The application's own submission is untouched and still the unit's starting point.
    assert frozen_snapshot(unit.submission).evaluation is None
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.PRE_ACCEPTANCE
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.submission) == (ReportStatus.SUBMITTED, submission)
    event = AuditEvent.objects.get(action="evaluation_report_submitted")
    assert event.after["snapshot_sha256"] == submission.snapshot_sha256
    # Frozen, the report can no longer be changed.
    found = problems(
        lambda: do_save_texts(
            unit, FINAL, {"summary": "改"}, expected_version=evaluation.version, actor=applicant
        )
    )
    assert "已报区" in found["__all__"][0]


def test_a_record_the_report_froze_cannot_be_removed(unit: CreationUnit, applicant: User) -> None:
    score_everything(unit, FINAL, applicant)
    submit(unit, applicant)
    record = unit.archive_records.order_by("pk").last()
    assert record is not None
    found = problems(
        lambda: do_remove_record(
            record, reason="重复", expected_version=record.version, actor=applicant
        )
    )
    assert "自评价报告" in joined(found)
    record.refresh_from_db()
    assert record.removed_at is None


def test_what_blocks_a_submission_is_named_and_nothing_is_frozen(
    unit: CreationUnit, applicant: User, officer: User
) -> None:
    rubric = report_rubric(unit)
    first = rubric.items()[0]
    code = evidence_code(unit.archive_records.order_by("pk").first().pk, 1)  # type: ignore[union-attr]
    # An answer citing a file the archive does not have is refused, naming it.
    found = problems(
        lambda: do_save_item(
            unit,
            FINAL,
            first.id,
            answer_form_fields({"level": "x", "evidence": ["R999-1"]}),
            expected_version=0,
            actor=applicant,
        )
    )
    assert "R999-1" in joined(found)
    assert evaluation_of(unit, FINAL).pk is None
    # Only the unit's people write the report.
    assert (
        "本单位"
        in problems(
            lambda: do_save_texts(unit, FINAL, {"summary": "x"}, expected_version=0, actor=officer)
        )["__all__"][0]
    )
    # A community has no mid-term evaluation.
    assert (
        "中期评估"
        in problems(
            lambda: do_save_texts(
                unit, Stage.MIDTERM.value, {"summary": "x"}, expected_version=0, actor=applicant
            )
        )["__all__"][0]
    )
    do_save_texts(unit, FINAL, {"summary": ""}, expected_version=0, actor=applicant)
    found = problems(lambda: submit(unit, applicant))["__all__"]
    assert any("基本情况" in text for text in found)
    assert evaluation_of(unit, FINAL).submission is None
    assert not unit.application.submissions.filter(stage=FINAL).exists()
    assert code  # the archive is there: what is missing is the self-score and the overview


def test_unanswered_items_block_the_submission(unit: CreationUnit, applicant: User) -> None:
    do_save_texts(unit, FINAL, {"summary": "概况"}, expected_version=0, actor=applicant)
    found = problems(lambda: submit(unit, applicant))["__all__"]
    assert "尚未" in found[0] or "not answered" in found[0]
    assert not unit.application.submissions.filter(stage=FINAL).exists()


def test_concurrent_saves_do_not_overwrite_each_other(unit: CreationUnit, applicant: User) -> None:
    evaluation = do_save_texts(unit, FINAL, {"summary": "甲"}, expected_version=0, actor=applicant)
    found = problems(
        lambda: do_save_texts(unit, FINAL, {"summary": "乙"}, expected_version=0, actor=applicant)
    )
    assert "版本" in found["__all__"][0]
    evaluation.refresh_from_db()
    assert evaluation.texts["summary"] == "甲"


def test_a_late_report_is_marked_or_refused_by_the_rounds_rule(
    unit: CreationUnit, applicant: User, admin_user: User
) -> None:
    score_everything(unit, FINAL, applicant)
    # Due 2101-03-31 (batch 2099 + 2); the rule: refused three days after.
    do_change_filing_policy(
        unit.application.round,
        late_filings="refuse",
        grace_days=3,
        reason="验收安排紧凑。",
        expected_version=0,
        actor=admin_user,
    )
    too_late = shanghai(2101, 4, 4, 9, 0)
    found = problems(lambda: submit(unit, applicant, too_late))["__all__"]
    assert "2101-03-31" in found[0]
    assert "2101-04-03" in found[0]
    submission = submit(unit, applicant, shanghai(2101, 4, 2, 9, 0))
    part = frozen_snapshot(submission).evaluation
    assert part is not None
    assert part.late


def test_pre_acceptance_rectify_then_pass_then_a_final_panel_scores_the_report(
    unit: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    score_everything(unit, FINAL, applicant)
    first = submit(unit, applicant)
    findings = all_met(unit)
    # Every item needs a finding; one not met needs the problem described.
    partial = dict(findings)
    partial.pop(next(iter(partial)))
    found = problems(
        lambda: do_pre_accept(
            first, findings=partial, recommendation="pass", comment="", deadline=None, actor=officer
        )
    )
    assert "findings" in found
    item = report_rubric(unit).items()[2].id
    failing = findings | {item: Finding(ok=False)}
    found = problems(
        lambda: do_pre_accept(
            first,
            findings=failing,
            recommendation="rectify",
            comment="",
            deadline=date(2101, 4, 30),
            actor=officer,
        )
    )
    assert f"note_{item}" in found
    # The applicant cannot pre-accept its own report.
    assert (
        "区"
        in problems(
            lambda: do_pre_accept(
                first,
                findings=findings,
                recommendation="pass",
                comment="",
                deadline=None,
                actor=applicant,
            )
        )["__all__"][0]
    )
    failing = findings | {item: Finding(ok=False, note="宣传活动记录不全，缺少签到表。")}
    now = shanghai(2101, 4, 10, 9, 0)
    pre = do_pre_accept(
        first,
        findings=failing,
        recommendation="rectify",
        comment="请整改后重新报送。",
        deadline=date(2101, 4, 30),
        actor=officer,
        now=now,
    )
    assert pre.order is not None
    order = RectificationOrder.objects.get(pk=pre.order.pk)
    assert [i.problem for i in order.items.all()] == [
        f"第{item}项（{report_rubric(unit).item(item).title.zh}）：宣传活动记录不全，缺少签到表。"
    ]
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.RECTIFICATION
    first.refresh_from_db()
    assert first.district_decision == "returned"
    # Once decided, the same report is not decided again.
    found = problems(
        lambda: do_pre_accept(
            first,
            findings=findings,
            recommendation="pass",
            comment="",
            deadline=None,
            actor=officer,
        )
    )
    assert "不在等待" in found["__all__"][0]
    # The unit submits again: a new submission; the first is kept as it was.
    evaluation = evaluation_of(unit, FINAL)
    assert evaluation.status == ReportStatus.RETURNED
    do_save_texts(
        unit,
        FINAL,
        {**evaluation.texts, "problems": "已补充签到表。"},
        expected_version=evaluation.version,
        actor=applicant,
        now=now,
    )
    second = submit(unit, applicant, shanghai(2101, 4, 20, 9, 0))
    assert second.number == first.number + 1
    unit.refresh_from_db()
    assert unit.status == LifecycleStatus.PRE_ACCEPTANCE
    do_pre_accept(
        second,
        findings=findings,
        recommendation="pass",
        comment="同意报市级验收。",
        deadline=None,
        actor=officer,
    )
    second.refresh_from_db()
    assert second.district_decision == "recommended"
    assert evaluation_of(unit, FINAL).status == ReportStatus.PASSED
    assert PreAcceptance.objects.count() == 2
    # The city's acceptance panel scores the passed report with the review's own machinery.
    expert = make_expert(admin_user, "expert_acc", "验收专家")
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage=FINAL,
        name="验收组",
        deadline=date.today() + timedelta(days=10),
        members=[expert],
        actor=admin_user,
    )
    assert list(AssignForm(panel).fields["application"].queryset) == [unit.application]  # type: ignore[attr-defined]
    assignment = do_assign(panel, unit.application, expert, actor=admin_user)
    assert assignment.submission == second
    own = self_points(second)
    # An item the unit proved with an archive file: the expert keeps the citation.
    scored, answer = next(
        (i, a) for i, a in second.snapshot["answers"].items() if a.get("evidence")
    )
    do_save_review(
        assignment,
        scored,
        answer_form_fields(answer),
        expected_version=assignment.review.version,
        actor=expert,
    )
    assignment.review.refresh_from_db()
    assert assignment.review.answers[scored]["evidence"] == answer["evidence"]
    assert answer["evidence"][0].startswith("R")
    assert scored in own


def test_an_expert_of_the_units_district_is_refused_for_its_acceptance(
    unit: CreationUnit, applicant: User, officer: User, admin_user: User
) -> None:
    from lowcarbon.web.review.actions import do_save_expert_profile

    score_everything(unit, FINAL, applicant)
    report = submit(unit, applicant)
    do_pre_accept(
        report,
        findings=all_met(unit),
        recommendation="pass",
        comment="",
        deadline=None,
        actor=officer,
    )
    local = make_expert(admin_user, "expert_local", "本区专家")
    do_save_expert_profile(
        local,
        districts=[unit.application.unit.district],
        organisation_name="",
        consultancies=[],
        actor=admin_user,
    )
    panel = do_form_panel(
        round_=unit.application.round,
        kind="community",
        stage=FINAL,
        name="验收组",
        deadline=date.today() + timedelta(days=10),
        members=[local],
        actor=admin_user,
    )
    found = problems(lambda: do_assign(panel, unit.application, local, actor=admin_user))
    assert "利益冲突" in joined(found)
    assert not panel.assignments.exists()
