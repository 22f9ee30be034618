from django.urls import path

from cityeval.scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("<int:pk>/", views.scorecard_view, name="scorecard"),
    path("<int:pk>/simulate/", views.simulate, name="simulate"),
]
