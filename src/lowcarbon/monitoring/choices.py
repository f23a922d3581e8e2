"""What the command line needs before any engine loads: the default store, the engines, the
names of findings' severities.

Kept apart from ``store`` (PyArrow) and ``monthly`` (DuckDB) so that ``lowcarbon --help`` and a
mistyped command do not import them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from lowcarbon.core.messages import gettext_noop
from lowcarbon.core.metering import Severity

__all__ = ["DEFAULT_STORE", "SEVERITY_NAMES", "Engine"]

#: Where readings are kept unless a store is named: ``var/monitoring`` under the working folder.
DEFAULT_STORE = Path("var") / "monitoring"


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


#: How a finding's severity is named in reports and on the command line.
SEVERITY_NAMES = {
    Severity.REJECTED: gettext_noop("rejected"),
    Severity.FLAGGED: gettext_noop("flagged"),
    Severity.NOTE: gettext_noop("note"),
}
