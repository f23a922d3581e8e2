"""Creating accounts: validated password, one transaction, one audit event. Signing in: every
sign-in, counted failure and lockout is an audit event too (``accounts.sign_in`` calls these)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "SIGNED_IN",
    "SIGN_IN_FAILED",
    "SIGN_IN_LOCKED_OUT",
    "do_create_user",
    "do_record_lockout",
    "do_record_sign_in",
    "do_record_sign_in_failure",
]

SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_LOCKED_OUT = "sign_in_locked_out"


def do_create_user(
    *,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None,
    actor: User | None,
    full_name: str = "",
) -> User:
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Unknown role '{role}'.").format(role=role)]
    if not username.strip():
        errors["username"] = [_("The user name must not be empty.")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("The user name '{name}' is taken.").format(name=username)]
    if role in (Role.APPLICANT, Role.DISTRICT_OFFICER) and organisation is None:
        errors["organisation"] = [_("Applicants and district officers need an organisation.")]
    user = User(username=username, role=role, organisation=organisation, first_name=full_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.set_password(password)
        user.is_staff = role == Role.ADMINISTRATOR
        user.save()
        record_event(
            actor=actor,
            action="user_created",
            target=user,
            after=snapshot(user, ["username", "role", "organisation_id", "is_staff"]),
        )
    return user


def do_record_sign_in(user: User, *, path: str) -> None:
    with transaction.atomic():
        record_event(actor=user, action=SIGNED_IN, target=user, after={"path": path})


def _sign_in_target(username: str, ip_address: str | None, user_agent: str) -> Any:
    """The account the name belongs to; for a name of no account, the failure count kept for
    it (the audit row then names the count's row, and its ``after`` the name typed)."""
    account = User.objects.filter(username__iexact=username).first()
    if account is not None:
        return account
    return AccessAttempt.objects.filter(
        username=username, ip_address=ip_address, user_agent=user_agent
    ).first()


def _record_sign_in_problem(
    action: str, username: str, ip_address: str | None, user_agent: str, after: dict[str, Any]
) -> None:
    with transaction.atomic():
        target = _sign_in_target(username, ip_address, user_agent)
        if target is None:  # nothing was counted (an address on the axes allow-list)
            return
        record_event(actor=None, action=action, target=target, after={"username": username} | after)


def do_record_sign_in_failure(
    *,
    username: str,
    ip_address: str | None,
    user_agent: str,
    path: str,
    account_failures: int,
    address_failures: int,
) -> None:
    _record_sign_in_problem(
        SIGN_IN_FAILED,
        username,
        ip_address,
        user_agent,
        {
            "path": path,
            "account_failures": account_failures,
            "address_failures": address_failures,
        },
    )


def do_record_lockout(
    *,
    username: str,
    ip_address: str | None,
    user_agent: str,
    path: str,
    by: str,
    account_failures: int,
    address_failures: int,
) -> None:
    _record_sign_in_problem(
        SIGN_IN_LOCKED_OUT,
        username,
        ip_address,
        user_agent,
        {
            "path": path,
            "locked": by,
            "account_failures": account_failures,
            "address_failures": address_failures,
        },
    )
