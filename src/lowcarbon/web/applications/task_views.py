"""The pages of an application's tasks and key projects: the list, the form to add or change one,
removal, and the progress a creation unit records (:mod:`lowcarbon.web.applications.tasks`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from lowcarbon.core.activity import (
    CATEGORY_NAMES,
    SECTOR_NAMES,
    ActivityChange,
    Sector,
    SourceCategory,
)
from lowcarbon.web import permissions
from lowcarbon.web.applications import tasks
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.task_models import DOMAIN_CHOICES, ApplicationTask, TaskStatus
from lowcarbon.web.applications.views import visible_or_404
from lowcarbon.web.numbers import NumberField, VersionField, YearField, posted_version

__all__ = ["urlpatterns"]

#: Empty activity rows offered below the ones a task has.
BLANK_ROWS = 2
MAX_ROWS = 12

CHANGE_CHOICES = [
    ("", "—"),
    (ActivityChange.AVOIDED.value, gettext_lazy("avoided")),
    (ActivityChange.ADDED.value, gettext_lazy("added")),
]


def _source_label(key: str) -> str:
    category, _sep, sector = key.partition("/")
    try:
        return f"{_(CATEGORY_NAMES[SourceCategory(category)])}／{_(SECTOR_NAMES[Sector(sector)])}"
    except ValueError:
        return key


def _sources_of(application: Application, chosen: list[str]) -> list[tuple[str, str]]:
    """The sources a task may act on: those of the baseline data, and any already chosen."""
    keys = {
        f"{record['category']}/{record['sector']}"
        for record in (application.accounting or {}).get("records") or []
    } | set(chosen)
    return sorted(((key, _source_label(key)) for key in keys), key=lambda item: item[0])


class TaskForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Task or project name"), max_length=200)
    domain = forms.ChoiceField(label=gettext_lazy("Field"), choices=DOMAIN_CHOICES)
    content = forms.CharField(
        label=gettext_lazy("Main content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1500,
    )
    responsible = forms.CharField(
        label=gettext_lazy("Responsible unit"), required=False, max_length=200
    )
    start_year = YearField(label=gettext_lazy("Start year"), first=1990, last=2100)
    end_year = YearField(label=gettext_lazy("End year"), first=1990, last=2100, required=False)
    ramp_years = NumberField(
        label=gettext_lazy("Years to full effect"), minimum=1, maximum=50, required=False
    )
    budget_10k_yuan = NumberField(
        label=gettext_lazy("Budget (10,000 yuan)"),
        minimum=0,
        maximum=Decimal("999999999"),
        places=2,
        required=False,
    )
    key_project = forms.BooleanField(label=gettext_lazy("Key project"), required=False)
    near_zero = forms.BooleanField(
        label=gettext_lazy("Near-zero-carbon demonstration project"), required=False
    )
    acts_on = forms.MultipleChoiceField(
        label=gettext_lazy("Acts on (sources of the baseline data)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stated_reduction_tco2 = NumberField(
        label=gettext_lazy("Stated reduction (tCO₂ a year at full effect)"),
        minimum=0,
        maximum=Decimal("99999999"),
        places=3,
        required=False,
    )
    version = VersionField(required=False)

    def __init__(
        self,
        *args: Any,
        application: Application,
        rows: int,
        kept: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(self.initial.get("acts_on") or [])
        if self.is_bound:
            chosen += self.data.getlist("acts_on")  # type: ignore[attr-defined]
        field = self.fields["acts_on"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _sources_of(application, chosen)
        self.rows = rows
        self.kept = kept  # activities with a project factor: kept as imported
        categories = [("", "—")] + [(c.value, _(CATEGORY_NAMES[c])) for c in SourceCategory]
        for index in range(rows):
            number = index + 1
            self.fields[f"a{index}_change"] = forms.ChoiceField(
                label=_("Row {number}: avoided or added").format(number=number),
                choices=CHANGE_CHOICES,
                required=False,
            )
            self.fields[f"a{index}_category"] = forms.ChoiceField(
                label=_("Row {number}: what").format(number=number),
                choices=categories,
                required=False,
            )
            self.fields[f"a{index}_quantity"] = NumberField(
                label=_("Row {number}: quantity a year").format(number=number),
                minimum=0,
                maximum=Decimal("999999999999"),
                places=6,
                required=False,
            )
            self.fields[f"a{index}_unit"] = forms.CharField(
                label=_("Row {number}: unit").format(number=number),
                required=False,
                max_length=20,
            )
            self.fields[f"a{index}_label"] = forms.CharField(
                label=_("Row {number}: sink type or finer name").format(number=number),
                required=False,
                max_length=100,
            )
            self.fields[f"a{index}_note"] = forms.CharField(
                label=_("Row {number}: how the figure is found").format(number=number),
                required=False,
                max_length=500,
            )

    def main_fields(self) -> list[forms.BoundField]:
        """The task's own fields (not the activity rows, not the version)."""
        return [
            field
            for field in self.visible_fields()
            if not (field.name[0] == "a" and field.name[1].isdigit())
        ]

    def activity_rows(self) -> list[list[forms.BoundField]]:
        names = ("change", "category", "quantity", "unit", "label", "note")
        return [[self[f"a{index}_{name}"] for name in names] for index in range(self.rows)]

    def task_values(self) -> tasks.TaskValues:
        data = self.cleaned_data
        activities: list[dict[str, Any]] = []
        for index in range(self.rows):
            row = {
                name: data.get(f"a{index}_{name}")
                for name in ("change", "category", "quantity", "unit", "label", "note")
            }
            if not any(value not in (None, "") for value in row.values()):
                continue
            activity = {key: value for key, value in row.items() if value not in (None, "")}
            activity.setdefault("quantity", None)
            activities.append(activity)
        return tasks.TaskValues(
            name=data["name"],
            domain=data["domain"],
            start_year=data["start_year"],
            content=data.get("content") or "",
            responsible=data.get("responsible") or "",
            end_year=data.get("end_year"),
            ramp_years=data.get("ramp_years") or 1,
            budget_10k_yuan=data.get("budget_10k_yuan"),
            key_project=bool(data.get("key_project")),
            near_zero=bool(data.get("near_zero")),
            acts_on=tuple(data.get("acts_on") or ()),
            stated_reduction_tco2=data.get("stated_reduction_tco2"),
            activities=tuple(activities) + tuple(self.kept),
        )


