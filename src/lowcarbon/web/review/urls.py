from __future__ import annotations

from django.urls import path

from lowcarbon.web.review.views import (
    assignment,
    decisions,
    experts,
    inspection,
    results,
    scoring,
    sheet,
    sheets,
)

app_name = "review"
urlpatterns = [
    path("tasks/", experts.tasks, name="tasks"),
    path("profile/", experts.profile, name="profile"),
    path("experts/<int:user_id>/profile/", experts.profile, name="expert_profile"),
    path("assignments/<int:pk>/", scoring.workspace, name="workspace"),
    path("assignments/<int:pk>/items/<str:item_id>/", scoring.save_item, name="save_item"),
    path("assignments/<int:pk>/items/<str:item_id>/revise/", scoring.revise_item, name="revise"),
    path(
        "assignments/<int:pk>/items/<str:item_id>/autosave/",
        sheet.autosave_item,
        name="autosave_item",
    ),
    path("assignments/<int:pk>/scores/", sheet.save_sheet, name="save_sheet"),
    path(
        "assignments/<int:pk>/start-from-self-assessment/",
        sheet.start_from_self_assessment,
        name="start_from_self",
    ),
    path("assignments/<int:pk>/submit/", scoring.submit, name="submit"),
    path("assignments/<int:pk>/conflict/", scoring.declare_conflict, name="declare_conflict"),
    path("assignments/<int:pk>/reopen/", assignment.reopen, name="reopen"),
    path("assignments/<int:pk>/evidence/<str:code>/", scoring.assignment_evidence, name="evidence"),
    path("panels/", assignment.panels, name="panels"),
    path("panels/<int:pk>/", assignment.panel_detail, name="panel"),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/",
        results.panel_result,
        name="result",
    ),
    path("rounds/<int:pk>/settings/", decisions.settings_page, name="settings"),
    path("rounds/<int:pk>/ranking/<str:kind>/", decisions.ranking_page, name="ranking"),
    path("rounds/<int:pk>/publish/", decisions.publish, name="publish"),
    path("rounds/<int:pk>/selected/", decisions.public_results, name="public"),
    path("assignments/<int:pk>/sheet.<str:fmt>", sheets.expert_sheet, name="expert_sheet"),
    path(
        "rounds/<int:pk>/results/<str:kind>.<str:fmt>",
        sheets.result_sheet,
        name="result_sheet",
    ),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/inspection/",
        inspection.checklist,
        name="inspection",
    ),
    path(
        "panels/<int:panel_pk>/applications/<int:application_pk>/inspection/<str:item_id>/",
        inspection.record,
        name="inspection_record",
    ),
    path("inspection-photos/<int:pk>/", inspection.photo, name="inspection_photo"),
    path(
        "inspection-photos/<int:pk>/remove/",
        inspection.remove_photo,
        name="inspection_photo_remove",
    ),
    path("applications/<int:pk>/decide/", decisions.decide, name="decide"),
    path("applications/<int:pk>/decision/", results.my_decision, name="decision"),
]
