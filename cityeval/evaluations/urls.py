from django.urls import path

from cityeval.evaluations.views import cycles, history, items, overview

app_name = "evaluations"

urlpatterns = [
    path("", overview.my_evaluations, name="mine"),
    path("<int:pk>/", overview.overview, name="overview"),
    path("<int:pk>/submit/", overview.submit, name="submit"),
    path("<int:pk>/refresh-programs/", overview.refresh_programs, name="refresh_programs"),
    path("<int:pk>/items/", items.item_list, name="items"),
    path("<int:pk>/items/assign/", items.assign, name="assign"),
    path("<int:pk>/items/<int:item_pk>/", items.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/history/", history.item_history, name="item_history"),
    path("<int:pk>/log.csv", history.evaluation_log, name="log"),
    path("<int:pk>/entry-exception/", cycles.entry_exception, name="entry_exception"),
    path("cycles/", cycles.cycle_list, name="cycles"),
    path("cycles/new/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/assessors/", cycles.cycle_assign, name="cycle_assign"),
]
