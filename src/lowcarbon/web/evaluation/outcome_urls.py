"""URLs of acceptance outcomes and the naming (mounted at /acceptance/)."""

from __future__ import annotations

from django.urls import path

from lowcarbon.web.evaluation import outcome_views as views

app_name = "acceptance"

urlpatterns = [
    path("", views.index, name="index"),
    path("named/", views.named, name="named"),
    # Before the round page: "publish" is not a stage.
    path("rounds/<int:pk>/<str:kind>/publish/", views.publish, name="publish"),
    path("rounds/<int:pk>/<str:kind>/<str:stage>/", views.round_page, name="round"),
    path("rounds/<int:pk>/<str:kind>/<str:stage>/rule/", views.set_rule, name="set_rule"),
    path(
        "rounds/<int:pk>/<str:kind>/<str:stage>/results.<str:fmt>",
        views.results,
        name="results",
    ),
    path("units/<int:pk>/<str:stage>/decide/", views.decide, name="decide"),
    path("decisions/<int:pk>/opinion.<str:fmt>", views.opinion, name="opinion"),
]
