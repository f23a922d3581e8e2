"""A household's ledger fed from its meters (issue 17 §5: a household "records its monthly
electricity, gas and water from bills or receives them from its meters").

The residents' committee links meters of its community's register (``monitoring.Meter`` of use
``household``, carrier electricity, gas or water) to its households; the feed then runs the
monitoring system's monthly job over the community's partition
(:func:`lowcarbon.monitoring.monthly.monthly`) and turns the per-meter-month figures into
ledger months. The rules, the platform's choice (docs/user-guide.zh.md):

* a household's carrier in a month is the sum of its linked meters of that carrier, and is as
  complete as its least complete meter (a linked meter without readings that month: 0 %);
* it is taken into the ledger only when at least :data:`FEED_COMPLETENESS` complete; otherwise
  it is left out, with the reason, and the month stays as it was;
* only finished months are taken, and only within a link's months (from ``since``, up to the
  month the meter was unlinked);
* a month without a ledger row gets one of source ``meter``; a carrier no linked meter measures
  stays empty (``None``: not recorded), never 0;
* a month of source ``meter`` follows the meters: a later run that finds other figures changes
  it with a version bump and the reason "meter data changed", audited like any change;
* a month recorded from a bill or by the committee is never overwritten: the meter's figure is
  kept beside it (:class:`MeteredMonth` of status ``bill_kept``) and shown, and the committee
  may take the meter's figures instead (:func:`do_take_metered_month`);
* a run that finds nothing new writes nothing (no row, no audit event): run it as often as you
  like (``manage.py household_ledger_from_meters``, monthly from cron).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import duckdb
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.metering import MonthlyFigures
from lowcarbon.monitoring.monthly import monthly
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.households.models import (
    Household,
    HouseholdMeter,
    LedgerMonth,
    LedgerSource,
    MeteredMonth,
    MeteredStatus,
)
from lowcarbon.web.monitoring.models import Meter, MeterUse
from lowcarbon.web.monitoring.stores import community_key, factor_set_of, monitoring_store
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "CARRIER_FIELDS",
    "FEED_COMPLETENESS",
    "FeedReport",
    "Metered",
    "do_feed_from_meters",
    "do_link_meter",
    "do_take_metered_month",
    "do_unlink_meter",
    "linkable_meters",
    "live_links",
    "meter_notes",
    "metered_months",
    "percent",
]

logger = logging.getLogger(__name__)

#: A carrier's month is taken into the ledger only when its meters' readings cover at least
#: this share of the month's intervals (measured or estimated; flagged ones do not count).
FEED_COMPLETENESS = Decimal("0.9")
#: The ledger's field of each carrier a household meter may measure (heat has none).
CARRIER_FIELDS = {"electricity": "electricity_kwh", "gas": "gas_m3", "water": "water_m3"}
CENT = Decimal("0.01")


def _refuse(message: str, name: str = "__all__") -> ValidationError:
    return ValidationError({name: [message]})


def _committee(actor: User, unit: Organisation) -> None:
    if not permissions.can_manage_households(actor, unit):
        raise _refuse(
            _("Only the community's residents' committee links meters and feeds ledgers.")
        )


def _first_of(moment: datetime) -> date:
    return local_date(moment).replace(day=1)


def live_links(household: Household) -> list[HouseholdMeter]:
    return list(
        HouseholdMeter.objects.filter(household=household, unlinked_at__isnull=True)
        .select_related("meter")
        .order_by("meter__number")
    )


def linkable_meters(unit: Organisation) -> list[Meter]:
    """The unit's household meters of electricity, gas or water not linked to a household."""
    linked = HouseholdMeter.objects.filter(unlinked_at__isnull=True).values("meter_id")
    return list(
        Meter.objects.filter(unit=unit, use=MeterUse.HOUSEHOLD, carrier__in=CARRIER_FIELDS)
        .exclude(pk__in=linked)
        .order_by("number")
    )


