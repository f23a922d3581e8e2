"""Every permission decision of the web platform, in one place. Views ask; they never decide.

Each function takes the user (possibly anonymous) and, where it concerns one object, that
object. A refusal is logged with ``deny`` so forbidden attempts leave a trace.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from lowcarbon.web.accounts.models import Role
from lowcarbon.web.applications.models import EDITABLE_STATUSES, Application, ApplicationStatus
from lowcarbon.web.rounds.models import Round, RoundStatus

__all__ = [
    "can_answer_rectification",
    "can_change_unit_status",
    "can_create_application",
    "can_decide_as_district",
    "can_declare_conflict",
    "can_download_result_sheet",
    "can_download_score_sheet",
    "can_edit_application",
    "can_edit_archive",
    "can_inspect",
    "can_issue_rectification",
    "can_manage_creation_schedule",
    "can_manage_review",
    "can_manage_rounds",
    "can_record_completion",
    "can_record_inspection",
    "can_review_rectification",
    "can_revise_review",
    "can_score_assignment",
    "can_submit_application",
    "can_view_application",
    "can_view_applications",
    "can_view_archive",
    "can_view_assignment",
    "can_view_creation_overview",
    "can_view_creation_unit",
    "can_view_creation_units",
    "can_view_district_queue",
    "can_view_own_decision",
    "can_view_panel_scores",
    "can_view_round",
    "can_withdraw_application",
    "deny",
    "has_role",
    "is_expert",
    "is_own_unit",
    "log_denied",
    "visible_applications",
    "visible_assignments",
    "visible_creation_units",
    "visible_rounds",
]

logger = logging.getLogger("lowcarbon.web.permissions")


def has_role(user: Any, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def can_manage_rounds(user: Any) -> bool:
    """Opening rounds and changing deadlines is the municipal bureau's job (工作方案 组织实施)."""
    return has_role(user, Role.ADMINISTRATOR)


def can_view_round(user: Any, round_: Round) -> bool:
    if can_manage_rounds(user):
        return True
    roles = (Role.APPLICANT, Role.DISTRICT_OFFICER, Role.EXPERT)
    return has_role(user, *roles) and round_.status == RoundStatus.OPEN


def visible_rounds(user: Any) -> QuerySet[Round]:
    rounds = Round.objects.all()
    if can_manage_rounds(user):
        return rounds
    if has_role(user, Role.APPLICANT, Role.DISTRICT_OFFICER, Role.EXPERT):
        return rounds.filter(status=RoundStatus.OPEN)
    return rounds.none()


def can_create_application(user: Any) -> bool:
    """Applicants apply, for their own unit only (the action checks the unit again)."""
    return has_role(user, Role.APPLICANT) and user.organisation_id is not None


def can_view_applications(user: Any) -> bool:
    """Whether the "my applications" list is for this user at all (experts come later)."""
    return has_role(user, Role.APPLICANT, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR)


def visible_applications(user: Any) -> QuerySet[Application]:
    """Applicants: their unit's; district officers: their district's (read only); admins: all."""
    applications = Application.objects.select_related("round", "unit")
    if has_role(user, Role.ADMINISTRATOR):
        return applications
    if has_role(user, Role.APPLICANT) and user.organisation_id is not None:
        return applications.filter(unit_id=user.organisation_id)
    district_id = user.organisation.district_id if getattr(user, "organisation", None) else None
    if has_role(user, Role.DISTRICT_OFFICER) and district_id is not None:
        return applications.filter(unit__district_id=district_id)
    return applications.none()


def can_view_application(user: Any, application: Application) -> bool:
    return visible_applications(user).filter(pk=application.pk).exists()


def is_own_unit(user: Any, application: Application) -> bool:
    return (
        has_role(user, Role.APPLICANT)
        and user.organisation_id is not None
        and user.organisation_id == application.unit_id
    )


def can_edit_application(user: Any, application: Application) -> bool:
    """Only the applicant unit's own people edit its application, and only while it is a draft
    (or returned by the district); a submitted application is frozen. Deadlines are checked by
    the actions, which can say which deadline passed."""
    return is_own_unit(user, application) and application.status in EDITABLE_STATUSES


def can_submit_application(user: Any, application: Application) -> bool:
    return can_edit_application(user, application)


def can_withdraw_application(user: Any, application: Application) -> bool:
    """A submission the district has not yet decided on can be withdrawn by its unit."""
    return is_own_unit(user, application) and application.status == ApplicationStatus.SUBMITTED


