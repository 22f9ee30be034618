"""Masterplan pages, mounted at /masterplan/. Every page belongs to one region."""

from django.urls import URLPattern, URLResolver, path

from cityeval.masterplans import views

app_name = "masterplans"

urlpatterns: list[URLPattern | URLResolver] = [
    path("region/<int:region_id>/", views.region_page, name="region"),
    path("region/<int:region_id>/ubah/", views.masterplan_edit, name="masterplan_edit"),
    path(
        "region/<int:region_id>/baru/",
        views.masterplan_edit,
        {"new": True},
        name="masterplan_new",
    ),
    path("region/<int:region_id>/program/baru/", views.program_create, name="program_create"),
    path(
        "region/<int:region_id>/program/<int:program_id>/ubah/",
        views.program_edit,
        name="program_edit",
    ),
    path(
        "region/<int:region_id>/program/<int:program_id>/tahun/<int:year>/",
        views.year_edit,
        name="year_edit",
    ),
    path("region/<int:region_id>/templat.xlsx", views.template_download, name="template"),
    path("region/<int:region_id>/impor/", views.import_programs, name="import"),
    path("region/<int:region_id>/impor/<int:job_id>/", views.import_job, name="import_job"),
]
