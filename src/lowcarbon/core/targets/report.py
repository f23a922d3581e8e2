"""What the check returns: each target's :class:`TargetCheck` with its :class:`Requirement`,
the staged targets, the decomposition to domains and tasks, and the whole
:class:`TargetReport`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..activity import Target, TargetKind
from ..messages import Message, gettext_noop
from ..shares import HUNDRED, ShareTable, apportion
from .kinds import _t

__all__ = [
    "Decomposition",
    "Requirement",
    "Share",
    "StagedTargets",
    "TargetCheck",
    "TargetReport",
]


@dataclass(frozen=True)
class Requirement:
    """What an emission target asks of the tasks in its year (附件2 三: 任务碳减排量与总体目标衔接).

    ``required_tco2 = max(0, bau_tco2 − allowed_tco2)``, where ``allowed_tco2`` is the largest
    emission that meets the target; ``gap_tco2 = max(0, required_tco2 − tasks_tco2)`` with the
    tasks' reductions counted after removing double counting.
    """

    year: int
    bau_tco2: Decimal
    allowed_tco2: Decimal
    allowed: Message  # how the allowed emission follows from the target and its inputs
    required_tco2: Decimal
    tasks_tco2: Decimal
    gap_tco2: Decimal
    surplus_tco2: Decimal

    @property
    def covered(self) -> bool:
        return self.gap_tco2 == 0

    @property
    def explanation(self) -> Message:
        return Message(
            gettext_noop(
                "{year}: business as usual {bau}; the largest emission that meets the target is "
                "{allowed} ({how}); required reduction {required}; task reductions {tasks} after "
                "removing double counting; gap {gap}"
            ),
            {
                "year": self.year,
                "bau": _t(self.bau_tco2),
                "allowed": _t(self.allowed_tco2),
                "how": self.allowed,
                "required": _t(self.required_tco2),
                "tasks": _t(self.tasks_tco2),
                "gap": _t(self.gap_tco2),
            },
        )


@dataclass(frozen=True)
class TargetCheck:
    """One target against the plan: the value reached, pass or fail, margin, requirement.

    ``margin`` is positive when the target is beaten and zero when it is met exactly. It is None
    (with ``reached``) only for a source-to-sink ratio when the plan has no sinks. ``inputs``
    holds the figures ``reached`` is computed from, by name.
    """

    target: Target
    reached: Decimal | None
    met: bool
    margin: Decimal | None
    inputs: Mapping[str, Decimal]
    requirement: Requirement | None
    explanation: Message


@dataclass(frozen=True)
class StagedTargets:
    """The targets of one kind by year (分阶段目标) and whether each stage is at least as strict
    as the one before, up to the final target."""

    kind: TargetKind
    targets: tuple[Target, ...]
    monotone: bool
    message: Message

    @property
    def staged(self) -> bool:
        return len(self.targets) > 1


@dataclass(frozen=True)
class Share:
    """A task's or a domain's counted reduction and its share of the required reduction."""

    key: str  # task id or domain
    reduction_tco2: Decimal
    share_pct: Decimal | None  # None when nothing is required


@dataclass(frozen=True)
class Decomposition:
    """The final year's required reduction split over domains and tasks (分解落实)."""

    year: int
    kind: TargetKind  # the binding target: the largest required reduction that year
    required_tco2: Decimal
    tasks_tco2: Decimal
    gap_tco2: Decimal
    domains: tuple[Share, ...]
    tasks: tuple[Share, ...]
    explanation: Message

    def domain_split(self, places: int = 1) -> ShareTable[str]:
        """The tasks' reductions split over domains, adding up to exactly 100 %.

        A domain's share of the *required* reduction (``Share.share_pct``) exceeds 100 % as soon
        as the tasks exceed what is required (a reader saw "低碳人文与行为 625.0 %"); the split
        is of what the tasks give, and :attr:`coverage_pct` says how much of the requirement that
        is. Domains whose tasks add emissions on balance have no share of a reduction."""
        return apportion(
            {share.key: share.reduction_tco2 for share in self.domains if share.reduction_tco2 > 0},
            places,
        )

    @property
    def coverage_pct(self) -> Decimal | None:
        """The tasks' reduction as a percentage of the required one; ``None`` when nothing is
        required."""
        if self.required_tco2 <= 0:
            return None
        return self.tasks_tco2 / self.required_tco2 * HUNDRED


@dataclass(frozen=True)
class TargetReport:
    """Every target checked, the staged targets, the consistency verdict and the decomposition.

    ``consistency`` is true only when every overall emission target's required reduction is
    covered by the tasks. The self-assessment uses it to suggest the answer to criterion
    ``consistency`` of zone item 3.1.
    """

    checks: tuple[TargetCheck, ...]
    staged: tuple[StagedTargets, ...]
    consistency: bool
    consistency_explanation: Message
    decomposition: Decomposition | None

    def check(self, kind: TargetKind, year: int) -> TargetCheck:
        """The check of the ``kind`` target for ``year``; KeyError when there is none."""
        for check in self.checks:
            if check.target.kind is kind and check.target.year == year:
                return check
        raise KeyError((kind.value, year))
