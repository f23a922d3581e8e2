"""Every change to organisations goes through these actions (one transaction, one audit event)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.organisations.models import District, Organisation, OrganisationKind

if TYPE_CHECKING:
    from lowcarbon.web.accounts.models import User

__all__ = ["do_create_organisation"]


def do_create_organisation(
    *,
    kind: str,
    name: str,
    parent: Organisation | None,
    district: District | None,
    actor: User | None,
) -> Organisation:
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("Unknown organisation kind '{kind}'.").format(kind=kind)]
    if not name:
        errors["name"] = [_("The name must not be empty.")]
    elif Organisation.objects.filter(kind=kind, name=name).exists():
        errors["name"] = [_("An organisation named '{name}' already exists.").format(name=name)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            kind=kind, name=name, parent=parent, district=district
        )
        record_event(
            actor=actor,
            action="organisation_created",
            target=organisation,
            after=snapshot(organisation, ["kind", "name", "parent_id", "district_id"]),
        )
    return organisation
