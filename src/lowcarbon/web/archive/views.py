"""The archive's pages: a unit's archive (grouped by category, filtered by category, item and
year), a record with its files and what cites it, the add/change/remove forms, downloads, the
indicator items with the records supporting each, the 低碳志愿者 team, and the residents'
public page of published inspection reports. Views ask ``permissions``; actions write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.rules.archive_categories import ArchiveCategory, categories_of
from lowcarbon.web import permissions
from lowcarbon.web.applications.assessment import rubric_for
from lowcarbon.web.archive.actions import (
    RecordInput,
    category_of,
    do_add_record,
    do_add_volunteer,
    do_change_record,
    do_publish_report,
    do_remove_record,
)
from lowcarbon.web.archive.citations import cited_by
from lowcarbon.web.archive.evidence import file_download
from lowcarbon.web.archive.forms import RecordForm, RemoveForm, VolunteerForm
from lowcarbon.web.archive.models import ArchiveFile, ArchiveRecord, FileRole
from lowcarbon.web.creation.lookup import visible_unit
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.language import local
from lowcarbon.web.numbers import posted_version

__all__ = [
    "archive_file",
    "public_reports",
    "record_add",
    "record_detail",
    "record_edit",
    "record_publish",
    "record_remove",
    "unit_archive",
    "unit_items",
    "volunteers",
]


def _unit(request: HttpRequest, pk: int) -> CreationUnit:
    return visible_unit(request, pk, "the archive of creation unit")


def _record(request: HttpRequest, pk: int) -> ArchiveRecord:
    units = permissions.visible_creation_units(request.user)
    record: ArchiveRecord | None = (
        ArchiveRecord.objects.filter(pk=pk, unit__in=units, removed_at__isnull=True)
        .select_related("unit", "unit__application", "unit__application__unit")
        .first()
    )
    if record is None:
        permissions.log_denied(request, f"view archive record {pk}")
        raise Http404
    return record


def _keeper(request: HttpRequest, unit: CreationUnit, what: str) -> None:
    if not permissions.can_edit_archive(request.user, unit):
        permissions.deny(request, what)


def _item_choices(unit: CreationUnit) -> list[tuple[str, str]]:
    rubric = rubric_for(unit.application)
    return [(item.id, f"{item.id} {local(item.title)}") for item in rubric.items()]


def _item_labels(unit: CreationUnit) -> dict[str, str]:
    return dict(_item_choices(unit))


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _files_named(request: HttpRequest, error: ValidationError) -> list[str]:
    """The file problems (they name their files), shown above the form."""
    names = ("documents", "photos", "attendance_lists")
    return [p for name in names for p in error.message_dict.get(name, [])]


def _input(request: HttpRequest, category: str, data: dict[str, Any]) -> RecordInput:
    return RecordInput(
        category=category,
        title=data.get("title", ""),
        date=data.get("date"),
        description=data.get("description", ""),
        items=data.get("items", []),
        place=data.get("place", ""),
        organiser=data.get("organiser", ""),
        attendance=data.get("attendance"),
        inspectors=data.get("inspectors", ""),
        findings=data.get("findings", ""),
        documents=request.FILES.getlist("documents"),
        photos=request.FILES.getlist("photos"),
        attendance_lists=request.FILES.getlist("attendance_lists"),
    )


def _has_team(unit: CreationUnit) -> ArchiveCategory | None:
    return next((c for c in categories_of(unit.kind).categories if c.record == "inspection"), None)


@require_safe
@login_required
def unit_archive(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    categories = categories_of(unit.kind).categories
    labels = _item_labels(unit)
    records = list(
        ArchiveRecord.objects.filter(unit=unit, removed_at__isnull=True).prefetch_related(
            "files", "citations"
        )
    )
    years = sorted({r.date.year for r in records}, reverse=True)
    chosen_category = request.GET.get("category", "").strip()
    chosen_item = request.GET.get("item", "").strip()
    chosen_year = request.GET.get("year", "").strip()
    if chosen_category and not any(c.code == chosen_category for c in categories):
        messages.error(
            request,
            _("The archive has no category “{found}”; all categories are shown.").format(
                found=chosen_category[:40]
            ),
        )
        chosen_category = ""
    if chosen_item and chosen_item not in labels:
        messages.error(
            request,
            _("The indicator system has no item {found}; all items are shown.").format(
                found=chosen_item[:20]
            ),
        )
        chosen_item = ""
    if chosen_year and not (chosen_year.isdigit() and int(chosen_year) in years):
        messages.error(
            request,
            _("The archive has no record of the year “{found}”; all years are shown.").format(
                found=chosen_year[:10]
            ),
        )
        chosen_year = ""
    shown = [
        r
        for r in records
        if (not chosen_category or r.category == chosen_category)
        and (not chosen_item or chosen_item in r.items)
        and (not chosen_year or r.date.year == int(chosen_year))
    ]
    groups = []
    for category in categories:
        inside = [r for r in shown if r.category == category.code]
        if chosen_category and category.code != chosen_category:
            continue
        groups.append(
            {
                "category": category,
                "title": local(category.title),
                "records": inside,
                "count": len(inside),
                "total": sum(1 for r in records if r.category == category.code),
            }
        )
    return render(
        request,
        "archive/unit.html",
        {
            "unit": unit,
            "application": unit.application,
            "groups": groups,
            "shown": len(shown),
            "total": len(records),
            "categories": [(c.code, local(c.title)) for c in categories],
            "items": list(labels.items()),
            "years": years,
            "chosen": {"category": chosen_category, "item": chosen_item, "year": chosen_year},
            "can_edit": permissions.can_edit_archive(request.user, unit),
            "team": _has_team(unit),
        },
    )


@login_required
def record_add(request: HttpRequest, pk: int, category: str) -> HttpResponse:
    unit = _unit(request, pk)
    _keeper(request, unit, f"add a record to the archive of creation unit {pk}")
    found = category_of(unit, category)
    if found is None:
        permissions.log_denied(request, f"archive category {category[:40]} of unit {pk}")
        raise Http404
    form = RecordForm(
        request.POST or None,
        category=found,
        item_choices=_item_choices(unit),
        initial={"items": list(found.items)},
    )
    file_problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            record = do_add_record(
                unit,
                _input(request, found.code, form.cleaned_data),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
            file_problems = _files_named(request, error)
        else:
            messages.success(request, _("The record was added to the archive."))
            return redirect("archive:record", pk=record.pk)
    return render(
        request,
        "archive/record_form.html",
        {
            "unit": unit,
            "category": found,
            "category_title": local(found.title),
            "form": form,
            "file_problems": file_problems,
            "record": None,
        },
    )


@require_safe
@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    unit = record.unit
    category = category_of(unit, record.category)
    labels = _item_labels(unit)
    files = list(record.files.all())
    can_edit = permissions.can_edit_archive(request.user, unit)
    citers = cited_by(record)
    return render(
        request,
        "archive/record.html",
        {
            "unit": unit,
            "record": record,
            "category": category,
            "category_title": local(category.title) if category else record.category,
            "items": [(i, labels.get(i, i)) for i in record.items],
            "documents": [f for f in files if f.role == FileRole.DOCUMENT],
            "photos": [f for f in files if f.role == FileRole.PHOTO],
            "attendance_lists": [f for f in files if f.role == FileRole.ATTENDANCE],
            "citations": list(record.citations.all()),
            "can_edit": can_edit and not citers,
            "can_publish": can_edit
            and category is not None
            and category.record == "inspection"
            and record.published_at is None,
        },
    )


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    unit = record.unit
    _keeper(request, unit, f"change archive record {pk}")
    category = category_of(unit, record.category)
    if category is None:  # a category the data no longer has: the record is kept as it is
        permissions.log_denied(request, f"archive record {pk} of an unknown category")
        raise Http404
    initial = {
        "title": record.title,
        "date": record.date,
        "description": record.description,
        "items": record.items,
        "place": record.place,
        "organiser": record.organiser,
        "attendance": record.attendance,
        "inspectors": record.inspectors,
        "findings": record.findings,
        "version": record.version,
    }
    form = RecordForm(
        request.POST or None,
        category=category,
        item_choices=_item_choices(unit),
        initial=initial,
        editing=True,
    )
    file_problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            do_change_record(
                record,
                _input(request, category.code, form.cleaned_data),
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
            file_problems = _files_named(request, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("archive:record", pk=record.pk)
    return render(
        request,
        "archive/record_form.html",
        {
            "unit": unit,
            "category": category,
            "category_title": local(category.title),
            "form": form,
            "file_problems": file_problems,
            "record": record,
        },
    )


@login_required
def record_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    unit = record.unit
    _keeper(request, unit, f"remove archive record {pk}")
    form = RemoveForm(request.POST or None, initial={"version": record.version})
    citers = cited_by(record)
    if request.method == "POST" and form.is_valid():
        try:
            do_remove_record(
                record,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("The record “{title}” was removed.").format(title=record.title)
            )
            return redirect("archive:unit", pk=unit.pk)
    return render(
        request,
        "archive/remove.html",
        {"unit": unit, "record": record, "form": form, "citers": citers},
    )


@login_required
@require_POST
def record_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    _keeper(request, record.unit, f"publish the report of archive record {pk}")
    version = posted_version(request.POST)
    if version < 0:
        messages.error(request, _("The page is out of date; reload it and try again."))
        return redirect("archive:record", pk=record.pk)
    try:
        do_publish_report(
            record,
            expected_version=version,
            actor=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("The report is published on the residents' page."))
    return redirect("archive:record", pk=record.pk)


@require_safe
@login_required
def archive_file(request: HttpRequest, pk: int) -> FileResponse:
    units = permissions.visible_creation_units(request.user)
    found: ArchiveFile | None = ArchiveFile.objects.filter(
        pk=pk, unit__in=units, record__removed_at__isnull=True
    ).first()
    if found is None:
        permissions.log_denied(request, f"download archive file {pk}")
        raise Http404
    return file_download(found)


@require_safe
@login_required
def unit_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Each indicator item of the unit's kind with the records that support it: where an
    evaluation takes its evidence from."""
    unit = _unit(request, pk)
    rubric = rubric_for(unit.application)
    records = list(ArchiveRecord.objects.filter(unit=unit, removed_at__isnull=True))
    titles = {c.code: local(c.title) for c in categories_of(unit.kind).categories}
    rows = []
    for item in rubric.items():
        supporting = [r for r in records if item.id in r.items]
        categories = [
            local(c.title) for c in categories_of(unit.kind).categories if item.id in c.items
        ]
        rows.append(
            {
                "item": item,
                "title": local(item.title),
                "records": supporting,
                "categories": categories,
            }
        )
    return render(
        request,
        "archive/items.html",
        {"unit": unit, "rows": rows, "titles": titles},
    )


