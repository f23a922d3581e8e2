"""Scenario tests as data: every case in ``tests/scenarios/<scheme>/*.yaml`` is one pytest test.

A scenario file is a YAML list of cases. Every key is checked; an unknown key anywhere in a case
fails (so a typo in test data can never pass silently)::

    - name: a sentence stating the behaviour     # the pytest id; unique across all files
      rubric: community/2021                     # a bundled edition; scheme = folder name
      answers:
        items:                                   # as in an answers file (quoted item ids)
          "1": {level: group_with_roles}
          "8": {ticked: [official_account], evidence: none}
        evidence:                                # optional, as in an answers file
          E01: {title: 工作小组通知}
      expect:                                    # at least one key
        items: {"1": {points: 5, status: scored}}  # points and/or status per item
        sections: {s1: 5}                        # section id -> points
        main: 5
        bonus: 0
        error: [words, that, must, appear]       # alone: the answers must be refused

How the runner completes a case before writing it to an answers file
(``tmp_path/answers.yaml``, scored by :func:`lowcarbon.rules.answers.score_answers_file`):

* Every rubric item the case does not mention gets a zero-scoring answer: levels → the first
  option worth 0 points; checklist → ``ticked: []``; count tiers and per-unit → ``count: 0``;
  judgement → its minimum points with ``reason: "—"``; composite → each part answered that way;
  an item with a constraint also gets ``constraint_met: true``. After scoring, the runner checks
  that every such filled-in item scored 0 with status ``scored``.
* An item the case mentions is written exactly as given (the runner adds nothing, not even
  ``constraint_met`` or missing composite parts), except for its evidence:

  - no ``evidence`` key → the runner adds ``evidence: [EV-<item id>]`` and lists that id
    under ``evidence:`` with a title;
  - ``evidence: none`` → the item is written without evidence;
  - an explicit list (also ``[]``) → written as is; ids the case wants resolved must be listed
    under ``answers.evidence`` by the case itself (an unlisted id is an answer error).

* Filled-in items get ``EV-<item id>`` evidence too.

Points are compared as :class:`~decimal.Decimal` (``Decimal(str(yaml_number))``); every expected
number is read off 附件2/附件4 of the seed by hand, never computed by the engine.
For ``error`` cases the runner expects :class:`~lowcarbon.rules.answers.AnswersFileError` and
checks that each expected word (case-sensitive substring) appears in the rendered messages of
its problems taken together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from itertools import chain, combinations, product
from pathlib import Path
from typing import Any

import pytest
import yaml

from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Rubric,
    SimpleRule,
)
from lowcarbon.core.scoring import ItemStatus, ScoreResult
from lowcarbon.rules.answers import AnswersFileError, score_answers_file
from lowcarbon.rules.schemes import list_rubrics, load_rubric
from lowcarbon.rules.yamlio import read_yaml
from tests.scenario_cases import Case, load_cases

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "rubrics"


@cache
def rubric_for(ref: str) -> Rubric:
    scheme, _, edition = ref.partition("/")
    return load_rubric(scheme, edition)


CASE_KEYS = {"name", "rubric", "answers", "expect"}
ANSWERS_KEYS = {"items", "evidence"}
EXPECT_KEYS = {"items", "sections", "main", "bonus", "error"}
EXPECT_ITEM_KEYS = {"points", "status"}
ITEM_ANSWER_KEYS = {
    "level",
    "ticked",
    "count",
    "named",
    "points",
    "deduct",
    "parts",
    "constraint_met",
    "not_applicable",
    "reason",
    "evidence",
    "comment",
}
PART_ANSWER_KEYS = {"level", "ticked", "count", "named", "points", "deduct"}
STATUSES = {status.value for status in ItemStatus}
NO_EVIDENCE = "none"


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*/*.yaml"))


ALL_CASES = [case for path in scenario_files() for case in load_cases(path, SCENARIOS)]


# ---------------------------------------------------------------------------------------------
# Shape checks: every key known, every value of the expected kind.


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unknown(mapping: Mapping[str, Any], allowed: set[str], where: str) -> list[str]:
    return [f"{where}: unknown key {key!r}" for key in mapping if key not in allowed]


def _item_answer_problems(item_id: object, answer: object, where: str) -> list[str]:
    if not isinstance(item_id, str):
        return [f"{where}: item id {item_id!r} must be quoted text"]
    if not isinstance(answer, dict):
        return [f"{where}: the answer to {item_id} must be a mapping"]
    problems = _unknown(answer, ITEM_ANSWER_KEYS, f"{where}.{item_id}")
    for part_id, part in (answer.get("parts") or {}).items():
        if not isinstance(part, dict):
            problems.append(f"{where}.{item_id}.parts.{part_id}: must be a mapping")
        else:
            problems += _unknown(part, PART_ANSWER_KEYS, f"{where}.{item_id}.parts.{part_id}")
    evidence = answer.get("evidence", [])
    if evidence != NO_EVIDENCE and not isinstance(evidence, list):
        problems.append(f"{where}.{item_id}.evidence: a list or {NO_EVIDENCE!r}")
    return problems


def _expect_problems(expect: object, where: str) -> list[str]:
    if not isinstance(expect, dict) or not expect:
        return [f"{where}: expect must be a non-empty mapping"]
    problems = _unknown(expect, EXPECT_KEYS, where)
    if "error" in expect:
        words = expect["error"]
        if set(expect) != {"error"}:
            problems.append(f"{where}: error cannot be combined with other expectations")
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w for w in words)
        ):
            problems.append(f"{where}.error: a non-empty list of words")
    for item_id, item in (expect.get("items") or {}).items():
        if not isinstance(item_id, str) or not isinstance(item, dict) or not item:
            problems.append(f"{where}.items: {item_id!r} needs a quoted id and points/status")
            continue
        problems += _unknown(item, EXPECT_ITEM_KEYS, f"{where}.items.{item_id}")
        if "points" in item and not _is_number(item["points"]):
            problems.append(f"{where}.items.{item_id}.points: a number")
        if "status" in item and item["status"] not in STATUSES:
            problems.append(f"{where}.items.{item_id}.status: one of {sorted(STATUSES)}")
    for section_id, value in (expect.get("sections") or {}).items():
        if not _is_number(value):
            problems.append(f"{where}.sections.{section_id}: a number")
    problems += [
        f"{where}.{key}: a number"
        for key in ("main", "bonus")
        if key in expect and not _is_number(expect[key])
    ]
    return problems


def case_problems(case: Case) -> list[str]:
    """Everything wrong with the form of one case (empty when it is well formed)."""
    data, where = case.data, case.where
    if case.unreadable:
        return [f"{where}: {case.unreadable}"]
    if not isinstance(data, dict):
        return [f"{where}: a case must be a mapping"]
    problems = _unknown(data, CASE_KEYS, where)
    problems += [f"{where}: missing {key!r}" for key in sorted(CASE_KEYS - set(data))]
    if not isinstance(data.get("name"), str) or not data.get("name", "").strip():
        problems.append(f"{where}: name must be a sentence")
    rubric = data.get("rubric")
    known = {f"{scheme}/{edition}" for scheme, edition in list_rubrics()}
    if rubric not in known:
        problems.append(f"{where}: rubric {rubric!r} is not one of {sorted(known)}")
    elif rubric.split("/")[0] != case.file.parent.name:
        problems.append(f"{where}: rubric {rubric} in the folder {case.file.parent.name}")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        problems.append(f"{where}: answers must be a mapping")
    else:
        problems += _unknown(answers, ANSWERS_KEYS, f"{where}.answers")
        items = answers.get("items") or {}
        if not isinstance(items, dict):
            problems.append(f"{where}.answers.items: a mapping")
        else:
            for item_id, answer in items.items():
                problems += _item_answer_problems(item_id, answer, f"{where}.answers.items")
        if not isinstance(answers.get("evidence") or {}, dict):
            problems.append(f"{where}.answers.evidence: a mapping")
    if "expect" in data:
        problems += _expect_problems(data["expect"], f"{where}.expect")
    if not problems and isinstance(rubric, str):
        problems += _unknown_targets(data, rubric_for(rubric), where)
    return problems


def _unknown_targets(data: dict[str, Any], rubric: Rubric, where: str) -> list[str]:
    """Expectations about items or sections the rubric does not have."""
    expect = data["expect"]
    item_ids = {item.id for item in rubric.items()}
    section_ids = {section.id for section in rubric.sections}
    return [
        f"{where}.expect.items: {i} is not an item of {rubric.ref}"
        for i in expect.get("items") or {}
        if i not in item_ids
    ] + [
        f"{where}.expect.sections: {s} is not a section of {rubric.ref}"
        for s in expect.get("sections") or {}
        if s not in section_ids
    ]


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_scenario_files_are_well_formed(path: Path) -> None:
    data = read_yaml(path).data
    assert isinstance(data, list), f"{path}: a list of cases"
    assert data, f"{path}: no cases"
    problems = [problem for case in load_cases(path, SCENARIOS) for problem in case_problems(case)]
    assert not problems, "\n".join(problems)


def test_case_names_are_unique_and_both_rubrics_have_scenarios() -> None:
    names = [case.name for case in ALL_CASES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"duplicate case names: {duplicates}"
    rubrics = {case.data.get("rubric") for case in ALL_CASES if isinstance(case.data, dict)}
    assert {"community/2021", "zone/2021"} <= rubrics


# ---------------------------------------------------------------------------------------------
# Completing a case into an answers file.


def _yaml_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def zero_answer(rule: SimpleRule) -> dict[str, Any]:
    """The answer that scores 0 under ``rule`` (see the module docstring)."""
    if isinstance(rule, LevelsRule):
        zero = next((option.id for option in rule.options if option.points == 0), None)
        assert zero is not None, "a levels rule without a 0-point option cannot be filled"
        return {"level": zero}
    if isinstance(rule, ChecklistRule):
        return {"ticked": []}
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return {"count": 0}
    return {"points": _yaml_number(rule.minimum), "reason": "—"}


def zero_item_answer(item: Item) -> dict[str, Any]:
    if isinstance(item.rule, CompositeRule):
        parts = {part.id: zero_answer(part.rule) for part in item.rule.parts}
        answer: dict[str, Any] = {"parts": {}}
        for part_id, part in parts.items():
            reason = part.pop("reason", None)
            answer["parts"][part_id] = part
            if reason is not None:
                answer["reason"] = reason
    else:
        answer = zero_answer(item.rule)
    if item.constraint is not None:
        answer["constraint_met"] = True
    return answer


def complete_answers(case: dict[str, Any], rubric: Rubric) -> tuple[dict[str, Any], set[str]]:
    """The answers file for ``case`` and the ids of the items the runner filled in."""
    given: dict[str, Any] = case["answers"].get("items") or {}
    evidence: dict[str, Any] = dict(case["answers"].get("evidence") or {})
    items: dict[str, Any] = {}
    filled = {item.id for item in rubric.items() if item.id not in given}
    for item in rubric.items():
        if item.id in filled:
            items[item.id] = zero_item_answer(item)
    for item_id, answer in given.items():
        items[item_id] = dict(answer)
    for item_id, answer in items.items():
        if answer.get("evidence") == NO_EVIDENCE:
            del answer["evidence"]
        elif "evidence" not in answer:
            evidence_id = f"EV-{item_id}"
            answer["evidence"] = [evidence_id]
            evidence[evidence_id] = {"title": f"证明材料 {item_id}"}
    return {
        "rubric": case["rubric"],
        "unit": "测试单位",
        "evidence": evidence,
        "items": items,
    }, filled


def run_case(case: dict[str, Any], tmp_path: Path) -> tuple[ScoreResult, set[str]]:
    rubric = rubric_for(case["rubric"])
    document, filled = complete_answers(case, rubric)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return score_answers_file(path), filled


def _decimal(value: int | float) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize("case", ALL_CASES, ids=[case.name for case in ALL_CASES])
def test_scenario(case: Case, tmp_path: Path) -> None:
    problems = case_problems(case)
    assert not problems, "\n".join(problems)
    data = case.data
    expect = data["expect"]

    if "error" in expect:
        with pytest.raises(AnswersFileError) as caught:
            run_case(data, tmp_path)
        rendered = [p.error.message.render() for p in caught.value.problems]
        text = "\n".join(rendered)
        missing = [word for word in expect["error"] if word not in text]
        assert not missing, f"{missing} not in the problems:\n{text}"
        return

    try:
        result, filled = run_case(data, tmp_path)
    except AnswersFileError as error:
        rendered = "\n".join(p.error.message.render() for p in error.problems)
        pytest.fail(f"the answers were refused:\n{rendered}")

    for item_id, wanted in (expect.get("items") or {}).items():
        got = result.item(item_id)
        if "points" in wanted:
            assert got.points == _decimal(wanted["points"]), f"item {item_id} points"
        if "status" in wanted:
            assert got.status.value == wanted["status"], f"item {item_id} status"
    sections = {s.section.id: s for s in result.sections}
    for section_id, points in (expect.get("sections") or {}).items():
        assert sections[section_id].points == _decimal(points), f"section {section_id}"
    if "main" in expect:
        assert result.main == _decimal(expect["main"]), "main pool"
    if "bonus" in expect:
        assert result.bonus == _decimal(expect["bonus"]), "bonus pool"
    for item_id in filled:
        got = result.item(item_id)
        assert (got.points, got.status) == (0, ItemStatus.SCORED), f"filled-in item {item_id}"


# ---------------------------------------------------------------------------------------------
# The scenarios cover every level, criterion, tier and judgement step of both rubrics.


def _answered(rubric_ref: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(item id, answer) for every scored case that states an expectation on that item."""
    for case in ALL_CASES:
        data = case.data
        if not isinstance(data, dict) or data.get("rubric") != rubric_ref:
            continue
        expect = data.get("expect") or {}
        given = (data.get("answers") or {}).get("items") or {}
        for item_id in expect.get("items") or {}:
            if item_id in given and not given[item_id].get("not_applicable"):
                yield item_id, given[item_id]


