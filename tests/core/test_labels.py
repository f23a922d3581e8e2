"""Every machine id a reader can meet has exactly one name (``core.labels``): a new enum member
without a name would print its id in a Chinese page or document."""

from __future__ import annotations

from enum import StrEnum

import pytest

from lowcarbon.core import labels
from lowcarbon.core.acceptance import AcceptanceOutcome
from lowcarbon.core.activity import DataQuality, Domain, Sector, SourceCategory, TargetKind
from lowcarbon.core.decomposition import Effect
from lowcarbon.core.factors import Confidence
from lowcarbon.core.indicators import IndicatorId
from lowcarbon.core.reductions import ReductionStatus

VOCABULARIES: list[tuple[str, dict[str, str], type[StrEnum]]] = [
    ("QUALITY", labels.QUALITY, DataQuality),
    ("CATEGORY", labels.CATEGORY, SourceCategory),
    ("SECTOR", labels.SECTOR, Sector),
    ("DOMAIN", labels.DOMAIN, Domain),
    ("TARGET", labels.TARGET, TargetKind),
    ("INDICATOR", labels.INDICATOR, IndicatorId),
    ("EFFECT", labels.EFFECT, Effect),
    ("REDUCTION_STATUS", labels.REDUCTION_STATUS, ReductionStatus),
    ("CONFIDENCE", labels.CONFIDENCE, Confidence),
    ("ACCEPTANCE_OUTCOME", labels.ACCEPTANCE_OUTCOME, AcceptanceOutcome),
]


@pytest.mark.parametrize(("name", "table", "enum"), VOCABULARIES, ids=[v[0] for v in VOCABULARIES])
def test_each_member_has_one_name(name: str, table: dict[str, str], enum: type[StrEnum]) -> None:
    assert set(table) == {member.value for member in enum}, name
    assert all(text.strip() for text in table.values()), name


def test_every_vocabulary_is_checked() -> None:
    assert {v[0] for v in VOCABULARIES} == set(labels.__all__)


def test_names_are_distinct_within_a_vocabulary() -> None:
    # Two members read the same would be indistinguishable in a table (INDICATOR and TARGET share
    # words across tables, never within one).
    for name, table, _ in VOCABULARIES:
        assert len(set(table.values())) == len(table), name
