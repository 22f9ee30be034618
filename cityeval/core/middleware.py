"""Language choice: Indonesian unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language header; many government PCs run
an English browser, and the program's working language is Indonesian. So the language comes from
the person's explicit choice only: the language cookie set by the switch in the top bar, then
the preference stored on their account, then Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def chosen_language(request: HttpRequest) -> str:
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    if preferred in SUPPORTED_LANGUAGES:
        return str(preferred)
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response
