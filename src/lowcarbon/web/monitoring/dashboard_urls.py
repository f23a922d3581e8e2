"""The monthly energy and emission pages, under ``/monitoring/figures/``."""

from __future__ import annotations

from django.urls import path

from lowcarbon.web.monitoring import dashboard_views

app_name = "monitoring_figures"
urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("unit/<int:pk>/", dashboard_views.unit_page, name="unit"),
    path("district/<str:code>/", dashboard_views.district_page, name="district"),
    path("city/", dashboard_views.city_page, name="city"),
]
