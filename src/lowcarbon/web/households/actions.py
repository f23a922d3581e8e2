"""Writes to the household ledger: registering a household, its resident account, and its
months. Each is checked first (every problem named: field, value found, what is expected), then
written in one transaction with one audit event; a change of a month checks the version it was
made from and needs a reason.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.actions import do_create_user
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.households.models import Household, LedgerMonth, LedgerSource
from lowcarbon.web.organisations.models import Organisation, OrganisationKind

__all__ = [
    "FIRST_YEAR",
    "LABEL_LIMIT",
    "MAX_MEMBERS",
    "MonthInput",
    "do_change_household",
    "do_change_month",
    "do_create_resident_account",
    "do_link_resident_account",
    "do_record_month",
    "do_register_household",
]

LABEL_LIMIT = 100
MAX_MEMBERS = 20
FIRST_YEAR = 2000
REASON_LIMIT = 500


@dataclass(frozen=True)
class MonthInput:
    """One month's figures as the form parsed them (the numbers already in their bounds)."""

    month: date | None  # the first day of the month
    electricity_kwh: Decimal | None
    gas_m3: Decimal | None
    water_m3: Decimal | None
    source: str


def _refuse(message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [message]})


def _committee(actor: User, unit: Organisation) -> None:
    if not permissions.can_manage_households(actor, unit):
        raise _refuse(_("Only the community's residents' committee registers its households."))


def _label(value: str, errors: dict[str, list[str]]) -> str:
    value = " ".join((value or "").split())
    if not value:
        errors["label"] = [_("Give the household's address, such as 12号楼 3单元 502.")]
    elif len(value) > LABEL_LIMIT:
        errors["label"] = [
            _("The address has {found} characters; at most {limit}.").format(
                found=len(value), limit=LABEL_LIMIT
            )
        ]
    return value


def _members(value: int | None, errors: dict[str, list[str]]) -> int:
    if value is None or not 1 <= value <= MAX_MEMBERS:
        errors["members"] = [
            _("Members: “{found}”; a whole number from 1 to {limit} is expected.").format(
                found="" if value is None else value, limit=MAX_MEMBERS
            )
        ]
        return 0
    return value


def _unique_label(
    unit: Organisation, label: str, errors: dict[str, list[str]], pk: int = 0
) -> None:
    if label and Household.objects.filter(unit=unit, label=label).exclude(pk=pk).exists():
        errors["label"] = [
            _("The community already has a household at “{label}”.").format(label=label)
        ]


