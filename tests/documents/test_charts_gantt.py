"""The schedule chart (Gantt) of the plan's 进度安排 table: one bar per stage placed by its
dates, milestones at the end of their stage, rows with bad dates left out without a crash."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from typing import Any

import pytest

from lowcarbon.documents.charts import Stage, gantt_chart, png
from lowcarbon.documents.plan import schedule_chart, schedule_stages

SVG = "{http://www.w3.org/2000/svg}"
ROWS: list[dict[str, Any]] = [
    {
        "project": "创智中心近零碳排放示范楼宇",
        "stage": "方案设计",
        "start_date": "2026-03-01",
        "end_date": "2026-08-31",
        "milestone": "完成方案设计",
    },
    {
        "project": "创智中心近零碳排放示范楼宇",
        "stage": "设计与施工",
        "start_date": "2026-09-01",
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
    {
        "project": "慢行系统改造",
        "stage": "二期",
        "start_date": "2028-05-01",
        "end_date": "2028-12-31",
    },
]


def identity(text: str) -> str:
    return text


def bars(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG}rect"))


def stage_bars(svg: str) -> list[ET.Element]:
    return [rect for rect in bars(svg) if rect.get("class") == "stage"]


def test_one_bar_per_row_placed_by_its_dates() -> None:
    svg = schedule_chart(ROWS, identity)
    assert svg is not None
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Schedule of the key projects"
    desc = root.findtext(f"{SVG}desc") or ""
    assert desc.startswith("4 stages from 2026-03-01 to 2028-12-31")
    assert "屋顶光伏 安装 2027-01-01—2028-03-31" in desc
    drawn = stage_bars(svg)
    assert len(drawn) == len(ROWS)
    starts = [float(rect.get("x", "")) for rect in drawn]
    ends = [float(rect.get("x", "")) + float(rect.get("width", "")) for rect in drawn]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    assert ends == sorted(ends)
    # The second stage starts the day after the first ends: the bars touch.
    assert ends[0] == pytest.approx(starts[1], abs=0.02)
    # Lengths are proportional to the days (184 and 303 days).
    widths = [float(rect.get("width", "")) for rect in drawn]
    assert widths[1] / widths[0] == pytest.approx(303 / 184, rel=0.01)
    # Rows go down in the table's order; a project's stages share a colour.
    ys = [float(rect.get("y", "")) for rect in drawn]
    assert ys == sorted(ys)
    assert drawn[0].get("fill") == drawn[1].get("fill") != drawn[2].get("fill")
    titles = [rect.findtext(f"{SVG}title") for rect in drawn]
    assert (
        titles[0] == "创智中心近零碳排放示范楼宇 方案设计: 2026-03-01 – 2026-08-31 (完成方案设计)"
    )


def test_the_axis_shows_the_years_and_milestones_sit_at_stage_ends() -> None:
    svg = schedule_chart(ROWS, identity)
    assert svg is not None
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2026", "2027", "2028"} <= set(texts)
    assert "2025" not in texts
    assert "2029" not in texts
    milestones = [p for p in root.iter(f"{SVG}path") if p.get("class") == "milestone"]
    assert len(milestones) == 2  # two rows have one
    assert "Milestone" in texts  # the legend
    ends = [float(r.get("x", "")) + float(r.get("width", "")) for r in stage_bars(svg)]
    tips = [float((p.get("d") or "").split(",")[0][1:]) for p in milestones]
    assert tips == pytest.approx(ends[:2], abs=0.1)
    no_milestone = gantt_chart(
        [Stage("甲", "一期", date(2026, 1, 1), date(2026, 6, 30))],
        chart_id="x",
        title="t",
        desc="d",
        milestone_label="Milestone",
    )
    assert "Milestone" not in no_milestone
    assert 'class="milestone"' not in no_milestone


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026/13/01", "2026-12-31"),
        ("2026-05-01", "2026-02-30"),
        ("", "2026-12-31"),
        (None, "2026-12-31"),
        ("2026-05-01", None),
        ("2026-12-31", "2026-01-01"),  # ends before it starts
        (20260501, "2026-12-31"),
        ("20260501", "2026-12-31"),
        ({"y": 2026}, "2026-12-31"),
        ("明年三月", "2026-12-31"),
    ],
)
def test_a_row_with_bad_dates_is_skipped_never_a_crash(start: Any, end: Any) -> None:
    bad = {"project": "坏行", "stage": "阶段", "start_date": start, "end_date": end}
    rows = [ROWS[0], bad, ROWS[2]]
    stages = schedule_stages(rows)
    assert [s.project for s in stages] == [ROWS[0]["project"], ROWS[2]["project"]]
    svg = schedule_chart(rows, identity)
    assert svg is not None
    assert len(stage_bars(svg)) == 2
    assert "坏行" not in svg
    assert schedule_chart([bad], identity) is None


def test_rows_that_are_not_rows_and_empty_tables_draw_nothing() -> None:
    assert schedule_chart([], identity) is None
    assert schedule_chart(["一期", None, 3], identity) is None
    stages = schedule_stages(
        [
            {
                "project": None,
                "stage": 2,
                "start_date": date(2026, 1, 1),
                "end_date": datetime(2026, 3, 1, 9),
            }
        ]
    )
    assert stages == [Stage("", "2", date(2026, 1, 1), date(2026, 3, 1))]
    with pytest.raises(ValueError, match="at least one stage"):
        gantt_chart([], chart_id="x", title="t", desc="d", milestone_label="m")


def test_texts_are_escaped_and_long_names_wrap_then_cut_with_the_full_name_in_the_tooltip() -> None:
    long_name = "<b>" + "超长项目名称" * 12 + "</b>"
    svg = schedule_chart([ROWS[0] | {"project": long_name, "milestone": "a&b"}], identity)
    assert svg is not None
    assert "<b>" not in svg
    root = ET.fromstring(svg)
    lines = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "project"]
    assert len(lines) == 4  # at most four lines, the last cut
    assert lines[0].startswith("<b>超长")
    assert lines[-1].endswith("…")
    assert long_name.startswith("".join(lines)[:-1])
    assert long_name in (stage_bars(svg)[0].findtext(f"{SVG}title") or "")
    assert "a&b" in (stage_bars(svg)[0].findtext(f"{SVG}title") or "")


def test_a_name_wider_than_its_column_wraps_whole_and_its_rows_make_room() -> None:
    # The defect: project names were cut ("创智中心近零碳…") in the printed plan.
    name = "创智中心近零碳排放示范楼宇及周边街区慢行系统与屋顶光伏一体化改造工程（一期）"
    rows = [ROWS[0] | {"project": name}, ROWS[2]]
    svg = schedule_chart(rows, identity)
    assert svg is not None
    root = ET.fromstring(svg)
    project_texts = [t for t in root.iter(f"{SVG}text") if t.get("class") == "project"]
    first = [t.text or "" for t in project_texts[:-1]]
    assert len(first) > 1
    assert "".join(first) == name  # whole, in order, nothing cut
    assert project_texts[-1].text == "屋顶光伏"
    # The next project's bar starts below the last line of the long name.
    last_line_y = float(project_texts[-2].get("y", ""))
    assert float(stage_bars(svg)[1].get("y", "")) > last_line_y
    # A number or a Latin word is never split between lines.
    lines = [
        t.text or ""
        for t in ET.fromstring(
            schedule_chart(
                [ROWS[0] | {"project": "屋顶光伏 12 MWp 2026 Solar Roof Programme 扩容"}], identity
            )
            or ""
        ).iter(f"{SVG}text")
        if t.get("class") == "project"
    ]
    words = " ".join(lines).split()
    assert {"12", "MWp", "2026", "Solar", "Roof", "Programme"} <= set(words)


def test_a_long_schedule_labels_every_few_years() -> None:
    stages = [
        Stage("甲", f"第{i}期", date(2021 + i, 1, 1), date(2021 + i, 12, 31)) for i in range(20)
    ]
    svg = gantt_chart(stages, chart_id="x", title="t", desc="d", milestone_label="m")
    years = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if (t.text or "").isdigit()]
    assert years[0] == "2021"
    assert 6 <= len(years) <= 12


def test_the_chart_renders_to_png() -> None:
    svg = schedule_chart(ROWS, identity)
    assert svg is not None
    assert png(svg).startswith(b"\x89PNG\r\n\x1a\n")
