from __future__ import annotations

from django.urls import path

from lowcarbon.web.rounds import views

app_name = "rounds"
urlpatterns = [
    path("open/", views.open_round, name="open"),
    path("<int:pk>/", views.round_detail, name="detail"),
]