def can_view_district_queue(user: Any) -> bool:
    """The district officer's list of their district's submissions (工作方案: 各区推荐)."""
    organisation = getattr(user, "organisation", None)
    return (
        has_role(user, Role.DISTRICT_OFFICER)
        and organisation is not None
        and organisation.district_id is not None
    )


def can_decide_as_district(user: Any, application: Application) -> bool:
    """The district officer of the unit's district returns or recommends a submission
    (工作方案 组织实施: 各区推荐)."""
    organisation = (
        getattr(user, "organisation", None) if has_role(user, Role.DISTRICT_OFFICER) else None
    )
    return (
        organisation is not None
        and organisation.district_id is not None
        and organisation.district_id == application.unit.district_id
        and application.status == ApplicationStatus.SUBMITTED
    )


def log_denied(request: HttpRequest, what: str) -> None:
    """Record a refused attempt; the view then answers 403 or 404."""
    user = request.user
    logger.warning(
        "permission denied: user=%s role=%s what=%s path=%s",
        user.get_username(),
        getattr(user, "role", ""),
        what,
        request.path,
    )


def deny(request: HttpRequest, what: str) -> NoReturn:
    """Log the refusal and answer 403."""
    log_denied(request, what)
    raise PermissionDenied(what)


# --- the expert review (issue 5) ----------------------------------------------------------------
# Blindness: an expert sees only their own assignments, and nobody's scores or comments but
# their own until they have submitted; after that the round setting says when the panel's
# scores become visible. Applicants never see experts' identities or drafts; after publication
# they see what the round setting lets them see. District officers see nothing of the review
# (the public list of selected units is public).


def can_manage_review(user: Any) -> bool:
    """Panels, assignments, overrides, reopening, decisions: the municipal bureau's job
    (工作方案 组织实施: 市生态环境局组织专家综合评估)."""
    return has_role(user, Role.ADMINISTRATOR)


def is_expert(user: Any) -> bool:
    return has_role(user, Role.EXPERT)


def visible_assignments(user: Any) -> QuerySet[Any]:
    from lowcarbon.web.review.models import Assignment

    assignments = Assignment.objects.select_related(
        "panel", "panel__round", "application", "application__unit", "submission", "expert"
    )
    if can_manage_review(user):
        return assignments
    if is_expert(user):
        return assignments.filter(expert_id=user.pk)
    return assignments.none()


def can_view_assignment(user: Any, assignment: Any) -> bool:
    """The assigned expert (unless they declined for a conflict) or an administrator."""
    if can_manage_review(user):
        return True
    return is_expert(user) and assignment.expert_id == user.pk and assignment.is_active


def can_score_assignment(user: Any, assignment: Any) -> bool:
    from lowcarbon.web.review.models import AssignmentStatus

    scoring = {AssignmentStatus.ASSIGNED, AssignmentStatus.SCORING, AssignmentStatus.REOPENED}
    return is_expert(user) and assignment.expert_id == user.pk and assignment.status in scoring


def can_declare_conflict(user: Any, assignment: Any) -> bool:
    """Until they submit, the assigned expert may step back for a conflict of interest."""
    return can_score_assignment(user, assignment)


def can_view_panel_scores(user: Any, panel: Any, application: Any) -> bool:
    """Other experts' scores and comments on ``application`` in ``panel``, and the discussion:
    administrators always; an expert only after submitting their own scores, and then as the
    round's setting says (after every active expert has submitted, by default)."""
    from lowcarbon.web.review.models import (
        ACTIVE_STATUSES,
        AssignmentStatus,
        PanelVisibility,
        round_settings,
    )

    if can_manage_review(user):
        return True
    if not is_expert(user):
        return False
    active = panel.assignments.filter(application=application, status__in=ACTIVE_STATUSES)
    own = active.filter(expert_id=user.pk).first()
    if own is None or own.status != AssignmentStatus.SUBMITTED:
        return False
    if round_settings(panel.round).panel_visibility == PanelVisibility.AFTER_OWN_SUBMITTED:
        return True
    return not active.exclude(status=AssignmentStatus.SUBMITTED).exists()


def can_revise_review(user: Any, assignment: Any) -> bool:
    """After a discussion was opened, an expert may revise their submitted scores (each
    revision is kept) until the decision is published."""
    from lowcarbon.web.review.models import AssignmentStatus, Decision, Discussion

    if not (is_expert(user) and assignment.expert_id == user.pk):
        return False
    if assignment.status != AssignmentStatus.SUBMITTED:
        return False
    if Decision.objects.filter(
        application_id=assignment.application_id, published_at__isnull=False
    ).exists():
        return False
    return Discussion.objects.filter(
        panel_id=assignment.panel_id, application_id=assignment.application_id
    ).exists()


