"""Creating and revoking API tokens: audited actions. The bureau creates tokens for any
organisation with the scopes its kind may hold (:data:`.scopes.HOLDERS`); a unit's applicant staff
create tokens of their own unit with read-unit and write-readings only (its gateways). The whole
token is returned once, by :func:`do_create_token`; only its prefix and hash are kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.organisations.models import Organisation

from .auth import new_token
from .models import ApiToken
from .scopes import HOLDERS, UNIT_STAFF_SCOPES, Scope

if TYPE_CHECKING:
    from lowcarbon.web.accounts.models import User

__all__ = ["MAX_DAYS", "do_create_token", "do_revoke_token"]

#: A token lives at most this long (a year); the form offers 90 days.
MAX_DAYS = 366
FIELDS = ["name", "organisation_id", "scopes", "prefix", "expires_at"]


def do_create_token(
    *,
    name: str,
    organisation: Organisation,
    scopes: list[str],
    days: int,
    actor: User,
    now: datetime,
) -> tuple[ApiToken, str]:
    """A new token and its whole secret (shown once). Refused with the field and the reason."""
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the gateway it is for.")]
    elif len(name) > 100:
        errors["name"] = [
            _("The name has {found} characters; at most 100.").format(found=len(name))
        ]
    if not permissions.can_manage_api_tokens(actor):
        errors["__all__"] = [_("Only the bureau and a unit's own staff create API tokens.")]
    elif actor.role == Role.APPLICANT and organisation.pk != actor.organisation_id:
        errors["organisation"] = [_("A unit's staff create tokens of their own unit only.")]
    values = [scope.value for scope in Scope]
    unknown = [s for s in scopes if s not in values]
    if not scopes:
        errors["scopes"] = [_("Choose at least one scope.")]
    elif unknown:
        errors["scopes"] = [
            _("Unknown scope “{found}”; expected one of {expected}.").format(
                found=unknown[0], expected=", ".join(values)
            )
        ]
    else:
        for scope in scopes:
            if organisation.kind not in HOLDERS[Scope(scope)]:
                errors.setdefault("scopes", []).append(
                    _("The scope {scope} is not for a {kind}.").format(
                        scope=scope, kind=organisation.get_kind_display()
                    )
                )
            elif actor.role == Role.APPLICANT and scope not in UNIT_STAFF_SCOPES:
                errors.setdefault("scopes", []).append(
                    _(
                        "A unit's staff may give only read-unit and write-readings, not {scope}."
                    ).format(scope=scope)
                )
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [
            _("Valid for {found} days; between 1 and {most} days is expected.").format(
                found=days, most=MAX_DAYS
            )
        ]
    if errors:
        raise ValidationError(errors)
    secret, prefix, digest = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            organisation=organisation,
            scopes=sorted(set(scopes)),
            prefix=prefix,
            secret_hash=digest,
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        record_event(
            actor=actor, action="api_token_created", target=token, after=snapshot(token, FIELDS)
        )
    return token, secret


def do_revoke_token(token: ApiToken, *, reason: str, actor: User, now: datetime) -> ApiToken:
    """Revoke ``token`` from now on (its requests are refused with 401), with a reason."""
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if not permissions.visible_api_tokens(actor).filter(pk=token.pk).exists():
        errors["__all__"] = [_("You may not revoke this token.")]
    if not reason:
        errors["reason"] = [_("Give the reason for revoking the token.")]
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            errors["__all__"] = [_("The token was already revoked.")]
        if errors:
            raise ValidationError(errors)
        locked.revoked_at = now
        locked.revoked_by = actor
        locked.revoke_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record_event(
            actor=actor,
            action="api_token_revoked",
            target=locked,
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat(), "prefix": locked.prefix},
            reason=reason,
        )
    return locked
