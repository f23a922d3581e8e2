"""The implementation plan (实施方案) as a Word document, from an application's data.

The plan follows the application's outline edition (附件1 for zones, 附件3 for communities)
section by section, numbered the way official documents are (一、 （一） 1. （1）), with the
applicant's narrative and the tables the engines compute placed where the outline asks for
them:

* the emission inventory by category, with its sources and factors, and the indicators in the
  section on the current status (附件1/附件3 二、1. 系统介绍…低碳建设的现状);
* targets and staged targets against the forecast, and the consistency of task reductions with
  the overall target, in the section on targets (三、1.);
* the main tasks with their expected reductions in the section on tasks (zone 三、2., community
  三、3.).

Figures are drawn by the same code as the web pages and embedded as PNG: the boundary map
under the boundary (:mod:`lowcarbon.documents.maps`), the emission structure under the
inventory and the trend against the targets under the forecast
(:mod:`lowcarbon.documents.result_charts`), and the projects' schedule as a Gantt chart under
the schedule table (附件1 三、3. 进度安排).

A required element the applicant has not filled in becomes a visible red placeholder in the
document and a line of :attr:`PlanDocument.warnings`; nothing is silently left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.inventory import Inventory
from lowcarbon.core.labels import (
    CATEGORY,
    DOMAIN,
    INDICATOR,
    QUALITY,
    REDUCTION_STATUS,
    SECTOR,
    TARGET,
)
from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.outline import (
    ColumnType,
    ElementKind,
    Outline,
    OutlineElement,
    OutlineSection,
    chinese_numeral,
    is_missing,
)
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult
from lowcarbon.rules.application_file import ApplicationFile
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.snapshot import TaskRecord

from . import maps, result_charts
from .blocks import Block, Figure, Heading, Narrative, Paragraph, Placeholder, Table
from .charts import Stage, gantt_chart, png
from .formatting import (
    factor_set_name,
    number,
    presenter,
    table_column,
    trimmed,
    unit_name,
    year,
)
from .official_sheet import official_blocks, official_table
from .word import build_template, render_document

__all__ = [
    "PlanDocument",
    "PlanInput",
    "ScoreLine",
    "ScoreSheet",
    "build_plan",
    "plan_input_from_file",
    "schedule_chart",
    "schedule_stages",
    "score_sheet",
    "score_sheet_from_data",
    "write_plan",
]

Translate = Callable[[str], str]
Language = Callable[[Any], str]  # LocalText -> text in the document's language

# Where the computed tables go, by scheme: outline section id -> what is placed after the
# applicant's own content of that section.
_COMPUTED: dict[str, dict[str, tuple[str, ...]]] = {
    "zone": {"2.1": ("inventory", "indicators"), "3.1": ("targets",), "3.2": ("tasks",)},
    "community": {"2.1": ("inventory", "indicators"), "3.1": ("targets",), "3.3": ("tasks",)},
}
# The table element whose rows are stages with dates (附件1 三、3. 进度安排; columns project,
# stage, start_date, end_date, milestone in data/schemes/zone/2021/outline.yaml): drawn as a
# Gantt chart under the table.
SCHEDULE_ELEMENT = "project_schedule"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ScoreLine:
    item_id: str
    title: str
    points: Decimal
    maximum: Decimal
    unanswered: bool = False


@dataclass(frozen=True)
class ScoreSheet:
    """The self-assessment as the plan's annex shows it: item by item, then each pool."""

    lines: tuple[ScoreLine, ...]
    pools: tuple[tuple[str, Decimal, Decimal], ...]  # (pool id, points, maximum)
    # The indicator system scored against: the annex is its official table.
    rubric: Rubric


