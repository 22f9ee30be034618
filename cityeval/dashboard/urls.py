from django.urls import path

from cityeval.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.national, name="national"),
    path("public/", views.public, name="public"),
    path("map/", views.boundaries, name="boundaries"),
    path("map/<int:pk>/remove/", views.remove_boundary_file, name="remove_boundaries"),
    path("map/<int:pk>-<str:checksum>.json", views.geometry, name="geometry"),
]
