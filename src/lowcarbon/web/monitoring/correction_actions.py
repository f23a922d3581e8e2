"""Corrections of a unit's stored meter readings (issue 17 item 2): audited edits with a reason;
the store keeps the values imported.

:func:`do_correct_readings` writes the records and the store's correction as one step: the
store's correction (:meth:`lowcarbon.monitoring.store.Store.correct`, which checks every
interval under the store's lock) runs inside the database transaction, so a refusal or a failed
store write saves nothing; when the database then fails to commit, the store's correction is
taken back (:meth:`~lowcarbon.monitoring.store.Store.withdraw_correction`), so that the pages and
the store never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.metering import Quality
from lowcarbon.monitoring.corrections import (
    CorrectionError,
    CorrectionKind,
    CorrectionProblem,
    CorrectionRequest,
)
from lowcarbon.monitoring.store import new_id
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.schedule import SHANGHAI
from lowcarbon.web.monitoring.actions import REASON_LENGTH
from lowcarbon.web.monitoring.models import Meter, ReadingCorrection, ReadingQuality
from lowcarbon.web.monitoring.stores import monitoring_store
from lowcarbon.web.organisations.models import Organisation

__all__ = ["CorrectionItem", "do_correct_readings", "local_time", "shown_number"]

#: The form's fields named by the store's problems ("version": the page was stale).
FIELDS = {"meter": "start", "start": "start", "kind": "kind", "value": "value", "reason": "reason"}


@dataclass(frozen=True)
class CorrectionItem:
    """One interval to correct: the meter, its start as the store times it (Shanghai wall-clock
    time, naive), what to do, the stated figure (``replace``), whether it was read from the
    meter, and the import or correction the page showed holding it (the stale-page check)."""

    meter: Meter
    start: datetime
    kind: str
    value: Decimal | None = None
    read_from_meter: bool = False
    expected_from: str | None = None


def local_time(moment: datetime) -> datetime:
    """An instant as the store's readings are timed: Shanghai wall-clock time, naive."""
    return timezone.localtime(moment, SHANGHAI).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=SHANGHAI)


def shown_number(value: float) -> str:
    return format(round(value, 6), "g")


def _problem_text(problem: CorrectionProblem, items: Sequence[CorrectionItem]) -> str:
    text = _("found “{found}”; expected {expected}").format(
        found=problem.found, expected=problem.expected.render(_)
    )
    if problem.field == "version":
        text = _("This interval was changed while you were deciding: {problem}").format(
            problem=text
        )
    if problem.index is not None and len(items) > 1:
        item = items[problem.index]
        text = _("meter {meter}, {time}: {problem}").format(
            meter=item.meter.number, time=f"{item.start:%Y-%m-%d %H:%M}", problem=text
        )
    return text


def _refusal(error: CorrectionError, items: Sequence[CorrectionItem]) -> ValidationError:
    messages: dict[str, list[str]] = {}
    for problem in error.problems:
        field = FIELDS.get(problem.field, "__all__")
        messages.setdefault(field, []).append(_problem_text(problem, items))
    return ValidationError(messages)


def do_correct_readings(
    unit: Organisation,
    items: Sequence[CorrectionItem],
    reason: str,
    *,
    actor: User,
    now: datetime | None = None,
) -> list[ReadingCorrection]:
    """Correct stored intervals of ``unit``'s meters (all or none) with ``reason``; one audit
    event names every interval, before and after. Refusals name the field, the value found and
    what was expected."""
    if not permissions.can_correct_readings(actor, unit):
        raise ValidationError(
            {"__all__": [_("Only the unit's own staff and the bureau correct its readings.")]}
        )
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    if not reason or len(reason) > REASON_LENGTH:
        problems.setdefault("reason", []).append(
            _("found “{found}”; expected {expected}").format(
                found=reason[:40],
                expected=_("a reason of 1 to {limit} characters").format(limit=REASON_LENGTH),
            )
        )
    kinds = {kind.value for kind in CorrectionKind}
    for item in items:
        if item.meter.unit_id != unit.pk:
            problems.setdefault("start", []).append(
                _("meter {meter} is not a meter of {unit}").format(
                    meter=item.meter.number, unit=unit.name
                )
            )
        if item.kind not in kinds:
            problems.setdefault("kind", []).append(
                _("found “{found}”; expected {expected}").format(
                    found=item.kind[:40], expected=_("one of the corrections offered")
                )
            )
    if not items:
        problems.setdefault("__all__", []).append(_("Choose at least one interval to correct."))
    if problems:
        raise ValidationError(problems)
    moment = now or timezone.now()
    at = local_time(moment)
    requests = [
        CorrectionRequest(
            item.meter.store_id,
            item.start,
            CorrectionKind(item.kind),
            None if item.value is None else float(item.value),
            item.read_from_meter,
            item.expected_from,
        )
        for item in items
    ]
    by_store_id = {item.meter.store_id: item.meter for item in items}
    store = monitoring_store()
    committed: str | None = None
    try:
        with transaction.atomic():
            try:
                correction = store.correct(
                    requests,
                    reason=reason,
                    who=actor.get_username(),
                    at=at,
                    correction_id=new_id(at),
                )
            except CorrectionError as error:
                raise _refusal(error, items) from None
            except (OSError, LowcarbonError):
                raise ValidationError(
                    {
                        "__all__": [
                            _(
                                "The readings store could not be written; nothing was corrected. "
                                "Try again; if it happens again, tell the administrator."
                            )
                        ]
                    }
                ) from None
            committed = correction.id
            rows = [
                ReadingCorrection.objects.create(
                    unit=unit,
                    meter=by_store_id[interval.meter],
                    start=_aware(interval.start),
                    end=_aware(interval.end),
                    kind=interval.kind.value,
                    before_consumption=interval.before_consumption,
                    before_quality=interval.before_quality.value,
                    before_raw=interval.before_raw,
                    after_consumption=interval.consumption,
                    after_quality=interval.quality.value,
                    reason=reason,
                    corrected_by=actor,
                    corrected_at=moment,
                    store_correction=correction.id,
                )
                for interval in correction.intervals
            ]

            def described(consumption: float, quality: Quality, row: ReadingCorrection) -> str:
                return (
                    f"{row.meter.number} {interval_text(row)}: {shown_number(consumption)} "
                    f"{ReadingQuality(quality.value).label}"
                )

            record_event(
                actor=actor,
                action="monitoring_readings_corrected",
                target=rows[0],
                before={
                    "intervals": [
                        described(i.before_consumption, i.before_quality, row)
                        for i, row in zip(correction.intervals, rows, strict=True)
                    ]
                },
                after={
                    "store_correction": correction.id,
                    "intervals": [
                        described(i.consumption, i.quality, row)
                        for i, row in zip(correction.intervals, rows, strict=True)
                    ],
                },
                reason=reason,
            )
    except DatabaseError:
        if committed is not None:
            store.withdraw_correction(committed)
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "The correction could not be saved; nothing was corrected. Try again; if "
                        "it happens again, tell the administrator."
                    )
                ]
            }
        ) from None
    except BaseException:
        if committed is not None:
            store.withdraw_correction(committed)
        raise
    return rows


def interval_text(row: ReadingCorrection) -> str:
    start = timezone.localtime(row.start, SHANGHAI)
    end = timezone.localtime(row.end, SHANGHAI)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
