"""Self-assessment answers the structured data decides, offered as suggestions with the reason.

Some criteria of the indicator systems are facts the platform already knows: whether the plan
defines the zone's boundary, whether the inventory was computed by the accounting method,
whether a forecast, staged targets and task reductions exist, whether the task reductions add
up to the overall target, whether near-zero-carbon demonstration projects are listed. For those
the page shows "建议勾选：… 依据：…" (or advises against) beside the item. A suggestion is never
saved by itself: the applicant adopts it into the form and saves, because the expert scores
the plan as written and the applicant answers for the self-assessment.

The signals are computed once per page from ``application.sections`` and
``computing.accounting_result``; :data:`SIGNAL_MAP` ties each signal to rubric criteria for each
(kind, edition) in one table, which a test checks against the rubrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lowcarbon.core.accounting import AccountingResult
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.outline import is_missing
from lowcarbon.documents.formatting import factor_set_name
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application
from lowcarbon.web.language import local

__all__ = [
    "CONSTRAINT",
    "SIGNAL_MAP",
    "Signal",
    "Suggestion",
    "Target",
    "signals_for",
    "suggestions_for",
]

# The criterion id that stands for an item's constraint (约束项) in the table below.
CONSTRAINT = "constraint"


@dataclass(frozen=True)
class Target:
    """One place in a rubric a signal answers: ``criterion`` of ``item`` (or its constraint).

    ``against_only``: the signal can rule the criterion out but not in (the data is necessary
    for it, not sufficient)."""

    item: str
    criterion: str
    against_only: bool = False


# signal → where it answers, per (kind, edition). Each entry cites the rubric text it reads.
SIGNAL_MAP: Mapping[tuple[str, str], Mapping[str, tuple[Target, ...]]] = {
    ("zone", "2021"): {
        # 附件2 一、第1项: 提出合理且四至边界明确的创建区域
        "boundary": (Target("1.1", "boundary"),),
        # 附件2 一、第1项: 按照计算方法科学提出能耗和碳排放现状数据
        "inventory": (Target("1.1", "inventory"),),
        # 附件2 一、第1项: 对区域碳排放情况进行合理预测
        "forecast": (Target("1.1", "forecast"),),
        # 附件2 三、第1项: 提出…总体目标 (whether it is sound is the expert's call: against only)
        "overall_target": (Target("3.1", "overall_target", against_only=True),),
        # 附件2 三、第1项: 针对总体目标和分项指标，制定分阶段目标
        "staged_targets": (Target("3.1", "staged_targets"),),
        # 附件2 三、第1项: 对主要低碳发展任务提出碳排放减量
        "task_reductions": (Target("3.1", "task_reductions"),),
        # 附件2 三、第1项: 主要低碳发展任务碳减排量与低碳发展总体目标衔接
        "consistency": (Target("3.1", "consistency"),),
        # 附件2 四 约束项: 如未提出打造若干个近零碳排放示范项目，则该项不得分
        "near_zero_projects": (Target("4.1", CONSTRAINT),),
    },
    ("community", "2021"): {
        # 附件4 scores what a community has done, not its plan's figures; the one criterion the
        # data bears on is 加分项第2项 (水、电、气等能源分项计量统计…建立监控信息系统): without
        # metered energy data for an inventory there is no monitoring system to claim. Data
        # cannot show the system exists, so the signal only argues against.
        "inventory": (Target("B2", "system_built", against_only=True),),
    },
}


@dataclass(frozen=True)
class Signal:
    """One fact from the structured data: whether it holds and why, in the user's language."""

    id: str
    holds: bool
    reason: str


@dataclass(frozen=True)
class Suggestion:
    """Tick (``supports``) or leave unticked a criterion, or confirm or deny a constraint."""

    item: str
    criterion: str
    supports: bool
    reason: str
    signal: str

    @property
    def is_constraint(self) -> bool:
        return self.criterion == CONSTRAINT


def _names(values: list[str]) -> str:
    return "、".join(values)


def _accounting(application: Application) -> tuple[AccountingResult | None, str | None]:
    if not application.accounting:
        return None, _("no baseline data has been entered yet (tab “Baseline data”)")
    try:
        return computing.accounting_result(application), None
    except LowcarbonError as error:
        return None, _("the baseline data cannot be computed: {error}").format(
            error=error.message.render(_)
        )


def _near_zero_projects(application: Application, result: AccountingResult | None) -> list[str]:
    listed = application.sections.get("near_zero_carbon_projects")
    names: list[str] = []
    if isinstance(listed, list):
        names += [
            str(entry.get("name", entry)) if isinstance(entry, dict) else str(entry)
            for entry in listed
            if not is_missing(entry)
        ]
    elif not is_missing(listed):
        names.append(str(listed))
    if result is not None:
        names += [t.name for t in result.input.tasks if t.near_zero_demonstration]
    return list(dict.fromkeys(names))


