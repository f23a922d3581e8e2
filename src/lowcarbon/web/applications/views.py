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
from lowcarbon.web.applications.conflicts import (
    KEEP_MINE,
    KEEP_THEIRS,
    Comparison,
    choice_field,
    compare_section,
    conflict_ids,
    keep,
    with_stored_value,
)
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
    comparison: Comparison | None = None
    if bound and form.is_valid():
        values = form.element_values()
        asked = [i for i in conflict_ids(str(request.POST.get("conflicts", ""))) if i in values]
        choices = {i: str(request.POST.get(choice_field(i), "")) for i in asked}
        undecided = [i for i, choice in choices.items() if choice not in (KEEP_THEIRS, KEEP_MINE)]
        if undecided:
            # Saving again after a conflict is an explicit choice, never "the last save wins".
            comparison = compare_section(application, section, _posted_base(request, form), values)
            form.add_error(
                None,
                _(
                    "Choose, for each part both of you changed, which version to keep: {parts}. "
                    "Nothing was saved."
                ).format(parts="、".join(_element_label(section, i) for i in undecided)),
            )
        else:
            typed = dict(values)
            keep(values, [i for i, choice in choices.items() if choice == KEEP_THEIRS])
            try:
                do_save_section(
                    application,
                    section_id,
                    values,
                    expected_version=form.cleaned_data["version"],
                    actor=request.user,  # type: ignore[arg-type]
                    resolved=choices,
                )
            except ValidationError as error:
                _show_refusal(form, section, error, element_errors, cells)
                data = request.POST.copy()
                for element in form.elements:
                    kind, format_key = element.kind, f"{element.id}__format"
                    if kind == ElementKind.TEXT and data.get(format_key) == "html":
                        data[element.id] = narrative.sanitise(str(data.get(element.id, "")))
                current = Application.objects.get(pk=application.pk)
                if getattr(error, "code", None) == "stale":
                    comparison = compare_section(
                        current, section, form.cleaned_data["version"], typed
                    )
                    # The editor now starts from the other save; what both changed waits for
                    # the person's choice (checked above on the next save).
                    data["version"] = str(current.version)
                    data["conflict_base"] = str(form.cleaned_data["version"])
                elif asked:
                    # Refused for another reason while deciding: the conflicts stay to decide.
                    comparison = compare_section(
                        current, section, _posted_base(request, form), typed
                    )
                if comparison is not None:
                    # What the editor shows is what a save posts: the other save's value for
                    # parts they alone changed and for parts the person chose to leave theirs.
                    kept = {i for i, choice in choices.items() if choice == KEEP_THEIRS}
                    for element in form.elements:
                        mine = element.id in comparison.ids or element.id not in kept
                        if element in comparison.taken or not mine:
                            with_stored_value(data, element, current.sections.get(element.id))
                form.data = data
            else:
                messages.success(request, _("The section was saved."))
                return redirect(
                    f"{reverse('applications:workspace', args=[application.pk])}"
                    f"#section-{section_id}"
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
        "comparison": _comparison_context(comparison),
    }
    return render(request, "applications/edit_section.html", context)


def _show_refusal(
    form: SectionForm,
    section: Any,
    error: ValidationError,
    element_errors: dict[str, list[str]],
    cells: dict[str, str],
) -> None:
    """Put a refused save's problems beside their elements and cells (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
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


def _posted_base(request: HttpRequest, form: SectionForm) -> int:
    """The version a conflict was found against (posted with the conflict form)."""
    posted = str(request.POST.get("conflict_base", ""))
    version: int = form.cleaned_data["version"]
    return int(posted) if posted.isdigit() and len(posted) <= 9 else version


def _element_label(section: Any, element_id: str) -> str:
    element = next((e for e in section.elements if e.id == element_id), None)
    return local(element.label) if element is not None else element_id


def _comparison_context(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None or not (comparison.conflicts or comparison.taken):
        return None
    return {
        "base": comparison.base_version,
        "ids": ",".join(comparison.ids),
        "conflicts": [
            {
                "id": conflict.element.id,
                "field": choice_field(conflict.element.id),
                "label": local(conflict.element.label),
                "theirs": display_value(conflict.element, conflict.theirs),
                "mine": display_value(conflict.element, conflict.mine),
            }
            for conflict in comparison.conflicts
        ],
        "taken": "、".join(local(element.label) for element in comparison.taken),
        "keep_theirs": KEEP_THEIRS,
        "keep_mine": KEEP_MINE,
    }


def section_ids(section: Any) -> set[str]:
    return {element.id for element in section.elements}
