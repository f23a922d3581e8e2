"""Scoring throughput: 10,000 random complete answer sets per official rubric.

Run with ``make bench`` (or ``python bench/bench_scoring.py [N]``). Reports answer sets per
second for the engine — validation of every answer, caps, constraints, the evidence rule and a
full trace — and for the same scoring written plainly (:func:`plain_score`: the same rules,
scaling, caps, constraints and evidence rule, without validating the answers and without a
trace), whose points are first checked to equal the engine's for every answer set. The ratio
says what the engine's checks and explanations cost. This is a benchmark, not a test: nothing
here asserts a speed.
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
    ConstraintScope,
    CountTiersRule,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Pool,
    Rubric,
    SimpleRule,
)
from lowcarbon.core.scoring import ScoreResult, score_answers
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
    """Valid answers; now and then an item without evidence or a constraint not met, so that
    both scorers apply those rules too."""
    answers = {}
    for item in rubric.items():
        rule = item.rule
        evidence = ("E",) if rng.random() < 0.95 else ()
        if isinstance(rule, CompositeRule):
            parts = {part.id: random_choice(part.rule, rng) for part in rule.parts}
            answer = ItemAnswer(item.id, parts=parts, reason="r", evidence=evidence)
        else:
            answer = ItemAnswer(
                item.id,
                random_choice(rule, rng),
                reason="r",
                evidence=evidence,
                constraint_met=rng.random() < 0.95 if item.constraint else None,
            )
        answers[item.id] = answer
    return AnswerSet(rubric.ref, "bench", answers, {"E": None})  # type: ignore[dict-item]


def plain_points(rule: SimpleRule, choice: Choice) -> Decimal:
    """A choice's points under ``rule``, written plainly: no validation, no trace."""
    if isinstance(rule, LevelsRule):
        return next(o.points for o in rule.options if o.id == choice.level)
    if isinstance(rule, ChecklistRule):
        total = sum((c.points for c in rule.criteria if c.id in choice.ticked), Decimal(0))
        if rule.cap is not None and total > rule.cap:
            total = rule.cap
        return total - (choice.deduct or 0)
    if isinstance(rule, CountTiersRule):
        return max(
            (t.points for t in rule.tiers if t.min_count <= (choice.count or 0)), default=Decimal(0)
        )
    if isinstance(rule, PerUnitRule):
        return min(rule.per_unit * (choice.count or 0), rule.cap)
    return choice.points or Decimal(0)


def plain_score(
    rubric: Rubric, answers: AnswerSet
) -> tuple[dict[str, Decimal], dict[Pool, Decimal]]:
    """The same scoring written plainly: each item's points (its rule; the edition's scaling
    and cap; not applicable, a constraint not met or points without evidence score 0), each
    section's (0 when a section-wide constraint is not met; its cap) and each pool's (its cap).
    No validation of the answers and no trace."""
    caps = rubric.caps
    items: dict[str, Decimal] = {}
    pools: dict[Pool, Decimal] = {}
    for section in rubric.sections:
        section_points = Decimal(0)
        zero_section = False
        for item in section.items:
            answer = answers.answers[item.id]
            points = Decimal(0)
            if not answer.not_applicable:
                rule = item.rule
                if isinstance(rule, CompositeRule):
                    raw = sum(
                        (plain_points(p.rule, answer.parts[p.id]) for p in rule.parts), Decimal(0)
                    )
                else:
                    assert answer.choice is not None
                    raw = plain_points(rule, answer.choice)
                points = raw
                scale = caps.item_scale.get(item.id)
                if scale is not None:
                    points = (raw * scale[0] / scale[1]).quantize(Decimal("0.01"))
                cap = caps.item_cap.get(item.id)
                if cap is not None and points > cap:
                    points = cap
                if item.constraint is not None and answer.constraint_met is False:
                    points = Decimal(0)
                    zero_section |= item.constraint.scope is ConstraintScope.SECTION
                elif rubric.evidence_required and points > 0 and not answer.evidence:
                    points = Decimal(0)
            items[item.id] = points
            section_points += points
        if zero_section:
            section_points = Decimal(0)
            items.update(dict.fromkeys((i.id for i in section.items), Decimal(0)))
        cap = caps.section_cap.get(section.id)
        if cap is not None and section_points > cap:
            section_points = cap
        pools[section.pool] = pools.get(section.pool, Decimal(0)) + section_points
    for pool, points in pools.items():
        cap = caps.pool_cap.get(pool)
        if cap is not None and points > cap:
            pools[pool] = cap
    return items, pools


def engine_numbers(result: ScoreResult) -> tuple[dict[str, Decimal], dict[Pool, Decimal]]:
    items = {r.item.id: r.points for s in result.sections for r in s.items}
    return items, {p.pool: p.points for p in result.pools}


def measure(label: str, func: Callable[[], object], count: int) -> float:
    # CPU seconds of this process: other processes' work on a shared machine does not count.
    start = time.process_time()
    func()
    seconds = time.process_time() - start
    rate = count / seconds
    print(
        f"  {label:<34} {seconds:8.3f} s  {rate:12,.0f} answer sets/s  "
        f"{1e6 * seconds / count:8.1f} µs each"
    )
    return rate


def _score_all(rubric: Rubric, sets: list[AnswerSet]) -> None:
    for answers in sets:
        score_answers(rubric, answers)


def _plain_all(rubric: Rubric, sets: list[AnswerSet]) -> None:
    for answers in sets:
        plain_score(rubric, answers)


def main(count: int) -> None:
    for scheme in ("community", "zone"):
        rubric = load_rubric(scheme, "2021")
        rng = random.Random(20211)
        sets = [random_answers(rubric, rng) for _ in range(count)]
        # The yardstick must be the same scoring: its points equal the engine's, set by set.
        for answers in sets:
            assert engine_numbers(score_answers(rubric, answers)) == plain_score(rubric, answers)
        print(
            f"{rubric.ref}: {count:,} answer sets, {len(rubric.items())} items each; "
            "the plain scoring's points equal the engine's"
        )
        engine = measure("engine (checks, caps, trace)", partial(_score_all, rubric, sets), count)
        plain = measure(
            "the same scoring written plainly", partial(_plain_all, rubric, sets), count
        )
        print(f"  engine / plain throughput ratio: {engine / plain:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
