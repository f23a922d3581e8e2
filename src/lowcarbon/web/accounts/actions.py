"""Creating accounts: validated password, one transaction, one audit event."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.organisations.models import Organisation

__all__ = ["do_create_user"]


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
