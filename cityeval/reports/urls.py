from django.urls import path

from cityeval.reports.views import followup, recommendations, report, workflow

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", report.report, name="report"),
    path("<int:pk>/result/", report.result, name="result"),
    path("<int:pk>/edit/", report.edit, name="edit"),
    path("<int:pk>/propose/", recommendations.propose, name="propose"),
    path("<int:pk>/recommendations/add/", recommendations.add, name="add_recommendation"),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/",
        recommendations.change,
        name="change_recommendation",
    ),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/delete/",
        recommendations.delete,
        name="delete_recommendation",
    ),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/move/",
        recommendations.move,
        name="move_recommendation",
    ),
    path("<int:pk>/finalise/", workflow.finalise, name="finalise"),
    path("<int:pk>/publish/", workflow.publish_one, name="publish_one"),
    path("<int:pk>/reopen/", workflow.reopen, name="reopen"),
    path("<int:pk>/follow-up/", followup.follow_up, name="follow_up"),
    path("cycles/", workflow.cycles, name="cycles"),
    path("cycles/<int:cycle_pk>/publish/", workflow.publish, name="publish"),
]
