"""Every accounts view keeps Django's CSRF protection."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.conftest import PASSWORD, Personas


def all_patterns(patterns: list[URLPattern | URLResolver]) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(all_patterns(entry.url_patterns))
        else:
            found.append(entry)
    return found


def test_no_accounts_view_is_exempt_from_csrf() -> None:
    # Evidence uploads exempt their outer view on purpose and check CSRF inside; not ours.
    ours = [
        pattern
        for pattern in all_patterns(get_resolver().url_patterns)
        if pattern.callback.__module__.startswith(("cityeval.accounts", "django.contrib.auth"))
    ]
    assert len(ours) >= 15
    assert [str(p.pattern) for p in ours if getattr(p.callback, "csrf_exempt", False)] == []


@pytest.mark.django_db
def test_a_login_without_a_csrf_token_is_refused(world: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "peninjau_a", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_people_change_without_a_csrf_token_is_refused(world: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    url = reverse("person_deactivate", kwargs={"pk": world.contributor_a.pk})
    assert client.post(url).status_code == 403
    world.contributor_a.refresh_from_db()
    assert world.contributor_a.is_active
