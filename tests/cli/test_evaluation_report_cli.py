"""``lowcarbon documents evaluation-report``: the self-evaluation report from its input (JSON),
every unreadable field named with the value found and what is expected."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from lowcarbon.cli.main import EXIT_INPUT, EXIT_OK, main
from lowcarbon.documents.evaluation_report import EvaluationReport

from ..documents.test_evaluation_report import ACHIEVED, METER, PLANNED, REPORT
from ..system_tools import pdf_text, require_converter


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def as_input(report: EvaluationReport) -> dict[str, Any]:
    """The report's input file: the dataclasses' fields; the records listed once, cited by code."""
    data = plain(asdict(report))
    data["records"] = plain([asdict(record) for record in report.cited_records])
    del data["evidence"]
    for section in data["score"]:
        for item in section["items"]:
            item["records"] = [record["code"] for record in item["records"]]
    return data


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_report_is_written_from_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "input.json", as_input(REPORT))
    out_file = tmp_path / "report.docx"
    code, out, err = run(
        capsys, "documents", "evaluation-report", str(source), "-o", str(out_file), "--json"
    )
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["docx"] == str(out_file)
    assert data["self_points"] == "20.5"
    assert data["records"] == ["DA-2024-0003", "DA-2025-0007", "DA-2025-0012", "DA-2026-0001"]
    document = Document(str(out_file))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1] == "二、创建任务完成情况"
    total = [cell.text for cell in document.tables[0].rows[-1].cells]
    assert total[4] == f"{PLANNED:,.2f}"
    assert total[6] == f"{ACHIEVED:,.2f}"
    assert any(METER.sha256[:12] in cell.text for cell in document.tables[4].columns[5].cells)


def test_the_pdf_is_made_beside_the_docx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_converter()
    source = write(tmp_path / "input.json", as_input(REPORT))
    out_file = tmp_path / "自评价报告.docx"
    code, out, err = run(
        capsys, "documents", "evaluation-report", str(source), "-o", str(out_file), "--pdf"
    )
    assert code == EXIT_OK, err
    pdf = tmp_path / "自评价报告.pdf"
    assert str(pdf) in out
    assert "梅川社区验收自评价报告" in "".join(pdf_text(pdf).split())


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda d: d["tasks"][1].update(planned_tco2e="约1200吨"),
            "tasks[1].planned_tco2e 为“约1200吨”，应为数值",
        ),
        (
            lambda d: d.update(stage="acceptance"),
            "stage 为“acceptance”，应为midterm（中期评估）或 final（验收）",
        ),
        (lambda d: d.pop("rubric"), "缺少字段 rubric（应为文本）"),
        (
            lambda d: d["records"][0].update(sha256="abc123"),
            "records[0].sha256 为“abc123”，应为64位十六进制的 SHA-256",
        ),
        (
            lambda d: d["score"][1]["items"][0].update(records=["DA-2025-0007", "DA-9999"]),
            "score[1].items[0].records 引用的档案记录 DA-9999 不在档案记录清单（records）中",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(year="2025年"),
            "indicators[0].targets[0].year 为“2025年”，应为四位数年份",
        ),
        (lambda d: d.update(report_date="2026/11/30"), "report_date 为“2026/11/30”，应为日期"),
    ],
)
def test_a_field_that_cannot_be_read_is_named_with_its_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, said: str
) -> None:
    data = as_input(REPORT)
    change(data)
    source = write(tmp_path / "input.json", data)
    out_file = tmp_path / "report.docx"
    code, _, err = run(capsys, "documents", "evaluation-report", str(source), "-o", str(out_file))
    assert code == EXIT_INPUT
    assert str(source) in err
    assert said in err
    assert "Traceback" not in err
    assert not out_file.exists()


def test_a_file_that_is_not_json_is_named_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "input.json"
    source.write_text('{\n  "unit_name": "梅川社区",\n  "kind": community\n}', encoding="utf-8")
    code, _, err = run(
        capsys, "documents", "evaluation-report", str(source), "-o", str(tmp_path / "r.docx")
    )
    assert code == EXIT_INPUT
    assert f"{source}：不是有效的 JSON（第3行第11列）" in err


def test_only_a_word_output_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "input.json", as_input(REPORT))
    code, _, err = run(
        capsys, "documents", "evaluation-report", str(source), "-o", str(tmp_path / "r.xlsx")
    )
    assert code == EXIT_INPUT
    assert "r.xlsx" in err
    assert ".docx" in err


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "community" / "self-evaluation.json"


def test_the_bundled_example_reads_with_its_numbers_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "example.docx"
    code, out, err = run(
        capsys, "documents", "evaluation-report", str(EXAMPLE), "-o", str(out_file), "--json"
    )
    assert code == EXIT_OK, err
    assert json.loads(out)["max_points"] == "25"
    document = Document(str(out_file))
    # JSON numbers are read as exact decimals: 320.5 + 1200 + 85 + 64.25.
    assert [cell.text for cell in document.tables[0].rows[-1].cells][4] == "1,669.75"
    paragraphs = [p.text for p in document.paragraphs]
    assert not any(text.startswith("【待补充") for text in paragraphs)  # every text is written
