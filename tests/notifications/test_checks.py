"""The deploy check names a missing or relative SITE_URL."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cityeval.notifications.checks import site_url_is_absolute


@pytest.mark.parametrize("value", ["", "/", "cityeval.example.id", "ftp://x.id"])
def test_a_site_url_without_scheme_and_host_warns(value: str) -> None:
    with override_settings(SITE_URL=value):
        warnings = site_url_is_absolute()
    assert [w.id for w in warnings] == ["cityeval.W001"]
    assert "SITE_URL" in str(warnings[0].hint)


def test_an_absolute_site_url_passes() -> None:
    with override_settings(SITE_URL="https://cityeval.example.go.id"):
        assert site_url_is_absolute() == []