def do_register_household(
    unit: Organisation,
    *,
    label: str,
    members: int | None,
    actor: User,
    now: datetime | None = None,
) -> Household:
    """A household of the community, registered by its residents' committee."""
    _committee(actor, unit)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if unit.kind != OrganisationKind.APPLICANT_UNIT:
        errors["__all__"] = [_("Households belong to a community (an applicant unit).")]
    label = _label(label, errors)
    count = _members(members, errors)
    _unique_label(unit, label, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = Household.objects.create(
            unit=unit,
            label=label,
            members=count,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        record_event(
            actor=actor,
            action="household_registered",
            target=household,
            after={"label": label, "members": count, "unit": unit.pk},
        )
    return household


def do_change_household(
    household: Household,
    *,
    label: str,
    members: int | None,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Household:
    """The household's address or members changed by the committee."""
    _committee(actor, household.unit)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    label = _label(label, errors)
    count = _members(members, errors)
    _unique_label(household.unit, label, errors, household.pk)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.version != expected_version:
            raise _refuse(_("Someone changed this household meanwhile; reload the page."))
        before = {"label": locked.label, "members": locked.members}
        locked.label, locked.members = label, count
        locked.updated_at = now
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="household_changed",
            target=locked,
            before=before,
            after={"label": label, "members": count},
        )
    return locked


def draw_password(username: str) -> str:
    """A random first password the site's password rules accept for ``username``."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, User(username=username))
        except ValidationError:
            continue
        return password


def do_create_resident_account(
    household: Household,
    *,
    username: str,
    full_name: str = "",
    actor: User,
) -> tuple[User, str]:
    """A resident account for the household, made by the committee: the account and its first
    password (shown once, to hand to the resident). A household has at most one account."""
    _committee(actor, household.unit)
    if household.resident_id is not None:
        raise _refuse(_("The household already has a resident account."))
    username = (username or "").strip()
    password = draw_password(username or "resident")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.resident_id is not None:
            raise _refuse(_("The household already has a resident account."))
        user = do_create_user(
            username=username,
            password=password,
            role=Role.RESIDENT,
            organisation=household.unit,
            actor=actor,
            full_name=full_name.strip()[:150],
        )
        locked.resident = user
        locked.version += 1
        locked.save(update_fields=["resident", "version"])
        record_event(
            actor=actor,
            action="household_account_created",
            target=locked,
            after={"resident": user.get_username()},
        )
    household.resident, household.version = user, locked.version
    return user, password


def do_link_resident_account(household: Household, user: User, *, actor: User) -> Household:
    """An existing resident account of the community linked to the household (a resident keeps
    the ledger of one household only)."""
    _committee(actor, household.unit)
    if user.role != Role.RESIDENT or user.organisation_id != household.unit_id:
        raise _refuse(_("Only a resident account of this community can keep its ledger."))
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.resident_id is not None or Household.objects.filter(resident=user).exists():
            raise _refuse(_("The household or the account is already linked."))
        locked.resident = user
        locked.version += 1
        locked.save(update_fields=["resident", "version"])
        record_event(
            actor=actor,
            action="household_account_linked",
            target=locked,
            after={"resident": user.get_username()},
        )
    return locked


def _month_values(
    data: MonthInput, now: datetime, errors: dict[str, list[str]]
) -> dict[str, object]:
    today = local_date(now)
    if data.month is None:
        errors["month"] = [_("Give the month of the bill, as year-month such as 2025-03.")]
    elif data.month.year < FIRST_YEAR or data.month > today.replace(day=1):
        errors["month"] = [
            _("Month: “{found}”; a month from {first}-01 to {last} is expected.").format(
                found=f"{data.month:%Y-%m}",
                first=FIRST_YEAR,
                last=f"{today:%Y-%m}",
            )
        ]
    for name, value in (
        ("electricity_kwh", data.electricity_kwh),
        ("gas_m3", data.gas_m3),
        ("water_m3", data.water_m3),
    ):
        if value is None:
            errors[name] = [_("Give this figure from the bill; 0 if the household used none.")]
    if data.source not in LedgerSource.values:
        errors["source"] = [
            _("Source: “{found}”; one of {expected} is expected.").format(
                found=data.source[:40],
                expected="、".join(str(label) for label in LedgerSource.labels),
            )
        ]
    return {
        "electricity_kwh": data.electricity_kwh,
        "gas_m3": data.gas_m3,
        "water_m3": data.water_m3,
        "source": data.source,
    }


def _audited(values: dict[str, object]) -> dict[str, object]:
    return {k: str(v) if isinstance(v, Decimal | date) else v for k, v in values.items()}


def _keeper(actor: User, household: Household) -> None:
    if not permissions.can_record_ledger(actor, household):
        raise _refuse(_("Only the household and its residents' committee keep its ledger."))


def do_record_month(
    household: Household, data: MonthInput, *, actor: User, now: datetime | None = None
) -> LedgerMonth:
    """A month of the household's ledger, recorded for the first time."""
    _keeper(actor, household)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    values = _month_values(data, now, errors)
    if (
        data.month is not None
        and "month" not in errors
        and LedgerMonth.objects.filter(household=household, month=data.month).exists()
    ):
        errors["month"] = [
            _("{month} is already recorded; change that month instead.").format(
                month=f"{data.month:%Y-%m}"
            )
        ]
    if errors:
        raise ValidationError(errors)
    assert data.month is not None
    with transaction.atomic():
        entry = LedgerMonth.objects.create(
            household=household,
            month=data.month,
            recorded_by=actor,
            recorded_at=now,
            updated_at=now,
            **values,
        )
        record_event(
            actor=actor,
            action="ledger_month_recorded",
            target=entry,
            after=_audited(values) | {"month": f"{data.month:%Y-%m}"},
        )
    return entry


def do_change_month(
    entry: LedgerMonth,
    data: MonthInput,
    *,
    reason: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> LedgerMonth:
    """A recorded month's figures corrected, with the reason; its month stays."""
    _keeper(actor, entry.household)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    values = _month_values(MonthInput(entry.month, *_figures(data)), now, errors)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the recorded figures change.")]
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = [
            _("The reason has {found} characters; at most {limit}.").format(
                found=len(reason), limit=REASON_LIMIT
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = LedgerMonth.objects.select_for_update().get(pk=entry.pk)
        if locked.version != expected_version:
            raise _refuse(_("Someone changed this month meanwhile; reload the page and try again."))
        before = _audited({key: getattr(locked, key) for key in values})
        for key, value in values.items():
            setattr(locked, key, value)
        locked.updated_at = now
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="ledger_month_changed",
            target=locked,
            before=before,
            after=_audited(values),
            reason=reason,
        )
    return locked


def _figures(data: MonthInput) -> tuple[Decimal | None, Decimal | None, Decimal | None, str]:
    return data.electricity_kwh, data.gas_m3, data.water_m3, data.source
