"""The emission inventory by category with its sources and factors, its structure chart, and
the indicators (附件1/附件3 二、1.).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lowcarbon.core.inventory import Inventory
from lowcarbon.core.labels import CATEGORY, INDICATOR, QUALITY, SECTOR
from lowcarbon.core.messages import gettext_noop

from ..blocks import Figure, Table
from ..formatting import factor_set_name, number, trimmed, unit_name, year
from .drafting import _Draft


class _InventoryTables(_Draft):
    """The computed inventory and indicator tables of the section on the current status."""

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
