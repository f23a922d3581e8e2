"""The scopes a token may carry, which organisation may hold each, and whom a token reads as.

A token reads as a person of its organisation would in the web, so every permission function of
:mod:`lowcarbon.web.permissions` answers for it unchanged (nothing the web hides is reachable):

============== ======================= ==============================================
scope          organisation            reads as
============== ======================= ==============================================
read-public    any                     nobody signed in: the published lists only
read-unit      an applicant unit       that unit's own staff (role applicant)
read-district  a district bureau       that district's officers (role district_officer)
read-city      the municipal bureau    the bureau (role administrator), for reading
write-readings an applicant unit       pushes reading batches to that unit only
============== ======================= ==============================================
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.organisations.models import Organisation, OrganisationKind

__all__ = [
    "HOLDERS",
    "READ_ORDER",
    "UNIT_STAFF_SCOPES",
    "Scope",
    "viewer_of",
]


class Scope(StrEnum):
    READ_PUBLIC = "read-public"
    READ_UNIT = "read-unit"
    READ_DISTRICT = "read-district"
    READ_CITY = "read-city"
    WRITE_READINGS = "write-readings"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    Scope.READ_PUBLIC: _("read published lists"),
    Scope.READ_UNIT: _("read the unit's own data"),
    Scope.READ_DISTRICT: _("read the district's units"),
    Scope.READ_CITY: _("read every unit of the city"),
    Scope.WRITE_READINGS: _("push meter readings (gateway)"),
}

#: The organisation kinds that may hold each scope.
HOLDERS: dict[Scope, frozenset[str]] = {
    Scope.READ_PUBLIC: frozenset(OrganisationKind.values),
    Scope.READ_UNIT: frozenset({OrganisationKind.APPLICANT_UNIT}),
    Scope.READ_DISTRICT: frozenset({OrganisationKind.DISTRICT_BUREAU}),
    Scope.READ_CITY: frozenset({OrganisationKind.MUNICIPAL_BUREAU}),
    Scope.WRITE_READINGS: frozenset({OrganisationKind.APPLICANT_UNIT}),
}

#: What a unit's own staff may give their gateways.
UNIT_STAFF_SCOPES = frozenset({Scope.READ_UNIT, Scope.WRITE_READINGS})

#: The broadest read scope decides whom a token reads as.
READ_ORDER = (
    (Scope.READ_CITY, Role.ADMINISTRATOR),
    (Scope.READ_DISTRICT, Role.DISTRICT_OFFICER),
    (Scope.READ_UNIT, Role.APPLICANT),
)


def viewer_of(scopes: list[str], organisation: Organisation, label: str) -> Any:
    """Whom a token with ``scopes`` of ``organisation`` reads as: an unsaved user of that role
    and organisation, never stored and never able to sign in, or nobody (the public)."""
    for scope, role in READ_ORDER:
        if scope in scopes:
            return User(
                username=label, role=role, organisation=organisation, is_active=True, pk=None
            )
    return AnonymousUser()
