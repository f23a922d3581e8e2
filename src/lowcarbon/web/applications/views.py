"""The applicant workspace: my applications, one application section by section, one section."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lowcarbon.core.outline import (
    ElementKind,
    OutlineColumn,
    OutlineElement,
    check_completeness,
    is_missing,
)
from lowcarbon.documents.formatting import table_column, trimmed, unit_name
from lowcarbon.web import permissions
from lowcarbon.web.applications import narrative
from lowcarbon.web.applications.actions import do_create_application, do_save_section
from lowcarbon.web.applications.forms import LIST_COLUMN, CreateApplicationForm, SectionForm
from lowcarbon.web.applications.maps import boundary_svg
from lowcarbon.web.applications.models import Application
from lowcarbon.web.applications.outlines import (
    application_outline,
    is_editable,
    is_generated,
    local,
)

__all__ = ["application_list", "edit_section", "visible_or_404", "workspace"]

# 5%: a digitised boundary and a surveyed area agree better than that; more means one is wrong.
AREA_TOLERANCE = Decimal("0.05")


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _area_warning(sections: Mapping[str, Any]) -> str:
    """A warning when the boundary's area and the area typed differ by more than 5%."""
    boundary, typed = sections.get("boundary"), sections.get("area")
    if not isinstance(boundary, Mapping) or not boundary.get("area_km2") or not typed:
        return ""
    computed, entered = Decimal(str(boundary["area_km2"])), Decimal(str(typed))
    if computed <= 0 or abs(entered - computed) / computed <= AREA_TOLERANCE:
        return ""
    return _(
        "The area entered ({entered} km²) differs from the area of the boundary ({computed} "
        "km²) by more than 5%; check both."
    ).format(entered=entered, computed=computed)


def display_value(element: OutlineElement, value: Any) -> SafeString:
    """An element's stored value as HTML for the workspace (everything escaped or sanitised)."""
    if is_missing(value):
        return format_html("{}", "—")
    if element.kind == ElementKind.TEXT:
        return narrative.to_html(str(value))
    if element.kind == ElementKind.GEOMETRY:
        if not isinstance(value, Mapping) or "geometry" not in value:
            # Only a boundary drawn or imported on the map page is a geometry.
            return format_html("{}", "—")
        return format_html(
            '<div class="boundary">{}<p>{}</p><p>{}</p></div>',
            boundary_svg(value["geometry"], title=local(element.label)),
            value.get("four_sides", ""),
            _("Area of the boundary: {area} km²").format(area=trimmed(value.get("area_km2"), 4)),
        )
    if element.kind == ElementKind.LIST:
        return format_html(
            '<ol class="entries">{}</ol>',
            format_html_join("", "<li>{}</li>", ((v,) for v in value)),
        )
    if element.kind == ElementKind.TABLE:
        head = format_html_join("", "<th>{}</th>", ((_column_label(c),) for c in element.columns))
        rows = [row for row in value if isinstance(row, Mapping)]
        cells = [table_column([row.get(c.id) for row in rows], c.type) for c in element.columns]
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (format_html_join("", "<td>{}</td>", ((cell,) for cell in line)),)
                for line in zip(*cells, strict=True)
            ),
        )
        return format_html(
            '<div class="table-scroll"><table class="data"><thead><tr>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            head,
            body,
        )
    if element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
        return format_html("{}", trimmed(value, 4))
    return format_html("{}", value)


def _column_label(column: OutlineColumn) -> str:
    label = local(column.label)
    return f"{label} ({unit_name(column.unit, local)})" if column.unit else label


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
@require_safe
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
                        "unit": unit_name(element.unit, local),
                        "display": display_value(element, application.sections.get(element.id)),
                        "kind": element.kind.value,
                        "filled": not is_missing(application.sections.get(element.id)),
                        "required": element.required,
                    }
                    for element in section.elements
                ],
                "missing": [local(entry.element.label) for entry in gaps.get(section.id, ())],
                "editable": can_edit and any(is_editable(e) for e in section.elements),
                # Its task lists or key projects are made from the tasks and key projects.
                "from_tasks": any(is_generated(e) for e in section.elements),
            }
        )
    context = {
        "application": application,
        "outline_title": local(outline.title),
        "sections": sections,
        "complete": report.is_complete,
        "missing_count": len(report.missing),
        "area_warning": _area_warning(application.sections),
    }
    return render(request, "applications/workspace.html", context)


