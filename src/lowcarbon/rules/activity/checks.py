"""The checks a schema cannot make, shared with the workbook reader: every problem an
:class:`AccountingIssue` at a key path of the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .issues import AccountingIssue, Locate
from .plan_checks import _PlanChecks
from .profile_checks import _ProfileChecks
from .record_checks import _RecordChecks

__all__ = ["check_accounting_data"]


class _Checker(_ProfileChecks, _RecordChecks, _PlanChecks):
    """Collects :class:`AccountingIssue` s. Tolerates absent keys: the workbook reader runs it
    on data whose unreadable cells were left out (their problems are reported already)."""

    def run(self) -> list[AccountingIssue]:
        self.non_finite(self.data, ())
        self.boundary()
        years = self.accounting_years()
        self.drivers(years)
        self.records(years)
        self.year_sets(years)
        self.tasks()
        self.reductions()
        self.targets()
        assumptions = self.data.get("assumptions") or {}
        for index, year in enumerate(assumptions.get("target_years") or ()):
            self.year(("assumptions", "target_years", index), year, not_before_base=True)
        return self.issues


def check_accounting_data(
    data: Mapping[str, Any], locate: Locate | None = None
) -> list[AccountingIssue]:
    """Every problem a schema cannot find in accounting ``data`` (shaped as the YAML file).

    ``locate`` names the place of a key path as the person sees it (the file's line, the
    workbook's sheet and row); a problem that involves two places (a record entered twice)
    names the other one with it. By default the key path itself."""
    return _Checker(data, locate).run()
