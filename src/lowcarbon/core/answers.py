"""What an assessor (applicant, expert) answered for each item of a rubric.

Answers are plain data resolved by the caller; the engine checks that they fit the rubric.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["AnswerSet", "Choice", "Evidence", "ItemAnswer"]


@dataclass(frozen=True)
class Choice:
    """The answer to one rule: which field applies depends on the rule's kind.

    ``level`` for levels; ``ticked`` (and an optional ``deduct``) for checklists; ``count`` for
    count tiers and per-unit rules; ``points`` for judgements.
    """

    level: str | None = None
    ticked: tuple[str, ...] = ()
    count: int | None = None
    points: Decimal | None = None
    deduct: Decimal | None = None


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence (证明材料) the answers refer to by id."""

    id: str
    title: str
    file: str = ""
    note: str = ""


@dataclass(frozen=True)
class ItemAnswer:
    """The answer to one item.

    ``choice`` for simple items, ``parts`` (part id → choice) for composite ones.
    ``reason`` explains a judgement, a deduction or "not applicable"; ``evidence`` lists evidence
    ids; ``constraint_met`` answers the item's or section's constraint where there is one.
    """

    item_id: str
    choice: Choice | None = None
    parts: Mapping[str, Choice] = field(default_factory=dict)
    constraint_met: bool | None = None
    not_applicable: bool = False
    reason: str = ""
    evidence: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class AnswerSet:
    """All answers for one application under one rubric edition."""

    rubric_ref: str
    unit: str
    answers: Mapping[str, ItemAnswer]
    evidence: Mapping[str, Evidence] = field(default_factory=dict)
