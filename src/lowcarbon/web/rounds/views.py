"""Round pages: open a round (administrators), see one round (whoever may)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lowcarbon.documents.formatting import factor_set_name
from lowcarbon.web import permissions
from lowcarbon.web.language import local
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.forms import OpenRoundForm
from lowcarbon.web.rounds.models import Kind, Round

__all__ = ["open_round", "round_detail"]


@login_required
def open_round(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_rounds(request.user):
        permissions.deny(request, "open a round")
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = do_open_round(**form.action_arguments(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The {year} round is open.").format(year=round_.year))
            return redirect("rounds:detail", pk=round_.pk)
    return render(request, "rounds/open.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(Round, pk=pk)
    if not permissions.can_view_round(request.user, round_):
        # 404, not 403: whether a closed round exists is itself not for everyone to know.
        permissions.log_denied(request, f"view round {pk}")
        raise Http404
    kinds = [(kind, label) for kind, label in Kind.choices if kind in round_.kinds]
    context = {
        "round": round_,
        "can_manage_review": permissions.can_manage_review(request.user),
        "kinds": kinds,
        # Editions by the kind's name (低碳社区 2021版), the factor set by its title.
        "editions": [
            {
                "kind": label,
                "rubric": round_.rubric_editions.get(kind, ""),
                "outline": round_.outline_editions.get(kind, ""),
            }
            for kind, label in kinds
        ],
        "factor_set_name": factor_set_name(round_.factor_set_id, local),
    }
    return render(request, "rounds/detail.html", context)
