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
