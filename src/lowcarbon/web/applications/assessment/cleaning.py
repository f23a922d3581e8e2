"""A posted answer read into the engine's form, every problem tied to the field it concerns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lowcarbon.core.errors import AnswerError
from lowcarbon.core.messages import Message
from lowcarbon.core.numbers import NumberError, NumberSpec, parse_number, parse_whole
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    LevelsRule,
    PerUnitRule,
    SimpleRule,
)
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.numbers import number_message

from .fields import _FALSE, _TRUE, _flag, _list, _prefix, _rules, _text, item_label

TEXT_LIMIT = 2000


# What a typed score may be before the engine judges it against the item: wide enough that
# the engine's own message ("5 points lies outside 0 to 3 in steps of 0.5") answers a plausible
# slip, narrow enough that nothing typed can be huge (every item is worth at most 120 points).
POINTS_LIMIT = Decimal(1000)
POINTS_PLACES = 4
COUNT_LIMIT = 1_000_000


def _points_spec(field: str) -> NumberSpec:
    return NumberSpec(field, -POINTS_LIMIT, POINTS_LIMIT, POINTS_PLACES)


def _count_spec(label: str) -> NumberSpec:
    field = _("{item}, the count").format(item=label)
    return NumberSpec(field, Decimal(0), Decimal(COUNT_LIMIT))


def _stored_number(number: Decimal) -> int | float:
    # The answers format keeps numbers as JSON numbers (answers.schema.json); every value the
    # rubrics allow is a multiple of 0.5, which a float holds exactly.
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_choice(
    item: Item,
    part: str | None,
    rule: SimpleRule,
    raw: Mapping[str, Any],
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    prefix = _prefix(part)
    label = _part_label(item, part)
    choice: dict[str, Any] = {}
    if isinstance(rule, LevelsRule):
        level = _text(raw, prefix + "level")
        if level:
            choice["level"] = level
    elif isinstance(rule, ChecklistRule):
        # No box ticked is an answer ("none met"), so a checklist is always answered.
        choice["ticked"] = _list(raw, prefix + "ticked")
        deduct = _text(raw, prefix + "deduct")
        if deduct:
            try:
                number = parse_number(
                    deduct, _points_spec(_("{item}, the deduction").format(item=label))
                )
            except NumberError as error:
                errors.setdefault(prefix + "deduct", []).append(number_message(error))
            else:
                choice["deduct"] = _stored_number(number)
    elif isinstance(rule, CountTiersRule | PerUnitRule):
        count = _text(raw, prefix + "count")
        if count:
            try:
                choice["count"] = parse_whole(count, _count_spec(label))
            except NumberError as error:
                errors.setdefault(prefix + "count", []).append(number_message(error))
    else:
        points = _text(raw, prefix + "points")
        if points:
            try:
                number = parse_number(
                    points, _points_spec(_("{item}, the points").format(item=label))
                )
            except NumberError as error:
                errors.setdefault(prefix + "points", []).append(number_message(error))
            else:
                choice["points"] = _stored_number(number)
    return choice


def clean_answer(
    item: Item, raw: Mapping[str, Any], evidence_codes: Iterable[str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """``(answer, errors)``: the stored form of the form fields ``raw`` for ``item``.

    ``raw`` holds ``level`` / ``ticked`` / ``deduct`` / ``count`` / ``points`` (prefixed
    ``part-<id>-`` for the parts of a composite item), ``not_applicable``, ``constraint_met``
    (``yes`` / ``no`` / blank), ``reason``, ``evidence`` (evidence numbers) and ``comment``.
    """
    errors: dict[str, list[str]] = {}
    answer: dict[str, Any] = {}
    label = item_label(item)
    not_applicable = _flag(raw, "not_applicable")
    if not_applicable:
        # The choice fields stay in the form (the person may untick again) but are not stored.
        answer["not_applicable"] = True
    elif isinstance(item.rule, CompositeRule):
        parts = {
            part: choice
            for part, rule in _rules(item)
            if (choice := _clean_choice(item, part, rule, raw, errors))
        }
        if parts:
            answer["parts"] = parts
    else:
        answer |= _clean_choice(item, None, item.rule, raw, errors)
    if item.constraint is not None and not not_applicable:
        met = _text(raw, "constraint_met").lower()
        if met in _TRUE:
            answer["constraint_met"] = True
        elif met in _FALSE:
            answer["constraint_met"] = False
        elif met:
            errors["constraint_met"] = [
                _("{item}: answer the constraint with yes or no, found '{found}'.").format(
                    item=label, found=met
                )
            ]
    for name in ("reason", "comment"):
        text = _text(raw, name)
        if len(text) > TEXT_LIMIT:
            errors[name] = [
                _("{item}: at most {limit} characters ({found} given).").format(
                    item=label, limit=TEXT_LIMIT, found=len(text)
                )
            ]
        elif text:
            answer[name] = text
    codes = set(evidence_codes)
    chosen = list(dict.fromkeys(_list(raw, "evidence")))
    unknown = [code for code in chosen if code not in codes]
    if unknown:
        errors["evidence"] = [
            _("{item}: evidence {found} is not among this application's files ({allowed}).").format(
                item=label, found="、".join(unknown), allowed="、".join(sorted(codes)) or "—"
            )
        ]
    if chosen:
        answer["evidence"] = chosen
    return answer, errors


# Which form field a scoring problem is about, by the engine's message template.
_PROBLEM_FIELDS = {
    "item {item}: choose one level of {allowed}": "level",
    "item {item}: the level {found} does not exist; allowed levels: {allowed}": "level",
    "item {item}: unknown criterion {found}; allowed: {allowed}": "ticked",
    "item {item}: criterion {found} is ticked twice": "ticked",
    "item {item}: this item allows no deduction": "deduct",
    "item {item}: a deduction of {found} must lie between 0 and {maximum} in steps of {step}": (
        "deduct"
    ),
    "item {item}: a deduction needs a written reason": "reason",
    "item {item}: give the count as a whole number of 0 or more, found {found}": "count",
    "item {item}: {found} points lies outside {minimum} to {maximum} in steps of {step}": (
        "points"
    ),
    "item {item}: a judgement needs a written reason": "reason",
    "item {item}: not applicable needs a written reason": "reason",
    "item {item} is answered as not applicable and also scored; keep one": "not_applicable",
    "item {item}: say whether the constraint is met: {text}": "constraint_met",
    "item {item}: evidence {found} is not listed under evidence; listed: {allowed}": "evidence",
}
_PART_FIELDS = {"level", "ticked", "deduct", "count", "points"}


def _main_field(rule: SimpleRule) -> str:
    if isinstance(rule, LevelsRule):
        return "level"
    if isinstance(rule, ChecklistRule):
        return "ticked"
    if isinstance(rule, CountTiersRule | PerUnitRule):
        return "count"
    return "points"


def _part_label(item: Item, part: str | None) -> str:
    label = item_label(item)
    if part is None or not isinstance(item.rule, CompositeRule):
        return label
    title = next((local(p.title) for p in item.rule.parts if p.id == part), part)
    return f"{label} · {title}"


def problem_field(item: Item, error: AnswerError) -> tuple[str, str]:
    """``(field, message)``: where a scoring problem of ``item`` belongs, said in words."""
    message = error.message
    label = str(message.params.get("item", item.id))
    part = label.split("/", 1)[1] if "/" in label else None
    rules = dict(_rules(item))
    field = _PROBLEM_FIELDS.get(message.template)
    if message.template == "item {item} is not answered":
        field = _main_field(rules[part] if part in rules else _rules(item)[0][1])
    name = "__all__" if field is None else field
    if part is not None and name in _PART_FIELDS:
        name = _prefix(part) + name
    # The engine names a part "9/campaign"; say the item's number and the part's title.
    text = Message(message.template, {**message.params, "item": item.id}).render(_)
    if part is not None and isinstance(item.rule, CompositeRule):
        title = next((local(p.title) for p in item.rule.parts if p.id == part), part)
        text = f"{title}：{text}"
    return name, text
