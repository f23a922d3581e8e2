"""The acceptance rule (marks as shares of the main pool, pass conditions), the three outcomes
and the error of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..errors import LowcarbonError
from ..messages import Message, gettext_noop
from ..rubric import ZERO

__all__ = [
    "HUNDRED",
    "ONE",
    "STAGES",
    "AcceptanceError",
    "AcceptanceOutcome",
    "AcceptanceRule",
    "SectionMinimum",
]

ONE = Decimal(1)
HUNDRED = Decimal(100)

#: The stages a rule applies to: a zone's mid-term evaluation, a unit's final acceptance.
STAGES = ("midterm", "final")


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
