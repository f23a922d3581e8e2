from __future__ import annotations

from django.urls import path

from lowcarbon.web.review import inspection_views, sheet_views, views

app_name = "review"
urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("profile/", views.profile, name="profile"),
    path("experts/<int:user_id>/profile/", views.profile, name="expert_profile"),
    path("assignments/<int:pk>/", views.workspace, name="workspace"),
    path("assignments/<int:pk>/items/<str:item_id>/", views.save_item, name="save_item"),
    path("assignments/<int:pk>/items/<str:item_id>/revise/", views.revise_item, name="revise"),
    path("assignments/<int:pk>/submit/", views.submit, name="submit"),
    path("assignments/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("assignments/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("assignments/<int:pk>/evidence/<str:code>/", views.assignment_evidence, name="evidence"),
    path("panels/", views.panels, name="panels"),
    path("panels/<int:pk>/", views.panel_detail, name="panel"),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/",
        views.panel_result,
        name="result",
    ),
    path("rounds/<int:pk>/settings/", views.settings_page, name="settings"),
    path("rounds/<int:pk>/ranking/<str:kind>/", views.ranking_page, name="ranking"),
    path("rounds/<int:pk>/publish/", views.publish, name="publish"),
    path("rounds/<int:pk>/selected/", views.public_results, name="public"),
    path("assignments/<int:pk>/sheet.<str:fmt>", sheet_views.expert_sheet, name="expert_sheet"),
    path(
        "rounds/<int:pk>/results/<str:kind>.<str:fmt>",
        sheet_views.result_sheet,
        name="result_sheet",
    ),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/inspection/",
        inspection_views.checklist,
        name="inspection",
    ),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/inspection/<str:item_id>/",
        inspection_views.record,
        name="inspection_record",
    ),
    path("inspection-photos/<int:pk>/", inspection_views.photo, name="inspection_photo"),
    path(
        "inspection-photos/<int:pk>/remove/",
        inspection_views.remove_photo,
        name="inspection_photo_remove",
    ),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/decision/", views.my_decision, name="decision"),
]