def do_link_meter(
    household: Household,
    meter: Meter,
    *,
    since: date | None = None,
    actor: User,
    now: datetime | None = None,
) -> HouseholdMeter:
    """``meter`` measures ``household`` from ``since`` (its first month counted; ``None``: all
    the meter's months, or those from the month it was last unlinked). Refused, naming the
    meter: a meter of another unit, one that does not measure a household, one of heat, one
    already linked."""
    _committee(actor, household.unit)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if meter.unit_id != household.unit_id:
        errors["meter"] = [
            _("Meter {number} is not in this community's register.").format(number=meter.number)
        ]
    elif meter.use != MeterUse.HOUSEHOLD:
        errors["meter"] = [
            _(
                "Meter {number} measures {use}, not a household: only household meters feed a "
                "household's ledger."
            ).format(number=meter.number, use=meter.get_use_display())
        ]
    elif meter.carrier not in CARRIER_FIELDS:
        errors["meter"] = [
            _(
                "Meter {number} measures {carrier}; the ledger records electricity, natural gas "
                "and water."
            ).format(number=meter.number, carrier=meter.get_carrier_display())
        ]
    if since is not None and (since.day != 1 or since > _first_of(now)):
        errors["since"] = [
            _("Counts from: “{found}”; a month up to {last} is expected.").format(
                found=f"{since:%Y-%m}", last=f"{_first_of(now):%Y-%m}"
            )
        ]
    if errors:
        raise ValidationError(errors)
    if since is None:
        # A meter that measured another household before counts from the month it was
        # unlinked there: no month is fed to two households.
        last = (
            HouseholdMeter.objects.filter(meter=meter, unlinked_at__isnull=False)
            .order_by("-unlinked_at")
            .first()
        )
        if last is not None and last.unlinked_at is not None:
            since = _first_of(last.unlinked_at)
    with transaction.atomic():
        Meter.objects.select_for_update().get(pk=meter.pk)
        taken = (
            HouseholdMeter.objects.filter(meter=meter, unlinked_at__isnull=True)
            .select_related("household")
            .first()
        )
        if taken is not None:
            raise _refuse(
                _("Meter {number} is already linked to {household}; unlink it there first.").format(
                    number=meter.number, household=taken.household.label
                ),
                "meter",
            )
        link = HouseholdMeter.objects.create(
            household=household, meter=meter, since=since, linked_by=actor, linked_at=now
        )
        record_event(
            actor=actor,
            action="household_meter_linked",
            target=household,
            after={
                "meter": meter.number,
                "carrier": meter.carrier,
                "since": None if since is None else f"{since:%Y-%m}",
            },
        )
    return link


def do_unlink_meter(
    link: HouseholdMeter, *, actor: User, now: datetime | None = None
) -> HouseholdMeter:
    """The meter no longer measures the household (it moved out, the meter serves another
    flat): the link stays as history, its months already in the ledger stay, and the feed takes
    none of the meter's months from this month on."""
    _committee(actor, link.household.unit)
    now = now or timezone.now()
    with transaction.atomic():
        locked = HouseholdMeter.objects.select_for_update().select_related("meter").get(pk=link.pk)
        if locked.unlinked_at is not None:
            raise _refuse(
                _("Meter {number} is no longer linked to this household.").format(
                    number=locked.meter.number
                )
            )
        locked.unlinked_at, locked.unlinked_by = now, actor
        locked.save(update_fields=["unlinked_at", "unlinked_by"])
        record_event(
            actor=actor,
            action="household_meter_unlinked",
            target=link.household,
            before={"meter": locked.meter.number},
        )
    return locked


# --- the feed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metered:
    """What a household's meters of one carrier gave in one month."""

    household: Household
    month: date
    carrier: str
    amount: Decimal  # in the carrier's unit: kWh, m³
    completeness: Decimal  # 0 to 1: the least complete of the meters
    meters: tuple[str, ...]  # their numbers

    @property
    def complete(self) -> bool:
        return self.completeness >= FEED_COMPLETENESS

    @property
    def ledger_value(self) -> Decimal:
        return self.amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _covers(link: HouseholdMeter, month: date) -> bool:
    if link.since is not None and month < link.since:
        return False
    return link.unlinked_at is None or month < _first_of(link.unlinked_at)


