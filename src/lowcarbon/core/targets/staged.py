"""The staged targets (分阶段目标) of each kind, and whether every stage is at least as strict as
the one before it up to the final target.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from ..activity import Target, TargetKind
from ..messages import Message, gettext_noop
from .kinds import AT_LEAST, _kind_name, _with_unit
from .report import StagedTargets

__all__: list[str] = []


def _staged(targets: Sequence[Target]) -> tuple[StagedTargets, ...]:
    result: list[StagedTargets] = []
    for kind in TargetKind:
        stages = tuple(sorted((t for t in targets if t.kind is kind), key=lambda t: t.year))
        if not stages:
            continue
        final = stages[-1]
        # A later stage must be at least as strict as the one before it, so the path leads
        # monotonically to the final target (附件2 三: 制定分阶段目标).
        looser = [
            (before, after)
            for before, after in pairwise(stages)
            if (after.value < before.value if kind in AT_LEAST else after.value > before.value)
        ]
        listed = [
            Message(
                gettext_noop("{year}: {value}"),
                {"year": t.year, "value": _with_unit(t.value, kind)},
            )
            for t in stages
        ]
        if len(stages) == 1:
            message = Message(
                gettext_noop("{kind}: one target ({stages}), no staged targets"),
                {"kind": _kind_name(kind), "stages": listed},
            )
        elif not looser:
            message = Message(
                gettext_noop("{kind}: the staged targets {stages} lead steadily to the final one"),
                {"kind": _kind_name(kind), "stages": listed},
            )
        else:
            message = Message(
                gettext_noop(
                    "{kind}: the staged targets {stages} do not lead steadily to the final target "
                    "of {year}: {problems}"
                ),
                {
                    "kind": _kind_name(kind),
                    "stages": listed,
                    "year": final.year,
                    "problems": [
                        Message(
                            gettext_noop(
                                "{year} ({value}) is looser than {previous_year} ({previous})"
                            ),
                            {
                                "year": after.year,
                                "value": _with_unit(after.value, kind),
                                "previous_year": before.year,
                                "previous": _with_unit(before.value, kind),
                            },
                        )
                        for before, after in looser
                    ],
                },
            )
        result.append(StagedTargets(kind, stages, not looser, message))
    return tuple(result)
