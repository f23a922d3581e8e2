"""The expert's score sheet and the round's result sheet: every number is the engine's, the
layout is the indicator system's, the files say where their numbers come from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table as DocxTable
from openpyxl import load_workbook

from lowcarbon.cli.i18n import translator
from lowcarbon.core.messages import format_points
from lowcarbon.core.rubric import CompositeRule, Item, Rubric
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


ZH = translator("zh")
ANNEX4_HEADER = ["一级指标", "低碳软环境建设", "评价方法", "得分"]
ANNEX2_HEADER = ["指标项", "指标内容", "评分标准说明", "得分"]
# 附件4 注, as the seed prints it.
EVIDENCE_NOTE = "注：对于缺乏数据、证明材料或者不能得到数据确信度较高的指标，该项指标评分为0。"


def points(value: Decimal) -> str:
    return format_points(value)


def check_official_table(
    table: DocxTable,
    rubric: Rubric,
    scores: dict[str, Decimal],
    totals: dict[str, Decimal],
) -> list[list[str]]:
    """The DOCX table is the indicator system's official one (附件4 or 附件2), in Chinese: its
    header, four columns, every item once as its official label with its maximum and the full
    scoring standard, the engine's points, and the totals. The rows' texts are returned."""
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert all(len(row) == 4 for row in rows)
    assert len(table.columns) == 4
    annex4 = rubric.scheme == "community"
    assert rows[0] == (ANNEX4_HEADER if annex4 else ANNEX2_HEADER)
    labels = [row[1] for row in rows[1:]]
    for section in rubric.sections:
        for index, item in enumerate(section.items, start=1):
            maximum = item.declared_points
            if maximum is None:
                maximum = item.reachable_maximum
            title = item.title.get("zh")
            number = (item.id if item.id.isdigit() else str(index)) + "." if annex4 else ""
            label = f"{number}{title}（{points(maximum)}分）"
            matching = [i for i, text in enumerate(labels, start=1) if text == label]
            assert len(matching) == 1, label
            row = rows[matching[0]]
            # The full standard: every criterion of the item, each in the official words.
            for criterion in official_texts(item):
                assert criterion in row[2].replace("\n", ""), (item.id, criterion)
            if annex4 and item.method_text:
                assert row[2].startswith(item.method_text), item.id
            assert row[3] == points(scores[item.id]), item.id
        # The section's cell spans its items: its first item's row carries its heading.
        heading = f"{section.label}、{section.title.get('zh')}"
        assert any(row[0].startswith(heading) for row in rows[1:]), heading
    for label, value in totals.items():
        row = next(row for row in rows if row[0] == label)
        assert row[3] == points(value), label
    return rows


def official_texts(item: Item) -> list[str]:
    rule = item.rule
    texts: list[str] = []
    for part_rule in [p.rule for p in rule.parts] if isinstance(rule, CompositeRule) else [rule]:
        for name in ("options", "criteria", "tiers"):
            texts += [c.text.get("zh") for c in getattr(part_rule, name, ())]
        if getattr(part_rule, "text", None) is not None:
            texts.append(part_rule.text.get("zh"))
    return [text.rstrip("；。") for text in texts]


def test_the_expert_sheet_is_the_official_table_then_the_explanations(
    community: ScoreResult,
) -> None:
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), identity, chinese)
    assert len(sheet.header) == 4
    items = [row for row in sheet.rows if row.kind == "item"]
    assert len(items) == len(rubric.items())
    assert [row.cells[3] for row in items] == [
        community.item(item.id).points for item in rubric.items()
    ]
    # The section's first row spans its items.
    assert items[0].span == len(rubric.sections[0].items)
    assert str(items[0].cells[0]).startswith("一、低碳组织管理")
    assert str(items[0].cells[2]).startswith("查阅相关文件材料\n建立工作小组")
    groups = [row.cells[1] for row in sheet.rows if row.kind == "group"]
    assert groups == ["Low-carbon hard environment", "Bonus items"]
    totals = {str(row.cells[0]): row.cells[3] for row in sheet.rows if row.kind == "total"}
    assert totals == {
        "Total of the main items": community.main,
        "Total of the bonus items": community.bonus,
        "Total including the bonus pool": community.main + community.bonus,
    }
    # The main items reach 99.5 of the official 100: the total says so and the notes say why.
    main_row = next(row for row in sheet.rows if row.cells[0] == "Total of the main items")
    assert "99.5" in str(main_row.cells[1])
    assert any("99.5" in note for note in sheet.notes)
    # The second part: the engine's explanation, with the expert's evidence.
    (part,) = sheet.parts
    explained = {str(row.cells[0]): row for row in part.rows if row.kind == "item"}
    assert set(explained) == {item.id for item in rubric.items()}
    assert any("Evidence: " in str(row.cells[2]) for row in explained.values())
    subtotals = [row.cells[3] for row in part.rows if row.kind == "subtotal"]
    assert subtotals == [section.points for section in community.sections]


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_the_docx_has_the_official_columns_items_note_and_totals(kind: str, tmp_path: Path) -> None:
    result = score_answers_file(REPO / "examples" / kind / "answers.yaml")
    rubric = load_rubric(kind, "2021")
    out = tmp_path / "sheet.docx"
    write_docx(expert_sheet(result, rubric, context(), ZH, chinese), out, ZH)
    document = Document(str(out))
    scores = {item.item.id: item.points for s in result.sections for item in s.items}
    if kind == "community":
        totals = {"基本项合计": result.main, "加分项合计": result.bonus}
        totals["总分（含加分项）"] = result.main + result.bonus
    else:
        totals = {"合计": result.main}
    rows = check_official_table(document.tables[0], rubric, scores, totals)
    text = "\n".join(p.text for p in document.paragraphs)
    if kind == "community":
        assert ["", "低碳硬环境建设", "评价方法", "得分"] in rows
        assert ["", "加分项", "评价方法", "得分"] in rows
        # A heading row inside the table looks like the header: centred, bold.
        hard = next(r for r in document.tables[0].rows if r.cells[1].text == "低碳硬环境建设")
        assert hard.cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert hard.cells[1].paragraphs[0].runs[0].bold
        assert EVIDENCE_NOTE in text
        main_row = next(row for row in rows if row[0] == "基本项合计")
        assert main_row[1] == "满分100分；按评分标准最高可得99.5分（见表下说明）"
        assert "基础分实际最高99.5分" in text  # the edition's reason
    else:
        assert EVIDENCE_NOTE not in text  # 附件2 has no such note
        assert next(row for row in rows if row[0] == "合计")[1] == "满分100分"
    # The second part explains the points item by item.
    explained = document.tables[1]
    assert [c.text for c in explained.rows[0].cells] == ["序号", "评价内容", "评分说明", "得分"]
    assert {row.cells[0].text for row in explained.rows[1:]} - {""} == {
        item.id for item in rubric.items()
    }
    assert "专家签字：" in text
    # The signature block is kept with the note before it: never alone on a page.
    paragraphs = document.paragraphs
    signature = next(i for i, p in enumerate(paragraphs) if p.text.startswith("专家签字："))
    assert paragraphs[signature].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraphs[signature - 1].paragraph_format.keep_with_next
    assert paragraphs[signature - 2].paragraph_format.keep_with_next
    assert paragraphs[signature - 2].text.startswith("本表由平台根据专家保存的评分生成")


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
    header = next(i for i, row in enumerate(values) if row[0] == "First-level indicator")
    assert values[header][:4] == list(sheet.header)
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    explained = next(i for i, row in enumerate(values) if row[0] == "No.")
    # Item rows: a number and a score (the notes and the signature below have neither).
    item_rows = {row[0]: row for row in values[explained + 1 :] if row[0] and row[3] is not None}
    assert set(item_rows) == {item.id for item in rubric.items()}
    for item_id, row in item_rows.items():
        assert Decimal(str(row[3])) == community.item(str(item_id)).points
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
    assert [c.text for c in table.rows[0].cells] == list(sheet.header)
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


@pytest.mark.parametrize(
    ("stage", "title", "subtitle", "summary"),
    [
        ("selection", "专家评分表", "2026年度低碳示范创建综合评估", "评审结果汇总表"),
        ("midterm", "中期评估评分表", "2026年度低碳示范创建中期评估", "中期评估评分汇总表"),
        ("final", "验收评分表", "2026年度低碳示范创建验收", "验收评分汇总表"),
    ],
)
def test_the_same_sheets_are_titled_for_their_stage(
    community: ScoreResult, stage: str, title: str, subtitle: str, summary: str, tmp_path: Path
) -> None:
    rubric = load_rubric("community", "2021")
    sheet = expert_sheet(community, rubric, context(), ZH, chinese, stage=stage)
    assert (sheet.title, sheet.subtitle) == (title, subtitle)
    # A unit under review applies; one under evaluation is creating.
    assert sheet.info[0] == ("申报单位" if stage == "selection" else "创建单位", "青枫里社区")
    assert sheet.properties["title"] == f"{title} · 青枫里社区"
    # The table is the same official one whatever the stage.
    assert sheet.header == ANNEX4_HEADER
    out = tmp_path / "sheet.docx"
    write_docx(sheet, out, ZH)
    document = Document(str(out))
    assert [p.text for p in document.paragraphs[:2]] == [title, subtitle]
    assert document.core_properties.title == f"{title} · 青枫里社区"
    entries = [entry(1, "青枫里社区", ["85", "84"], [])]
    results = result_sheet(entries, result_context(False), ZH, stage=stage)
    assert results.title == summary
    assert results.header[1] == ("申报单位" if stage == "selection" else "创建单位")
    assert results.properties["title"].startswith(f"{summary} · 2026年度")


def test_the_sheets_default_to_the_selection_review(community: ScoreResult) -> None:
    rubric = load_rubric("community", "2021")
    assert expert_sheet(community, rubric, context(), identity, chinese).title == (
        "Expert score sheet"
    )
    assert result_sheet([], result_context(True), identity).title == "Review result sheet"


def test_an_unknown_stage_is_refused(community: ScoreResult) -> None:
    rubric = load_rubric("community", "2021")
    with pytest.raises(ValueError, match="pre-acceptance"):
        expert_sheet(community, rubric, context(), identity, chinese, stage="pre-acceptance")
    with pytest.raises(ValueError, match="midterm, final"):
        result_sheet([], result_context(True), identity, stage="acceptance")
