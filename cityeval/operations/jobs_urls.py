from django.urls import path

from cityeval.operations import jobs_page

app_name = "jobs"

urlpatterns = [
    path("", jobs_page.batches, name="batches"),
]
