"""The implementation plan built from an application's data: outline order, numbering, the
engine's numbers in its tables, and visible placeholders for what is missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.outline import ElementKind, Outline
from lowcarbon.core.text import LocalText
from lowcarbon.documents.blocks import Heading, Placeholder, Table
from lowcarbon.documents.plan import PlanInput, build_plan, score_sheet, write_plan
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.answers import score_answers_file
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.outlines import load_outline

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
    expected = sum(t.annual_reduction_tco2 for t in result.input.tasks)
    assert Decimal(tasks.rows[-1][3].replace(",", "")) == round(expected, 2)
    near_zero = [t for t in result.input.tasks if t.near_zero_demonstration]
    assert sum("★" in row[0] for row in tasks.rows) == len(near_zero)


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
    assert rows["面积"] == ("0.85", "km2")


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
    assert annex.rows[-2].cells[2].text == f"{score.main:.1f}".rstrip("0").rstrip(".")
    assert annex.rows[-1].cells[2].text == f"{score.bonus:.1f}".rstrip("0").rstrip(".")
    assert len(result.blocks) > 20
