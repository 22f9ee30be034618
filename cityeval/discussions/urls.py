from django.urls import URLPattern, URLResolver, path

from cityeval.discussions import views

app_name = "discussions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("items/<int:item_pk>/threads/new/", views.start, name="start"),
    path("items/<int:item_pk>/data-request/", views.ask, name="ask"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("posts/<int:pk>/edit/", views.edit, name="edit"),
    path("posts/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("requests/<int:pk>/close/", views.close, name="close"),
]
