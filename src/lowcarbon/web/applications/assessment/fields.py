"""An item's answer form: the fields its rules ask for, and the values a stored answer shows in
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    LevelsRule,
    PerUnitRule,
    Rubric,
    SimpleRule,
)
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.applications.outlines import local

_TRUE = {"on", "true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def answer_form_fields(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The form fields that store ``answer`` (what a person's clicks send): the way a prepared
    answer is brought in through the forms' own cleaning (the demo, the tests)."""
    raw: dict[str, Any] = {}
    for key in ("level", "ticked", "count", "points", "deduct", "reason", "comment", "evidence"):
        if key in answer:
            value = answer[key]
            raw[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for part, choice in (answer.get("parts") or {}).items():
        for key, value in choice.items():
            raw[f"part-{part}-{key}"] = (
                [str(v) for v in value] if isinstance(value, list) else str(value)
            )
    if "constraint_met" in answer:
        raw["constraint_met"] = "yes" if answer["constraint_met"] else "no"
    if answer.get("not_applicable"):
        raw["not_applicable"] = "on"
    return raw


def rubric_for(application: Application) -> Rubric:
    return computing.rubric_of(application.kind, application.rubric_edition)


def active_evidence(application: Application) -> QuerySet[Evidence]:
    return application.evidence.filter(removed_at__isnull=True).order_by("code")


def item_label(item: Item) -> str:
    return _("item {item} ({title})").format(item=item.id, title=local(item.title))


def _prefix(part: str | None) -> str:
    return "" if part is None else f"part-{part}-"


def _rules(item: Item) -> list[tuple[str | None, SimpleRule]]:
    rule = item.rule
    if isinstance(rule, CompositeRule):
        return [(part.id, part.rule) for part in rule.parts]
    return [(None, rule)]


def _text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip()


def _list(raw: Mapping[str, Any], name: str) -> list[str]:
    value = raw.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if str(v).strip()]


def _flag(raw: Mapping[str, Any], name: str) -> bool:
    value = raw.get(name)
    if isinstance(value, bool):
        return value
    return _text(raw, name).lower() in _TRUE


def form_values(item: Item, answer: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form fields of a stored answer (the inverse of :func:`clean_answer`)."""
    answer = answer or {}
    values: dict[str, Any] = {
        "reason": answer.get("reason") or "",
        "comment": answer.get("comment") or "",
        "evidence": list(answer.get("evidence") or ()),
        "not_applicable": bool(answer.get("not_applicable")),
    }
    met = answer.get("constraint_met")
    values["constraint_met"] = "" if met is None else ("yes" if met else "no")
    for part, rule in _rules(item):
        source = answer if part is None else (answer.get("parts") or {}).get(part) or {}
        prefix = _prefix(part)
        if isinstance(rule, LevelsRule):
            values[prefix + "level"] = source.get("level") or ""
        elif isinstance(rule, ChecklistRule):
            values[prefix + "ticked"] = list(source.get("ticked") or ())
            deduct = source.get("deduct")
            values[prefix + "deduct"] = "" if deduct is None else str(deduct)
        elif isinstance(rule, CountTiersRule | PerUnitRule):
            count = source.get("count")
            if count is None and source.get("named"):
                count = len(source["named"])
            values[prefix + "count"] = "" if count is None else str(count)
        else:
            points = source.get("points")
            values[prefix + "points"] = "" if points is None else str(points)
    return values
