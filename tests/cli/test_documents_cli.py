"""``lowcarbon documents``: the plan of an exported application, as DOCX and PDF."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from lowcarbon.cli.documents import EXIT_NO_PDF
from lowcarbon.cli.main import EXIT_INPUT, EXIT_OK, main
from lowcarbon.core.accounting import run_accounting
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.factors import load_factor_library

from ..application_export import example_export, write_export


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_plan_of_an_exported_zone_is_written_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = write_export(tmp_path / "zone.json", example_export("zone"))
    out_file = tmp_path / "plan.docx"
    code, out, err = run(capsys, "documents", "plan", str(exported), "-o", str(out_file))
    assert code == EXIT_OK, err
    assert "方案已写入" in out or str(out_file) in out
    assert "快照" in out or "SHA-256" in out
    document = Document(str(out_file))
    texts = [p.text for p in document.paragraphs]
    assert "望江湾低碳发展实践区" in texts
    assert "一、区域基本情况" in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["一、区域基本情况", "二、创建可行性分析", "三、建设方案"]
    # The inventory table is there with the engine's base-year total (156,603.31 tCO₂).
    assert any("156,603.31" in cell.text for t in document.tables for cell in t.rows[-1].cells)
    # Charts drawn from the accounting result are embedded.
    assert document.inline_shapes
    assert "第1.1部分：缺少四至边界" in out  # the missing elements are listed


def test_json_output_names_the_files_and_the_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = write_export(tmp_path / "c.json", example_export("community"))
    code, out, _ = run(
        capsys,
        "documents",
        "plan",
        str(exported),
        "-o",
        str(tmp_path / "c.docx"),
        "--json",
        "--no-charts",
    )
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["docx"].endswith("c.docx")
    assert len(data["snapshot_sha256"]) == 64
    assert data["warnings"]
    assert data["pdf"] is None


def test_pdf_failure_keeps_the_docx_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", str(tmp_path / "absent"))
    exported = write_export(tmp_path / "c.json", example_export("community"))
    out_file = tmp_path / "c.docx"
    code, out, _ = run(
        capsys, "documents", "plan", str(exported), "-o", str(out_file), "--pdf", "--no-charts"
    )
    assert code == EXIT_NO_PDF
    assert out_file.is_file()
    assert "LibreOffice" in out


def test_a_changed_edition_is_refused_with_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = example_export("zone")
    data["editions"]["rubric"]["sha256"] = "0" * 64
    exported = write_export(tmp_path / "zone.json", data)
    code, _, err = run(capsys, "documents", "plan", str(exported), "-o", str(tmp_path / "x.docx"))
    assert code == EXIT_INPUT
    assert "editions.rubric.sha256" in err
    assert not (tmp_path / "x.docx").exists()


def test_a_broken_template_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    document = Document()
    document.add_paragraph("{{ body }} {{ mayor }}")
    document.save(str(template))
    exported = write_export(tmp_path / "c.json", example_export("community"))
    code, _, err = run(
        capsys,
        "documents",
        "plan",
        str(exported),
        "-o",
        str(tmp_path / "c.docx"),
        "--template",
        str(template),
        "--no-charts",
    )
    assert code == EXIT_INPUT
    assert "mine.docx" in err
    assert "{{ mayor }}" in err


def test_the_template_command_writes_an_editable_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "template.docx"
    code, _, _ = run(capsys, "documents", "template", "-o", str(out_file))
    assert code == EXIT_OK
    texts = [p.text for p in Document(str(out_file)).paragraphs]
    assert "{{ body }}" in texts
    assert "{{ unit_name }}" in texts


# --- task list and annual work plan ---------------------------------------------------------


def _zone_with_projects(tmp_path: Path) -> Path:
    from ..documents.test_task_list import zone_sections

    data = example_export("zone")
    data["sections"] |= zone_sections()
    return write_export(tmp_path / "zone.json", data)


def test_task_list_as_a_spreadsheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    exported = _zone_with_projects(tmp_path)
    out_file = tmp_path / "tasks.xlsx"
    code, out, err = run(capsys, "documents", "task-list", str(exported), "-o", str(out_file))
    assert code == EXIT_OK, err
    assert f"任务清单已写入 {out_file}" in out
    assert "氢能公交示范线" in out  # the key project outside the baseline data is reported
    sheet = load_workbook(out_file)["任务清单"]
    assert sheet["C3"].value == "任务/项目名称"


def test_task_list_as_word_with_json_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = _zone_with_projects(tmp_path)
    out_file = tmp_path / "tasks.docx"
    code, out, _ = run(
        capsys, "documents", "task-list", str(exported), "-o", str(out_file), "--json"
    )
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["docx"] == str(out_file)
    # The reductions the forecast counts: computed from the example's activities.
    result = run_accounting(
        load_accounting_file(Path(__file__).parents[2] / "examples" / "zone" / "accounting.yaml"),
        load_factor_library(),
    )
    assert result.forecast is not None
    counted = sum((r.reduction_tco2 for r in result.forecast.reductions), Decimal(0))
    assert Decimal(data["total_reduction_tco2"]) == counted
    assert data["entries"] == 12
    assert data["pdf"] is None
    assert Document(str(out_file)).tables[0].rows[0].cells[2].text == "任务/项目名称"


def test_work_plan_of_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = _zone_with_projects(tmp_path)
    out_file = tmp_path / "wp.docx"
    code, out, err = run(
        capsys,
        "documents",
        "work-plan",
        str(exported),
        "--year",
        "2027",
        "-o",
        str(out_file),
        "--json",
    )
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["year"] == 2027
    assert "氢能公交示范线" in data["active"]
    # the tasks' reductions as computed from their activities (the plan's text states 23 460)
    assert Decimal(data["reduction_tco2"]) == Decimal("23459.024")
    titles = [p.text for p in Document(str(out_file)).paragraphs if p.style.name == "Title"]
    # Wider than a title line: broken after the place name, never inside a word.
    assert "望江湾低碳发展实践区\n2027年度低碳发展工作计划" in titles


def test_work_plan_pdf_failure_keeps_the_docx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", str(tmp_path / "absent"))
    exported = _zone_with_projects(tmp_path)
    out_file = tmp_path / "wp.docx"
    code, out, _ = run(
        capsys,
        "documents",
        "work-plan",
        str(exported),
        "--year",
        "2026",
        "-o",
        str(out_file),
        "--pdf",
    )
    assert code == EXIT_NO_PDF
    assert out_file.is_file()
    assert "未生成PDF" in out
    assert "LibreOffice" in out


@pytest.mark.parametrize(
    ("output", "extra", "message"),
    [
        ("tasks.pdf", [], "扩展名应为.docx（Word）或.xlsx"),
        ("tasks.xlsx", ["--pdf"], "--pdf须与Word输出（.docx）一起使用"),
    ],
)
def test_task_list_refuses_an_output_it_cannot_write(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    output: str,
    extra: list[str],
    message: str,
) -> None:
    exported = _zone_with_projects(tmp_path)
    code, _, err = run(
        capsys, "documents", "task-list", str(exported), "-o", str(tmp_path / output), *extra
    )
    assert code == EXIT_INPUT
    assert message in err
    assert not (tmp_path / output).exists()


def test_work_plan_refuses_a_year_that_is_not_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = _zone_with_projects(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["documents", "work-plan", str(exported), "--year", "二〇二七", "-o", "x.docx"])
    assert stop.value.code == 2
    assert "“二〇二七”不是1990至2100之间的年份" in capsys.readouterr().err
