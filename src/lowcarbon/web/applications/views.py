"""The applicant workspace: my applications, one application section by section, one section."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lowcarbon.core.outline import check_completeness, is_missing
from lowcarbon.web import permissions
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.forms import CreateApplicationForm, SectionForm
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import application_outline, is_editable, local

__all__ = ["application_list", "edit_section", "visible_or_404", "workspace"]


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def visible_or_404(request: HttpRequest, pk: int, *, edit: bool = False) -> Application:
    # 404, not 403, and the same answer whether the id exists: ids cannot be probed.
    application = Application.objects.select_related("round", "unit").filter(pk=pk).first()
    allowed = application is not None and (
        permissions.can_edit_application(request.user, application)
        if edit
        else permissions.can_view_application(request.user, application)
    )
    if not allowed:
        what = f"{'edit' if edit else 'view'} application {pk}"
        if edit and application is not None and permissions.is_own_unit(request.user, application):
            # Its own people may look but no longer change it: say why instead of "not found".
            permissions.deny(request, what)
        permissions.log_denied(request, what)
        raise Http404
    assert application is not None
    return application


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_applications(request.user):
        permissions.log_denied(request, "list applications")
        raise Http404
    can_create = permissions.can_create_application(request.user)
    form = CreateApplicationForm(request.POST or None) if can_create else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            application = do_create_application(
                form.cleaned_data["round"],
                request.user.organisation,  # type: ignore[union-attr,arg-type]
                form.cleaned_data["kind"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The application was created."))
            return redirect("applications:workspace", pk=application.pk)
    context = {
        "applications": permissions.visible_applications(request.user),
        "form": form,
    }
    return render(request, "applications/list.html", context)


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    outline = application_outline(application)
    report = check_completeness(outline, application.sections)
    gaps = {entry.section.id: entry.missing for entry in report.sections}
    can_edit = permissions.can_edit_application(request.user, application)
    sections = []
    for section in outline.iter_sections():
        top = "." not in section.id
        sections.append(
            {
                "id": section.id,
                "number": f"{section.label}、" if top else f"{section.label}.",
                "top": top,
                "title": local(section.title),
                "guidance": local(section.guidance) if section.guidance else "",
                "elements": [
                    {
                        "label": local(element.label),
                        "unit": element.unit or "",
                        "value": application.sections.get(element.id),
                        "filled": not is_missing(application.sections.get(element.id)),
                        "required": element.required,
                    }
                    for element in section.elements
                ],
                "missing": [local(entry.element.label) for entry in gaps.get(section.id, ())],
                "editable": can_edit and any(is_editable(e) for e in section.elements),
            }
        )
    context = {
        "application": application,
        "outline_title": local(outline.title),
        "sections": sections,
        "complete": report.is_complete,
        "missing_count": len(report.missing),
    }
    return render(request, "applications/workspace.html", context)


@login_required
def edit_section(request: HttpRequest, pk: int, section_id: str) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    section = application_outline(application).section(section_id)
    if section is None or not any(is_editable(e) for e in section.elements):
        raise Http404
    initial: dict[str, Any] = {"version": application.version}
    initial |= application.sections
    form = SectionForm(section, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_section(
                application,
                section_id,
                form.element_values(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            _add_errors(form, error)
            if getattr(error, "code", None) == "stale":
                # Keep what was typed; saving again now knowingly replaces the other save.
                current = Application.objects.get(pk=application.pk).version
                data = request.POST.copy()
                data["version"] = str(current)
                form.data = data
        else:
            messages.success(request, _("The section was saved."))
            return redirect("applications:workspace", pk=application.pk)
    context = {
        "application": application,
        "section_title": local(section.title),
        "section_number": section.id,
        "guidance": local(section.guidance) if section.guidance else "",
        "form": form,
        "has_other_kinds": not all(is_editable(e) for e in section.elements),
    }
    return render(request, "applications/edit_section.html", context)