def _editors(
    form: SectionForm, element_errors: Mapping[str, list[str]], cells: Mapping[str, str]
) -> list[dict[str, Any]]:
    """What the template draws for each element, with its errors and what was typed."""
    editors: list[dict[str, Any]] = []
    for element in form.elements:
        editor: dict[str, Any] = {
            "id": element.id,
            "kind": element.kind.value,
            "label": local(element.label),
            "required": element.required,
            "errors": element_errors.get(element.id, []),
        }
        if element.kind in (ElementKind.TEXT, ElementKind.QUANTITY, ElementKind.INTEGER):
            editor["field"] = form[element.id]
        elif element.kind == ElementKind.GEOMETRY:
            editor["fields"] = [
                form[f"{element.id}__{name}"] for name in ("file", "geojson", "four_sides")
            ]
            editor["clear"] = form[f"{element.id}__clear"]
            stored = form.stored.get(element.id)
            if isinstance(stored, Mapping) and stored.get("geometry"):
                editor["map"] = boundary_svg(stored["geometry"], title=local(element.label))
                editor["area"] = stored.get("area_km2", "")
        else:
            columns: list[dict[str, Any]] = (
                [
                    {
                        "id": c.id,
                        "label": _column_label(c),
                        "type": c.type.value,
                        "required": c.required,
                    }
                    for c in element.columns
                ]
                if element.kind == ElementKind.TABLE
                else [{"id": LIST_COLUMN, "label": _("Entry"), "type": "text", "required": True}]
            )
            rows = []
            for index, row in enumerate(form.editor_rows(element)):
                base = f"{element.id}-{index}"
                rows.append(
                    {
                        "number": index + 1,
                        "delete": f"{base}-DELETE",
                        "cells": [
                            {
                                "name": base
                                if element.kind == ElementKind.LIST
                                else f"{base}-{column['id']}",
                                "value": row.get(str(column["id"]), ""),
                                "type": column["type"],
                                "label": column["label"],
                                "error": cells.get(f"{element.id}:{index + 1}:{column['id']}", ""),
                            }
                            for column in columns
                        ],
                    }
                )
            editor["columns"] = columns
            editor["rows"] = rows
        editors.append(editor)
    return editors


@login_required
def edit_section(request: HttpRequest, pk: int, section_id: str) -> HttpResponse:
    application = visible_or_404(request, pk, edit=True)
    section = application_outline(application).section(section_id)
    if section is None or not any(is_editable(e) for e in section.elements):
        raise Http404
    bound = request.method == "POST"
    form = SectionForm(
        section,
        request.POST if bound else None,
        request.FILES if bound else None,
        stored=application.sections,
        version=application.version,
    )
    element_errors: dict[str, list[str]] = {}
    cells: dict[str, str] = {}
    if bound and form.is_valid():
        try:
            do_save_section(
                application,
                section_id,
                form.element_values(),
                expected_version=form.cleaned_data["version"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.error_dict.items():
                    if key in section_ids(section):
                        element_errors[key] = [m for p in problems for m in p.messages]
                        for problem in problems:
                            code = problem.code or ""
                            if code.startswith("cell:"):
                                _cell, row, column = code.split(":", 2)
                                cells[f"{key}:{row}:{column}"] = problem.messages[0]
                    else:
                        form.add_error(None, [m for p in problems for m in p.messages])
            else:
                form.add_error(None, error.messages)
            # Keep what was typed, with narrative sanitised before it goes back to the editor.
            data = request.POST.copy()
            for element in form.elements:
                if element.kind == ElementKind.TEXT and data.get(f"{element.id}__format") == "html":
                    data[element.id] = narrative.sanitise(str(data.get(element.id, "")))
            if getattr(error, "code", None) == "stale":
                # Saving again now knowingly replaces the other save.
                data["version"] = str(Application.objects.get(pk=application.pk).version)
            form.data = data
        else:
            messages.success(request, _("The section was saved."))
            return redirect(
                f"{reverse('applications:workspace', args=[application.pk])}#section-{section_id}"
            )
    context = {
        "application": application,
        "section_title": local(section.title),
        "section_number": section.id,
        "guidance": local(section.guidance) if section.guidance else "",
        "form": form,
        "editors": _editors(form, element_errors, cells),
        "area_warning": _area_warning(application.sections),
        "multipart": any(e.kind == ElementKind.GEOMETRY for e in form.elements),
    }
    return render(request, "applications/edit_section.html", context)


def section_ids(section: Any) -> set[str]:
    return {element.id for element in section.elements}
