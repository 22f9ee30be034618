from django.urls import path

from cityeval.help import views

app_name = "help"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("indeks/<int:pk>/", views.framework, name="framework"),
    path("glosarium/", views.glossary, name="glossary"),
    path("faq/", views.faq, name="faq"),
    path("pertanyaan/", views.questions, name="questions"),
    path("pertanyaan/<int:pk>/", views.question, name="question"),
    path("pertanyaan/evaluasi/<int:evaluation_pk>/", views.ask, name="ask"),
    path("daftar-periksa/tutup/", views.dismiss, name="dismiss"),
]
