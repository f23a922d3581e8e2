"""Every write of the expert review: validated first, then one transaction that locks the rows
it changes (``select_for_update``), re-checks what may have changed, and records one event.

Expert scores are stored in the answers format and validated by the scoring engine exactly as
the self-assessment is (the form fields are read by the self-assessment's own
:func:`~lowcarbon.web.applications.assessment.clean_answer`).

The actions live by stage: :mod:`.assignment` (profiles, panels, assignments, conflicts),
:mod:`.scoring` (drafts, submission, reopening), :mod:`.sheet` (the whole score sheet at once,
starting from the self-assessment), :mod:`.discussion` (posts, revisions after
discussion), :mod:`.inspection` (site findings and photos) and :mod:`.decision` (settings,
decisions, publication); :mod:`.common` holds what
they share. Callers import the actions from here.
"""

from lowcarbon.web.review.actions.assignment import (
    do_assign,
    do_assign_experts,
    do_declare_conflict,
    do_form_panel,
    do_override_conflict,
    do_save_expert_profile,
)
from lowcarbon.web.review.actions.common import TEXT_LIMIT, recommended_submission
from lowcarbon.web.review.actions.decision import (
    do_decide,
    do_publish_decisions,
    do_save_review_settings,
)
from lowcarbon.web.review.actions.discussion import do_post_discussion, do_revise_review
from lowcarbon.web.review.actions.inspection import do_record_finding, do_remove_photo
from lowcarbon.web.review.actions.scoring import (
    departures_without_comment,
    do_reopen_review,
    do_save_review,
    do_submit_review,
)
from lowcarbon.web.review.actions.sheet import (
    do_save_review_sheet,
    do_start_from_self_assessment,
)

__all__ = [
    "TEXT_LIMIT",
    "departures_without_comment",
    "do_assign",
    "do_assign_experts",
    "do_decide",
    "do_declare_conflict",
    "do_form_panel",
    "do_override_conflict",
    "do_post_discussion",
    "do_publish_decisions",
    "do_record_finding",
    "do_remove_photo",
    "do_reopen_review",
    "do_revise_review",
    "do_save_expert_profile",
    "do_save_review",
    "do_save_review_settings",
    "do_save_review_sheet",
    "do_start_from_self_assessment",
    "do_submit_review",
    "recommended_submission",
]
