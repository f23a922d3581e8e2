"""The creation stage's forms: a lifecycle move, a schedule date, an extension, a filing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.creation.models import LifecycleStatus
from lowcarbon.web.numbers import VersionField

__all__ = [
    "ITEM_SLOTS",
    "CompletionForm",
    "ExtensionForm",
    "RectificationAnswerForm",
    "RectificationCloseForm",
    "RectificationIssueForm",
    "RectificationReturnForm",
    "ScheduleItemForm",
    "StatusForm",
]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = _reason_field(_("Reason"))
    version = VersionField()

    def __init__(self, *args: Any, targets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every status is accepted here; the action says why a move is refused.
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in LifecycleStatus.choices if value in targets
        ] or LifecycleStatus.choices


class ScheduleItemForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), required=False, widget=DATE)
    due_on = forms.DateField(label=_("Due on (23:59:59 Asia/Shanghai)"), widget=DATE)
    reason = _reason_field(_("Reason for the change"))
    version = VersionField()

    def __init__(self, *args: Any, window: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not window:
            del self.fields["opens_on"]


class ExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("New due date (23:59:59 Asia/Shanghai)"), widget=DATE)
    reason = _reason_field(_("Reason for the extension"))


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label=_("Received on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


# The empty item rows of an issue form (rows left empty are ignored).
ITEM_SLOTS = 5


class RectificationIssueForm(forms.Form):
    deadline = forms.DateField(label=_("Deadline (23:59:59 Asia/Shanghai)"), widget=DATE)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, ITEM_SLOTS + 1):
            self.fields[f"problem_{number}"] = forms.CharField(
                label=_("Item {number}: problem found").format(number=number),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"requirement_{number}"] = forms.CharField(
                label=_("Item {number}: what is required").format(number=number),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"basis_{number}"] = forms.CharField(
                label=_("Item {number}: reason or basis").format(number=number),
                required=False,
                max_length=2000,
            )

    def item_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"problem_{n}"], self[f"requirement_{n}"], self[f"basis_{n}"]]
            for n in range(1, ITEM_SLOTS + 1)
        ]


class RectificationAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer: what was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()


class RectificationCloseForm(forms.Form):
    reason = _reason_field(_("Reason for closing"))
    version = VersionField()


class RectificationReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment overall"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(label=_("New deadline (23:59:59 Asia/Shanghai)"), widget=DATE)
    version = VersionField()

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in numbers:
            self.fields[f"item_{number}"] = forms.CharField(
                label=_("Comment on item {number}").format(number=number),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
