"""Public pages rendered once per publication state and served from the shared cache.

What anyone may read without signing in (published scorecards, the public dashboard under every
filter, the open-data page and files) changes only when a result is published or reopened, yet on
results day thousands of visitors ask for the same few pages. Each such response is rendered once
and kept in Django's cache (Redis when `REDIS_URL` is set, so every application server shares it),
under a key that names the publication state:

- The marker is the id of the newest audit entry that changed what is published: publishing and
  reopening recompute the rank intervals inside their own transaction and audit that with one of
  `PUBLICATION_ACTIONS`, and audit ids only grow. Every server reads the marker from the database
  on each request, so a publication through one server is seen by all at once, whatever the cache
  backend; a stale entry is never read again (it expires after `SECONDS`).
- The key also holds the page, the full path with its query string (every filter) and the active
  language. The entry's ETag is that key and its Last-Modified the time of the marker's entry, so
  a browser that has the page gets 304 Not Modified without any rendering.

Only anonymous GET/HEAD requests with no pending message are cached: a signed-in person's page
carries their navigation and notifications. The CSRF token of the forms in the page (language
switch, simulator) is the one per-visitor part: the page is rendered with `CSRF_PLACEHOLDER` in its
place and each response gets a fresh masked token of its own visitor (`get_token`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

from cityeval.audit.models import AuditEntry

PUBLICATION_ACTIONS = ("results.rank_intervals.computed", "results.rank_intervals.cleared")
# A safety net for what the marker does not see (a region renamed, a framework label corrected).
SECONDS = 15 * 60
CSRF_PLACEHOLDER = "cityeval-csrf-placeholder-7d0c2e"
# Headers that belong to the page and are kept with it (cookies and Vary are per response).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")

Render = Callable[[Mapping[str, Any]], HttpResponse]


@dataclass(frozen=True)
class Publication:
    marker: int  # id of the newest audit entry that changed what is published (0 before any)
    at: datetime | None  # when it was written


def publication() -> Publication:
    """The current publication state, read from the database (one indexed query)."""
    newest = (
        AuditEntry.objects.filter(action__in=PUBLICATION_ACTIONS)
        .order_by("-id")
        .values_list("id", "at")
        .first()
    )
    return Publication(0, None) if newest is None else Publication(newest[0], newest[1])


def publication_marker() -> int:
    return publication().marker


def state_key(page: str, marker: int, *parts: object) -> str:
    """A cache key that names the page, the publication state and the active language."""
    named = (marker, translation.get_language(), page, *parts)
    return f"public:{page}:{hashlib.sha256(repr(named).encode()).hexdigest()[:32]}"


def cacheable(request: HttpRequest) -> bool:
    """Whether this request sees the page everybody sees (see the module docstring)."""
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # A message waiting for this visitor (e.g. "you have signed out") is shown in the page.
    return len(get_messages(request)) == 0


def public_page(request: HttpRequest, page: str, render: Render) -> HttpResponseBase:
    """The response of `render`, from the shared cache for anonymous readers (module docstring).

    `render(extra)` must render the page with `extra` added to its template context (it carries
    the CSRF placeholder); it is called without extra for requests that are not cached.
    """
    if not cacheable(request):
        return render({})
    state = publication()
    key = state_key(page, state.marker, request.get_full_path())
    etag = quote_etag(key.rsplit(":", 1)[-1])
    last_modified = int(state.at.timestamp()) if state.at else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _public_headers(not_modified, etag, last_modified)
    stored: tuple[int, dict[str, str], bytes] | None = cache.get(key)
    if stored is None:
        fresh = render({"csrf_token": CSRF_PLACEHOLDER})
        if fresh.status_code != 200 or fresh.cookies or fresh.streaming:
            return _with_token(request, fresh)
        headers = {name: fresh[name] for name in KEPT_HEADERS if fresh.has_header(name)}
        stored = (fresh.status_code, headers, fresh.content)
        cache.set(key, stored, SECONDS)
    status, headers, content = stored
    response = HttpResponse(content, status=status, headers=headers)
    return _public_headers(_with_token(request, response), etag, last_modified)


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response


def _public_headers(
    response: HttpResponseBase, etag: str, last_modified: int | None
) -> HttpResponseBase:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # The browser may keep it but must ask again (a 304 costs no rendering): a reopened result
    # must not be served from a cache after the reopening. Private: a shared proxy could hand the
    # anonymous copy to a signed-in reader, whose page differs.
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie",))  # the language comes from a cookie too
    return response
