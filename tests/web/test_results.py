"""The results page shows the engine's figures; the charts are valid SVG with their numbers."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.activity import AccountingInput
from lowcarbon.documents.charts import (
    Bar,
    Marker,
    Segment,
    Series,
    line_chart,
    nice_ticks,
    stacked_bar_chart,
)
from lowcarbon.documents.formatting import number
from lowcarbon.rules.activity import load_accounting_file
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.baseline import do_import_accounting
from lowcarbon.web.applications.baseline_results import structure_chart, trend_chart
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

from .conftest import open_round_arguments

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SVG = "{http://www.w3.org/2000/svg}"


def example(kind: str) -> AccountingInput:
    return load_accounting_file(EXAMPLES / kind / "accounting.yaml")


GREEN_POWER = "上海市温室气体排放核算缺省因子（含沪环气候〔2023〕89号绿电）"


def engine(kind: str, factor_set: str = "shanghai-2023-green-power") -> AccountingResult:
    data = dataclasses.replace(example(kind), factor_set=factor_set)
    return run_accounting(data, load_factor_library())


@pytest.fixture
def green_round(admin_user: User) -> Round:
    today = timezone.localdate()
    return do_open_round(
        **open_round_arguments(
            year=2098,
            submission_deadline=today + timedelta(days=30),
            recommendation_deadline=today + timedelta(days=60),
            review_deadline=today + timedelta(days=90),
            factor_set_id="shanghai-2023-green-power",
        ),
        actor=admin_user,
    )


def application_of(kind: str, round_: Round, applicant: User) -> Application:
    application = do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        kind,
        actor=applicant,
    )
    return do_import_accounting(application, example(kind), expected_version=1, actor=applicant)


def page_of(user: User, application: Application) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("applications:results", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- the page --------------------------------------------------------------------------------


def test_the_empty_state_points_to_the_baseline_page(green_round: Round, applicant: User) -> None:
    application = do_create_application(
        green_round,
        applicant.organisation,  # type: ignore[arg-type]
        "zone",
        actor=applicant,
    )
    page = page_of(applicant, application)
    assert "暂无可核算的内容" in page
    assert reverse("applications:baseline", args=[application.pk]) in page
    assert "<svg" not in page


def test_the_zone_results_show_the_engines_figures(green_round: Round, applicant: User) -> None:
    result = engine("zone")
    page = page_of(applicant, application_of("zone", green_round, applicant))
    base = result.inventories[0]
    assert f"{base.gross_tco2:,.2f}" == "156,603.31"
    assert "156,603.31" in page  # the base-year total, formatted for Chinese readers
    for inventory in result.inventories:
        assert f"{inventory.year}年排放清单（排放因子集 {GREEN_POWER}）" in page
        assert f"{inventory.gross_tco2:,.2f}" in page
    # Category and sector names in Chinese, with their shares.
    assert "外购电力" in page
    assert "天然气" in page
    assert "居民生活" in page
    electricity = base.by_category[next(iter(base.by_category))]
    assert f"{electricity:,.2f}" in page
    # Indicators with units.
    per_capita = result.indicators[0].per_capita.value
    assert per_capita is not None
    assert f"{per_capita:,.2f}" in page
    assert "吨二氧化碳/人" in page
    assert "人均碳排放" in page
    # The comparison and the LMDI decomposition.
    assert result.comparison is not None
    assert result.decomposition is not None
    assert "2025年与基准年2023年对比" in page
    assert f"{result.comparison.decline_rate.value:,.2f}" in page
    assert f"{result.decomposition.change_tco2:,.2f}" in page
    assert "能源结构" in page
    # Forecast and targets: BAU and plan of the final year, and the verdicts.
    assert result.forecast is not None
    final = result.forecast.plan.years[-1]
    assert f"{final.bau.emissions_tco2:,.2f}" in page
    assert f"{final.emissions_tco2:,.2f}" in page
    met = sum(1 for check in result.forecast.targets.checks if check.met)
    total = len(result.forecast.targets.checks)
    assert f"规划情景下，{total}项目标中有{met}项达标。" in page
    assert result.forecast.targets.consistency is False
    assert "主要任务碳减排量与总体目标衔接（附件2 三）：" in page
    assert "未衔接" in page
    # Every inventory of the example is complete.
    assert "各年度清单数据完整" in page
    # The charts are inline, with their titles.
    assert page.count("<svg") == 3
    assert "碳排放趋势、预测与目标" in page
    assert "按排放源类别的排放结构" in page


def _column(page: str, caption_or_header: str, column: int) -> list[Decimal]:
    """The numbers of one column of the first table whose caption or header names it."""
    tree = lxml.html.fromstring(page)
    for table in tree.iter("table"):
        if caption_or_header in table.text_content():
            return [
                Decimal(row.xpath("./td")[column].text_content().replace(",", ""))
                for row in table.xpath("./tbody/tr")
                if row.xpath("./th")
            ]
    raise AssertionError(f"no table names {caption_or_header!r}")


def test_shares_add_up_to_100_and_say_how_they_were_rounded(
    green_round: Round, applicant: User
) -> None:
    page = page_of(applicant, application_of("zone", green_round, applicant))
    for caption in ("按排放源类别", "按部门", "按范围"):
        shares = _column(page, caption, 1)
        assert len(shares) >= 2, caption
        assert sum(shares) == Decimal("100.0"), caption
    assert "按最大余数法" in page or "最大余数" in page  # the rounding is said, not hidden


def test_the_domain_split_is_of_the_tasks_and_the_coverage_is_apart(
    green_round: Round, applicant: User
) -> None:
    result = engine("zone")
    assert result.forecast is not None
    decomposition = result.forecast.targets.decomposition
    assert decomposition is not None
    assert decomposition.coverage_pct is not None
    page = page_of(applicant, application_of("zone", green_round, applicant))
    shares = _column(page, "占任务减排量比例", 1)
    assert sum(shares) == Decimal("100.0")
    assert all(share <= 100 for share in shares)
    assert f"为需减排量的 {number(decomposition.coverage_pct, 1)}%" in page


def test_every_task_reduction_is_listed_computed_or_declared(
    green_round: Round, applicant: User
) -> None:
    application = application_of("community", green_round, applicant)
    page = page_of(applicant, application)
    data = example("community")
    assert data.reductions  # the example states how its reductions arise
    assert "任务减排量（达效后每年）" in page
    for task in data.tasks:
        assert f">{task.id}</th>" in page
    assert "已测算" in page
    assert "申报值，未经测算" not in page
    # The same file with one task's activities removed: its typed figure is declared, flagged.
    first = data.reductions[0].task_id
    declared = dataclasses.replace(
        data, reductions=tuple(r for r in data.reductions if r.task_id != first)
    )
    do_import_accounting(application, declared, expected_version=2, actor=applicant)
    page = page_of(applicant, application)
    assert "申报值，未经测算" in page
    assert "不将其视为已论证" in page


def test_the_community_results_show_their_total(green_round: Round, applicant: User) -> None:
    result = engine("community")
    page = page_of(applicant, application_of("community", green_round, applicant))
    assert f"{result.inventories[0].gross_tco2:,.2f}" in page
    assert "6,083.11" in page


def test_a_draft_inventory_is_labelled_with_its_gaps(green_round: Round, applicant: User) -> None:
    data = example("community")
    # No natural gas: required for communities, so the inventories are drafts.
    data = dataclasses.replace(
        data, records=tuple(r for r in data.records if r.category.value != "natural_gas")
    )
    application = do_create_application(
        green_round,
        applicant.organisation,  # type: ignore[arg-type]
        "community",
        actor=applicant,
    )
    do_import_accounting(application, data, expected_version=1, actor=applicant)
    page = page_of(applicant, application)
    assert "草稿：至少有一个年度的清单数据不完整" in page
    assert "天然气" in page
    assert "本单位必须填报" in page


def test_district_officer_and_admin_see_the_same_figures(
    green_round: Round, users: dict[str, User]
) -> None:
    application = application_of("zone", green_round, users[Role.APPLICANT])
    for role in (Role.DISTRICT_OFFICER, Role.ADMINISTRATOR):
        assert "156,603.31" in page_of(users[role], application)


def test_the_page_speaks_english_on_request(green_round: Round, applicant: User) -> None:
    application = application_of("zone", green_round, applicant)
    client = Client()
    client.force_login(applicant)
    response = client.get(
        reverse("applications:results", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert "Emission trend, forecast and targets" in page
    assert "156,603.31" in page


# --- charts ----------------------------------------------------------------------------------


@pytest.fixture
def chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    return root


@pytest.mark.usefixtures("chinese")
def test_the_structure_chart_has_one_segment_per_emitting_category_and_year() -> None:
    result = engine("zone")
    root = parse(structure_chart(result, by="category"))
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "按排放源类别的排放结构（范围一＋范围二）"
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "2023年" in (desc.text or "")
    segments = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "segment"]
    expected = sum(1 for i in result.inventories for v in i.by_category.values() if v > 0)
    assert len(segments) == expected
    legend = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "legend"]
    # Green power emits 0 under the green-power set: no segment and no legend entry.
    emitting = {c for i in result.inventories for c, v in i.by_category.items() if v > 0}
    assert len(legend) == len(emitting) == 5
    # Each year's segments add up to the bar's length of the total.
    widths = [float(r.get("width") or 0) for r in segments]
    assert all(width > 0 for width in widths)


@pytest.mark.usefixtures("chinese")
def test_the_trend_chart_has_a_point_per_year_and_a_marker_per_emission_target() -> None:
    result = engine("zone")
    svg = trend_chart(result)
    assert svg is not None
    root = parse(svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "series"]
    assert len(groups) == 3  # inventory, business as usual, plan
    points = [len(list(g.iter(f"{SVG}circle"))) for g in groups]
    assert result.forecast is not None
    assert points == [3, len(result.forecast.plan.years), len(result.forecast.plan.years)]
    targets = [p for p in root.iter(f"{SVG}path") if p.get("class") == "target"]
    with_requirement = [c for c in result.forecast.targets.checks if c.requirement is not None]
    assert len(targets) == len(with_requirement) == 4
    titles = [t.findtext(f"{SVG}title") or "" for t in targets]
    assert any("目标未达成" in text for text in titles)


def test_charts_escape_their_texts() -> None:
    svg = stacked_bar_chart(
        [Bar("2023", (Segment("<b>&", Decimal(5)), Segment("零", Decimal(0))))],
        chart_id="x",
        title="a < b",
        desc="d & e",
        unit="t",
    )
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == "a < b"
    assert [r.get("class") for r in root.iter(f"{SVG}rect")].count("segment") == 1


def test_a_line_chart_of_one_point_still_draws() -> None:
    svg = line_chart(
        [Series("s", ((2023, Decimal(10)),), "#000")],
        [Marker(2030, Decimal(8), "t", True)],
        chart_id="y",
        title="t",
        desc="d",
        unit="t",
        met_label="ok",
        not_met_label="no",
    )
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_numbers_and_ticks() -> None:
    assert number(Decimal("156603.314")) == "156,603.31"
    assert number(Decimal("-0.001")) == "0.00"
    assert number(None) == "—"
    assert number(14800, 0) == "14,800"
    assert nice_ticks(0, 156603) == [0, 50000, 100000, 150000, 200000]
    assert nice_ticks(5, 5) == [5, 6, 7, 8, 9, 10]


def test_the_results_page_reads_the_result_computed_when_the_data_was_saved(
    green_round: Round, applicant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The accounting runs once per version of the data, when it is saved (the check is the
    computation); showing the results page, again and again, runs it no more."""
    runs: list[str] = []
    real = computing.run_accounting

    def counted(data: AccountingInput, library: Any) -> AccountingResult:
        runs.append(data.profile.name)
        return real(data, library)

    monkeypatch.setattr(computing, "run_accounting", counted)
    application = application_of("community", green_round, applicant)
    assert len(runs) == 1  # the import's check
    first = page_of(applicant, application)
    second = page_of(applicant, application)
    assert len(runs) == 1
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub("", first) == csrf.sub("", second)
    # New data is a new version: computed once more on saving, never on showing.
    data = example("community")
    changed = dataclasses.replace(data, records=data.records[:-1])
    do_import_accounting(application, changed, expected_version=2, actor=applicant)
    assert len(runs) == 2
    page_of(applicant, application)
    assert len(runs) == 2
    # Lost from memory (a restarted worker): computed again on the first showing, then kept.
    computing._kept.clear()
    page_of(applicant, application)
    page_of(applicant, application)
    assert len(runs) == 3
