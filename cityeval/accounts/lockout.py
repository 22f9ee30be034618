"""Lockout after repeated failed sign-ins.

Policy: `LOGIN_FAILURE_LIMIT` failures (5) for one username within `LOGIN_FAILURE_WINDOW`
(15 minutes) lock that username for `LOGIN_LOCKOUT_SECONDS` (15 minutes) counted from the last
failure. A successful sign-in clears the count.

Why the username and not the IP address: offices sign in from behind one NAT address and a reverse
proxy makes every request come from the proxy, so an IP key would lock a whole agency (or nobody),
while a username key stops guessing spread over many addresses. Failures are counted for names
that match no account too, so the lockout message tells nothing about which accounts exist.
Attempts made while locked are refused without being recorded, so the lock ends on time even
while someone keeps trying.

django-axes was considered and not used: its backend needs the request in every `authenticate()`
call, which breaks `Client.login()` in every other app's tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from cityeval.accounts.models import LoginFailure

# Failures older than this are of no use to any rule; pruning keeps the table small.
_KEEP = timedelta(days=1)


def locked_until(username: str) -> datetime | None:
    """When the lock on this username ends, or None when it may try now."""
    limit: int = settings.LOGIN_FAILURE_LIMIT
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    lockout = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    now = timezone.now()
    recent = list(
        LoginFailure.objects.for_username(username)
        .filter(at__gte=now - lockout - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit or recent[0] - recent[-1] > window:
        return None
    until = recent[0] + lockout
    return until if until > now else None


def record_failure(username: str, *, ip_address: str | None) -> None:
    LoginFailure.objects.filter(at__lt=timezone.now() - _KEEP).delete()
    LoginFailure.objects.create(
        username=LoginFailure.normalise(username), ip_address=ip_address or None
    )


def clear_failures(username: str) -> None:
    LoginFailure.objects.for_username(username).delete()
