"""Settings every test shares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Argon2 is slow on purpose (~0.4 s a hash here); tests create many people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    # The process-local cache outlives a test's rolled-back database, whose ids the next test
    # reuses: a cached public board or an API rate-limit count must not leak into it.
    cache.clear()
    yield
    cache.clear()
