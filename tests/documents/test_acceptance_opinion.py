"""The panel's acceptance opinion (验收意见) and a zone's mid-term evaluation opinion: the text
in the order of an official opinion, the numbered improvements, the outcome, a signature line
for every member and the leader's for the panel; tables wide enough for their Chinese."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table as DocxTable

from lowcarbon.cli.i18n import translator
from lowcarbon.documents.acceptance_opinion import (
    LEADER,
    MEMBER,
    AcceptanceOpinion,
    AcceptanceScore,
    PanelMember,
    SectionScore,
    opinion_blocks,
    write_docx,
    write_pdf,
)
from lowcarbon.documents.blocks import Placeholder
from lowcarbon.documents.table_layout import minimum_width

from ..system_tools import pdf_text, require_converter

ZH = translator("zh")
EN = translator("en")
_PADDING_MM = 3.8  # Word's cell margins, left and right
_TABLE_FONT_MM = Pt(10.5).mm  # 5号, the tables' type


def community_opinion(**changes: object) -> AcceptanceOpinion:
    opinion = AcceptanceOpinion(
        unit="青枫里社区",
        district="徐汇区",
        kind="community",
        stage="final",
        batch_year=2026,
        panel="低碳社区验收专家组第一组",
        held_on=date(2028, 10, 16),
        place="青枫里社区党群服务中心",
        # The leader is not listed first: the opinion puts them first.
        members=[
            PanelMember("陈华", "同济大学", MEMBER),
            PanelMember("张明", "上海市环境科学研究院", LEADER),
            PanelMember("刘洋", "华东师范大学", MEMBER),
        ],
        score=AcceptanceScore(
            main=Decimal("82.5"),
            bonus=Decimal("6"),
            total=Decimal("88.5"),
            maximum=Decimal(100),
            bonus_maximum=Decimal(20),
            method="去掉最高分和最低分后取平均",
            experts=5,
        ),
        sections=[
            SectionScore("一、低碳组织管理", Decimal("18.5"), Decimal(20)),
            SectionScore("二、低碳软环境建设", Decimal(25), Decimal(30)),
            SectionScore("三、低碳硬环境建设", Decimal(39), Decimal(50)),
        ],
        outcome="passed",
        outcome_explanation=[
            "基本项得分82.5分，达到通过线80分；",
            "各部分得分均达到其满分的60%。",
        ],
        findings="社区建立了低碳工作小组，制度健全。\n\n完成屋顶光伏12处，年发电量11,240 kWh。",
        improvements=["完善家庭能耗台账的月度填报。", "  ", "补充碳汇测算的证明材料。"],
    )
    return dataclasses.replace(opinion, **changes)  # type: ignore[arg-type]


def zone_midterm(**changes: object) -> AcceptanceOpinion:
    values: dict[str, object] = {
        "unit": "望江湾低碳发展实践区",
        "district": "浦东新区",
        "kind": "zone",
        "stage": "midterm",
        "score": AcceptanceScore(
            main=Decimal("71.25"),
            bonus=None,
            total=Decimal("71.25"),
            maximum=Decimal(100),
            bonus_maximum=None,
            method="算术平均",
            experts=3,
        ),
        "sections": [SectionScore("一、基础工作", Decimal("21.25"), Decimal(30))],
        "outcome": "reinspect",
        "outcome_explanation": ["基本项得分71.25分，低于通过线80分，达到整改线60分。"],
        "decision": "rectify",
        "deadline": date(2029, 6, 30),
    }
    return community_opinion(**(values | changes))


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def check_cjk_floor(table: DocxTable) -> None:
    """No column narrower than its content needs: numbers and words whole, Chinese at least
    four characters a line (or the whole text, if shorter), plus the cell's padding."""
    for index, column in enumerate(table.columns):
        texts = [line for cell in column.cells for line in cell.text.splitlines()]
        needed = max(minimum_width(text) for text in texts) * _TABLE_FONT_MM + _PADDING_MM
        assert column.width is not None
        assert column.width.mm >= needed - 0.01, (index, texts, column.width.mm, needed)


