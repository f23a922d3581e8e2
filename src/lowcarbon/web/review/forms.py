"""Forms of the review pages; the rules live in the actions, the forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.numbers import KeyChoiceField, KeysChoiceField
from lowcarbon.web.organisations.models import District
from lowcarbon.web.review.models import (
    ApplicantVisibility,
    DecisionOutcome,
    MethodChoice,
    Panel,
    PanelVisibility,
)
from lowcarbon.web.rounds.models import Kind, Round, Stage

__all__ = [
    "AssignForm",
    "DecisionForm",
    "PanelForm",
    "PostForm",
    "ProfileForm",
    "ReasonForm",
    "SettingsForm",
    "expert_label",
]

DATE = forms.DateInput(attrs={"type": "date"})


def expert_label(user: User) -> str:
    name = user.get_full_name()
    return f"{name}（{user.get_username()}）" if name else user.get_username()


class ExpertChoice(KeysChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return expert_label(obj)


def _unit_name(application: Application) -> str:
    return application.unit.name


class PanelForm(forms.Form):
    round = KeyChoiceField(label=_("Round"), queryset=Round.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, initial=Stage.SELECTION)
    name = forms.CharField(label=_("Panel name"), max_length=200)
    deadline = forms.DateField(label=_("Scoring deadline"), widget=DATE)
    members = ExpertChoice(
        label=_("Experts"),
        queryset=User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username"),
        widget=forms.CheckboxSelectMultiple,
    )


class AssignForm(forms.Form):
    """Several experts of the panel to one application at once (the page lists them with their
    affiliations and the conflicts found before anyone is assigned)."""

    application = KeyChoiceField(label=_("Application"), queryset=Application.objects.none())
    experts = ExpertChoice(
        label=_("Experts"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding a conflict (administrators only, audited)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, panel: Panel, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        application = self.fields["application"]
        expert = self.fields["experts"]
        assert isinstance(application, forms.ModelChoiceField)
        assert isinstance(expert, forms.ModelMultipleChoiceField)
        application.label_from_instance = _unit_name  # type: ignore[assignment,method-assign]
        candidates = Application.objects.filter(round=panel.round, kind=panel.kind)
        if panel.stage == Stage.SELECTION:
            candidates = candidates.filter(status="recommended")
        else:
            # Units whose district passed a self-evaluation report of the stage on to the city.
            candidates = candidates.filter(
                submissions__stage=panel.stage,
                submissions__district_decision="recommended",
                submissions__withdrawn_at__isnull=True,
            ).distinct()
        application.queryset = candidates.select_related("unit", "round")
        expert.queryset = panel.members.order_by("first_name", "username")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PostForm(forms.Form):
    text = forms.CharField(label=_("Your contribution"), widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.Form):
    districts = KeysChoiceField(
        label=_("Districts you are affiliated with"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    consultancies = forms.CharField(
        label=_("Consultancies you work for (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SettingsForm(forms.Form):
    method = forms.ChoiceField(label=_("Aggregation method"), choices=MethodChoice.choices)
    item_range_share = forms.CharField(
        label=_("Item divergence: range above this share of the item's points")
    )
    total_spread_limit = forms.CharField(
        label=_("Total divergence: main totals more than this many points apart")
    )
    panel_visibility = forms.ChoiceField(
        label=_("The panel sees the other experts' scores"), choices=PanelVisibility.choices
    )
    applicant_visibility = forms.ChoiceField(
        label=_("After publication applicants see"), choices=ApplicantVisibility.choices
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))
