"""The baseline data of an application (基础数据): importing the accounting workbook, editing one
year's drivers, clearing. Validated first, then one transaction and one audit event each.

The stored form is the accounting input as data (``lowcarbon.rules.activity.
accounting_input_to_data``, the shape of ``examples/*/accounting.yaml``) with numbers as JSON
numbers. Every save runs the accounting engine under the application's factor set (pinned by
the round, accounting-method.md §5.2: one set for the base and every target year) before it is
stored, so what is stored can always be computed: data the engine refuses (green power under a
set without a green-power factor, a sink type without a verified rate…) is refused here with
the engine's own explanation, and nothing is saved.

The audit trail keeps a summary of the data before and after (counts, years, the factor set
and a SHA-256 of the canonical JSON), not the data itself: the data is the application's, the
hash proves which data it was.

The package: :mod:`.upload` reads an uploaded workbook, :mod:`.stored` holds the stored form
and its summary, :mod:`.checks` runs the engine over data before it is saved, and
:mod:`.actions` holds the audited import, clearing and drivers' edit.
"""

from .actions import (
    ACCOUNTING_ACTIONS,
    ACCOUNTING_CLEARED,
    ACCOUNTING_IMPORTED,
    DRIVER_FIELDS,
    DRIVERS_SAVED,
    do_clear_accounting,
    do_import_accounting,
    do_save_drivers,
)
from .stored import accounting_summary, canonical_sha256, stored_form
from .upload import KIND_LABELS, KIND_NAMES, content_kind, read_uploaded_workbook

__all__ = [
    "ACCOUNTING_ACTIONS",
    "ACCOUNTING_CLEARED",
    "ACCOUNTING_IMPORTED",
    "DRIVERS_SAVED",
    "DRIVER_FIELDS",
    "KIND_LABELS",
    "KIND_NAMES",
    "accounting_summary",
    "canonical_sha256",
    "content_kind",
    "do_clear_accounting",
    "do_import_accounting",
    "do_save_drivers",
    "read_uploaded_workbook",
    "stored_form",
]
