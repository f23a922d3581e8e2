"""The unit's metered year for its inventory (issue 17, 6.), end to end: meters registered and a
year of daily readings imported through the unit's actions; the metered categories as activity
records of tier measured; the progress report's workbook pre-filled with them, downloaded,
completed and uploaded through the progress report's own import; the year's inventory then
counts the metered consumption × the factor.

The unit is 田林十二村社区 in creation (examples/community: base year 2023, factor set
shanghai-2022: electricity 0.42 kgCO2/kWh, natural gas 2.162 kgCO2/m³). Its meters, daily, 2025:

* 0101 public lighting: 24 kWh every day of the year (365 days: 8 760 kWh);
* 0102 lifts and pumps: 48 kWh every day of January–June (181 days: 8 688 kWh);
* 0201 households' gas: 10 m³ every day (3 650 m³);
* 0301 the service centre's water: 2 m³ every day (730 m³);
* 0401 EV charging: registered, no readings.

By hand: electricity, public and commercial: 17 448 kWh, present 365 + 181 of 730 days
(74.8 %), × 0.42 kg = 7.32816 t; gas, residential: 3 650 m³ × 2.162 kg = 7.8913 t.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lowcarbon.core.activity import DataQuality, Sector, SourceCategory
from lowcarbon.monitoring.store import Store
from lowcarbon.rules.activity import accounting_input_from_data
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.filings import do_start_filing
from lowcarbon.web.creation.models import CreationUnit, Filing, LifecycleStatus, ScheduleItem
from lowcarbon.web.monitoring.actions import SourceInput, do_import_file
from lowcarbon.web.monitoring.inventory import COVERAGE_SHEET, metered_year

from ..creation.support import decide_and_publish, shanghai, unit_of
from ..review_support import make_round, recommended_application, signed_in
from ..test_baseline import upload
from .support import make_meter, write_export

pytestmark = pytest.mark.django_db

YEAR = 2025
IMPORTED = shanghai(2026, 1, 10, 9, 0)
ON_TIME = shanghai(2100, 2, 20, 9, 0)
ELECTRICITY = Decimal("17448")
GAS = Decimal("3650")
WATER = Decimal("730")
ELECTRICITY_T = Decimal("7.32816")
GAS_T = Decimal("7.8913")


@dataclass
class Metered:
    unit: CreationUnit
    applicant: User
    officer: User
    store: Store


def daily_rows(number: str, days: int, value: str) -> list[list[str]]:
    first = date(YEAR, 1, 1)
    return [[f"{first + timedelta(days=k):%Y-%m-%d} 00:00", number, value] for k in range(days)]


def creation_unit(users: dict[str, User], admin_user: User) -> CreationUnit:
    round_ = make_round(admin_user, year=2099)
    application, _ = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_m6")
    unit = unit_of(application)
    return do_change_unit_status(
        unit,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=unit.version,
        actor=admin_user,
    )


def meter_the_unit(unit: CreationUnit, applicant: User, folder: Path) -> None:
    organisation = unit.application.unit
    daily: dict[str, Any] = {"interval_minutes": 1440}
    make_meter(organisation, applicant, "0101", **daily)
    make_meter(organisation, applicant, "0102", name="1号楼电梯", use="lifts_and_pumps", **daily)
    make_meter(
        organisation,
        applicant,
        "0201",
        name="居民燃气总表",
        carrier="gas",
        use="household",
        reading_unit="m³",
        max_rate=None,
        **daily,
    )
    make_meter(
        organisation,
        applicant,
        "0301",
        name="社区服务中心水表",
        carrier="water",
        use="public_building",
        reading_unit="m³",
        max_rate=None,
        **daily,
    )
    make_meter(organisation, applicant, "0401", name="充电桩", use="ev_charging", **daily)
    rows = (
        daily_rows("0101", 365, "24")
        + daily_rows("0102", 181, "48")
        + daily_rows("0201", 365, "10")
        + daily_rows("0301", 365, "2")
    )
    path = write_export(folder / "2025.csv", rows)
    do_import_file(
        organisation,
        path,
        file_name="2025年分项计量.csv",
        mapping=SourceInput("物业导出", "抄表时间", "电量", "表号"),
        actor=applicant,
        now=IMPORTED,
    )


@pytest.fixture
def metered(users: dict[str, User], admin_user: User, own_store: Store, tmp_path: Path) -> Metered:
    unit = creation_unit(users, admin_user)
    meter_the_unit(unit, users[Role.APPLICANT], tmp_path)
    return Metered(unit, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER], own_store)


def test_the_metered_year_by_category_with_its_coverage(metered: Metered) -> None:
    year = metered_year(metered.unit)  # the latest year with readings
    assert (year.year, year.years, year.factor_set) == (YEAR, (YEAR,), "shanghai-2022")
    coverage = year.coverage
    public = (SourceCategory.ELECTRICITY, Sector.COMMERCIAL_PUBLIC)
    by_key = {c.key: c for c in coverage.categories}
    assert by_key[public].consumption == ELECTRICITY
    assert (by_key[public].present, by_key[public].expected) == (546, 730)
    assert by_key[public].completeness == Decimal("0.7479")
    assert by_key[public].tco2 == ELECTRICITY_T
    gas = by_key[(SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL)]
    assert (gas.consumption, gas.tco2, gas.completeness) == (GAS, GAS_T, Decimal(1))
    water = by_key[(SourceCategory.WATER_SUPPLY, Sector.COMMERCIAL_PUBLIC)]
    assert (water.consumption, water.tco2) == (WATER, None)
    charging = by_key[(SourceCategory.ELECTRICITY, Sector.TRANSPORT)]
    assert (charging.months, charging.completeness) == ((), Decimal(0))
    lifts = next(m for m in coverage.meters if m.meter.endswith("-0102"))
    assert len(lifts.months) == 6
    assert lifts.completeness == Decimal("0.4959")  # 181 / 365
    # The inventory's categories (the base year 2023 of the baseline data) the meters cover.
    assert coverage.covered == (public, (SourceCategory.NATURAL_GAS, Sector.RESIDENTIAL))
    assert (SourceCategory.ELECTRICITY, Sector.TRANSPORT) in coverage.uncovered
    assert (SourceCategory.ELECTRICITY, Sector.RESIDENTIAL) in coverage.uncovered
    assert coverage.share == (Decimal(2) / Decimal(len(coverage.inventory))).quantize(
        Decimal("0.0001")
    )
    records = {(r["category"], r["sector"]): r for r in year.records}
    assert set(records) == {
        ("electricity", "commercial_public"),
        ("natural_gas", "residential"),
        ("water_supply", "commercial_public"),
    }
    electricity = records[("electricity", "commercial_public")]
    assert (electricity["quantity"], electricity["unit"]) == (ELECTRICITY, "kWh")
    assert electricity["quality"] == DataQuality.MEASURED.value
    assert "0101 3号楼公共照明" in electricity["source"]
    assert "0102 1号楼电梯" in electricity["source"]
    assert "2025-01—2025-12" in electricity["source"]
    assert "74.8 %" in electricity["source"]


def _sheet_rows(book: Any, name: str) -> list[tuple[Any, ...]]:
    return [row for row in book[name].iter_rows(min_row=2, values_only=True) if row[0]]


def test_the_prefilled_workbook_round_trips_through_the_progress_report(
    metered: Metered,
) -> None:
    # The example's base year is 2023: a schedule item of 2026 lets the unit report on 2025.
    ScheduleItem.objects.create(
        round_id=metered.unit.application.round_id,
        code="work_plan_2026",
        key="work_plan",
        year=2026,
        kinds=["community"],
        due_at=shanghai(2026, 2, 28, 23, 59, 59),
    )
    report = do_start_filing(
        metered.unit, kind="progress_report", year=YEAR, actor=metered.applicant, now=ON_TIME
    )
    page = signed_in(metered.applicant).get(reverse("creation:filing", args=[report.pk]))
    link = reverse("monitoring_coverage:workbook", args=[metered.unit.pk, YEAR])
    assert link in page.content.decode()
    client: Client = signed_in(metered.applicant)
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    electricity = [r for r in _sheet_rows(book, "电力") if r[0] == YEAR]
    assert len(electricity) == 1
    _year, _category, sector, quantity, unit, quality, source, _label = electricity[0][:8]
    assert (Decimal(str(quantity)), unit) == (ELECTRICITY, "kWh")
    assert (sector, quality) == ("公共建筑与商业（含物业公共设施）", "A 实测（计量、票据）")
    assert "0101" in source
    gas = [r for r in _sheet_rows(book, "燃气与燃料") if r[0] == YEAR]
    assert [Decimal(str(r[3])) for r in gas] == [GAS]
    water = [r for r in _sheet_rows(book, "废弃物与水") if r[0] == YEAR]
    assert [Decimal(str(r[3])) for r in water] == [WATER]
    # Only the metered categories are filled for the year; the base year is the plan's.
    assert {r[0] for r in _sheet_rows(book, "电力")} == {2023, YEAR}
    assert COVERAGE_SHEET in book.sheetnames
    coverage_text = " ".join(
        str(c) for row in book[COVERAGE_SHEET].iter_rows(values_only=True) for c in row if c
    )
    assert "74.8 %" in coverage_text
    # The year's size is left for the unit: its row holds the year only.
    drivers = {r[0]: r for r in _sheet_rows(book, "年度规模")}
    assert drivers[YEAR][1] is None
    # Uploaded as it is, the import names the cell to fill in.
    unfilled = BytesIO()
    book.save(unfilled)
    refused = client.post(
        reverse("creation:filing_activity", args=[report.pk]),
        {"version": report.version, "workbook": upload(unfilled.getvalue())},
        follow=True,
    ).content.decode()
    assert "年度规模" in refused
    assert Filing.objects.get(pk=report.pk).content["activity"] is None
    # The unit fills the year's size in and uploads it through the progress report's import.
    sheet = book["年度规模"]
    row = next(cell.row for cell in sheet["A"] if cell.value == YEAR and cell.row > 1)
    sheet.cell(row=row, column=2, value=8200)
    filled = BytesIO()
    book.save(filled)
    response = client.post(
        reverse("creation:filing_activity", args=[report.pk]),
        {"version": report.version, "workbook": upload(filled.getvalue())},
        follow=True,
    )
    assert response.status_code == 200
    report.refresh_from_db()
    activity = report.content["activity"]
    assert activity is not None, response.content.decode()
    stored = [r for r in activity["data"]["records"] if r["year"] == YEAR]
    assert {(r["category"], r["quality"]) for r in stored} == {
        ("electricity", "measured"),
        ("natural_gas", "measured"),
        ("water_supply", "measured"),
    }
    result = computing.compute(accounting_input_from_data(activity["data"]))
    inventory = result.inventory(YEAR)
    assert Decimal(inventory.by_category["electricity"]) == ELECTRICITY_T
    assert Decimal(inventory.by_category["natural_gas"]) == GAS_T
    assert Decimal(activity["figures"]["total_tco2"]) == (ELECTRICITY_T + GAS_T).quantize(
        Decimal("0.01")
    )


def test_the_metered_year_before_any_reading(
    users: dict[str, User], admin_user: User, own_store: Store
) -> None:
    unit = creation_unit(users, admin_user)
    year = metered_year(unit, 2024)
    assert (year.years, year.coverage.meters, year.records) == ((), (), [])
    assert year.coverage.share == Decimal(0)
    assert metered_year(unit).year == timezone.localdate().year - 1  # none: last year
