from django.urls import URLPattern, URLResolver, path

from cityeval.evidence import views, visit_views

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("items/<int:item_pk>/files/", views.add_files, name="add_files"),
    path("items/<int:item_pk>/links/", views.add_link, name="add_link"),
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("evaluations/<int:pk>/visits/", visit_views.visit_list, name="visits"),
    path("evaluations/<int:pk>/visits/new/", visit_views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/photos/", visit_views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", visit_views.photo, name="photo"),
    path("photos/<int:pk>/remove/", visit_views.photo_remove, name="photo_remove"),
]
