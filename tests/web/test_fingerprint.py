"""The database fingerprint the forms' fuzz compares before and after each request: it must
see a new row and a moved version counter, and nothing else."""

from __future__ import annotations

import pytest

from lowcarbon.web.accounts.models import User
from lowcarbon.web.organisations.actions import do_create_organisation
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Round

from .fingerprint import database_fingerprint

pytestmark = pytest.mark.django_db


def _changed(before: dict[str, object], after: dict[str, object]) -> set[str]:
    return {
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    }


def test_it_sees_a_new_row_and_a_moved_column(
    admin_user: User, xuhui: Organisation, open_round: Round
) -> None:
    first = database_fingerprint()
    assert database_fingerprint() == first  # reading changes nothing
    assert dict(first["rounds.Round"])["rows"] == 1
    do_create_organisation(
        kind=OrganisationKind.APPLICANT_UNIT,
        name="康健街道",
        parent=xuhui,
        district=xuhui.district,
        actor=admin_user,
    )
    second = database_fingerprint()
    assert {"organisations.Organisation", "audit.AuditEvent"} <= _changed(first, second)
    Round.objects.filter(pk=open_round.pk).update(status="zzz-moved")
    third = database_fingerprint()
    assert _changed(second, third) == {"rounds.Round"}
    assert dict(third["rounds.Round"])["max_status"] == "zzz-moved"
