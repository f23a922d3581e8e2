"""The year's low-carbon household selection (低碳家庭评选, 附件4 第7项): run by the residents'
committee as often as it likes until it publishes it; published, it is frozen and becomes a
record of the unit's records archive (category ``household_selection``) with the result list
attached as a workbook — the evidence for item 7.

The result is frozen in :attr:`Selection.result`: the rules' edition and thresholds, the factor
set, the community median, and per household its figures and each check with its reason (an
English template and its values, rendered in the reader's language when shown).

The attached list is evidence the unit's district and the bureau read: it names the households
selected (as a public notice of the selection would) with their figures, and of the others
only how many failed which check — never another household's figures.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lowcarbon.core.household_selection import SelectionCandidate, SelectionRules, select
from lowcarbon.core.messages import Message
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.archive.actions import RecordInput, do_add_record
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.households.actions import FIRST_YEAR
from lowcarbon.web.households.figures import factor_set_of, household_years, selection_rules
from lowcarbon.web.households.models import Household, Selection
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "ARCHIVE_CATEGORY",
    "CandidateView",
    "archive_unit_of",
    "candidates",
    "do_publish_selection",
    "do_run_selection",
    "result_workbook",
    "rules_summary",
]

ARCHIVE_CATEGORY = "household_selection"
CHECK_LABELS = {
    "completeness": gettext_noop("ledger completeness"),
    "reduction": gettext_noop("reduction against the previous year"),
    "level": gettext_noop("at or below the community median"),
}


def _refuse(message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [message]})


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.1")))


def _params(params: Any) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in dict(params).items()}


def _candidate(candidate: SelectionCandidate, labels: dict[str, str]) -> dict[str, Any]:
    household = candidate.household
    return {
        "household": int(household.key),
        "label": labels.get(household.key, household.key),
        "members": household.members,
        "months": household.months,
        "emissions": _text(household.emissions),
        "per_capita": _text(household.per_capita),
        "previous_months": household.previous_months,
        "previous_per_capita": _text(household.previous_per_capita),
        "reduction_percent": _text(candidate.reduction_percent),
        "selected": candidate.selected,
        "checks": [
            {
                "code": check.code.value,
                "passed": check.passed,
                "template": check.message.template,
                "params": _params(check.message.params),
            }
            for check in candidate.checks
        ],
    }


def rules_summary(rules: SelectionRules) -> dict[str, Any]:
    return {
        "edition": rules.edition,
        "title": rules.title.zh,
        "source": rules.source,
        "thresholds": {
            name: {"value": str(t.value), "set_by": t.set_by.value}
            for name, t in (
                ("minimum_months", rules.minimum_months),
                ("minimum_previous_months", rules.minimum_previous_months),
                ("minimum_reduction_percent", rules.minimum_reduction_percent),
                ("at_or_below_median", rules.at_or_below_median),
            )
        },
    }


def _check_year(year: int | None, now: datetime) -> int:
    last = local_date(now).year
    if year is None or not FIRST_YEAR <= year <= last:
        raise _refuse(
            _("Year: “{found}”; a year from {first} to {last} is expected.").format(
                found="" if year is None else year, first=FIRST_YEAR, last=last
            ),
            "year",
        )
    return year


def do_run_selection(
    unit: Organisation, year: int | None, *, actor: User, now: datetime | None = None
) -> Selection:
    """The year's selection (re)computed from the ledgers under the bundled rules; refused once
    published."""
    if not permissions.can_run_household_selection(actor, unit):
        raise _refuse(_("Only the community's residents' committee runs its selection."))
    now = now or timezone.now()
    year = _check_year(year, now)
    rules = selection_rules()
    set_id = factor_set_of(unit)
    labels = {
        str(pk): label
        for pk, label in Household.objects.filter(unit=unit).values_list("pk", "label")
    }
    if not labels:
        raise _refuse(_("The community has no household registered; register households first."))
    outcome = select(rules, year, household_years(unit, year, set_id))
    result = {
        "median": _text(outcome.median),
        "rules": rules_summary(rules),
        "candidates": [_candidate(c, labels) for c in outcome.candidates],
    }
    with transaction.atomic():
        selection = Selection.objects.select_for_update().filter(unit=unit, year=year).first()
        if selection is not None and selection.published_at is not None:
            raise _refuse(
                _("The {year} selection is published; it cannot be run again.").format(year=year)
            )
        if selection is None:
            selection = Selection(unit=unit, year=year, version=0)
        selection.rules_edition = rules.edition
        selection.factor_set_id = set_id
        selection.result = result
        selection.runs += 1
        selection.run_by = actor
        selection.run_at = now
        selection.version += 1
        selection.save()
        record_event(
            actor=actor,
            action="household_selection_run",
            target=selection,
            after={
                "year": year,
                "rules_edition": rules.edition,
                "factor_set": set_id,
                "households": len(outcome.candidates),
                "selected": len(outcome.selected),
                "median": result["median"],
            },
        )
    return selection


def archive_unit_of(unit: Organisation) -> CreationUnit | None:
    """The unit's creation unit (its latest), whose records archive takes the result."""
    return (
        CreationUnit.objects.filter(application__unit=unit)
        .order_by("-application__round__year", "-pk")
        .first()
    )


