"""Mid-term evaluation (中期评估) and final acceptance (验收): the outcome and the comparisons.

**The outcome.** A panel scores a creation unit against the same indicator system that selected
it (附件2 for zones, 附件4 for communities); :func:`decide_outcome` turns the panel's aggregated
score into one of three outcomes, 通过 / 整改后复验 / 未通过, under an :class:`AcceptanceRule`, a
round setting read from ``data/evaluation/acceptance_rules.yaml``. The programme's documents
state no pass rule; the rule chosen (docs/rules.md, "Acceptance outcome") is:

* **passed** when the main total reaches the pass mark *and* every pass condition holds: each
  listed section reaches its minimum share and no listed key item scores 0;
* **reinspect** (rectify, then re-inspect) when the main total reaches the rectification mark
  but the unit has not passed: a low total, a weak section or a key item at 0 can be put right;
* **failed** below the rectification mark.

Marks are **shares of the maximum of the main pool** (0.80 means 80 % of it), never points:
附件4 has 100 main points and a separate bonus pool of 20, 附件2 has 100 points and no bonus,
and a later edition may have other maxima; a share keeps the rule's meaning across editions.
Every message shows the mark in points as well. The **bonus pool is not counted**: 加分项 reward
extras (funds, monitoring systems, innovation) and must not make up for the core work the main
indicator system asks of every unit. Marks are inclusive (a total exactly at the mark reaches
it) and compared in exact decimal arithmetic.

Raising any score never worsens the outcome: each condition only asks for more points.

**The comparisons.** :func:`compare_scores` sets the application's (selection) score beside the
acceptance score item by item and section by section, matched by id so that two rubric editions
can be compared (an item of only one edition is marked as such); :func:`compare_tasks` sets each
task's planned annual reduction beside the reduction achieved, with the shortfall, the share
done and a note where a row looks wrong; :func:`batch_row` puts one unit's figures on one line of
the bureau's batch view.

::

    LowcarbonError (core)
    └── AcceptanceError            a rule, scores or tasks that cannot be compared
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .aggregation import Aggregate
from .errors import LowcarbonError
from .messages import Message, gettext_noop
from .rubric import ZERO, Pool
from .scoring import ScoreResult
from .text import LocalText

__all__ = [
    "FAR_ABOVE_PLAN_FACTOR",
    "STAGES",
    "TASK_STATUSES",
    "AcceptanceError",
    "AcceptanceOutcome",
    "AcceptanceRule",
    "BatchRow",
    "Check",
    "CheckKind",
    "ItemComparison",
    "ItemScore",
    "OutcomeDecision",
    "PanelScores",
    "PlanComparison",
    "Presence",
    "ScoreComparison",
    "SectionComparison",
    "SectionMinimum",
    "SectionScore",
    "TaskFlag",
    "TaskProgress",
    "TaskRow",
    "TaskTotals",
    "batch_row",
    "compare_scores",
    "compare_tasks",
    "decide_outcome",
    "panel_scores",
]

ONE = Decimal(1)
HUNDRED = Decimal(100)

#: The stages a rule applies to: a zone's mid-term evaluation, a unit's final acceptance.
STAGES = ("midterm", "final")

#: A task's status as the creation stage records it (``ApplicationTask.status``).
TASK_STATUSES = ("not_started", "in_progress", "done", "lagging", "cancelled")

#: An achieved reduction more than this many times the planned one is flagged: three times the
#: plan is beyond what a better-than-expected project delivers and is the mark of a unit slip
#: (kg for t, a total over years for a yearly figure) or of a reduction counted twice.
FAR_ABOVE_PLAN_FACTOR = Decimal(3)


class AcceptanceError(LowcarbonError):
    """A rule, scores or tasks that cannot be decided on or compared as given."""

    code = "acceptance"


class AcceptanceOutcome(StrEnum):
    """The outcome of a mid-term evaluation or an acceptance, worst first by :attr:`rank`."""

    PASSED = "passed"  # 通过
    REINSPECT = "reinspect"  # 整改后复验
    FAILED = "failed"  # 未通过

    @property
    def rank(self) -> int:
        """0 for failed, 1 for reinspect, 2 for passed: a higher rank is a better outcome."""
        return _RANKS[self]


_RANKS = {AcceptanceOutcome.FAILED: 0, AcceptanceOutcome.REINSPECT: 1, AcceptanceOutcome.PASSED: 2}


# -- the rule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionMinimum:
    """A section of the main pool must reach ``share`` (0 to 1) of its maximum to pass."""

    section: str
    share: Decimal


@dataclass(frozen=True)
class AcceptanceRule:
    """The pass rule of one edition for one kind of unit and one stage (a round setting).

    ``pass_share`` and ``rectification_share`` are shares (0 to 1) of the main pool's maximum:
    at or above ``pass_share`` a unit passes if the pass conditions hold; at or above
    ``rectification_share`` it is re-inspected after rectification; below, it fails.
    ``section_minimums`` and ``veto_items`` are the pass conditions: a listed section below its
    share of the section's maximum, or a listed item scoring 0, keeps the unit from passing
    (it is re-inspected if the total reaches the rectification mark). ``rubric_ref`` is the
    rubric edition whose section and item ids the rule names; ``sources`` says where each value
    comes from, by field name.
    """

    kind: str
    stage: str
    edition: str
    rubric_ref: str
    pass_share: Decimal
    rectification_share: Decimal
    section_minimums: tuple[SectionMinimum, ...] = ()
    veto_items: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not ZERO < self.rectification_share <= self.pass_share <= ONE:
            raise AcceptanceError(
                Message(
                    gettext_noop(
                        "the rectification mark {rectification} and the pass mark {passing} "
                        "must satisfy 0 < rectification mark ≤ pass mark ≤ 1"
                    ),
                    {"rectification": self.rectification_share, "passing": self.pass_share},
                ),
                code="acceptance_marks",
            )
        for minimum in self.section_minimums:
            if not ZERO <= minimum.share <= ONE:
                raise AcceptanceError(
                    Message(
                        gettext_noop("section {section}: a minimum share of {share} is not 0 to 1"),
                        {"section": minimum.section, "share": minimum.share},
                    ),
                    code="acceptance_section_share",
                )

    @property
    def ref(self) -> str:
        """``kind/stage/edition``, the key a round stores."""
        return f"{self.kind}/{self.stage}/{self.edition}"

    def source(self, name: str) -> str:
        """Where the value of field ``name`` comes from ("" when the rule does not say)."""
        return next((text for key, text in self.sources if key == name), "")


# -- the scores the rule reads ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    """One item's points (one expert's, or the panel's aggregate) and its maximum."""

    id: str
    section: str
    title: LocalText
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class SectionScore:
    id: str
    label: str  # 一, 二 … as the rubric prints it
    title: LocalText
    pool: Pool
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class PanelScores:
    """A score as the outcome and the comparisons read it, from one expert's
    :class:`ScoreResult` or the panel's :class:`Aggregate` (see :func:`panel_scores`)."""

    rubric_ref: str
    main: Decimal
    main_maximum: Decimal
    bonus: Decimal
    bonus_maximum: Decimal
    sections: tuple[SectionScore, ...]
    items: tuple[ItemScore, ...]

    def section(self, section_id: str) -> SectionScore | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def item(self, item_id: str) -> ItemScore | None:
        return next((i for i in self.items if i.id == item_id), None)


