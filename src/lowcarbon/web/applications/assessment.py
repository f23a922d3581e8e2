"""The self-assessment (自评): saving one item's answer, attaching and removing evidence files,
and the running total with the points being lost and why.

Every write is an audited action (``do_…``): everything is checked first, then one transaction
locks the application row, checks the version the person started from and records one event.
An answer is valid when the whole answer set, with it, passes the scoring engine for that item
(``lowcarbon.core.scoring``), so the page refuses exactly what ``lowcarbon score`` would refuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.answers import AnswerSet
from lowcarbon.core.errors import AnswerError, AnswerProblems
from lowcarbon.core.messages import Message, format_points
from lowcarbon.core.numbers import NumberError, NumberSpec, parse_number, parse_whole
from lowcarbon.core.rubric import (
    ChecklistRule,
    CompositeRule,
    CountTiersRule,
    Item,
    JudgementRule,
    LevelsRule,
    PerUnitRule,
    Rubric,
    SimpleRule,
)
from lowcarbon.core.scoring import ItemResult, ItemStatus, ScoreResult, score_answers
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.evidence import (
    EvidenceRejected,
    kind_name,
    read_upload,
    sniff,
    store,
    too_large,
)
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.numbers import number_message

__all__ = [
    "ANSWER_SAVED",
    "EVIDENCE_ATTACHED",
    "EVIDENCE_REMOVED",
    "TEXT_LIMIT",
    "RunningTotal",
    "active_evidence",
    "answer_form_fields",
    "answers_running_total",
    "clean_answer",
    "do_attach_evidence",
    "do_import_answer",
    "do_remove_evidence",
    "do_save_answer",
    "engine_errors",
    "form_values",
    "item_label",
    "rubric_for",
    "running_total",
]

ANSWER_SAVED = "assessment_answer_saved"
EVIDENCE_ATTACHED = "evidence_attached"
EVIDENCE_REMOVED = "evidence_removed"
TEXT_LIMIT = 2000
TITLE_LIMIT = 200
_TRUE = {"on", "true", "1", "yes"}
_FALSE = {"false", "0", "no"}
# The placeholder reason of an unanswered judgement in the running total: it is never stored.
_UNANSWERED = "—"


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


# --- form values <-> stored answers --------------------------------------------------------


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


# --- scoring problems -> form fields ---------------------------------------------------------

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


# --- the candidate answer set ------------------------------------------------------------------


def _answers_mapping(
    application: Application, items: Mapping[str, Any], evidence: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "rubric": f"{application.kind}/{application.rubric_edition}",
        "unit": application.unit.name,
        "items": dict(items),
        "evidence": dict(evidence),
    }


def _evidence_listing(application: Application) -> dict[str, Any]:
    return {
        e.code: {"title": e.title, "file": e.original_name} for e in active_evidence(application)
    }


def _placeholder(item: Item) -> dict[str, Any]:
    """The answer an unanswered item is counted with in the running total: 0 points, never a
    constraint that zeroes its section. Never stored."""

    def choice(rule: SimpleRule) -> dict[str, Any]:
        if isinstance(rule, LevelsRule):
            return {"level": min(rule.options, key=lambda o: o.points).id}
        if isinstance(rule, ChecklistRule):
            return {"ticked": []}
        if isinstance(rule, CountTiersRule | PerUnitRule):
            return {"count": 0}
        return {"points": _stored_number(rule.minimum)}

    rule = item.rule
    answer: dict[str, Any] = (
        {"parts": {part.id: choice(part.rule) for part in rule.parts}}
        if isinstance(rule, CompositeRule)
        else choice(rule)
    )
    answer["reason"] = _UNANSWERED
    if item.constraint is not None:
        answer["constraint_met"] = True
    return answer


@dataclass(frozen=True)
class RunningTotal:
    """The score as things stand: unanswered (or no longer valid) items counted as 0."""

    result: ScoreResult
    unanswered: tuple[str, ...]
    complete: bool

    def status(self, item_id: str) -> str:
        if item_id in self.unanswered:
            return "unanswered"
        return self.result.item(item_id).status.value


def running_total(application: Application) -> RunningTotal:
    """Score the stored answers; items not yet answered are counted with 0 points.

    When everything is answered this is ``computing.score_result(application)``."""
    evidence = _evidence_listing(application)
    return answers_running_total(
        rubric_for(application),
        application.answers,
        lambda items: _answers_mapping(application, items, evidence),
    )


def answers_running_total(
    rubric: Rubric,
    answers: Mapping[str, Any],
    mapping_of: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> RunningTotal:
    """The running total of ``answers`` under ``rubric``; ``mapping_of(items)`` makes the answers
    mapping (rubric, unit, items, evidence listing) of a complete set of item answers. Shared by
    the application's self-assessment and a unit's self-evaluation report."""
    stored = dict(answers)
    unanswered = [item.id for item in rubric.items() if item.id not in stored]
    for _attempt in range(2):
        items = {
            item.id: stored[item.id] if item.id in stored else _placeholder(item)
            for item in rubric.items()
        }
        try:
            result = score_answers(rubric, answer_set_from_data(mapping_of(items)))
        except AnswerProblems as problems:
            # A stored answer that no longer fits (it was saved valid, so only an outside
            # change can do this) is shown as unanswered rather than breaking the page.
            broken = {e.item_id for e in problems.problems if e.item_id}
            for item_id in broken:
                stored.pop(item_id, None)
                if item_id not in unanswered:
                    unanswered.append(item_id)
            continue
        return RunningTotal(result, tuple(unanswered), not unanswered)
    raise AssertionError("placeholder answers always score")  # pragma: no cover


def lost_reasons(result: ItemResult, unanswered: bool) -> list[str]:
    """Why ``result`` loses points, in the user's language (notes, then what was not met)."""
    if unanswered:
        return [_("not answered yet: counted as 0")]
    lines = [note.render(_) for note in result.notes]
    if result.status is ItemStatus.NOT_APPLICABLE:
        return lines
    item = result.item
    for part, rule in _rules(item):
        part_lines = [line for line in result.lines if line.part == part]
        if isinstance(rule, JudgementRule):
            continue  # the reason given says why; there is no criterion to name
        if isinstance(rule, ChecklistRule):
            missed = [line for line in part_lines if not line.awarded]
        elif isinstance(rule, PerUnitRule):
            lines.append(local(rule.text))
            continue
        else:
            best = max(part_lines, key=lambda line: line.points, default=None)
            missed = [best] if best is not None and not best.awarded else []
        lines += [
            _("not met ({points}): {text}").format(
                points=format_points(line.points), text=local(line.text)
            )
            for line in missed
        ]
    if result.reason:
        lines.append(_("reason given: {reason}").format(reason=result.reason))
    return lines


