"""The form to open a round; the business rules live in ``actions.do_open_round``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lowcarbon.documents.formatting import factor_set_name
from lowcarbon.web.language import local
from lowcarbon.web.numbers import YearField
from lowcarbon.web.rounds import editions
from lowcarbon.web.rounds.models import Kind

__all__ = ["OpenRoundForm"]


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class OpenRoundForm(forms.Form):
    year = YearField(label=_("Year"), first=2021, last=2100)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds open"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    submission_deadline = forms.DateField(
        label=_("Submission deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recommendation_deadline = forms.DateField(
        label=_("Recommendation deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    review_deadline = forms.DateField(
        label=_("Review deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    community_rubric = forms.ChoiceField(label=_("Community rubric edition"))
    community_outline = forms.ChoiceField(label=_("Community plan outline edition"))
    zone_rubric = forms.ChoiceField(label=_("Zone rubric edition"))
    zone_outline = forms.ChoiceField(label=_("Zone plan outline edition"))
    factor_set_id = forms.ChoiceField(label=_("Emission factor set"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind.values:
            rubric = self.fields[f"{kind}_rubric"]
            outline = self.fields[f"{kind}_outline"]
            assert isinstance(rubric, forms.ChoiceField)
            assert isinstance(outline, forms.ChoiceField)
            rubric.choices = _choices(editions.rubric_editions(kind))
            outline.choices = _choices(editions.outline_editions(kind))
        factor_set = self.fields["factor_set_id"]
        assert isinstance(factor_set, forms.ChoiceField)
        # Each set by its title (上海市温室气体排放核算缺省因子 …), as the bureau cites it.
        factor_set.choices = [
            (set_id, factor_set_name(set_id, local)) for set_id in editions.factor_set_ids()
        ]

    def action_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "kinds": data["kinds"],
            "submission_deadline": data["submission_deadline"],
            "recommendation_deadline": data["recommendation_deadline"],
            "review_deadline": data["review_deadline"],
            "rubric_editions": {kind: data[f"{kind}_rubric"] for kind in Kind.values},
            "outline_editions": {kind: data[f"{kind}_outline"] for kind in Kind.values},
            "factor_set_id": data["factor_set_id"],
        }
