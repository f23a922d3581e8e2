"""The household ledger's pages: a household's own ledger (its months, emissions and the
community's averages), the residents' committee's households and selection, and the districts'
and the bureau's aggregates. Views ask ``permissions``; actions write. A household or community
the user may not see is a logged 404, whether or not it exists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.core.household_selection import community_average
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role
from lowcarbon.web.creation.schedule import local_date
from lowcarbon.web.households.actions import (
    do_change_household,
    do_change_month,
    do_create_resident_account,
    do_record_month,
    do_register_household,
)
from lowcarbon.web.households.figures import (
    explanations,
    factor_set_of,
    household_years,
    month_averages,
    month_figures,
    selection_rules,
)
from lowcarbon.web.households.forms import (
    AccountForm,
    FeedForm,
    HouseholdChangeForm,
    HouseholdForm,
    MeterLinkForm,
    MonthChangeForm,
    MonthForm,
    PublishForm,
    RunForm,
)
from lowcarbon.web.households.meters import (
    FEED_COMPLETENESS,
    linkable_meters,
    live_links,
    meter_notes,
    percent,
)
from lowcarbon.web.households.models import Household, LedgerMonth, LedgerSource, Selection
from lowcarbon.web.households.selection import (
    archive_unit_of,
    candidates,
    do_publish_selection,
    do_run_selection,
)
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.organisations.models import Organisation

__all__ = [
    "account",
    "community",
    "household",
    "household_add",
    "household_edit",
    "index",
    "month_add",
    "month_edit",
    "overview",
    "selection",
    "selection_publish",
    "selection_run",
]


def _minimum() -> int:
    return int(selection_rules().minimum_households.value)


def _unit(request: HttpRequest, pk: int) -> Organisation:
    """The community, for its own residents' committee; a logged 404 for anyone else."""
    unit = Organisation.objects.filter(pk=pk).first()
    if unit is None or not permissions.can_manage_households(request.user, unit):
        permissions.log_denied(request, f"view households of unit {pk}")
        raise Http404
    return unit