def can_view_own_decision(user: Any, application: Application) -> bool:
    """The applicant unit's people see their decision once it is published."""
    from lowcarbon.web.review.models import Decision

    return (
        is_own_unit(user, application)
        and Decision.objects.filter(application=application, published_at__isnull=False).exists()
    )


# --- generated documents (issue 6) ---------------------------------------------------------------
# Whoever may see an application may see its documents and download them: a document shows
# nothing its workspace does not. Making one is narrower: the applicant unit's own people from
# the draft and from its submissions; the district officer of its district and the municipal
# administrator from its submissions only (what was submitted is what they work on).


def can_view_documents(user: Any, application: Application) -> bool:
    return can_view_application(user, application)


def can_request_document(user: Any, application: Application, submission: Any = None) -> bool:
    """``submission`` None: from the draft as it stands."""
    if is_own_unit(user, application):
        return submission is None or submission.application_id == application.pk
    if submission is None or submission.application_id != application.pk:
        return False
    return has_role(user, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR) and can_view_application(
        user, application
    )


def can_manage_document_templates(user: Any) -> bool:
    """The Word templates of the official documents are the municipal bureau's."""
    return has_role(user, Role.ADMINISTRATOR)


# --- score sheets and the site inspection (issue 5 §6–7) -----------------------------------------


def can_download_score_sheet(user: Any, assignment: Any) -> bool:
    """An expert's score sheet: the expert themself (on an assignment they did not decline)
    and the administrator, nobody else, whatever the round's visibility setting says."""
    if can_manage_review(user):
        return True
    return is_expert(user) and assignment.expert_id == user.pk and assignment.is_active


def can_download_result_sheet(user: Any) -> bool:
    """The round's result sheet (评审结果汇总表) names every expert's total: administrators."""
    return can_manage_review(user)


def can_inspect(user: Any, panel: Any, application: Any) -> bool:
    """The panel's site inspection of ``application``: its experts (an active assignment: a
    conflict declared takes them out) and the administrator. Applicants and district officers
    never see it."""
    from lowcarbon.web.review.models import ACTIVE_STATUSES

    if can_manage_review(user):
        return True
    return (
        is_expert(user)
        and panel.assignments.filter(
            application=application, expert_id=user.pk, status__in=ACTIVE_STATUSES
        ).exists()
    )


def can_record_inspection(user: Any, panel: Any, application: Any) -> bool:
    """Findings and photos are recorded until the decision on the application is published."""
    from lowcarbon.web.review.models import Decision

    return (
        can_inspect(user, panel, application)
        and not Decision.objects.filter(
            application_id=application.pk, published_at__isnull=False
        ).exists()
    )


# --- the creation stage (issue 15) ---------------------------------------------------------------
# A creation unit is seen by its own people, the officers of its district and the bureau;
# experts see nothing of it. The schedule's dates and extensions are the bureau's; the district
# and the bureau record filings and move a unit through its lifecycle, the final acceptance
# being the bureau's alone.


def _district_of(user: Any) -> int | None:
    organisation = getattr(user, "organisation", None)
    return organisation.district_id if organisation is not None else None


def visible_creation_units(user: Any) -> QuerySet[Any]:
    from lowcarbon.web.creation.models import CreationUnit

    units = CreationUnit.objects.select_related(
        "application", "application__round", "application__unit", "application__unit__district"
    )
    if has_role(user, Role.ADMINISTRATOR):
        return units
    if has_role(user, Role.APPLICANT) and user.organisation_id is not None:
        return units.filter(application__unit_id=user.organisation_id)
    district_id = _district_of(user)
    if has_role(user, Role.DISTRICT_OFFICER) and district_id is not None:
        return units.filter(application__unit__district_id=district_id)
    return units.none()


def can_view_creation_units(user: Any) -> bool:
    """The list of creation units: the unit's people (their own), district officers, the bureau."""
    return has_role(user, Role.APPLICANT, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR)


def can_view_creation_overview(user: Any) -> bool:
    """The overview of units and its workbook: a district's officers (their district's units)
    and the bureau (all)."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.DISTRICT_OFFICER) and _district_of(user) is not None


def can_view_creation_unit(user: Any, unit: Any) -> bool:
    return visible_creation_units(user).filter(pk=unit.pk).exists()


def can_manage_creation_schedule(user: Any) -> bool:
    """The batch's dates and per-unit extensions: the municipal bureau."""
    return has_role(user, Role.ADMINISTRATOR)