def test_the_opinion_reads_in_the_official_order(tmp_path: Path) -> None:
    out = tmp_path / "opinion.docx"
    write_docx(community_opinion(), out, ZH)
    text = paragraphs(out)
    assert text[:2] == ["青枫里社区创建验收意见", "2026年度批次 · 低碳社区（近零碳排放社区）"]
    opening = text[2]
    assert opening.startswith("2028年10月16日，低碳社区验收专家组第一组在青枫里社区党群服务中心")
    assert "徐汇区青枫里社区" in opening
    assert opening.endswith("形成验收意见如下：")
    headings = [line for line in text if line[:2] in {"一、", "二、", "三、", "四、", "五、"}]
    assert headings == [
        "一、验收评分",
        "二、主要成效",
        "三、存在问题及整改要求",
        "四、验收结论",
        "五、专家组名单及签字",
    ]
    # Each part's text follows its heading.
    score = text[text.index("一、验收评分") + 1]
    assert score == (
        "专家组5名专家对照评价指标体系逐项独立评分，按去掉最高分和最低分后取平均汇总，"
        "综合得分88.5分，其中基本项82.5分（满分100分），加分项6分（满分20分）。"
    )
    findings = text.index("二、主要成效")
    assert text[findings + 1 : findings + 3] == [
        "社区建立了低碳工作小组，制度健全。",
        "完成屋顶光伏12处，年发电量11,240 kWh。",
    ]
    problems = text.index("三、存在问题及整改要求")
    # Numbered in order, a blank requirement left out.
    assert text[problems + 2 : problems + 4] == [
        "1. 完善家庭能耗台账的月度填报。",
        "2. 补充碳汇测算的证明材料。",
    ]
    assert text[problems + 4] == "四、验收结论"
    assert text[problems + 5 : problems + 8] == [
        "验收结论：通过。",
        "基本项得分82.5分，达到通过线80分；",
        "各部分得分均达到其满分的60%。",
    ]
    assert not any("中期评估" in line for line in text)
    document = Document(str(out))
    assert document.core_properties.title == "青枫里社区创建验收意见"
    assert document.core_properties.keywords == "stage:final outcome:passed"
    assert not (tmp_path / "opinion.template.docx").exists()


def test_every_member_signs_with_a_date_and_the_leader_signs_for_the_panel(
    tmp_path: Path,
) -> None:
    out = tmp_path / "opinion.docx"
    write_docx(community_opinion(), out, ZH)
    document = Document(str(out))
    body = document.paragraphs
    start = next(i for i, p in enumerate(body) if p.text == "专家组签字：")
    block = body[start:]
    signatures = [p.text for p in block if "签字：＿" in p.text]
    assert signatures == [
        "组长\u3000张明\u3000签字：＿＿＿＿＿＿＿＿\n日期：＿＿＿＿年＿＿月＿＿日",
        "成员\u3000陈华\u3000签字：＿＿＿＿＿＿＿＿\n日期：＿＿＿＿年＿＿月＿＿日",
        "成员\u3000刘洋\u3000签字：＿＿＿＿＿＿＿＿\n日期：＿＿＿＿年＿＿月＿＿日",
        "专家组组长签字：＿＿＿＿＿＿＿＿＿＿\n日期：＿＿＿＿年＿＿月＿＿日",
    ]
    assert block[-1].text.startswith("专家组组长签字：")
    # Right-aligned, each whole, and the block kept on one page down to the leader's line.
    for paragraph in block:
        if "签字：＿" in paragraph.text:
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
            assert paragraph.paragraph_format.keep_together
    assert all(p.paragraph_format.keep_with_next for p in block[:-1])
    # The list of the panel, leader first.
    members = document.tables[1]
    assert [[c.text for c in row.cells] for row in members.rows] == [
        ["序号", "姓名", "工作单位", "专家组职务"],
        ["1", "张明", "上海市环境科学研究院", "组长"],
        ["2", "陈华", "同济大学", "成员"],
        ["3", "刘洋", "华东师范大学", "成员"],
    ]


def test_the_scores_by_section_with_the_totals(tmp_path: Path) -> None:
    out = tmp_path / "opinion.docx"
    write_docx(community_opinion(), out, ZH)
    table = Document(str(out)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["评价指标", "满分", "得分"],
        ["一、低碳组织管理", "20", "18.5"],
        ["二、低碳软环境建设", "30", "25"],
        ["三、低碳硬环境建设", "50", "39"],
        ["基本项合计", "100", "82.5"],
        ["加分项合计", "20", "6"],
        ["总分（含加分项）", "120", "88.5"],
    ]
    # Totals in bold, numbers right-aligned.
    assert table.rows[4].cells[0].paragraphs[0].runs[0].bold
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[2].paragraphs[0].style.name == "Table Number"


def test_no_column_is_narrower_than_its_chinese(tmp_path: Path) -> None:
    out = tmp_path / "opinion.docx"
    long_names = [
        PanelMember("欧阳明远", "上海市环境科学研究院低碳经济研究所", LEADER),
        PanelMember("陈华", "同济大学环境科学与工程学院"),
    ]
    write_docx(community_opinion(members=long_names), out, ZH)
    tables = Document(str(out)).tables
    assert len(tables) == 2
    for table in tables:
        check_cjk_floor(table)
    # The members' table spans the type area (156 mm).
    assert sum(c.width.mm for c in tables[1].columns) == pytest.approx(156, abs=0.1)