# --- actions ---------------------------------------------------------------------------------


def _refusal(application: Application, actor: User) -> str | None:
    """Why ``actor`` may not change ``application`` now, or None."""
    if not permissions.is_own_unit(actor, application):
        return _("You can only edit your own unit's applications.")
    if not application.is_editable:
        return _(
            "The application is {status}: it can no longer be changed. Withdraw the submission "
            "first if it has to change."
        ).format(status=application.get_status_display())
    deadline = application.round.submission_deadline
    if timezone.localdate() > deadline:
        return _("The submission deadline ({deadline}) has passed.").format(
            deadline=deadline.isoformat()
        )
    return None


def _changed_items(application: Application, version: int) -> list[str]:
    """Item ids whose answers changed after ``version``, in save order."""
    events = AuditEvent.objects.filter(
        action__in=[ANSWER_SAVED, EVIDENCE_REMOVED],
        object_type=Application._meta.label,
        object_id=str(application.pk),
    ).order_by("pk")
    changed: list[str] = []
    for event in events:
        after = event.after or {}
        if after.get("answers_version", 0) <= version:
            continue
        for item_id in after.get("items", []):
            if item_id not in changed:
                changed.append(item_id)
    return changed


def _stale(application: Application, locked: Application, expected: int) -> ValidationError:
    rubric = rubric_for(application)
    names = [
        item_label(item) if (item := rubric.item(i)) else i
        for i in _changed_items(locked, expected)
    ]
    return ValidationError(
        _(
            "Someone else saved the self-assessment first (now version {current}, you started "
            "from version {expected}). Changed since: {changed}. Nothing was saved; check the "
            "item and save again."
        ).format(
            current=locked.answers_version, expected=expected, changed="、".join(names) or "—"
        ),
        code="stale",
    )


