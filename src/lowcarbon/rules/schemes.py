"""Loads indicator-system editions (``data/schemes/<scheme>/<edition>/rubric.yaml``).

The schema checks the form of each file; this module checks what a schema cannot (ids unique
across the rubric, ranges that make sense) and builds the core :class:`Rubric`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lowcarbon.core.messages import Message, gettext_noop
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    Constraint,
    ConstraintScope,
    CountTier,
    CountTiersRule,
    Criterion,
    Deduction,
    Item,
    JudgementRule,
    LevelsRule,
    Method,
    Part,
    PerUnitRule,
    Pool,
    Resolution,
    Rubric,
    Rule,
    Section,
    SimpleRule,
)

from .paths import data_dir, schema_path
from .text import local_text
from .yamlio import YamlDocument, load_schema, read_yaml, validate_with_schema

__all__ = ["list_rubrics", "load_rubric", "load_rubric_file", "rubric_path"]

KeyPath = list[str | int]


def points(value: Any) -> Decimal:
    """A YAML number as an exact decimal (``2.5`` stays 2.5, never 2.4999…)."""
    return Decimal(str(value))


def rubric_path(scheme: str, edition: str) -> Path:
    return data_dir() / "schemes" / scheme / edition / "rubric.yaml"


def list_rubrics() -> list[tuple[str, str]]:
    """Every bundled ``(scheme, edition)``, sorted."""
    root = data_dir() / "schemes"
    return sorted(
        (path.parent.parent.name, path.parent.name) for path in root.glob("*/*/rubric.yaml")
    )


def load_rubric(scheme: str, edition: str) -> Rubric:
    """The bundled edition ``scheme/edition``; the file must say it is that edition."""
    path = rubric_path(scheme, edition)
    rubric = load_rubric_file(path)
    if (rubric.scheme, rubric.edition) != (scheme, edition):
        raise read_yaml(path).error(
            ["edition"],
            Message(
                gettext_noop("the edition named by its folder, {expected}"),
                {"expected": f"{scheme}/{edition}"},
            ),
            f"{rubric.scheme}/{rubric.edition}",
            code="edition_mismatch",
        )
    return rubric


def load_rubric_file(path: Path) -> Rubric:
    """Read, schema-check and build one rubric file."""
    document = read_yaml(path)
    validate_with_schema(document, load_schema(schema_path("rubric")))
    return _Builder(document).rubric()


class _Builder:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.item_ids: dict[str, KeyPath] = {}

    def unique(self, seen: dict[str, KeyPath], value: str, where: KeyPath, what: str) -> None:
        if value in seen:
            raise self.document.error(
                where,
                Message(
                    gettext_noop("a {what} id not used before (also at {first})"),
                    {"what": Message(what), "first": _fmt(seen[value])},
                ),
                value,
                code="duplicate_id",
            )
        seen[value] = where

    def rubric(self) -> Rubric:
        data = self.document.data
        sections: list[Section] = []
        section_ids: dict[str, KeyPath] = {}
        for index, raw in enumerate(data["sections"]):
            where: KeyPath = ["sections", index]
            self.unique(section_ids, raw["id"], [*where, "id"], gettext_noop("section"))
            sections.append(self.section(raw, where))
        evidence = data.get("evidence_rule", {})
        return Rubric(
            scheme=data["scheme"],
            edition=data["edition"],
            title=local_text(data["title"]),
            source=data["source"],
            declared_total=points(data["declared_total"]),
            declared_bonus=points(data["declared_bonus"]) if "declared_bonus" in data else None,
            sections=tuple(sections),
            evidence_required=bool(evidence.get("required", False)),
            evidence_citation=evidence.get("citation", ""),
            resolutions=tuple(
                Resolution(r["finding"], r["target"], r["decision"], local_text(r["note"]))
                for r in data.get("resolutions", [])
            ),
            content_hash=hashlib.sha256(self.document.text.encode("utf-8")).hexdigest(),
        )

    def section(self, raw: dict[str, Any], where: KeyPath) -> Section:
        items = []
        for index, item in enumerate(raw["items"]):
            item_where: KeyPath = [*where, "items", index]
            self.unique(self.item_ids, item["id"], [*item_where, "id"], gettext_noop("item"))
            items.append(self.item(item, item_where))
        return Section(
            id=raw["id"],
            label=raw["label"],
            title=local_text(raw["title"]),
            pool=Pool(raw["pool"]),
            declared_points=None if raw["points"] is None else points(raw["points"]),
            citation=raw["citation"],
            items=tuple(items),
        )

    def item(self, raw: dict[str, Any], where: KeyPath) -> Item:
        constraint = raw.get("constraint")
        return Item(
            id=raw["id"],
            title=local_text(raw["title"]),
            declared_points=None if raw["points"] is None else points(raw["points"]),
            rule=self.rule(raw["rule"], [*where, "rule"]),
            citation=raw["citation"],
            methods=tuple(Method(m) for m in raw.get("methods", [])),
            method_text=raw.get("method_text", ""),
            constraint=None
            if constraint is None
            else Constraint(
                id=constraint["id"],
                text=local_text(constraint["text"]),
                scope=ConstraintScope(constraint["scope"]),
                citation=constraint["citation"],
            ),
        )

    def criteria(self, raw: Sequence[dict[str, Any]], where: KeyPath) -> tuple[Criterion, ...]:
        seen: dict[str, KeyPath] = {}
        result = []
        for index, criterion in enumerate(raw):
            self.unique(seen, criterion["id"], [*where, index, "id"], gettext_noop("criterion"))
            result.append(
                Criterion(
                    criterion["id"], points(criterion["points"]), local_text(criterion["text"])
                )
            )
        return tuple(result)

    def rule(self, raw: dict[str, Any], where: KeyPath) -> Rule:
        if raw["kind"] != "composite":
            return self.simple_rule(raw, where)
        seen: dict[str, KeyPath] = {}
        parts = []
        for index, part in enumerate(raw["parts"]):
            part_where: KeyPath = [*where, "parts", index]
            self.unique(seen, part["id"], [*part_where, "id"], gettext_noop("part"))
            parts.append(
                Part(
                    part["id"],
                    local_text(part["title"]),
                    self.simple_rule(part["rule"], [*part_where, "rule"]),
                )
            )
        return CompositeRule(tuple(parts))

    def simple_rule(self, raw: dict[str, Any], where: KeyPath) -> SimpleRule:
        kind = raw["kind"]
        if kind == "levels":
            return LevelsRule(self.criteria(raw["options"], [*where, "options"]))
        if kind == "checklist":
            deduction = raw.get("deduction")
            return ChecklistRule(
                self.criteria(raw["criteria"], [*where, "criteria"]),
                cap=points(raw["cap"]) if "cap" in raw else None,
                deduction=None
                if deduction is None
                else Deduction(local_text(deduction["text"]), points(deduction["step"])),
            )
        if kind == "count_tiers":
            tiers = raw["tiers"]
            counts = [tier["min_count"] for tier in tiers]
            if counts != sorted(set(counts)):
                raise self.document.error(
                    [*where, "tiers"],
                    Message(gettext_noop("tiers in increasing order of min_count, each once")),
                    counts,
                    code="tier_order",
                )
            return CountTiersRule(
                tuple(
                    CountTier(t["min_count"], points(t["points"]), local_text(t["text"]))
                    for t in tiers
                ),
                local_text(raw["counted"]),
            )
        if kind == "per_unit":
            return PerUnitRule(
                points(raw["per_unit"]),
                points(raw["cap"]),
                local_text(raw["counted"]),
                local_text(raw["text"]),
            )
        minimum, maximum, step = points(raw["minimum"]), points(raw["maximum"]), points(raw["step"])
        if minimum >= maximum or (maximum - minimum) % step:
            raise self.document.error(
                [*where, "maximum"],
                Message(
                    gettext_noop(
                        "a maximum above the minimum {minimum}, reached from it in steps of {step}"
                    ),
                    {"minimum": minimum, "step": step},
                ),
                raw["maximum"],
                code="judgement_range",
            )
        return JudgementRule(minimum, maximum, step, local_text(raw["text"]))


def _fmt(path: KeyPath) -> str:
    from .yamlio import format_path

    return format_path(path)