def _initial(record: ApplicationTask) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    initial: dict[str, Any] = {
        "name": record.name,
        "domain": record.domain,
        "content": record.content,
        "responsible": record.responsible,
        "start_year": record.start_year,
        "end_year": record.end_year,
        "ramp_years": record.ramp_years,
        "budget_10k_yuan": record.budget_10k_yuan,
        "key_project": record.key_project,
        "near_zero": record.near_zero,
        "acts_on": list(record.acts_on or []),
        "stated_reduction_tco2": record.stated_reduction_tco2,
        "version": record.version,
    }
    editable = [a for a in record.activities or [] if not a.get("factor")]
    kept = [a for a in record.activities or [] if a.get("factor")]
    for index, activity in enumerate(editable):
        for name in ("change", "category", "quantity", "unit", "label", "note"):
            initial[f"a{index}_{name}"] = activity.get(name, "")
    return initial, kept


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _record_or_404(application: Application, task_pk: int) -> ApplicationTask:
    record = ApplicationTask.objects.filter(application=application, pk=task_pk).first()
    if record is None:
        raise Http404
    return record


def _editable_or_refused(request: HttpRequest, application: Application) -> bool:
    """Whether the tasks may be changed now; when not, says why in a message."""
    refusals = tasks.task_refusals(application, request.user)  # type: ignore[arg-type]
    for refusal in refusals:
        messages.error(request, refusal)
    return not refusals


