"""``lowcarbon accounting``: what a person runs on the examples and the workbook."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lowcarbon.cli.main import EXIT_INPUT, EXIT_OK, main

ROOT = Path(__file__).parents[2]
COMMUNITY = ROOT / "examples" / "community" / "accounting.yaml"
ZONE = ROOT / "examples" / "zone" / "accounting.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_inventory_in_chinese_shows_factors_sources_and_ne(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "accounting", "inventory", str(COMMUNITY), "--year", "2023")
    assert code == EXIT_OK, err
    assert "青枫里社区" in out
    assert "EL-SH-2022" in out
    assert "4.2 tCO2/10^4kWh" in out
    assert "4,720.80" in out  # 11 240 000 kWh × 0.42 kg/kWh
    assert "未估算" in out or "NE" in out
    assert "6,083.11" in out


def test_inventory_json_is_traceable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "accounting", "inventory", str(COMMUNITY), "--json")
    data = json.loads(out)
    assert code == EXIT_OK
    first = data["inventories"][0]
    line = first["lines"][0]
    assert line["factor"]["source_id"] == "EL-SH-2022"
    assert "沪环气〔2022〕34号" in line["factor"]["reference"]
    assert Decimal(line["tco2"]) == Decimal(line["quantity"]) * Decimal("0.00042")
    total = sum(
        Decimal(x["tco2"])
        for x in first["lines"]
        if x["tco2"] is not None and x["category"] not in {"green_space", "trees"}
    )
    assert total == Decimal(first["gross_tco2"])
    assert data["final"] is True


def test_forecast_reports_targets_and_consistency(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.xlsx"
    code, out, _ = run(
        capsys, "accounting", "forecast", str(ZONE), "--xlsx", str(report), "--lang", "en"
    )
    assert code == EXIT_OK
    assert "Task reductions and overall target (附件2 三): not consistent" in out
    assert "emission decline rate" in out
    book = load_workbook(report)
    assert book.sheetnames == [
        "Inventory",
        "Indicators",
        "Comparison",
        "Forecast",
        "Targets",
        "Task shares",
    ]
    code, out, _ = run(capsys, "accounting", "forecast", str(ZONE), "--json")
    data = json.loads(out)
    sheet_rows = list(book["Targets"].iter_rows(min_row=2, values_only=True))
    first = data["forecast"]["targets"][0]
    assert sheet_rows[0][0] == first["kind"]
    assert abs(Decimal(str(sheet_rows[0][3])) - Decimal(first["reached"])) < Decimal("0.0001")


def test_compare_shows_like_for_like_decline_and_lmdi(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "accounting", "compare", str(ZONE))
    assert code == EXIT_OK
    assert "2025" in out
    assert "2023" in out
    assert "LMDI" in out


def test_a_set_that_does_not_cover_every_year_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "accounting", "compare", str(COMMUNITY), "--set", "shanghai-2012")
    assert code == EXIT_INPUT  # 2025 lies outside the 2012 set's validity
    assert "shanghai-2012" in err


def test_workbook_template_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    book = tmp_path / "数据采集表.xlsx"
    code, out, _ = run(
        capsys, "accounting", "template", "--kind", "community", "--example", "-o", str(book)
    )
    assert code == EXIT_OK
    assert str(book) in out
    _, from_yaml, _ = run(capsys, "accounting", "inventory", str(COMMUNITY), "--json")
    _, from_xlsx, _ = run(capsys, "accounting", "inventory", str(book), "--json")
    assert json.loads(from_xlsx)["inventories"] == json.loads(from_yaml)["inventories"]


def test_empty_template_is_refused_clearly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = tmp_path / "空白.xlsx"
    run(capsys, "accounting", "template", "--kind", "zone", "-o", str(book))
    code, _, err = run(capsys, "accounting", "inventory", str(book))
    assert code == EXIT_INPUT
    assert "Traceback" not in err


def test_a_draft_fails_only_when_a_final_result_is_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = COMMUNITY.read_text(encoding="utf-8").replace("quality: measured", "quality: default", 1)
    draft = tmp_path / "draft.yaml"
    draft.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "accounting", "inventory", str(draft))
    assert code == EXIT_OK
    assert "⚠" in out
    code, _, _ = run(capsys, "accounting", "inventory", str(draft), "--final")
    assert code == 4


def test_workbook_errors_name_each_cell_on_its_own_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = tmp_path / "表.xlsx"
    run(capsys, "accounting", "template", "--kind", "community", "--example", "-o", str(book))
    workbook = load_workbook(book)
    workbook["电力"]["D3"] = "abc"
    workbook["电力"]["B4"] = "电费"
    workbook.save(book)
    code, out, err = run(capsys, "accounting", "inventory", str(book))
    assert code == EXIT_INPUT
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{book}: 电力!D3（数量）")
    assert "abc" in lines[0]
    assert lines[1].startswith(f"{book}: 电力!B4（类别）")
    assert lines[-1] == "共2处问题；未导入任何数据"


def _file(tmp_path: Path, records: str) -> Path:
    path = tmp_path / "两年.yaml"
    path.write_text(
        "profile:\n"
        "  name: 测试社区\n"
        "  kind: community\n"
        "  boundary: {four_sides: 东至甲路，南至乙路，西至丙路，北至丁路}\n"
        "  base_year: 2023\n"
        "  drivers:\n"
        "    - {year: 2023, resident_population: 1000, households: 400}\n"
        "    - {year: 2024, resident_population: 1000, households: 400}\n"
        "years: [2023, 2024]\n"
        "records:\n"
        "  - {year: 2023, category: electricity, sector: residential, quantity: 1400000,"
        " unit: kWh, quality: measured}\n"
        "  - {year: 2023, category: natural_gas, sector: residential, quantity: 50000,"
        " unit: m3, quality: measured}\n" + records,
        encoding="utf-8",
    )
    return path


def test_an_empty_year_is_never_a_100_percent_decline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--lang", "en", "accounting", "compare", str(_file(tmp_path, "")))
    assert code == 4
    assert "No decline rate: the 2024 inventory has no emission record" in out
    assert "100" not in out.split("against the base year")[1]
    code, out, _ = run(
        capsys, "--lang", "en", "accounting", "compare", str(_file(tmp_path, "")), "--json"
    )
    comparison = json.loads(out)["comparison"]
    assert comparison["decline_rate"] is None
    assert "no emission record" in comparison["refused"]


def test_a_draft_year_gives_a_provisional_decline_with_its_gaps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _file(
        tmp_path,
        "  - {year: 2024, category: electricity, sector: residential, quantity: 1300000,"
        " unit: kWh, quality: measured}\n"
        "  - {year: 2024, category: natural_gas, sector: residential, quantity: 48000,"
        " unit: m3, quality: default}\n",
    )
    code, out, _ = run(capsys, "--lang", "en", "accounting", "compare", str(path))
    assert code == EXIT_OK
    assert "emission decline rate (like for like): 6.65 %" in out
    assert "⚠ Provisional" in out
    assert "2024 is a draft, not a final result: records 4 use default values" in out
    code, _, _ = run(capsys, "accounting", "compare", str(path), "--final")
    assert code == 4


def test_an_implausible_magnitude_is_a_finding_in_text_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _file(
        tmp_path,
        "  - {year: 2024, category: electricity, sector: residential, quantity: 1.0e+30,"
        " unit: kWh, quality: measured}\n"
        "  - {year: 2024, category: natural_gas, sector: residential, quantity: 48000,"
        " unit: m3, quality: measured}\n",
    )
    code, out, _ = run(capsys, "--lang", "en", "accounting", "inventory", str(path), "--final")
    assert code == 4
    assert "per-capita emissions of 2024 is 4.200e+23 tCO2/(person*a)" in out
    code, out, _ = run(capsys, "accounting", "inventory", str(path), "--json")
    findings = json.loads(out)["inventories"][1]["findings"]
    assert [f["metric"] for f in findings] == [
        "per_capita",
        "residential_electricity_per_household",
    ]
    assert findings[0]["basis"] == "assumption"
    assert findings[0]["high"] == "20"


def test_shares_by_scope_category_and_sector_add_up_to_100(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "--lang", "en", "accounting", "inventory", str(COMMUNITY), "--year", "2023"
    )
    assert code == EXIT_OK
    assert "by scope: scope 2 86.1 %; scope 1 13.9 %" in out
    # natural gas 13.8 + gasoline 0.1 = scope 1 13.9: rounded by the largest remainder
    assert "by category: electricity 86.1 %; natural gas 13.8 %; gasoline 0.1 %" in out
    code, out, _ = run(capsys, "accounting", "inventory", str(COMMUNITY), "--json")
    for inventory in json.loads(out)["inventories"]:
        for table in inventory["shares"].values():
            assert sum(Decimal(part["shown_pct"]) for part in table) == 100
            assert sum(Decimal(part["tco2"]) for part in table) == Decimal(inventory["gross_tco2"])


PER_YEAR = ROOT / "tests" / "rules" / "fixtures" / "accounting" / "per_year_sets.yaml"


def test_a_base_year_under_its_historical_set_is_compared_like_for_like(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--lang", "en", "accounting", "compare", str(PER_YEAR))
    assert code == EXIT_OK
    assert "emission decline rate (like for like): 7.95 %" in out
    assert "change due to the factor set (not a reduction): 41.07 %" in out
    assert "recomputed under 'shanghai-2022-v2'" in out
    code, out, _ = run(capsys, "accounting", "inventory", str(PER_YEAR), "--json")
    assert json.loads(out)["factor_sets"] == {"2020": "shanghai-2012", "2024": "shanghai-2022-v2"}
    # --set puts every year under one set: the 2012 set does not reach 2024
    code, _, err = run(capsys, "accounting", "compare", str(PER_YEAR), "--set", "shanghai-2012")
    assert code == EXIT_INPUT
    assert "shanghai-2012" in err


CLAIMS = ROOT / "tests" / "rules" / "fixtures" / "accounting" / "tasks_claims.yaml"
COMPUTED = ROOT / "tests" / "rules" / "fixtures" / "accounting" / "tasks_computed.yaml"


def test_forecast_shows_how_each_reduction_arises_and_flags_declared_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--lang", "en", "accounting", "forecast", str(COMPUTED))
    assert code == EXIT_OK
    assert "Task reductions and overall target (附件2 三): consistent" in out
    assert "T1: added on-site renewable electricity 60000 kWh" in out
    assert "= 25.2 tCO2" in out
    code, out, _ = run(capsys, "--lang", "en", "accounting", "forecast", str(CLAIMS))
    assert "Task reductions and overall target (附件2 三): not consistent" in out
    assert "⚑ declared, not computed" in out
    assert "⚑ Findings on the task reductions:" in out
    # The domain split is a split of the tasks' total, never a share above 100 %.
    assert "they cover 1,563.6 % of the 34.80 tCO2 required" in out
    code, out, _ = run(capsys, "--lang", "en", "accounting", "forecast", str(CLAIMS), "--json")
    forecast = json.loads(out)["forecast"]
    assert forecast["consistency"] is False
    assert [r["status"] for r in forecast["reductions"]] == [
        "declared",
        "none",
        "computed",
        "declared",
        "declared",
    ]
    assert forecast["reductions"][2]["calculation"][0].startswith("avoided electricity 10000 kWh")
    assert len(forecast["claims"]) == 7
