"""Every computed figure of an application, from its stored inputs and its pinned editions.

The pages, the self-assessment suggestions and the frozen snapshot all call these, so they
show the same numbers: the accounting engine (``lowcarbon.core.accounting``) on the stored
baseline data under the application's factor set, and the scoring engine on the stored
self-assessment under the application's rubric edition.

The accounting is computed once per version of the data: the actions that save baseline data
compute it to check the data anyway, and keep the result under a key that names everything it
depends on (the application, its data version, the factor set's content hash and the engine's
version). Pages read it from there; a key that changed (new data, an upgraded engine or factor
library) simply misses, and the result is computed again. The results are kept in the process
(a bounded, least-recently-used table): they are graphs of frozen engine objects, not data to
serialise, and each worker computes a version at most once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from lowcarbon import __version__
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
    "compute",
    "factor_library",
    "remember",
    "rubric_of",
    "score_result",
]

#: How many computed results a worker keeps.
KEPT_RESULTS = 128

_kept: OrderedDict[str, AccountingResult] = OrderedDict()
_kept_lock = threading.Lock()


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


def compute(data: AccountingInput) -> AccountingResult:
    """The accounting engine on ``data`` under the bundled factor library."""
    return run_accounting(data, factor_library())


def _result_key(application: Application) -> str:
    """Everything a result depends on: the stored data itself (its digest: a version number
    alone could name other data after a rollback or a restore), the factor set's content and
    the engine's version."""
    data = json.dumps(application.accounting, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(data.encode()).hexdigest()
    content = factor_library().factor_set(application.factor_set_id).content_hash
    return (
        f"accounting:{application.pk}:{digest}:{application.factor_set_id}:{content}:{__version__}"
    )


def remember(application: Application, result: AccountingResult) -> None:
    """Keep ``result`` as the computation of the application's current data version."""
    key = _result_key(application)
    with _kept_lock:
        _kept[key] = result
        _kept.move_to_end(key)
        while len(_kept) > KEPT_RESULTS:
            _kept.popitem(last=False)


def _recalled(application: Application) -> AccountingResult | None:
    key = _result_key(application)
    with _kept_lock:
        result = _kept.get(key)
        if result is not None:
            _kept.move_to_end(key)
        return result


def accounting_result(application: Application) -> AccountingResult | None:
    """The accounting of the stored data: kept from when it was saved, computed (and kept) only
    when the cache does not hold it; ``None`` before any data is entered."""
    data = accounting_input(application)
    if data is None:
        return None
    kept = _recalled(application)
    if kept is not None:
        return kept
    result = compute(data)
    remember(application, result)
    return result


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
