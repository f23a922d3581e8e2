"""The accounting vocabulary's names live in :mod:`lowcarbon.core.labels` (shared with the web
and the documents); re-exported here for the command line's modules."""

from __future__ import annotations

from lowcarbon.core.labels import (
    CATEGORY,
    DOMAIN,
    EFFECT,
    INDICATOR,
    QUALITY,
    REDUCTION_STATUS,
    SECTOR,
    TARGET,
)

__all__ = [
    "CATEGORY",
    "DOMAIN",
    "EFFECT",
    "INDICATOR",
    "QUALITY",
    "REDUCTION_STATUS",
    "SECTOR",
    "TARGET",
]
