"""The expert's own pages: 我的评审任务 and the expert's affiliations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.review import actions
from lowcarbon.web.review.forms import ProfileForm
from lowcarbon.web.review.models import ExpertProfile
from lowcarbon.web.review.views.common import (
    add_errors,
    admin_or_404,
    not_found,
)

__all__ = [
    "profile",
    "tasks",
]


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """我的评审任务: the expert's assignments with their deadlines and states."""
    if not permissions.is_expert(request.user):
        raise not_found(request, "review tasks")
    assignments = permissions.visible_assignments(request.user).order_by(
        "panel__deadline", "application__unit__name"
    )
    return render(request, "review/tasks.html", {"assignments": assignments})


@login_required
def profile(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    """The expert's affiliations (their own, or any expert's for an administrator)."""
    if user_id is None:
        expert = request.user
        if not permissions.is_expert(expert):
            raise not_found(request, "expert profile")
    else:
        admin_or_404(request, f"expert profile {user_id}")
        found = User.objects.filter(pk=user_id, role=Role.EXPERT).first()
        if found is None:
            raise Http404
        expert = found
    stored = ExpertProfile.objects.filter(user_id=int(expert.pk or 0)).first()
    initial = {
        "districts": list(stored.districts.all()) if stored else [],
        "organisation_name": stored.organisation_name if stored else "",
        "consultancies": "\n".join(stored.consultancies) if stored else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_expert_profile(
                expert,  # type: ignore[arg-type]
                districts=form.cleaned_data["districts"],
                organisation_name=form.cleaned_data["organisation_name"],
                consultancies=form.cleaned_data["consultancies"].splitlines(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The affiliations were saved."))
            return redirect(request.path)
    return render(request, "review/profile.html", {"form": form, "expert": expert})