def _month_of(text: str) -> date:
    year, number = text.split("-")
    return date(int(year), int(number), 1)


def _figures_by_meter(unit: Organisation) -> dict[str, dict[date, MonthlyFigures]]:
    try:
        report = monthly(
            monitoring_store(), set_id=factor_set_of(unit), communities=[community_key(unit)]
        )
    except (LowcarbonError, OSError, duckdb.Error):
        logger.exception("monthly job failed for the household feed of unit %s", unit.pk)
        raise _refuse(
            _(
                "The monitoring system's monthly figures could not be read; no ledger was "
                "changed. Try again; if it happens again, tell the administrator."
            )
        ) from None
    found: dict[str, dict[date, MonthlyFigures]] = defaultdict(dict)
    for figures in report.figures:
        found[figures.meter][_month_of(figures.month)] = figures
    return found


def metered_months(unit: Organisation, *, month: date | None, now: datetime) -> list[Metered]:
    """Every finished month (or ``month`` alone) of the unit's households with figures from a
    linked meter, per carrier, from the monitoring system's monthly job."""
    links = list(
        HouseholdMeter.objects.filter(household__unit=unit).select_related("meter", "household")
    )
    if not links:
        return []
    figures = _figures_by_meter(unit)
    current = _first_of(now)
    months: dict[int, set[date]] = defaultdict(set)
    for link in links:
        for found in figures.get(link.meter.store_id, {}):
            if _covers(link, found) and found < current and (month is None or found == month):
                months[link.household_id].add(found)
    # Per household, month and carrier, each meter once (a meter linked again to the same
    # household has two links covering the same months).
    groups: dict[tuple[int, date, str], dict[int, tuple[Meter, MonthlyFigures | None]]] = (
        defaultdict(dict)
    )
    households: dict[int, Household] = {}
    for link in links:
        households[link.household_id] = link.household
        for found in months[link.household_id]:
            if _covers(link, found):
                key = (link.household_id, found, link.meter.carrier)
                groups[key][link.meter.pk] = (
                    link.meter,
                    figures.get(link.meter.store_id, {}).get(found),
                )
    result = []
    for (household_id, found, carrier), by_meter in sorted(groups.items()):
        meters = list(by_meter.values())
        result.append(
            Metered(
                household=households[household_id],
                month=found,
                carrier=carrier,
                amount=sum((f.consumption for _m, f in meters if f is not None), Decimal(0)),
                completeness=min(
                    (f.completeness if f is not None else Decimal(0)) for _m, f in meters
                ),
                meters=tuple(sorted(m.number for m, _f in meters)),
            )
        )
    return result


def percent(share: Decimal) -> str:
    return f"{share * 100:.1f} %"


