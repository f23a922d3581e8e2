"""The monthly energy and emission figures of a unit, a district and the city, against figures
checked by hand on a small store written here (issue 17, 4.).

The unit is 田林十二村社区 in creation (its application's baseline data: examples/community,
base year 2023, 8 190 residents in 2025; round factor set shanghai-2022: electricity
0.42 kgCO2/kWh, natural gas 2.162 kgCO2/m³, no factor for water). Its meters, hourly:

* L1 public lighting: 1 kWh every hour of 2025-11 (one row negative: rejected, the hour
  estimated from its neighbours), 0.5 kWh every hour of 2024-11;
* P1 lifts and pumps: 3 kWh every hour of the first 15 days of 2025-11 (half the month);
* G1 households: 0.1 m³ of gas every hour of 2025-11;
* W1 public building: 0.5 m³ of water every hour of 2025-11 (no tCO2);
* X1 other: registered, no readings.

"Now" is 2025-12-07: last month is 2025-11.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from lowcarbon.core.activity import SourceCategory
from lowcarbon.core.metering import Carrier, Meter, MeterUse, ReadingKind, Severity
from lowcarbon.monitoring.ingest import ingest
from lowcarbon.monitoring.sources import ColumnMapping
from lowcarbon.monitoring.store import Store
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.submission import frozen_snapshot
from lowcarbon.web.creation.actions import do_change_unit_status
from lowcarbon.web.creation.filings import do_attach_activity, do_start_filing, do_submit_filing
from lowcarbon.web.creation.models import CreationUnit, LifecycleStatus
from lowcarbon.web.monitoring.actions import SourceInput, do_import_file
from lowcarbon.web.monitoring.dashboard import (
    PopulationSource,
    city_figures,
    district_figures,
    population_of,
    unit_figures,
)
from lowcarbon.web.monitoring.dashboard_views import _population_text
from lowcarbon.web.monitoring.stores import community_key, monitoring_store

from ..creation.filing_support import activity_of
from ..creation.support import decide_and_publish, unit_of
from ..review_support import make_round, recommended_application
from .support import hourly_rows, make_meter, write_export

NOW = datetime(2025, 12, 7, 10, 0)
MAPPING = ColumnMapping("时间", "电量")
HOUR = timedelta(hours=1)
# The base year's inventory (examples/community/accounting.yaml, 2023), by hand: electricity
# 11 240 000 + 186 000 + 98 400 + 486 000 + 268 000 + 190 000 = 12 468 400 kWh × 0.42 kg;
# natural gas 378 600 + 9 600 = 388 200 m³ × 2.162 kg.
BASE_ELECTRICITY = Decimal("5236.728")
BASE_GAS = Decimal("839.2884")


def _meter(meter_id: str, carrier: Carrier, use: MeterUse, unit: str, community: str) -> Meter:
    return Meter(meter_id, carrier, use, unit, ReadingKind.INTERVAL_ENERGY, 60, community=community)


def _hours(start: datetime, count: int, value: str) -> list[tuple[datetime, str]]:
    return [(start + k * HOUR, value) for k in range(count)]


def _write(path: Path, rows: list[tuple[datetime, str]]) -> Path:
    lines = ["时间,电量"] + [f"{moment:%Y-%m-%d %H:%M},{value}" for moment, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fill_store(store: Store, community: str, folder: Path) -> None:
    november = datetime(2025, 11, 1)
    lighting = _hours(november, 720, "1")
    lighting[100] = (lighting[100][0], "-5")  # rejected; the hour is estimated (1 kWh)
    series = [
        (_meter("L1", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING, "kWh", community), lighting),
        (
            _meter("L1", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING, "kWh", community),
            _hours(datetime(2024, 11, 1), 720, "0.5"),
        ),
        (
            _meter("P1", Carrier.ELECTRICITY, MeterUse.LIFTS_AND_PUMPS, "kWh", community),
            _hours(november, 360, "3"),
        ),
        (
            _meter("G1", Carrier.GAS, MeterUse.HOUSEHOLD, "m³", community),
            _hours(november, 720, "0.1"),
        ),
        (
            _meter("W1", Carrier.WATER, MeterUse.PUBLIC_BUILDING, "m³", community),
            _hours(november, 720, "0.5"),
        ),
        # Another community's anomaly is not the unit's.
        (
            _meter("Z1", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING, "kWh", "elsewhere"),
            [(november, "-1"), (november + HOUR, "1")],
        ),
    ]
    for number, (meter, rows) in enumerate(series):
        ingest(store, _write(folder / f"{meter.id}-{number}.csv", rows), MAPPING, meter, now=NOW)
    store.register(_meter("X1", Carrier.ELECTRICITY, MeterUse.OTHER, "kWh", community))


@dataclass
class Setting:
    unit: CreationUnit
    store: Store
    users: dict[str, User]


def _unit(users: dict[str, User], admin_user: User, year: int = 2099) -> CreationUnit:
    round_ = make_round(admin_user, year=year)
    application, _ = recommended_application(
        round_, users[Role.APPLICANT], users[Role.DISTRICT_OFFICER]
    )
    decide_and_publish(admin_user, round_, [(application, "selected")], "expert_m1")
    return unit_of(application)


@pytest.fixture
def empty(users: dict[str, User], admin_user: User, settings: object, tmp_path: Path) -> Setting:
    settings.LOWCARBON_MONITORING_DIR = tmp_path / "monitoring"  # type: ignore[attr-defined]
    return Setting(_unit(users, admin_user), monitoring_store(), users)


@pytest.fixture
def metered(empty: Setting, tmp_path: Path) -> Setting:
    fill_store(empty.store, community_key(empty.unit.application.unit), tmp_path)
    return empty


def test_the_months_by_category_as_computed_by_hand(metered: Setting) -> None:
    figures = unit_figures(metered.unit, now=NOW)
    assert figures.factor_set == "shanghai-2022"
    assert [m.month for m in figures.months] == ["2024-11", "2025-11"]
    assert figures.last_complete == "2025-11"
    assert figures.month == "2025-11"
    assert not figures.fell_back
    november = figures.headline
    assert november is not None
    electricity = november.category(SourceCategory.ELECTRICITY)
    gas = november.category(SourceCategory.NATURAL_GAS)
    water = november.category(SourceCategory.WATER_SUPPLY)
    assert electricity is not None
    assert gas is not None
    assert water is not None
    # 720 kWh of lighting (one hour estimated) + 360 h × 3 kWh of pumps, × 0.42 kg.
    assert electricity.consumption == Decimal("1800.000")
    assert electricity.unit == "kWh"
    assert electricity.tco2 == Decimal("0.756000")
    assert gas.consumption == Decimal("72.000")
    assert gas.tco2 == Decimal("0.155664")
    assert water.consumption == Decimal("360.000")
    assert water.tco2 is None
    assert november.tco2 == Decimal("0.911664")  # water has no factor: not in the total
    assert figures.months[0].tco2 == Decimal("0.151200")  # 360 kWh in 2024-11


def test_per_capita_and_the_comparisons(metered: Setting) -> None:
    figures = unit_figures(metered.unit, now=NOW)
    assert figures.population.value == 8190
    assert figures.population.source is PopulationSource.ACCOUNTING
    assert figures.population.year == 2025
    assert figures.per_capita == Decimal("0.911664") / 8190
    assert figures.last_year.current == Decimal("0.911664")
    assert figures.last_year.reference == Decimal("0.151200")
    assert (
        figures.last_year.percent
        == (Decimal("0.911664") - Decimal("0.1512")) / Decimal("0.1512") * 100
    )
    base = figures.base_year
    assert base.base_year == 2023
    assert base.month == "2023-11"
    assert not base.metered
    references = dict(base.categories)
    assert references[SourceCategory.ELECTRICITY] == BASE_ELECTRICITY / 12
    assert references[SourceCategory.NATURAL_GAS] == BASE_GAS / 12
    assert references[SourceCategory.WATER_SUPPLY] is None  # not in the inventory
    assert base.change.reference == (BASE_ELECTRICITY + BASE_GAS) / 12
    assert base.change.current == Decimal("0.911664")


def test_a_metered_base_year_month_is_compared_as_metered(empty: Setting, tmp_path: Path) -> None:
    community = community_key(empty.unit.application.unit)
    meter = _meter("L1", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING, "kWh", community)
    for start, value in ((datetime(2023, 11, 1), "2"), (datetime(2025, 11, 1), "1")):
        rows = _hours(start, 720, value)
        ingest(empty.store, _write(tmp_path / f"{start:%Y}.csv", rows), MAPPING, meter, now=NOW)
    base = unit_figures(empty.unit, now=NOW).base_year
    assert base.metered
    assert base.month == "2023-11"
    assert base.change.reference == Decimal("0.604800")  # 1 440 kWh
    assert base.change.current == Decimal("0.302400")
    assert base.change.percent == Decimal(-50)


def test_public_facilities_ranked_and_completeness_per_meter(metered: Setting) -> None:
    figures = unit_figures(metered.unit, now=NOW)
    ranked = [(f.meter, f.tco2) for f in figures.facilities]
    # Households (G1) and other uses are no public facility; water has no tCO2: last.
    assert ranked == [("P1", Decimal("0.453600")), ("L1", Decimal("0.302400")), ("W1", None)]
    rows = {c.meter: c for c in figures.completeness}
    assert sorted(rows) == ["G1", "L1", "P1", "W1", "X1"]
    assert (rows["L1"].expected, rows["L1"].present, rows["L1"].estimated) == (720, 720, 1)
    assert (rows["P1"].present, rows["P1"].share) == (360, Decimal("0.5000"))
    assert (rows["X1"].present, rows["X1"].share) == (0, Decimal(0))
    assert figures.meters == 5


def test_open_anomalies_of_the_unit_only(metered: Setting) -> None:
    anomalies = unit_figures(metered.unit, now=NOW).anomalies
    assert anomalies.counts[Severity.REJECTED] == 1  # L1's negative row (Z1's is elsewhere)
    assert anomalies.counts[Severity.FLAGGED] == 1  # the hour estimated across the gap
    assert anomalies.open_total == 2
    assert {(a.meter, a.severity) for a in anomalies.latest} == {
        ("L1", Severity.REJECTED),
        ("L1", Severity.FLAGGED),
    }
    assert all(a.at.startswith("2025-11-05") for a in anomalies.latest)  # hour 100
    assert len(unit_figures(metered.unit, now=NOW, anomaly_limit=1).anomalies.latest) == 1


def test_a_file_imported_again_does_not_count_its_findings_twice(
    metered: Setting, tmp_path: Path
) -> None:
    before = unit_figures(metered.unit, now=NOW).anomalies
    again = tmp_path / "again"
    again.mkdir()
    fill_store(metered.store, community_key(metered.unit.application.unit), again)
    after = unit_figures(metered.unit, now=NOW).anomalies
    assert after.counts == before.counts
    assert after.open_total == before.open_total == 2
    assert [a.import_id for a in after.latest] == [a.import_id for a in before.latest]


def test_an_earlier_month_is_shown_when_last_month_has_no_readings(metered: Setting) -> None:
    figures = unit_figures(metered.unit, now=datetime(2026, 2, 1))
    assert figures.last_complete == "2026-01"
    assert figures.month == "2025-11"
    assert figures.fell_back


def test_the_district_and_the_city_add_up_their_units(metered: Setting) -> None:
    district = district_figures([metered.unit], now=NOW)
    assert district.month == "2025-11"
    [row] = district.rows
    assert row.tco2 == Decimal("0.911664")
    assert row.per_capita == Decimal("0.911664") / 8190
    assert row.last_year.reference == Decimal("0.151200")
    # 720 + 720 + 360 + 720 + 0 intervals of 5 × 720.
    assert row.completeness == Decimal(2520) / Decimal(3600)
    xuhui = metered.unit.application.unit.district
    city = city_figures({xuhui: [metered.unit], "other": []}, now=NOW)
    first, other = city.rows
    assert (first.units, first.units_with_data, first.population) == (1, 1, 8190)
    assert first.tco2 == Decimal("0.911664")
    assert first.completeness == row.completeness
    assert (other.units, other.tco2, other.per_capita, other.completeness) == (0, None, None, None)


# --- the pages -----------------------------------------------------------------------------


def _json_of(html: str, element_id: str) -> str:
    start = html.index(f'<script id="{element_id}" type="application/json">')
    return html[html.index(">", start) + 1 : html.index("</script>", start)]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_unit_page_shows_the_figures_in_tables_and_charts(metered: Setting) -> None:
    url = reverse("monitoring_figures:unit", args=[metered.unit.pk])
    response = _client(metered.users[Role.APPLICANT]).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-emissions" type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "lowcarbon/dashboard.js" in html
    assert "<script>" not in html  # no inline script (the CSP allows none)
    assert "吨二氧化碳当量" in html
    assert "千瓦时" in html
    assert "立方米" in html
    assert "0.91" in html  # the month's total, to the hundredth of a tonne
    assert "1800.0" in html  # electricity of the month, in kWh
    assert "<code>P1</code>" in html
    energy = json.loads(_json_of(html, "chart-energy"))
    assert energy["axes"] == ["千瓦时", "立方米"]  # one value axis per unit
    assert [(line["name"], line["axis"]) for line in energy["series"]] == [
        ("外购电力（千瓦时）", 0),
        ("天然气（立方米）", 1),
        ("供水（立方米）", 1),
    ]
    emissions = json.loads(_json_of(html, "chart-emissions"))
    assert emissions["labels"] == ["2024年11月", "2025年11月"]
    assert [line["name"] for line in emissions["series"]] == ["外购电力", "天然气"]
    assert emissions["total_data"] == [0.151, 0.912]
    # 0.911664 t / 8 190 residents, in kilograms.
    assert "0.11 千克二氧化碳当量/人" in html
    # The report's English cells are read back in Chinese.
    assert "用量不能为负数" in html
    assert "拒收" in html


def test_a_page_without_readings_says_so(empty: Setting) -> None:
    url = reverse("monitoring_figures:unit", args=[empty.unit.pk])
    html = _client(empty.users[Role.APPLICANT]).get(url).content.decode()
    assert "尚无" in html
    assert "chart-emissions" not in html


def test_the_district_page_lists_its_units(metered: Setting) -> None:
    code = metered.unit.application.unit.district.code  # type: ignore[union-attr]
    url = reverse("monitoring_figures:district", args=[code])
    html = _client(metered.users[Role.DISTRICT_OFFICER]).get(url).content.decode()
    assert "田林十二村社区" in html
    assert "0.91" in html
    assert reverse("monitoring_figures:unit", args=[metered.unit.pk]) in html


def test_the_city_page_lists_every_district(metered: Setting) -> None:
    response = _client(metered.users[Role.ADMINISTRATOR]).get(reverse("monitoring_figures:city"))
    html = response.content.decode()
    assert "徐汇区" in html
    assert "黄浦区" in html
    assert "0.91" in html


def test_the_index_leads_each_role_to_its_page(metered: Setting) -> None:
    index = reverse("monitoring_figures:index")
    code = metered.unit.application.unit.district.code  # type: ignore[union-attr]
    expected = {
        Role.ADMINISTRATOR: reverse("monitoring_figures:city"),
        Role.DISTRICT_OFFICER: reverse("monitoring_figures:district", args=[code]),
        Role.APPLICANT: reverse("monitoring_figures:unit", args=[metered.unit.pk]),
    }
    for role, target in expected.items():
        response = _client(metered.users[role]).get(index)
        assert (response.status_code, response["Location"]) == (302, target)
    assert _client(metered.users[Role.EXPERT]).get(index).status_code == 404


def test_an_anomaly_links_to_its_import_record(empty: Setting, tmp_path: Path) -> None:
    """An import made on the platform's import page: its finding leads to that import's page."""
    applicant = empty.users[Role.APPLICANT]
    organisation = empty.unit.application.unit
    make_meter(organisation, applicant)
    rows = hourly_rows(["0101"], 48)
    rows[10][2] = "-2"
    record = do_import_file(
        organisation,
        write_export(tmp_path / "抄表.csv", rows),
        file_name="抄表.csv",
        mapping=SourceInput("", "抄表时间", "电量", meter_column="表号"),
        actor=applicant,
    )
    url = reverse("monitoring_figures:unit", args=[empty.unit.pk])
    html = _client(applicant).get(url).content.decode()
    assert reverse("monitoring:import", args=[record.pk]) in html
    assert "用量不能为负数" in html
    assert reverse("monitoring:meters", args=[organisation.pk]) in html
    # The meter as its register numbers it, in every table; not its id in the store.
    # Facilities, completeness, the negative row refused and the hour it left estimated.
    assert html.count("<code>0101</code>") == 4
    assert f"{organisation.pk}-0101" not in html


def test_a_damaged_store_file_is_explained_not_a_server_error(metered: Setting) -> None:
    community = community_key(metered.unit.application.unit)
    part = metered.store.files([community])[0]
    part.write_bytes(b"not parquet")
    url = reverse("monitoring_figures:unit", args=[metered.unit.pk])
    response = _client(metered.users[Role.APPLICANT]).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "无法计算月度数据" in html
    assert "not parquet" not in html
    assert str(part) not in html


def test_population_from_a_filed_progress_report(
    users: dict[str, User], admin_user: User, settings: object, tmp_path: Path
) -> None:
    """The creation records' population (a filed annual progress report's drivers) counts for
    its year and after; the application's for the years before. (A round of 2026: its schedule
    has the work plan of 2027 the progress report of 2026 is filed with.)"""
    settings.LOWCARBON_MONITORING_DIR = tmp_path / "monitoring"  # type: ignore[attr-defined]
    selected = _unit(users, admin_user, year=2026)
    applicant = users[Role.APPLICANT]
    unit = do_change_unit_status(
        selected,
        target=LifecycleStatus.IN_CREATION,
        reason="实施方案已报送。",
        expected_version=selected.version,
        actor=admin_user,
    )
    activity = activity_of(2026)
    drivers = tuple(
        dataclasses.replace(d, resident_population=9000) for d in activity.profile.drivers
    )
    activity = dataclasses.replace(
        activity, profile=dataclasses.replace(activity.profile, drivers=drivers)
    )
    report = do_start_filing(unit, kind="progress_report", year=2026, actor=applicant)
    report = do_attach_activity(
        report, activity, file_name="2026年活动数据.xlsx", expected_version=1, actor=applicant
    )
    do_submit_filing(report, expected_version=report.version, actor=applicant)
    community = community_key(unit.application.unit)
    meter = _meter("L1", Carrier.ELECTRICITY, MeterUse.PUBLIC_LIGHTING, "kWh", community)
    for start in (datetime(2025, 11, 1), datetime(2026, 11, 1)):
        path = _write(tmp_path / f"{start:%Y}.csv", _hours(start, 720, "1"))
        ingest(monitoring_store(), path, MAPPING, meter, now=datetime(2026, 12, 1))
    later = unit_figures(unit, now=datetime(2026, 12, 5)).population
    assert (later.value, later.source) == (9000, PopulationSource.PROGRESS_REPORT)
    assert later.year == 2026
    earlier = unit_figures(unit, now=NOW).population
    assert (earlier.value, earlier.source) == (8190, PopulationSource.ACCOUNTING)
    assert earlier.year == 2025


def test_population_from_the_plan_or_not_reported(empty: Setting) -> None:
    plan = frozen_snapshot(empty.unit.submission)
    without_drivers = dataclasses.replace(
        plan, accounting={}, sections=dict(plan.sections) | {"resident_population": "7600"}
    )
    stated = population_of(empty.unit, without_drivers, 2025)
    assert (stated.value, stated.source) == (7600, PopulationSource.PLAN)
    nothing = dataclasses.replace(
        without_drivers,
        sections={k: v for k, v in plan.sections.items() if k != "resident_population"},
    )
    unknown = population_of(empty.unit, nothing, 2025)
    assert (unknown.value, unknown.source) == (None, PopulationSource.NONE)
    assert _population_text(unknown) == "未填报"
    assert _population_text(stated) == "7600人（实施方案基本情况）"