def score_sheet(result: ScoreResult, local: Language, rubric: Rubric | None = None) -> ScoreSheet:
    """The annex of a score computed now (against ``rubric``, the bundled edition of the
    result's indicator system when not given)."""
    if rubric is None:
        from lowcarbon.rules.schemes import load_rubric  # read only when not given

        scheme, edition = result.rubric_ref.split("/", 1)
        rubric = load_rubric(scheme, edition)
    return ScoreSheet(
        tuple(
            ScoreLine(r.item.id, local(r.item.title), r.points, r.maximum)
            for section in result.sections
            for r in section.items
        ),
        tuple((p.pool.value, p.points, p.maximum) for p in result.pools),
        rubric,
    )


def score_sheet_from_data(data: Mapping[str, Any], rubric: Rubric, local: Language) -> ScoreSheet:
    """The annex of a frozen score (a snapshot's ``score``: decimals stored as strings)."""
    items = data.get("items") or {}
    lines = []
    for item in rubric.items():
        entry = items.get(item.id)
        if entry is None:
            continue
        lines.append(
            ScoreLine(
                item.id,
                local(item.title),
                Decimal(str(entry["points"])),
                Decimal(str(entry["maximum"])),
                entry.get("status") == "unanswered",
            )
        )
    pools = tuple(
        (pool, Decimal(str(value["points"])), Decimal(str(value["maximum"])))
        for pool, value in (data.get("pools") or {}).items()
    )
    return ScoreSheet(tuple(lines), pools, rubric)


@dataclass(frozen=True)
class PlanInput:
    """Everything a plan is written from (read by the caller; this module does no lookups)."""

    outline: Outline
    sections: Mapping[str, Any]  # element id -> value, as the workspace stores them
    unit_name: str
    scheme: str  # "zone" | "community"
    round_year: int
    accounting: AccountingResult | None = None
    score: ScoreSheet | None = None
    issued: date = field(default_factory=date.today)
    # "draft", or the submission it was frozen in, with the snapshot's hash.
    submission_number: int | None = None
    snapshot_sha256: str = ""
    # The task records frozen with the snapshot; None when it has none (written before them).
    tasks: tuple[TaskRecord, ...] | None = None
    # Chart images (PNG) by name: "map" (else drawn from the boundary's geometry),
    # "structure" and "trend" (else drawn from the accounting result), "schedule" (else drawn
    # from the schedule table); nothing is drawn when ``draw_charts`` is off.
    charts: Mapping[str, bytes] = field(default_factory=dict)
    draw_charts: bool = True


@dataclass(frozen=True)
class PlanDocument:
    fields: dict[str, str]
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...]


def _level_number(level: int, index: int) -> str:
    """一、 / （一） / 1. / （1）: GB/T 9704-2012 §7.3.3 结构层次序数."""
    if level == 1:
        return f"{chinese_numeral(index)}、"
    if level == 2:
        return f"（{chinese_numeral(index)}）"
    if level == 3:
        return f"{index}. "
    return f"（{index}）"


