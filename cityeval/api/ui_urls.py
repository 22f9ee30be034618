"""The token page, mounted at /accounts/tokens/ (reached from the profile)."""

from django.urls import URLPattern, path

from cityeval.api import views

urlpatterns: list[URLPattern] = [
    path("", views.tokens, name="api_tokens"),
    path("<int:pk>/revoke/", views.revoke, name="api_token_revoke"),
]
