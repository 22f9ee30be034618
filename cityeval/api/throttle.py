"""Rate limiting per token: a fixed window counted in Django's cache.

`API_RATE_LIMIT` requests per `API_RATE_PERIOD` seconds per token (settings, from the
environment). The count lives in the configured cache: with the default local-memory cache each
server process counts on its own, so a deployment with several processes should point CACHES at
a shared cache (database or Redis) for an exact limit.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from cityeval.api.errors import ApiError


def check_rate(token_id: int) -> None:
    """Count one request of this token; 429 with Retry-After once the window is spent."""
    limit: int = settings.API_RATE_LIMIT
    period: int = max(1, settings.API_RATE_PERIOD)
    if limit <= 0:
        return  # 0 turns the limit off
    now = time.time()
    window = int(now // period)
    key = f"cityeval:api-rate:{token_id}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * period - now))
        raise ApiError(
            429,
            "rate_limited",
            ngettext(
                "Terlalu banyak permintaan: coba lagi dalam %(seconds)d detik.",
                "Terlalu banyak permintaan: coba lagi dalam %(seconds)d detik.",
                retry_after,
            )
            % {"seconds": retry_after},
            {"limit": limit, "period_seconds": period, "retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
