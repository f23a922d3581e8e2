"""The indicator system (指标体系) as the engine sees it: sections, items, rules, criteria.

The seed uses a handful of award kinds; each is one rule class here so an item's data says
which kind it is and the engine never special-cases an item id:

* :class:`LevelsRule` — exactly one level applies (附件4 第1项: 5 / 2.5 / 0);
* :class:`ChecklistRule` — each ticked criterion adds its points, optionally capped, optionally
  followed by a reasoned deduction ("根据践行程度依次扣减", 附件4 第13、14项);
* :class:`CountTiersRule` — "一种得3分；两种以上得5分" (附件4 第16项);
* :class:`PerUnitRule` — "每增加一项得1.0分，累计不超过3.0分" (附件4 第18项);
* :class:`JudgementRule` — a score within a range that needs a written reason (附件4 第10项);
* :class:`CompositeRule` — parts scored separately and added (附件4 第9项: levels plus one
  extra point).

A :class:`Constraint` zeroes its item or section when unmet (附件2 四, 约束项).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from .records import cached
from .text import LocalText

if TYPE_CHECKING:
    from .validation import Caps

__all__ = [
    "ChecklistRule",
    "CompositeRule",
    "Constraint",
    "ConstraintScope",
    "CountTier",
    "CountTiersRule",
    "Criterion",
    "Deduction",
    "Item",
    "JudgementRule",
    "LevelsRule",
    "Method",
    "Part",
    "PerUnitRule",
    "Pool",
    "Resolution",
    "Rubric",
    "Rule",
    "Section",
]

ZERO = Decimal(0)


class Method(StrEnum):
    """Evaluation methods named in 附件4's 评价方法 column."""

    DOCUMENT_REVIEW = "document_review"  # 查阅文件材料
    SITE_INSPECTION = "site_inspection"  # 现场检查
    INTERVIEW = "interview"  # 交流访谈


class Pool(StrEnum):
    """Main points (100) and the separate bonus pool (附件4 加分项, 20)."""

    MAIN = "main"
    BONUS = "bonus"


class ConstraintScope(StrEnum):
    ITEM = "item"
    SECTION = "section"


@dataclass(frozen=True)
class Criterion:
    """One level or checklist criterion with its official text."""

    id: str
    points: Decimal
    text: LocalText


@dataclass(frozen=True)
class Deduction:
    """A reasoned deduction after the checklist sum ("根据…程度依次扣减直至0分")."""

    text: LocalText
    step: Decimal


@dataclass(frozen=True)
class LevelsRule:
    options: tuple[Criterion, ...]

    @cached
    def ids(self) -> tuple[str, ...]:
        """The options' ids, in order (worked out once: every answer is checked against them)."""
        return tuple(option.id for option in self.options)

    @property
    def maximum(self) -> Decimal:
        return max(option.points for option in self.options)

    @property
    def minimum(self) -> Decimal:
        return min(option.points for option in self.options)


@dataclass(frozen=True)
class ChecklistRule:
    criteria: tuple[Criterion, ...]
    cap: Decimal | None = None
    deduction: Deduction | None = None

    @cached
    def ids(self) -> tuple[str, ...]:
        """The criteria's ids, in order (worked out once: every answer is checked against them)."""
        return tuple(criterion.id for criterion in self.criteria)

    @property
    def maximum(self) -> Decimal:
        total = sum((criterion.points for criterion in self.criteria), ZERO)
        return total if self.cap is None else min(total, self.cap)

    @property
    def minimum(self) -> Decimal:
        return ZERO


@dataclass(frozen=True)
class CountTier:
    """Awarded when at least ``min_count`` qualifying things exist."""

    min_count: int
    points: Decimal
    text: LocalText


@dataclass(frozen=True)
class CountTiersRule:
    tiers: tuple[CountTier, ...]
    counted: LocalText

    @property
    def maximum(self) -> Decimal:
        return max(tier.points for tier in self.tiers)

    @property
    def minimum(self) -> Decimal:
        zero_tiers = [tier.points for tier in self.tiers if tier.min_count == 0]
        return zero_tiers[0] if zero_tiers else ZERO


@dataclass(frozen=True)
class PerUnitRule:
    per_unit: Decimal
    cap: Decimal
    counted: LocalText
    text: LocalText

    @property
    def maximum(self) -> Decimal:
        return self.cap

    @property
    def minimum(self) -> Decimal:
        return ZERO


@dataclass(frozen=True)
class JudgementRule:
    minimum: Decimal
    maximum: Decimal
    step: Decimal
    text: LocalText


@dataclass(frozen=True)
class Part:
    """One separately scored part of a composite item."""

    id: str
    title: LocalText
    rule: SimpleRule


@dataclass(frozen=True)
class CompositeRule:
    parts: tuple[Part, ...]

    @property
    def maximum(self) -> Decimal:
        return sum((part.rule.maximum for part in self.parts), ZERO)

    @property
    def minimum(self) -> Decimal:
        return sum((part.rule.minimum for part in self.parts), ZERO)


SimpleRule = LevelsRule | ChecklistRule | CountTiersRule | PerUnitRule | JudgementRule
Rule = SimpleRule | CompositeRule


@dataclass(frozen=True)
class Constraint:
    """A condition that zeroes its item or section when unmet (附件2 四 约束项)."""

    id: str
    text: LocalText
    scope: ConstraintScope
    citation: str


@dataclass(frozen=True)
class Item:
    id: str
    title: LocalText
    declared_points: Decimal | None
    rule: Rule
    citation: str
    methods: tuple[Method, ...] = ()
    method_text: str = ""
    constraint: Constraint | None = None

    @cached_property
    def reachable_maximum(self) -> Decimal:
        # Worked out once: scoring asks for it for every item of every answer set.
        return self.rule.maximum

    @property
    def reachable_minimum(self) -> Decimal:
        return self.rule.minimum


@dataclass(frozen=True)
class Section:
    id: str
    label: str
    title: LocalText
    pool: Pool
    declared_points: Decimal | None
    citation: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Resolution:
    """How an edition resolves one validator finding on one target (item, section or total)."""

    finding: str
    target: str
    decision: str
    note: LocalText


@dataclass(frozen=True)
class Rubric:
    scheme: str
    edition: str
    title: LocalText
    source: str
    declared_total: Decimal
    declared_bonus: Decimal | None
    sections: tuple[Section, ...]
    evidence_required: bool = False
    evidence_citation: str = ""
    resolutions: tuple[Resolution, ...] = ()
    content_hash: str = ""

    @property
    def ref(self) -> str:
        """``scheme/edition``, the id answers files and rounds use."""
        return f"{self.scheme}/{self.edition}"

    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items() if item.id == item_id), None)

    @cached_property
    def caps(self) -> Caps:
        """The caps scoring applies, worked out once per loaded edition (it never changes)."""
        from .validation import caps_for  # validation builds on this module

        return caps_for(self)

    @cached_property
    def effective_maxima(self) -> Mapping[str, Decimal]:
        """Item id → the most the item can score once the caps apply, worked out once."""
        from .validation import item_effective_max  # validation builds on this module

        caps = self.caps
        return MappingProxyType({item.id: item_effective_max(item, caps) for item in self.items()})

    def resolution(self, finding: str, target: str) -> Resolution | None:
        return next(
            (r for r in self.resolutions if r.finding == finding and r.target == target), None
        )
