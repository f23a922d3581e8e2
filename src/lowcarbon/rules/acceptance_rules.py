"""The pass rules of mid-term evaluation and final acceptance, read from
``data/evaluation/acceptance_rules.yaml``.

The schema (``data/schemas/acceptance_rules.schema.json``) checks the form; this module checks
what a schema cannot: each stage's ``current`` names one of its editions, each edition's rubric
is a bundled edition of the same kind, the rectification mark is above 0 and not above the pass
mark, and every section and item an edition names is in the main pool of its rubric. Every
problem is a :class:`~lowcarbon.rules.errors.DataFileError` naming file, key path, line, the
value found and what is expected.

A round stores the rule it applies as ``kind/stage/edition`` (:attr:`AcceptanceRule.ref`);
:func:`acceptance_rule` reads it back, or the stage's current edition when none is named.

``lowcarbon rubrics validate`` (``make data``) checks the file with the other data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from lowcarbon.core.acceptance.rule import STAGES, AcceptanceError, AcceptanceRule, SectionMinimum
from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.rubric import Pool, Rubric

from .paths import data_dir, schema_path
from .schemes import list_rubrics, load_rubric
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = [
    "StageRules",
    "acceptance_editions",
    "acceptance_rule",
    "acceptance_rules_path",
    "load_acceptance_rules",
]

KeyPath = list[str | int]


@dataclass(frozen=True)
class StageRules:
    """The editions of one kind of unit and one stage, and the one a new round gets."""

    kind: str
    stage: str
    current: str
    editions: Mapping[str, AcceptanceRule]

    @property
    def current_rule(self) -> AcceptanceRule:
        return self.editions[self.current]


def acceptance_rules_path() -> Path:
    return data_dir() / "evaluation" / "acceptance_rules.yaml"


def _share(value: Any) -> Decimal:
    """A YAML number as an exact decimal (0.8 stays 0.8)."""
    return Decimal(str(value))


def _rubric(document: YamlDocument, where: KeyPath, kind: str, ref: str) -> Rubric:
    scheme, _, edition = ref.partition("/")
    if scheme != kind or (scheme, edition) not in list_rubrics():
        raise document.error(
            [*where, "rubric"],
            Message(
                gettext_noop("a bundled rubric edition of {kind}: {allowed}"),
                {"kind": kind, "allowed": [f"{s}/{e}" for s, e in list_rubrics() if s == kind]},
            ),
            ref,
            code="acceptance_rubric",
        )
    return load_rubric(scheme, edition)


def _edition(
    document: YamlDocument, where: KeyPath, kind: str, stage: str, key: str, raw: Any
) -> AcceptanceRule:
    rubric = _rubric(document, where, kind, str(raw["rubric"]))
    passing = _share(raw["pass_mark"]["share"])
    rectification = _share(raw["rectification_mark"]["share"])
    if rectification <= 0:
        raise document.error(
            [*where, "rectification_mark", "share"],
            Message(gettext_noop("a share above 0")),
            raw["rectification_mark"]["share"],
            code="acceptance_rectification_mark",
        )
    if rectification > passing:
        raise document.error(
            [*where, "rectification_mark", "share"],
            Message(
                gettext_noop("a share not above the pass mark {mark}"),
                {"mark": passing},
            ),
            raw["rectification_mark"]["share"],
            code="acceptance_rectification_mark",
        )
    main_sections = {s.id for s in rubric.sections if s.pool is Pool.MAIN}
    minimums = []
    for section_id, share in raw["section_minimums"]["sections"].items():
        if section_id not in main_sections:
            raise document.error(
                [*where, "section_minimums", "sections", section_id],
                Message(
                    gettext_noop("a section of the main pool of {rubric}: {allowed}"),
                    {"rubric": rubric.ref, "allowed": sorted(main_sections)},
                ),
                section_id,
                code="acceptance_unknown_section",
            )
        minimums.append(SectionMinimum(section_id, _share(share)))
    main_items = [item.id for s in rubric.sections if s.pool is Pool.MAIN for item in s.items]
    for index, item_id in enumerate(raw["veto_items"]["items"]):
        if item_id not in main_items:
            raise document.error(
                [*where, "veto_items", "items", index],
                Message(
                    gettext_noop("an item of the main pool of {rubric}: {allowed}"),
                    {"rubric": rubric.ref, "allowed": main_items},
                ),
                item_id,
                code="acceptance_unknown_item",
            )
    return AcceptanceRule(
        kind=kind,
        stage=stage,
        edition=key,
        rubric_ref=rubric.ref,
        pass_share=passing,
        rectification_share=rectification,
        section_minimums=tuple(minimums),
        veto_items=tuple(raw["veto_items"]["items"]),
        sources=(
            ("pass_share", str(raw["pass_mark"]["source"])),
            ("rectification_share", str(raw["rectification_mark"]["source"])),
            ("section_minimums", str(raw["section_minimums"]["source"])),
            ("veto_items", str(raw["veto_items"]["source"])),
        ),
    )


def load_acceptance_rules(path: Path | None = None) -> dict[tuple[str, str], StageRules]:
    """Every ``(kind, stage)``'s editions, checked; a :class:`DataFileError` names the first
    problem."""
    document = read_yaml(path if path is not None else acceptance_rules_path())
    validate_with_schema(document, load_schema(schema_path("acceptance_rules")))
    found: dict[tuple[str, str], StageRules] = {}
    for kind, stages in document.data["rules"].items():
        for stage in STAGES:
            if stage not in stages:
                continue
            spec = stages[stage]
            editions = {
                str(key): _edition(
                    document,
                    ["rules", kind, stage, "editions", str(key)],
                    kind,
                    stage,
                    str(key),
                    raw,
                )
                for key, raw in spec["editions"].items()
            }
            current = str(spec["current"])
            if current not in editions:
                raise document.error(
                    ["rules", kind, stage, "current"],
                    Message(
                        gettext_noop("one of the editions {allowed}"),
                        {"allowed": sorted(editions)},
                    ),
                    current,
                    code="acceptance_current",
                )
            found[(kind, stage)] = StageRules(kind, stage, current, editions)
    return found


@cache
def _bundled() -> dict[tuple[str, str], StageRules]:
    return load_acceptance_rules()


def acceptance_editions(kind: str, stage: str) -> tuple[str, ...]:
    """The bundled edition keys of ``kind`` and ``stage``, sorted (none: an empty tuple)."""
    rules = _bundled().get((kind, stage))
    return tuple(sorted(rules.editions)) if rules else ()


def acceptance_rule(kind: str, stage: str, edition: str | None = None) -> AcceptanceRule:
    """The bundled rule of ``kind`` (community, zone) and ``stage`` (midterm, final): the named
    edition, or the current one. An :class:`AcceptanceError` when there is none."""
    rules = _bundled().get((kind, stage))
    if rules is None:
        raise AcceptanceError(
            Message(
                gettext_noop(
                    "no acceptance rule for {kind} at the {stage} stage; rules exist for {allowed}"
                ),
                {
                    "kind": kind,
                    "stage": stage,
                    "allowed": [f"{k}/{s}" for k, s in sorted(_bundled())],
                },
            ),
            code="acceptance_rule_unknown",
        )
    key = rules.current if edition is None else edition
    if key not in rules.editions:
        raise AcceptanceError(
            Message(
                gettext_noop(
                    "no edition {edition} of the {kind}/{stage} rule; editions: {allowed}"
                ),
                {"edition": key, "kind": kind, "stage": stage, "allowed": sorted(rules.editions)},
            ),
            code="acceptance_rule_unknown",
        )
    return rules.editions[key]