def _validate_with_engine(
    application: Application, item: Item, answer: dict[str, Any], evidence: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The scoring engine's problems with ``answer``, by form field (other items ignored)."""
    items = dict(application.answers)
    items[item.id] = answer
    return engine_errors(
        rubric_for(application), item, _answers_mapping(application, items, evidence)
    )


def engine_errors(rubric: Rubric, item: Item, mapping: Mapping[str, Any]) -> dict[str, list[str]]:
    """The scoring engine's problems with ``item``'s answer in the answers ``mapping``, by form
    field; problems of other (unanswered) items are the running total's business."""
    candidate: AnswerSet = answer_set_from_data(mapping)
    try:
        score_answers(rubric, candidate)
    except AnswerProblems as problems:
        errors: dict[str, list[str]] = {}
        for error in problems.problems:
            if error.item_id != item.id:
                continue
            field, message = problem_field(item, error)
            errors.setdefault(field, []).append(message)
        return errors
    return {}


def _answerable(application: Application, item_id: str, actor: User) -> tuple[Item, dict[str, Any]]:
    """The item to answer and the application's evidence listing; refused when the item does
    not exist or ``actor`` may not change the application now."""
    rubric = rubric_for(application)
    item = rubric.item(item_id)
    if item is None:
        raise ValidationError(
            {
                "__all__": [
                    _("The indicator system {rubric} has no item {item}.").format(
                        rubric=rubric.ref, item=item_id
                    )
                ]
            }
        )
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    return item, _evidence_listing(application)


def do_save_answer(
    application: Application,
    item_id: str,
    raw: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Save the answer to one item; the answer set with it must pass the scoring engine."""
    item, evidence = _answerable(application, item_id, actor)
    answer, errors = clean_answer(item, raw, evidence)
    if not errors:
        errors = _validate_with_engine(application, item, answer, evidence)
    if errors:
        raise ValidationError(errors)
    return _store_answer(application, item_id, answer, expected_version, actor)


def do_import_answer(
    application: Application,
    item_id: str,
    answer: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Save one item's answer given as in an answers file (``items`` of answers.yaml) rather
    than as form fields: the way a prepared self-assessment (or the demo) is brought in. The
    same checks as :func:`do_save_answer`: evidence numbers listed, the engine accepts it."""
    item, evidence = _answerable(application, item_id, actor)
    value = json.loads(json.dumps(dict(answer), default=_stored_number))
    unlisted = [code for code in value.get("evidence") or () if code not in evidence]
    errors: dict[str, list[str]] = {}
    if unlisted:
        errors["evidence"] = [
            _("Evidence {codes} is not among this application's files.").format(
                codes="、".join(unlisted)
            )
        ]
    else:
        errors = _validate_with_engine(application, item, value, evidence)
    if errors:
        raise ValidationError(errors)
    return _store_answer(application, item_id, value, expected_version, actor)


def _store_answer(
    application: Application,
    item_id: str,
    answer: dict[str, Any],
    expected_version: int,
    actor: User,
) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round", "unit")
        current = locked.get(pk=application.pk)
        if current.answers_version != expected_version:
            raise _stale(application, current, expected_version)
        before = current.answers.get(item_id)
        answers = dict(current.answers)
        answers[item_id] = answer
        current.answers = answers
        current.answers_version += 1
        current.save(update_fields=["answers", "answers_version", "updated_at"])
        record_event(
            actor=actor,
            action=ANSWER_SAVED,
            target=current,
            before={"answers_version": expected_version, "items": [item_id], "answer": before},
            after={
                "answers_version": current.answers_version,
                "items": [item_id],
                "answer": answer,
            },
        )
    return current


def do_attach_evidence(
    application: Application,
    uploaded_file: UploadedFile,
    *,
    title: str,
    items: Iterable[str],
    actor: User,
) -> Evidence:
    """Attach one evidence file: type checked by content, size by the limit, numbered E01…"""
    errors: dict[str, list[str]] = {}
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    name = (uploaded_file.name or "").strip() or "file"
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the file a title, e.g. what the document is.")]
    elif len(title) > TITLE_LIMIT:
        errors["title"] = [
            _("The title has {found} characters; at most {limit}.").format(
                found=len(title), limit=TITLE_LIMIT
            )
        ]
    rubric = rubric_for(application)
    chosen = list(dict.fromkeys(str(i) for i in items))
    unknown = [i for i in chosen if rubric.item(i) is None]
    if unknown:
        errors["items"] = [
            _("The indicator system has no item {found}.").format(found="、".join(unknown))
        ]
    limit: int = settings.LOWCARBON_UPLOAD_MAX_BYTES
    content = b""
    sniffed = None
    try:
        if uploaded_file.size is not None and uploaded_file.size > limit:
            raise EvidenceRejected(too_large(uploaded_file.size, limit))
        content = read_upload(uploaded_file.chunks(), limit)
        sniffed = sniff(content, name)
    except EvidenceRejected as rejected:
        errors["file"] = [_("{name}: {problem}").format(name=name, problem=rejected.message)]
    if sniffed is not None:
        existing = active_evidence(application).filter(sha256=sniffed.sha256).first()
        if existing is not None:
            errors["file"] = [
                _(
                    "{name}: the same file is already attached as {code} ({title}); nothing "
                    "was stored."
                ).format(name=name, code=existing.code, title=existing.title)
            ]
    if errors:
        raise ValidationError(errors)
    assert sniffed is not None
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        refusal = _refusal(locked, actor)
        if refusal:
            raise ValidationError({"__all__": [refusal]})
        duplicate = active_evidence(locked).filter(sha256=sniffed.sha256).first()
        if duplicate is not None:
            raise ValidationError(
                {
                    "file": [
                        _("The same file was just attached as {code}.").format(code=duplicate.code)
                    ]
                }
            )
        # Numbers are never reused, not even those of removed files: the audit trail and any
        # printed list keep meaning the same file.
        numbers = [
            int(code[1:])
            for code in locked.evidence.values_list("code", flat=True)
            if code[1:].isdigit()
        ]
        code = f"E{max(numbers, default=0) + 1:02d}"
        evidence = Evidence(
            application=locked,
            code=code,
            title=title,
            items=chosen,
            original_name=name[:255],
            content_kind=sniffed.kind,
            size=sniffed.size,
            sha256=sniffed.sha256,
            uploaded_by=actor,
        )
        store(evidence, content)
        evidence.save()
        record_event(
            actor=actor,
            action=EVIDENCE_ATTACHED,
            target=locked,
            after={
                "code": code,
                "title": title,
                "items": chosen,
                "file": evidence.original_name,
                "kind": sniffed.kind,
                "size": sniffed.size,
                "sha256": sniffed.sha256,
            },
        )
    return evidence


def do_remove_evidence(application: Application, code: str, *, actor: User) -> list[str]:
    """Remove evidence ``code`` from a draft; returns the items whose answers cited it.

    The row and the stored file stay (``removed_at``) for the audit trail. Answers citing the
    file lose the reference in the same transaction: a removed file must not keep supporting
    points (附件4 注: without evidence an item scores 0), and refusing instead would make the
    applicant edit every citing item first. The page says which items were affected."""
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        evidence = active_evidence(locked).filter(code=code).first()
        if evidence is None:
            raise ValidationError(
                {"__all__": [_("There is no evidence file {code} to remove.").format(code=code)]}
            )
        answers = dict(locked.answers)
        affected = [
            item_id
            for item_id, answer in answers.items()
            if code in ((answer or {}).get("evidence") or ())
        ]
        before = {item_id: answers[item_id] for item_id in affected}
        for item_id in affected:
            answer = dict(answers[item_id])
            remaining = [c for c in answer.get("evidence", []) if c != code]
            if remaining:
                answer["evidence"] = remaining
            else:
                answer.pop("evidence", None)
            answers[item_id] = answer
        if affected:
            locked.answers = answers
            locked.answers_version += 1
            locked.save(update_fields=["answers", "answers_version", "updated_at"])
        evidence.removed_at = timezone.now()
        evidence.save(update_fields=["removed_at"])
        record_event(
            actor=actor,
            action=EVIDENCE_REMOVED,
            target=locked,
            before={"code": code, "title": evidence.title, "answers": before},
            after={
                "code": code,
                "answers_version": locked.answers_version,
                "items": affected,
                "kind": kind_name(evidence.content_kind),
            },
        )
    return affected
