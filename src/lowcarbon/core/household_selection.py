"""The low-carbon household selection (低碳家庭评选, 附件4 第7项) and the community averages a
household's ledger is shown against: pure rules, no Django, no files.

A household's year is its ledger summed: the months recorded, the kgCO2 of those months, the
same for the year before, and its members. The rules (``data/households/selection_rules.yaml``,
loaded by :mod:`lowcarbon.rules.household_selection`) say how complete a ledger must be, how
much the per-capita emissions must fall against the household's own previous year, and whether
they must be at or below the community's median. Every check of every household comes back
with a :class:`~lowcarbon.core.messages.Message` saying what was found and what was needed.

Per-capita emissions are annualised from the months recorded (kgCO2 ÷ months × 12 ÷ members),
so that a ledger with a missing month is compared fairly; water is not in them (no factor set
covers water).

Averages of other households are shown only over at least ``minimum_households`` households:
with fewer, a household that knows its own figures could work out another's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .messages import Message, gettext_noop
from .text import LocalText

__all__ = [
    "Check",
    "CheckCode",
    "CommunityAverage",
    "HouseholdYear",
    "SelectionCandidate",
    "SelectionResult",
    "SelectionRules",
    "SetBy",
    "Threshold",
    "community_average",
    "median",
    "select",
]

MONTHS_IN_YEAR = 12
HUNDRED = Decimal(100)


class SetBy(StrEnum):
    """Who sets a threshold: the seed's indicator system, or this platform (its choice)."""

    SEED = "seed"
    PLATFORM = "platform"


@dataclass(frozen=True)
class Threshold:
    """One threshold of the rules with who set it and the clause or reason behind it."""

    value: Decimal
    set_by: SetBy
    basis: str


@dataclass(frozen=True)
class SelectionRules:
    edition: str
    title: LocalText
    source: str
    minimum_months: Threshold  # months of 12 with a ledger entry
    minimum_previous_months: Threshold  # months of the previous year needed to compare
    minimum_reduction_percent: Threshold  # per-capita fall against the previous year
    at_or_below_median: Threshold  # 1: per capita at or below the community median; 0: not asked
    minimum_households: Threshold  # for any average of other households to be shown


class CheckCode(StrEnum):
    COMPLETENESS = "completeness"
    REDUCTION = "reduction"
    LEVEL = "level"


@dataclass(frozen=True)
class Check:
    code: CheckCode
    passed: bool
    message: Message


@dataclass(frozen=True)
class HouseholdYear:
    """A household's ledger over the selection year and the year before (kgCO2)."""

    key: str
    members: int
    months: int
    emissions: Decimal
    previous_months: int = 0
    previous_emissions: Decimal = Decimal(0)

    @property
    def per_capita(self) -> Decimal | None:
        return _annual_per_capita(self.emissions, self.months, self.members)

    @property
    def previous_per_capita(self) -> Decimal | None:
        return _annual_per_capita(self.previous_emissions, self.previous_months, self.members)


@dataclass(frozen=True)
class SelectionCandidate:
    household: HouseholdYear
    checks: tuple[Check, ...]
    reduction_percent: Decimal | None

    @property
    def selected(self) -> bool:
        return all(check.passed for check in self.checks)


@dataclass(frozen=True)
class SelectionResult:
    edition: str
    year: int
    median: Decimal | None  # of the complete ledgers' per-capita emissions
    candidates: tuple[SelectionCandidate, ...]  # selected first, then by per capita

    @property
    def selected(self) -> tuple[SelectionCandidate, ...]:
        return tuple(c for c in self.candidates if c.selected)


@dataclass(frozen=True)
class CommunityAverage:
    households: int
    per_household: Decimal
    per_capita: Decimal


