"""Gzip for text responses (pages, CSV, JSON), nothing else.

A published scorecard or the public dashboard at 514 regions is a few hundred kB of HTML that
compresses ~10×; on results day the visitors are on mobile networks. Files that are compressed
already (Excel workbooks, PDFs, images) and evidence downloads (streamed, possibly large) are left
alone: compressing them costs CPU for nothing. Static files are compressed by WhiteNoise.

BREACH (a secret in a compressed body next to text an attacker controls) is answered by what the
pages carry: the only secret in a page is the CSRF token, which Django masks with a fresh random
salt in every response, so its compressed length leaks nothing; session ids live only in cookies.
The cached public pages hold no token and are stored gzipped already (results/public_pages.py):
this middleware leaves a response with a Content-Encoding alone.
See docs/decisions.md.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("text/", "application/json", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
