"""The annual work plan (年度工作计划): the tasks under way in the year, the year's staged
targets, the quarter schedule and the forecast's reduction of that year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from lowcarbon.documents.pdf import convert_to_pdf
from lowcarbon.documents.plan import PlanInput
from lowcarbon.documents.task_list import ScheduleStage
from lowcarbon.documents.work_plan import (
    build_work_plan,
    quarters,
    shown_reached,
    write_work_plan,
)

from ..system_tools import pdf_text, require_converter, run
from .test_task_list import ZH, load_plan, zone_sections

INDICATORS = [
    {
        "indicator": "区域碳排放下降率",
        "unit": "%",
        "baseline_year": 2023,
        "baseline_value": "0",
        "stage_year": 2027,
        "stage_value": "10",
        "target_year": 2030,
        "target_value": "20",
    },
    {
        "indicator": "可再生能源利用占比",
        "unit": "%",
        "baseline_year": 2023,
        "baseline_value": "2.03",
        "target_year": 2027,
        "target_value": "9",
    },
]


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> PlanInput:
    # Read and accounted once for the module: PlanInput is frozen, and no test changes it.
    folder = tmp_path_factory.mktemp("work-plan")
    return load_plan(folder, "zone", zone_sections() | {"indicator_system": INDICATORS})


def expected_active(plan: PlanInput, year: int) -> set[str]:
    """Independently: a task of the baseline data is under way from its start year to the year
    it reaches its full effect, unless a key project or the schedule gives other years."""
    assert plan.accounting is not None
    names = {
        t.name
        for t in plan.accounting.input.tasks
        if t.start_year <= year <= t.start_year + t.ramp_years - 1 and t.id != "Z03"
    }
    # Z03 is the key project 既有公共建筑节能改造, scheduled 2024-03 to 2026-11.
    if 2024 <= year <= 2026:
        names.add("既有公共建筑节能改造（20万m²）")
    # The hydrogen line: key project 2026–2028, its schedule 2026-04 to 2027-09.
    if 2026 <= year <= 2028:
        names.add("氢能公交示范线")
    return names


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
def test_exactly_the_tasks_under_way_in_the_year(zone: PlanInput, year: int) -> None:
    work = build_work_plan(zone, year, ZH)
    assert {a.entry.name for a in work.active} == expected_active(zone, year)
    # The list items without any year are named, not scheduled.
    assert {e.name for e in work.undated} == {"推广用户侧储能", "低碳社区宣传周"}


def test_the_targets_are_the_staged_targets_of_that_year(zone: PlanInput) -> None:
    assert zone.accounting is not None
    assert zone.accounting.forecast is not None
    work = build_work_plan(zone, 2027, ZH)
    staged = {(t.kind, t.value) for t in zone.accounting.input.targets if t.year == 2027}
    assert {(t.target.kind, t.target.value) for t in work.targets} == staged
    assert staged  # decline rate 10 %, renewable share 9 %
    checks = {c.target: c for c in zone.accounting.forecast.targets.checks}
    for item in work.targets:
        assert item.reached == checks[item.target].reached
        assert item.met == checks[item.target].met
    assert work.targets_year == 2027
    # The indicator system's rows whose staged or final target year is 2027.
    assert [(s.indicator, s.value, s.final) for s in work.indicators] == [
        ("区域碳排放下降率", "10", False),
        ("可再生能源利用占比", "9", True),
    ]


def test_a_year_without_targets_shows_the_next_ones(zone: PlanInput) -> None:
    work = build_work_plan(zone, 2026, ZH)
    assert work.targets_year == 2027
    assert {t.target.year for t in work.targets} == {2027}
    assert work.indicators == ()


def test_the_reduction_of_the_year_is_the_forecast_s(zone: PlanInput) -> None:
    assert zone.accounting is not None
    assert zone.accounting.forecast is not None
    work = build_work_plan(zone, 2026, ZH)
    forecast = zone.accounting.forecast.plan.get(2026)
    assert forecast is not None
    assert work.forecast == forecast
    solar = next(a for a in work.active if a.entry.task_id == "Z01")
    assert solar.counted_tco2 == forecast.effect("Z01").counted_tco2
    assert solar.counted_tco2 < Decimal(5290)  # still ramping up (3 of 4 years)
    hydrogen = next(a for a in work.active if a.entry.name == "氢能公交示范线")
    assert hydrogen.counted_tco2 is None  # not in the baseline data, nothing counted


def test_a_year_outside_the_forecast_is_a_visible_gap(zone: PlanInput, tmp_path: Path) -> None:
    work = write_work_plan(zone, 2035, tmp_path / "wp.docx", ZH)
    assert work.forecast is None
    assert work.targets == ()
    assert any("2035" in w for w in work.warnings)
    texts = [p.text for p in Document(str(tmp_path / "wp.docx")).paragraphs]
    assert any(t.startswith("【待补充：规划情景预测中没有2035年") for t in texts)


def test_quarters_covered_by_a_stage() -> None:
    stage = ScheduleStage("甲", "一期", date(2024, 3, 1), date(2025, 6, 30))
    assert quarters(stage, 2024) == (True, True, True, True)
    assert quarters(stage, 2025) == (True, True, False, False)
    late = ScheduleStage("乙", "", date(2026, 10, 1), date(2026, 10, 1))
    assert quarters(late, 2026) == (False, False, False, True)
    assert quarters(ScheduleStage("丙", "", date(2026, 3, 31), date(2026, 4, 1)), 2026) == (
        True,
        True,
        False,
        False,
    )


def test_the_word_document(zone: PlanInput, tmp_path: Path) -> None:
    out = tmp_path / "wp.docx"
    write_work_plan(zone, 2026, out, ZH)
    document = Document(str(out))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    # Wider than a title line: broken after the place name, never inside a word (工/作).
    assert "望江湾低碳发展实践区\n2026年度低碳发展工作计划" in titles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、年度目标",
        "二、年度重点任务和项目",
        "三、分季度进度安排",
        "四、年度预期减排量",
    ]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "表1 2027年阶段性目标",
        "表2 2026年度实施的重点任务和项目",
        "表3 2026年分季度进度安排",
        "表4 2026年分任务预期减排量",
    ]
    active, schedule, reductions = document.tables[1], document.tables[2], document.tables[3]
    assert len(active.rows) == 1 + len(expected_active(zone, 2026)) + 1
    header = [c.text for c in schedule.rows[0].cells]
    assert header[5:9] == ["一季度", "二季度", "三季度", "四季度"]
    # 二期 of the retrofit (2025-07 to 2026-11) and the hydrogen line's construction (from 04).
    marks = {row.cells[2].text: [c.text for c in row.cells[5:9]] for row in schedule.rows[1:]}
    assert marks == {"二期": ["●", "●", "●", "●"], "建设": ["", "●", "●", "●"]}
    assert zone.accounting is not None
    assert zone.accounting.forecast is not None
    forecast = zone.accounting.forecast.plan.get(2026)
    assert forecast is not None
    total = reductions.rows[-1].cells
    assert total[0].text == "合计"
    assert total[3].text == f"{forecast.reduction_tco2:,.2f}".rstrip("0").rstrip(".")


def test_the_spreadsheet(zone: PlanInput, tmp_path: Path) -> None:
    out = tmp_path / "wp.xlsx"
    work = write_work_plan(zone, 2027, out, ZH)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["目标", "指标", "年度任务", "进度安排", "减排量"]
    tasks = workbook["年度任务"]
    assert tasks["A1"].value.startswith("望江湾低碳发展实践区2027年度低碳发展工作计划")
    assert tasks["C3"].value == "任务/项目名称"
    names = {row[2].value for row in tasks.iter_rows(min_row=4) if isinstance(row[0].value, int)}
    assert names == {a.entry.name for a in work.active}
    targets = workbook["目标"]
    values = {(row[0].value, row[3].value) for row in targets.iter_rows(min_row=4) if row[1].value}
    assert values == {("碳排放下降率", 10), ("可再生能源利用占比", 9)}


def test_the_pdf_has_pages_and_chinese_text(zone: PlanInput, tmp_path: Path) -> None:
    out = tmp_path / "wp.docx"
    write_work_plan(zone, 2026, out, ZH)
    require_converter()
    pdf = convert_to_pdf(out, tmp_path)
    info = run("pdfinfo", str(pdf))
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:"))[6:])
    assert pages >= 4  # cover, contents, the body over at least two pages
    text = pdf_text(pdf)
    compact = "".join(text.split())
    assert "2026年度低碳发展工作计划" in compact
    assert "分季度进度安排" in compact
    assert "既有公共建筑节能改造" in compact


@pytest.mark.parametrize(
    ("reached", "target", "shown"),
    [
        ("0.7009", "0.7", "0.701"),  # 未达标 must not read 0.70 against 0.7
        ("0.6995", "0.7", "0.6995"),  # met by a hair: 0.70 would hide which side it is on
        ("0.72", "0.7", "0.72"),
        ("10.004", "10", "10.004"),
        ("10.6", "10", "10.60"),  # no more decimals than telling them apart needs
        ("9.123", "9.5", "9.12"),
        ("0.7", "0.7", "0.70"),  # equal is shown equal
        ("0.70000001", "0.7", "0.700000"),  # at most six decimals
    ],
)
def test_the_plan_s_figure_never_reads_equal_to_a_target_it_is_not(
    reached: str, target: str, shown: str
) -> None:
    assert str(shown_reached(Decimal(reached), Decimal(target))) == shown


def test_tasks_completed_earlier_are_named_beside_the_year_s_reduction(zone: PlanInput) -> None:
    """A task past its completion year is not under way, but the year's reduction still counts
    it: the work plan says so instead of a bare count beside the forecast's reduction."""
    from lowcarbon.documents.work_plan import work_plan_blocks

    work = build_work_plan(zone, 2028, ZH)
    assert zone.accounting is not None
    assert zone.accounting.forecast is not None
    year_row = zone.accounting.forecast.plan.get(2028)
    assert year_row is not None
    effects = {e.task.id: e.counted_tco2 for e in year_row.effects}
    ended = {
        t.name
        for t in zone.accounting.input.tasks
        if t.start_year + t.ramp_years - 1 < 2028 and effects.get(t.id) and t.id != "Z03"
    } | {"既有公共建筑节能改造（20万m²）"}
    assert {o.entry.name for o in work.operating} == ended
    assert not {o.entry.name for o in work.operating} & {a.entry.name for a in work.active}
    text = " ".join(
        getattr(block, "text", "") for block in work_plan_blocks(work, ZH) if hasattr(block, "text")
    )
    assert f"另有{len(ended)}项已建成的任务和项目在2028年继续减排" in text
