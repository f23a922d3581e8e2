from __future__ import annotations

from django.urls import path

from lowcarbon.web.evaluation import views as views

app_name = "evaluation"
urlpatterns = [
    # The unit's self-evaluation report of a stage (midterm, final).
    path("units/<int:pk>/<str:stage>/", views.report, name="report"),
    path("units/<int:pk>/<str:stage>/items/<str:item_id>/", views.save_item, name="save_item"),
    path("units/<int:pk>/<str:stage>/texts/", views.save_texts, name="save_texts"),
    path("units/<int:pk>/<str:stage>/submit/", views.submit, name="submit"),
    # A frozen report (a submission of the stage): read, its files, the district's pre-acceptance.
    path("reports/<int:pk>/", views.frozen, name="frozen"),
    path("reports/<int:pk>/files/<str:code>/", views.frozen_file, name="frozen_file"),
    path("reports/<int:pk>/pre-acceptance/", views.pre_accept, name="pre_accept"),
]
