from django.urls import path

from cityeval.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/berkas/<int:evidence_pk>/", views.practice_file, name="file"),
    path("<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("<int:pk>/sembunyikan/", views.hide, name="hide"),
    path("<int:pk>/tampilkan/", views.unhide, name="unhide"),
    path("butir/<int:item_pk>/bagikan/", views.share, name="share"),
    path("program/", views.programs, name="programs"),
    path("pembanding/<int:region_id>/", views.peers, name="peers"),
]
