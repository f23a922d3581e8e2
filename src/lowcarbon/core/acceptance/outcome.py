"""The outcome of a mid-term evaluation or acceptance (通过 / 整改后复验 / 未通过) with every
check that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..messages import Message, gettext_noop
from ..rubric import ZERO
from .rule import HUNDRED, AcceptanceError, AcceptanceOutcome, AcceptanceRule
from .scores import PanelScores

__all__ = ["Check", "CheckKind", "OutcomeDecision", "decide_outcome"]

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
