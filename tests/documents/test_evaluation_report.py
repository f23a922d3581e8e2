"""The self-evaluation report (自评价报告): promised against done, indicators like for like when
the factor edition changed, the self-score with its evidence, placeholders for unwritten texts,
in Word and PDF."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table as DocxTable

from lowcarbon.cli.i18n import translator
from lowcarbon.documents.blocks import Heading, Paragraph, Placeholder, Table
from lowcarbon.documents.evaluation_report import (
    ChangeEffect,
    CitedRecord,
    Emissions,
    EvaluationReport,
    ReportIndicator,
    ReportTask,
    ScoreItem,
    ScoreSection,
    StagedTarget,
    evaluation_report_blocks,
    evaluation_report_fields,
    evaluation_report_title,
    write_evaluation_report,
    write_evaluation_report_pdf,
)
from lowcarbon.documents.table_layout import minimum_width

from ..system_tools import pdf_text, require_converter

ZH = translator("zh")
EN = translator("en")

# 5号 type (10.5 pt) in millimetres, the cell padding of the layout.
FONT_MM = 10.5 * 25.4 / 72
PADDING_MM = 3.8
TWIPS_PER_MM = 1440 / 25.4


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


METER = CitedRecord("DA-2025-0007", "光伏电站并网验收单", "工程验收", date(2025, 6, 30), sha("pv"))
BILLS = CitedRecord(
    "DA-2025-0012", "2025年社区用电账单汇总", "能源计量", date(2026, 1, 15), sha("b")
)
MEETING = CitedRecord(
    "DA-2024-0003", "创建工作领导小组会议纪要", "组织管理", date(2024, 3, 8), sha("m")
)
PHOTOS = CitedRecord(
    "DA-2026-0001", "绿色出行宣传活动照片", "宣传活动", date(2026, 5, 20), sha("p")
)

TASKS = (
    ReportTask(
        code="T01",
        name="屋顶分布式光伏",
        domain="能源",
        responsible="街道办事处",
        start_year=2024,
        end_year=2025,
        key_project=True,
        near_zero=False,
        planned_tco2e=Decimal("320.5"),
        status="done",
        percent_done=100,
        achieved_tco2e=Decimal("301.25"),
        note="已并网",
    ),
    ReportTask(
        code="T02",
        name="既有住宅节能改造",
        domain="建筑",
        responsible="区房管局",
        start_year=2024,
        end_year=2027,
        key_project=True,
        near_zero=False,
        planned_tco2e=Decimal("1200"),
        status="lagging",
        percent_done=35,
        achieved_tco2e=Decimal("180"),
        note="资金到位滞后",
    ),
    ReportTask(
        code="T03",
        name="氢能接驳巴士",
        domain="交通",
        responsible="区交通委",
        start_year=2025,
        end_year=2026,
        key_project=False,
        near_zero=False,
        planned_tco2e=Decimal("85"),
        status="cancelled",
        percent_done=None,
        achieved_tco2e=None,
        note="线路调整后取消",
    ),
    ReportTask(
        code="T04",
        name="低碳生活宣传周",
        domain="低碳行为",
        responsible="社区居委会",
        start_year=2024,
        end_year=2027,
        key_project=False,
        near_zero=False,
        planned_tco2e=None,
        status="in_progress",
        percent_done=60,
        achieved_tco2e=None,
    ),
    ReportTask(
        code="T05",
        name="近零碳社区服务中心",
        domain="示范项目",
        responsible="街道办事处",
        start_year=2025,
        end_year=2026,
        key_project=True,
        near_zero=True,
        planned_tco2e=Decimal("64.25"),
        status="in_progress",
        percent_done=80,
        achieved_tco2e=Decimal("20"),
    ),
)
PLANNED = Decimal("320.5") + Decimal("1200") + Decimal("85") + Decimal("64.25")  # 1,669.75
ACHIEVED = Decimal("301.25") + Decimal("180") + Decimal("20")  # 501.25

REPORT = EvaluationReport(
    unit_name="梅川社区",
    district="普陀区",
    kind="community",
    stage="final",
    batch_year=2023,
    period_start=2024,
    period_end=2026,
    report_date=date(2026, 11, 30),
    rubric="《上海市低碳社区评价指标体系》（附件4）",
    base_year=2023,
    current_year=2025,
    base_factor_set="上海市缺省因子（2022版）",
    current_factor_set="上海市缺省因子（2024版）",
    tasks=TASKS,
    indicators=(
        ReportIndicator(
            name="人均碳排放",
            unit="吨二氧化碳/人",
            base_value=Decimal("2.35"),
            current_value=Decimal("2.1"),
            targets=(
                StagedTarget(2025, Decimal("2.2"), True),
                StagedTarget(2026, Decimal("2.05"), None),
            ),
            like_for_like_value=Decimal("2.18"),
        ),
        ReportIndicator(
            name="可再生能源利用占比",
            unit="%",
            base_value=Decimal("1.8"),
            current_value=Decimal("3.4"),
            targets=(StagedTarget(2025, Decimal("4"), False),),
        ),
    ),
    emissions=Emissions(
        base_tco2e=Decimal("25640"),
        current_tco2e=Decimal("23010.5"),
        like_for_like_tco2e=Decimal("23890"),
    ),
    effects=(
        ChangeEffect("人口规模", Decimal("310")),
        ChangeEffect("人均用能", Decimal("-1480")),
        ChangeEffect("能源结构", Decimal("-580")),
    ),
    score=(
        ScoreSection(
            "组织管理",
            (
                ScoreItem(
                    "1",
                    "建立创建工作领导小组",
                    Decimal(5),
                    Decimal(5),
                    "领导小组每季度召开会议",
                    (MEETING,),
                ),
                ScoreItem("2", "制定年度工作计划", Decimal(5), Decimal("4.5"), "计划按年报送"),
            ),
        ),
        ScoreSection(
            "低碳建设",
            (
                ScoreItem(
                    "3",
                    "可再生能源利用",
                    Decimal(10),
                    Decimal(8),
                    "屋顶光伏已并网发电",
                    (METER, BILLS),
                ),
                ScoreItem("4", "绿色出行", Decimal(5), Decimal(3), "开展宣传", (PHOTOS, METER)),
            ),
        ),
    ),
    summary="梅川社区位于普陀区中部，常住人口约1.2万人。\n社区于2023年入选低碳社区创建名单。",
    achievements="",
    problems="既有住宅节能改造进度滞后。",
    next_steps="",
)


def table_text(table: DocxTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def grid_mm(table: DocxTable) -> list[float]:
    return [
        int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in table._tbl.tblGrid.findall(qn("w:gridCol"))
    ]


@pytest.fixture(scope="module")
def docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evaluation") / "report.docx"
    write_evaluation_report(REPORT, out, ZH)
    return out


def test_the_headings_come_in_the_official_order(docx: Path) -> None:
    document = Document(str(docx))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert "梅川社区验收自评价报告" in titles
    cover = [p.text for p in document.paragraphs if p.style.name == "Cover"]
    assert "报告单位：梅川社区" in cover
    assert "2026年11月30日" in cover
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、基本情况",
        "二、创建任务完成情况",
        "三、目标指标完成情况",
        "四、碳排放变化分析",
        "五、自评分情况",
        "六、存在问题与下一步工作",
        "附件：佐证材料清单",
    ]
    sub = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert sub == ["（一）单位概况", "（二）主要成效", "（一）存在问题", "（二）下一步工作"]


def test_the_mid_term_report_has_its_own_title() -> None:
    midterm = replace(REPORT, stage="midterm", kind="zone", unit_name="望江湾低碳发展实践区")
    assert evaluation_report_title(midterm, ZH) == "望江湾低碳发展实践区中期评估自评价报告"


def test_tasks_promised_against_done_with_totals(docx: Path) -> None:
    tasks = table_text(Document(str(docx)).tables[0])
    assert tasks[0][4] == "计划减排量\ntCO₂e/年"
    assert tasks[0][6] == "实际减排量\ntCO₂e/年"
    by_code = {row[0]: row for row in tasks[1:] if row[0]}
    assert by_code["T01"][4] == "320.50"
    assert by_code["T01"][6] == "301.25"
    assert by_code["T01"][5] == "已完成\n100%"
    assert by_code["T02"][5] == "滞后\n35%"
    assert by_code["T03"][5] == "已取消"
    assert by_code["T03"][4] == "85.00"  # the promise stays in the planned total
    assert by_code["T03"][6] == "—"  # nothing achieved by a cancelled task
    assert by_code["T04"][4] == "—"  # no promised reduction
    assert by_code["T04"][5] == "进行中\n60%"
    assert by_code["T05"][1] == "近零碳社区服务中心\n（重点项目、近零碳示范）"
    assert by_code["T02"][3] == "2024—2027"  # years never grouped
    # The tasks by field, each field a heading row in the task column.
    fields = [row[1] for row in tasks[1:-1] if not row[0]]
    assert fields == ["能源", "建筑", "交通", "低碳行为", "示范项目"]
    total = tasks[-1]
    assert total[1] == "合计"
    assert total[4] == f"{PLANNED:,.2f}" == "1,669.75"
    assert total[6] == f"{ACHIEVED:,.2f}" == "501.25"
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert (
        "共安排创建任务和重点项目5项，其中已完成1项、进行中2项、滞后1项、未开始0项、已取消1项。"
        "计划年减排量1,669.75 tCO₂e，已实现年减排量501.25 tCO₂e（为计划的30.0%）。"
    ) in text
    assert "近零碳示范项目（1个）：近零碳社区服务中心（进行中）。" in text


def test_the_numbers_are_right_aligned(docx: Path) -> None:
    table = Document(str(docx)).tables[0]
    row = table.rows[2]  # T01, under its field's heading row
    assert row.cells[0].text == "T01"
    assert row.cells[4].paragraphs[0].style.name == "Table Number"
    assert row.cells[6].paragraphs[0].style.name == "Table Number"
    assert row.cells[1].paragraphs[0].style.name == "Table Text"


def test_indicators_show_the_like_for_like_value_apart(docx: Path) -> None:
    document = Document(str(docx))
    indicators = table_text(document.tables[1])
    assert indicators[0][2:5] == [
        "基准年2023年",
        "2025年（当前因子）",
        "2025年（基准年因子，同口径）",
    ]
    per_capita = indicators[1]
    # One row, one precision: 2.35, 2.10, 2.18 and the targets 2.20, 2.05.
    assert per_capita[2:5] == ["2.35", "2.10", "2.18"]
    assert per_capita[5] == "2025年：2.20\n2026年：2.05"
    assert per_capita[6] == "2025年：达标\n2026年：—"
    assert indicators[2][6] == "2025年：未达标"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "因排放因子版本变化" in text
    # The emissions: the vintage effect on its own row, the like-for-like change apart.
    emissions = {row[0]: row[1] for row in table_text(document.tables[2])[1:]}
    assert emissions["因排放因子版本变化导致的变化（非减排）"] == "-879.50"
    assert emissions["同口径变化（减排量）"] == "-1,750.00"
    assert emissions["报告口径变化"] == "-2,629.50"
    assert (
        "2025年碳排放23,010.50 tCO₂e，报告口径变化-2,629.50 tCO₂e。按基准年因子同口径计算变化为"
        "-1,750.00 tCO₂e；因排放因子版本变化导致的-879.50 tCO₂e不属于减排。"
    ) in text
    effects = table_text(document.tables[3])
    assert effects[-1] == ["合计", "-1,750.00"]


def test_without_a_vintage_change_there_is_no_like_for_like_column() -> None:
    same = replace(REPORT, current_factor_set=REPORT.base_factor_set)
    blocks = evaluation_report_blocks(same, ZH)
    indicator = [b for b in blocks if isinstance(b, Table)][1]
    assert indicator.header[2:4] == ["基准年2023年", "现状值（2025年）"]
    assert all("同口径" not in cell for cell in indicator.header)
    assert indicator.rows[0][2:4] == ["2.35", "2.10"]
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert not any("因排放因子版本变化" in t for t in texts)
    emissions = [b for b in blocks if isinstance(b, Table)][2]
    assert [row[0] for row in emissions.rows] == [
        "基准年2023年碳排放（上海市缺省因子（2022版））",
        "2025年碳排放（上海市缺省因子（2022版））",
        "报告口径变化",
    ]


def test_the_self_score_cites_records_by_hash_prefix(docx: Path) -> None:
    document = Document(str(docx))
    score = table_text(document.tables[4])
    assert score[0] == [
        "序号",
        "评价内容",
        "满分",
        "自评分",
        "自评说明",
        "佐证材料（编号、日期、SHA-256）",
    ]
    rows = {row[0]: row for row in score[1:] if row[0]}
    assert rows["3"][2:4] == ["10", "8.0"]  # each column at its own precision
    assert rows["2"][3] == "4.5"
    evidence = rows["3"][5]
    assert f"DA-2025-0007 光伏电站并网验收单\n2025年6月30日 {METER.sha256[:12]}" in evidence
    assert BILLS.sha256[:12] in evidence
    assert METER.sha256 not in evidence  # the prefix only
    subtotals = [row for row in score[1:] if row[1] == "小计"]
    assert [row[2:4] for row in subtotals] == [["10", "9.5"], ["15", "11.0"]]
    assert score[-1][1:4] == ["合计", "25", "20.5"]
    sections = [row[1] for row in score[1:] if not row[0] and row[1] not in {"小计", "合计"}]
    assert sections == ["组织管理", "低碳建设"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "自评得分20.5分（满分25分），共4项，引用档案记录4条" in text


def test_the_annex_lists_every_cited_record_once_with_its_full_hash(docx: Path) -> None:
    annex = table_text(Document(str(docx)).tables[5])
    assert [row[1] for row in annex[1:]] == [
        "DA-2024-0003",
        "DA-2025-0007",
        "DA-2025-0012",
        "DA-2026-0001",
    ]
    pv = annex[2]
    assert pv[2:5] == ["光伏电站并网验收单", "工程验收", "2025-06-30"]
    assert pv[5].replace("\n", "") == METER.sha256


def test_empty_texts_are_visible_placeholders(docx: Path) -> None:
    document = Document(str(docx))
    paragraphs = [p.text for p in document.paragraphs]
    results = paragraphs.index("（二）主要成效")
    assert paragraphs[results + 1] == "【待补充：创建工作的主要成效】"
    steps = paragraphs.index("（二）下一步工作")
    assert paragraphs[steps + 1] == "【待补充：下一步工作安排】"
    # A text that is there is printed, paragraph by paragraph.
    assert "社区于2023年入选低碳社区创建名单。" in paragraphs
    assert "既有住宅节能改造进度滞后。" in paragraphs


def test_a_report_without_data_has_a_placeholder_under_every_heading() -> None:
    empty = replace(
        REPORT,
        tasks=(),
        indicators=(),
        emissions=None,
        effects=(),
        score=(),
        summary="",
        problems="",
    )
    blocks = evaluation_report_blocks(empty, ZH)
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            # Never a blank heading: something follows, a deeper heading at most.
            assert after is not None, block.text
            assert not isinstance(after, Heading) or after.level > block.level, block.text
    placeholders = [b.text for b in blocks if isinstance(b, Placeholder)]
    assert placeholders == [
        "待补充：创建工作基本情况",
        "待补充：创建工作的主要成效",
        "待补充：实施方案的创建任务和重点项目及其进展",
        "待补充：目标指标及其阶段目标",
        "待补充：基准年和2025年碳排放",
        "待补充：逐项自评分",
        "待补充：创建工作中存在的问题",
        "待补充：下一步工作安排",
    ]


def test_no_column_is_narrower_than_its_words_need(docx: Path) -> None:
    """Every column holds its widest number, date or hash line whole and two Chinese
    characters a line: no vertical strips, no broken figures."""
    document = Document(str(docx))
    assert len(document.tables) == 6
    for number, table in enumerate(document.tables):
        widths = grid_mm(table)
        assert sum(widths) == pytest.approx(156, abs=0.5)
        cells = table_text(table)
        for column, width in enumerate(widths):
            texts = [row[column] for row in cells if column < len(row)]
            needed = max(
                minimum_width(line, floor=2.0)
                for text in texts
                for line in text.splitlines() or [""]
            )
            assert width >= needed * FONT_MM + PADDING_MM - 0.1, (number, column, width, texts)
            assert width >= 2 * FONT_MM + PADDING_MM, (number, column)


def test_the_pdf_reads_as_the_report(tmp_path: Path) -> None:
    require_converter()
    docx, pdf = write_evaluation_report_pdf(REPORT, tmp_path, "自评价报告", ZH)
    assert docx.is_file()
    text = pdf_text(pdf)
    compact = "".join(text.split())
    for words in (
        "梅川社区验收自评价报告",
        "二、创建任务完成情况",
        "1,669.75",
        "501.25",
        "因排放因子版本变化",
        METER.sha256[:12],
        "附件：佐证材料清单",
        "待补充：创建工作的主要成效",
    ):
        assert words in compact, words
    # The full hash is printed in the annex (in lines of 16 digits).
    assert METER.sha256 in compact
    assert "2,023" not in compact  # years are never grouped
    assert "2,025" not in compact


def test_the_english_rendering_has_english_headings(tmp_path: Path) -> None:
    out = tmp_path / "report-en.docx"
    write_evaluation_report(REPORT, out, EN)
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、Basic information"
    assert headings[-1] == "Annex: list of evidence"
    assert "Self-score" in headings[4]
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert any("self-evaluation report for acceptance" in t.replace("\n", " ") for t in titles)


def test_an_item_not_yet_scored_is_a_gap_not_a_zero() -> None:
    first, second = REPORT.score
    unscored = replace(second.items[1], self_points=None)
    report = replace(REPORT, score=(first, replace(second, items=(second.items[0], unscored))))
    blocks = evaluation_report_blocks(report, ZH)
    assert Placeholder("待补充：第4项的自评分") in blocks
    score = [b for b in blocks if isinstance(b, Table)][4]
    row = next(r for r in score.rows if r[0] == "4")
    assert row[2:4] == ["5", "—"]
    assert score.rows[-1][1:4] == ["合计", "25", "17.5"]  # the points given, no more


def test_the_mid_term_cover_names_the_stage_and_the_period() -> None:
    fields = evaluation_report_fields(replace(REPORT, stage="midterm"), ZH)
    assert fields["title"] == "梅川社区中期评估自评价报告"
    assert fields["status_text"] == "2023年批次　创建期2024—2026年　中期评估"
    assert fields["date_text"] == "2026年11月30日"
