"""Creating an application and saving one section of it: validated, one transaction, one event."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.numbers import NumberError, NumberSpec, parse_number, year_spec
from lowcarbon.core.outline import ColumnType, ElementKind, OutlineColumn, OutlineElement
from lowcarbon.rules.geojson import GeoJsonError, parse_boundary
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications import narrative
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import application_outline, is_generated, local
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.numbers import number_message
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Kind, Round, RoundStatus

__all__ = [
    "TEXT_MAX_LENGTH",
    "changed_since",
    "clean_section_values",
    "do_create_application",
    "do_save_section",
    "same_value",
    "values_at",
]

TEXT_MAX_LENGTH = 20_000
CELL_MAX_LENGTH = 2_000
TABLE_MAX_ROWS = 200
# Numbers of the plan: quantities and table figures up to 10^12 (a zone's energy in kWh or
# yuan stays far below) with at most 6 decimal places; years of the programme's era.
NUMBER_MAXIMUM = Decimal(10) ** 12
NUMBER_PLACES = 6
YEAR_FIRST, YEAR_LAST = 1990, 2100
SECTION_SAVED = "application_section_saved"
SNAPSHOT = [
    "round_id",
    "unit_id",
    "kind",
    "status",
    "rubric_edition",
    "outline_edition",
    "factor_set_id",
    "version",
]


def do_create_application(
    round_: Round, unit: Organisation, kind: str, *, actor: User
) -> Application:
    """A new draft application of ``unit`` to ``round_`` for ``kind``: one per unit, round, kind."""
    errors: dict[str, list[str]] = {}
    if unit.kind != OrganisationKind.APPLICANT_UNIT:
        errors["unit"] = [_("Only an applicant unit can apply.")]
    elif actor.role != Role.APPLICANT or actor.organisation_id != unit.pk:
        errors["unit"] = [_("You can only apply for your own unit.")]
    if round_.status != RoundStatus.OPEN:
        errors["round"] = [_("This round is not open.")]
    elif timezone.localdate() > round_.submission_deadline:
        errors["round"] = [
            _("The submission deadline ({deadline}) has passed.").format(
                deadline=round_.submission_deadline.isoformat()
            )
        ]
    if kind not in round_.kinds:
        errors["kind"] = [_("This round is not open for that kind of demonstration.")]
    elif (
        kind == Kind.ZONE
        and unit.parent is not None
        and unit.parent.kind == OrganisationKind.STREET_TOWN
    ):
        # A practice zone is applied for by a district government or a park committee (工作方案);
        # a community under a street or town applies as a low-carbon community.
        errors["kind"] = [
            _(
                "{unit} is a community under {parent}; a low-carbon practice zone is applied for "
                "by a district government or a park committee. Apply as a low-carbon community."
            ).format(unit=unit.name, parent=unit.parent.name)
        ]
    if not errors and Application.objects.filter(round=round_, unit=unit, kind=kind).exists():
        errors["kind"] = [_("Your unit already has an application of this kind in this round.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = Application.objects.create(
            round=round_,
            unit=unit,
            kind=kind,
            rubric_edition=round_.rubric_editions[kind],
            outline_edition=round_.outline_editions[kind],
            factor_set_id=round_.factor_set_id,
        )
        record_event(
            actor=actor,
            action="application_created",
            target=application,
            after=snapshot(application, SNAPSHOT),
        )
    return application


def _number_text(number: Decimal) -> str:
    # Fixed-point, as typed without trailing zeros: "1200", "35.5" (never "1.2E+3").
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _clean_text(name: str, raw: Any) -> tuple[Any, list[str]]:
    """Narrative: HTML from the editor is sanitised; plain text is kept with its line breaks."""
    text = "" if raw is None else str(raw).strip()
    if isinstance(raw, narrative.Html):
        text = narrative.sanitise(text)
    elif narrative.is_html(text):
        # Plain text that looks like markup ("a<b"): stored as escaped HTML so that it is shown
        # exactly as typed, never read as tags.
        text = narrative.plain_to_html(text)
    if not text:
        return None, []
    if len(text) > TEXT_MAX_LENGTH:
        return None, [
            _("{element}: at most {limit} characters.").format(element=name, limit=TEXT_MAX_LENGTH)
        ]
    return text, []


def _clean_number(element: OutlineElement, name: str, raw: Any) -> tuple[Any, list[str]]:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, []
    whole = element.kind == ElementKind.INTEGER
    spec = NumberSpec(name, Decimal(0), NUMBER_MAXIMUM, 0 if whole else NUMBER_PLACES)
    try:
        number = parse_number(text, spec)
    except NumberError as error:
        return None, [number_message(error)]
    return (int(number) if whole else _number_text(number)), []


def _cell_spec(column: OutlineColumn, label: str) -> NumberSpec:
    if column.type == ColumnType.YEAR:
        return year_spec(label, YEAR_FIRST, YEAR_LAST)
    places = 0 if column.type == ColumnType.INTEGER else NUMBER_PLACES
    return NumberSpec(label, -NUMBER_MAXIMUM, NUMBER_MAXIMUM, places)


def _cell(column: OutlineColumn, text: str, where: str) -> tuple[Any, ValidationError | None]:
    """One table cell: its stored value, or the error naming row, column and what was typed."""
    heading = local(column.label)
    if not text:
        if column.required:
            return None, ValidationError(
                _("{where}: {column} is required.").format(where=where, column=heading)
            )
        return None, None
    if column.type == ColumnType.TEXT:
        if len(text) > CELL_MAX_LENGTH:
            return None, ValidationError(
                _("{where}, {column}: at most {limit} characters.").format(
                    where=where, column=heading, limit=CELL_MAX_LENGTH
                )
            )
        return text, None
    if column.type == ColumnType.DATE:
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, ValidationError(
                _(
                    "{where}, {column}: “{value}” is not a date; enter it as YYYY-MM-DD, "
                    "e.g. 2026-03-01."
                ).format(where=where, column=heading, value=text)
            )
    spec = _cell_spec(column, _("{where}, {column}").format(where=where, column=heading))
    try:
        number = parse_number(text, spec)
    except NumberError as error:
        return None, ValidationError(number_message(error))
    if spec.whole:
        return int(number), None
    return _number_text(number), None


def _earlier_value(
    columns: Mapping[str, OutlineColumn], row: Mapping[str, Any], column: OutlineColumn
) -> tuple[OutlineColumn, Any] | None:
    """The filled column this one may not precede: its ``not_before``, or that one's, …"""
    earlier_id = column.not_before
    while earlier_id is not None:
        earlier = columns[earlier_id]
        if row.get(earlier_id) is not None:
            return earlier, row[earlier_id]
        earlier_id = earlier.not_before
    return None


