"""The self-assessment (自评): saving one item's answer, attaching and removing evidence files,
and the running total with the points being lost and why.

Every write is an audited action (``do_…``): everything is checked first, then one transaction
locks the application row, checks the version the person started from and records one event.
An answer is valid when the whole answer set, with it, passes the scoring engine for that item
(``lowcarbon.core.scoring``), so the page refuses exactly what ``lowcarbon score`` would refuse.

The package: :mod:`.fields` describes an item's answer form and its stored values,
:mod:`.cleaning` reads a posted answer, :mod:`.totals` computes the running total and the
points being lost, and :mod:`.actions` holds the audited actions on answers and evidence.
"""

from .actions import (
    ANSWER_SAVED,
    EVIDENCE_ATTACHED,
    EVIDENCE_REMOVED,
    TITLE_LIMIT,
    do_attach_evidence,
    do_import_answer,
    do_remove_evidence,
    do_save_answer,
    engine_errors,
)
from .cleaning import (
    COUNT_LIMIT,
    POINTS_LIMIT,
    POINTS_PLACES,
    TEXT_LIMIT,
    clean_answer,
    problem_field,
)
from .fields import active_evidence, answer_form_fields, form_values, item_label, rubric_for
from .totals import RunningTotal, answers_running_total, lost_reasons, running_total

__all__ = [
    "ANSWER_SAVED",
    "COUNT_LIMIT",
    "EVIDENCE_ATTACHED",
    "EVIDENCE_REMOVED",
    "POINTS_LIMIT",
    "POINTS_PLACES",
    "TEXT_LIMIT",
    "TITLE_LIMIT",
    "RunningTotal",
    "active_evidence",
    "answer_form_fields",
    "answers_running_total",
    "clean_answer",
    "do_attach_evidence",
    "do_import_answer",
    "do_remove_evidence",
    "do_save_answer",
    "engine_errors",
    "form_values",
    "item_label",
    "lost_reasons",
    "problem_field",
    "rubric_for",
    "running_total",
]