def panel_scores(score: ScoreResult | Aggregate) -> PanelScores:
    """The figures of one expert's score or of the panel's aggregate, in rubric order."""
    sections: list[SectionScore] = []
    items: list[ItemScore] = []
    if isinstance(score, Aggregate):
        for section in score.sections:
            sections.append(
                SectionScore(
                    section.section.id,
                    section.section.label,
                    section.section.title,
                    section.section.pool,
                    section.scores.points,
                    section.maximum,
                )
            )
            items.extend(
                ItemScore(i.item.id, section.section.id, i.item.title, i.scores.points, i.maximum)
                for i in section.items
            )
        pools = {p.pool: p.maximum for p in score.pools}
    else:
        for result in score.sections:
            sections.append(
                SectionScore(
                    result.section.id,
                    result.section.label,
                    result.section.title,
                    result.section.pool,
                    result.points,
                    result.maximum,
                )
            )
            items.extend(
                ItemScore(i.item.id, result.section.id, i.item.title, i.points, i.maximum)
                for i in result.items
            )
        pools = {p.pool: p.maximum for p in score.pools}
    return PanelScores(
        score.rubric_ref,
        score.main,
        pools.get(Pool.MAIN, ZERO),
        score.bonus,
        pools.get(Pool.BONUS, ZERO),
        tuple(sections),
        tuple(items),
    )


