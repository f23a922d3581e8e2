"""Creating an application and saving one section of it: validated, one transaction, one event."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.outline import ElementKind, OutlineElement
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application, ApplicationStatus
from lowcarbon.web.applications.outlines import application_outline, is_editable, local
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event, snapshot
from lowcarbon.web.organisations.models import Organisation, OrganisationKind
from lowcarbon.web.rounds.models import Round, RoundStatus

__all__ = ["TEXT_MAX_LENGTH", "do_create_application", "do_save_section"]

TEXT_MAX_LENGTH = 20_000
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


def _clean(element: OutlineElement, raw: Any) -> tuple[Any, str | None]:
    """``(value, error)``: the stored form of ``raw`` for ``element``; ``None`` when left blank."""
    name = local(element.label)
    if not is_editable(element):
        return None, _("{element}: this kind of content cannot be entered here yet.").format(
            element=name
        )
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, None
    if element.kind == ElementKind.TEXT:
        if len(text) > TEXT_MAX_LENGTH:
            return None, _("{element}: at most {limit} characters.").format(
                element=name, limit=TEXT_MAX_LENGTH
            )
        return text, None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if element.kind == ElementKind.INTEGER:
        if not number.is_finite() or number < 0 or number != number.to_integral_value():
            return None, _("{element}: enter a whole number of 0 or more.").format(element=name)
        return int(number), None
    if not number.is_finite() or number < 0:
        return None, _("{element}: enter a number of 0 or more.").format(element=name)
    return str(number.normalize() if number != 0 else Decimal(0)), None


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


def do_save_section(
    application: Application,
    section_id: str,
    values: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Save the elements of one outline section; refused when someone else saved first."""
    outline = application_outline(application)
    section = outline.section(section_id)
    if section is None:
        raise ValidationError(
            {"section": [_("The plan outline has no section {id}.").format(id=section_id)]}
        )
    elements = {element.id: element for element in section.elements}
    errors: dict[str, list[str]] = {}
    if actor.role != Role.APPLICANT or actor.organisation_id != application.unit_id:
        errors["__all__"] = [_("You can only edit your own unit's applications.")]
    elif application.status != ApplicationStatus.DRAFT:
        errors["__all__"] = [_("Only a draft application can be edited.")]
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
        value, problem = _clean(element, raw)
        if problem:
            errors[element_id] = [problem]
        else:
            cleaned[element_id] = value
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
        before = {key: locked.sections.get(key) for key in cleaned}
        contents = dict(locked.sections)
        for key, value in cleaned.items():
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
            after={"section": section_id, "version": locked.version, "values": cleaned},
        )
    return locked
