"""The task list (任务清单): every task and key project by field, with the engine's reductions,
as a spreadsheet and as a Word document in the official layout."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from lowcarbon.cli.i18n import translator
from lowcarbon.core.text import LocalText
from lowcarbon.documents.formatting import number
from lowcarbon.documents.plan import PlanInput, plan_input_from_file
from lowcarbon.documents.task_list import (
    KEY_PROJECTS_FIELD,
    build_task_list,
    same_task,
    write_task_list,
)
from lowcarbon.rules.application_file import load_application_file

from ..application_export import example_export, write_export

ZH = translator("zh")

HEADER = [
    "序号",
    "领域",
    "任务/项目名称",
    "主要内容",
    "责任单位",
    "完成时限",
    "预期减排量（tCO₂/年）",
    "是否重点项目/近零碳示范",
]

# Rows as the outline's columns define them (data/schemes/zone/2021/outline.yaml, 三、3.), stored
# as the workspace stores them: numbers as text, years as integers, dates in ISO form.
KEY_PROJECTS = [
    {
        "name": "既有公共建筑节能改造",  # the baseline data's task Z03, without its bracket
        "content": "对20万平方米既有公共建筑实施节能改造",
        "implementer": "区机关事务管理局",
        "investment": "12000",
        "start_year": 2024,
        "end_year": 2026,
        "expected_reduction": "4350",
    },
    {
        "name": "氢能公交示范线",  # not in the baseline data
        "content": "开通2条氢燃料电池公交线路",
        "implementer": "区交通委",
        "investment": "3000",
        "start_year": 2026,
        "end_year": 2028,
        "expected_reduction": "300",
    },
]
SCHEDULE = [
    {
        "project": "既有公共建筑节能改造",
        "stage": "一期",
        "start_date": "2024-03-01",
        "end_date": "2025-06-30",
        "milestone": "完成10万平方米",
    },
    {
        "project": "既有公共建筑节能改造",
        "stage": "二期",
        "start_date": "2025-07-01",
        "end_date": "2026-11-30",
        "milestone": "全部完工",
    },
    {
        "project": "氢能公交示范线",
        "stage": "建设",
        "start_date": "2026-04-01",
        "end_date": "2027-09-30",
        "milestone": "",
    },
]


def chinese(text: LocalText) -> str:
    return text.get("zh")


def zone_sections() -> dict[str, Any]:
    return {
        "key_projects": KEY_PROJECTS,
        "project_schedule": SCHEDULE,
        "near_zero_carbon_projects": ["创智中心近零碳排放示范楼宇"],
        "tasks_energy": [
            "厂房及楼宇屋顶分布式光伏扩容：利用厂房和楼宇屋顶新增12 MWp",
            "推广用户侧储能",
        ],
        "tasks_buildings": ["既有公共建筑节能改造（20万m²）"],
        "tasks_transport": ["公交与物流车辆电动化及充换电网络"],
        "tasks_regulatory_system": ["区域碳排放监测与管理平台"],
        "tasks_low_carbon_culture": ["绿色办公与低碳宣传行动", "低碳社区宣传周"],
    }


def load_plan(tmp_path: Path, kind: str, sections: dict[str, Any] | None = None) -> PlanInput:
    data = example_export(kind)
    data["sections"] |= sections or {}
    exported = load_application_file(write_export(tmp_path / f"{kind}.json", data))
    return plan_input_from_file(exported, chinese, draw_charts=False)


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> PlanInput:
    # Read and accounted once for the module: PlanInput is frozen, and no test changes it.
    return load_plan(tmp_path_factory.mktemp("task-list"), "zone", zone_sections())


def test_names_match_across_sources_only_when_clearly_the_same() -> None:
    assert same_task("既有公共建筑节能改造（20万m²）", "既有公共建筑节能改造")
    assert same_task("绿色办公 与低碳宣传行动。", "绿色办公与低碳宣传行动")
    assert same_task("Solar Roofs", "solar roofs")
    assert not same_task("既有公共建筑节能改造", "既有居住建筑节能改造")
    assert not same_task("", "")
    assert not same_task("（一期）", "（二期）")


def counted_reductions(plan: PlanInput) -> dict[str, Decimal]:
    """What the forecast counts for each task: computed from its activities, or typed."""
    assert plan.accounting is not None
    assert plan.accounting.forecast is not None
    return {r.task.id: r.reduction_tco2 for r in plan.accounting.forecast.reductions}


def test_the_total_is_the_sum_of_the_baseline_data_tasks(zone: PlanInput) -> None:
    assert zone.accounting is not None
    tasks = zone.accounting.input.tasks
    counted = counted_reductions(zone)
    listed = build_task_list(zone, ZH)
    assert listed.total == sum(counted.values(), Decimal(0))
    # Every task of the example states its activities: the list carries the computed figures,
    # which the plan's rounded, typed ones (23 460 t in all) only approximate.
    assert not zone.accounting.forecast.declared  # type: ignore[union-attr]
    assert listed.total != sum((t.annual_reduction_tco2 for t in tasks), Decimal(0))
    assert abs(listed.total - Decimal(23460)) < 5
    # Each field's subtotal is the sum of its tasks in the baseline data.
    for group in listed.groups:
        expected = sum((counted[t.id] for t in tasks if t.domain.value == group.field), Decimal(0))
        assert group.subtotal == expected, group.field


def test_every_task_appears_once_and_matches_merge(zone: PlanInput) -> None:
    assert zone.accounting is not None
    listed = build_task_list(zone, ZH)
    entries = listed.entries
    # 9 tasks of the baseline data, the unmatched key project, 2 unmatched list items.
    assert len(entries) == 12
    assert [e.number for e in entries] == list(range(1, 13))
    by_id = {e.task_id: e for e in entries if e.task_id}
    assert set(by_id) == {t.id for t in zone.accounting.input.tasks}
    retrofit = by_id["Z03"]
    assert retrofit.sources == ("accounting", "key_projects", "tasks_buildings")
    assert retrofit.content == "对20万平方米既有公共建筑实施节能改造"
    assert retrofit.responsible == "区机关事务管理局"
    assert retrofit.key_project
    assert retrofit.deadline == "2026年11月"  # the last end date of its schedule
    assert [s.stage for s in retrofit.schedule] == ["一期", "二期"]
    solar = by_id["Z01"]
    assert solar.content == "利用厂房和楼宇屋顶新增12 MWp"  # 名称：内容 of the list item
    assert solar.deadline == "2027年"  # 2024 + ramp 4 − 1
    assert solar.responsible == "望江湾低碳发展实践区"  # the applicant when none is named
    assert by_id["Z04"].near_zero
    hydrogen = next(e for e in entries if e.name == "氢能公交示范线")
    assert hydrogen.field == KEY_PROJECTS_FIELD
    assert not hydrogen.counted
    assert hydrogen.reduction_tco2 == Decimal(300)
    assert any("氢能公交示范线" in w and "未计入合计" in w for w in listed.warnings)
    storage = next(e for e in entries if e.name == "推广用户侧储能")
    assert storage.field == "energy"
    assert storage.reduction_tco2 is None
    assert storage.start_year is None


def test_groups_follow_the_outline_fields(zone: PlanInput, tmp_path: Path) -> None:
    listed = build_task_list(zone, ZH)
    assert [g.label for g in listed.groups] == [
        "能源",
        "建筑",
        "交通",
        "监管体系",
        "低碳人文",
        "绿化",
        "示范项目",
        "重点工程项目（未注明领域）",
    ]
    community = build_task_list(load_plan(tmp_path, "community"), ZH)
    labels = [g.label for g in community.groups]
    assert labels[:3] == ["组织管理", "低碳行为", "低碳示范项目"]


def test_a_disagreeing_reduction_is_reported(tmp_path: Path) -> None:
    sections = zone_sections()
    sections["key_projects"] = [KEY_PROJECTS[0] | {"expected_reduction": "5000"}]
    listed = build_task_list(load_plan(tmp_path, "zone", sections), ZH)
    assert any("5,000" in w and "4,349.88" in w for w in listed.warnings)
    # The baseline data's (computed) figure stays.
    assert listed.total == sum(counted_reductions(load_plan(tmp_path, "zone", sections)).values())


def test_a_bad_schedule_row_is_left_out_with_a_warning(tmp_path: Path) -> None:
    sections = zone_sections()
    sections["project_schedule"] = [SCHEDULE[0] | {"end_date": "2023-01-01"}, SCHEDULE[1]]
    listed = build_task_list(load_plan(tmp_path, "zone", sections), ZH)
    assert len(listed.schedule) == 1
    assert any("进度安排第1行" in w for w in listed.warnings)


def test_the_spreadsheet_has_the_bureau_layout(zone: PlanInput, tmp_path: Path) -> None:
    out = tmp_path / "tasks.xlsx"
    listed = write_task_list(zone, out, ZH)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["任务清单", "分领域汇总"]
    sheet = workbook["任务清单"]
    assert sheet["A1"].value == "望江湾低碳发展实践区低碳发展任务清单"
    assert [c.value for c in sheet[3]] == HEADER
    assert sheet.freeze_panes == "A4"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    items = [r for r in rows if isinstance(r[0], int)]
    assert len(items) == 12
    per_field = Counter(r[1] for r in items)
    assert per_field == {g.label: len(g.entries) for g in listed.groups}
    subtotals = {r[1]: r[6] for r in rows if r[2] == "小计"}
    energy = next(g for g in listed.groups if g.field == "energy")
    assert subtotals["能源"] == pytest.approx(float(energy.subtotal))
    assert subtotals["重点工程项目（未注明领域）"] == 0
    counted = float(sum(counted_reductions(zone).values(), Decimal(0)))
    total = next(r for r in rows if r[2] == "合计")
    assert total[6] == pytest.approx(counted)
    assert sum(r[6] for r in items if isinstance(r[6], int | float)) == pytest.approx(counted)
    hydrogen = next(r for r in items if r[2] == "氢能公交示范线")
    assert hydrogen[6] == "300†"
    assert hydrogen[7] == "重点项目"
    assert (
        next(r for r in items if r[2] == "创智中心近零碳排放示范楼宇")[7] == "重点项目、近零碳示范"
    )
    note = rows[-1][0]
    assert "附件1 三、2.、三、3." in note
    assert "附件2 三" in note
    assert "†" in note


def test_the_word_document_has_the_official_layout(zone: PlanInput, tmp_path: Path) -> None:
    out = tmp_path / "tasks.docx"
    write_task_list(zone, out, ZH)
    document = Document(str(out))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert "望江湾低碳发展实践区低碳发展任务清单" in titles
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    last = [c.text for c in table.rows[-1].cells]
    assert last[2] == "合计"
    assert last[6] == number(sum(counted_reductions(zone).values(), Decimal(0)))
    labels = [row.cells[2].text for row in table.rows]
    assert labels.count("小计") == 8
    summary = document.tables[1]
    assert [c.text for c in summary.rows[-1].cells][:2] == ["合计", "12"]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "共列出8个领域的任务和项目12项" in texts
    assert "附件2 三" in texts
    section = document.sections[-1]
    assert round(section.page_width.mm) == 210
    assert round(section.top_margin.mm) == 37


def test_without_baseline_data_the_outline_lists_still_make_a_list(tmp_path: Path) -> None:
    data = example_export("zone", accounting={})
    data["sections"] |= {"tasks_energy": ["推广用户侧储能"]}
    exported = load_application_file(write_export(tmp_path / "z.json", data))
    listed = build_task_list(plan_input_from_file(exported, chinese, draw_charts=False), ZH)
    assert [e.name for e in listed.entries] == ["推广用户侧储能"]
    assert listed.total == 0


def record(code: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "domain": "energy",
        "content": "",
        "responsible": "",
        "start_year": 2024,
        "end_year": None,
        "budget_10k_yuan": None,
        "key_project": False,
        "near_zero": False,
        "stated_reduction_tco2": None,
    } | fields


def test_the_frozen_task_records_give_responsible_content_end_and_budget_by_id(
    tmp_path: Path,
) -> None:
    data = example_export("zone")
    data["sections"] |= zone_sections()
    data["tasks"] = [
        # Matched by its id although its name is written otherwise.
        record(
            "Z01",
            "屋顶光伏（另一写法）",
            content="屋顶光伏 12 MWp，分三批并网",
            responsible="区发展改革委",
            end_year=2026,
            budget_10k_yuan="3600.00",
        ),
        # The record wins over the key-project table's implementer.
        record("Z03", "既有公共建筑节能改造", responsible="区建设管理委"),
        # A record of no task of the baseline data matches nothing (never by name).
        record("Z99", "推广用户侧储能", responsible="不应出现"),
    ]
    exported = load_application_file(write_export(tmp_path / "zone.json", data))
    entries = build_task_list(plan_input_from_file(exported, chinese, draw_charts=False), ZH)
    by_id = {e.task_id: e for e in entries.entries if e.task_id}
    solar = by_id["Z01"]
    assert solar.responsible == "区发展改革委"
    assert solar.content == "屋顶光伏 12 MWp，分三批并网"
    assert (solar.end_year, solar.deadline) == (2026, "2026年")
    assert solar.budget_10k_yuan == Decimal("3600.00")
    assert "tasks" in solar.sources
    retrofit = by_id["Z03"]
    assert retrofit.responsible == "区建设管理委"
    assert retrofit.content == "对20万平方米既有公共建筑实施节能改造"  # the record states none
    assert retrofit.deadline == "2026年11月"  # the schedule still ends later
    assert retrofit.budget_10k_yuan is None
    storage = next(e for e in entries.entries if e.name == "推广用户侧储能")
    assert storage.responsible == "望江湾低碳发展实践区"
    # Tasks without a record read as before.
    assert by_id["Z02"].responsible == "望江湾低碳发展实践区"


def test_without_task_records_the_list_is_as_before(zone: PlanInput) -> None:
    assert zone.tasks is None
    solar = next(e for e in build_task_list(zone, ZH).entries if e.task_id == "Z01")
    assert solar.responsible == "望江湾低碳发展实践区"
    assert solar.budget_10k_yuan is None
    assert "tasks" not in solar.sources
