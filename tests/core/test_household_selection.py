"""The low-carbon household selection and the community averages (附件4 第7项): scenarios as
data (tests/scenarios/households/selection.yaml) under the bundled rules, and the edges."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.core.household_selection import (
    CheckCode,
    HouseholdYear,
    SelectionRules,
    SetBy,
    Threshold,
    community_average,
    median,
    select,
)
from lowcarbon.core.text import LocalText
from tests.scenario_cases import Case, load_cases

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "households" / "selection.yaml"


def threshold(value: int) -> Threshold:
    return Threshold(Decimal(value), SetBy.PLATFORM, "test")


RULES = SelectionRules(
    edition="test",
    title=LocalText("测试", "test"),
    source="附件4 第7项",
    minimum_months=threshold(10),
    minimum_previous_months=threshold(10),
    minimum_reduction_percent=threshold(0),
    at_or_below_median=threshold(1),
    minimum_households=threshold(5),
)


def household(row: list[object]) -> HouseholdYear:
    key, members, months, emissions, previous_months, previous = row
    return HouseholdYear(
        str(key),
        int(str(members)),
        int(str(months)),
        Decimal(str(emissions)),
        int(str(previous_months)),
        Decimal(str(previous)),
    )


@pytest.mark.parametrize("case", load_cases(SCENARIOS), ids=lambda c: c.name)
def test_scenario(case: Case) -> None:
    assert not case.unreadable, case.unreadable
    result = select(RULES, 2025, [household(row) for row in case.data["households"]])
    assert [c.household.key for c in result.selected] == case.data["selected"], case.where
    expected_median = case.data["median"]
    found = None if result.median is None else str(result.median.quantize(Decimal("0.1")))
    assert found == expected_median, case.where
    failed = {
        c.household.key: [check.code.value for check in c.checks if not check.passed]
        for c in result.candidates
        if not c.selected
    }
    assert failed == case.data["failed"], case.where
    for candidate in result.candidates:  # every check says what was found and what was needed
        assert len(candidate.checks) == 3
        for check in candidate.checks:
            assert check.message.render().split(":")[0] in ("Ledger", "Reduction", "Level")


def test_the_messages_give_the_figures() -> None:
    result = select(RULES, 2025, [household(["a", 2, 12, "2400", 12, "3000"])])
    [candidate] = result.candidates
    assert candidate.selected
    assert candidate.reduction_percent == Decimal(20)
    texts = [check.message.render() for check in candidate.checks]
    assert texts[0] == "Ledger: 12 of 12 months recorded; at least 10 are needed."
    assert "1200 kgCO2 per person this year against 1500" in texts[1]
    assert "20 % lower" in texts[1]
    assert "community median of 1200" in texts[2]
    assert result.edition == "test"
    assert result.year == 2025


def test_without_the_median_check_and_with_a_higher_bar() -> None:
    rules = replace(RULES, at_or_below_median=threshold(0), minimum_reduction_percent=threshold(25))
    result = select(
        rules,
        2025,
        [
            household(["a", 1, 12, "1500", 12, "2000"]),  # -25 %: enough
            household(["b", 1, 12, "1600", 12, "2000"]),  # -20 %: not enough
        ],
    )
    assert [c.household.key for c in result.selected] == ["a"]
    assert [check.code for check in result.candidates[0].checks] == [
        CheckCode.COMPLETENESS,
        CheckCode.REDUCTION,
    ]


def test_no_members_no_per_capita() -> None:
    empty = HouseholdYear("x", 0, 12, Decimal(100), 12, Decimal(100))
    assert empty.per_capita is None
    assert empty.previous_per_capita is None


def test_median() -> None:
    assert median([]) is None
    assert median([Decimal(3), Decimal(1), Decimal(2)]) == Decimal(2)
    assert median([Decimal(4), Decimal(1), Decimal(2), Decimal(3)]) == Decimal("2.5")


def test_an_average_needs_enough_households() -> None:
    five = [(Decimal(100 * i), i) for i in range(1, 6)]
    average = community_average(five, 5)
    assert average is not None
    assert average.households == 5
    assert average.per_household == Decimal(300)
    assert average.per_capita == Decimal(100)
    assert community_average(five[:4], 5) is None
    assert community_average([(Decimal(0), 0)] * 5, 5) is None  # nobody lives there
    assert community_average([], 0) is None
