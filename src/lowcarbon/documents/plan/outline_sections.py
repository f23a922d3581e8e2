"""The outline's sections in order, each with the applicant's own content: text, lists, tables,
the boundary and the schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.outline import (
    ColumnType,
    ElementKind,
    OutlineElement,
    OutlineSection,
    chinese_numeral,
    is_missing,
)

from .. import maps
from ..blocks import Figure, Heading, Narrative, Paragraph, Placeholder, Table
from ..charts import png
from ..formatting import table_column, trimmed, unit_name
from .drafting import _Draft
from .schedule import SCHEDULE_ELEMENT, schedule_chart, schedule_stages

# Where the computed tables go, by scheme: outline section id -> what is placed after the
# applicant's own content of that section.
_COMPUTED: dict[str, dict[str, tuple[str, ...]]] = {
    "zone": {"2.1": ("inventory", "indicators"), "3.1": ("targets",), "3.2": ("tasks",)},
    "community": {"2.1": ("inventory", "indicators"), "3.1": ("targets",), "3.3": ("tasks",)},
}


def _level_number(level: int, index: int) -> str:
    """一、 / （一） / 1. / （1）: GB/T 9704-2012 §7.3.3 结构层次序数."""
    if level == 1:
        return f"{chinese_numeral(index)}、"
    if level == 2:
        return f"（{chinese_numeral(index)}）"
    if level == 3:
        return f"{index}. "
    return f"（{index}）"


class _OutlineSections(_Draft):
    """Sections and elements of the outline edition, numbered the way official documents are."""

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
