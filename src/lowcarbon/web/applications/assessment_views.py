"""Placeholder: replaced by the assessment increment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lowcarbon.web.applications.views import visible_or_404

__all__ = ["urlpatterns"]


@login_required
def page(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(request, pk)
    return render(request, "applications/workspace_base.html", {"application": application})


urlpatterns = [path("<int:pk>/assessment/", page, name="assessment")]
