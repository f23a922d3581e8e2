"""A household's ledger fed from its meters (issue 17 §5): the committee links meters of its own
register (refusals name the meter), the feed takes exactly the kWh and m³ the readings written
here add up to, a second run changes nothing, a bill is never overwritten (the committee may
take the meters' figures instead), an incomplete month is left out with its reason, corrected
meter data changes a metered month with a version bump, and a resident sees their own metered
months and no one else's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.households.actions import do_create_resident_account
from lowcarbon.web.households.figures import month_figures
from lowcarbon.web.households.meters import (
    do_feed_from_meters,
    do_link_meter,
    do_take_metered_month,
    do_unlink_meter,
)
from lowcarbon.web.households.models import (
    Household,
    HouseholdMeter,
    LedgerMonth,
    LedgerSource,
    MeteredMonth,
    MeteredStatus,
)
from lowcarbon.web.monitoring.actions import SourceInput, do_import_file
from lowcarbon.web.monitoring.models import Meter
from lowcarbon.web.organisations.models import Organisation

from ..monitoring.support import make_meter, write_export
from ..review_support import make_unit, signed_in
from .support import household, month

pytestmark = pytest.mark.django_db

MARCH = datetime(2026, 3, 1)
APRIL = datetime(2026, 4, 1)
HOUR = timedelta(hours=1)
MARCH_HOURS = 31 * 24
APRIL_HOURS = 30 * 24


@pytest.fixture(autouse=True)
def _own_store(settings: Any, tmp_path: Path) -> None:
    settings.LOWCARBON_MONITORING_DIR = tmp_path / "monitoring"


@pytest.fixture
def committee(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def unit(committee: User) -> Organisation:
    assert committee.organisation is not None
    return committee.organisation


@pytest.fixture
def home(committee: User) -> Household:
    return household(committee, "12号楼 3单元 502", members=3)


@pytest.fixture
def neighbour(committee: User) -> Household:
    return household(committee, "12号楼 3单元 501", members=2)


@pytest.fixture
def resident(committee: User, home: Household) -> User:
    user, _password = do_create_resident_account(home, username="resident502", actor=committee)
    return user


def household_meter(unit: Organisation, committee: User, number: str, **changes: Any) -> Meter:
    values: dict[str, Any] = {
        "name": f"住户表 {number}",
        "use": "household",
        "interval_minutes": 60,
        "max_rate": Decimal(20),
    }
    return make_meter(unit, committee, number, **(values | changes))


def electricity_value(k: int) -> str:
    """The kWh of hour ``k``: 0.1 to 0.5 kWh, varying, written with one decimal."""
    return f"0.{k % 5 + 1}"


def gas_value(k: int) -> str:
    return "0.05" if k % 2 else "0.15"


def import_hours(
    unit: Organisation,
    committee: User,
    tmp_path: Path,
    number: str,
    start: datetime,
    hours: range,
    value: Any,
) -> Decimal:
    """Hourly readings of one meter for the hours ``hours`` after ``start``, imported as a
    utility's export; their sum, added up here from the very strings written."""
    rows = [[(start + k * HOUR).strftime("%Y-%m-%d %H:%M"), number, value(k)] for k in hours]
    name = f"{number}-{start:%Y%m}-{hours.start}.csv"
    path = write_export(tmp_path / name, rows, header=("抄表时间", "表号", "读数"))
    do_import_file(
        unit,
        path,
        file_name=name,
        mapping=SourceInput("", "抄表时间", "读数", "表号"),
        actor=committee,
    )
    return sum((Decimal(row[2]) for row in rows), Decimal(0))


# --- linking -------------------------------------------------------------------------------------


