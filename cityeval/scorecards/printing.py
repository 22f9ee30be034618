"""HTML to PDF with WeasyPrint, fetching nothing but our own static files, and atomic writes.

This module imports no model, so that the batch's worker processes (started fresh, "spawn") can
import it before Django is set up; they receive finished HTML and never touch the database.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cityeval.core.atomic import write_atomically as write_atomically

# Relative links in the print template (`{% static %}` gives /static/...) resolve against this.
BASE_URL = "file:///"


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL that is not one of our static files."""


class StaticFilesOnly(URLFetcher):  # type: ignore[misc]  # weasyprint is untyped
    """Serves `file:///static/...` from Django's static finders; refuses every other URL.

    A refused URL stops the rendering (`fail_on_errors`) instead of leaving a silent gap, so a
    template that ever points at a remote resource fails its tests at once.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        prefix = settings.STATIC_URL or "/static/"
        if parts.scheme != "file" or parts.netloc or not parts.path.startswith(prefix):
            raise FetchRefused(f"refused to fetch {url!r}: only our own static files are served")
        relative = unquote(parts.path.removeprefix(prefix))
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not isinstance(found, str):
            raise FetchRefused(f"no static file {relative!r} for {url!r}")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(found).read_bytes(), headers={"Content-Type": mime_type}
        )


# Official records are kept for years: every PDF we print is archival (PDF/A-3) and tagged
# (level "a", accessible: a structure tree, marked content, the document's language), so that
# it stays readable and screen readers can follow it.
PDF_VARIANT = "pdf/a-3a"


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return pdf


def print_to_file(html: str, path: Path) -> tuple[str, int]:
    """Render and write one PDF: ("", size) when written, (error, 0) when not."""
    try:
        data = html_to_pdf(html)
        write_atomically(path, data)
    except Exception as error:  # one region's failure must not stop the others
        return f"{type(error).__name__}: {error}", 0
    return "", len(data)


def start_worker() -> None:
    """Set Django up in a fresh worker process (settings from the inherited environment)."""
    django.setup()
