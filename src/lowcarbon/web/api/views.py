"""The API token pages (/api-tokens/): the list, creating a token (its secret shown once, on
the answer to the form, never again) and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role

from .forms import RevokeForm, TokenForm, organisations_for
from .scopes import UNIT_STAFF_SCOPES, Scope
from .tokens import do_create_token, do_revoke_token

__all__ = ["token_list", "token_new", "token_revoke"]


def _allowed(request: HttpRequest, what: str) -> None:
    if not permissions.can_manage_api_tokens(request.user):
        permissions.deny(request, what)


def _scopes(request: HttpRequest) -> list[Scope]:
    if request.user.role == Role.ADMINISTRATOR:  # type: ignore[union-attr]
        return list(Scope)
    return [scope for scope in Scope if scope in UNIT_STAFF_SCOPES]


def _form(request: HttpRequest, data: object = None) -> TokenForm:
    return TokenForm(data, organisations=organisations_for(request.user), scopes=_scopes(request))


@require_safe
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _allowed(request, "view API tokens")
    tokens = permissions.visible_api_tokens(request.user)
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "now": timezone.now(), "form": _form(request)},
    )


@never_cache
@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    _allowed(request, "create an API token")
    form = _form(request, request.POST)
    if form.is_valid():
        try:
            token, secret = do_create_token(
                name=form.cleaned_data["name"],
                organisation=form.cleaned_data["organisation"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                actor=request.user,  # type: ignore[arg-type]
                now=timezone.now(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(None if field not in form.fields else field, problem)
        else:
            response = render(request, "api/token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    tokens = permissions.visible_api_tokens(request.user)
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "now": timezone.now(), "form": form},
        status=400,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request, "revoke an API token")
    token = permissions.visible_api_tokens(request.user).filter(pk=pk).first()
    if token is None:
        permissions.log_denied(request, f"revoke API token {pk}")
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking the token."))
        return redirect("api_tokens:list")
    try:
        do_revoke_token(
            token,
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
            now=timezone.now(),
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("The token {prefix} is revoked.").format(prefix=token.prefix))
    return redirect("api_tokens:list")
