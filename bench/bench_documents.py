"""Document generation speed: a ~60-page implementation plan as DOCX and as PDF.

Run with ``python bench/bench_documents.py [DOCX_RUNS] [PDF_RUNS]`` (defaults 5 and 3). The
plan is the zone example (附件1 outline) with long narrative in every text element (realistic
Chinese text made from sentences of the kind plans contain), many rows in every table (key
projects, schedule, indicator system, energy and emissions), the engine's computed tables, the
charts, and the self-assessment annex.

Reported, as medians over the runs:

* DOCX: :func:`lowcarbon.documents.plan.write_plan` (build the blocks, write the bundled
  template, fill it, lay out every block with the official styles; the charts drawn from the
  accounting result each time) against the ceiling "a bare python-docx document with the same
  text, tables and images, no template, no styles";
* PDF: :func:`lowcarbon.documents.pdf.convert_to_pdf` of that plan against "LibreOffice
  converting that bare document" (same converter, same profile handling);

with the page counts (``pdfinfo``) and the ratios: what the official layout costs. This is a
benchmark, not a test: nothing here asserts a speed.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from html import unescape
from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document

from lowcarbon.cli.i18n import translator
from lowcarbon.core.accounting import run_accounting
from lowcarbon.core.outline import ElementKind
from lowcarbon.core.text import LocalText
from lowcarbon.documents import result_charts
from lowcarbon.documents.blocks import (
    Block,
    Figure,
    Heading,
    Narrative,
    Paragraph,
    Placeholder,
    Table,
)
from lowcarbon.documents.pdf import convert_to_pdf, converter
from lowcarbon.documents.plan import PlanInput, build_plan, score_sheet, write_plan
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.answers import score_answers_file
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.outlines import load_outline

REPO = Path(__file__).resolve().parents[1]
_ = translator("zh")

# Sentences of the kind implementation plans contain; paragraphs are drawn from them.
SENTENCES = (
    "实践区位于黄浦江滨江发展带，东至滨江大道，南至龙华港，西至云锦路，北至龙腾大道，总面积约3.6平方公里",
    "区域内现有工业企业42家、商务楼宇27幢、住宅小区15个，常住人口约1.48万人，就业人口约6.2万人",
    "2023年区域能源消费总量约5.4万吨标准煤，其中电力消费占比约71%，天然气消费占比约18%",
    "碳排放主要来源于工业生产用电、商业和公共建筑用能以及交通运输燃油消耗，三者合计占比超过九成",
    "近年来区域持续推进分布式光伏建设，已建成屋顶光伏装机容量约8.4兆瓦，年发电量约840万千瓦时",
    "既有公共建筑节能改造已完成约12万平方米，改造后单位面积能耗平均下降约18%",
    "区域已建立重点用能单位能耗在线监测系统，覆盖年综合能耗1000吨标准煤以上企业",
    "围绕能源、建筑、交通、监管体系和低碳人文五大领域，统筹推进各项低碳建设任务",
    "坚持系统谋划、分步实施，坚持政府引导、市场主导，坚持示范引领、全民参与",
    "到2025年，区域碳排放总量较2023年下降3%以上，可再生能源利用占比达到6%",
    "到2027年，区域碳排放总量较2023年下降10%以上，可再生能源利用占比达到9%",
    "到2030年，基本建成布局合理、特色鲜明、示范效应显著的低碳发展实践区",
    "推动碳交易企业参与绿电交易，鼓励园区企业签订中长期绿色电力购买协议",
    "推进公交车辆和物流车辆电动化替代，完善充换电基础设施网络布局",
    "建设区域碳排放监测与管理平台，实现重点排放源数据的实时采集和动态分析",
    "开展绿色办公、低碳出行、垃圾分类等主题宣传活动，提升公众低碳意识",
    "建立由区发展改革委牵头、相关部门和街道共同参与的工作推进机制",
    "统筹利用市、区节能减排专项资金，对符合条件的低碳项目给予资金支持",
    "加强与高校、科研院所和专业机构的合作，为实践区建设提供技术支撑",
    "定期对各项任务实施情况进行跟踪评估，及时总结经验、查找问题、完善措施",
)


def narrative(rng: random.Random, paragraphs: int) -> str:
    parts = []
    for _index in range(paragraphs):
        sentences = rng.sample(SENTENCES, k=rng.randint(4, 7))
        parts.append("<p>" + "；".join(sentences) + "。</p>")
    return "".join(parts)


def sections(rng: random.Random, paragraphs: int) -> dict[str, Any]:
    outline = load_outline("zone", "2021")
    values: dict[str, Any] = {}
    for _section, element in outline.iter_elements():
        kind = element.kind
        if kind == ElementKind.TEXT:
            values[element.id] = narrative(rng, paragraphs)
        elif kind == ElementKind.LIST:
            values[element.id] = [
                "；".join(rng.sample(SENTENCES, k=2)) + "。" for _index in range(8)
            ]
        elif kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
            values[element.id] = "12.5"
        elif kind == ElementKind.GEOMETRY:
            values[element.id] = {"four_sides": SENTENCES[0], "area_km2": 3.6}
    values["key_projects"] = [
        {
            "name": f"低碳重点工程项目{n}",
            "content": "；".join(rng.sample(SENTENCES, k=2)),
            "implementer": "区发展改革委",
            "investment": str(500 + 37 * n),
            "start_year": 2024 + n % 3,
            "end_year": 2027 + n % 4,
            "expected_reduction": str(100 + 13 * n),
        }
        for n in range(1, 41)
    ]
    values["project_schedule"] = [
        {
            "project": f"低碳重点工程项目{n // 2 + 1}",
            "stage": "前期准备" if n % 2 else "建设实施",
            "start_date": f"{2024 + n % 3}-0{1 + n % 9}-01",
            "end_date": f"{2027 + n % 3}-12-31",
            "milestone": rng.choice(SENTENCES)[:20],
        }
        for n in range(60)
    ]
    values["indicator_system"] = [
        {
            "indicator": f"指标{n}",
            "unit": "%",
            "baseline_year": 2023,
            "baseline_value": "1",
            "stage_year": 2027,
            "stage_value": "5",
            "target_year": 2030,
            "target_value": "10",
        }
        for n in range(1, 13)
    ]
    values["energy_and_emissions_status"] = [
        {
            "year": 2019 + n % 5,
            "source_category": rng.choice(("电力", "天然气", "汽油", "柴油", "热力")),
            "energy_consumption": str(1000 + 71 * n),
            "emissions": str(3000 + 113 * n),
            "note": rng.choice(SENTENCES)[:24],
        }
        for n in range(30)
    ]
    return values


def chinese(text: LocalText) -> str:
    return text.get("zh")


def plan_input(paragraphs: int) -> PlanInput:
    accounting = run_accounting(
        load_accounting_file(REPO / "examples" / "zone" / "accounting.yaml"),
        load_factor_library(),
    )
    # The structure chart is placed only when given (plan.py); the trend chart is drawn by
    # write_plan on every run.
    structure = result_charts.png(result_charts.structure_chart(accounting, _, by="category"))
    return PlanInput(
        charts={"structure": structure},
        outline=load_outline("zone", "2021"),
        sections=sections(random.Random(2021), paragraphs),
        unit_name="望江湾低碳发展实践区",
        scheme="zone",
        round_year=2026,
        accounting=accounting,
        score=score_sheet(score_answers_file(REPO / "examples" / "zone" / "answers.yaml"), chinese),
        issued=date(2026, 11, 24),
    )


_TAG = re.compile(r"<[^>]+>")


def write_bare(blocks: list[Block], out: Path) -> None:
    """The ceiling: the same text, tables and images in a bare python-docx document."""
    document = Document()
    for block in blocks:
        if isinstance(block, Heading):
            document.add_paragraph(block.number + block.text)
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.lead + block.text)
        elif isinstance(block, Placeholder):
            document.add_paragraph(block.text)
        elif isinstance(block, Narrative):
            for part in re.split(r"</p>|<br\s*/?>", block.html):
                text = unescape(_TAG.sub("", part)).strip()
                if text:
                    document.add_paragraph(text)
        elif isinstance(block, Figure):
            document.add_picture(BytesIO(block.png))
            document.add_paragraph(block.caption)
        else:
            document.add_paragraph(block.caption)
            table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
            # Row by row, as the plan's writer does (``table.cell`` re-reads the grid each call).
            for table_row, texts in zip(table.rows, [block.header, *block.rows], strict=True):
                for cell, text in zip(table_row.cells, texts, strict=False):
                    cell.text = text
    document.save(str(out))


def median_time(func: Callable[[], object], runs: int) -> float:
    times = []
    for _index in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(pdf: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    line = next((x for x in info.stdout.splitlines() if x.startswith("Pages:")), "Pages: ?")
    return line.split(":", 1)[1].strip()


def main(docx_runs: int, pdf_runs: int, paragraphs: int = 3) -> None:
    plan = plan_input(paragraphs)
    built = build_plan(plan, _, chinese)
    # The bare document gets the chart the plan draws, pre-rendered (drawing is the plan's).
    assert plan.accounting is not None
    trend = result_charts.trend_chart(plan.accounting, _)
    bare_blocks = list(built.blocks)
    if trend is not None:
        bare_blocks.append(Figure("trend", result_charts.png(trend)))
    characters = sum(
        len(b.text) if isinstance(b, Paragraph | Heading) else len(_TAG.sub("", b.html))
        for b in built.blocks
        if isinstance(b, Paragraph | Heading | Narrative)
    )
    tables = [b for b in built.blocks if isinstance(b, Table)]
    rows = sum(len(b.rows) for b in tables)
    figures = sum(1 for b in built.blocks if isinstance(b, Figure))
    print(
        f"zone plan: {len(built.blocks)} blocks, {characters:,} characters of text, "
        f"{len(tables)} tables ({rows} rows), {figures} figures"
    )
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        work = Path(folder)
        plan_docx, bare_docx = work / "plan.docx", work / "bare.docx"
        docx = median_time(lambda: write_plan(plan, plan_docx, _, chinese), docx_runs)
        bare = median_time(lambda: write_bare(bare_blocks, bare_docx), docx_runs)
        print(f"DOCX (median of {docx_runs}):")
        print(f"  write_plan (official layout, charts drawn) {docx:8.3f} s")
        print(f"  ceiling: bare python-docx, same content      {bare:8.3f} s")
        print(f"  plan / ceiling: {docx / bare:.2f}")
        if converter() is None:
            print("PDF: LibreOffice is not installed; no PDF figures")
            return
        plan_pdf_dir, bare_pdf_dir = work / "plan-pdf", work / "bare-pdf"
        pdf = median_time(lambda: convert_to_pdf(plan_docx, plan_pdf_dir), pdf_runs)
        bare_pdf = median_time(lambda: convert_to_pdf(bare_docx, bare_pdf_dir), pdf_runs)
        plan_pages = pages(plan_pdf_dir / "plan.pdf")
        bare_pages = pages(bare_pdf_dir / "bare.pdf")
        print(f"PDF (median of {pdf_runs}):")
        print(f"  convert_to_pdf(plan)  {pdf:8.3f} s  {plan_pages} pages")
        print(f"  ceiling: bare docx    {bare_pdf:8.3f} s  {bare_pages} pages")
        print(f"  plan / ceiling: {pdf / bare_pdf:.2f}")
        if plan_pages.isdigit():
            print(f"  per page: plan {1000 * (docx + pdf) / int(plan_pages):.0f} ms (DOCX + PDF)")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    main(*(arguments + [5, 3][len(arguments) :]))
