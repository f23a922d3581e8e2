"""Households and ledgers made as the residents' committee and the residents make them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lowcarbon.web.accounts.models import User
from lowcarbon.web.households.actions import (
    MonthInput,
    do_record_month,
    do_register_household,
)
from lowcarbon.web.households.models import Household, LedgerMonth


def household(committee: User, label: str, members: int = 2) -> Household:
    assert committee.organisation is not None
    return do_register_household(
        committee.organisation, label=label, members=members, actor=committee
    )


def month(
    who: User,
    found: Household,
    year: int,
    number: int,
    kwh: str = "200",
    gas: str = "20",
    water: str = "8",
    source: str = "bill",
) -> LedgerMonth:
    return do_record_month(
        found,
        MonthInput(date(year, number, 1), Decimal(kwh), Decimal(gas), Decimal(water), source),
        actor=who,
    )


def year_of(
    who: User, found: Household, year: int, kwh: str, gas: str = "10", months: int = 12
) -> None:
    for number in range(1, months + 1):
        month(who, found, year, number, kwh=kwh, gas=gas)


#: The household of the permission matrix's resident, and its neighbour without an account.
MATRIX_HOUSEHOLD = "12号楼 3单元 502"
MATRIX_NEIGHBOUR = "12号楼 3单元 501"


def matrix_households(committee: User) -> User:
    """田林十二村社区's households for the table of every URL: the resident's (with March 2025
    recorded), a neighbour's, and the 2025 selection run (not published); the resident."""
    from lowcarbon.web.households.actions import do_create_resident_account
    from lowcarbon.web.households.selection import do_run_selection

    own = household(committee, MATRIX_HOUSEHOLD, members=3)
    neighbour = household(committee, MATRIX_NEIGHBOUR, members=2)
    resident, _password = do_create_resident_account(own, username="resident", actor=committee)
    month(resident, own, 2025, 3)
    month(committee, neighbour, 2025, 3)
    assert committee.organisation is not None
    do_run_selection(committee.organisation, 2025, actor=committee)
    return resident


def matrix_household(label: str) -> Household:
    return Household.objects.get(label=label)


# The kwargs of the permission matrix's rows (tests/web/test_permission_matrix.py).


def own_household(world: object) -> dict[str, int]:
    return {"pk": matrix_household(MATRIX_HOUSEHOLD).pk}


def neighbour_household(world: object) -> dict[str, int]:
    return {"pk": matrix_household(MATRIX_NEIGHBOUR).pk}


def own_month(world: object) -> dict[str, int]:
    found = matrix_household(MATRIX_HOUSEHOLD)
    return {"pk": found.pk, "month_pk": found.months.get().pk}


def committee_unit(world: object) -> dict[str, int]:
    return {"pk": matrix_household(MATRIX_HOUSEHOLD).unit_id}


def committee_selection(world: object) -> dict[str, int]:
    return committee_unit(world) | {"year": 2025}
