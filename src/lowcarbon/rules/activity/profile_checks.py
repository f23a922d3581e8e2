"""Checks of the unit's profile: the boundary against the area stated, the accounting years, the
years with their own factor set, and the drivers of each year.
"""

from __future__ import annotations

from lowcarbon.core.geodesy import GeometryError
from lowcarbon.core.messages import Message, gettext_noop

from ..geojson.measuring import measure
from .issues import KeyPath, _Issues
from .values import _decimal
from .vocabulary import AREA_TOLERANCE

__all__ = []


class _ProfileChecks(_Issues):
    """The profile's checks."""

    def boundary(self) -> None:
        """The drawn polygon must be a valid area and agree with the area stated (附件2 一)."""
        boundary = (self.data.get("profile") or {}).get("boundary") or {}
        geometry = boundary.get("geometry")
        if geometry is None:
            return
        path: KeyPath = ("profile", "boundary", "geometry")
        try:
            area = measure(geometry).area_km2
        except GeometryError as error:
            self.add(path, error.message, None, error.code)
            return
        stated = boundary.get("area_km2")
        if isinstance(stated, int | float):
            difference = abs(_decimal(stated) - area) / area
            if difference > AREA_TOLERANCE:
                self.add(
                    ("profile", "boundary", "area_km2"),
                    Message(
                        gettext_noop(
                            "the area of the boundary polygon, {area} km² (within {tolerance} %)"
                        ),
                        {"area": round(area, 3), "tolerance": AREA_TOLERANCE * 100},
                    ),
                    stated,
                    "area_mismatch",
                )

    def accounting_years(self) -> list[int] | None:
        """The years to check records against: the ``years`` given, else None (derived)."""
        years = self.data.get("years")
        if years is None:
            recorded = self.record_years()
            if self.base is not None and recorded and self.base not in recorded:
                self.add(
                    ("profile", "base_year"),
                    Message(
                        gettext_noop(
                            "a year with activity records (records are given for {years})"
                        ),
                        {"years": ", ".join(map(str, recorded))},
                    ),
                    self.base,
                    "base_year_without_records",
                )
            return None
        for index, year in enumerate(years):
            self.year(("years", index), year)
        if self.base is not None and self.base not in years:
            self.add(
                ("years",),
                Message(
                    gettext_noop("a list of years that includes the base year {base}"),
                    {"base": self.base},
                ),
                ", ".join(map(str, years)),
                "base_year_not_accounted",
            )
        return list(years)

    def year_sets(self, years: list[int] | None) -> None:
        """A year's own factor set: one entry per year, for a year that is accounted."""
        accounted = years if years is not None else self.record_years()
        seen: dict[int, int] = {}
        for index, raw in enumerate(self.data.get("factor_sets") or []):
            path: KeyPath = ("factor_sets", index, "year")
            year = raw.get("year")
            if not self.year(path, year):
                continue
            if year in seen:
                self.add(
                    path,
                    Message(
                        gettext_noop("a year not given before (first at factor_sets[{first}])"),
                        {"first": seen[year]},
                    ),
                    year,
                    "duplicate_year",
                )
            elif year not in accounted:
                self.add(
                    path,
                    Message(
                        gettext_noop("one of the accounting years {years}"),
                        {"years": ", ".join(map(str, accounted))},
                    ),
                    year,
                    "year_not_accounted",
                )
            seen.setdefault(year, index)

    def drivers(self, years: list[int] | None) -> None:
        profile = self.data.get("profile") or {}
        drivers = profile.get("drivers") or []
        seen: dict[int, int] = {}
        for index, raw in enumerate(drivers):
            year = raw.get("year")
            path: KeyPath = ("profile", "drivers", index, "year")
            self.year(path, year)
            if year in seen:
                self.add(
                    path,
                    Message(
                        gettext_noop("a year not given before (first at drivers[{first}])"),
                        {"first": seen[year]},
                    ),
                    year,
                    "duplicate_year",
                )
            elif isinstance(year, int):
                seen[year] = index
        wanted = years if years is not None else self.record_years()
        if self.base is not None:
            wanted = sorted({*wanted, self.base})
        missing = [year for year in wanted if year not in seen]
        if drivers and missing:
            self.add(
                ("profile", "drivers"),
                Message(
                    gettext_noop(
                        "the size of the unit (resident population …) for every accounting "
                        "year; missing: {years}"
                    ),
                    {"years": ", ".join(map(str, missing))},
                ),
                None,
                "drivers_missing",
            )
