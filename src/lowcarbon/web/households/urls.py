from __future__ import annotations

from django.urls import path

from lowcarbon.web.households import meter_views, views

app_name = "households"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("units/<int:pk>/", views.community, name="community"),
    path("units/<int:pk>/new/", views.household_add, name="add"),
    path("units/<int:pk>/selection/run/", views.selection_run, name="selection_run"),
    path("units/<int:pk>/selection/<int:year>/", views.selection, name="selection"),
    path(
        "units/<int:pk>/selection/<int:year>/publish/",
        views.selection_publish,
        name="selection_publish",
    ),
    path("units/<int:pk>/meters/feed/", meter_views.feed, name="feed"),
    path("<int:pk>/", views.household, name="household"),
    path("<int:pk>/meters/link/", meter_views.meter_link, name="meter_link"),
    path("<int:pk>/meters/unlink/", meter_views.meter_unlink, name="meter_unlink"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/account/", views.account, name="account"),
    path("<int:pk>/months/new/", views.month_add, name="month_add"),
    path("<int:pk>/months/<int:month_pk>/", views.month_edit, name="month_edit"),
    path(
        "<int:pk>/months/<int:month_pk>/take-metered/",
        meter_views.month_take_metered,
        name="month_take_metered",
    ),
]
