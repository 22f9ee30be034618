"""The unread count of the top bar: one COUNT query per page, none for anonymous visitors."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cityeval.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that does not render the top bar (a fragment, a file) pays nothing.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.of(user).unread().count()
        )
    }
