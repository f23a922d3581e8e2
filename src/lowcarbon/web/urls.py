"""Root URL configuration."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from lowcarbon.web import views
from lowcarbon.web.api.api import api_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    # Offered only when mail is configured; otherwise the pages say whom to ask.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("rounds/", include("lowcarbon.web.rounds.urls")),
    path("applications/", include("lowcarbon.web.applications.urls")),
    path("review/", include("lowcarbon.web.review.urls")),
    path("documents/", include("lowcarbon.web.documents.urls")),
    path("creation/", include("lowcarbon.web.creation.urls")),
    path("archive/", include("lowcarbon.web.archive.urls")),
    path("reminders/", include("lowcarbon.web.reminders.urls")),
    path("acceptance/", include("lowcarbon.web.evaluation.outcome_urls")),
    path("comparisons/", include("lowcarbon.web.evaluation.comparison_urls")),
    path("evaluation/documents/", include("lowcarbon.web.evaluation.document_urls")),
    path("evaluation/", include("lowcarbon.web.evaluation.urls")),
    path("monitoring/figures/", include("lowcarbon.web.monitoring.dashboard_urls")),
    path("monitoring/coverage/", include("lowcarbon.web.monitoring.coverage_urls")),
    path("monitoring/", include("lowcarbon.web.monitoring.urls")),
    path("api/v1/", api_urls()),
    path("api-tokens/", include("lowcarbon.web.api.urls")),
    path("households/", include("lowcarbon.web.households.urls")),
    path("admin/", admin.site.urls),
]

# A database still busy after its timeout is a "save again" page (503), not a server error.
handler500 = "lowcarbon.web.busy.server_error"