@login_required
def volunteers(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    team = _has_team(unit)
    if team is None:
        permissions.log_denied(request, f"volunteer team of creation unit {pk} (not a community)")
        raise Http404
    can_edit = permissions.can_edit_archive(request.user, unit)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST":
        _keeper(request, unit, f"add a volunteer to creation unit {pk}")
        if form.is_valid():
            try:
                do_add_volunteer(
                    unit,
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    joined_on=form.cleaned_data["joined_on"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The volunteer was added to the team."))
                return redirect("archive:volunteers", pk=unit.pk)
    inspections = ArchiveRecord.objects.filter(
        unit=unit, category=team.code, removed_at__isnull=True
    ).prefetch_related("files")
    return render(
        request,
        "archive/volunteers.html",
        {
            "unit": unit,
            "team": team,
            "team_title": local(team.title),
            "members": list(unit.volunteers.all()),
            "inspections": list(inspections),
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
    )


@require_safe
def public_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The residents' page: a community's published inspection reports; no account needed,
    no contact data, nothing unpublished."""
    unit = (
        CreationUnit.objects.select_related("application", "application__unit")
        .filter(pk=pk)
        .first()
    )
    team = _has_team(unit) if unit is not None else None
    if unit is None or team is None:
        raise Http404
    reports = ArchiveRecord.objects.filter(
        unit=unit, category=team.code, removed_at__isnull=True, published_at__isnull=False
    ).order_by("-date", "-id")
    return render(
        request,
        "archive/public.html",
        {"unit": unit, "reports": list(reports), "team_title": local(team.title)},
    )
