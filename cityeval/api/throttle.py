"""Rate limiting per token and per person: fixed windows counted in Django's cache.

`API_RATE_LIMIT` requests per `API_RATE_PERIOD` seconds per token, and
`API_RATE_LIMIT_PER_PERSON` over all of one person's tokens together, so that ten tokens do not
buy ten times the rate (settings, from the environment; 0 turns a limit off). The counts live in
the configured cache: with the default local-memory cache each server process counts on its own,
so a deployment with several processes should point CACHES at a shared cache (database or Redis)
for an exact limit.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from cityeval.api.errors import ApiError


def check_rate(*, token_id: int, user_id: int) -> None:
    """Count one request of this token and its owner; 429 with Retry-After once either window
    is spent. Both counts move on every request, so a refused token still spends its owner's.
    """
    period: int = max(1, settings.API_RATE_PERIOD)
    now = time.time()
    window = int(now // period)
    limits = [
        ("token", token_id, int(settings.API_RATE_LIMIT)),
        ("person", user_id, int(settings.API_RATE_LIMIT_PER_PERSON)),
    ]
    spent = [
        (counted, limit)
        for counted, key_id, limit in limits
        if limit > 0 and _count(f"cityeval:api-rate:{counted}:{key_id}:{window}", period) > limit
    ]
    if spent:
        counted, limit = spent[0]
        retry_after = max(1, math.ceil((window + 1) * period - now))
        raise ApiError(
            429,
            "rate_limited",
            _message(counted, retry_after),
            {
                "limit": limit,
                "counted_per": counted,
                "period_seconds": period,
                "retry_after": retry_after,
            },
            headers={"Retry-After": str(retry_after)},
        )


def _count(key: str, period: int) -> int:
    cache.add(key, 0, timeout=period + 1)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        return 1


def _message(counted: str, retry_after: int) -> str:
    if counted == "person":
        return ngettext(
            "Terlalu banyak permintaan dari akun ini (semua token Anda dihitung bersama): coba "
            "lagi dalam %(seconds)d detik.",
            "Terlalu banyak permintaan dari akun ini (semua token Anda dihitung bersama): coba "
            "lagi dalam %(seconds)d detik.",
            retry_after,
        ) % {"seconds": retry_after}
    return ngettext(
        "Terlalu banyak permintaan: coba lagi dalam %(seconds)d detik.",
        "Terlalu banyak permintaan: coba lagi dalam %(seconds)d detik.",
        retry_after,
    ) % {"seconds": retry_after}
