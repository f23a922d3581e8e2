"""The archive's forms: a record (the fields its category asks for), removal with a reason, a
volunteer. Files are posted as ``<input type="file" multiple>`` and read by the action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.rules.archive_categories import ArchiveCategory
from lowcarbon.web.numbers import NumberField, VersionField

__all__ = ["RecordForm", "RemoveForm", "VolunteerForm"]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTENDANCE_MAXIMUM = 100_000


class RecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    items = forms.MultipleChoiceField(
        label=_("Indicator items it supports"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    attendance = NumberField(
        label=_("Attendance (people)"), minimum=0, maximum=ATTENDANCE_MAXIMUM, required=False
    )
    inspectors = forms.CharField(label=_("Inspected by"), max_length=300, required=False)
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        category: ArchiveCategory,
        item_choices: list[tuple[str, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]
        if not editing:  # a new record has no version yet
            del self.fields["version"]
        if category.record != "activity":
            for name in ("place", "organiser", "attendance"):
                del self.fields[name]
        if category.record != "inspection":
            for name in ("inspectors", "findings"):
                del self.fields[name]


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    contact = forms.CharField(
        label=_("Contact (seen by the unit, its district and the bureau)"),
        max_length=100,
        required=False,
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
