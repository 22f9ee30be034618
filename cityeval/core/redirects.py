"""Where to send a person after a form: the page named in `next`, if it is on this site.

Every view that honours a `next` target reads it through `safe_next` (a test scans the code for
other readers): an absolute URL to another host, a scheme such as `javascript:`, a
protocol-relative `//host` or a `/\\host` that browsers read as one all fall back.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "next"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` of the POST (else the query string) when it stays on this site, else
    `fallback`."""
    target = request.POST.get(FIELD) or request.GET.get(FIELD) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
