"""Reads the accounting input of one unit (YAML or JSON) into
:class:`~lowcarbon.core.activity.AccountingInput` (re-exported here with ``DEFAULT_FACTOR_SET``).

The file holds what the accounting and the forecast compute from (accounting-method.md §4, §8,
§9) and what 附件1 一、1 / 附件3 一、1 ask a plan to state about the unit: the profile (name,
kind, 四至, area, base year, and for each year 常住人口, 户籍人口, 户数, floor area by type, GDP),
the activity records, the tasks and key projects, the staged targets and the forecast
assumptions. A JSON file is read by the same strict reader (JSON is YAML), so its errors name
lines too.

``data/schemas/accounting.schema.json`` checks the form; :func:`check_accounting_data` checks
what a schema cannot say, and is shared with the workbook reader (:mod:`..workbook`):

* a unit parses and measures what its category is counted in (energy for electricity and heat,
  volume for natural gas, mass for the other fuels, area for green space, trees for tree
  counts, mass for waste, volume for water): 10 000 m³ "of electricity" must not reach a factor;
* every year lies within base year − 10 … base year + 30; tasks, targets and target years are
  not before the base year; the accounting years include the base year and have drivers;
* a year named in ``factor_sets`` (its own factor set, e.g. a base year reported under its
  historical set) is an accounting year, named once;
* driver years, task ids and (target kind, year) pairs are unique;
* a task's ``acts_on`` names ``category/sector`` pairs of the vocabulary of
  :mod:`lowcarbon.core.activity`, and a task that promises a reduction names where it applies.

Every problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming the file, key path,
line, the value found and what a valid value looks like. Records come back grouped by activity
group (:data:`ACTIVITY_GROUPS`, the sheets of the workbook) in their order within a group, and
drivers sorted by year, so a file and its workbook read back into equal inputs.

The package: :mod:`.vocabulary` holds what the values may be (activity groups, units by
category, floor-area types, source keys), :mod:`.checks` checks what a schema cannot say (with
:mod:`.issues`, :mod:`.profile_checks`, :mod:`.record_checks` and :mod:`.plan_checks`),
:mod:`.reading` (with :mod:`.values`) reads a file or data into the input, and :mod:`.writing`
writes it back as data.
"""

from lowcarbon.core.activity import DEFAULT_FACTOR_SET, AccountingInput

from .checks import check_accounting_data
from .issues import AccountingIssue, KeyPath, Locate
from .reading import accounting_input_from_data, load_accounting_file
from .vocabulary import (
    ACTIVITY_GROUPS,
    AREA_TOLERANCE,
    CATEGORY_UNITS,
    FLOOR_AREA_TYPES,
    PERCENT_TARGETS,
    YEARS_AFTER_BASE,
    YEARS_BEFORE_BASE,
)
from .writing import accounting_input_to_data

__all__ = [
    "ACTIVITY_GROUPS",
    "AREA_TOLERANCE",
    "CATEGORY_UNITS",
    "DEFAULT_FACTOR_SET",
    "FLOOR_AREA_TYPES",
    "PERCENT_TARGETS",
    "YEARS_AFTER_BASE",
    "YEARS_BEFORE_BASE",
    "AccountingInput",
    "AccountingIssue",
    "KeyPath",
    "Locate",
    "accounting_input_from_data",
    "accounting_input_to_data",
    "check_accounting_data",
    "load_accounting_file",
]