class _Builder:
    def __init__(self, plan: PlanInput, _: Translate, local: Language) -> None:
        self.plan = plan
        self._ = _
        self.local = local
        self.present = presenter(local, _)  # the engine's terms by their names, not their ids
        self.blocks: list[Block] = []
        self.warnings: list[str] = []

    # --- structure -----------------------------------------------------------------------

    def build(self) -> PlanDocument:
        _ = self._
        plan = self.plan
        for index, section in enumerate(plan.outline.sections, start=1):
            self._section(section, level=1, index=index)
        if plan.score is not None:
            self._score_appendix(plan.score)
        title = self.local(plan.outline.title).replace("编制指南", "").strip() or self.local(
            plan.outline.title
        )
        status = (
            _(gettext_noop("Draft — not submitted"))
            if plan.submission_number is None
            else _(gettext_noop("Submission {number}")).format(number=plan.submission_number)
        )
        fields = {
            "title": title,
            "unit_name": plan.unit_name,
            "round_label": _(gettext_noop("{year} round")).format(year=plan.round_year),
            "status_text": status,
            "applicant_line": _(gettext_noop("Applicant: {unit}")).format(unit=plan.unit_name),
            "seal_text": _(gettext_noop("(seal)")),
            "date_text": _(gettext_noop("{year}-{month}-{day}")).format(
                year=plan.issued.year, month=plan.issued.month, day=plan.issued.day
            ),
            "snapshot_sha256": plan.snapshot_sha256,
        }
        return PlanDocument(fields, tuple(self.blocks), tuple(self.warnings))

    def _section(self, section: OutlineSection, *, level: int, index: int) -> None:
        self.blocks.append(Heading(level, _level_number(level, index), self.local(section.title)))
        self._elements(section, level)
        for kind in _COMPUTED.get(self.plan.scheme, {}).get(section.id, ()):
            getattr(self, f"_computed_{kind}")()
        for child_index, child in enumerate(section.children, start=1):
            self._section(child, level=level + 1, index=child_index)

    def _where(self, section: OutlineSection) -> str:
        return self._(gettext_noop("fill it in under Plan contents, section {section}")).format(
            section=section.id
        )

    def _missing(self, element: OutlineElement, section: OutlineSection) -> None:
        label = self.local(element.label)
        text = self._(gettext_noop("To be completed: {element} ({where})")).format(
            element=label, where=self._where(section)
        )
        self.blocks.append(Placeholder(text))
        self.warnings.append(
            self._(gettext_noop("Section {section}: {element} is missing")).format(
                section=section.id, element=label
            )
        )

    def _elements(self, section: OutlineSection, level: int) -> None:
        values = self.plan.sections
        figures: list[tuple[str, str, str]] = []
        count = 0
        for element in section.elements:
            value = values.get(element.id)
            if element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                if is_missing(value):
                    if element.required:
                        self._missing(element, section)
                    continue
                figures.append(
                    (
                        self.local(element.label),
                        trimmed(value, 4),
                        unit_name(element.unit, self.local),
                    )
                )
                continue
            if is_missing(value):
                if element.required:
                    self._missing(element, section)
                continue
            count += 1
            self.blocks.append(
                Heading(level + 1, _level_number(level + 1, count), self.local(element.label))
            )
            if element.kind == ElementKind.TEXT:
                self._text(str(value))
            elif element.kind == ElementKind.LIST:
                self._list(value)
            elif element.kind == ElementKind.TABLE:
                self._table(element, value)
                if element.id == SCHEDULE_ELEMENT:
                    self._schedule(value)
            else:
                self._geometry(value)
        if figures:
            _ = self._
            self.blocks.append(
                Table(
                    caption=_(gettext_noop("{section}: key figures")).format(
                        section=self.local(section.title)
                    ),
                    header=[
                        _(gettext_noop("Element")),
                        _(gettext_noop("Value")),
                        _(gettext_noop("Unit")),
                    ],
                    rows=[list(row) for row in figures],
                    numeric=frozenset({1}),
                    widths=(3, 2, 1.5),
                )
            )

    def _text(self, value: str) -> None:
        if "<" in value and ">" in value:
            self.blocks.append(Narrative(value))
        else:
            for part in value.split("\n\n"):
                if part.strip():
                    self.blocks.append(Paragraph(part.strip()))

    def _list(self, value: Any) -> None:
        entries = value if isinstance(value, list) else [value]
        for index, entry in enumerate(entries, start=1):
            if isinstance(entry, Mapping):
                text = str(entry.get("text") or entry.get("name") or "")
                extra = [
                    f"{k}：{v}"
                    for k, v in entry.items()
                    if k not in {"text", "name"} and v not in (None, "")
                ]
                if extra:
                    text += "（" + "；".join(extra) + "）"
            else:
                text = str(entry)
            self.blocks.append(Paragraph(text, lead=f"（{index}）"))

    def _table(self, element: OutlineElement, value: Any) -> None:
        rows = [
            row for row in (value if isinstance(value, list) else []) if isinstance(row, Mapping)
        ]
        columns = list(getattr(element, "columns", ()) or ())
        if columns:
            keys = [column.id for column in columns]
            header = [
                self.local(column.label)
                + (f"（{unit_name(column.unit, self.local)}）" if column.unit else "")
                for column in columns
            ]
            types = {column.id: column.type for column in columns}
        else:
            keys = list(dict.fromkeys(k for row in rows for k in row))
            header = keys
            types = {}
        cells = [table_column([row.get(key) for row in rows], types.get(key)) for key in keys]
        body = [list(row) for row in zip(*cells, strict=True)] if cells else []
        # Amounts typed by the applicant line up on the right like the computed tables' numbers.
        amounts = frozenset(
            index
            for index, key in enumerate(keys)
            if types.get(key) in (ColumnType.NUMBER, ColumnType.INTEGER)
        )
        self.blocks.append(
            Table(caption=self.local(element.label), header=header, rows=body, numeric=amounts)
        )

    def _geometry(self, value: Any) -> None:
        _ = self._
        if not isinstance(value, Mapping):
            return
        if value.get("four_sides"):
            self.blocks.append(
                Paragraph(str(value["four_sides"]), lead=_(gettext_noop("Boundary: ")))
            )
        if value.get("area_km2") is not None:
            self.blocks.append(
                Paragraph(
                    _(gettext_noop("{area} km² (geodesic area of the boundary drawn)")).format(
                        area=trimmed(value["area_km2"], 3)
                    ),
                    lead=_(gettext_noop("Area within the boundary: ")),
                )
            )
        caption = _(gettext_noop("Boundary of the creation area"))
        if "map" in self.plan.charts:
            self.blocks.append(Figure(caption, self.plan.charts["map"]))
            return
        geometry = value.get("geometry")
        if not self.plan.draw_charts or not isinstance(geometry, Mapping):
            return
        try:
            ring_points = maps.rings(geometry)
            svg = maps.boundary_svg(geometry, _, title=caption)
        except ValueError:
            # The editor validates a boundary when it is saved (rules/geojson.py); one that
            # still cannot be drawn (old or imported data) is said, not silently dropped.
            self.warnings.append(
                _(
                    gettext_noop(
                        "The boundary map could not be drawn: the boundary is not a polygon"
                    )
                )
            )
            return
        lons = [lon for ring in ring_points for lon, _lat in ring]
        lats = [lat for ring in ring_points for _lon, lat in ring]
        self.blocks.append(
            Figure(
                caption,
                png(svg),
                width_mm=130.0,
                description=_(
                    gettext_noop(
                        "The boundary lies between latitudes {south}°N and {north}°N and "
                        "longitudes {west}°E and {east}°E (WGS 84)."
                    )
                ).format(
                    south=f"{min(lats):.5f}",
                    north=f"{max(lats):.5f}",
                    west=f"{min(lons):.5f}",
                    east=f"{max(lons):.5f}",
                ),
            )
        )

    def _schedule(self, rows: Any) -> None:
        """The Gantt chart under the schedule table; nothing when no row has valid dates (the
        table above already shows what was entered, or its placeholder)."""
        _ = self._
        caption = _(gettext_noop("Schedule of the key projects"))
        if "schedule" in self.plan.charts:
            self.blocks.append(Figure(caption, self.plan.charts["schedule"]))
            return
        if not self.plan.draw_charts:
            return
        entries = rows if isinstance(rows, list) else []
        stages = schedule_stages(entries)
        svg = schedule_chart(entries, _)
        if svg is None:
            return
        skipped = sum(isinstance(row, Mapping) for row in entries) - len(stages)
        note = (
            _(
                gettext_noop(
                    "{count} rows of the table without a valid start and end date are not drawn."
                )
            ).format(count=skipped)
            if skipped
            else ""
        )
        self.blocks.append(Figure(caption, png(svg), description=note))

    # --- computed content ----------------------------------------------------------------

    def _chart(self, name: str) -> bytes | None:
        """A chart as PNG: given by the caller, or drawn from the accounting result (the same
        drawing as the results page, :mod:`lowcarbon.documents.result_charts`)."""
        if name in self.plan.charts:
            return self.plan.charts[name]
        result = self.plan.accounting
        if result is None or not self.plan.draw_charts:
            return None
        svg = (
            result_charts.structure_chart(result, self._, self.local, by="category")
            if name == "structure"
            else result_charts.trend_chart(result, self._, self.local)
        )
        return None if svg is None else png(svg)

    def _no_accounting(self) -> bool:
        if self.plan.accounting is not None:
            return False
        _ = self._
        self.blocks.append(
            Placeholder(
                _(
                    gettext_noop(
                        "To be completed: baseline data (enter or import it under Baseline data)"
                    )
                )
            )
        )
        message = _(
            gettext_noop("No baseline data: the inventory, indicators and targets are missing")
        )
        if message not in self.warnings:
            self.warnings.append(message)
        return True

    def _computed_inventory(self) -> None:
        if self._no_accounting():
            return
        _ = self._
        result = self.plan.accounting
        assert result is not None
        base = result.inventories[0]
        for inventory in result.inventories:
            if inventory.year == result.input.profile.base_year:
                base = inventory
        rows = []
        # Emission lines (scope 1 + 2) make the gross total; sinks and memo items are reported
        # separately (accounting-method.md §5.9) and named in the note.
        for line in base.emission_lines:
            record, factor = line.record, line.factor
            rows.append(
                [
                    _(CATEGORY.get(record.category.value, record.category.value)),
                    _(SECTOR.get(record.sector.value, record.sector.value)),
                    record.label,
                    f"{trimmed(record.quantity, 4)} {unit_name(record.unit, self.local)}",
                    f"{trimmed(factor.value, 6)} {unit_name(factor.unit.text, self.local)}"
                    if factor
                    else "—",
                    record.source + (f"；{factor.source_id}" if factor else ""),
                    number(line.tco2),
                    _(QUALITY.get(record.quality.value, record.quality.value)),
                ]
            )
        rows.append(
            ["", "", _(gettext_noop("Total (scope 1+2)")), "", "", "", number(base.gross_tco2), ""]
        )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Energy use and emissions in {year} by category")).format(
                    year=base.year
                ),
                header=[
                    _(gettext_noop("Category")),
                    _(gettext_noop("Sector")),
                    _(gettext_noop("Label")),
                    _(gettext_noop("Quantity")),
                    _(gettext_noop("Factor")),
                    _(gettext_noop("Data source; factor source")),
                    "tCO₂",
                    _(gettext_noop("Data quality")),
                ],
                rows=rows,
                numeric=frozenset({3, 4, 6}),
                widths=(1.2, 1.1, 2.0, 1.5, 1.6, 2.3, 1.7, 1),
                note=_(
                    gettext_noop(
                        "Computed by the platform with factor set {set_id}; energy {tce} tce; "
                        "sinks {sinks} tCO₂ a year, reported separately and not netted."
                    )
                ).format(
                    set_id=factor_set_name(base.set_id, self.local),
                    tce=trimmed(base.total_tce),
                    sinks=trimmed(base.sinks_tco2),
                ),
            )
        )
        self._inventory_structure(base)
        if not base.is_final:
            for gap in base.completeness.gaps():
                self.warnings.append(gap.render(_, self.present))
        structure = self._chart("structure")
        if structure is not None:
            self.blocks.append(Figure(_(gettext_noop("Emission structure")), structure))

    def _inventory_structure(self, base: Inventory) -> None:
        """The base year's structure: energy (tce) and emissions by category with their shares,
        the scope split, and the lines not estimated, so the table reads without the chart.
        Shares add up to exactly 100 % (largest remainder, ``core.shares``) and say so."""
        _ = self._
        shares = base.shares()
        if not shares.by_scope.shares:
            return
        tce: dict[str, Decimal] = {}
        for line in base.emission_lines:
            if line.energy_tce is not None:
                key = line.record.category.value
                tce[key] = tce.get(key, Decimal(0)) + line.energy_tce
        places = shares.by_category.places
        rows = [
            [
                _(CATEGORY.get(share.key.value, share.key.value)),
                number(tce.get(share.key.value)) if share.key.value in tce else "—",
                number(share.amount),
                number(share.shown_pct, places),
            ]
            for share in shares.by_category.shares
        ]
        rows += [
            [
                _(gettext_noop("scope {number}")).format(number=int(share.key)),
                "",
                number(share.amount),
                number(share.shown_pct, places),
            ]
            for share in sorted(shares.by_scope.shares, key=lambda share: share.key)
        ]
        rows.append(
            [
                _(gettext_noop("Total (scope 1+2)")),
                number(base.total_tce),
                number(base.gross_tco2),
                number(Decimal(100), places),
            ]
        )
        notes = [shares.by_category.note.render(_)]
        not_estimated = list(
            dict.fromkeys(
                _(CATEGORY.get(line.category.value, line.category.value))
                for line in base.not_estimated
            )
        )
        if not_estimated:
            notes.append(
                _(gettext_noop("Not estimated (NE, no official inventory factor):"))
                + "、".join(not_estimated)
            )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Emission structure in {year}")).format(year=base.year),
                header=[
                    _(gettext_noop("Category or scope")),
                    _(gettext_noop("Energy (tce)")),
                    "tCO₂",
                    _(gettext_noop("Share, per cent")),
                ],
                rows=rows,
                numeric=frozenset({1, 2, 3}),
                widths=(3.2, 2, 2, 1.6),
                note="；".join(notes),
            )
        )

    def _computed_indicators(self) -> None:
        if self.plan.accounting is None:
            return
        _ = self._
        result = self.plan.accounting
        years = [indicators.year for indicators in result.indicators]
        ids: list[Any] = (
            [indicator.id for indicator in result.indicators[0]] if result.indicators else []
        )
        rows = []
        for indicator_id in ids:
            found = [
                next(i for i in indicators if i.id == indicator_id)
                for indicators in result.indicators
            ]
            unit = unit_name(found[-1].unit, self.local) if found else ""
            # One indicator, the same decimals every year: two, four for ratios below 1.
            small = any(i.value is not None and 0 < abs(i.value) < 1 for i in found)
            cells = [number(i.value, 4 if small else 2) for i in found]
            rows.append([_(INDICATOR.get(indicator_id.value, indicator_id.value)), unit, *cells])
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Low-carbon indicators")),
                header=[
                    _(gettext_noop("Indicator")),
                    _(gettext_noop("Unit")),
                    *[year(y) for y in years],
                ],
                rows=rows,
                numeric=frozenset(range(2, 2 + len(years))),
            )
        )

    def _computed_targets(self) -> None:
        if self._no_accounting():
            return
        _ = self._
        result = self.plan.accounting
        assert result is not None
        forecast = result.forecast
        if forecast is None:
            self.blocks.append(
                Placeholder(
                    _(
                        gettext_noop(
                            "To be completed: targets and tasks (add them to the baseline data)"
                        )
                    )
                )
            )
            self.warnings.append(
                _(
                    gettext_noop(
                        "No targets or tasks: the forecast and the target check are missing"
                    )
                )
            )
            return
        rows = []
        for check in forecast.targets.checks:
            requirement = check.requirement
            rows.append(
                [
                    _(TARGET.get(check.target.kind.value, check.target.kind.value)),
                    str(check.target.year),
                    _(gettext_noop("overall"))
                    if check.target.overall
                    else _(gettext_noop("sub-indicator")),
                    # The target and what the plan reaches at the same precision (4 decimals
                    # for per-capita and intensity targets), so the verdict can be read off.
                    number(
                        check.target.value, result_charts.target_places(check.target.kind.value)
                    ),
                    number(check.reached, result_charts.target_places(check.target.kind.value)),
                    _(gettext_noop("met")) if check.met else _(gettext_noop("not met")),
                    number(requirement.required_tco2) if requirement else "—",
                ]
            )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Targets and staged targets")),
                header=[
                    _(gettext_noop("Target")),
                    _(gettext_noop("Year")),
                    _(gettext_noop("Kind")),
                    _(gettext_noop("Target value")),
                    _(gettext_noop("Plan reaches")),
                    _(gettext_noop("Verdict")),
                    _(gettext_noop("Required reduction (tCO₂)")),
                ],
                rows=rows,
                numeric=frozenset({3, 4, 6}),
            )
        )
        years = [
            [
                str(y.year),
                number(y.bau.emissions_tco2),
                number(y.reduction_tco2),
                number(y.emissions_tco2),
            ]
            for y in forecast.plan.years
        ]
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Forecast of emissions (tCO₂)")),
                header=[
                    _(gettext_noop("Year")),
                    _(gettext_noop("Business as usual")),
                    _(gettext_noop("Task reductions")),
                    _(gettext_noop("Plan")),
                ],
                rows=years,
                numeric=frozenset({1, 2, 3}),
            )
        )
        verdict = (
            _(gettext_noop("consistent"))
            if forecast.targets.consistency
            else _(gettext_noop("not consistent"))
        )
        self.blocks.append(
            Paragraph(
                forecast.targets.consistency_explanation.render(_, self.present),
                lead=_(
                    gettext_noop("Task reductions against the overall target: {verdict}. ")
                ).format(verdict=verdict),
            )
        )
        trend = self._chart("trend")
        if trend is not None:
            self.blocks.append(
                Figure(_(gettext_noop("Emissions: trend, forecast and targets")), trend)
            )

    def _computed_tasks(self) -> None:
        result = self.plan.accounting
        if result is None or result.forecast is None or not result.input.tasks:
            return
        _ = self._
        forecast = result.forecast
        rows = []
        total = Decimal(0)
        declared = False
        for task in result.input.tasks:
            reduction = forecast.reduction_of(task.id)
            tco2 = task.annual_reduction_tco2 if reduction is None else reduction.reduction_tco2
            total += tco2
            status = "declared" if reduction is None else reduction.status.value
            declared = declared or status == "declared"
            rows.append(
                [
                    task.name + (" ★" if task.near_zero_demonstration else ""),
                    _(DOMAIN.get(task.domain.value, task.domain.value)),
                    year(task.start_year),
                    number(tco2),
                    _(REDUCTION_STATUS[status]),
                    _(gettext_noop("yes")) if task.key_project else "",
                ]
            )
        rows.append([_(gettext_noop("Total")), "", "", number(total), "", ""])
        notes = []
        if any(task.near_zero_demonstration for task in result.input.tasks):
            notes.append(_(gettext_noop("★ near-zero-carbon demonstration project")))
        if declared:
            notes.append(
                _(
                    gettext_noop(
                        "A reduction declared, not computed, states no activity it arises from; "
                        "the consistency with the overall target does not count it as proven."
                    )
                )
            )
        self.blocks.append(
            Table(
                caption=_(gettext_noop("Main tasks and their expected reductions")),
                header=[
                    _(gettext_noop("Task")),
                    _(gettext_noop("Field")),
                    _(gettext_noop("Start year")),
                    _(gettext_noop("Reduction (tCO₂ a year)")),
                    _(gettext_noop("How it was obtained")),
                    _(gettext_noop("Key project")),
                ],
                rows=rows,
                numeric=frozenset({2, 3}),
                widths=(3.6, 1.5, 1, 1.6, 1.5, 1),
                note="　".join(notes),
            )
        )

    def _score_appendix(self, score: ScoreSheet) -> None:
        """The self-assessment in the indicator system's own table (附件2 / 附件4), the same
        layout as the experts' score sheets."""
        _ = self._
        self.blocks.append(
            Heading(
                1,
                _(gettext_noop("Annex: ")),
                _(gettext_noop("Self-assessment against the indicator system")),
            )
        )
        table = official_table(
            score.rubric,
            {line.item_id: line.points for line in score.lines},
            {pool: (points, maximum) for pool, points, maximum in score.pools},
            _,
            self.local,
            caption=_(gettext_noop("Self-assessment scores")),
        )
        self.blocks.extend(official_blocks(table))
        unanswered = [line.item_id for line in score.lines if line.unanswered]
        if unanswered:
            self.blocks.append(
                Paragraph(
                    _(
                        gettext_noop(
                            "Not answered in the self-assessment, counted as 0: item {items}."
                        )
                    ).format(items="、".join(unanswered)),
                    style="note",
                )
            )


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # The editor stores dates as YYYY-MM-DD (the date column of the outline); anything else
    # (a number, 2026/05/01, the week forms fromisoformat also accepts) is not a stored date.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def schedule_stages(rows: Sequence[Any]) -> list[Stage]:
    """The stages of the schedule table (附件1 三、3. 进度安排) that can be drawn, in the table's
    order: a row without a valid start or end date, or ending before it starts, is left out
    (the table shows it as entered; the editor refuses such rows when they are saved)."""
    stages = []
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        start, end = _date(row.get("start_date")), _date(row.get("end_date"))
        if start is None or end is None or end < start:
            continue
        stages.append(
            Stage(
                str(row.get("project") or "").strip(),
                str(row.get("stage") or "").strip(),
                start,
                end,
                str(row.get("milestone") or "").strip(),
            )
        )
    return stages


