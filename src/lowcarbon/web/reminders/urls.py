from __future__ import annotations

from django.urls import path

from lowcarbon.web.reminders import views

app_name = "reminders"
urlpatterns = [path("", views.my_reminders, name="mine")]
