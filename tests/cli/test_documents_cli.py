"""``lowcarbon documents``: the plan of an exported application, as DOCX and PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from lowcarbon.cli.documents import EXIT_NO_PDF
from lowcarbon.cli.main import EXIT_INPUT, EXIT_OK, main

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
