"""The token pages' forms: they only parse; :mod:`.tokens` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation, OrganisationKind

from .scopes import Scope

__all__ = ["RevokeForm", "TokenForm"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(label=_("Valid for (days)"), initial=90)

    def __init__(self, *args: Any, organisations: Any, scopes: list[Scope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["scopes"].choices = [  # type: ignore[attr-defined]
            (scope.value, scope.label) for scope in scopes
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def organisations_for(user: Any) -> Any:
    from lowcarbon.web.accounts.models import Role

    if user.role == Role.ADMINISTRATOR:
        return Organisation.objects.exclude(kind=OrganisationKind.STREET_TOWN).order_by(
            "kind", "name"
        )
    return Organisation.objects.filter(pk=user.organisation_id)
