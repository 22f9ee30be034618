"""Public pages rendered once per publication state and served from the shared cache.

What anyone may read without signing in (published scorecards, the public dashboard under every
filter, the open-data page and files) changes only when a result is published or reopened, yet on
results day thousands of visitors ask for the same few pages. Each such response is rendered once
and kept in Django's cache (Redis when `REDIS_URL` is set, so every application server shares it),
under a key that names the publication state:

- The marker is the id of the newest audit entry that changed what is published: publishing and
  reopening recompute the rank intervals inside their own transaction and audit that with one of
  `PUBLICATION_ACTIONS`, and audit ids only grow (`results.publication`; an upload or a removal of
  the map's boundary file counts too, `PUBLIC_PAGE_ACTIONS`). With a shared cache the marker
  itself is kept there and stored anew when a publish commits; with a per-process cache it is read
  from the database on each request (`publication.public_pages_state`). Either way a publication
  through one server is seen by all at once; a stale entry is never read again (it expires after
  `SECONDS`).
- The key also holds the page, the full path with its query string (every filter) and the active
  language. The entry's ETag is that key and its Last-Modified the time of the marker's entry, so
  a browser that has the page gets 304 Not Modified without any rendering.

Only anonymous GET/HEAD requests with no pending message are cached: a signed-in person's page
carries their navigation and notifications. An anonymous page holds no per-visitor part (its
language switch is a GET form, the simulator needs no CSRF token), so a hit is the stored bytes as
they are: a page whose rendering asked for a CSRF token is served live instead and not stored.
Each entry is kept twice, as rendered and gzipped, so a hit compresses nothing either; with no
secret in the page, a compressed copy shared by all leaks nothing (BREACH, docs/decisions.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.text import compress_string

from cityeval.core.compression import COMPRESSED_TYPES
from cityeval.results.publication import public_pages_state

# A safety net for what the marker does not see (a region renamed, a framework label corrected).
SECONDS = 15 * 60
# Headers that belong to the page and are kept with it (cookies and Vary are per response).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# Smaller bodies are not worth compressing (GZipMiddleware's own threshold).
COMPRESS_FROM = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

Render = Callable[[], HttpResponse]


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


Stored = tuple[int, dict[str, str], bytes]  # status, KEPT_HEADERS (+ Content-Encoding), body


def public_page(request: HttpRequest, page: str, render: Render) -> HttpResponseBase:
    """The response of `render()`, from the shared cache for anonymous readers (see above)."""
    if not cacheable(request):
        return render()
    state = public_pages_state()
    key = state_key(page, state.marker, request.get_full_path())
    etag = quote_etag(key.rsplit(":", 1)[-1])
    last_modified = int(state.at.timestamp()) if state.at else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return public_headers(not_modified, etag, last_modified)
    gzip = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    stored: Stored | None = cache.get(f"{key}:{'gzip' if gzip else 'identity'}")
    if stored is None:
        fresh = render()
        # A page that used a CSRF token (or set any cookie) belongs to its visitor only.
        token_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        if fresh.status_code != 200 or fresh.cookies or fresh.streaming or token_used:
            return fresh
        identity, compressed = _entries(fresh)
        cache.set_many({f"{key}:identity": identity, f"{key}:gzip": compressed}, SECONDS)
        stored = compressed if gzip else identity
    status, headers, content = stored
    response = HttpResponse(content, status=status, headers=headers)
    if "Content-Encoding" in headers:
        etag = f"W/{etag}"  # another representation of the same page, as GZipMiddleware marks it
    patch_vary_headers(response, ("Accept-Encoding",))
    return public_headers(response, etag, last_modified)


def _entries(fresh: HttpResponse) -> tuple[Stored, Stored]:
    """The page as rendered and, for text worth it, gzipped (else the same bytes again)."""
    headers = {name: fresh[name] for name in KEPT_HEADERS if fresh.has_header(name)}
    identity = (fresh.status_code, headers, fresh.content)
    if len(fresh.content) < COMPRESS_FROM or not fresh.get("Content-Type", "").startswith(
        COMPRESSED_TYPES
    ):
        return identity, identity
    compressed = compress_string(fresh.content)
    if len(compressed) >= len(fresh.content):
        return identity, identity
    return identity, (fresh.status_code, {**headers, "Content-Encoding": "gzip"}, compressed)


def public_headers(
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
