"""The expert's score sheet and the round's result sheet: every number is the engine's, the
layout is the indicator system's, the files say where their numbers come from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from lowcarbon.core.scoring import ScoreResult
from lowcarbon.core.text import LocalText
from lowcarbon.documents.score_sheet import (
    ExpertSheetContext,
    ResultEntry,
    ResultSheetContext,
    expert_letter,
    expert_sheet,
    result_sheet,
    write_docx,
    write_pdf,
    write_xlsx,
)
from lowcarbon.rules.answers import score_answers_file
from lowcarbon.rules.schemes import load_rubric

from ..system_tools import pdf_text, require_converter

REPO = Path(__file__).resolve().parents[2]
SHA = "ab" * 32


def identity(text: str) -> str:
    return text


def chinese(text: LocalText) -> str:
    return text.get("zh")


def context() -> ExpertSheetContext:
    return ExpertSheetContext(
        round_label="2026年度",
        kind_label="低碳社区（近零碳排放社区）",
        unit="青枫里社区",
        panel="第一组",
        expert="张明",
        submission_number=2,
        snapshot_sha256=SHA,
        revision=3,
        revision_kind="revised after discussion",
        revision_at="2026-09-01 10:00",
        generated_at="2026-09-02 08:00",
    )


@pytest.fixture(scope="module")
def community() -> ScoreResult:
    return score_answers_file(REPO / "examples" / "community" / "answers.yaml")


def test_the_expert_sheet_has_every_item_with_the_engines_points(community: ScoreResult) -> None:
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), identity, chinese)
    items = [row for row in sheet.rows if row.kind == "item"]
    assert [row.cells[1] for row in items] == [item.id for item in rubric.items()]
    for row in items:
        assert row.cells[5] == community.item(str(row.cells[1])).points
    subtotals = [row.cells[5] for row in sheet.rows if row.kind == "subtotal"]
    assert subtotals == [section.points for section in community.sections]
    totals = {str(row.cells[2]): row.cells[5] for row in sheet.rows if row.kind == "total"}
    assert totals["Total of the main items"] == community.main
    assert totals["Bonus pool (counted separately)"] == community.bonus
    assert totals["Total including the bonus pool"] == community.main + community.bonus
    # The section's first row spans its items; the method column is the official wording.
    first = items[0]
    assert first.span == len(rubric.sections[0].items)
    assert str(first.cells[0]).startswith("一、低碳组织管理")
    assert items[0].cells[4] == "查阅相关文件材料"
    # An item the expert explained carries its reason and its evidence.
    explained = [row for row in items if "Evidence: " in str(row.cells[6])]
    assert explained


def test_a_score_of_another_rubric_is_refused(community: ScoreResult) -> None:
    with pytest.raises(ValueError, match="community/2021"):
        expert_sheet(community, load_rubric("zone", "2021"), context(), identity, chinese)


def test_the_xlsx_is_a4_with_the_rows_numbers_and_signature(
    community: ScoreResult, tmp_path: Path
) -> None:
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), identity, chinese)
    out = tmp_path / "sheet.xlsx"
    write_xlsx(sheet, out)
    workbook = load_workbook(out)
    ws = workbook.active
    assert ws is not None
    assert int(ws.page_setup.paperSize) == 9  # A4
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[1] == "No.")
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    item_rows = {row[1]: row for row in values[header + 1 :] if row[1]}
    assert set(item_rows) == {item.id for item in rubric.items()}
    for item_id, row in item_rows.items():
        assert Decimal(str(row[5])) == community.item(str(item_id)).points
    flat = "\n".join(str(v) for row in values for v in row if v is not None)
    assert "青枫里社区" in flat
    assert SHA in flat
    assert "revision 3" in flat
    assert "Expert's signature: " in flat
    assert SHA in (workbook.properties.keywords or "")
    # The section's cell is merged over its items.
    assert any(str(r).startswith("A") and ":A" in str(r) for r in ws.merged_cells.ranges)


def test_the_docx_has_the_table_and_records_its_origin(
    community: ScoreResult, tmp_path: Path
) -> None:
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), identity, chinese)
    out = tmp_path / "sheet.docx"
    write_docx(sheet, out, identity)
    document = Document(str(out))
    assert document.paragraphs[0].text == "Expert score sheet"
    table = document.tables[0]
    assert len(table.rows) == 1 + len(sheet.rows)
    assert [c.text for c in table.rows[0].cells][1] == "No."
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Expert's signature: " in text
    assert "青枫里社区" in text
    assert SHA in document.core_properties.keywords
    section = document.sections[-1]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert not (tmp_path / "sheet.template.docx").exists()


def test_the_pdf_shows_the_unit_and_the_signature_line(
    community: ScoreResult, tmp_path: Path
) -> None:
    require_converter()
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), identity, chinese)
    docx, pdf = write_pdf(sheet, tmp_path, "sheet", identity)
    assert docx.is_file()
    text = pdf_text(pdf)
    assert "青枫里社区" in text
    assert "Expert's signature" in text


def entry(rank: int | None, unit: str, totals: list[str], flags: list[str]) -> ResultEntry:
    experts = [
        (name, Decimal(t)) for name, t in zip(("张明", "陈华", "刘洋"), totals, strict=False)
    ]
    return ResultEntry(
        rank=rank,
        tied=False,
        unit=unit,
        district="徐汇区",
        experts=experts,
        main=Decimal("80.5") if rank else None,
        bonus=Decimal("4") if rank else None,
        total=Decimal("84.5") if rank else None,
        flags=flags,
        decision="selected" if rank else "",
        reasons="排名第一" if rank else "",
        pending=0 if rank else 1,
    )


def result_context(named: bool) -> ResultSheetContext:
    return ResultSheetContext(
        round_label="2026年度",
        kind_label="低碳社区",
        method_label="mean",
        with_bonus=True,
        named=named,
        generated_at="2026-09-02 08:00",
    )


def test_the_result_sheet_anonymises_unless_named(tmp_path: Path) -> None:
    entries = [
        entry(1, "青枫里社区", ["85", "84"], ["item 1: range 5"]),
        entry(None, "田林社区", ["70"], []),
    ]
    anonymous = result_sheet(entries, result_context(False), identity)
    assert "Expert A" in anonymous.header
    assert "Expert B" in anonymous.header
    text = "\n".join(str(c) for row in anonymous.rows for c in row.cells)
    assert "张明" not in text
    assert "陈华" not in text
    assert anonymous.rows[0].cells[3] == Decimal(85)
    assert anonymous.rows[1].cells[4] is None  # one expert submitted so far
    assert anonymous.rows[1].cells[0] == "scoring (1 outstanding)"
    named = result_sheet(entries, result_context(True), identity)
    assert named.rows[0].cells[-1] == "A 张明；B 陈华"
    out = tmp_path / "result.xlsx"
    write_xlsx(anonymous, out)
    ws = load_workbook(out).active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "青枫里社区" in cells
    assert 85 in cells
    assert "张明" not in "".join(map(str, cells))


def test_expert_letters_continue_after_z() -> None:
    assert [expert_letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
