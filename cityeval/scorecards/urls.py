from django.urls import path

from cityeval.scorecards import pdf_views, views

app_name = "scorecards"

urlpatterns = [
    path("<int:pk>/", views.scorecard_view, name="scorecard"),
    path("<int:pk>/simulate/", views.simulate, name="simulate"),
    path("<int:pk>/pdf/", pdf_views.scorecard_pdf, name="pdf"),
]
