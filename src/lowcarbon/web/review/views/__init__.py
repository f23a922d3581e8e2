"""The review pages: the administrator's panels, assignments, ranking, decisions and
publication; the expert's tasks, scoring workspace and panel discussion; the applicant's
decision; the public list of selected units.

Views parse input, ask :mod:`lowcarbon.web.permissions` and call the actions. Every refusal of
access is logged and answered 404, the same answer whether the object exists or not, so ids
cannot be probed (an expert cannot find out that another expert's review exists).

The pages live by who uses them and when: :mod:`.experts` (tasks, profile), :mod:`.scoring`
(the expert's workspace), :mod:`.results` (the panel's scores and discussion, the applicant's
decision), :mod:`.assignment` (forming panels, assigning, reopening) and :mod:`.decisions`
(settings, ranking, decisions, publication), with :mod:`.inspection` (the site inspection
checklist and photos) and :mod:`.sheets` (score and result sheets); :mod:`.common` holds the
refusals they share."""

from lowcarbon.web.review.views.assignment import panel_detail, panels, reopen
from lowcarbon.web.review.views.decisions import (
    decide,
    public_results,
    publish,
    ranking_page,
    settings_page,
)
from lowcarbon.web.review.views.experts import profile, tasks
from lowcarbon.web.review.views.results import my_decision, panel_result
from lowcarbon.web.review.views.scoring import (
    assignment_evidence,
    declare_conflict,
    revise_item,
    save_item,
    submit,
    workspace,
)

__all__ = [
    "assignment_evidence",
    "decide",
    "declare_conflict",
    "my_decision",
    "panel_detail",
    "panel_result",
    "panels",
    "profile",
    "public_results",
    "publish",
    "ranking_page",
    "reopen",
    "revise_item",
    "save_item",
    "settings_page",
    "submit",
    "tasks",
    "workspace",
]
