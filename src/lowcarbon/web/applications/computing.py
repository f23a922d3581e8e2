"""Every computed figure of an application, from its stored inputs and its pinned editions.

The pages, the self-assessment suggestions and the frozen snapshot all call these, so they
show the same numbers: the accounting engine (``lowcarbon.core.accounting``) on the stored
baseline data under the application's factor set, and the scoring engine on the stored
self-assessment under the application's rubric edition.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.activity import AccountingInput
from lowcarbon.core.factors import FactorLibrary
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult, score_answers
from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.schemes import load_rubric
from lowcarbon.web.applications.models import Application

__all__ = [
    "accounting_input",
    "accounting_result",
    "answers_data",
    "factor_library",
    "rubric_of",
    "score_result",
]


@cache
def factor_library() -> FactorLibrary:
    return load_factor_library()


@cache
def rubric_of(kind: str, edition: str) -> Rubric:
    return load_rubric(kind, edition)


def accounting_input(application: Application) -> AccountingInput | None:
    """The stored baseline data as the engine's input, under the application's factor set
    (pinned by the round, whatever a workbook named); ``None`` before any data is entered.

    Stored data was checked when it was saved (``lowcarbon.rules.activity.check_accounting_data``),
    so reading it back cannot fail for a user's mistake."""
    if not application.accounting:
        return None
    data = accounting_input_from_data(application.accounting)
    return dataclasses.replace(data, factor_set=application.factor_set_id)


def accounting_result(application: Application) -> AccountingResult | None:
    data = accounting_input(application)
    return None if data is None else run_accounting(data, factor_library())


def answers_data(application: Application) -> dict[str, Any]:
    """The self-assessment as an answers mapping (``rubric``, ``unit``, ``items``, ``evidence``),
    with the application's current evidence files as its evidence list."""
    evidence = {
        item.code: {"title": item.title, "file": item.original_name}
        for item in application.evidence.filter(removed_at__isnull=True).order_by("code")
    }
    return {
        "rubric": f"{application.kind}/{application.rubric_edition}",
        "unit": application.unit.name,
        "items": application.answers,
        "evidence": evidence,
    }


def score_result(application: Application) -> ScoreResult:
    rubric = rubric_of(application.kind, application.rubric_edition)
    return score_answers(rubric, answer_set_from_data(answers_data(application)))
