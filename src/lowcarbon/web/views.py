"""Shared pages: sign-in and the role-aware home page (我的工作台)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lowcarbon.web import permissions
from lowcarbon.web.forms import ThrottledAuthenticationForm

__all__ = ["ThrottledLoginView", "home"]


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "rounds": permissions.visible_rounds(request.user),
        "can_manage_rounds": permissions.can_manage_rounds(request.user),
    }
    return render(request, "home.html", context)