@dataclass
class FeedReport:
    """What a run of the feed did: months added and changed, bills kept beside a meter's
    figure, and the carrier-months left out (each with its reason)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    bills_kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kept: int = 0  # metered rows unchanged since the last run

    @property
    def wrote(self) -> bool:
        return bool(self.added or self.changed)

    def summary(self) -> str:
        return _(
            "{added} months added, {changed} changed from the meters, {bills} bills kept beside "
            "their meter figures, {skipped} carrier-months left out as incomplete."
        ).format(
            added=len(self.added),
            changed=len(self.changed),
            bills=len(self.bills_kept),
            skipped=len(self.skipped),
        )


def _where(household: Household, month: date) -> str:
    return f"{household.label} {month:%Y-%m}"


def _audited(entry: LedgerMonth) -> dict[str, str | None]:
    return {
        name: None if getattr(entry, name) is None else str(getattr(entry, name))
        for name in CARRIER_FIELDS.values()
    } | {"source": entry.source}


def _status_of(item: Metered, entry: LedgerMonth | None) -> str:
    if not item.complete:
        return MeteredStatus.INCOMPLETE
    if entry is not None and entry.source != LedgerSource.METER:
        return MeteredStatus.BILL_KEPT
    return MeteredStatus.TAKEN


def _keep_metered(item: Metered, status: str, row: MeteredMonth | None, now: datetime) -> bool:
    """The carrier-month as the meters gave it this run; whether anything changed."""
    values = {
        "amount": item.amount,
        "completeness": item.completeness,
        "meters": "、".join(item.meters)[:500],
        "status": status,
    }
    if row is None:
        MeteredMonth.objects.create(
            household=item.household,
            month=item.month,
            carrier=item.carrier,
            fed_at=now,
            **values,
        )
        return True
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    row.fed_at = now
    row.save()
    return True


def _feed_month(
    household: Household,
    month: date,
    items: list[Metered],
    entry: LedgerMonth | None,
    report: FeedReport,
    actor: User | None,
    now: datetime,
) -> LedgerMonth | None:
    """The ledger's month after this run's figures (``None``: still none)."""
    where = _where(household, month)
    taken = {CARRIER_FIELDS[i.carrier]: i.ledger_value for i in items if i.complete}
    for item in items:
        if not item.complete:
            report.skipped.append(
                _(
                    "{where}: the {kind} {meters} is {share} complete, below {needed}; not "
                    "taken into the ledger."
                ).format(
                    where=where,
                    kind=_kind(item.carrier),
                    meters="、".join(item.meters),
                    share=percent(item.completeness),
                    needed=percent(FEED_COMPLETENESS),
                )
            )
    if entry is None:
        if not taken:
            return None
        entry = LedgerMonth.objects.create(
            household=household,
            month=month,
            source=LedgerSource.METER,
            recorded_by=actor,
            recorded_at=now,
            updated_at=now,
            **taken,
        )
        record_event(
            actor=actor,
            action="ledger_month_metered",
            target=entry,
            after=_audited(entry) | {"month": f"{month:%Y-%m}"},
        )
        report.added.append(where)
        return entry
    if entry.source != LedgerSource.METER:
        if taken:
            report.bills_kept.append(where)
        return entry
    changes = {name: value for name, value in taken.items() if getattr(entry, name) != value}
    if not changes:
        return entry
    before = _audited(entry)
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.updated_at = now
    entry.version += 1
    entry.save()
    record_event(
        actor=actor,
        action="ledger_month_changed",
        target=entry,
        before=before,
        after=_audited(entry),
        reason=_("meter data changed"),
    )
    report.changed.append(where)
    return entry


def do_feed_from_meters(
    unit: Organisation,
    *,
    actor: User | None,
    month: date | None = None,
    now: datetime | None = None,
) -> FeedReport:
    """Feed the ledgers of ``unit``'s households from their linked meters (every finished month,
    or ``month`` alone). ``actor`` is the committee's member who asked, or ``None`` for the
    platform's own run (the command line). See the module's rules."""
    if actor is not None:
        _committee(actor, unit)
    now = now or timezone.now()
    if month is not None and (month.day != 1 or month >= _first_of(now)):
        raise _refuse(
            _("Month: “{found}”; a finished month, before {current}, is expected.").format(
                found=f"{month:%Y-%m}", current=f"{_first_of(now):%Y-%m}"
            ),
            "month",
        )
    items = metered_months(unit, month=month, now=now)
    report = FeedReport()
    if not items:
        return report
    grouped: dict[tuple[int, date], list[Metered]] = defaultdict(list)
    for item in items:
        grouped[(item.household.pk, item.month)].append(item)
    months = {item.month for item in items}
    with transaction.atomic():
        entries = {
            (e.household_id, e.month): e
            for e in LedgerMonth.objects.select_for_update().filter(
                household__unit=unit, month__in=months
            )
        }
        rows = {
            (r.household_id, r.month, r.carrier): r
            for r in MeteredMonth.objects.select_for_update().filter(
                household__unit=unit, month__in=months
            )
        }
        touched = 0
        for (household_id, found), group in sorted(grouped.items(), key=lambda g: g[0]):
            entry = _feed_month(
                group[0].household,
                found,
                group,
                entries.get((household_id, found)),
                report,
                actor,
                now,
            )
            for item in group:
                row = rows.get((household_id, found, item.carrier))
                if _keep_metered(item, _status_of(item, entry), row, now):
                    touched += 1
                else:
                    report.kept += 1
        if report.wrote or touched:
            record_event(
                actor=actor,
                action="household_ledgers_fed",
                target=unit,
                after={
                    "month": None if month is None else f"{month:%Y-%m}",
                    "added": len(report.added),
                    "changed": len(report.changed),
                    "bills_kept": len(report.bills_kept),
                    "skipped": len(report.skipped),
                    "metered_rows": touched,
                },
            )
    return report


def do_take_metered_month(
    entry: LedgerMonth,
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> LedgerMonth:
    """The committee takes the meters' figures instead of the month's bill: the carriers the
    meters measured completely replace the recorded ones (the others stay), the month becomes
    of source ``meter`` and follows the meters from then on. Audited, with the version bump."""
    household = entry.household
    _committee(actor, household.unit)
    now = now or timezone.now()
    with transaction.atomic():
        locked = LedgerMonth.objects.select_for_update().get(pk=entry.pk)
        if locked.version != expected_version:
            raise _refuse(_("Someone changed this month meanwhile; reload the page and try again."))
        kept = list(
            MeteredMonth.objects.select_for_update().filter(
                household=household, month=locked.month, status=MeteredStatus.BILL_KEPT
            )
        )
        if locked.source == LedgerSource.METER or not kept:
            raise _refuse(
                _("{month} has no complete meter figure kept beside a bill.").format(
                    month=f"{locked.month:%Y-%m}"
                )
            )
        before = _audited(locked)
        for row in kept:
            setattr(
                locked,
                CARRIER_FIELDS[row.carrier],
                row.amount.quantize(CENT, rounding=ROUND_HALF_UP),
            )
            row.status = MeteredStatus.TAKEN
            row.save(update_fields=["status"])
        locked.source = LedgerSource.METER
        locked.updated_at = now
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="ledger_month_changed",
            target=locked,
            before=before,
            after=_audited(locked),
            reason=_("the meters' figures taken instead of the bill"),
        )
    return locked


# --- what the ledger page says of metered months ------------------------------------------

_UNITS = {"electricity": "kWh", "gas": "m³", "water": "m³"}


def _kind(carrier: str) -> str:
    return {
        "electricity": _("electricity meter"),
        "gas": _("gas meter"),
        "water": _("water meter"),
    }.get(carrier, carrier)


def _note(row: MeteredMonth) -> str:
    values = {
        "kind": _kind(row.carrier),
        "meters": row.meters,
        "amount": f"{row.amount:,.2f}",
        "unit": _UNITS.get(row.carrier, ""),
        "share": percent(row.completeness),
        "needed": percent(FEED_COMPLETENESS),
    }
    if row.status == MeteredStatus.TAKEN:
        return _("From the {kind} {meters} ({share} complete)").format(**values)
    if row.status == MeteredStatus.BILL_KEPT:
        return _(
            "The {kind} {meters} read {amount} {unit} ({share} complete); the recorded figure "
            "is kept"
        ).format(**values)
    return _(
        "The {kind} {meters} read {amount} {unit}, only {share} complete (at least {needed} "
        "is needed): not taken"
    ).format(**values)


def meter_notes(
    household: Household, months: set[date]
) -> tuple[dict[date, list[str]], set[date], list[str]]:
    """For the ledger page: the notes of each recorded month on its meters' figures, the months
    whose bill has a complete meter figure beside it, and the metered months left out of the
    ledger (no row) with their reasons."""
    notes: dict[date, list[str]] = defaultdict(list)
    takeable: set[date] = set()
    left_out: list[str] = []
    for row in MeteredMonth.objects.filter(household=household).order_by("-month", "carrier"):
        if row.month in months:
            notes[row.month].append(_note(row))
            if row.status == MeteredStatus.BILL_KEPT:
                takeable.add(row.month)
        else:
            left_out.append(f"{row.month:%Y-%m} · {_note(row)}")
    return notes, takeable, left_out
