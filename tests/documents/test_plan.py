"""The implementation plan built from an application's data: outline order, numbering, the
engine's numbers in its tables, and visible placeholders for what is missing."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from lowcarbon.cli.i18n import translator
from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.labels import REDUCTION_STATUS
from lowcarbon.core.outline import ColumnType, ElementKind, Outline
from lowcarbon.core.text import LocalText
from lowcarbon.documents.blocks import Figure, Heading, Paragraph, Placeholder, Table
from lowcarbon.documents.plan import PlanInput, build_plan, score_sheet, write_plan
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.answers import score_answers_file
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.outlines import load_outline
from lowcarbon.rules.schemes import load_rubric

from .test_score_sheet import EVIDENCE_NOTE, check_official_table

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden")


def identity(text: str) -> str:
    return text


def chinese(text: LocalText) -> str:
    return text.get("zh")


def accounting(kind: str) -> AccountingResult:
    return run_accounting(
        load_accounting_file(REPO / "examples" / kind / "accounting.yaml"), load_factor_library()
    )


def plan_input(kind: str, sections: dict[str, Any] | None = None, **overrides: Any) -> PlanInput:
    arguments: dict[str, Any] = {
        "outline": load_outline(kind, "2021"),
        "sections": sections or {},
        "unit_name": "望江湾低碳发展实践区" if kind == "zone" else "青枫里社区",
        "scheme": kind,
        "round_year": 2026,
        "accounting": accounting(kind),
        "score": score_sheet(
            score_answers_file(REPO / "examples" / kind / "answers.yaml"), chinese
        ),
        "issued": date(2026, 11, 24),
    }
    return PlanInput(**(arguments | overrides))


def filled(outline: Outline) -> dict[str, Any]:
    """A value for every element, of the right shape."""
    values: dict[str, Any] = {}
    for section in outline.iter_sections():
        for element in section.elements:
            values[element.id] = {
                ElementKind.TEXT: f"{element.label.get('zh')}的说明。",
                ElementKind.QUANTITY: "12.5",
                ElementKind.INTEGER: 4200,
                ElementKind.LIST: ["第一项", {"text": "第二项", "reduction_tco2": 120}],
                ElementKind.TABLE: [{"name": "项目甲", "investment": 300}],
                ElementKind.GEOMETRY: {"four_sides": "东至甲路，南至乙河", "area_km2": 3.6},
            }[element.kind]
    return values


@pytest.mark.parametrize("kind", ["zone", "community"])
def test_headings_follow_the_outline_with_official_numbering(kind: str) -> None:
    """Golden test per outline edition: the plan's headings, in order."""
    outline = load_outline(kind, "2021")
    document = build_plan(plan_input(kind, filled(outline)), identity, chinese)
    headings = [f"{b.level} {b.number}{b.text}" for b in document.blocks if isinstance(b, Heading)]
    golden = (GOLDEN / f"{kind}-2021-headings.txt").read_text(encoding="utf-8").splitlines()
    assert headings == golden
    tops = [b for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert [b.text for b in tops[: len(outline.sections)]] == [
        s.title.get("zh") for s in outline.sections
    ]
    assert [b.number for b in tops[:3]] == ["一、", "二、", "三、"]
    assert document.warnings == ()  # everything filled: nothing missing


def test_the_inventory_table_carries_the_engines_total() -> None:
    result = accounting("zone")
    document = build_plan(plan_input("zone"), identity, chinese)
    base = result.inventory(result.input.profile.base_year)
    table = next(b for b in document.blocks if isinstance(b, Table) and "by category" in b.caption)
    assert str(base.year) in table.caption
    assert len(table.rows) == len(base.emission_lines) + 1
    total = table.rows[-1][6]
    assert Decimal(total.replace(",", "")) == round(base.gross_tco2, 2)
    rows_sum = sum(Decimal(row[6].replace(",", "")) for row in table.rows[:-1])
    assert abs(rows_sum - base.gross_tco2) < Decimal("0.01") * len(table.rows)
    # Computed columns: the same decimals on every row.
    assert {len(row[6].partition(".")[2]) for row in table.rows} == {2}
    targets = next(b for b in document.blocks if isinstance(b, Table) and "Targets" in b.caption)
    for row in targets.rows:
        assert len(row[3].partition(".")[2]) == len(row[4].partition(".")[2]) >= 2, row


@pytest.mark.parametrize("kind", ["zone", "community"])
def test_the_structure_table_gives_energy_shares_and_scopes(kind: str) -> None:
    result = accounting(kind)
    base = result.inventory(result.input.profile.base_year)
    document = build_plan(plan_input(kind), identity, chinese)
    table = next(
        b for b in document.blocks if isinstance(b, Table) and "Emission structure" in b.caption
    )
    categories = [row for row in table.rows if not row[0].startswith("scope")][:-1]
    scopes = [row for row in table.rows if row[0].startswith("scope")]
    total = table.rows[-1]

    def value(cell: str) -> Decimal:
        return Decimal(cell.replace(",", ""))

    assert len(categories) == len(base.by_category)
    assert len(scopes) == len(base.by_scope)
    # Shares add up to exactly 100.0, by category and by scope, as printed.
    assert sum(value(row[3]) for row in categories) == Decimal("100.0")
    assert sum(value(row[3]) for row in scopes) == Decimal("100.0")
    assert total[3] == "100.0"
    # Each share is its amount over the total, within the rounding the note states.
    for row in categories + scopes:
        exact = value(row[2]) / base.gross_tco2 * 100
        assert abs(value(row[3]) - exact) < Decimal("0.11"), row
    assert base.total_tce is not None
    assert value(total[1]) == round(base.total_tce, 2)
    assert value(total[2]) == round(base.gross_tco2, 2)
    assert "largest remainder" in table.note
    assert ("Not estimated" in table.note) == bool(base.not_estimated)


def test_targets_and_tasks_come_from_the_forecast() -> None:
    result = accounting("zone")
    assert result.forecast is not None
    document = build_plan(plan_input("zone"), identity, chinese)
    targets = next(
        b for b in document.blocks if isinstance(b, Table) and b.caption.startswith("Targets")
    )
    assert len(targets.rows) == len(result.forecast.targets.checks)
    tasks = next(
        b for b in document.blocks if isinstance(b, Table) and b.caption.startswith("Main tasks")
    )
    assert len(tasks.rows) == len(result.input.tasks) + 1
    # The reductions the forecast counts (computed from each task's activities), not the
    # rounded figures typed beside them.
    counted = {r.task.id: r.reduction_tco2 for r in result.forecast.reductions}
    status = {r.task.id: r.status.value for r in result.forecast.reductions}
    assert "declared" not in status.values()
    for task, row in zip(result.input.tasks, tasks.rows, strict=False):
        assert Decimal(row[3].replace(",", "")) == round(counted[task.id], 2), task.id
        assert row[4] == REDUCTION_STATUS[status[task.id]], task.id
    assert Decimal(tasks.rows[-1][3].replace(",", "")) == round(sum(counted.values()), 2)
    near_zero = [t for t in result.input.tasks if t.near_zero_demonstration]
    assert sum("★" in row[0] for row in tasks.rows) == len(near_zero)
    assert ("★" in tasks.note) == bool(near_zero)


def test_a_declared_reduction_is_marked_in_the_plan() -> None:
    data = load_accounting_file(REPO / "examples" / "zone" / "accounting.yaml")
    first = data.reductions[0].task_id
    declared = dataclasses.replace(
        data, reductions=tuple(r for r in data.reductions if r.task_id != first)
    )
    result = run_accounting(declared, load_factor_library())
    document = build_plan(plan_input("zone", accounting=result), identity, chinese)
    tasks = next(
        b for b in document.blocks if isinstance(b, Table) and b.caption.startswith("Main tasks")
    )
    statuses = {row[0].rstrip(" ★"): row[4] for row in tasks.rows[:-1]}
    named = next(t.name for t in data.tasks if t.id == first)
    assert statuses[named] == "declared, not computed"
    assert "declared, not computed" in tasks.note


def test_every_missing_required_element_is_a_visible_placeholder_and_a_warning() -> None:
    outline = load_outline("zone", "2021")
    document = build_plan(plan_input("zone"), identity, chinese)
    required = [e for s in outline.iter_sections() for e in s.elements if e.required]
    placeholders = [b for b in document.blocks if isinstance(b, Placeholder)]
    assert len(placeholders) == len(required)
    assert len(document.warnings) == len(required)
    assert any("四至边界" in p.text and "1.1" in p.text for p in placeholders)


def test_without_baseline_data_the_computed_parts_are_placeholders() -> None:
    outline = load_outline("community", "2021")
    document = build_plan(
        plan_input("community", filled(outline), accounting=None), identity, chinese
    )
    placeholders = [b.text for b in document.blocks if isinstance(b, Placeholder)]
    assert len(placeholders) == 2  # status section and targets section
    assert all("baseline data" in text for text in placeholders)
    assert document.warnings == (
        "No baseline data: the inventory, indicators and targets are missing",
    )


def test_numbers_of_a_section_form_one_table() -> None:
    outline = load_outline("community", "2021")
    values = filled(outline) | {"households": 3120, "area": "0.85"}
    document = build_plan(plan_input("community", values), identity, chinese)
    table = next(b for b in document.blocks if isinstance(b, Table) and "key figures" in b.caption)
    rows = {row[0]: (row[1], row[2]) for row in table.rows}
    assert rows["户数"][0] == "3,120"
    assert rows["面积"] == ("0.85", "平方千米")
    assert rows["户数"] == ("3,120", "户")


def test_the_written_plan_opens_with_its_fields_and_score_annex(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    plan = plan_input("community", submission_number=2, snapshot_sha256="ab" * 32)
    result = write_plan(plan, out, identity, chinese)
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "青枫里社区" in texts
    assert "Submission 2" in texts
    assert not (tmp_path / "plan.template.docx").exists()
    annex = document.tables[-1]
    score = score_answers_file(REPO / "examples" / "community" / "answers.yaml")
    totals = {row.cells[0].text: row.cells[3].text for row in annex.rows}
    assert totals["Total of the main items"] == f"{score.main:.1f}".rstrip("0").rstrip(".")
    assert totals["Total of the bonus items"] == f"{score.bonus:.1f}".rstrip("0").rstrip(".")
    assert len(result.blocks) > 20
    # In Chinese: years never grouped, units and factor sets by their Chinese names.
    out = tmp_path / "plan-zh.docx"
    outline = load_outline("community", "2021")
    write_plan(plan_input("community", filled_tables(outline)), out, translator("zh"), chinese)
    text = docx_text(Document(str(out)))
    assert "2023" in text
    assert not re.search(r"\b\d,\d{3}年", text)
    # No year of the plan printed grouped (2,023): its tables' years, one by one, since other
    # numbers may well read 2,056 (tce).
    community = accounting("community")
    assert community.forecast is not None
    years = {i.year for i in community.inventories} | {
        y.year for y in community.forecast.plan.years
    }
    for grouped in (f"{y:,}" for y in years):
        assert not re.search(rf"(?<![\d,.]){grouped}(?![\d,])", text), grouped
    for latin in ("person", "percent", "household", "compound", "km2", "dimensionless", "^"):
        assert latin not in text, latin
    assert "吨二氧化碳/万千瓦时" in text
    assert "上海市温室气体排放核算缺省因子" in text


def filled_tables(outline: Outline) -> dict[str, Any]:
    """:func:`filled` with a row in every table that has a cell of each column's type."""
    values = filled(outline)
    cells = {
        ColumnType.TEXT: "甲",
        ColumnType.NUMBER: Decimal("1234.5"),
        ColumnType.INTEGER: 4200,
        ColumnType.DATE: "2026-01-01",
        ColumnType.YEAR: 2023,
    }
    for section in outline.iter_sections():
        for element in section.elements:
            if element.kind == ElementKind.TABLE and element.columns:
                values[element.id] = [{c.id: cells[c.type] for c in element.columns}]
    return values


def docx_text(document: Any) -> str:
    """Every paragraph and table cell of a Word document, one a line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(lines)


# --- figures: the boundary map and the schedule chart ----------------------------------------

SQUARE = [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.19], [121.40, 31.17]]
SCHEDULE = [
    {
        "project": "创智中心近零碳排放示范楼宇",
        "stage": "设计与施工",
        "start_date": "2026-03-01",
        "end_date": "2027-06-30",
        "milestone": "竣工验收",
    },
    {
        "project": "屋顶光伏",
        "stage": "安装",
        "start_date": "2027-01-01",
        "end_date": "2028-03-31",
        "milestone": "",
    },
]
MAP = "Boundary of the creation area"
GANTT = "Schedule of the key projects"


def zone_with_figures(**changes: Any) -> dict[str, Any]:
    values = filled(load_outline("zone", "2021"))
    values["boundary"] = {
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
        "four_sides": "东至宜山路，南至漕宝路，西至桂林路，北至田林路",
        "area_km2": "4.2313",
    }
    values["project_schedule"] = SCHEDULE
    return values | changes


def figures(document: Any) -> list[str]:
    return [b.caption for b in document.blocks if isinstance(b, Figure)]


@pytest.mark.parametrize("kind", ["community", "zone"])
def test_the_self_assessment_annex_is_the_official_score_table(kind: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    write_plan(plan_input(kind), out, translator("zh"), chinese)
    document = Document(str(out))
    result = score_answers_file(REPO / "examples" / kind / "answers.yaml")
    rubric = load_rubric(kind, "2021")
    scores = {item.item.id: item.points for s in result.sections for item in s.items}
    if kind == "community":
        totals = {"基本项合计": result.main, "加分项合计": result.bonus}
    else:
        totals = {"合计": result.main}
    # The same table as the experts' score sheets, after the annex heading.
    check_official_table(document.tables[-1], rubric, scores, totals)
    texts = [p.text for p in document.paragraphs]
    assert "附：对照评价指标体系的自评情况" in texts
    assert (EVIDENCE_NOTE in texts) == (kind == "community")


def test_the_map_follows_the_boundary_and_the_gantt_the_schedule_table() -> None:
    document = build_plan(plan_input("zone", zone_with_figures()), identity, chinese)
    blocks = list(document.blocks)
    assert figures(document) == [
        MAP,
        "Emission structure",
        "Emissions: trend, forecast and targets",
        GANTT,
    ]
    map_at = next(i for i, b in enumerate(blocks) if isinstance(b, Figure) and b.caption == MAP)
    area = blocks[map_at - 1]
    assert isinstance(area, Paragraph)
    assert area.lead == "Area within the boundary: "
    assert isinstance(blocks[map_at - 2], Paragraph)
    assert "宜山路" in blocks[map_at - 2].text  # type: ignore[union-attr]
    drawn = blocks[map_at]
    assert isinstance(drawn, Figure)
    assert drawn.png.startswith(b"\x89PNG")
    assert "31.17000°N" in drawn.description
    assert "121.42000°E" in drawn.description
    gantt_at = next(i for i, b in enumerate(blocks) if isinstance(b, Figure) and b.caption == GANTT)
    table = blocks[gantt_at - 1]
    assert isinstance(table, Table)
    assert table.caption == "进度安排"
    assert len(table.rows) == len(SCHEDULE)
    assert blocks[gantt_at].description == ""  # type: ignore[union-attr]
    assert document.warnings == ()


def test_the_written_plan_embeds_the_map_and_the_schedule_with_captions(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    write_plan(plan_input("zone", zone_with_figures()), out, identity, chinese)
    document = Document(str(out))
    assert len(document.inline_shapes) == 4
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions == [
        f"Figure 1 {MAP}",
        "Figure 2 Emission structure",
        "Figure 3 Emissions: trend, forecast and targets",
        f"Figure 4 {GANTT}",
    ]
    # Without baseline data only the two drawn from the plan's contents remain.
    out = tmp_path / "bare.docx"
    write_plan(plan_input("zone", zone_with_figures(), accounting=None), out, identity, chinese)
    document = Document(str(out))
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions == [f"Figure 1 {MAP}", f"Figure 2 {GANTT}"]


def test_no_gantt_without_dated_rows_and_no_warning_for_it() -> None:
    undated = zone_with_figures(project_schedule=[{"project": "甲", "stage": "一期"}])
    document = build_plan(plan_input("zone", undated), identity, chinese)
    assert GANTT not in figures(document)
    assert document.warnings == ()
    # An empty table: the table's placeholder and its warning, nothing more.
    empty = build_plan(
        plan_input("zone", zone_with_figures(project_schedule=[])), identity, chinese
    )
    assert GANTT not in figures(empty)
    assert len(empty.warnings) == 1
    assert "进度安排" in empty.warnings[0]


def test_rows_with_bad_dates_are_left_out_of_the_gantt_and_counted_in_its_note() -> None:
    rows = [
        *SCHEDULE,
        {"project": "坏行", "stage": "一期", "start_date": "2026/13/01", "end_date": ""},
    ]
    document = build_plan(
        plan_input("zone", zone_with_figures(project_schedule=rows)), identity, chinese
    )
    gantt = next(b for b in document.blocks if isinstance(b, Figure) and b.caption == GANTT)
    assert (
        gantt.description == "1 rows of the table without a valid start and end date are not drawn."
    )
    table = next(b for b in document.blocks if isinstance(b, Table) and b.caption == "进度安排")
    assert len(table.rows) == 3  # the table still shows what was entered


def test_a_given_map_replaces_the_drawing_and_charts_can_be_switched_off() -> None:
    given = build_plan(
        plan_input("zone", zone_with_figures(), charts={"map": b"\x89PNG given"}), identity, chinese
    )
    drawn = next(b for b in given.blocks if isinstance(b, Figure) and b.caption == MAP)
    assert drawn.png == b"\x89PNG given"
    off = build_plan(plan_input("zone", zone_with_figures(), draw_charts=False), identity, chinese)
    assert figures(off) == []
    assert off.warnings == ()


def test_a_boundary_that_cannot_be_drawn_is_a_warning_not_a_crash() -> None:
    boundary = {
        "geometry": {"type": "Point", "coordinates": [121.4, 31.2]},
        "four_sides": "东至甲路",
    }
    document = build_plan(
        plan_input("zone", zone_with_figures(boundary=boundary)), identity, chinese
    )
    assert MAP not in figures(document)
    assert document.warnings == (
        "The boundary map could not be drawn: the boundary is not a polygon",
    )
    assert any(isinstance(b, Paragraph) and b.text == "东至甲路" for b in document.blocks)
