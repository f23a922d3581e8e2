"""The frozen submission (snapshot format 1), typed, and its one canonical codec.

A submission freezes one JSON document: every input as it was entered, the key results, the
rule editions with their content hashes and the evidence files with theirs. Its SHA-256 is
taken over :func:`canonical_json` (sorted keys, UTF-8 as is, no spaces) and stored beside it,
so anyone can later show that what was recommended and scored is what was submitted. The
platform writes it, the review and the documents read it, and the command line reads it back
from an exported file: all through this package (:mod:`.records`, :mod:`.codec`).

The codec's rules, the same in both directions so that a stored snapshot reads back to the
same bytes and the same hash:

* decimals are exact strings (``format(value, "f")``: ``"12.50"`` stays ``"12.50"``), never
  floats; a string that would not be written back identically is refused on reading;
* dates and times in ISO form, enums as their value, tuples as lists;
* floats only inside the inputs kept as they were entered (``sections``, ``accounting``,
  ``answers``): format 1 stores the baseline data with JSON numbers, integers when whole, else
  floats (their shortest text round-trips exactly; :func:`as_json_numbers`). Anywhere else a
  float is refused.

Reading refuses unknown keys, missing keys and values of the wrong type with a
:class:`SnapshotError` naming the key path (``score.items.1.points``). A part added to format 1
later (``tasks``, the task records) may be absent, as in the snapshots written before it; it is
then written back absent, so those snapshots keep their bytes and hash. Present, it is never null.
"""

from .codec import (
    SnapshotError,
    as_json_numbers,
    canonical_json,
    exact_decimal,
    read_snapshot,
    snapshot_data,
    snapshot_from_data,
    snapshot_sha256,
)
from .records import (
    FLOAT_ROOTS,
    SNAPSHOT_FORMAT,
    AccountingFigures,
    ApplicationRef,
    CitedRecord,
    Comparison,
    Edition,
    Editions,
    EvaluationRecord,
    EvidenceEntry,
    FactorSetEdition,
    FrozenScore,
    IndicatorFigure,
    InventoryFigures,
    ItemScore,
    Person,
    PoolScore,
    RoundRef,
    SectionScore,
    Snapshot,
    SnapshotWarning,
    TargetCheckFigures,
    TargetFigures,
    TaskOutcome,
    TaskRecord,
    UnitRef,
    Versions,
    YearIndicators,
)

__all__ = [
    "FLOAT_ROOTS",
    "SNAPSHOT_FORMAT",
    "AccountingFigures",
    "ApplicationRef",
    "CitedRecord",
    "Comparison",
    "Edition",
    "Editions",
    "EvaluationRecord",
    "EvidenceEntry",
    "FactorSetEdition",
    "FrozenScore",
    "IndicatorFigure",
    "InventoryFigures",
    "ItemScore",
    "Person",
    "PoolScore",
    "RoundRef",
    "SectionScore",
    "Snapshot",
    "SnapshotError",
    "SnapshotWarning",
    "TargetCheckFigures",
    "TargetFigures",
    "TaskOutcome",
    "TaskRecord",
    "UnitRef",
    "Versions",
    "YearIndicators",
    "as_json_numbers",
    "canonical_json",
    "exact_decimal",
    "read_snapshot",
    "snapshot_data",
    "snapshot_from_data",
    "snapshot_sha256",
]
