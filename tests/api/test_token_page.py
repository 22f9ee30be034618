"""The "Token API" page: create (secret shown once), list, revoke; someone else's is 404."""

from __future__ import annotations

import re

from django.test import Client

from cityeval.api.models import PersonalAccessToken
from tests.world import ApiClient
from tests.world import TeamWorld as World


def _signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.people[persona])
    return client


def test_the_profile_links_to_the_token_page(world: World) -> None:
    page = _signed_in(world, "coordinator").get("/accounts/profile/")
    assert 'href="/accounts/tokens/"' in page.content.decode()


def test_a_token_is_created_shown_once_and_works(world: World) -> None:
    client = _signed_in(world, "coordinator")
    created = client.post(
        "/accounts/tokens/", {"name": "Dasbor daerah", "scope": "read", "expires_on": ""}
    )
    assert created.status_code == 200
    match = re.search(r'id="new-token">(ce_[A-Za-z0-9_-]+)<', created.content.decode())
    assert match is not None
    plaintext = match.group(1)
    assert ApiClient(plaintext).get("/cycles").status_code == 200
    again = client.get("/accounts/tokens/").content.decode()
    assert plaintext not in again
    assert "Dasbor daerah" in again
    token = PersonalAccessToken.objects.get()
    assert token.scope == "read"
    assert token.expires_at is None


def test_a_past_expiry_is_refused_in_the_form(world: World) -> None:
    client = _signed_in(world, "coordinator")
    page = client.post(
        "/accounts/tokens/", {"name": "x", "scope": "read-write", "expires_on": "2000-01-01"}
    )
    assert page.status_code == 200
    assert "masa lalu" in page.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(world: World) -> None:
    client = _signed_in(world, "coordinator")
    page = client.post("/accounts/tokens/", {"name": "x", "scope": "read", "expires_on": ""})
    match = re.search(r'id="new-token">(ce_[A-Za-z0-9_-]+)<', page.content.decode())
    assert match is not None
    token = PersonalAccessToken.objects.get()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiClient(match.group(1)).get("/cycles").status_code == 401


def test_someone_elses_token_cannot_be_revoked(world: World) -> None:
    _signed_in(world, "coordinator").post(
        "/accounts/tokens/", {"name": "x", "scope": "read", "expires_on": ""}
    )
    token = PersonalAccessToken.objects.get()
    response = _signed_in(world, "other_coordinator").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_a_sign_in(world: World) -> None:
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302


def test_the_token_page_keeps_csrf_protection(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["coordinator"])
    response = client.post("/accounts/tokens/", {"name": "x", "scope": "read", "expires_on": ""})
    assert response.status_code == 403
    assert not PersonalAccessToken.objects.exists()


def test_a_session_cookie_does_not_open_the_api(world: World) -> None:
    # The API takes bearer tokens only: a signed-in browser cannot be made to write by another
    # site (no CSRF exposure), and a session never stands in for a token.
    client = Client()
    client.force_login(world.people["coordinator"])
    assert client.get("/api/v1/cycles").status_code == 401
