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
from lowcarbon.web.rounds.models import Round, RoundStatus

__all__ = [
    "can_manage_rounds",
    "can_view_round",
    "deny",
    "has_role",
    "log_denied",
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
