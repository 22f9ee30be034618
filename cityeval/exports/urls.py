from django.urls import path

from cityeval.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:cycle_id>/results.xlsx", views.workbook, name="xlsx"),
    path("<int:cycle_id>/regions.csv", views.regions_table, name="regions_csv"),
    path("<int:cycle_id>/items.csv", views.items_table, name="items_csv"),
    path("<int:cycle_id>/results.json", views.results_json, name="json"),
    path("<int:cycle_id>/datapackage.json", views.datapackage, name="datapackage"),
    path("catalog.jsonld", views.catalog, name="catalog"),
]
