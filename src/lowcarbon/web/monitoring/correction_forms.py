"""The correction form of one stored interval: it parses; the action and the store decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.web.monitoring.actions import REASON_LENGTH
from lowcarbon.web.monitoring.models import CorrectionKind
from lowcarbon.web.numbers import NumberField

__all__ = ["START_FORMAT", "CorrectionForm", "parse_start"]

#: How an interval's start travels in links and hidden fields (Shanghai wall-clock time).
START_FORMAT = "%Y-%m-%dT%H:%M"
#: The years a stored interval may start in (the store's readings are of meters in use).
FIRST_YEAR, LAST_YEAR = 1990, 2200


def parse_start(text: Any) -> datetime | None:
    """The start written as :data:`START_FORMAT` (seconds allowed), or ``None``."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    for pattern in (START_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            start = datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
        # Far from any reading (and from the ends of the calendar, where the intervals around
        # it could not be counted): no interval starts there.
        return start if FIRST_YEAR <= start.year <= LAST_YEAR else None
    return None


class CorrectionForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, max_length=40)
    expected_from = forms.CharField(widget=forms.HiddenInput, max_length=60, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Correction"),
        choices=CorrectionKind.choices,
        widget=forms.RadioSelect,
    )
    value = NumberField(
        label=gettext_lazy("Stated figure"),
        minimum=-(10**12),
        maximum=10**12,
        places=6,
        required=False,
        help_text=gettext_lazy("Only for a replacement: the consumption of the interval"),
    )
    read_from_meter = forms.BooleanField(
        label=gettext_lazy("The figure was read from the meter (otherwise it is an estimate)"),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the correction and shown in its record"),
    )

    def clean_start(self) -> datetime:
        start = parse_start(self.cleaned_data["start"])
        if start is None:
            raise ValidationError(
                _("found “{found}”; expected {expected}").format(
                    found=str(self.cleaned_data["start"])[:40],
                    expected=_("the start of an interval, such as 2026-03-02T10:00"),
                )
            )
        return start
