"""Session expiry: an idle timeout and an absolute limit.

Decision: a signed-in session ends after `SESSION_IDLE_TIMEOUT` (2 hours) without a request, and
in any case `SESSION_COOKIE_AGE` (8 hours, one working day) after sign-in. Government PCs are
shared and left unlocked; the idle limit closes a forgotten session, while two hours leave an
assessor typing a long field note on a phone room to finish before submitting.

`SESSION_SAVE_EVERY_REQUEST` would give a sliding expiry too, but it writes the session row on
every request (every htmx fragment), which SQLite serialises. Here the "last seen" time is
written at most once a minute, so the idle limit is exact to within that minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SEEN_KEY = "cityeval_seen"
STARTED_KEY = "cityeval_started"
TOUCH_INTERVAL = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        started = session.get(STARTED_KEY)
        idle = seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT
        too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            # The view then runs for an anonymous visitor: a protected page redirects to the
            # login page, which shows this message.
            logout(request)
            messages.info(request, _("Sesi Anda telah berakhir. Silakan masuk lagi."))
            return
        if started is None:
            session[STARTED_KEY] = now
        if seen is None or now - seen >= TOUCH_INTERVAL:
            session[SEEN_KEY] = now


def start_session_clock(request: HttpRequest) -> None:
    """Called on sign-in: a session kept across a second sign-in must not keep the old start."""
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