def _alternatives(rule: SimpleRule) -> list[object] | None:
    if isinstance(rule, LevelsRule):
        return [option.id for option in rule.options]
    if isinstance(rule, ChecklistRule):
        ids = [c.id for c in rule.criteria]
        subsets = chain.from_iterable(combinations(ids, n) for n in range(len(ids) + 1))
        return [frozenset(subset) for subset in subsets]
    return None


def _key(rule: SimpleRule, answer: dict[str, Any]) -> object:
    if isinstance(rule, LevelsRule):
        return answer.get("level")
    return frozenset(answer.get("ticked") or ())


def _count(answer: dict[str, Any]) -> object:
    return answer["count"] if answer.get("count") is not None else len(answer.get("named") or ())


def _missing_coverage(item: Item, answers: list[dict[str, Any]]) -> list[str]:
    rule = item.rule
    plain = [a for a in answers if "parts" not in a]
    if isinstance(rule, LevelsRule):
        seen = {a.get("level") for a in plain}
        return [f"level {o.id}" for o in rule.options if o.id not in seen]
    if isinstance(rule, ChecklistRule):
        seen_sets = [frozenset(a.get("ticked") or ()) for a in plain if "deduct" not in a]
        wanted = [frozenset([c.id]) for c in rule.criteria]
        wanted.append(frozenset(c.id for c in rule.criteria))
        return [f"ticked exactly {sorted(w)}" for w in wanted if w not in seen_sets]
    if isinstance(rule, CountTiersRule | PerUnitRule):
        seen_counts = {_count(a) for a in plain}
        wanted_counts = {0, 1, 2, 5} if isinstance(rule, CountTiersRule) else {0, 1, 3, 4}
        return [f"count {n}" for n in sorted(wanted_counts - seen_counts)]
    if isinstance(rule, JudgementRule):
        seen_points = {_decimal(a["points"]) for a in plain if _is_number(a.get("points"))}
        missing = [f"points {p}" for p in (rule.minimum, rule.maximum) if p not in seen_points]
        if not any(rule.minimum < p < rule.maximum for p in seen_points):
            missing.append("a middle step")
        return missing
    options = [_alternatives(part.rule) for part in rule.parts]
    assert all(o is not None for o in options), "composite coverage needs levels/checklists"
    seen_combos = {
        tuple(_key(part.rule, (a.get("parts") or {}).get(part.id) or {}) for part in rule.parts)
        for a in answers
    }
    return [f"parts {combo}" for combo in product(*options) if combo not in seen_combos]


@pytest.mark.parametrize("rubric_ref", ["community/2021", "zone/2021"])
def test_scenarios_cover_every_level_criterion_tier_and_step(rubric_ref: str) -> None:
    rubric = rubric_for(rubric_ref)
    answered: dict[str, list[dict[str, Any]]] = {}
    for item_id, answer in _answered(rubric_ref):
        answered.setdefault(item_id, []).append(answer)
    missing = [
        f"item {item.id}: {gap}"
        for item in rubric.items()
        for gap in _missing_coverage(item, answered.get(item.id, []))
    ]
    assert not missing, "\n".join(missing)