def _clean_table(element: OutlineElement, name: str, raw: Any) -> tuple[Any, list[Any]]:
    """Rows in the order shown; blank rows are dropped; row numbers are those shown."""
    rows = list(raw or [])
    columns = {column.id: column for column in element.columns}
    errors: list[Any] = []
    cleaned: list[dict[str, Any]] = []
    for number, raw_row in enumerate(rows, start=1):
        texts = {key: str(raw_row.get(key) or "").strip() for key in columns}
        if not any(texts.values()):
            continue
        where = _("{element}, row {row}").format(element=name, row=number)
        row: dict[str, Any] = {}
        for column in element.columns:
            value, problem = _cell(column, texts[column.id], where)
            if problem is not None:
                problem.code = f"cell:{number}:{column.id}"
                errors.append(problem)
            elif value is not None:
                row[column.id] = value
        for column in element.columns:
            found = _earlier_value(columns, row, column)
            if row.get(column.id) is None or found is None:
                continue
            earlier, earlier_value = found
            if row[column.id] < earlier_value:
                errors.append(
                    ValidationError(
                        _("{where}: {column} ({value}) is before {other} ({other_value}).").format(
                            where=where,
                            column=local(column.label),
                            value=row[column.id],
                            other=local(earlier.label),
                            other_value=earlier_value,
                        ),
                        code=f"cell:{number}:{column.id}",
                    )
                )
        cleaned.append(row)
    if len(cleaned) > TABLE_MAX_ROWS:
        errors.append(
            _("{element}: at most {limit} rows.").format(element=name, limit=TABLE_MAX_ROWS)
        )
    return (cleaned or None), errors


