"""The ledger's forms: they parse (numbers through the one parser, the month as year-month);
the actions decide."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.web.households.actions import LABEL_LIMIT, MAX_MEMBERS, MonthInput
from lowcarbon.web.households.models import LedgerSource
from lowcarbon.web.numbers import NumberField, VersionField, YearField

__all__ = [
    "AccountForm",
    "FeedForm",
    "HouseholdForm",
    "MeterLinkForm",
    "MonthChangeForm",
    "MonthForm",
    "PublishForm",
    "RunForm",
]

# Monthly bills of a household: far above any household's use, below the column's 12 digits.
MAX_KWH = Decimal(100_000)
MAX_M3 = Decimal(10_000)
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class MonthField(forms.CharField):
    """A month typed as year-month (2025-03): the first day of that month. (No max_length: its
    validator would measure the date the text becomes; the pattern bounds what is accepted.)"""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "month", "placeholder": "2025-03", "maxlength": 20}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        found = _MONTH.match(text)
        month = int(found.group(2)) if found else 0
        if found is None or not 1 <= month <= 12:
            raise ValidationError(
                _("{label}: “{found}”; a year and month such as 2025-03 is expected.").format(
                    label=self.label, found=text[:20]
                )
            )
        return date(int(found.group(1)), month, 1)


class HouseholdForm(forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=LABEL_LIMIT,
        help_text=gettext_lazy("Building, entrance and flat, such as 12号楼 3单元 502."),
    )
    members = NumberField(label=gettext_lazy("Members"), minimum=1, maximum=MAX_MEMBERS)


class HouseholdChangeForm(HouseholdForm):
    version = VersionField(minimum=1)


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)


class MonthForm(forms.Form):
    month = MonthField(label=gettext_lazy("Month"))
    electricity_kwh = NumberField(
        label=gettext_lazy("Electricity (kWh)"), minimum=0, maximum=MAX_KWH, places=2
    )
    gas_m3 = NumberField(
        label=gettext_lazy("Natural gas (m³)"), minimum=0, maximum=MAX_M3, places=2
    )
    water_m3 = NumberField(label=gettext_lazy("Water (m³)"), minimum=0, maximum=MAX_M3, places=2)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=LedgerSource.choices)

    def month_input(self) -> MonthInput:
        data = self.cleaned_data
        return MonthInput(
            month=data.get("month"),
            electricity_kwh=data.get("electricity_kwh"),
            gas_m3=data.get("gas_m3"),
            water_m3=data.get("water_m3"),
            source=data.get("source", ""),
        )


class MonthChangeForm(MonthForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = VersionField(minimum=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["month"]  # the month of a recorded entry stays


class RunForm(forms.Form):
    year = YearField(label=gettext_lazy("Year"), first=2000, last=2100)


class PublishForm(forms.Form):
    version = VersionField(minimum=1)


class MeterLinkForm(forms.Form):
    """A meter of the community's register by its number, and the first month it counts."""

    meter = forms.CharField(label=gettext_lazy("Meter"), max_length=60)
    since = MonthField(
        label=gettext_lazy("Counts from (month)"),
        required=False,
        help_text=gettext_lazy("Empty: every month of the meter's readings."),
    )


class FeedForm(forms.Form):
    month = MonthField(
        label=gettext_lazy("Month"),
        required=False,
        help_text=gettext_lazy("Empty: every finished month."),
    )
