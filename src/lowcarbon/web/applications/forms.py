"""Forms of the applicant workspace. They collect what was typed; the actions decide validity.

A section's form has one editor per element of the outline, by kind:

* text: a textarea that ``richtext.js`` turns into a rich-text editor (it then also sends
  ``<id>__format=html``); without JavaScript it is plain text;
* quantity, integer: one text input (text, so that what was typed comes back as typed);
* geometry: a GeoJSON file (``<id>__file``) or pasted text (``<id>__geojson``), the four sides
  (``<id>__four_sides``) and a box to remove the boundary (``<id>__clear``);
* table: cells named ``<id>-<row>-<column>`` with a ``<id>-<row>-DELETE`` box; list: entries
  ``<id>-<row>``. A few blank rows let people add rows without JavaScript; ``tables.js`` adds
  more. Rows are numbered as shown, so an error names the row a person sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.outline import ElementKind, OutlineElement, OutlineSection
from lowcarbon.documents.formatting import unit_name
from lowcarbon.rules.geojson import MAX_BYTES
from lowcarbon.web.applications import narrative
from lowcarbon.web.applications.outlines import is_editable, local
from lowcarbon.web.numbers import KeyChoiceField, VersionField
from lowcarbon.web.rounds.models import Kind, Round, RoundStatus

__all__ = ["BLANK_ROWS", "CreateApplicationForm", "SectionForm"]

# Blank rows offered under the filled ones: enough to add a few without JavaScript.
BLANK_ROWS = 3
LIST_COLUMN = "text"


class CreateApplicationForm(forms.Form):
    round = KeyChoiceField(label=_("Round"), queryset=Round.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["round"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Round.objects.filter(
            status=RoundStatus.OPEN, submission_deadline__gte=timezone.localdate()
        )


def _label(element: OutlineElement) -> str:
    label = local(element.label)
    # The unit by its name in the reader's language: 吨二氧化碳/人, never "tCO2e/person".
    return f"{label}（{unit_name(element.unit, local)}）" if element.unit else label


class SectionForm(forms.Form):
    """The editors of one section, labelled with the outline's wording."""

    version = VersionField()

    def __init__(
        self,
        section: OutlineSection,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        stored: Mapping[str, Any],
        version: int,
    ) -> None:
        initial: dict[str, Any] = {"version": version}
        self.section = section
        self.stored = stored
        self.elements = [element for element in section.elements if is_editable(element)]
        for element in self.elements:
            value = stored.get(element.id)
            if element.kind == ElementKind.GEOMETRY:
                initial[f"{element.id}__four_sides"] = (value or {}).get("four_sides", "")
            elif element.kind in (ElementKind.TEXT, ElementKind.QUANTITY, ElementKind.INTEGER):
                initial[element.id] = value
        super().__init__(data, files, initial=initial, label_suffix="")
        for element in self.elements:
            self._add_fields(element)

    def _add_fields(self, element: OutlineElement) -> None:
        label = _label(element)
        if element.kind == ElementKind.TEXT:
            self.fields[element.id] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 5, "data-richtext": "1"}),
            )
        elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
            mode = "numeric" if element.kind == ElementKind.INTEGER else "decimal"
            self.fields[element.id] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.TextInput(attrs={"inputmode": mode}),
            )
        elif element.kind == ElementKind.GEOMETRY:
            self.fields[f"{element.id}__file"] = forms.FileField(
                label=_("Boundary file (GeoJSON)"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
                ),
            )
            self.fields[f"{element.id}__geojson"] = forms.CharField(
                label=_("or paste the GeoJSON text"),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            )
            self.fields[f"{element.id}__four_sides"] = forms.CharField(
                label=_("Four sides (四至)"),
                required=False,
                strip=False,
                help_text=_("For example: 东至…路，南至…路，西至…河，北至…路"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{element.id}__clear"] = forms.BooleanField(
                label=_("Remove the boundary"), required=False
            )

    # --- what was typed --------------------------------------------------------------------

    def _indexed(self, prefix: str) -> list[int]:
        # ASCII digits, at most 6 (a table has at most a few hundred rows): another key is
        # not a row of this editor (``\d`` would take any script's digits, of any length).
        pattern = re.compile(rf"^{re.escape(prefix)}-([0-9]{{1,6}})(?:-|$)")
        found = {int(match.group(1)) for key in self.data if (match := pattern.match(key))}
        return sorted(found)

    def posted_rows(self, element: OutlineElement) -> list[dict[str, str]]:
        """The rows of a table or list as typed, in the order shown (deleted rows blank)."""
        columns = [c.id for c in element.columns] if element.columns else [LIST_COLUMN]
        rows: list[dict[str, str]] = []
        for index in self._indexed(element.id):
            base = f"{element.id}-{index}"
            if self.data.get(f"{base}-DELETE"):
                rows.append({})
                continue
            if element.kind == ElementKind.LIST:
                rows.append({LIST_COLUMN: str(self.data.get(base, ""))})
            else:
                rows.append({c: str(self.data.get(f"{base}-{c}", "")) for c in columns})
        return rows

    def _geometry_value(self, element: OutlineElement) -> dict[str, Any]:
        upload = self.files.get(f"{element.id}__file") if self.files else None
        content: bytes | str = ""
        if upload is not None:
            # Read one byte past the limit: enough to refuse a larger file by its size.
            content = upload.read(MAX_BYTES + 1)
        if not content:
            content = str(self.data.get(f"{element.id}__geojson", ""))
        return {
            "geojson": content,
            "four_sides": str(self.data.get(f"{element.id}__four_sides", "")),
            "clear": bool(self.data.get(f"{element.id}__clear")),
        }

    def element_values(self) -> dict[str, Any]:
        """Element id → what was typed, in the form ``do_save_section`` takes."""
        values: dict[str, Any] = {}
        for element in self.elements:
            if element.kind == ElementKind.TEXT:
                text = str(self.data.get(element.id, ""))
                html = self.data.get(f"{element.id}__format") == "html"
                values[element.id] = narrative.Html(text) if html else text
            elif element.kind in (ElementKind.QUANTITY, ElementKind.INTEGER):
                values[element.id] = str(self.data.get(element.id, ""))
            elif element.kind == ElementKind.GEOMETRY:
                values[element.id] = self._geometry_value(element)
            elif element.kind == ElementKind.LIST:
                values[element.id] = [row.get(LIST_COLUMN, "") for row in self.posted_rows(element)]
            else:
                values[element.id] = self.posted_rows(element)
        return values

    def editor_rows(self, element: OutlineElement) -> list[dict[str, str]]:
        """The rows to show: as typed after a refused save, else as stored, then blank rows."""
        if self.is_bound:
            rows = self.posted_rows(element)
            if not rows or any(rows[-1].values()):
                rows.append({})
            return rows
        stored = self.stored.get(element.id) or []
        if element.kind == ElementKind.LIST:
            rows = [{LIST_COLUMN: str(entry)} for entry in stored]
        else:
            rows = [{key: str(value) for key, value in row.items()} for row in stored]
        return rows + [{} for _ in range(BLANK_ROWS)]
