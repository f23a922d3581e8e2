"""The household ledger (家庭能耗台账): households registered by the residents' committee, their
months recorded and corrected through audited actions (a stale version refused, a reason
required, nothing half-saved), emissions from the unit's factor set, the community averages
shown only over at least 5 households, and a resident who sees their own household only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.households.actions import (
    MonthInput,
    do_change_month,
    do_create_resident_account,
    do_record_month,
    do_register_household,
)
from lowcarbon.web.households.models import Household, LedgerMonth

from ..review_support import make_unit, signed_in
from .support import household, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(users: dict[str, User]) -> User:
    return users[Role.APPLICANT]


@pytest.fixture
def home(committee: User) -> Household:
    return household(committee, "12号楼 3单元 502", members=3)


@pytest.fixture
def resident(committee: User, home: Household) -> User:
    user, password = do_create_resident_account(
        home, username="resident502", full_name="王女士", actor=committee
    )
    assert len(password) >= 12
    return user


def test_the_committee_registers_a_household_audited(committee: User, home: Household) -> None:
    assert home.unit_id == committee.organisation_id
    event = AuditEvent.objects.get(action="household_registered")
    assert event.after == {"label": "12号楼 3单元 502", "members": 3, "unit": home.unit_id}
    with pytest.raises(ValidationError) as refused:
        household(committee, " 12号楼  3单元 502 ")  # the same address, spaced differently
    assert "已有" in refused.value.message_dict["label"][0]


def test_only_the_committee_registers(users: dict[str, User], admin_user: User) -> None:
    unit, other_applicant, _officer = make_unit(admin_user, "黄浦区", "外滩社区")
    for person in (users[Role.APPLICANT], users[Role.DISTRICT_OFFICER], admin_user):
        with pytest.raises(ValidationError) as refused:
            do_register_household(unit, label="1号楼 101", members=2, actor=person)
        assert "居委会" in refused.value.messages[0]
    assert not Household.objects.filter(unit=unit).exists()
    assert do_register_household(unit, label="1号楼 101", members=2, actor=other_applicant)


def test_a_resident_account_is_made_once(committee: User, home: Household, resident: User) -> None:
    home.refresh_from_db()
    assert home.resident == resident
    assert resident.role == Role.RESIDENT
    assert resident.organisation_id == home.unit_id
    with pytest.raises(ValidationError):
        do_create_resident_account(home, username="another", actor=committee)
    assert AuditEvent.objects.filter(action="household_account_created").count() == 1


def test_a_month_recorded_and_its_emissions(resident: User, home: Household) -> None:
    entry = month(resident, home, 2025, 3, kwh="100", gas="10")
    assert AuditEvent.objects.get(action="ledger_month_recorded").after["electricity_kwh"] == "100"
    page = signed_in(resident).get(reverse("households:household", args=[home.pk]))
    text = page.content.decode()
    # The default set (no application): 4.2 tCO2/10^4kWh and 21.62 tCO2/10^4Nm3.
    assert "2025-03" in text
    assert "63.6" in text  # 100 × 0.42 + 10 × 2.162 = 63.62 kg
    assert "21.2" in text  # per person, 3 members
    assert "水" in text
    assert "不计入排放" in text
    assert entry.version == 1


def test_a_month_recorded_through_the_page(resident: User, home: Household) -> None:
    url = reverse("households:month_add", args=[home.pk])
    response = signed_in(resident).post(
        url,
        {"month": "2025-03", "electricity_kwh": "100", "gas_m3": "10", "water_m3": "4",
         "source": "bill"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household", args=[home.pk])
    entry = LedgerMonth.objects.get(household=home)
    assert (entry.month, entry.electricity_kwh, entry.source) == (
        date(2025, 3, 1),
        Decimal(100),
        "bill",
    )


def test_bad_figures_are_named_and_nothing_is_saved(resident: User, home: Household) -> None:
    client = signed_in(resident)
    url = reverse("households:month_add", args=[home.pk])
    response = client.post(
        url,
        {
            "month": "2025-13",
            "electricity_kwh": "abc",
            "gas_m3": "-1",
            "water_m3": "",
            "source": "x",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "“2025-13”" in text
    assert "2025-03" in text
    assert "用电量" in text
    assert "abc" in text
    assert not LedgerMonth.objects.exists()
    future = date.today().replace(day=1).replace(year=date.today().year + 1)
    with pytest.raises(ValidationError) as refused:
        do_record_month(
            home,
            MonthInput(future, Decimal(1), Decimal(1), Decimal(1), "bill"),
            actor=resident,
        )
    assert "month" in refused.value.message_dict
    assert not LedgerMonth.objects.exists()


def test_a_month_twice_is_refused(resident: User, home: Household) -> None:
    month(resident, home, 2025, 3)
    with pytest.raises(ValidationError) as refused:
        month(resident, home, 2025, 3)
    assert "2025-03" in refused.value.message_dict["month"][0]


def test_a_change_needs_a_reason_and_the_current_version(
    resident: User, committee: User, home: Household
) -> None:
    entry = month(resident, home, 2025, 3, kwh="100")
    figures = MonthInput(None, Decimal("120"), Decimal("10"), Decimal("5"), "committee")
    with pytest.raises(ValidationError) as refused:
        do_change_month(entry, figures, reason=" ", expected_version=1, actor=committee)
    assert "reason" in refused.value.message_dict
    changed = do_change_month(
        entry, figures, reason="账单抄错了一位。", expected_version=1, actor=committee
    )
    assert changed.version == 2
    assert changed.electricity_kwh == Decimal("120")
    assert changed.month == date(2025, 3, 1)  # the month stays
    event = AuditEvent.objects.get(action="ledger_month_changed")
    assert event.reason == "账单抄错了一位。"
    assert event.before["electricity_kwh"] == "100.00"
    with pytest.raises(ValidationError) as stale:
        do_change_month(entry, figures, reason="再改一次。", expected_version=1, actor=resident)
    assert "刷新" in stale.value.messages[0] or "重新" in stale.value.messages[0]
    entry.refresh_from_db()
    assert entry.version == 2


def test_the_change_page_refuses_a_stale_form(resident: User, home: Household) -> None:
    entry = month(resident, home, 2025, 3)
    client = signed_in(resident)
    url = reverse("households:month_edit", args=[home.pk, entry.pk])
    assert client.get(url).status_code == 200
    data = {"electricity_kwh": "1", "gas_m3": "1", "water_m3": "1", "source": "bill"}
    response = client.post(url, data | {"reason": "更正", "version": "7"})
    assert response.status_code == 400
    response = client.post(url, data | {"reason": "更正", "version": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.electricity_kwh == Decimal(1)


def test_averages_are_hidden_below_five_households(
    committee: User, home: Household, resident: User
) -> None:
    month(resident, home, 2025, 3, kwh="100", gas="0")
    others = [household(committee, f"12号楼 3单元 {n}01", members=1) for n in range(1, 4)]
    for other in others:
        month(committee, other, 2025, 3, kwh="300", gas="0")
    client = signed_in(resident)
    url = reverse("households:household", args=[home.pk])
    text = client.get(url).content.decode()  # 4 households recorded March
    assert "户数不足，不显示平均" in text
    assert "无法推算" in text  # and why
    fifth = household(committee, "12号楼 3单元 501", members=2)
    month(committee, fifth, 2025, 3, kwh="400", gas="0")
    text = client.get(url).content.decode()
    assert "户数不足，不显示平均" not in text
    # kWh 100 + 3 × 300 + 400 = 1400, × 0.42 = 588 kg over 5 households and 8 people.
    assert "117.6" in text
    assert "73.5" in text
    for other in (*others, fifth):  # no other household is named
        assert other.label not in text


def test_a_resident_sees_only_their_own_household(
    committee: User, home: Household, resident: User
) -> None:
    other = household(committee, "8号楼 1单元 101")
    month(committee, other, 2025, 1)
    client = signed_in(resident)
    assert client.get(reverse("home")).url == reverse("households:index")
    assert client.get(reverse("households:index")).url == reverse(
        "households:household", args=[home.pk]
    )
    for name, args in (
        ("households:household", [other.pk]),
        ("households:month_add", [other.pk]),
        ("households:month_edit", [other.pk, other.months.get().pk]),
        ("households:edit", [home.pk]),  # the household's own data are the committee's
        ("households:community", [home.unit_id]),
        ("households:overview", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code in (403, 404), name
    assert client.get(reverse("applications:list")).status_code == 404


def test_the_pages_read_in_chinese(committee: User, home: Household, resident: User) -> None:
    month(resident, home, 2025, 3)
    client = signed_in(committee)
    text = client.get(reverse("households:community", args=[home.unit_id])).content.decode()
    assert "家庭" in text
    assert home.label in text
    page = client.get(reverse("households:household", args=[home.pk])).content.decode()
    assert "排放因子" in page or "因子" in page