@login_required
@require_safe
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every task and key project of the application, with its planned reduction."""
    application = visible_or_404(request, pk)
    records = list(
        ApplicationTask.objects.filter(application=application).order_by("position", "pk")
    )
    planned = tasks.planned_reductions(application)
    can_edit = permissions.is_own_unit(request.user, application) and not tasks.task_refusals(
        application,
        request.user,  # type: ignore[arg-type]
    )
    unit = getattr(application, "creation_unit", None)
    can_track = unit is not None and permissions.is_own_unit(request.user, application)
    rows = [
        {
            "record": record,
            "planned": planned.get(record.code),
            "computed": bool(record.activities),
            "acts_on": "、".join(_source_label(key) for key in record.acts_on or []),
        }
        for record in records
    ]
    context = {
        "application": application,
        "rows": rows,
        "can_edit": can_edit,
        "can_track": can_track,
        "in_creation": unit is not None,
        "planned_total": sum((p for p in planned.values()), Decimal(0)),
        "key_projects": sum(1 for r in records if r.key_project),
        "near_zero": sum(1 for r in records if r.near_zero),
        "progress": tasks.task_progress(unit) if unit is not None else None,
    }
    return render(request, "applications/tasks.html", context)


def _form(
    request: HttpRequest, application: Application, record: ApplicationTask | None
) -> TaskForm:
    initial, kept = _initial(record) if record is not None else ({}, [])
    editable = sum(1 for key in initial if key.endswith("_change"))
    rows = min(MAX_ROWS, editable + BLANK_ROWS)
    if request.method == "POST":
        posted = request.POST.get("rows", "")
        rows = min(MAX_ROWS, int(posted)) if posted.isdigit() else rows
    return TaskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        application=application,
        rows=rows,
        kept=kept,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    if not _editable_or_refused(request, application):
        return redirect("applications:tasks", pk=application.pk)
    form = _form(request, application, None)
    if request.method == "POST" and form.is_valid():
        try:
            record = tasks.do_add_task(
                application,
                form.task_values(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Task {code} “{name}” was added.").format(code=record.code, name=record.name),
            )
            return redirect("applications:tasks", pk=application.pk)
    context = {"application": application, "form": form, "record": None}
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/task_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    record = _record_or_404(application, task_pk)
    if not _editable_or_refused(request, application):
        return redirect("applications:tasks", pk=application.pk)
    form = _form(request, application, record)
    if request.method == "POST" and form.is_valid():
        try:
            tasks.do_change_task(
                record,
                form.task_values(),
                expected_version=form.cleaned_data.get("version") or 0,
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Task {code} “{name}” was saved.").format(code=record.code, name=record.name),
            )
            return redirect("applications:tasks", pk=application.pk)
    context = {"application": application, "form": form, "record": record}
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/task_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_remove(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    record = _record_or_404(application, task_pk)
    if not _editable_or_refused(request, application):
        return redirect("applications:tasks", pk=application.pk)
    if request.method == "POST":
        try:
            tasks.do_remove_task(
                record,
                expected_version=posted_version(request.POST),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
        else:
            messages.success(
                request,
                _("Task {code} “{name}” was removed.").format(code=record.code, name=record.name),
            )
        return redirect("applications:tasks", pk=application.pk)
    return render(
        request, "applications/task_remove.html", {"application": application, "record": record}
    )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=TaskStatus.choices)
    percent_complete = NumberField(label=gettext_lazy("Percent complete"), minimum=0, maximum=100)
    achieved_reduction_tco2 = NumberField(
        label=gettext_lazy("Achieved reduction (tCO₂ a year)"),
        minimum=0,
        maximum=Decimal("99999999"),
        places=3,
        required=False,
    )
    tracking_note = forms.CharField(
        label=gettext_lazy("Progress note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_note = forms.CharField(
        label=gettext_lazy("Evidence (what proves it, where it is kept)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_progress_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """The creation unit records how far one task has come."""
    application = visible_or_404(request, pk)
    record = _record_or_404(application, task_pk)
    refusals = tasks.tracking_refusals(record, request.user)  # type: ignore[arg-type]
    if refusals:
        if getattr(application, "creation_unit", None) is None:
            raise Http404
        permissions.deny(request, f"record progress of task {task_pk}")
    initial = {
        "status": record.status,
        "percent_complete": record.percent_complete,
        "achieved_reduction_tco2": record.achieved_reduction_tco2,
        "tracking_note": record.tracking_note,
        "evidence_note": record.evidence_note,
        "version": record.tracking_version,
    }
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tasks.do_track_task(
                record,
                status=data["status"],
                percent_complete=data["percent_complete"],
                achieved_reduction_tco2=data.get("achieved_reduction_tco2"),
                note=data.get("tracking_note") or "",
                evidence_note=data.get("evidence_note") or "",
                expected_version=data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The progress of task {code} was saved.").format(code=record.code),
            )
            return redirect("applications:tasks", pk=application.pk)
    context = {"application": application, "form": form, "record": record}
    status = 400 if request.method == "POST" else 200
    return render(request, "applications/task_progress.html", context, status=status)


urlpatterns = [
    path("<int:pk>/tasks/", task_list, name="tasks"),
    path("<int:pk>/tasks/new/", task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/", task_edit, name="task_edit"),
    path("<int:pk>/tasks/<int:task_pk>/remove/", task_remove, name="task_remove"),
    path("<int:pk>/tasks/<int:task_pk>/progress/", task_progress_edit, name="task_progress"),
]