def schedule_chart(rows: Sequence[Any], _: Translate) -> str | None:
    """The schedule as a Gantt chart (SVG), or ``None`` when no row has drawable dates."""
    stages = schedule_stages(rows)
    if not stages:
        return None
    listed = "；".join(
        f"{s.project} {s.stage} {s.start.isoformat()}—{s.end.isoformat()}"
        + (f"（{s.milestone}）" if s.milestone else "")
        for s in stages
    )
    return gantt_chart(
        stages,
        chart_id="chart-schedule",
        title=_(gettext_noop("Schedule of the key projects")),
        desc=_(gettext_noop("{count} stages from {start} to {end}: {stages}.")).format(
            count=len(stages),
            start=min(s.start for s in stages).isoformat(),
            end=max(s.end for s in stages).isoformat(),
            stages=listed,
        ),
        milestone_label=_(gettext_noop("Milestone")),
        # Narrower than the results' charts: a schedule has few rows, and at 150 mm on the page
        # its labels then print at about the size of the table's text above it.
        width=600,
    )


def build_plan(plan: PlanInput, _: Translate, local: Language) -> PlanDocument:
    """The plan's template fields, blocks and warnings (no file is written)."""
    return _Builder(plan, _, local).build()


def write_plan(
    plan: PlanInput,
    out: Path,
    _: Translate,
    local: Language,
    *,
    template: Path | None = None,
) -> PlanDocument:
    """Write the plan to ``out`` (DOCX) with ``template`` or the bundled default layout."""
    document = build_plan(plan, _, local)
    if template is None:
        template = out.with_name(out.stem + ".template.docx")
        build_template(template, _)
        try:
            render_document(template, document.fields, document.blocks, out, _)
        finally:
            template.unlink(missing_ok=True)
    else:
        render_document(template, document.fields, document.blocks, out, _)
    return document


def plan_input_from_file(
    exported: ApplicationFile, local: Language, *, draw_charts: bool = True
) -> PlanInput:
    """The plan's input from an exported application (a snapshot read back): the accounting is
    recomputed from the frozen inputs under the frozen factor set (the reader has checked that
    the bundled edition has the recorded content), the score annex comes from the frozen score.

    The command line and the web platform both go through here, so a document made from the
    same snapshot is the same wherever it is made."""
    return PlanInput(
        outline=exported.outline,
        sections=exported.sections,
        unit_name=exported.unit_name,
        scheme=exported.kind,
        round_year=exported.round_year,
        accounting=None
        if exported.accounting is None
        else run_accounting(exported.accounting, load_factor_library()),
        score=None
        if not exported.score
        else score_sheet_from_data(exported.score, exported.rubric, local),
        submission_number=exported.submission_number,
        snapshot_sha256=exported.snapshot_sha256,
        tasks=exported.snapshot.tasks,
        draw_charts=draw_charts,
    )
