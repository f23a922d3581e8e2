"""Forms of the applicant workspace. They collect text; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lowcarbon.core.outline import ElementKind, OutlineSection
from lowcarbon.web.applications.outlines import is_editable, local
from lowcarbon.web.rounds.models import Kind, Round, RoundStatus

__all__ = ["CreateApplicationForm", "SectionForm"]


class CreateApplicationForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=Round.objects.none(),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["round"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Round.objects.filter(
            status=RoundStatus.OPEN, submission_deadline__gte=timezone.localdate()
        )


class SectionForm(forms.Form):
    """One field per enterable element of a section, labelled with the outline's wording."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, section: OutlineSection, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for element in section.elements:
            if not is_editable(element):
                continue
            label = local(element.label)
            if element.unit:
                label = f"{label} ({element.unit})"
            widget: forms.Widget = (
                forms.Textarea(attrs={"rows": 4})
                if element.kind == ElementKind.TEXT
                else forms.TextInput(attrs={"inputmode": "decimal"})
            )
            self.fields[element.id] = forms.CharField(
                label=label, required=False, widget=widget, strip=False
            )

    def element_values(self) -> dict[str, str]:
        return {name: str(self.data.get(name, "")) for name in self.fields if name != "version"}
