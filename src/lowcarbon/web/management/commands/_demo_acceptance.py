"""Demo: the bureau decides the community's final acceptance on its panel's scores (the outcome
the round's rule gives) and, when it passed, publishes the naming; the zone's mid-term
evaluation is left for the bureau to decide on its page."""

from __future__ import annotations

from datetime import date, datetime

from lowcarbon.web.accounts.models import User
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.evaluation.outcome import do_decide_acceptance, do_publish_naming, propose
from lowcarbon.web.rounds.models import Kind, Stage

__all__ = ["load_acceptance"]

DECIDED_AT = datetime(2026, 5, 20, 10, 0, tzinfo=SHANGHAI)
NAMED_AT = datetime(2026, 5, 28, 9, 0, tzinfo=SHANGHAI)


def load_acceptance(unit: CreationUnit, admin: User) -> None:
    if unit.kind != Kind.COMMUNITY:
        return
    unit.refresh_from_db()
    proposal = propose(unit, Stage.FINAL)
    if proposal.refusal is not None or proposal.panel is None:
        return
    passed = proposal.outcome == "passed"
    decision = do_decide_acceptance(
        unit,
        Stage.FINAL,
        panel=proposal.panel,
        reasons="专家组评分完整，按本轮验收规则认定。",
        improvements=[]
        if passed
        else ["补齐未达要求指标项的工作记录和证明材料。", "完善低碳宣传和居民参与活动台账。"],
        opinion="社区低碳创建组织健全，档案记录完整，节能改造和垃圾分类等任务按计划完成。",
        deadline=None if passed else date(2026, 8, 31),
        expected_version=unit.version,
        actor=admin,
        now=DECIDED_AT,
    )
    if decision.outcome == "passed":
        do_publish_naming(unit.application.round, unit.kind, actor=admin, now=NAMED_AT)
