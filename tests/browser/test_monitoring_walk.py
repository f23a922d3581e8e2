"""The community greenhouse-gas monitoring system walked through the pages (issue 17): the
community's staff register two meters, import a month of a utility export (with a conflicting
duplicate), save its columns, download the report, import the same file again; then read the
unit's monthly emission page, drawn by ECharts, against figures computed here from the file.

The unit is selected into creation through the real actions before the browser starts (see
tests/browser/test_creation_walk.py); everything after it goes through the pages. The server
runs in this process and reads ``timezone.now()``, patched to the walks' clock: 2025-12-07,
so that 上月 is 2025-11, the month the export holds. The store of readings is a folder of the
test's own.
"""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from lowcarbon.rules.factors import load_factor_library

from .conftest import Shots
from .walks import Clock, Selected, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Where the lead engineer looks at the main pages after a run.
LOOK = Path("/tmp/walk-shots")

NOVEMBER = datetime(2025, 11, 1)
QUARTER = timedelta(minutes=15)
HOUR = timedelta(hours=1)
#: The lighting meter's duplicate: the same quarter-hour again with another value.
CONFLICT_AT = datetime(2025, 11, 10, 3, 0)
GAS_START = Decimal("8000.0")
GAS_PER_HOUR = Decimal("2.5")


def lighting_kwh(at: datetime) -> Decimal:
    """Public lighting: 0.8 kWh a quarter-hour from 18:00 to 06:00, 0.2 kWh by day."""
    return Decimal("0.8") if at.hour >= 18 or at.hour < 6 else Decimal("0.2")


def export_rows() -> list[list[str]]:
    """A utility's export of November 2025: the lighting meter every 15 minutes (consumption)
    and the households' gas register every hour (721 readings close 720 hours), one row of the
    lighting meter given twice with two values."""
    rows: list[list[str]] = []
    for k in range(30 * 96):
        at = NOVEMBER + k * QUARTER
        rows.append(["L-01", f"{at:%Y-%m-%d %H:%M}", f"{lighting_kwh(at)}"])
        if at == CONFLICT_AT:
            rows.append(["L-01", f"{at:%Y-%m-%d %H:%M}", "1.3"])
    for k in range(30 * 24 + 1):
        at = NOVEMBER + k * HOUR
        rows.append(["G-01", f"{at:%Y-%m-%d %H:%M}", f"{GAS_START + k * GAS_PER_HOUR}"])
    return rows


def write_export(folder: Path) -> Path:
    path = folder / "国网燃气抄表导出-2025年11月.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["表号", "抄表时间", "读数"])
        writer.writerows(export_rows())
    return path


def expected_month() -> dict[str, Decimal]:
    """November's figures as the readings imply them. The two conflicting rows are both
    refused; the quarter-hour between equal neighbours is estimated as their value, so the
    lighting month is every quarter-hour of the file's first values. The gas month is the
    register's last reading less its first."""
    kwh = sum((lighting_kwh(NOVEMBER + k * QUARTER) for k in range(30 * 96)), start=Decimal(0))
    m3 = (GAS_START + 720 * GAS_PER_HOUR) - GAS_START
    library = load_factor_library()
    end = date(2025, 11, 30)
    electricity = library.resolve("shanghai-2022", "electricity", end).apply(kwh, "kWh", "tCO2")
    gas = library.resolve("shanghai-2022", "natural_gas", end).apply(m3, "m3", "tCO2")
    return {"kwh": kwh, "m3": m3, "electricity": electricity, "gas": gas}


def fixed(value: Decimal, places: str) -> str:
    return f"{value.quantize(Decimal(places)):f}"


@pytest.fixture
def own_store(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "monitoring"
    settings.LOWCARBON_MONITORING_DIR = folder
    return folder


def look(shots: Shots, step: str) -> None:
    """A screenshot of a main step, also kept under /tmp/walk-shots/ to be looked at."""
    path = shots(step)
    LOOK.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, LOOK / f"monitoring-{path.name}")


def register_meter(page: Page, fields: dict[str, str], choices: dict[str, str]) -> None:
    page.get_by_role("link", name="登记计量表", exact=True).click()
    expect(page.get_by_role("heading", name="登记计量表")).to_be_visible()
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    for name, label in choices.items():
        page.locator(f"#id_{name}").select_option(label=label)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("计量表已登记。")
    page.get_by_role("link", name="计量表登记").click()


def import_counts(page: Page) -> dict[str, str]:
    table = page.locator("main table").first
    labels = ("读取行数", "新增区间数", "已存在", "拒收行数", "已标记")
    return {
        label: table.get_by_role("row", name=label).locator("td").inner_text() for label in labels
    }