# -- the outcome ------------------------------------------------------------------------------


class CheckKind(StrEnum):
    PASS_MARK = "pass_mark"
    RECTIFICATION_MARK = "rectification_mark"
    SECTION_MINIMUM = "section_minimum"
    VETO_ITEM = "veto_item"


@dataclass(frozen=True)
class Check:
    """One threshold compared: what was found against the mark (both in points), and why.

    ``target`` is ``main`` for the marks, the section id or the item id for the conditions;
    ``share`` is the mark as a share of the maximum (None for a key item: it must exceed 0)."""

    kind: CheckKind
    target: str
    found: Decimal
    mark: Decimal
    maximum: Decimal
    share: Decimal | None
    met: bool
    message: Message


@dataclass(frozen=True)
class OutcomeDecision:
    """The outcome with every threshold compared and the reasons, verdict last."""

    rule: AcceptanceRule
    outcome: AcceptanceOutcome
    main: Decimal
    main_maximum: Decimal
    bonus: Decimal
    checks: tuple[Check, ...]
    reasons: tuple[Message, ...]

    def check(self, kind: CheckKind, target: str = "main") -> Check | None:
        return next((c for c in self.checks if c.kind is kind and c.target == target), None)

    @property
    def unmet(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)


def _percent(share: Decimal) -> Decimal:
    return share * HUNDRED


def _mark_check(
    kind: CheckKind, template: str, share: Decimal, main: Decimal, maximum: Decimal
) -> Check:
    mark = share * maximum
    met = main >= mark
    return Check(
        kind,
        "main",
        main,
        mark,
        maximum,
        share,
        met,
        Message(
            template,
            {
                "found": main,
                "maximum": maximum,
                "mark": mark,
                "percent": _percent(share),
                "verdict": Message(_REACHED if met else _NOT_REACHED),
            },
        ),
    )


_REACHED = gettext_noop("reached")
_NOT_REACHED = gettext_noop("not reached")
_PASS_TEMPLATE = gettext_noop(
    "main total {found} of {maximum} points; pass mark {mark} points ({percent} % of the "
    "maximum): {verdict}"
)
_RECTIFICATION_TEMPLATE = gettext_noop(
    "main total {found} of {maximum} points; rectification mark {mark} points ({percent} % of "
    "the maximum): {verdict}"
)


def _section_checks(rule: AcceptanceRule, scores: PanelScores) -> list[Check]:
    checks = []
    for minimum in rule.section_minimums:
        section = scores.section(minimum.section)
        if section is None:
            raise AcceptanceError(
                Message(
                    gettext_noop("the rule {rule} names section {section}, absent from {rubric}"),
                    {"rule": rule.ref, "section": minimum.section, "rubric": scores.rubric_ref},
                ),
                code="acceptance_unknown_section",
            )
        mark = minimum.share * section.maximum
        met = section.points >= mark
        checks.append(
            Check(
                CheckKind.SECTION_MINIMUM,
                section.id,
                section.points,
                mark,
                section.maximum,
                minimum.share,
                met,
                Message(
                    gettext_noop(
                        "section {label} {title}: {found} of {maximum} points; minimum {mark} "
                        "points ({percent} % of the section): {verdict}"
                    ),
                    {
                        "label": section.label,
                        "title": section.title.zh,
                        "found": section.points,
                        "maximum": section.maximum,
                        "mark": mark,
                        "percent": _percent(minimum.share),
                        "verdict": Message(_REACHED if met else _NOT_REACHED),
                    },
                ),
            )
        )
    return checks


