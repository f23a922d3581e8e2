"""The demo's household ledger (家庭能耗台账) and low-carbon household selection (附件4 第7项) for
the 2024 batch's community in creation: twelve households registered by the residents'
committee, 24 months of bills (2024 and 2025) that differ from household to household (some
save, some use more, one ledger has gaps, one household moved in in 2025), a resident account
for one household, and the 2025 selection run and published into the unit's archive. All made
through the real actions, as the committee and the resident make them.

Then the ledger from meters: the committee links the register's one meter of a single household
(0801, the real UCI household of the monitoring demo, December 2025 to November 2026) to the
resident's household and feeds the ledgers. January to October 2026 become metered months
(electricity only: no meter measures the flat's gas or water, so those stay unrecorded, not 0);
December 2025 is already recorded from a bill, which is kept with the meter's figure beside it;
November 2026 is left out as incomplete (the real data ends on the 26th). The building and
community totals (0101–0103, 0601, 0701) measure many flats and are linked to none; new
per-flat meters would be counted twice on the community's monitoring pages beside those
totals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.households.actions import (
    MonthInput,
    do_link_resident_account,
    do_record_month,
    do_register_household,
)
from lowcarbon.web.households.meters import do_feed_from_meters, do_link_meter
from lowcarbon.web.households.models import Household, LedgerSource
from lowcarbon.web.households.selection import do_publish_selection, do_run_selection
from lowcarbon.web.monitoring.models import Meter
from lowcarbon.web.organisations.models import Organisation

__all__ = ["RESIDENT_USERNAME", "load_households"]

RESIDENT_USERNAME = "demo-resident"

# address, members, monthly kWh in 2024, change in 2025 (%), m³ of gas a month, months of 2025
# recorded (from January), whether 2024 was recorded.
HOUSEHOLDS = (
    ("3号楼 1单元 201", 3, 260, -12, 18, 12, True),  # the demo resident's: saves, selected
    ("3号楼 1单元 202", 2, 210, -8, 14, 12, True),
    ("3号楼 2单元 301", 4, 380, -5, 26, 12, True),
    ("3号楼 2单元 302", 1, 150, 6, 9, 12, True),
    ("5号楼 1单元 101", 2, 320, -15, 22, 12, True),
    ("5号楼 1单元 402", 3, 300, 3, 20, 12, True),
    ("5号楼 2单元 601", 5, 450, -10, 30, 12, True),
    ("5号楼 2单元 602", 2, 180, -4, 12, 9, True),  # three bills missing in 2025
    ("7号楼 1单元 101", 1, 120, -6, 8, 12, True),
    ("7号楼 1单元 502", 4, 420, 2, 28, 12, True),
    ("7号楼 2单元 301", 3, 240, -3, 16, 12, True),
    ("7号楼 2单元 702", 2, 230, 0, 15, 12, False),  # moved in at the start of 2025
)
# Shanghai's household use over the year: air conditioning in summer, heating in winter.
SEASON = (1.25, 1.15, 0.95, 0.85, 0.9, 1.05, 1.35, 1.4, 1.05, 0.85, 0.9, 1.1)
GAS_SEASON = (1.4, 1.3, 1.1, 0.95, 0.85, 0.75, 0.7, 0.7, 0.8, 0.95, 1.1, 1.3)


def _figure(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def load_households(
    unit: Organisation,
    committee: User,
    account: Callable[[str, str, Organisation | None, User | None], User],
) -> None:
    """``account`` makes a demo account (its password printed with the others)."""
    resident = account(RESIDENT_USERNAME, Role.RESIDENT, unit, committee)
    for index, (label, members, kwh, change, gas, months_2025, had_2024) in enumerate(HOUSEHOLDS):
        household = do_register_household(unit, label=label, members=members, actor=committee)
        if index == 0:
            household = do_link_resident_account(household, resident, actor=committee)
        keeper = resident if index == 0 else committee
        source = LedgerSource.BILL if index == 0 else LedgerSource.COMMITTEE
        for year, factor, recorded in (
            (2024, 1.0, 12 if had_2024 else 0),
            (2025, 1 + change / 100, months_2025),
        ):
            for number in range(1, recorded + 1):
                do_record_month(
                    household,
                    MonthInput(
                        date(year, number, 1),
                        _figure(kwh * SEASON[number - 1] * factor),
                        _figure(gas * GAS_SEASON[number - 1] * factor),
                        _figure(members * 3.2 * factor),
                        source,
                    ),
                    actor=keeper,
                )
    selection = do_run_selection(unit, 2025, actor=committee)
    do_publish_selection(selection, expected_version=selection.version, actor=committee)
    load_household_meters(unit, committee)


#: The register's one meter of a single household: the real household's (UCI, 2025-12 to
#: 2026-11 in the monitoring demo), the resident's electricity meter.
REAL_HOUSEHOLD_METER = "0801"


def load_household_meters(unit: Organisation, committee: User) -> None:
    """The committee links the register's real household meter to the resident's household
    and feeds the ledgers from the meters."""
    own = Household.objects.get(unit=unit, label=HOUSEHOLDS[0][0])
    real = Meter.objects.get(unit=unit, number=REAL_HOUSEHOLD_METER)
    do_link_meter(own, real, actor=committee)
    do_feed_from_meters(unit, actor=committee)
