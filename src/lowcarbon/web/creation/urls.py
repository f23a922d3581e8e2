from __future__ import annotations

from django.urls import path

from lowcarbon.web.creation import filing_views, overview_views, rectification_views, views

app_name = "creation"
urlpatterns = [
    path("todos/", views.todos, name="todos"),
    path("units/", views.unit_list, name="list"),
    path("overview/", overview_views.overview, name="overview"),
    path("overview.xlsx", overview_views.overview_export, name="overview_export"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/status/", views.unit_status, name="status"),
    path("units/<int:pk>/items/<int:item_pk>/extend/", views.unit_extend, name="extend"),
    path("units/<int:pk>/items/<int:item_pk>/done/", views.record_completion, name="complete"),
    path(
        "units/<int:pk>/rectifications/new/",
        rectification_views.rectification_issue,
        name="rectification_issue",
    ),
    path(
        "rectifications/<int:pk>/",
        rectification_views.rectification_order,
        name="rectification",
    ),
    path(
        "rectifications/<int:pk>/items/<int:number>/answer/",
        rectification_views.rectification_answer,
        name="rectification_answer",
    ),
    path(
        "rectifications/<int:pk>/submit/",
        rectification_views.rectification_submit,
        name="rectification_submit",
    ),
    path(
        "rectifications/<int:pk>/close/",
        rectification_views.rectification_close,
        name="rectification_close",
    ),
    path(
        "rectifications/<int:pk>/return/",
        rectification_views.rectification_return,
        name="rectification_return",
    ),
    path(
        "rectifications/files/<int:pk>/",
        rectification_views.rectification_file,
        name="rectification_file",
    ),
    path("units/<int:pk>/filings/", filing_views.unit_filings, name="filings"),
    path("units/<int:pk>/filings/new/", filing_views.filing_start, name="filing_start"),
    path("filings/<int:pk>/", filing_views.filing_detail, name="filing"),
    path("filings/<int:pk>/save/", filing_views.filing_save, name="filing_save"),
    path("filings/<int:pk>/activity/", filing_views.filing_activity, name="filing_activity"),
    path("filings/<int:pk>/submit/", filing_views.filing_submit, name="filing_submit"),
    path("filings/<int:pk>/review/", filing_views.filing_review, name="filing_review"),
    path("filings/<int:pk>/delete/", filing_views.filing_delete, name="filing_delete"),
    path("rounds/<int:pk>/late-filings/", filing_views.filing_policy, name="filing_policy"),
    path("rounds/<int:pk>/schedule/", views.round_schedule, name="schedule"),
    path("schedule/<int:pk>/edit/", views.schedule_item_edit, name="schedule_edit"),
]
