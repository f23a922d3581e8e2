"""``lowcarbon monitoring``: what an analyst runs, its messages and exit codes."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lowcarbon.cli.main import EXIT_INPUT, EXIT_OK, main
from lowcarbon.cli.monitoring import EXIT_FINDINGS

from .generator import Series, write_csv


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ingest_args(path: Path, store: Path, *extra: str) -> list[str]:
    return [
        "monitoring",
        "ingest",
        str(path),
        "--store",
        str(store),
        "--meter",
        "E1",
        "--time-column",
        "时间",
        "--value-column",
        "电量",
        "--reading",
        "interval-energy",
        "--unit",
        "kWh",
        *extra,
    ]


def test_ingest_then_monthly_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", Series(datetime(2024, 1, 31), 192).rows)
    code, out, err = run(capsys, *ingest_args(path, tmp_path / "s"))
    assert (code, err) == (EXIT_OK, "")
    assert out.strip() == "a.csv：读取192行；新增192个时段，0个已存在；拒收0条，标记0条，提示0条"
    code, out, _ = run(capsys, *ingest_args(path, tmp_path / "s"))
    assert "新增0个时段，192个已存在" in out
    code, out, err = run(capsys, "monitoring", "monthly", "--store", str(tmp_path / "s"))
    assert code == EXIT_OK, err
    assert "完整率" in out
    assert "2024-01  " in out
    assert "2024-02  " in out
    assert "tCO2按因子集shanghai-2022-v2计算" in out


def test_defects_exit_4_and_the_report_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    series = Series(datetime(2024, 1, 1), 50).set(3, "abc").set(7, "-1")
    path = write_csv(tmp_path / "d.csv", series.rows)
    report = tmp_path / "report.csv"
    code, out, _ = run(
        capsys, *ingest_args(path, tmp_path / "s", "--report", str(report), "--lang", "en")
    )
    assert code == EXIT_FINDINGS
    assert "d.csv: 50 rows read; 50 intervals added, 0 already stored; 2 rejected, 2 flagged" in out
    assert (
        "[rejected] meter E1, row 5, column '电量', 2024-01-01 00:45:00: "
        "the value is not a number; found abc, expected a number such as 12.5" in out
    )
    with report.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["severity"]) for r in rows] == [
        ("5", "rejected"),
        ("6", "flagged"),
        ("9", "rejected"),
        ("10", "flagged"),
    ]


def test_many_findings_are_cut_short_on_screen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    series = Series(datetime(2024, 1, 1), 60)
    for index in range(0, 60, 2):
        series.set(index, "x")
    code, out, _ = run(
        capsys, *ingest_args(write_csv(tmp_path / "m.csv", series.rows), tmp_path / "s")
    )
    assert code == EXIT_FINDINGS
    assert "……另有39条" in out
    assert "全部问题的报告：" in out


@pytest.mark.parametrize(
    ("extra", "content", "expected"),
    [
        ((), "时间,读数\n", "错误：a.csv：没有“电量”列；现有列为'时间'、'读数'"),
        (
            ("--unit", "m³"),
            "时间,电量\n",
            "错误：计量表E1：外购电力的单位“m³”不可用：m³ 计量的是体积",
        ),
        (("--multiplier", "x"), "时间,电量\n", "错误：--multiplier：“x”不是数字；应为如1或40"),
        (("--installed", "soon"), "时间,电量\n", "错误：--installed：“soon”不是日期"),
    ],
)
def test_input_errors_are_one_chinese_line_without_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    extra: tuple[str, ...],
    content: str,
    expected: str,
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, *ingest_args(path, tmp_path / "s"), *extra)
    assert code == EXIT_INPUT
    assert err.startswith(expected)
    assert "Traceback" not in err
    assert str(tmp_path) not in err


def test_a_missing_file_and_a_missing_meter_are_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, *ingest_args(tmp_path / "none.csv", tmp_path / "s"))
    assert (code, err.strip()) == (EXIT_INPUT, f"错误：{tmp_path / 'none.csv'}：文件不存在")
    path = write_csv(tmp_path / "a.csv", [])
    args = ingest_args(path, tmp_path / "s")
    del args[5:7]  # no --meter
    code, _, err = run(capsys, *args)
    assert (code, err.strip()) == (
        EXIT_INPUT,
        "错误：请指定计量表：--meter 编号，或--meter-column 列名",
    )


def test_monthly_json_and_an_empty_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "monitoring", "monthly", "--store", str(tmp_path), "--lang", "en")
    assert (code, out.strip()) == (EXIT_OK, "the store holds no readings yet")
    path = write_csv(tmp_path / "a.csv", Series(datetime(2024, 3, 1), 96 * 31, seed=3).rows)
    run(capsys, *ingest_args(path, tmp_path / "s"))
    code, out, _ = run(capsys, "monitoring", "monthly", "--store", str(tmp_path / "s"), "--json")
    data = json.loads(out)
    assert data["factor_set"] == "shanghai-2022-v2"
    (month,) = data["months"]
    assert (month["month"], month["rows"], month["completeness"]) == ("2024-03", 2976, "1.0000")
    expected = (Decimal(month["consumption"]) * Decimal("0.00042")).quantize(Decimal("0.000001"))
    assert month["tco2"] == str(expected)
