from django.urls import path

from cityeval.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.batches, name="batches"),
]
