"""The batch's acceptance result sheet (验收结果汇总表): one row per unit sorted by the acceptance
score, the change against the application score with its sign, the outcome and the naming, a
totals line counting the outcomes; DOCX landscape, XLSX with numbers, PDF."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from lowcarbon.cli.i18n import translator
from lowcarbon.documents.acceptance_results import (
    CHANGE_FORMAT,
    AcceptanceResultEntry,
    AcceptanceResultsContext,
    build_acceptance_results,
    write_docx,
    write_pdf,
    write_xlsx,
)

from ..system_tools import pdf_text, require_converter
from .test_acceptance_opinion import check_cjk_floor

ZH = translator("zh")
EN = translator("en")
HEADER = [
    "序号",
    "创建单位",
    "所在区",
    "申报得分",
    "验收得分",
    "分值变化",
    "验收结论",
    "命名",
    "备注",
]


def entries() -> list[AcceptanceResultEntry]:
    return [
        AcceptanceResultEntry("田林社区", "徐汇区", Decimal("84.5"), Decimal(82), "passed", True),
        AcceptanceResultEntry(
            "青枫里社区", "徐汇区", Decimal(80), Decimal("88.5"), "passed", True, "加分项6分"
        ),
        AcceptanceResultEntry(
            "江川社区", "闵行区", Decimal(78), Decimal("72.25"), "reinspect", False, "限期整改"
        ),
        AcceptanceResultEntry("新桥社区", "松江区", None, None, None, False),
        # The same score as 田林社区, listed before it by name (七 U+4E03 before 田 U+7530).
        AcceptanceResultEntry("七宝社区", "闵行区", Decimal(70), Decimal(82), "passed", False),
        AcceptanceResultEntry("华漕社区", "闵行区", Decimal(75), Decimal("55.5"), "failed", False),
    ]


def context(stage: str = "final", kind: str = "community") -> AcceptanceResultsContext:
    return AcceptanceResultsContext(
        batch_year=2026,
        kind=kind,
        stage=stage,
        method="去掉最高分和最低分后取平均",
        generated_at="2028-11-01 09:00",
    )


def test_rows_are_sorted_by_the_acceptance_score_with_the_change() -> None:
    results = build_acceptance_results(entries(), context(), ZH)
    assert [(row.number, row.entry.unit, row.change) for row in results.rows] == [
        (1, "青枫里社区", Decimal("8.5")),
        (2, "七宝社区", Decimal(12)),  # 82, tied with 田林社区: by name
        (3, "田林社区", Decimal("-2.5")),
        (4, "江川社区", Decimal("-5.75")),
        (5, "华漕社区", Decimal("-19.5")),
        (6, "新桥社区", None),  # not yet scored: last
    ]
    assert results.counts == {"passed": 3, "reinspect": 1, "failed": 1}
    assert results.pending == 1
    assert results.named == 2
    sheet = results.sheet
    assert sheet.title == "验收结果汇总表"
    assert sheet.subtitle == "2026年度批次 · 低碳社区（近零碳排放社区）"
    assert list(sheet.header) == HEADER


def test_the_docx_is_a_landscape_official_table_with_the_totals(tmp_path: Path) -> None:
    out = tmp_path / "results.docx"
    write_docx(build_acceptance_results(entries(), context(), ZH), out, ZH)
    document = Document(str(out))
    assert [p.text for p in document.paragraphs[:2]] == [
        "验收结果汇总表",
        "2026年度批次 · 低碳社区（近零碳排放社区）",
    ]
    section = document.sections[-1]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == HEADER
    assert rows[1] == ["1", "青枫里社区", "徐汇区", "80", "88.5", "+8.5", "通过", "是", "加分项6分"]
    assert rows[3] == ["3", "田林社区", "徐汇区", "84.5", "82", "-2.5", "通过", "是", ""]
    assert rows[4][5:8] == ["-5.75", "整改后复验", "否"]
    assert rows[5][6] == "未通过"
    assert rows[6] == ["6", "新桥社区", "松江区", "—", "—", "—", "—", "否", ""]
    assert rows[7] == [
        "",
        "合计：6个单位",
        "",
        "",
        "",
        "",
        "通过3个\n整改后复验1个\n未通过1个\n待定1个",
        "命名2个",
        "",
    ]
    assert all(run.bold for run in table.rows[7].cells[1].paragraphs[0].runs)
    # The type area of landscape A4 (297 - 2 × 25 mm), and every column wide enough.
    assert sum(c.width.mm for c in table.columns) == pytest.approx(247, abs=0.2)
    check_cjk_floor(table)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "按去掉最高分和最低分后取平均汇总" in text
    assert "制表人：" in text
    assert "审核人：" in text
    assert document.core_properties.keywords == "stage:final kind:community batch:2026"


def test_the_xlsx_holds_numbers_and_a_signed_change(tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    write_xlsx(build_acceptance_results(entries(), context(), ZH), out)
    workbook = load_workbook(out)
    ws = workbook.active
    assert ws is not None
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "序号")
    assert values[header] == HEADER
    first = ws[header + 2]  # openpyxl rows are 1-based
    assert [c.value for c in first] == [
        "1",
        "青枫里社区",
        "徐汇区",
        80,
        88.5,
        8.5,
        "通过",
        "是",
        "加分项6分",
    ]
    assert [c.number_format for c in first[3:6]] == ["0.0#", "0.0#", CHANGE_FORMAT]
    assert CHANGE_FORMAT == "+0.0#;-0.0#;0"
    assert not first[5].quotePrefix
    assert first[5].alignment.horizontal == "right"
    tianlin = ws[header + 4]
    assert tianlin[1].value == "田林社区"
    assert tianlin[5].value == -2.5
    assert tianlin[5].number_format == CHANGE_FORMAT
    pending = ws[header + 7]
    assert [c.value for c in pending[3:7]] == ["—", "—", "—", "—"]
    totals = ws[header + 8]
    assert totals[1].value == "合计：6个单位"
    assert totals[7].value == "命名2个"
    assert totals[1].font.bold
    # Landscape A4, the header repeated on every page, the signature below.
    assert int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    flat = "\n".join(str(v) for row in values for v in row if v is not None)
    assert "制表人：" in flat
    assert workbook.properties.title == "验收结果汇总表 · 2026年度批次 · 低碳社区（近零碳排放社区）"


def test_a_mid_term_sheet_names_no_unit(tmp_path: Path) -> None:
    zones = [
        AcceptanceResultEntry(
            "望江湾实践区", "浦东新区", Decimal(81), Decimal(79), "reinspect", False
        ),
        AcceptanceResultEntry("临港实践区", "浦东新区", Decimal(85), Decimal(86), "passed", False),
    ]
    results = build_acceptance_results(zones, context("midterm", "zone"), ZH)
    out = tmp_path / "midterm.docx"
    write_docx(results, out, ZH)
    document = Document(str(out))
    assert document.paragraphs[0].text == "中期评估结果汇总表"
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0][4] == "中期评估得分"
    assert rows[0][6] == "评估结论"
    assert [row[1] for row in rows[1:3]] == ["临港实践区", "望江湾实践区"]
    assert [row[7] for row in rows[1:]] == ["—", "—", "—"]
    assert rows[3][6] == "通过1个\n整改后复验1个\n未通过0个"
    assert "中期评估不涉及命名。" in [p.text for p in document.paragraphs]


def test_the_headings_come_out_in_english() -> None:
    sheet = build_acceptance_results(entries(), context(), EN).sheet
    assert sheet.title == "Acceptance result sheet"
    assert list(sheet.header) == [
        "No.",
        "Creation unit",
        "District",
        "Application score",
        "Acceptance score",
        "Change of the score",
        "Outcome of the acceptance",
        "Named",
        "Remark",
    ]
    assert sheet.rows[-1].cells[1] == "Total: 6 units"
    assert sheet.rows[0].cells[6:8] == ["passed", "yes"]


@pytest.mark.parametrize(
    ("entry", "stage", "kind", "message"),
    [
        (
            AcceptanceResultEntry("甲社区", "徐汇区", None, None, "rectify", False),
            "final",
            "community",
            "甲社区: unknown outcome 'rectify'",
        ),
        (
            AcceptanceResultEntry("甲社区", "徐汇区", None, Decimal(70), "reinspect", True),
            "final",
            "community",
            "only a unit that passed is named",
        ),
        (
            AcceptanceResultEntry("甲实践区", "浦东新区", None, Decimal(90), "passed", True),
            "midterm",
            "zone",
            "no unit is named at a mid-term",
        ),
        (
            AcceptanceResultEntry("甲社区", "徐汇区", None, None, None, False),
            "midterm",
            "community",
            "only practice zones",
        ),
        (
            AcceptanceResultEntry("甲社区", "徐汇区", None, None, None, False),
            "selection",
            "community",
            "unknown stage 'selection'",
        ),
    ],
)
def test_inconsistent_entries_are_refused(
    entry: AcceptanceResultEntry, stage: str, kind: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build_acceptance_results([entry], context(stage, kind), ZH)


def test_the_pdf_lists_the_units_and_the_totals(tmp_path: Path) -> None:
    require_converter()
    docx, pdf = write_pdf(build_acceptance_results(entries(), context(), ZH), tmp_path, "r", ZH)
    assert docx.is_file()
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "验收结果汇总表" in flat
    for unit in ("青枫里社区", "七宝社区", "田林社区", "江川社区", "华漕社区", "新桥社区"):
        assert unit in flat
    assert flat.index("青枫里社区") < flat.index("田林社区") < flat.index("新桥社区")
    assert "+8.5" in flat
    assert "合计：6个单位" in flat
    assert "命名2个" in flat
