from django.urls import path

from cityeval.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
