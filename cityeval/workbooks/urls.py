"""Routes of the offline workbook, mounted under /evaluations/ in the `evaluations` namespace."""

from django.urls import path

from cityeval.workbooks import views

urlpatterns = [
    path("<int:pk>/workbook/", views.upload, name="workbook"),
    path("<int:pk>/workbook.xlsx", views.download, name="workbook_download"),
    path("<int:pk>/workbook/confirm/", views.confirm, name="workbook_confirm"),
    path("<int:pk>/workbook/preview/<int:job_id>/", views.preview, name="workbook_preview"),
]
