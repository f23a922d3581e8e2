"""The meter register and the file imports, under /monitoring/ (the monthly figures have their
own module under /monitoring/figures/)."""

from __future__ import annotations

from django.urls import path

from lowcarbon.web.monitoring import correction_views, views

app_name = "monitoring"
urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<int:unit>/meters/", views.meters, name="meters"),
    path("units/<int:unit>/meters/new/", views.meter_create, name="meter_create"),
    path("units/<int:unit>/meters/bulk/", views.meter_bulk, name="meter_bulk"),
    path("units/<int:unit>/meters/template.xlsx", views.meter_template, name="meter_template"),
    path("meters/<int:pk>/", views.meter_detail, name="meter"),
    path("meters/<int:pk>/edit/", views.meter_edit, name="meter_edit"),
    path("meters/<int:pk>/events/new/", views.meter_event, name="meter_event"),
    path("units/<int:unit>/imports/", views.imports, name="imports"),
    path("units/<int:unit>/imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/report.csv", views.import_report, name="import_report"),
    path(
        "meters/<int:pk>/corrections/new/",
        correction_views.correction_new,
        name="correction_new",
    ),
    path("units/<int:unit>/corrections/", correction_views.corrections, name="corrections"),
]
