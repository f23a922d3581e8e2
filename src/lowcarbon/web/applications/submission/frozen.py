"""A stored submission's snapshot read back (typed, once per loaded submission), and the version
counters a person saw when they checked.
"""

from __future__ import annotations

from typing import cast

from lowcarbon.rules.application_file import outline_content_hash
from lowcarbon.rules.snapshot import Snapshot, snapshot_from_data
from lowcarbon.web.applications.models import Application, Submission


def frozen_snapshot(submission: Submission) -> Snapshot:
    """The typed snapshot a submission keeps (format 1, :mod:`lowcarbon.rules.snapshot`),
    read once per loaded submission: the review asks for its parts many times a page."""
    cached = submission.__dict__.get("_frozen_snapshot")
    if cached is not None and cached[0] is submission.snapshot:
        return cast(Snapshot, cached[1])
    snapshot = snapshot_from_data(submission.snapshot, source=f"submission {submission.number}")
    submission.__dict__["_frozen_snapshot"] = (submission.snapshot, snapshot)
    return snapshot


def outline_sha256(kind: str, edition: str) -> str:
    return outline_content_hash(kind, edition)


def part_versions(application: Application) -> dict[str, int]:
    """The version counter of each part: what a person saw when they checked."""
    return {
        "sections": application.version,
        "accounting": application.accounting_version,
        "answers": application.answers_version,
    }
