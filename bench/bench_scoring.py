"""Scoring throughput: 10,000 random complete answer sets per official rubric.

Run with ``make bench`` (or ``python bench/bench_scoring.py [N]``). Reports answer sets per
second for the engine — validation of every answer, caps, constraints, the evidence rule and a
full trace — and for a ceiling: a bare loop that adds up the same chosen points from a
pre-built lookup table with no checks and no trace. The ratio says what the engine's checks
and explanations cost. This is a benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from lowcarbon.core.answers import AnswerSet, Choice, ItemAnswer
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Rubric,
    SimpleRule,
)
from lowcarbon.core.scoring import score_answers
from lowcarbon.rules.schemes import load_rubric


def random_choice(rule: SimpleRule, rng: random.Random) -> Choice:
    if isinstance(rule, LevelsRule):
        return Choice(level=rng.choice(rule.options).id)
    if isinstance(rule, ChecklistRule):
        return Choice(ticked=tuple(c.id for c in rule.criteria if rng.random() < 0.6))
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return Choice(count=rng.randint(0, 4))
    assert isinstance(rule, JudgementRule)
    steps = int((rule.maximum - rule.minimum) / rule.step)
    return Choice(points=rule.minimum + rule.step * rng.randint(0, steps))


def random_answers(rubric: Rubric, rng: random.Random) -> AnswerSet:
    answers = {}
    for item in rubric.items():
        rule = item.rule
        if isinstance(rule, CompositeRule):
            parts = {part.id: random_choice(part.rule, rng) for part in rule.parts}
            answer = ItemAnswer(item.id, parts=parts, reason="r", evidence=("E",))
        else:
            answer = ItemAnswer(
                item.id,
                random_choice(rule, rng),
                reason="r",
                evidence=("E",),
                constraint_met=True if item.constraint else None,
            )
        answers[item.id] = answer
    return AnswerSet(rubric.ref, "bench", answers, {"E": None})  # type: ignore[dict-item]


def bare_points(rule: SimpleRule, choice: Choice) -> Decimal:
    """The ceiling: points for a choice with no validation, caps or trace."""
    if isinstance(rule, LevelsRule):
        return next(o.points for o in rule.options if o.id == choice.level)
    if isinstance(rule, ChecklistRule):
        return sum((c.points for c in rule.criteria if c.id in choice.ticked), Decimal(0))
    if isinstance(rule, CountTiersRule):
        return max(
            (t.points for t in rule.tiers if t.min_count <= (choice.count or 0)), default=Decimal(0)
        )
    if isinstance(rule, PerUnitRule):
        return min(rule.per_unit * (choice.count or 0), rule.cap)
    return choice.points or Decimal(0)


def bare_total(rubric: Rubric, answers: AnswerSet) -> Decimal:
    total = Decimal(0)
    for item in rubric.items():
        answer = answers.answers[item.id]
        rule = item.rule
        if isinstance(rule, CompositeRule):
            total += sum((bare_points(p.rule, answer.parts[p.id]) for p in rule.parts), Decimal(0))
        else:
            assert answer.choice is not None
            total += bare_points(rule, answer.choice)
    return total


def measure(label: str, func: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    rate = count / seconds
    print(
        f"  {label:<34} {seconds:8.3f} s  {rate:12,.0f} answer sets/s  "
        f"{1e6 * seconds / count:8.1f} µs each"
    )
    return rate


def _score_all(rubric: Rubric, sets: list[AnswerSet]) -> None:
    for answers in sets:
        score_answers(rubric, answers)


def _bare_all(rubric: Rubric, sets: list[AnswerSet]) -> None:
    for answers in sets:
        bare_total(rubric, answers)


def main(count: int) -> None:
    for scheme in ("community", "zone"):
        rubric = load_rubric(scheme, "2021")
        rng = random.Random(20211)
        sets = [random_answers(rubric, rng) for _ in range(count)]
        print(f"{rubric.ref}: {count:,} answer sets, {len(rubric.items())} items each")
        engine = measure("engine (checks, caps, trace)", partial(_score_all, rubric, sets), count)
        ceiling = measure("ceiling (bare sum of points)", partial(_bare_all, rubric, sets), count)
        print(f"  engine / ceiling throughput ratio: {engine / ceiling:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
