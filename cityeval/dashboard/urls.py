from django.urls import path

from cityeval.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.national, name="national"),
    path("public/", views.public, name="public"),
    path("map/", views.boundaries, name="boundaries"),
]