def _clean_list(name: str, raw: Any) -> tuple[Any, list[Any]]:
    entries: list[str] = []
    errors: list[Any] = []
    for number, item in enumerate(raw or [], start=1):
        text = str(item or "").strip()
        if not text:
            continue
        if len(text) > CELL_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("{element}, entry {row}: at most {limit} characters.").format(
                        element=name, row=number, limit=CELL_MAX_LENGTH
                    ),
                    code=f"cell:{number}:text",
                )
            )
        entries.append(text)
    if len(entries) > TABLE_MAX_ROWS:
        errors.append(
            _("{element}: at most {limit} entries.").format(element=name, limit=TABLE_MAX_ROWS)
        )
    return (entries or None), errors


def _clean_geometry(name: str, raw: Any, current: Any) -> tuple[Any, list[str]]:
    """``{geometry, four_sides, area_km2}``; a new file replaces the geometry, none keeps it."""
    raw = raw if isinstance(raw, Mapping) else {}
    if raw.get("clear"):
        return None, []
    four_sides = str(raw.get("four_sides") or "").strip()
    content = raw.get("geojson") or b""
    value = dict(current) if isinstance(current, Mapping) and not raw.get("clear") else {}
    if content and (not isinstance(content, str) or content.strip()):
        try:
            boundary = parse_boundary(content)
        except GeoJsonError as problem:
            return None, [
                _("{element}: the boundary file cannot be used: {problem}").format(
                    element=name, problem=problem.message.render(_)
                )
            ]
        value["geometry"] = boundary.geometry
        value["area_km2"] = str(boundary.area_km2.quantize(Decimal("0.0001")))
    if not value.get("geometry"):
        if four_sides:
            return None, [
                _("{element}: upload or paste the boundary file (GeoJSON) as well.").format(
                    element=name
                )
            ]
        return None, []
    if not four_sides:
        return None, [
            _(
                "{element}: enter the four sides (四至) as well: what the boundary meets to the "
                "east, south, west and north."
            ).format(element=name)
        ]
    if len(four_sides) > CELL_MAX_LENGTH:
        return None, [
            _("{element}: at most {limit} characters.").format(element=name, limit=CELL_MAX_LENGTH)
        ]
    value["four_sides"] = four_sides
    return value, []


def _clean(element: OutlineElement, raw: Any, current: Any = None) -> tuple[Any, list[Any]]:
    """``(value, errors)``: the stored form of ``raw`` for ``element``; ``None`` when blank.

    ``current`` is the stored value, which a boundary keeps when no new file comes with it.
    """
    name = local(element.label)
    if element.kind == ElementKind.TEXT:
        return _clean_text(name, raw)
    if element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
        return _clean_number(element, name, raw)
    if element.kind == ElementKind.TABLE:
        return _clean_table(element, name, raw)
    if element.kind == ElementKind.LIST:
        return _clean_list(name, raw)
    return _clean_geometry(name, raw, current)


def changed_since(application: Application, version: int) -> list[str]:
    """Element ids whose values changed in the saves after ``version``, in save order."""
    events = AuditEvent.objects.filter(
        action=SECTION_SAVED,
        object_type=Application._meta.label,
        object_id=str(application.pk),
    ).order_by("pk")
    changed: list[str] = []
    for event in events:
        after, before = event.after or {}, event.before or {}
        if after.get("version", 0) <= version:
            continue
        old, new = before.get("values", {}), after.get("values", {})
        for element_id in new:
            if old.get(element_id) != new.get(element_id) and element_id not in changed:
                changed.append(element_id)
    return changed


def same_value(element: OutlineElement, one: Any, other: Any) -> bool:
    """Whether two stored forms of ``element``'s value say the same: as the JSON column keeps
    them, and a narrative as the HTML a page shows (plain text reads as its paragraphs)."""
    if element.kind == ElementKind.TEXT and isinstance(one, str) and isinstance(other, str):
        return str(narrative.to_html(one)) == str(narrative.to_html(other))
    encoded = [json.loads(json.dumps(v, cls=DjangoJSONEncoder)) for v in (one, other)]
    return bool(encoded[0] == encoded[1])


