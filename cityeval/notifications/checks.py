"""`manage.py check --deploy` warns when e-mails would carry bare-path links.

Without `SITE_URL` every notification e-mail links to "/evaluations/…", which no mail client can
open; a server should not go live that way, but it is not an error in development or tests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_absolute(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return []
    return [
        Warning(
            "SITE_URL is not an absolute address; e-mails will carry links without a host.",
            hint="Set SITE_URL, e.g. SITE_URL=https://cityeval.example.go.id",
            id="cityeval.W001",
        )
    ]