def _household(request: HttpRequest, pk: int) -> Household:
    found = Household.objects.select_related("unit", "resident").filter(pk=pk).first()
    if found is None or not permissions.can_view_household(request.user, found):
        permissions.log_denied(request, f"view household {pk}")
        raise Http404
    return found


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _year(request: HttpRequest) -> int:
    """The year asked for (``?year=``), else last year: the selection is of a finished year."""
    last = local_date(timezone.now()).year
    raw = request.GET.get("year", "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= last:
        return int(raw)
    return last - 1


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where the ledger starts for each role: a resident's own ledger, the committee's
    households, the officers' and the bureau's aggregates; experts have none."""
    user: Any = request.user
    if permissions.is_resident(user):
        own = Household.objects.filter(resident=user).first()
        if own is not None:
            return redirect("households:household", pk=own.pk)
        return render(request, "households/no_household.html")
    if permissions.has_role(user, Role.APPLICANT) and user.organisation_id is not None:
        return redirect("households:community", pk=user.organisation_id)
    if permissions.can_view_household_aggregates(user):
        return redirect("households:overview")
    permissions.log_denied(request, "view the household ledger")
    raise Http404


@require_safe
@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    found = _household(request, pk)
    set_id = factor_set_of(found.unit)
    entries = list(found.months.all())
    months = [entry.month for entry in entries]
    averages = month_averages(found.unit, months, set_id, _minimum())
    notes, takeable, left_out = meter_notes(found, set(months))
    committee = permissions.can_manage_households(request.user, found.unit)
    rows = []
    for entry in entries:
        figures = month_figures(entry, set_id)
        total = figures.total_kg
        rows.append(
            {
                "entry": entry,
                "figures": figures,
                "per_capita": None if total is None else total / found.members,
                "average": averages.get(entry.month),
                "meter_notes": notes.get(entry.month, []),
                "takeable": committee and entry.month in takeable,
            }
        )
    published = [
        (s, next((c for c in candidates(s) if c.data["household"] == found.pk), None))
        for s in Selection.objects.filter(unit=found.unit, published_at__isnull=False)
    ]
    return render(
        request,
        "households/household.html",
        {
            "household": found,
            "rows": rows,
            "explanations": explanations(set_id, sorted(set(months))[-1:] if months else []),
            "minimum": _minimum(),
            "committee": committee,
            "published": [(s, c) for s, c in published if c is not None],
            "links": live_links(found),
            "linkable": linkable_meters(found.unit) if committee else [],
            "link_form": MeterLinkForm() if committee else None,
            "left_out": left_out,
            "feed_share": percent(FEED_COMPLETENESS),
        },
    )


def _household_form_page(
    request: HttpRequest, unit: Organisation, form: Any, found: Household | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "households/household_form.html",
        {"unit": unit, "form": form, "household": found},
        status=status,
    )


@login_required
def household_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    if request.method != "POST":
        return _household_form_page(request, unit, HouseholdForm(), None)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            created = do_register_household(
                unit,
                label=form.cleaned_data["label"],
                members=form.cleaned_data["members"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The household is registered."))
            return redirect("households:household", pk=created.pk)
    return _household_form_page(request, unit, form, None, status=400)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _household(request, pk)
    if not permissions.can_manage_households(request.user, found.unit):
        permissions.deny(request, f"change household {pk}")
    if request.method != "POST":
        form = HouseholdChangeForm(
            initial={"label": found.label, "members": found.members, "version": found.version}
        )
        return _household_form_page(request, found.unit, form, found)
    form = HouseholdChangeForm(request.POST)
    if form.is_valid():
        try:
            do_change_household(
                found,
                label=form.cleaned_data["label"],
                members=form.cleaned_data["members"],
                expected_version=posted_version(request.POST),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The household is changed."))
            return redirect("households:household", pk=found.pk)
    return _household_form_page(request, found.unit, form, found, status=400)


@login_required
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee makes the household's resident account; its first password is shown once."""
    found = _household(request, pk)
    if not permissions.can_manage_households(request.user, found.unit):
        permissions.deny(request, f"create the account of household {pk}")
    form = AccountForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"household": found, "form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                user, password = do_create_resident_account(
                    found,
                    username=form.cleaned_data["username"],
                    full_name=form.cleaned_data["full_name"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                context |= {"created": user, "password": password, "form": None}
                return render(request, "households/account.html", context)
        return render(request, "households/account.html", context, status=400)
    return render(request, "households/account.html", context)


def _month_page(
    request: HttpRequest, found: Household, form: Any, entry: LedgerMonth | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "households/month_form.html",
        {"household": found, "form": form, "entry": entry},
        status=status,
    )


@login_required
def month_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _household(request, pk)
    own = permissions.is_resident(request.user)
    source = LedgerSource.BILL if own else LedgerSource.COMMITTEE
    if request.method != "POST":
        return _month_page(request, found, MonthForm(initial={"source": source}), None)
    form = MonthForm(request.POST)
    if form.is_valid():
        try:
            entry = do_record_month(found, form.month_input(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("{month} is recorded.").format(month=f"{entry.month:%Y-%m}")
            )
            return redirect("households:household", pk=found.pk)
    return _month_page(request, found, form, None, status=400)


@login_required
def month_edit(request: HttpRequest, pk: int, month_pk: int) -> HttpResponse:
    found = _household(request, pk)
    entry = LedgerMonth.objects.filter(pk=month_pk, household=found).first()
    if entry is None:
        raise Http404
    if request.method != "POST":
        form = MonthChangeForm(
            initial={
                "electricity_kwh": entry.electricity_kwh,
                "gas_m3": entry.gas_m3,
                "water_m3": entry.water_m3,
                "source": entry.source,
                "version": entry.version,
            }
        )
        return _month_page(request, found, form, entry)
    form = MonthChangeForm(request.POST)
    if form.is_valid():
        try:
            do_change_month(
                entry,
                form.month_input(),
                reason=form.cleaned_data["reason"],
                expected_version=posted_version(request.POST),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("{month} is changed.").format(month=f"{entry.month:%Y-%m}"))
            return redirect("households:household", pk=found.pk)
    return _month_page(request, found, form, entry, status=400)


@require_safe
@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    """The committee's households: each ledger's completeness in the year, its account, and the
    year's selection."""
    unit = _unit(request, pk)
    year = _year(request)
    # A month counts once its electricity and gas are recorded (a month from meters may lack
    # one: it has no total and the selection does not count it either).
    whole = Q(months__electricity_kwh__isnull=False, months__gas_m3__isnull=False)
    households = Household.objects.filter(unit=unit).annotate(
        recorded=Count("months", filter=Q(months__month__year=year) & whole),
        previous=Count("months", filter=Q(months__month__year=year - 1) & whole),
    )
    rules = selection_rules()
    complete = sum(1 for h in households if h.recorded >= int(rules.minimum_months.value))
    return render(
        request,
        "households/community.html",
        {
            "unit": unit,
            "year": year,
            "households": households,
            "complete": complete,
            "rules": rules,
            "selections": Selection.objects.filter(unit=unit),
            "run_form": RunForm(initial={"year": year}),
            "feed_form": FeedForm(),
            "metered": Household.objects.filter(unit=unit, meter_links__unlinked_at__isnull=True)
            .distinct()
            .count(),
            "feed_share": percent(FEED_COMPLETENESS),
        },
    )


@require_safe
@login_required
def selection(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = _unit(request, pk)
    found = Selection.objects.filter(unit=unit, year=year).first()
    if found is None:
        raise Http404
    return render(
        request,
        "households/selection.html",
        {
            "unit": unit,
            "selection": found,
            "candidates": candidates(found),
            "selected": sum(1 for c in found.result["candidates"] if c["selected"]),
            "rules": selection_rules(),
            "archive_unit": archive_unit_of(unit),
            "publish_form": PublishForm(initial={"version": found.version}),
        },
    )


@login_required
@require_POST
def selection_run(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    form = RunForm(request.POST)
    # An unreadable year reaches the action as None: its refusal names the year expected.
    year = form.cleaned_data["year"] if form.is_valid() else None
    try:
        found = do_run_selection(unit, year, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect("households:community", pk=unit.pk)
    messages.success(request, _("The {year} selection is run.").format(year=found.year))
    return redirect("households:selection", pk=unit.pk, year=found.year)


@login_required
@require_POST
def selection_publish(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    unit = _unit(request, pk)
    found = Selection.objects.filter(unit=unit, year=year).first()
    if found is None:
        raise Http404
    try:
        found = do_publish_selection(
            found,
            expected_version=posted_version(request.POST),
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("The {year} selection is published.").format(year=year))
    return redirect("households:selection", pk=unit.pk, year=year)


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Per community: households, ledgers complete in the year, the year's average per household
    and per capita (over enough households only) and the selection's state. No household is
    named."""
    if not permissions.can_view_household_aggregates(request.user):
        permissions.log_denied(request, "view household aggregates")
        raise Http404
    year = _year(request)
    rules = selection_rules()
    rows = []
    for unit in (
        permissions.visible_household_aggregate_units(request.user)
        .filter(households__isnull=False)
        .distinct()
        .select_related("district")
    ):
        years = household_years(unit, year, factor_set_of(unit))
        complete = [h for h in years if h.months >= int(rules.minimum_months.value)]
        average = community_average(
            [(h.emissions / h.months * 12, h.members) for h in complete], _minimum()
        )
        chosen = Selection.objects.filter(unit=unit, year=year).first()
        rows.append(
            {
                "unit": unit,
                "households": len(years),
                "people": sum(h.members for h in years),
                "complete": len(complete),
                "average": average,
                "selection": chosen,
                "selected": (
                    sum(1 for c in chosen.result["candidates"] if c["selected"]) if chosen else None
                ),
            }
        )
    return render(
        request,
        "households/overview.html",
        {"rows": rows, "year": year, "minimum": _minimum()},
    )
