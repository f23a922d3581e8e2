"""Reads answers files (YAML) into :class:`AnswerSet` and scores them with file-aware errors.

A problem the engine finds in the answers is reported with the file and the line of the item,
so ``score`` can print ``answers.yaml:42: item 19: the level … does not exist``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.answers import AnswerSet, Choice, Evidence, ItemAnswer
from lowcarbon.core.errors import AnswerError, AnswerProblems, LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult, score_answers

from .paths import schema_path
from .schemes import load_rubric
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = [
    "AnswersFileError",
    "LocatedProblem",
    "answer_set_from_data",
    "load_answers",
    "score_answers_file",
]


@dataclass(frozen=True)
class LocatedProblem:
    path: str
    line: int | None
    error: AnswerError


class AnswersFileError(LowcarbonError):
    """Every problem of one answers file, each with the line of its item."""

    code = "answers_file"

    def __init__(self, problems: list[LocatedProblem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        super().__init__(
            Message(
                gettext_noop("{where}: {problem}"),
                {"where": f"{first.path}:{first.line}", "problem": first.error.message},
            )
        )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _choice(raw: Mapping[str, Any]) -> Choice | None:
    fields = ("level", "ticked", "count", "points", "deduct", "named")
    if all(raw.get(name) is None for name in fields):
        return None
    named = tuple(raw.get("named") or ())
    count = raw.get("count")
    return Choice(
        level=raw.get("level"),
        ticked=tuple(raw.get("ticked") or ()),
        count=len(named) if count is None and named else count,
        points=_decimal(raw.get("points")),
        deduct=_decimal(raw.get("deduct")),
    )


def _item(item_id: str, raw: Mapping[str, Any]) -> ItemAnswer:
    parts = {
        part_id: choice
        for part_id, part in (raw.get("parts") or {}).items()
        if (choice := _choice(part)) is not None
    }
    return ItemAnswer(
        item_id=item_id,
        choice=_choice(raw),
        parts=parts,
        constraint_met=raw.get("constraint_met"),
        not_applicable=bool(raw.get("not_applicable", False)),
        reason=raw.get("reason") or "",
        evidence=tuple(raw.get("evidence") or ()),
        comment=raw.get("comment") or "",
    )


def answer_set_from_data(data: Mapping[str, Any]) -> AnswerSet:
    """The answer set of an answers mapping that has passed the answers schema (a file's, or
    one the web platform keeps: ``rubric``, ``unit``, ``items`` and ``evidence``)."""
    return AnswerSet(
        rubric_ref=data["rubric"],
        unit=data["unit"],
        answers={
            str(item_id): _item(str(item_id), raw or {})
            for item_id, raw in (data.get("items") or {}).items()
        },
        evidence={
            str(evidence_id): Evidence(
                str(evidence_id), raw["title"], raw.get("file", ""), raw.get("note", "")
            )
            for evidence_id, raw in (data.get("evidence") or {}).items()
        },
    )


def load_answers(path: Path) -> tuple[AnswerSet, YamlDocument]:
    """The answers in ``path`` and the parsed document (for line look-ups)."""
    document = read_yaml(path)
    validate_with_schema(document, load_schema(schema_path("answers")))
    data = document.data
    named_mismatch = [
        (str(item_id), raw)
        for item_id, raw in (data.get("items") or {}).items()
        if raw
        and raw.get("named")
        and raw.get("count") is not None
        and raw["count"] != len(raw["named"])
    ]
    if named_mismatch:
        item_id, raw = named_mismatch[0]
        raise document.error(
            ["items", item_id, "count"],
            Message(
                gettext_noop("the number of things named ({named})"), {"named": len(raw["named"])}
            ),
            raw["count"],
            code="count_mismatch",
        )
    answers = answer_set_from_data(data)
    return answers, document


def score_answers_file(path: Path, rubric: Rubric | None = None) -> ScoreResult:
    """Score the answers in ``path`` against their rubric (or ``rubric`` when given)."""
    answers, document = load_answers(path)
    if rubric is None:
        scheme, _, edition = answers.rubric_ref.partition("/")
        rubric = load_rubric(scheme, edition)
    try:
        return score_answers(rubric, answers)
    except AnswerProblems as problems:
        raise AnswersFileError(
            [
                LocatedProblem(
                    str(path),
                    document.line_of(["items", error.item_id] if error.item_id else ["rubric"]),
                    error,
                )
                for error in problems.problems
            ]
        ) from None
