"""The language switch of anonymous pages: a GET form, so a public page carries no CSRF token.

A published scorecard or the public dashboard is served to every anonymous visitor from one cached
copy (results/public_pages.py); a per-visitor token in it would make each response differ and
cost a cookie per hit. Choosing the display language changes nothing but the visitor's own
language cookie, so it needs no CSRF protection: a forged request could at worst switch a
visitor's language, which the switch in every page switches back. Signed-in pages keep Django's
POST form (`set_language`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.views.decorators.http import require_GET

from cityeval.core.middleware import SUPPORTED_LANGUAGES
from cityeval.core.redirects import safe_next


@require_GET
def choose_language(request: HttpRequest) -> HttpResponseRedirect:
    """Set the language cookie to `?language=` (if offered) and go back to `?next=`."""
    response = HttpResponseRedirect(safe_next(request, "/"))
    language = request.GET.get("language", "")
    if language in SUPPORTED_LANGUAGES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
