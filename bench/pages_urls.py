"""The project's URLs plus `/bench/trivial/`, the baseline of `bench_pages.py`.

The trivial view exists only in this benchmark URLconf, never in the product: it passes the
same middleware as every page (sessions, authentication, language, security headers) and
returns a few bytes, so its latency is the cost of a Django request with no page work.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("cityeval.urls")),
]
