"""The demo batch at evaluation (issue 16 §7): the community's final self-evaluation report
submitted on time, pre-accepted by its district and scored by the city's acceptance panel; the
zone's mid-term report submitted, passed on by its district and scored by the mid-term panel.
What the bureau decides on the scores is loaded after this (``_demo_acceptance``).

Everything goes through the real actions; the report's self-score is the application's
self-assessment, each item citing the archive file whose record names the item (else the
archive's first file)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import answer_form_fields
from lowcarbon.web.archive.evidence import archive_evidence
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.evaluation.actions import (
    Finding,
    do_pre_accept,
    do_save_item,
    do_save_texts,
    do_submit_report,
    evaluation_of,
)
from lowcarbon.web.evaluation.report import report_rubric
from lowcarbon.web.review.actions import do_assign, do_form_panel, do_save_review, do_submit_review
from lowcarbon.web.review.models import Assignment, ExpertReview, Panel
from lowcarbon.web.rounds.models import Kind, Stage

__all__ = ["load_evaluation", "score_as_submitted"]

TEXTS = {
    Kind.COMMUNITY.value: {
        "summary": (
            "枫林湾社区 2024 年入选低碳社区创建名单，创建期两年。社区成立了由街道分管领导牵头的"
            "创建工作小组，按实施方案推进既有住宅节能改造、屋顶光伏、垃圾分类和低碳宣传等任务。"
        ),
        "results": (
            "既有住宅节能改造三个小区已完成；公共区域照明全部更换为 LED；"
            "低碳宣传活动每季度不少于一次，居民参与率明显提高。"
        ),
        "problems": "部分老旧小区屋顶荷载不足，屋顶光伏规模低于计划；低碳志愿者队伍年龄偏大。",
        "next_steps": (
            "结合城市更新推进剩余屋顶光伏；吸收青年居民加入志愿者队伍；建立长效运行机制。"
        ),
    },
    Kind.ZONE.value: {
        "summary": (
            "实践区 2024 年入选低碳发展实践区，创建期四年，中期以来重点推进建筑节能改造、"
            "分布式光伏和绿色交通项目。"
        ),
        "results": "两个近零碳建筑示范项目开工；区内公共建筑能耗监测平台接入率达到 80%。",
        "problems": "重点用能单位逐月能耗数据报送仍不及时。",
        "next_steps": "下半年完成能耗监测数据报送责任落实，推进第二批分布式光伏项目。",
    },
}
STAGE = {Kind.COMMUNITY.value: Stage.FINAL.value, Kind.ZONE.value: Stage.MIDTERM.value}
# Submitted on time: before the community's 31 March and the zone's 30 June of 2026.
SUBMITTED_ON = {Kind.COMMUNITY.value: (2026, 3, 20), Kind.ZONE.value: (2026, 6, 15)}


def _answers(unit: CreationUnit) -> dict[str, Any]:
    """The application's self-assessment, each cited file replaced by an archive file."""
    files = archive_evidence(unit)
    first = files[-1].entry.code if files else None
    by_item: dict[str, str] = {}
    for found in reversed(files):  # oldest record first
        for item in found.entry.items:
            by_item.setdefault(item, found.entry.code)
    answers = {}
    for item_id, answer in unit.submission.snapshot["answers"].items():
        answer = dict(answer)
        if answer.get("evidence"):
            code = by_item.get(item_id, first)
            if code is None:
                answer.pop("evidence")
            else:
                answer["evidence"] = [code]
        answers[item_id] = answer
    return answers


def _report(unit: CreationUnit, applicant: User) -> Any:
    stage = STAGE[unit.kind]
    now = datetime(*SUBMITTED_ON[unit.kind], 10, 0, tzinfo=SHANGHAI)
    answers = _answers(unit)
    for item in report_rubric(unit).items():
        if item.id not in answers:
            continue
        do_save_item(
            unit,
            stage,
            item.id,
            answer_form_fields(answers[item.id]),
            expected_version=evaluation_of(unit, stage).version,
            actor=applicant,
            now=now,
        )
    do_save_texts(
        unit,
        stage,
        TEXTS[unit.kind],
        expected_version=evaluation_of(unit, stage).version,
        actor=applicant,
        now=now,
    )
    return do_submit_report(
        unit,
        stage,
        expected_version=evaluation_of(unit, stage).version,
        actor=applicant,
        now=now,
    )


def score_as_submitted(assignment: Assignment, expert: User) -> None:
    """The expert scores every item as the frozen submission scored itself, and submits."""
    for item_id, answer in assignment.submission.snapshot["answers"].items():
        review = ExpertReview.objects.get(assignment=assignment)
        do_save_review(
            assignment,
            item_id,
            answer_form_fields(answer),
            expected_version=review.version,
            actor=expert,
        )
    assignment.refresh_from_db()
    do_submit_review(assignment, expected_version=assignment.review.version, actor=expert)


def load_evaluation(
    unit: CreationUnit, applicant: User, officer: User, expert: User, admin: User
) -> Panel:
    """The unit's report submitted, passed on by its district and scored by one expert."""
    stage = STAGE[unit.kind]
    submission = _report(unit, applicant)
    rubric = report_rubric(unit)
    do_pre_accept(
        submission,
        findings={item.id: Finding(ok=True) for item in rubric.items()},
        recommendation="pass",
        comment="经区级预验收，资料齐全，同意报市级验收。"
        if stage == Stage.FINAL
        else "中期自评价报告内容完整，同意报市里评估。",
        deadline=None,
        actor=officer,
    )
    panel = do_form_panel(
        round_=unit.application.round,
        kind=unit.kind,
        stage=stage,
        name=f"{unit.application.round.year}年{Kind(unit.kind).label}{Stage(stage).label}专家组",
        deadline=timezone.localdate() + timedelta(days=30),
        members=[expert],
        actor=admin,
    )
    score_as_submitted(do_assign(panel, unit.application, expert, actor=admin), expert)
    return panel