def test_the_staff_register_meters_import_a_month_and_read_its_emissions(
    community: Selected,
    clock: Clock,
    own_store: Path,
    page: Page,
    site: str,
    shots: Shots,
    tmp_path: Path,
) -> None:
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    unit_url = f"{site}/creation/units/{community.unit.pk}/"
    clock.set(2025, 12, 7, 10, 0)

    # 1. The community's staff open the meter register from their creation unit's page.
    sign_in_as(page, site, community.applicant)
    page.goto(unit_url)
    page.get_by_role("link", name="计量表登记").click()
    expect(page.get_by_role("heading", name="田林十二村社区 · 计量表登记")).to_be_visible()
    expect(page.locator("main")).to_contain_text("尚未登记计量表")

    register_meter(
        page,
        {
            "number": "L-01",
            "name": "小区道路公共照明",
            "location": "3号楼配电间",
            "reading_unit": "kWh",
            "interval_minutes": "15",
            "multiplier": "1",
            "max_rate": "40",
        },
        {"carrier": "电力", "use": "公共照明", "reading": "区间用量"},
    )
    register_meter(
        page,
        {
            "number": "G-01",
            "name": "居民燃气总表",
            "location": "小区燃气调压站",
            "reading_unit": "m³",
            "interval_minutes": "60",
            "multiplier": "1",
        },
        {"carrier": "天然气", "use": "居民住户", "reading": "累计读数"},
    )
    register = page.locator("main table")
    lighting = register.get_by_role("row").filter(has_text="L-01")
    expect(lighting).to_contain_text("电力 · 公共照明")
    expect(lighting).to_contain_text("区间用量 (kWh)")
    expect(lighting).to_contain_text("15")
    gas = register.get_by_role("row").filter(has_text="G-01")
    expect(gas).to_contain_text("天然气 · 居民住户")
    expect(gas).to_contain_text("累计读数 (m³)")
    look(shots, "meter-register")

    # The month's export: its columns named and saved as a source for the next month.
    export = write_export(tmp_path)
    expected = expected_month()
    page.get_by_role("link", name="计量数据导入记录").click()
    page.get_by_role("link", name="导入抄表数据文件").click()
    page.locator("#id_file").set_input_files(export)
    page.locator("#id_time_column").fill("抄表时间")
    page.locator("#id_value_column").fill("读数")
    page.locator("#id_meter_column").fill("表号")
    page.locator("#id_save_as").fill("国网月度抄表导出")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_role("heading", name="计量数据导入 · " + export.name)).to_be_visible()
    rows = len(export_rows())
    # 2 880 quarter-hours + the duplicate + 721 gas readings; both conflicting rows refused,
    # the quarter-hour they leave estimated (flagged as a gap): 2 880 + 720 intervals added.
    assert import_counts(page) == {
        "读取行数": str(rows),
        "新增区间数": "3600",
        "已存在": "0",
        "拒收行数": "2",
        "已标记": "1",
    }
    expect(page.get_by_role("heading", name="检查发现的问题")).to_be_visible()
    findings = page.locator("main table").nth(1)
    conflict = findings.get_by_role("row").filter(has_text="同一时段出现不同读数：均不采用")
    expect(conflict).to_have_count(2)
    expect(conflict.first).to_contain_text("L-01")
    expect(conflict.first).to_contain_text("2025-11-10 03:00")
    expect(findings.get_by_role("row").filter(has_text="缺少时段读数")).to_have_count(1)
    look(shots, "import-result")

    with page.expect_download() as caught:
        page.get_by_role("link", name="下载完整检查报告（CSV）").click()
    download = caught.value
    assert download.suggested_filename.endswith("检查报告.csv")
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    report = list(csv.reader(io.StringIO(text)))
    assert report[0][:4] == ["处理", "理由", "计量表", "行"]
    # The file's row of each (its heading is row 1): the quarter-hour's two values.
    first = export_rows().index(["L-01", f"{CONFLICT_AT:%Y-%m-%d %H:%M}", "0.8"]) + 2
    assert [line[:4] + line[6:7] for line in report[1:]] == [
        ["拒收", "同一时段出现不同读数：均不采用", "L-01", str(first), "0.8"],
        ["拒收", "同一时段出现不同读数：均不采用", "L-01", str(first + 1), "1.3"],
        [
            "标记",
            "缺少时段读数；不超过4个时段的缺口按估算值补齐（标注为估算），更长的缺口不补",
            "L-01",
            str(first + 2),
            "2025-11-10 02:45:00 → 2025-11-10 03:15:00",
        ],
    ]

    # The same file again, through the saved source: nothing is added.
    page.get_by_role("link", name="计量数据导入记录").click()
    expect(page.locator("main")).to_contain_text("国网月度抄表导出")
    page.get_by_role("link", name="导入抄表数据文件").click()
    page.locator("#id_file").set_input_files(export)
    page.locator("#id_source").select_option(label="国网月度抄表导出")
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator("main")).to_contain_text("没有新数据")
    expect(page.locator("main")).to_contain_text("曾于")
    counts = import_counts(page)
    assert (counts["新增区间数"], counts["已存在"]) == ("0", "3600")
    shots("same-file-again")

    # 2. The unit's monthly emission page: 上月 is November.
    errors.clear()
    page.goto(unit_url)
    page.get_by_role("link", name="计量表的月度能耗与碳排放").click()
    expect(page.get_by_role("heading", name="田林十二村社区 · 上月碳排放")).to_be_visible()
    for chart in ("chart-emissions", "chart-energy"):
        box = page.locator(f"[data-chart={chart}]")
        expect(box.locator("canvas").first).to_be_attached()
        expect(box).to_have_class("dashboard-chart drawn")
    kwh, m3 = fixed(expected["kwh"], "0.1"), fixed(expected["m3"], "0.1")
    electricity, gas_t = expected["electricity"], expected["gas"]
    # By hand: 30 days × 48 kWh, 720 h × 2.5 m³; 0.42 kg/kWh and 2.162 kg/m³.
    assert (kwh, m3) == ("1440.0", "1800.0")
    assert (electricity, gas_t) == (Decimal("0.6048"), Decimal("3.8916"))
    headline = page.locator("table.dashboard-headline")
    expect(headline.get_by_role("row").first).to_contain_text(
        fixed(electricity + gas_t, "0.01") + " 吨二氧化碳当量"
    )
    expect(headline.get_by_role("row").filter(has_text="外购电力")).to_contain_text(
        f"{kwh} 千瓦时 · {fixed(electricity, '0.01')} 吨二氧化碳当量"
    )
    expect(headline.get_by_role("row").filter(has_text="天然气")).to_contain_text(
        f"{m3} 立方米 · {fixed(gas_t, '0.01')} 吨二氧化碳当量"
    )
    months = page.locator(".wide-table table")
    expect(months).to_contain_text("2025年11月")
    for name, amount, tonnes in (
        ("外购电力", kwh, electricity),
        ("天然气", m3, gas_t),
        ("合计", None, electricity + gas_t),
    ):
        row = months.get_by_role("row").filter(has_text=name)
        expect(row).to_have_count(1)
        if amount is not None:
            expect(row).to_contain_text(amount)
        expect(row).to_contain_text(fixed(tonnes, "0.01"))
    # Every quarter-hour and hour of the month is there, one of them estimated.
    completeness = page.locator("main table").filter(has_text="应有时段数")
    for meter, cells in (
        ("L-01", ["L-01", "公共照明", "外购电力", "2880", "2880", "1", "0", "100.0 %"]),
        ("G-01", ["G-01", "居民住户", "天然气", "720", "720", "0", "0", "100.0 %"]),
    ):
        row = completeness.get_by_role("row").filter(
            has=page.get_by_role("cell", name=meter, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(cells)
    # The open findings: the conflicting rows refused and the quarter-hour they left, L-01's.
    anomalies = page.locator("main table").filter(has_text="同一时段出现不同读数：均不采用")
    refused_rows = anomalies.get_by_role("row").filter(has_text="拒收")
    expect(refused_rows).to_have_count(2)  # the file was imported twice: its rows count once
    for text in refused_rows.all_inner_texts():
        assert "同一时段出现不同读数：均不采用" in text
        assert "\tL-01\t" in text  # the register's number, not the store's id
        assert "2025-11-10 03:00" in text
    gap = anomalies.get_by_role("row").filter(has_text="标记")
    expect(gap.first).to_contain_text("缺少时段读数")
    expect(page.locator("main")).not_to_contain_text("Traceback")
    look(shots, "monthly-emissions")
    assert errors == []

    # 3. The district's officer sees the unit beside the district's others; an expert does not.
    sign_in_as(page, site, community.officer)
    page.get_by_role("link", name="月度碳排放").click()
    expect(page.get_by_role("heading", name="徐汇区 · 各创建单位月度碳排放")).to_be_visible()
    expect(page.locator("[data-chart=chart-units] canvas").first).to_be_attached()
    row = page.locator(".wide-table table").get_by_role("row").filter(has_text="田林十二村社区")
    # Unit, meters, tCO2, residents, kg per resident (4.4964 t / 8 190), last year, completeness.
    expect(row.get_by_role("cell")).to_have_text(
        ["田林十二村社区", "2", "4.50", "8190", "0.55", "—", "100.0 %"]
    )
    district_url = page.url
    look(shots, "district")
    row.get_by_role("link", name="田林十二村社区").click()
    expect(page.get_by_role("heading", name="田林十二村社区 · 上月碳排放")).to_be_visible()
    assert errors == []

    sign_in_as(page, site, "expert_w1")
    expect(page.get_by_role("link", name="月度碳排放")).to_have_count(0)
    for url in (district_url, f"{site}/monitoring/figures/unit/{community.unit.pk}/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
        expect(page.locator("main")).to_contain_text("页面不存在，或未向您的账号开放。")
        expect(page.locator("main")).not_to_contain_text("田林十二村社区")
    shots("expert-refused")


def register_household(page: Page, address: str, members: str, username: str) -> tuple[str, str]:
    """The committee registers a household and its resident's account: the ledger's address
    and the first password, shown once."""
    page.get_by_role("link", name="登记住户").click()
    page.locator("#id_label").fill(address)
    page.locator("#id_members").fill(members)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("住户已登记。")
    expect(page.get_by_role("heading", name=f"家庭能耗台账 · {address}")).to_be_visible()
    ledger = page.url
    page.get_by_role("link", name="创建居民账号").click()
    page.locator("#id_username").fill(username)
    page.locator("#id_full_name").fill("王女士")
    page.get_by_role("button", name="创建账号").click()
    expect(page.locator("main")).to_contain_text(f"账号 {username}")
    password = page.locator("main code").inner_text().strip()
    assert len(password) >= 12
    page.get_by_role("link", name="返回台账").click()
    page.get_by_role("link", name="返回住户列表").click()
    return ledger, password


def test_the_committee_registers_households_and_a_resident_keeps_the_ledger(
    community: Selected, clock: Clock, page: Page, site: str, shots: Shots
) -> None:
    clock.set(2025, 12, 7, 10, 0)

    # 4. The residents' committee (the unit's staff) registers two households with accounts.
    sign_in_as(page, site, community.applicant)
    page.get_by_role("link", name="家庭能耗台账").click()
    expect(page.get_by_role("heading", name="住户及其能耗台账 · 田林十二村社区")).to_be_visible()
    ledger, password = register_household(page, "12号楼 3单元 502", "3", "resident502")
    _other, other_password = register_household(page, "12号楼 3单元 601", "2", "resident601")
    households = page.locator("main table").first
    expect(households.get_by_role("row").filter(has_text="3单元 502")).to_contain_text(
        "resident502"
    )
    expect(households.get_by_role("row").filter(has_text="3单元 601")).to_contain_text(
        "resident601"
    )
    shots("committee-households")

    # The resident signs in on their ledger and records November from the bills.
    sign_in_as(page, site, "resident502", password, lands_on="家庭能耗台账 · 12号楼 3单元 502")
    assert page.url == ledger
    expect(page.locator("main")).to_contain_text("尚无月度记录。")
    page.get_by_role("link", name="记录月度用能").click()
    page.locator("#id_month").fill("2025-11")
    page.locator("#id_electricity_kwh").fill("180")
    page.locator("#id_gas_m3").fill("15")
    page.locator("#id_water_m3").fill("6")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("2025-11 已记录。")
    library = load_factor_library()
    end = date(2025, 11, 30)
    kg = library.resolve("shanghai-2022", "electricity", end).apply(
        Decimal(180), "kWh", "kgCO2"
    ) + library.resolve("shanghai-2022", "natural_gas", end).apply(Decimal(15), "m3", "kgCO2")
    assert kg == Decimal("108.03")  # 180 × 0.42 + 15 × 2.162, by hand
    november = page.locator("main table").get_by_role("row").filter(has_text="2025-11")
    expect(november.get_by_role("cell")).to_have_text(
        [
            "2025-11",
            "180.00",
            "15.00",
            "6.00",
            "账单",
            fixed(kg, "0.1"),
            fixed(kg / 3, "0.1"),
            "户数不足，不显示平均",
            "修改",
        ]
    )
    expect(page.locator("main")).to_contain_text("不计入排放")
    expect(page.locator("main")).not_to_contain_text("12号楼 3单元 601")
    look(shots, "resident-ledger")

    # Another resident of the community cannot open it: the page is not theirs.
    sign_in_as(
        page, site, "resident601", other_password, lands_on="家庭能耗台账 · 12号楼 3单元 601"
    )
    response = page.goto(ledger)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("3单元 502")
    expect(page.locator("main")).not_to_contain_text(fixed(kg, "0.1"))
    shots("other-resident-refused")
