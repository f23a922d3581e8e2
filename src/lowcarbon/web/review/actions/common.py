"""What every review action shares: the limits of typed text and the recommended submission."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lowcarbon.web.applications.models import (
    Application,
    DistrictDecision,
    Submission,
)
from lowcarbon.web.review.models import Decision
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "NAME_LIMIT",
    "TEXT_LIMIT",
    "is_published",
    "recommended_submission",
    "text_errors",
]


TEXT_LIMIT = 5000
NAME_LIMIT = 200


def text_errors(name: str, text: str, errors: dict[str, list[str]], *, required: str) -> str:
    text = (text or "").strip()
    if not text:
        errors[name] = [required]
    elif len(text) > TEXT_LIMIT:
        errors[name] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(text)
            )
        ]
    return text


def recommended_submission(
    application: Application, stage: str = Stage.SELECTION
) -> Submission | None:
    """The submission the district recommended: what the experts score (工作方案: 各区推荐);
    for a mid-term evaluation or a final acceptance, the unit's self-evaluation report the
    district passed on to the city (社区: 区级预验收)."""
    return (
        application.submissions.filter(
            stage=stage,
            district_decision=DistrictDecision.RECOMMENDED,
            withdrawn_at__isnull=True,
        )
        .order_by("-number")
        .first()
    )


def is_published(application_id: int) -> bool:
    return Decision.objects.filter(
        application_id=application_id, published_at__isnull=False
    ).exists()
