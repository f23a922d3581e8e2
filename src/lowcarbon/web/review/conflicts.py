"""Conflicts of interest between an expert and an application (issue 5 §1: "same district as
the applicant, same organisation, declared involvement in the plan").

Detection is deliberately plain and explainable: each conflict found is a sentence saying which
affiliation matched which fact of the application, so the administrator can judge an override.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.review.models import ConflictDeclaration, ConflictSource, ExpertProfile

__all__ = ["detect_conflicts", "plan_texts"]


def plan_texts(value: Any) -> Iterator[str]:
    """Every piece of text in a snapshot's plan contents (nested tables and lists included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from plan_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from plan_texts(item)


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


def detect_conflicts(expert: Any, application: Application, submission: Submission) -> list[str]:
    """Why ``expert`` may not score ``application``: one sentence per conflict found."""
    found: list[str] = []
    unit = application.unit
    profile = ExpertProfile.objects.filter(user=expert).first()
    district = unit.district
    if profile is not None and district is not None and profile.districts.filter(pk=district.pk):
        found.append(
            _("The expert is affiliated with {district}, the applicant unit's district.").format(
                district=district.name
            )
        )
    # The unit itself and the street or town above it count as the same organisation.
    organisations = [unit] + ([unit.parent] if unit.parent is not None else [])
    names = {_norm(o.name): o.name for o in organisations}
    own = []
    if profile is not None and profile.organisation_name.strip():
        own.append(profile.organisation_name.strip())
    if getattr(expert, "organisation", None) is not None:
        own.append(expert.organisation.name)
    for name in own:
        if _norm(name) in names:
            found.append(
                _(
                    "The expert's organisation “{organisation}” is the applicant or above it."
                ).format(organisation=name)
            )
            break
    consultancies = [
        str(c).strip() for c in (profile.consultancies if profile else []) if str(c).strip()
    ]
    if consultancies:
        texts = [_norm(text) for text in plan_texts(frozen_snapshot(submission).sections)]
        for consultancy in consultancies:
            key = _norm(consultancy)
            if key in names or any(key in text for text in texts):
                found.append(
                    _(
                        "The expert works for the consultancy “{consultancy}”, "
                        "which the plan names."
                    ).format(consultancy=consultancy)
                )
    declared = ConflictDeclaration.objects.filter(
        expert=expert, application=application, source=ConflictSource.DECLARED
    ).first()
    if declared is not None:
        found.append(
            _("The expert declared a conflict with this application: {reason}").format(
                reason=declared.reason
            )
        )
    return found