def clean_section_values(
    application: Application,
    section_id: str,
    values: Mapping[str, Any],
    *,
    stored: Mapping[str, Any],
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The stored form of each value typed for ``section_id`` (a blank value is ``None``);
    the problems go into ``errors`` by element id. ``stored`` is what a boundary keeps when no
    new file comes with it."""
    errors = {} if errors is None else errors
    section = application_outline(application).section(section_id)
    elements = {} if section is None else {element.id: element for element in section.elements}
    cleaned: dict[str, Any] = {}
    for element_id, raw in values.items():
        element = elements.get(element_id)
        if element is None:
            errors[element_id] = [
                _("Section {section} has no element '{element}'.").format(
                    section=section_id, element=element_id
                )
            ]
            continue
        if is_generated(element):
            errors[element_id] = [
                _(
                    "“{element}” is made from the tasks and key projects: change them on the "
                    "page “Tasks and key projects”."
                ).format(element=local(element.label))
            ]
            continue
        value, problems = _clean(element, raw, stored.get(element_id))
        if problems:
            errors[element_id] = problems
        else:
            cleaned[element_id] = value
    return cleaned


def values_at(application: Application, version: int, element_ids: Iterable[str]) -> dict[str, Any]:
    """What each of ``element_ids`` held at ``version`` of ``application``: the value before the
    first later save that changed it (the audit trail keeps it), else the stored one."""
    wanted = set(element_ids)
    found: dict[str, Any] = {}
    events = AuditEvent.objects.filter(
        action=SECTION_SAVED,
        object_type=Application._meta.label,
        object_id=str(application.pk),
    ).order_by("pk")
    for event in events:
        after, before = event.after or {}, event.before or {}
        if after.get("version", 0) <= version:
            continue
        old = before.get("values", {})
        for element_id in after.get("values", {}):
            if element_id in wanted and element_id not in found:
                found[element_id] = old.get(element_id)
    stored = application.sections
    return {i: found[i] if i in found else stored.get(i) for i in sorted(wanted)}


def do_save_section(
    application: Application,
    section_id: str,
    values: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
    resolved: Mapping[str, str] | None = None,
) -> Application:
    """Save the elements of one outline section; refused when someone else saved first.

    ``resolved`` records, after such a refusal, what the person chose for each element both
    had changed (``theirs`` or ``mine``); it goes into the audit event."""
    outline = application_outline(application)
    section = outline.section(section_id)
    if section is None:
        raise ValidationError(
            {"section": [_("The plan outline has no section {id}.").format(id=section_id)]}
        )
    errors: dict[str, list[str]] = {}
    if actor.role != Role.APPLICANT or actor.organisation_id != application.unit_id:
        errors["__all__"] = [_("You can only edit your own unit's applications.")]
    elif not application.is_editable:
        errors["__all__"] = [
            _("This application is {status} and can no longer be edited.").format(
                status=application.get_status_display()
            )
        ]
    elif timezone.localdate() > application.round.submission_deadline:
        errors["__all__"] = [
            _(
                "The submission deadline ({deadline}) has passed; the application can no "
                "longer be edited."
            ).format(deadline=application.round.submission_deadline.isoformat())
        ]
    cleaned = clean_section_values(
        application, section_id, values, stored=application.sections, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.version != expected_version:
            changed = changed_since(locked, expected_version)
            names = [
                local(element.label) if (element := outline.element(i)) else i for i in changed
            ]
            raise ValidationError(
                _(
                    "Someone else saved this application first (now version {current}, you "
                    "started from version {expected}). Changed since: {changed}. Nothing was saved."
                ).format(
                    current=locked.version,
                    expected=expected_version,
                    changed="、".join(names) or "—",
                ),
                code="stale",
            )
        # Only what changed goes into the audit trail (a boundary can be large).
        # A narrative saved unchanged keeps its stored form: the editor posts stored plain text
        # back as paragraphs, which is not a change of anyone's.
        elements = {element.id: element for element in section.elements}
        changed_values = {
            key: value
            for key, value in cleaned.items()
            if not same_value(elements[key], locked.sections.get(key), value)
        }
        before = {key: locked.sections.get(key) for key in changed_values}
        contents = dict(locked.sections)
        for key, value in changed_values.items():
            if value is None:
                contents.pop(key, None)
            else:
                contents[key] = value
        locked.sections = contents
        locked.version += 1
        locked.save(update_fields=["sections", "version", "updated_at"])
        record_event(
            actor=actor,
            action=SECTION_SAVED,
            target=locked,
            before={"section": section_id, "version": expected_version, "values": before},
            after={
                "section": section_id,
                "version": locked.version,
                "values": changed_values,
                **({"resolved": dict(resolved)} if resolved else {}),
            },
        )
    return locked