def _veto_checks(rule: AcceptanceRule, scores: PanelScores) -> list[Check]:
    checks = []
    for item_id in rule.veto_items:
        item = scores.item(item_id)
        if item is None:
            raise AcceptanceError(
                Message(
                    gettext_noop("the rule {rule} names item {item}, absent from {rubric}"),
                    {"rule": rule.ref, "item": item_id, "rubric": scores.rubric_ref},
                ),
                code="acceptance_unknown_item",
            )
        met = item.points > ZERO
        checks.append(
            Check(
                CheckKind.VETO_ITEM,
                item.id,
                item.points,
                ZERO,
                item.maximum,
                None,
                met,
                Message(
                    gettext_noop(
                        "key item {item} {title}: {found} of {maximum} points; a key item must "
                        "score more than 0: {verdict}"
                    ),
                    {
                        "item": item.id,
                        "title": item.title.zh,
                        "found": item.points,
                        "maximum": item.maximum,
                        "verdict": Message(gettext_noop("met") if met else gettext_noop("not met")),
                    },
                ),
            )
        )
    return checks


def decide_outcome(rule: AcceptanceRule, scores: PanelScores) -> OutcomeDecision:
    """The outcome of ``scores`` (the panel's aggregate) under ``rule``, with its reasons.

    Raises :class:`AcceptanceError` when the scores are for another rubric edition than the
    rule's, or the rule names a section or an item the scores lack."""
    if scores.rubric_ref != rule.rubric_ref:
        raise AcceptanceError(
            Message(
                gettext_noop(
                    "the rule {rule} is for the rubric {expected}, the scores for {found}"
                ),
                {"rule": rule.ref, "expected": rule.rubric_ref, "found": scores.rubric_ref},
            ),
            code="acceptance_rubric",
        )
    passing = _mark_check(
        CheckKind.PASS_MARK, _PASS_TEMPLATE, rule.pass_share, scores.main, scores.main_maximum
    )
    rectification = _mark_check(
        CheckKind.RECTIFICATION_MARK,
        _RECTIFICATION_TEMPLATE,
        rule.rectification_share,
        scores.main,
        scores.main_maximum,
    )
    conditions = _section_checks(rule, scores) + _veto_checks(rule, scores)
    conditions_met = all(c.met for c in conditions)
    if passing.met and conditions_met:
        outcome = AcceptanceOutcome.PASSED
        verdict = Message(
            gettext_noop("passed: the main total reaches the pass mark and every condition holds")
        )
    elif rectification.met:
        outcome = AcceptanceOutcome.REINSPECT
        verdict = Message(
            gettext_noop(
                "re-inspection after rectification: the main total reaches the rectification "
                "mark; {unmet} of the pass requirements not met"
            ),
            {"unmet": sum(1 for c in (passing, *conditions) if not c.met)},
        )
    else:
        outcome = AcceptanceOutcome.FAILED
        verdict = Message(
            gettext_noop("not passed: the main total is below the rectification mark")
        )
    checks = (passing, rectification, *conditions)
    reasons = [c.message for c in checks]
    if scores.bonus_maximum > 0:
        reasons.append(
            Message(
                gettext_noop("bonus {bonus} of {maximum} points, shown apart and not counted"),
                {"bonus": scores.bonus, "maximum": scores.bonus_maximum},
            )
        )
    reasons.append(verdict)
    return OutcomeDecision(
        rule,
        outcome,
        scores.main,
        scores.main_maximum,
        scores.bonus,
        checks,
        tuple(reasons),
    )


# -- application score against acceptance score -----------------------------------------------


class Presence(StrEnum):
    """Where an item or a section is found when two rubric editions are compared."""

    BOTH = "both"
    APPLICATION_ONLY = "application_only"
    ACCEPTANCE_ONLY = "acceptance_only"


def _change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    return None if before is None or after is None else after - before


@dataclass(frozen=True)
class ItemComparison:
    """One item: the application's points and the acceptance's, each None where the item is not
    in that score's edition; ``change`` is acceptance minus application (None unless both)."""

    id: str
    section: str
    title: LocalText
    application: Decimal | None
    application_maximum: Decimal | None
    acceptance: Decimal | None
    acceptance_maximum: Decimal | None
    presence: Presence

    @property
    def change(self) -> Decimal | None:
        return _change(self.application, self.acceptance)


