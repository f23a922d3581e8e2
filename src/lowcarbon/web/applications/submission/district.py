"""A district officer's list of submissions."""

from __future__ import annotations

from typing import Any

from lowcarbon.web import permissions
from lowcarbon.web.applications.models import Submission
from lowcarbon.web.rounds.models import Stage


def district_submissions(user: Any) -> Any:
    """Every submission of the officer's district, the latest first."""
    if not permissions.can_view_district_queue(user):
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            application__unit__district_id=user.organisation.district_id, stage=Stage.SELECTION
        )
        .select_related("application", "application__unit", "application__round", "submitted_by")
        .order_by("-submitted_at")
    )