def _annual_per_capita(emissions: Decimal, months: int, members: int) -> Decimal | None:
    if months <= 0 or members <= 0:
        return None
    return emissions / months * MONTHS_IN_YEAR / members


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The median of ``values`` (the mean of the middle two for an even count); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def community_average(
    households: Sequence[tuple[Decimal, int]], minimum_households: int
) -> CommunityAverage | None:
    """The average of ``(emissions, members)`` pairs per household and per capita, or None when
    fewer than ``minimum_households`` households (or no members) are in it."""
    people = sum(members for _emissions, members in households)
    if len(households) < max(minimum_households, 1) or people <= 0:
        return None
    total = sum((emissions for emissions, _members in households), Decimal(0))
    return CommunityAverage(len(households), total / len(households), total / people)


def _completeness(rules: SelectionRules, household: HouseholdYear) -> Check:
    needed = int(rules.minimum_months.value)
    return Check(
        CheckCode.COMPLETENESS,
        household.months >= needed,
        Message(
            gettext_noop("Ledger: {found} of 12 months recorded; at least {needed} are needed."),
            {"found": household.months, "needed": needed},
        ),
    )


def _reduction(rules: SelectionRules, household: HouseholdYear) -> tuple[Check, Decimal | None]:
    needed = int(rules.minimum_previous_months.value)
    current, previous = household.per_capita, household.previous_per_capita
    if household.previous_months < needed or previous is None or previous <= 0:
        message = Message(
            gettext_noop(
                "Reduction: the previous year has {found} months with emissions recorded; "
                "at least {needed} are needed to compare."
            ),
            {"found": household.previous_months, "needed": needed},
        )
        return Check(CheckCode.REDUCTION, False, message), None
    if current is None:
        message = Message(gettext_noop("Reduction: no month of this year is recorded."))
        return Check(CheckCode.REDUCTION, False, message), None
    percent = (previous - current) / previous * HUNDRED
    minimum = rules.minimum_reduction_percent.value
    message = Message(
        gettext_noop(
            "Reduction: {current} kgCO2 per person this year against {previous} the year "
            "before, {percent} % lower; more than 0 % and at least {minimum} % is needed."
        ),
        {
            "current": _shown(current),
            "previous": _shown(previous),
            "percent": _shown(percent),
            "minimum": minimum,
        },
    )
    return Check(CheckCode.REDUCTION, percent > 0 and percent >= minimum, message), percent


def _level(household: HouseholdYear, community_median: Decimal | None) -> Check:
    current = household.per_capita
    if current is None or community_median is None:
        message = Message(
            gettext_noop(
                "Level: no per-capita figure to compare with the community median "
                "(a household or the community has no complete ledger)."
            )
        )
        return Check(CheckCode.LEVEL, False, message)
    return Check(
        CheckCode.LEVEL,
        current <= community_median,
        Message(
            gettext_noop(
                "Level: {current} kgCO2 per person against the community median of {median}; "
                "at or below the median is needed."
            ),
            {"current": _shown(current), "median": _shown(community_median)},
        ),
    )


def _shown(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def select(
    rules: SelectionRules, year: int, households: Sequence[HouseholdYear]
) -> SelectionResult:
    """Every household of the year checked against ``rules``, with why it is or is not selected.

    The median is over the households whose ledger is complete enough: an incomplete ledger
    cannot be a candidate and does not move the bar for the others."""
    complete = [
        h.per_capita
        for h in households
        if h.months >= int(rules.minimum_months.value) and h.per_capita is not None
    ]
    community_median = median(complete)
    candidates = []
    for household in households:
        checks = [_completeness(rules, household)]
        reduction, percent = _reduction(rules, household)
        checks.append(reduction)
        if rules.at_or_below_median.value:
            checks.append(_level(household, community_median))
        candidates.append(SelectionCandidate(household, tuple(checks), percent))
    candidates.sort(
        key=lambda c: (
            not c.selected,
            c.household.per_capita is None,
            c.household.per_capita or Decimal(0),
            c.household.key,
        )
    )
    return SelectionResult(rules.edition, year, community_median, tuple(candidates))
