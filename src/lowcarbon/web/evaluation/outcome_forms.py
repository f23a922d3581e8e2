"""Forms of the acceptance outcome: they only parse; the rules are the actions'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.numbers import VersionField

__all__ = ["DecisionForm", "RuleForm"]


class DecisionForm(forms.Form):
    panel = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    version = VersionField()
    reasons = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    improvements = forms.CharField(
        label=_("Required improvements (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opinion = forms.CharField(
        label=_("The panel's findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(
        label=_("Rectification deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def improvement_lines(self) -> list[str]:
        text = str(self.cleaned_data.get("improvements") or "")
        return [line.strip() for line in text.splitlines() if line.strip()]


class RuleForm(forms.Form):
    edition = forms.CharField(label=_("Rule edition"), max_length=50)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()