def signals_for(application: Application) -> dict[str, Signal]:
    """Every signal the data gives for ``application``, by id."""
    result, problem = _accounting(application)
    signals: list[Signal] = []

    def add(signal_id: str, holds: bool, reason: str) -> None:
        signals.append(Signal(signal_id, holds, reason))

    boundary = application.sections.get("boundary")
    if is_missing(boundary):
        add("boundary", False, _("the plan does not define the four-sided boundary yet"))
    else:
        add("boundary", True, _("the plan defines the four-sided boundary (四至边界)"))

    if result is None:
        assert problem is not None
        for signal_id in (
            "inventory",
            "forecast",
            "overall_target",
            "staged_targets",
            "task_reductions",
            "consistency",
        ):
            add(signal_id, False, problem)
    else:
        years = "、".join(str(i.year) for i in result.inventories)
        gaps = [
            f"{inventory.year}: " + "；".join(g.render(_) for g in inventory.completeness.gaps())
            for inventory in result.inventories
            if not inventory.is_final
        ]
        if result.inventories and not gaps:
            add(
                "inventory",
                True,
                _(
                    "the inventories of {years} are complete and computed by the accounting "
                    "method with factor set {factors}"
                ).format(years=years, factors=factor_set_name(application.factor_set_id, local)),
            )
        else:
            add(
                "inventory",
                False,
                _("the inventory is not final: {gaps}").format(gaps="；".join(gaps) or "—"),
            )
        forecast = result.forecast
        if forecast is None:
            reason = _("there is no forecast: the baseline data has no targets or tasks")
            for signal_id in ("forecast", "staged_targets", "consistency"):
                add(signal_id, False, reason)
        else:
            final = max(p.year for p in forecast.bau)
            add(
                "forecast",
                True,
                _(
                    "business-as-usual and plan scenarios are forecast from {base} to {final}"
                ).format(base=forecast.baseline.year, final=final),
            )
            staged = [s for s in forecast.targets.staged if s.staged]
            if staged:
                add(
                    "staged_targets",
                    True,
                    _("staged targets: {targets}").format(
                        targets="；".join(s.message.render(_) for s in staged)
                    ),
                )
            else:
                add("staged_targets", False, _("no target is set for more than one year"))
            add(
                "consistency",
                forecast.targets.consistency,
                forecast.targets.consistency_explanation.render(_),
            )
        overall = [t for t in result.input.targets if t.overall]
        if overall:
            add(
                "overall_target",
                True,
                _("{count} overall targets are set").format(count=len(overall)),
            )
        else:
            add("overall_target", False, _("no overall target is set in the baseline data"))
        # Main tasks (主要低碳发展任务): those acting on emission sources and the key projects.
        # Reductions computed from the tasks' activities replace the typed figures.
        tasks = [r.counted_task for r in forecast.reductions] if forecast else result.input.tasks
        main = [t for t in tasks if t.acts_on or t.key_project]
        without = [t.name for t in main if t.annual_reduction_tco2 <= 0 and t.adds_sink_tco2 <= 0]
        if not main:
            add("task_reductions", False, _("no main task is entered yet"))
        elif without:
            add(
                "task_reductions",
                False,
                _("main tasks without an emission reduction: {tasks}").format(
                    tasks=_names(without)
                ),
            )
        else:
            add(
                "task_reductions",
                True,
                _("all {count} main tasks state their emission reduction").format(count=len(main)),
            )

    projects = _near_zero_projects(application, result)
    if projects:
        add(
            "near_zero_projects",
            True,
            _("near-zero-carbon demonstration projects: {projects}").format(
                projects=_names(projects)
            ),
        )
    else:
        add(
            "near_zero_projects",
            False,
            _("no near-zero-carbon demonstration project is listed in the plan or the tasks"),
        )
    return {signal.id: signal for signal in signals}


def suggestions_for(application: Application) -> dict[str, list[Suggestion]]:
    """Suggestions by item id, for the application's rubric edition (none if unmapped)."""
    table = SIGNAL_MAP.get((application.kind, application.rubric_edition), {})
    if not table:
        return {}
    signals = signals_for(application)
    suggestions: dict[str, list[Suggestion]] = {}
    for signal_id, targets in table.items():
        signal = signals[signal_id]
        for target in targets:
            if target.against_only and signal.holds:
                continue
            suggestions.setdefault(target.item, []).append(
                Suggestion(target.item, target.criterion, signal.holds, signal.reason, signal_id)
            )
    return suggestions


def adopted(values: Mapping[str, Any], suggestions: list[Suggestion]) -> dict[str, Any]:
    """The form values with the suggestions applied (the no-JS "采纳建议" button)."""
    result = dict(values)
    ticked = list(result.get("ticked") or [])
    for suggestion in suggestions:
        if suggestion.is_constraint:
            result["constraint_met"] = "yes" if suggestion.supports else "no"
        elif suggestion.supports and suggestion.criterion not in ticked:
            ticked.append(suggestion.criterion)
        elif not suggestion.supports and suggestion.criterion in ticked:
            ticked.remove(suggestion.criterion)
    result["ticked"] = ticked
    return result