def test_linking_rules_and_refusals(
    committee: User,
    unit: Organisation,
    home: Household,
    neighbour: Household,
    resident: User,
    admin_user: User,
) -> None:
    meter = household_meter(unit, committee, "H-01")
    link = do_link_meter(home, meter, actor=committee)
    event = AuditEvent.objects.get(action="household_meter_linked")
    assert event.after == {"meter": "H-01", "carrier": "electricity", "since": None}
    with pytest.raises(ValidationError) as refused:
        do_link_meter(neighbour, meter, actor=committee)
    assert "H-01" in refused.value.messages[0]
    assert home.label in refused.value.messages[0]
    lighting = make_meter(unit, committee, "L-01")  # public lighting
    with pytest.raises(ValidationError) as refused:
        do_link_meter(home, lighting, actor=committee)
    assert "L-01" in refused.value.messages[0]
    assert "公共照明" in refused.value.messages[0]
    heat = household_meter(unit, committee, "R-01", carrier="heat", reading_unit="GJ")
    with pytest.raises(ValidationError) as refused:
        do_link_meter(home, heat, actor=committee)
    assert "R-01" in refused.value.messages[0]
    other_unit, other_staff, _officer = make_unit(admin_user, "黄浦区", "外滩社区")
    foreign = household_meter(other_unit, other_staff, "H-09")
    with pytest.raises(ValidationError) as refused:
        do_link_meter(home, foreign, actor=committee)
    assert "H-09" in refused.value.messages[0]
    spare = household_meter(unit, committee, "H-02")
    for stranger in (resident, other_staff, admin_user):  # a resident never links meters
        with pytest.raises(ValidationError):
            do_link_meter(home, spare, actor=stranger)
    with pytest.raises(ValidationError) as refused:
        do_link_meter(home, spare, since=date(2099, 1, 1), actor=committee)
    assert "2099-01" in refused.value.message_dict["since"][0]
    # Unlinked, the link stays as history and the meter may measure another household.
    do_unlink_meter(link, actor=committee, now=datetime(2026, 6, 15, 10, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError):
        do_unlink_meter(link, actor=committee)
    do_link_meter(neighbour, meter, actor=committee)
    assert HouseholdMeter.objects.filter(meter=meter).count() == 2
    moved = HouseholdMeter.objects.get(meter=meter, unlinked_at__isnull=True)
    assert moved.household == neighbour
    assert moved.since == date(2026, 6, 1)  # no month fed to both households
    assert AuditEvent.objects.filter(action="household_meter_unlinked").count() == 1


# --- the feed ------------------------------------------------------------------------------------


def test_the_feed_takes_exactly_the_metered_kwh_and_a_second_run_writes_nothing(
    committee: User, unit: Organisation, home: Household, tmp_path: Path
) -> None:
    electricity = household_meter(unit, committee, "H-01")
    gas = household_meter(
        unit, committee, "G-01", carrier="gas", reading_unit="m3", max_rate=Decimal(5)
    )
    do_link_meter(home, electricity, actor=committee)
    do_link_meter(home, gas, actor=committee)
    kwh = import_hours(
        unit, committee, tmp_path, "H-01", MARCH, range(MARCH_HOURS), electricity_value
    )
    m3 = import_hours(unit, committee, tmp_path, "G-01", MARCH, range(MARCH_HOURS), gas_value)
    assert kwh == Decimal("223.0")
    assert m3 == Decimal("74.4")
    report = do_feed_from_meters(unit, actor=None)
    assert report.added == [f"{home.label} 2026-03"]
    assert not report.skipped
    entry = LedgerMonth.objects.get(household=home)
    assert (entry.month, entry.source, entry.recorded_by) == (date(2026, 3, 1), "meter", None)
    assert (entry.electricity_kwh, entry.gas_m3, entry.water_m3) == (kwh, m3, None)
    assert month_figures(entry, "shanghai-2022").total_kg is not None
    metered = {row.carrier: row for row in MeteredMonth.objects.filter(household=home)}
    assert {c: (r.amount, r.completeness, r.status) for c, r in metered.items()} == {
        "electricity": (kwh, Decimal(1), MeteredStatus.TAKEN),
        "gas": (m3, Decimal(1), MeteredStatus.TAKEN),
    }
    assert AuditEvent.objects.filter(action="ledger_month_metered").count() == 1
    events = AuditEvent.objects.count()
    again = do_feed_from_meters(unit, actor=committee)
    assert (again.added, again.changed, again.kept) == ([], [], 2)
    assert AuditEvent.objects.count() == events  # nothing written, nothing audited
    entry.refresh_from_db()
    assert entry.version == 1


def test_corrected_meter_data_changes_a_metered_month_with_its_reason(
    committee: User, unit: Organisation, home: Household, tmp_path: Path
) -> None:
    meter = household_meter(unit, committee, "H-01")
    do_link_meter(home, meter, actor=committee)
    # March without its last day: 720 of 744 hours, 96.8 % complete, taken.
    first = import_hours(unit, committee, tmp_path, "H-01", MARCH, range(720), electricity_value)
    do_feed_from_meters(unit, actor=committee)
    entry = LedgerMonth.objects.get(household=home)
    assert entry.electricity_kwh == first
    assert entry.recorded_by == committee
    assert MeteredMonth.objects.get(household=home).completeness == Decimal("0.9677")
    # The missing day arrives later: the metered month follows, audited with the reason.
    rest = import_hours(
        unit, committee, tmp_path, "H-01", MARCH, range(720, MARCH_HOURS), electricity_value
    )
    report = do_feed_from_meters(unit, actor=None)
    assert report.changed == [f"{home.label} 2026-03"]
    entry.refresh_from_db()
    assert (entry.electricity_kwh, entry.version) == (first + rest, 2)
    event = AuditEvent.objects.get(action="ledger_month_changed")
    assert event.reason == "计量数据已变更"
    assert Decimal(event.before["electricity_kwh"]) == first
    assert Decimal(event.after["electricity_kwh"]) == first + rest


def test_a_bill_is_kept_and_the_committee_may_take_the_meters_figures(
    committee: User,
    unit: Organisation,
    home: Household,
    resident: User,
    tmp_path: Path,
) -> None:
    bill = month(resident, home, 2026, 3, kwh="200", gas="20", water="8")
    meter = household_meter(unit, committee, "H-01")
    do_link_meter(home, meter, actor=committee)
    kwh = import_hours(
        unit, committee, tmp_path, "H-01", MARCH, range(MARCH_HOURS), electricity_value
    )
    report = do_feed_from_meters(unit, actor=None)
    assert report.bills_kept == [f"{home.label} 2026-03"]
    assert not report.changed
    bill.refresh_from_db()
    assert (bill.source, bill.electricity_kwh, bill.version) == ("bill", Decimal(200), 1)
    assert MeteredMonth.objects.get(household=home).status == MeteredStatus.BILL_KEPT
    page = signed_in(committee).get(reverse("households:household", args=[home.pk]))
    text = page.content.decode()
    assert "223.00 kWh" in text
    assert "台账保留已记录的数" in text
    assert reverse("households:month_take_metered", args=[home.pk, bill.pk]) in text
    # The resident sees both figures but does not choose.
    url = reverse("households:month_take_metered", args=[home.pk, bill.pk])
    assert signed_in(resident).post(url, {"version": "1"}).status_code == 403
    with pytest.raises(ValidationError):
        do_take_metered_month(bill, expected_version=1, actor=resident)
    assert signed_in(committee).post(url, {"version": "7"}).status_code == 302  # stale
    bill.refresh_from_db()
    assert bill.source == "bill"
    assert signed_in(committee).post(url, {"version": "1"}).status_code == 302
    bill.refresh_from_db()
    assert (bill.source, bill.electricity_kwh, bill.gas_m3, bill.version) == (
        "meter",
        kwh,
        Decimal(20),  # gas is not metered: the bill's figure stays
        2,
    )
    assert MeteredMonth.objects.get(household=home).status == MeteredStatus.TAKEN
    event = AuditEvent.objects.get(action="ledger_month_changed")
    assert event.reason == "改用计量表读数代替账单数"


def test_an_incomplete_month_is_left_out_with_its_reason(
    committee: User, unit: Organisation, home: Household, resident: User, tmp_path: Path
) -> None:
    meter = household_meter(unit, committee, "H-01")
    do_link_meter(home, meter, actor=committee)
    # April: 600 of 720 hours, 83.3 % complete, below 90 %.
    import_hours(unit, committee, tmp_path, "H-01", APRIL, range(600), electricity_value)
    report = do_feed_from_meters(unit, actor=committee, month=date(2026, 4, 1))
    assert not report.added
    assert report.skipped == [
        f"{home.label} 2026-04：电表 H-01 数据完整度 83.3 %，低于 90.0 %，未计入台账。"
    ]
    assert not LedgerMonth.objects.filter(household=home).exists()
    row = MeteredMonth.objects.get(household=home)
    assert (row.status, row.completeness) == (MeteredStatus.INCOMPLETE, Decimal("0.8333"))
    text = signed_in(resident).get(reverse("households:household", args=[home.pk])).content
    assert "完整度仅 83.3 %（至少需 90.0 %），未计入" in text.decode()
    with pytest.raises(ValidationError) as refused:  # an unfinished month is not fed
        do_feed_from_meters(unit, actor=committee, month=date(2099, 4, 1))
    assert "2099-04" in refused.value.message_dict["month"][0]


def test_a_resident_sees_their_own_metered_months_and_no_one_elses(
    committee: User,
    unit: Organisation,
    home: Household,
    neighbour: Household,
    resident: User,
    tmp_path: Path,
) -> None:
    ours = household_meter(unit, committee, "H-01")
    theirs = household_meter(unit, committee, "H-02")
    do_link_meter(home, ours, actor=committee)
    do_link_meter(neighbour, theirs, actor=committee)
    for number in ("H-01", "H-02"):
        import_hours(
            unit, committee, tmp_path, number, MARCH, range(MARCH_HOURS), electricity_value
        )
    call_command("household_ledger_from_meters", "--unit", str(unit.pk), stdout=StringIO())
    assert LedgerMonth.objects.filter(source=LedgerSource.METER).count() == 2
    client = signed_in(resident)
    text = client.get(reverse("households:household", args=[home.pk])).content.decode()
    assert "来自电表 H-01（完整度 100.0 %）" in text
    assert "223.00" in text
    assert "未记录" in text
    assert "H-02" not in text
    assert neighbour.label not in text
    assert client.get(reverse("households:household", args=[neighbour.pk])).status_code == 404
    link = reverse("households:meter_link", args=[home.pk])
    assert client.post(link, {"meter": "H-02"}).status_code == 403


def test_the_committee_links_and_feeds_through_its_pages(
    committee: User, unit: Organisation, home: Household, tmp_path: Path
) -> None:
    household_meter(unit, committee, "H-01")
    client = signed_in(committee)
    page = client.get(reverse("households:household", args=[home.pk])).content.decode()
    assert 'value="H-01"' in page
    url = reverse("households:meter_link", args=[home.pk])
    assert client.post(url, {"meter": "H-99"}).status_code == 302
    assert not HouseholdMeter.objects.exists()
    assert client.post(url, {"meter": "H-01", "since": "2026-03"}).status_code == 302
    link = HouseholdMeter.objects.get()
    assert link.since == date(2026, 3, 1)
    import_hours(unit, committee, tmp_path, "H-01", MARCH, range(MARCH_HOURS), electricity_value)
    feed = reverse("households:feed", args=[unit.pk])
    response = client.post(feed, {"month": "2026-03"}, follow=True)
    assert "新增 1 个月" in response.content.decode()
    assert LedgerMonth.objects.get(household=home).electricity_kwh == Decimal("223.0")
    # Gas is not metered: the month has no total and is not counted as a recorded month.
    page = client.get(reverse("households:community", args=[unit.pk]), {"year": "2026"})
    assert f"{home.label}</a></td><td>3</td><td>0</td>" in page.content.decode()
    unlink = reverse("households:meter_unlink", args=[home.pk])
    assert client.post(unlink, {"link": "x"}).status_code == 302
    assert client.post(unlink, {"link": str(link.pk)}).status_code == 302
    link.refresh_from_db()
    assert link.unlinked_at is not None


def test_the_command_refuses_what_it_cannot_read(unit: Organisation) -> None:
    with pytest.raises(CommandError, match="2026-13"):
        call_command("household_ledger_from_meters", "--month", "2026-13")
    with pytest.raises(CommandError):
        call_command("household_ledger_from_meters", "--unit", str(unit.pk))  # nothing linked