@dataclass(frozen=True)
class SectionComparison:
    id: str
    label: str
    title: LocalText
    pool: Pool
    application: Decimal | None
    application_maximum: Decimal | None
    acceptance: Decimal | None
    acceptance_maximum: Decimal | None
    presence: Presence
    items: tuple[ItemComparison, ...]

    @property
    def change(self) -> Decimal | None:
        return _change(self.application, self.acceptance)


@dataclass(frozen=True)
class ScoreComparison:
    """The application's score beside the acceptance score, in the acceptance edition's order
    (sections and items only in the application's edition follow, in its order)."""

    application_ref: str
    acceptance_ref: str
    sections: tuple[SectionComparison, ...]
    application_main: Decimal
    acceptance_main: Decimal
    application_bonus: Decimal
    acceptance_bonus: Decimal
    notes: tuple[Message, ...]

    @property
    def same_edition(self) -> bool:
        return self.application_ref == self.acceptance_ref

    @property
    def items(self) -> tuple[ItemComparison, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def main_change(self) -> Decimal:
        return self.acceptance_main - self.application_main

    @property
    def bonus_change(self) -> Decimal:
        return self.acceptance_bonus - self.application_bonus


def _presence(before: object, after: object) -> Presence:
    if before is None:
        return Presence.ACCEPTANCE_ONLY
    return Presence.APPLICATION_ONLY if after is None else Presence.BOTH


def compare_scores(application: PanelScores, acceptance: PanelScores) -> ScoreComparison:
    """Item by item and section by section, matched by id across the two editions."""
    section_ids = [s.id for s in acceptance.sections]
    section_ids += [s.id for s in application.sections if s.id not in section_ids]
    item_ids = [i.id for i in acceptance.items]
    item_ids += [i.id for i in application.items if i.id not in item_ids]
    items: list[ItemComparison] = []
    for item_id in item_ids:
        before, after = application.item(item_id), acceptance.item(item_id)
        shown = after or before
        assert shown is not None  # the id comes from one of the two
        items.append(
            ItemComparison(
                item_id,
                shown.section,
                shown.title,
                before.points if before else None,
                before.maximum if before else None,
                after.points if after else None,
                after.maximum if after else None,
                _presence(before, after),
            )
        )
    sections = []
    for section_id in section_ids:
        old, new = application.section(section_id), acceptance.section(section_id)
        section = new or old
        assert section is not None  # the id comes from one of the two
        sections.append(
            SectionComparison(
                section_id,
                section.label,
                section.title,
                section.pool,
                old.points if old else None,
                old.maximum if old else None,
                new.points if new else None,
                new.maximum if new else None,
                _presence(old, new),
                tuple(i for i in items if i.section == section_id),
            )
        )
    notes = []
    if application.rubric_ref != acceptance.rubric_ref:
        notes.append(
            Message(
                gettext_noop(
                    "the application was scored under {application} and the acceptance under "
                    "{acceptance}: items are matched by id; an item of one edition only has no "
                    "change"
                ),
                {"application": application.rubric_ref, "acceptance": acceptance.rubric_ref},
            )
        )
    only_before = [i.id for i in items if i.presence is Presence.APPLICATION_ONLY]
    only_after = [i.id for i in items if i.presence is Presence.ACCEPTANCE_ONLY]
    if only_before:
        notes.append(
            Message(
                gettext_noop("items only in the application's edition: {items}"),
                {"items": only_before},
            )
        )
    if only_after:
        notes.append(
            Message(
                gettext_noop("items only in the acceptance's edition: {items}"),
                {"items": only_after},
            )
        )
    return ScoreComparison(
        application.rubric_ref,
        acceptance.rubric_ref,
        tuple(sections),
        application.main,
        acceptance.main,
        application.bonus,
        acceptance.bonus,
        tuple(notes),
    )


# -- planned against achieved reductions ------------------------------------------------------


@dataclass(frozen=True)
class TaskProgress:
    """One task as tracked: planned and achieved reductions in tCO2e a year (None: not stated),
    its status (one of :data:`TASK_STATUSES`) and its percent complete (0 to 100, None: not
    stated)."""

    code: str
    name: str
    planned_tco2: Decimal | None
    achieved_tco2: Decimal | None
    status: str
    percent: int | None


class TaskFlag(StrEnum):
    """Something off in one row, for the panel to ask about."""

    DONE_WITHOUT_REDUCTION = "done_without_reduction"
    FAR_ABOVE_PLAN = "far_above_plan"
    NEGATIVE_REDUCTION = "negative_reduction"
    NO_PLANNED_REDUCTION = "no_planned_reduction"
    DONE_BUT_INCOMPLETE = "done_but_incomplete"
    COMPLETE_BUT_NOT_DONE = "complete_but_not_done"
    LAGGING = "lagging"
    CANCELLED_WITH_REDUCTION = "cancelled_with_reduction"


@dataclass(frozen=True)
class TaskRow:
    """One task's comparison. ``shortfall_tco2`` is planned minus achieved, at least 0 (an
    achieved reduction not stated counts 0); ``achieved_percent`` is achieved as a percent of
    planned. Both are None for a cancelled task or one without a planned reduction."""

    task: TaskProgress
    shortfall_tco2: Decimal | None
    achieved_percent: Decimal | None
    flags: tuple[TaskFlag, ...]
    notes: tuple[Message, ...]

    @property
    def cancelled(self) -> bool:
        return self.task.status == "cancelled"


@dataclass(frozen=True)
class TaskTotals:
    """Sums over rows: reductions not stated count 0; ``achieved_percent`` is None without a
    planned reduction."""

    tasks: int
    planned_tco2: Decimal
    achieved_tco2: Decimal
    shortfall_tco2: Decimal

    @property
    def achieved_percent(self) -> Decimal | None:
        if self.planned_tco2 <= 0:
            return None
        return self.achieved_tco2 / self.planned_tco2 * HUNDRED


@dataclass(frozen=True)
class PlanComparison:
    """Every task's row in the order given; totals of the tasks kept and, apart, of those
    cancelled."""

    rows: tuple[TaskRow, ...]
    totals: TaskTotals
    cancelled: TaskTotals

    @property
    def flagged(self) -> tuple[TaskRow, ...]:
        return tuple(row for row in self.rows if row.flags)


def _check_task(task: TaskProgress, seen: set[str]) -> None:
    if task.code in seen:
        raise AcceptanceError(
            Message(gettext_noop("task {code} is listed twice"), {"code": task.code}),
            code="acceptance_task_duplicate",
        )
    if task.status not in TASK_STATUSES:
        raise AcceptanceError(
            Message(
                gettext_noop("task {code}: status {found} is not one of {allowed}"),
                {"code": task.code, "found": task.status, "allowed": list(TASK_STATUSES)},
            ),
            code="acceptance_task_status",
        )
    if task.percent is not None and not 0 <= task.percent <= 100:
        raise AcceptanceError(
            Message(
                gettext_noop("task {code}: {found} percent complete is not 0 to 100"),
                {"code": task.code, "found": task.percent},
            ),
            code="acceptance_task_percent",
        )


def _flags(task: TaskProgress, factor: Decimal) -> list[tuple[TaskFlag, Message]]:
    planned, achieved, status = task.planned_tco2, task.achieved_tco2, task.status
    found: list[tuple[TaskFlag, Message]] = []

    def flag(kind: TaskFlag, template: str, **params: object) -> None:
        found.append((kind, Message(template, {"code": task.code, **params})))

    if status == "cancelled":
        if achieved:
            flag(
                TaskFlag.CANCELLED_WITH_REDUCTION,
                gettext_noop("task {code} is cancelled but reports {achieved} tCO2e achieved"),
                achieved=achieved,
            )
        return found
    if (planned is not None and planned < 0) or (achieved is not None and achieved < 0):
        flag(
            TaskFlag.NEGATIVE_REDUCTION,
            gettext_noop(
                "task {code}: a negative reduction (planned {planned}, achieved {achieved})"
            ),
            planned="—" if planned is None else planned,
            achieved="—" if achieved is None else achieved,
        )
    if not planned and achieved:
        flag(
            TaskFlag.NO_PLANNED_REDUCTION,
            gettext_noop(
                "task {code}: {achieved} tCO2e achieved without a planned reduction to compare with"
            ),
            achieved=achieved,
        )
    if status == "done" and planned and planned > 0 and not achieved:
        flag(
            TaskFlag.DONE_WITHOUT_REDUCTION,
            gettext_noop(
                "task {code} is completed with no achieved reduction against {planned} tCO2e "
                "planned"
            ),
            planned=planned,
        )
    if planned and planned > 0 and achieved and achieved > planned * factor:
        flag(
            TaskFlag.FAR_ABOVE_PLAN,
            gettext_noop(
                "task {code}: {achieved} tCO2e achieved is more than {factor} times the "
                "{planned} tCO2e planned; check the unit and double counting"
            ),
            achieved=achieved,
            planned=planned,
            factor=factor,
        )
    if status == "done" and task.percent is not None and task.percent < 100:
        flag(
            TaskFlag.DONE_BUT_INCOMPLETE,
            gettext_noop("task {code} is completed at {percent} %"),
            percent=task.percent,
        )
    if status != "done" and task.percent == 100:
        flag(
            TaskFlag.COMPLETE_BUT_NOT_DONE,
            gettext_noop("task {code} is at 100 % but not marked completed"),
        )
    if status == "lagging":
        flag(TaskFlag.LAGGING, gettext_noop("task {code} is lagging behind"))
    return found


def _row(task: TaskProgress, factor: Decimal) -> TaskRow:
    flags = _flags(task, factor)
    planned = task.planned_tco2
    achieved = task.achieved_tco2 or ZERO
    shortfall: Decimal | None = None
    percent: Decimal | None = None
    if task.status != "cancelled" and planned is not None and planned > 0:
        shortfall = max(ZERO, planned - achieved)
        percent = achieved / planned * HUNDRED
    return TaskRow(
        task, shortfall, percent, tuple(kind for kind, _ in flags), tuple(m for _, m in flags)
    )


def _totals(rows: Sequence[TaskRow]) -> TaskTotals:
    return TaskTotals(
        len(rows),
        sum((r.task.planned_tco2 or ZERO for r in rows), ZERO),
        sum((r.task.achieved_tco2 or ZERO for r in rows), ZERO),
        sum((r.shortfall_tco2 or ZERO for r in rows), ZERO),
    )


def compare_tasks(
    tasks: Sequence[TaskProgress], *, far_above_factor: Decimal = FAR_ABOVE_PLAN_FACTOR
) -> PlanComparison:
    """Each task's planned reduction beside the achieved one; totals of the tasks kept and of
    the cancelled ones apart. Raises :class:`AcceptanceError` for a code listed twice, an
    unknown status or a percent outside 0 to 100."""
    seen: set[str] = set()
    for task in tasks:
        _check_task(task, seen)
        seen.add(task.code)
    rows = tuple(_row(task, far_above_factor) for task in tasks)
    return PlanComparison(
        rows,
        _totals([r for r in rows if not r.cancelled]),
        _totals([r for r in rows if r.cancelled]),
    )


# -- the batch, side by side ------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """One unit on the bureau's batch view; None where a figure is not there yet."""

    unit: str
    application_main: Decimal | None
    acceptance_main: Decimal | None
    outcome: AcceptanceOutcome | None
    planned_tco2: Decimal | None
    achieved_tco2: Decimal | None
    shortfall_tco2: Decimal | None
    flagged_tasks: int

    @property
    def change(self) -> Decimal | None:
        return _change(self.application_main, self.acceptance_main)


def batch_row(
    unit: str,
    *,
    application: PanelScores | None = None,
    decision: OutcomeDecision | None = None,
    plan: PlanComparison | None = None,
) -> BatchRow:
    """One unit's line: its application and acceptance main totals, outcome and task totals."""
    return BatchRow(
        unit,
        application.main if application else None,
        decision.main if decision else None,
        decision.outcome if decision else None,
        plan.totals.planned_tco2 if plan else None,
        plan.totals.achieved_tco2 if plan else None,
        plan.totals.shortfall_tco2 if plan else None,
        len(plan.flagged) if plan else 0,
    )
