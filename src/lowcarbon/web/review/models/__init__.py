"""The expert review (综合评估): panels, assignments, conflicts, blind scores, discussion,
round settings and decisions, and the panel's site inspection.

Workflow (沪环气〔2021〕182号 工作方案 组织实施: 各区推荐 → 市局组织专家综合评估 → 择优确定 → 公示):
the administrator forms a panel of experts per round and kind, assigns each application the
district recommended to experts without a conflict of interest, every expert scores the frozen
submission item by item with the same scoring engine and rubric edition as the self-assessment,
the submitted scores are aggregated per the round's setting, divergences open a discussion,
the administrator decides and publishes.

Nothing is overwritten: an expert's submitted scores change only by an administrator's audited
reopen or by a revision after discussion, and each submission or revision is a new
:class:`ExpertReviewRevision` row.

The models live by stage: :mod:`.panels` (profiles, panels, assignments, conflicts),
:mod:`.scores` (reviews, revisions, discussion), :mod:`.decisions` (settings, decisions) and
:mod:`.inspection` (site inspection); every name is importable from here.
"""

from lowcarbon.web.review.models.decisions import (
    ApplicantVisibility,
    Decision,
    DecisionOutcome,
    Method,
    MethodChoice,
    PanelVisibility,
    ReviewSettings,
    round_settings,
)
from lowcarbon.web.review.models.inspection import (
    FindingOutcome,
    Inspection,
    InspectionFinding,
    InspectionPhoto,
    inspection_photo_path,
)
from lowcarbon.web.review.models.panels import (
    ACTIVE_STATUSES,
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictSource,
    ExpertProfile,
    Panel,
)
from lowcarbon.web.review.models.scores import (
    Discussion,
    DiscussionPost,
    ExpertReview,
    ExpertReviewRevision,
    RevisionKind,
)

__all__ = [
    "ACTIVE_STATUSES",
    "ApplicantVisibility",
    "Assignment",
    "AssignmentStatus",
    "ConflictDeclaration",
    "ConflictSource",
    "Decision",
    "DecisionOutcome",
    "Discussion",
    "DiscussionPost",
    "ExpertProfile",
    "ExpertReview",
    "ExpertReviewRevision",
    "FindingOutcome",
    "Inspection",
    "InspectionFinding",
    "InspectionPhoto",
    "Method",
    "MethodChoice",
    "Panel",
    "PanelVisibility",
    "ReviewSettings",
    "RevisionKind",
    "inspection_photo_path",
    "round_settings",
]