def do_publish_selection(
    selection: Selection,
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Selection:
    """The selection frozen; for a unit in creation, a record of its archive with the list."""
    if not permissions.can_run_household_selection(actor, selection.unit):
        raise _refuse(_("Only the community's residents' committee publishes its selection."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = Selection.objects.select_for_update().get(pk=selection.pk)
        if locked.version != expected_version:
            raise _refuse(_("The selection was run again meanwhile; check the result and publish."))
        if locked.published_at is not None:
            raise _refuse(_("The selection is already published."))
        creation_unit = archive_unit_of(locked.unit)
        record = None
        if creation_unit is not None:
            record = do_add_record(
                creation_unit,
                _record_input(locked, now),
                actor=actor,
                now=now,
            )
        locked.published_at = now
        locked.published_by = actor
        locked.archive_record = record
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="household_selection_published",
            target=locked,
            after={
                "year": locked.year,
                "archive_record": record.pk if record is not None else None,
                "selected": sum(1 for c in locked.result["candidates"] if c["selected"]),
            },
        )
    return locked


@dataclass(frozen=True)
class CandidateView:
    """A candidate as a page shows it: its frozen figures and its reasons in words."""

    data: dict[str, Any]
    reasons: list[tuple[bool, str]]


def candidates(selection: Selection) -> list[CandidateView]:
    return [
        CandidateView(
            c,
            [
                (check["passed"], Message(check["template"], check["params"]).render(_))
                for check in c["checks"]
            ],
        )
        for c in selection.result.get("candidates", [])
    ]


def _record_input(selection: Selection, now: datetime) -> RecordInput:
    unit = selection.unit
    chosen = [c for c in selection.result["candidates"] if c["selected"]]
    taking_part = [c for c in selection.result["candidates"] if c["months"] > 0]
    description = _(
        "Rules {edition} ({source}); {households} households, {selected} selected; community "
        "median {median} kgCO2 per person."
    ).format(
        edition=selection.rules_edition,
        source=selection.result["rules"]["source"],
        households=len(selection.result["candidates"]),
        selected=len(chosen),
        median=selection.result["median"] or "—",
    )
    name = _("Low-carbon household selection {year}").format(year=selection.year)
    return RecordInput(
        category=ARCHIVE_CATEGORY,
        title=name,
        date=local_date(now),
        description=description,
        place=unit.name,
        organiser=_("{unit} residents' committee").format(unit=unit.name),
        attendance=sum(c["members"] for c in taking_part),
        documents=[SimpleUploadedFile(f"{name}.xlsx", result_workbook(selection))],
    )


def _put(sheet: Any, row: int, values: list[Any]) -> None:
    from lowcarbon.rules.xlsx_safety import put

    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)  # a text is never a formula, whatever it starts with


def result_workbook(selection: Selection) -> bytes:
    """The published list: the rules, the counts, the households selected with their figures,
    and how many of the others failed which check."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    result = selection.result
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Selection")[:31]
    sheet.cell(
        row=1,
        column=1,
        value=_("Low-carbon household selection {year}").format(year=selection.year),
    ).font = Font(bold=True)
    everyone = result["candidates"]
    chosen = [c for c in everyone if c["selected"]]
    head = [
        (_("Community"), selection.unit.name),
        (_("Rules"), f"{result['rules']['title']} ({selection.rules_edition})"),
        (_("Source"), result["rules"]["source"]),
        (_("Factor set"), selection.factor_set_id),
        (_("Households"), len(everyone)),
        (_("Selected"), len(chosen)),
        (_("Community median (kgCO2 per person and year)"), result["median"] or "—"),
    ]
    row = 2
    for label, value in head:
        _put(sheet, row, [label, value])
        row += 1
    row += 1
    _put(
        sheet,
        row,
        [
            _("No."),
            _("Household"),
            _("Members"),
            _("Months recorded"),
            _("kgCO2 per person and year"),
            _("Previous year"),
            _("Reduction (%)"),
        ],
    )
    for cell in sheet[row]:
        cell.font = Font(bold=True)
    for number, c in enumerate(chosen, start=1):
        row += 1
        _put(
            sheet,
            row,
            [
                number,
                c["label"],
                c["members"],
                c["months"],
                _number(c["per_capita"]),
                _number(c["previous_per_capita"]),
                _number(c["reduction_percent"]),
            ],
        )
    failed: Counter[str] = Counter()
    for c in everyone:
        if not c["selected"]:
            failed.update(check["code"] for check in c["checks"] if not check["passed"])
    row += 2
    _put(sheet, row, [_("Not selected: households failing each check")])
    for code, label in CHECK_LABELS.items():
        row += 1
        _put(sheet, row, [_(label), failed[code]])
    for column, width in zip("ABCDEFG", (34, 30, 8, 10, 16, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(text: str | None) -> Decimal | str:
    return Decimal(text) if text is not None else "—"