def _is_units_district_officer(user: Any, unit: Any) -> bool:
    district_id = _district_of(user)
    return (
        has_role(user, Role.DISTRICT_OFFICER)
        and district_id is not None
        and district_id == unit.application.unit.district_id
    )


def can_record_completion(user: Any, unit: Any) -> bool:
    """That a filing arrived: the unit's district officers and the bureau."""
    return has_role(user, Role.ADMINISTRATOR) or _is_units_district_officer(user, unit)


def can_change_unit_status(user: Any, unit: Any, target: str = "") -> bool:
    """Moving a unit through its lifecycle: its district officers and the bureau; accepting or
    failing it is the bureau's alone."""
    from lowcarbon.web.creation.lifecycle import BUREAU_ONLY

    if has_role(user, Role.ADMINISTRATOR):
        return True
    return _is_units_district_officer(user, unit) and target not in BUREAU_ONLY


def can_issue_rectification(user: Any, unit: Any) -> bool:
    """A rectification order (整改通知): the unit's district officers and the bureau."""
    return has_role(user, Role.ADMINISTRATOR) or _is_units_district_officer(user, unit)


def can_review_rectification(user: Any, order: Any) -> bool:
    """Closing or returning an order: the issuer's side (the unit's district and the bureau)."""
    return can_issue_rectification(user, order.unit)


def can_answer_rectification(user: Any, order: Any) -> bool:
    """Answering an order's items and submitting the answers: the unit's own people."""
    return is_own_unit(user, order.unit.application)


# --- the records archive (issue 15 §7) -----------------------------------------------------------
# A unit's archive is seen where the unit is (its people, its district, the bureau); the unit's
# own people keep it. Published volunteer reports are public (no account needed).


def can_view_archive(user: Any, unit: Any) -> bool:
    return can_view_creation_unit(user, unit)


def can_edit_archive(user: Any, unit: Any) -> bool:
    """Adding, changing and removing records, the volunteer team, publishing reports."""
    return is_own_unit(user, unit.application)


# --- mid-term evaluation and final acceptance (issue 16) -----------------------------------------
# The unit writes and submits its self-evaluation report; its district pre-accepts it; the unit,
# its district and the bureau see it; experts see only the frozen report they are assigned.


def can_write_self_evaluation(user: Any, unit: Any) -> bool:
    return is_own_unit(user, unit.application)


def can_view_self_evaluation(user: Any, unit: Any) -> bool:
    return can_view_creation_unit(user, unit)


def can_pre_accept(user: Any, unit: Any) -> bool:
    """The district's pre-acceptance (区级预验收) of a frozen report: its district's officers."""
    return _is_units_district_officer(user, unit)


# --- comparisons of an evaluation (issue 16 §5) ----------------------------------------------
# A unit's comparisons (application against acceptance score, planned against achieved) are
# seen where the unit is: its people, its district, the bureau. The batch side by side is the
# bureau's and the district officers' (their district's units only). Experts see none of it.


def can_view_unit_comparisons(user: Any, unit: Any) -> bool:
    return can_view_creation_unit(user, unit)


def can_view_batch_comparison(user: Any) -> bool:
    return can_view_creation_overview(user)


# --- outcomes of an evaluation and the naming (issue 16 §4) ----------------------------------
# The outcome is the municipal bureau's (工作方案: 市级验收); the unit's people and its district
# see a final decision once it is published (命名), a mid-term one once it is made.


def can_decide_acceptance(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def can_view_acceptance_decision(user: Any, decision: Any) -> bool:
    if can_decide_acceptance(user):
        return True
    if decision.stage == "final" and decision.published_at is None:
        return False
    return has_role(user, Role.APPLICANT, Role.DISTRICT_OFFICER) and can_view_creation_unit(
        user, decision.unit
    )


# --- the monthly energy and emission pages (issue 17 §4) ------------------------------------
# A unit's page is seen where the unit is: its people, its district's officers, the bureau. A
# district's page by its own officers and the bureau; the city's by the bureau. Experts see none.


def can_view_unit_figures(user: Any, unit: Any) -> bool:
    return has_role(
        user, Role.APPLICANT, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR
    ) and can_view_creation_unit(user, unit)


def can_view_district_figures(user: Any, district: Any) -> bool:
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.DISTRICT_OFFICER) and _district_of(user) == district.pk


