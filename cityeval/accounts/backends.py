"""The one authentication backend: Django's model backend behind the sign-in lockout.

The lockout lives here rather than in the login form so that every way of signing in (the login
page, the Django admin's login, `Client.login()`) shares one failure budget.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from cityeval.accounts import lockout
from cityeval.accounts.models import User


class LockoutBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if lockout.locked_until(username) is not None:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.record_failure(username, ip_address=client_ip(request))
        else:
            lockout.clear_failures(username)
        return user


def client_ip(request: HttpRequest | None) -> str | None:
    # Only REMOTE_ADDR: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
