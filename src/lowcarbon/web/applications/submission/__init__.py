"""Submitting an application: the pre-submission check, the frozen snapshot, the withdrawal and
the district's decision, each an audited action.

What the programme asks for (沪环气〔2021〕182号 工作方案 组织实施): the applicant submits its
implementation plan and self-assessment by the round's deadline; the district bureau checks
and recommends its district's applications. Here a submission freezes a snapshot of every
input, every computed result, the rule editions with their content hashes and the hashes of
the evidence files; its SHA-256 (of the canonical JSON) is stored beside it, so anyone can later
show that what the district recommended and the experts scored is what was submitted.

A snapshot is never changed. The only changes to a :class:`Submission` afterwards are the
audited withdrawal (with a reason, before the submission deadline, while the district has not
decided) and the district's decision (returned with comments, or recommended).

The package follows the flow: :mod:`.check` is the pre-submission check, :mod:`.snapshot`
builds the snapshot from the application, :mod:`.actions` holds the audited submission,
withdrawal and district decision, :mod:`.frozen` reads a stored snapshot back, and
:mod:`.district` lists a district's submissions.
"""

from lowcarbon.rules.snapshot import SNAPSHOT_FORMAT, canonical_json, snapshot_sha256

from .actions import (
    COMMENT_MAX_LENGTH,
    DECIDED,
    REASON_MAX_LENGTH,
    SUBMITTED,
    WITHDRAWN,
    do_district_decide,
    do_submit,
    do_withdraw,
)
from .check import GROUPS, Check, Gap, check_application, gap_text
from .district import district_submissions
from .frozen import frozen_snapshot, outline_sha256, part_versions
from .snapshot import accounting_figures, draft_snapshot, frozen_score, score_total, task_records

__all__ = [
    "COMMENT_MAX_LENGTH",
    "DECIDED",
    "GROUPS",
    "REASON_MAX_LENGTH",
    "SNAPSHOT_FORMAT",
    "SUBMITTED",
    "WITHDRAWN",
    "Check",
    "Gap",
    "accounting_figures",
    "canonical_json",
    "check_application",
    "district_submissions",
    "do_district_decide",
    "do_submit",
    "do_withdraw",
    "draft_snapshot",
    "frozen_score",
    "frozen_snapshot",
    "gap_text",
    "outline_sha256",
    "part_versions",
    "score_total",
    "snapshot_sha256",
    "task_records",
]