def can_view_city_figures(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


# --- the public API (issue 18) ------------------------------------------------------------------
# A token reads as a person of its organisation (lowcarbon.web.api.scopes), so the functions
# above answer for it. Tokens are created and revoked by the bureau (any organisation) and by a
# unit's own applicant staff for their unit's gateways (lowcarbon.web.api.tokens).


def can_manage_api_tokens(user: Any) -> bool:
    """The token pages: the bureau, and applicant staff of a unit (their unit's tokens)."""
    return has_role(user, Role.ADMINISTRATOR) or (
        has_role(user, Role.APPLICANT) and user.organisation_id is not None
    )


def visible_api_tokens(user: Any) -> QuerySet[Any]:
    from lowcarbon.web.api.models import ApiToken

    tokens = ApiToken.objects.select_related("organisation", "created_by")
    if has_role(user, Role.ADMINISTRATOR):
        return tokens
    if has_role(user, Role.APPLICANT) and user.organisation_id is not None:
        return tokens.filter(organisation_id=user.organisation_id)
    return tokens.none()


# --- the meter register and file imports (issue 17 §1–2) -------------------------------------
# A unit's meters and imports are kept by its own people (applicant staff); the officers of its
# district and the bureau read them; experts see nothing.


def visible_applicant_units(user: Any) -> QuerySet[Any]:
    """The applicant units ``user`` may read as their own, their district's or the city's: the
    unit's own staff, its district's officers, the bureau (nobody else)."""
    from lowcarbon.web.organisations.models import Organisation, OrganisationKind

    units = Organisation.objects.filter(kind=OrganisationKind.APPLICANT_UNIT)
    if has_role(user, Role.ADMINISTRATOR):
        return units
    if has_role(user, Role.APPLICANT) and user.organisation_id is not None:
        return units.filter(pk=user.organisation_id)
    district_id = _district_of(user)
    if has_role(user, Role.DISTRICT_OFFICER) and district_id is not None:
        return units.filter(district_id=district_id)
    return units.none()


def visible_meter_units(user: Any) -> QuerySet[Any]:
    """The applicant units whose meter register and imports ``user`` may read."""
    return visible_applicant_units(user)


def can_view_meters(user: Any, unit: Any) -> bool:
    return visible_meter_units(user).filter(pk=unit.pk).exists()


def can_manage_meters(user: Any, unit: Any) -> bool:
    """Registering and changing meters, saving export sources, importing files: the unit's own
    applicant staff."""
    return (
        has_role(user, Role.APPLICANT)
        and user.organisation_id is not None
        and user.organisation_id == unit.pk
    )


# --- the household ledger and the low-carbon household selection (issue 17 §5) ------------------
# A resident (role resident) sees their own household's ledger and nothing else; the residents'
# committee (the community unit's applicant staff) registers its households, keeps ledgers on
# their behalf and runs the yearly selection; the officers of the unit's district and the bureau
# see aggregates only (counts, averages); experts see nothing.


def is_resident(user: Any) -> bool:
    return has_role(user, Role.RESIDENT)


def can_manage_households(user: Any, unit: Any) -> bool:
    """Registering households, their accounts, the committee's view of completeness: the
    community's own applicant staff (its residents' committee)."""
    return (
        has_role(user, Role.APPLICANT)
        and user.organisation_id is not None
        and user.organisation_id == unit.pk
    )


def can_view_household(user: Any, household: Any) -> bool:
    """A household's ledger: its own resident and its community's committee."""
    if is_resident(user):
        return bool(household.resident_id == user.pk)
    return can_manage_households(user, household.unit)


def can_record_ledger(user: Any, household: Any) -> bool:
    return can_view_household(user, household)


def can_run_household_selection(user: Any, unit: Any) -> bool:
    return can_manage_households(user, unit)


def visible_household_aggregate_units(user: Any) -> QuerySet[Any]:
    """The communities whose household aggregates ``user`` may read: the bureau all, a
    district's officers their district's, a committee its own."""
    return visible_applicant_units(user)


def can_view_household_aggregates(user: Any) -> bool:
    """The overview of communities' household counts and averages: officers and the bureau."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.DISTRICT_OFFICER) and _district_of(user) is not None


# --- corrections of stored meter readings (issue 17 §2) ----------------------------------------
# A unit's own staff and the bureau correct its stored readings (audited, with a reason); the
# officers of its district read the corrections like the rest of the register.


def can_correct_readings(user: Any, unit: Any) -> bool:
    """Correcting stored intervals of ``unit``'s meters: its own applicant staff, the bureau."""
    return can_manage_meters(user, unit) or (
        has_role(user, Role.ADMINISTRATOR) and can_view_meters(user, unit)
    )
