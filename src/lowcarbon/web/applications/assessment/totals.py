"""The running total of the self-assessment and the points being lost, with the reasons."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lowcarbon.core.errors import AnswerProblems
from lowcarbon.core.messages import format_points
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
from lowcarbon.core.scoring import ItemResult, ItemStatus, ScoreResult, score_answers
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import local

from .cleaning import _stored_number
from .fields import _rules, active_evidence, rubric_for

# The placeholder reason of an unanswered judgement in the running total: it is never stored.
_UNANSWERED = "—"


def _answers_mapping(
    application: Application, items: Mapping[str, Any], evidence: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "rubric": f"{application.kind}/{application.rubric_edition}",
        "unit": application.unit.name,
        "items": dict(items),
        "evidence": dict(evidence),
    }


def _evidence_listing(application: Application) -> dict[str, Any]:
    return {
        e.code: {"title": e.title, "file": e.original_name} for e in active_evidence(application)
    }


def _placeholder(item: Item) -> dict[str, Any]:
    """The answer an unanswered item is counted with in the running total: 0 points, never a
    constraint that zeroes its section. Never stored."""

    def choice(rule: SimpleRule) -> dict[str, Any]:
        if isinstance(rule, LevelsRule):
            return {"level": min(rule.options, key=lambda o: o.points).id}
        if isinstance(rule, ChecklistRule):
            return {"ticked": []}
        if isinstance(rule, CountTiersRule | PerUnitRule):
            return {"count": 0}
        return {"points": _stored_number(rule.minimum)}

    rule = item.rule
    answer: dict[str, Any] = (
        {"parts": {part.id: choice(part.rule) for part in rule.parts}}
        if isinstance(rule, CompositeRule)
        else choice(rule)
    )
    answer["reason"] = _UNANSWERED
    if item.constraint is not None:
        answer["constraint_met"] = True
    return answer


@dataclass(frozen=True)
class RunningTotal:
    """The score as things stand: unanswered (or no longer valid) items counted as 0."""

    result: ScoreResult
    unanswered: tuple[str, ...]
    complete: bool

    def status(self, item_id: str) -> str:
        if item_id in self.unanswered:
            return "unanswered"
        return self.result.item(item_id).status.value


def running_total(application: Application) -> RunningTotal:
    """Score the stored answers; items not yet answered are counted with 0 points.

    When everything is answered this is ``computing.score_result(application)``."""
    evidence = _evidence_listing(application)
    return answers_running_total(
        rubric_for(application),
        application.answers,
        lambda items: _answers_mapping(application, items, evidence),
    )


def answers_running_total(
    rubric: Rubric,
    answers: Mapping[str, Any],
    mapping_of: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> RunningTotal:
    """The running total of ``answers`` under ``rubric``; ``mapping_of(items)`` makes the answers
    mapping (rubric, unit, items, evidence listing) of a complete set of item answers. Shared by
    the application's self-assessment and a unit's self-evaluation report."""
    stored = dict(answers)
    unanswered = [item.id for item in rubric.items() if item.id not in stored]
    for _attempt in range(2):
        items = {
            item.id: stored[item.id] if item.id in stored else _placeholder(item)
            for item in rubric.items()
        }
        try:
            result = score_answers(rubric, answer_set_from_data(mapping_of(items)))
        except AnswerProblems as problems:
            # A stored answer that no longer fits (it was saved valid, so only an outside
            # change can do this) is shown as unanswered rather than breaking the page.
            broken = {e.item_id for e in problems.problems if e.item_id}
            for item_id in broken:
                stored.pop(item_id, None)
                if item_id not in unanswered:
                    unanswered.append(item_id)
            continue
        return RunningTotal(result, tuple(unanswered), not unanswered)
    raise AssertionError("placeholder answers always score")  # pragma: no cover


def lost_reasons(result: ItemResult, unanswered: bool) -> list[str]:
    """Why ``result`` loses points, in the user's language (notes, then what was not met)."""
    if unanswered:
        return [_("not answered yet: counted as 0")]
    lines = [note.render(_) for note in result.notes]
    if result.status is ItemStatus.NOT_APPLICABLE:
        return lines
    item = result.item
    for part, rule in _rules(item):
        part_lines = [line for line in result.lines if line.part == part]
        if isinstance(rule, JudgementRule):
            continue  # the reason given says why; there is no criterion to name
        if isinstance(rule, ChecklistRule):
            missed = [line for line in part_lines if not line.awarded]
        elif isinstance(rule, PerUnitRule):
            lines.append(local(rule.text))
            continue
        else:
            best = max(part_lines, key=lambda line: line.points, default=None)
            missed = [best] if best is not None and not best.awarded else []
        lines += [
            _("not met ({points}): {text}").format(
                points=format_points(line.points), text=local(line.text)
            )
            for line in missed
        ]
    if result.reason:
        lines.append(_("reason given: {reason}").format(reason=result.reason))
    return lines
