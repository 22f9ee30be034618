from django.urls import URLPattern, URLResolver, path

from cityeval.reviews.views import clarification, item, workspace

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", workspace.queue, name="queue"),
    path("<int:pk>/", workspace.workspace, name="workspace"),
    path("<int:pk>/start/", workspace.start, name="start"),
    path("<int:pk>/accept/", workspace.bulk, name="bulk_accept"),
    path("<int:pk>/clarify/", workspace.clarify, name="request_clarification"),
    path("<int:pk>/field-visit/", workspace.field_visit, name="field_visit"),
    path("<int:pk>/items/<int:item_pk>/", item.review_item, name="item"),
    path("<int:pk>/changes/", clarification.changes, name="changes"),
    path("<int:pk>/clarification/", clarification.clarification, name="clarification"),
]
