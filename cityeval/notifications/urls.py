from django.urls import path

from cityeval.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.read_one, name="read"),
    path("read-all/", views.read_all, name="read_all"),
]