def test_a_mid_term_opinion_gives_the_decision_and_its_deadline(tmp_path: Path) -> None:
    out = tmp_path / "midterm.docx"
    write_docx(zone_midterm(), out, ZH)
    text = paragraphs(out)
    assert text[0] == "望江湾低碳发展实践区中期评估意见"
    assert text[2].endswith(
        "开展中期评估。专家组听取了创建单位的汇报，查阅了中期自评价报告及相关证明材料，进行了现场检查，经认真讨论，形成评估意见如下："
    )
    assert "一、评估评分" in text
    assert "四、评估结论" in text
    conclusion = text.index("四、评估结论")
    assert text[conclusion + 1 : conclusion + 4] == [
        "评估结论：整改后复验。",
        "基本项得分71.25分，低于通过线80分，达到整改线60分。",
        "中期评估决定：限期整改，整改须于2029年6月30日前完成。",
    ]
    # 附件2 has no bonus pool: neither the text nor the table speaks of one.
    assert "综合得分71.25分（满分100分）。" in text[text.index("一、评估评分") + 1]
    assert not any("加分项" in line for line in text)
    rows = [[c.text for c in row.cells] for row in Document(str(out)).tables[0].rows]
    assert rows[-1] == ["基本项合计", "100", "71.25"]
    assert Document(str(out)).core_properties.keywords == (
        "stage:midterm outcome:reinspect decision:rectify"
    )


def test_a_mid_term_decision_to_continue_has_no_deadline(tmp_path: Path) -> None:
    out = tmp_path / "midterm.docx"
    write_docx(zone_midterm(decision="continue", deadline=None, outcome="passed"), out, ZH)
    text = paragraphs(out)
    assert "评估结论：通过。" in text
    assert "中期评估决定：继续创建。" in text


def test_without_findings_or_improvements_the_gaps_are_visible() -> None:
    blocks = opinion_blocks(community_opinion(findings=" \n ", improvements=[]), ZH)
    placeholders = [b.text for b in blocks if isinstance(b, Placeholder)]
    assert placeholders == ["待补充：专家组意见尚未填写"]
    texts = [getattr(b, "text", "") for b in blocks]
    assert "专家组未提出整改要求。" in texts
    assert not any(text.startswith("1. ") for text in texts)


def test_the_headings_come_out_in_english(tmp_path: Path) -> None:
    out = tmp_path / "opinion.docx"
    write_docx(community_opinion(outcome="failed"), out, EN)
    text = paragraphs(out)
    assert text[0] == "Acceptance opinion on 青枫里社区"
    assert [line for line in text if line[:2] in {"一、", "二、", "三、", "四、", "五、"}] == [
        "一、Scores of the acceptance",
        "二、Main achievements",
        "三、Problems and required improvements",
        "四、Conclusion of the acceptance",
        "五、The panel and its signatures",
    ]
    assert "Outcome of the acceptance: not passed." in text
    assert text[-1].startswith("Signature of the panel leader: ")
    header = [c.text for c in Document(str(out)).tables[1].rows[0].cells]
    assert header == ["No.", "Full name", "Organisation", "Role in the panel"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "district"}, "unknown kind"),
        ({"stage": "pre-acceptance"}, "unknown stage"),
        ({"stage": "midterm", "decision": "continue"}, "only a practice zone"),
        ({"outcome": "rectify"}, "unknown outcome"),
        ({"decision": "continue"}, "not a mid-term decision"),
        ({"members": [PanelMember("陈华", "同济大学")]}, "exactly one leader, not 0"),
        (
            {"members": [PanelMember("陈华", "同济大学", LEADER), PanelMember("张明", "", LEADER)]},
            "exactly one leader, not 2",
        ),
        (
            {
                "members": [
                    PanelMember("陈华", "同济大学", LEADER),
                    PanelMember("张明", "", "chair"),
                ]
            },
            "unknown role 'chair' of 张明",
        ),
    ],
)
def test_an_inconsistent_opinion_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        community_opinion(**changes)


def test_a_mid_term_opinion_needs_a_decision() -> None:
    with pytest.raises(ValueError, match="needs a decision"):
        zone_midterm(decision=None)


def test_the_total_must_be_the_main_points_plus_the_bonus_pool() -> None:
    score = community_opinion().score
    with pytest.raises(ValueError, match=r"the total 90 is not the main points 82\.5"):
        community_opinion(score=dataclasses.replace(score, total=Decimal(90)))
    with pytest.raises(ValueError, match="both its points and its maximum"):
        community_opinion(score=dataclasses.replace(score, bonus_maximum=None))


def test_the_pdf_shows_the_title_outcome_and_signatures(tmp_path: Path) -> None:
    require_converter()
    docx, pdf = write_pdf(community_opinion(), tmp_path, "opinion", ZH)
    assert docx.is_file()
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "青枫里社区创建验收意见" in flat
    assert "验收结论：通过。" in flat
    assert "1.完善家庭能耗台账的月度填报。" in flat
    assert flat.count("日期：＿＿＿＿年＿＿月＿＿日") == 4
    assert "专家组组长签字：" in flat
    for name in ("张明", "陈华", "刘洋"):
        assert f"{name}签字：" in flat


def test_without_section_scores_only_the_panel_is_tabled(tmp_path: Path) -> None:
    out = tmp_path / "opinion.docx"
    write_docx(community_opinion(sections=[]), out, ZH)
    document = Document(str(out))
    (table,) = document.tables
    assert table.rows[0].cells[1].text == "姓名"
    text = [p.text for p in document.paragraphs]
    assert "表1 专家组名单" in text
    assert any(line.startswith("专家组5名专家对照评价指标体系逐项独立评分") for line in text)
