"""Reading a frozen submission for the review, and scoring an expert's answers against it.

An expert scores the snapshot, never the live application: the rubric edition is the one the
snapshot names (its content hash must still match, or scoring is refused rather than done
under other rules), the evidence list is the snapshot's, and the unit name is the snapshot's.
Scoring goes through the same engine as the self-assessment
(:func:`lowcarbon.core.scoring.score_answers`), so caps, constraints, section caps, the bonus
pool and "no evidence → 0" (附件4 注) apply to experts exactly as to applicants.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult, score_answers
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.rules.snapshot import EvidenceEntry, snapshot_data
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.applications.submission import frozen_snapshot

__all__ = [
    "answers_mapping",
    "evidence_codes",
    "evidence_entries",
    "frozen_evidence",
    "score_of",
    "self_points",
    "snapshot_rubric",
    "unit_name",
]


def snapshot_rubric(submission: Submission) -> Rubric:
    """The rubric edition the submission was made under; refused if its text has changed."""
    edition = frozen_snapshot(submission).editions.rubric
    rubric = computing.rubric_of(edition.kind, edition.edition)
    if edition.sha256 != rubric.content_hash:
        raise ValidationError(
            _(
                "The indicator system {rubric} has changed since the submission (SHA-256 "
                "{found}, submitted under {expected}); it cannot be scored under other rules. "
                "Please tell the administrator."
            ).format(
                rubric=rubric.ref, found=rubric.content_hash[:12], expected=edition.sha256[:12]
            ),
            code="rubric_changed",
        )
    return rubric


def frozen_evidence(submission: Submission) -> tuple[EvidenceEntry, ...]:
    """The evidence files as frozen in the snapshot."""
    return frozen_snapshot(submission).evidence


def evidence_entries(submission: Submission) -> list[dict[str, Any]]:
    """The frozen evidence files as plain data (prefer :func:`frozen_evidence`, typed)."""
    return [snapshot_data(entry) for entry in frozen_evidence(submission)]


def evidence_codes(submission: Submission) -> list[str]:
    return [entry.code for entry in frozen_evidence(submission)]


def unit_name(submission: Submission) -> str:
    return frozen_snapshot(submission).application.unit.name


def self_points(submission: Submission) -> dict[str, Decimal]:
    """The applicant's self-score per item as frozen in the snapshot."""
    score = frozen_snapshot(submission).score
    return {} if score is None else {item: entry.points for item, entry in score.items.items()}


def answers_mapping(submission: Submission, items: Mapping[str, Any]) -> dict[str, Any]:
    """An expert's item answers as an answers mapping against the snapshot."""
    rubric = snapshot_rubric(submission)
    return {
        "rubric": rubric.ref,
        "unit": unit_name(submission),
        "items": dict(items),
        "evidence": {
            entry.code: {"title": entry.title, "file": entry.original_name}
            for entry in frozen_evidence(submission)
        },
    }


def score_of(submission: Submission, items: Mapping[str, Any]) -> ScoreResult:
    """The engine's score of complete expert answers (raises ``AnswerProblems`` on misfits)."""
    return score_answers(
        snapshot_rubric(submission), answer_set_from_data(answers_mapping(submission, items))
    )
