"""The rule editions bundled in ``data/``: what a round may pin."""

from __future__ import annotations

from functools import cache

from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.outlines import list_outlines
from lowcarbon.rules.schemes import list_rubrics

__all__ = ["factor_set_ids", "outline_editions", "rubric_editions"]


@cache
def rubric_editions(kind: str) -> tuple[str, ...]:
    return tuple(edition for scheme, edition in list_rubrics() if scheme == kind)


@cache
def outline_editions(kind: str) -> tuple[str, ...]:
    return tuple(edition for scheme, edition in list_outlines() if scheme == kind)


@cache
def factor_set_ids() -> tuple[str, ...]:
    return tuple(sorted(load_factor_library().sets))
