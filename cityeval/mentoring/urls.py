from django.urls import URLPattern, URLResolver, path

from cityeval.mentoring import views

app_name = "mentoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path("evaluations/<int:pk>/", views.visit_list, name="visits"),
    path("evaluations/<int:pk>/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("visits/<int:pk>/points/", views.point_add, name="point_add"),
    path("visits/<int:pk>/actions/", views.action_add, name="action_add"),
    path("visits/<int:pk>/materials/", views.material_add, name="material_add"),
    path("visits/<int:pk>/field-visits/", views.field_visit_attach, name="field_visit_attach"),
    path("visits/<int:pk>/berita-acara.pdf", views.berita_acara, name="berita_acara"),
    path("materials/<int:pk>/", views.material, name="material"),
]
