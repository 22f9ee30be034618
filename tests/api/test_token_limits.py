"""How many tokens one person may hold, and one rate budget per person across their tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cityeval.accounts.models import User
from cityeval.api.models import PersonalAccessToken, TokenScope
from cityeval.api.services import TokenError, create_token, revoke_token
from cityeval.audit.models import AuditEntry
from tests.world import ApiClient, token_for
from tests.world import TeamWorld as World

CAP_MESSAGE = "batas per orang"


@pytest.fixture
def holder(db: None, settings: Settings) -> User:
    settings.API_MAX_TOKENS_PER_PERSON = 3
    return User.objects.create(username="pemakai.api", email="api@example.test")


def make(user: User, name: str = "skrip") -> PersonalAccessToken:
    return create_token(user=user, name=name, scope=TokenScope.READ, expires_at=None)[0]


def test_a_person_holds_at_most_the_cap_of_active_tokens(holder: User) -> None:
    tokens = [make(holder, f"skrip {n}") for n in range(3)]
    entries = AuditEntry.objects.count()
    with pytest.raises(TokenError, match=CAP_MESSAGE):
        make(holder)
    assert PersonalAccessToken.objects.filter(user=holder).count() == 3
    assert AuditEntry.objects.count() == entries
    revoke_token(token=tokens[0], user=holder)
    make(holder, "pengganti")


def test_an_expired_token_does_not_count(holder: User) -> None:
    for n in range(3):
        make(holder, f"skrip {n}")
    PersonalAccessToken.objects.filter(user=holder).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    make(holder, "baru")


def test_the_cap_is_per_person(holder: User) -> None:
    other = User.objects.create(username="orang.lain", email="lain@example.test")
    for n in range(3):
        make(holder, f"skrip {n}")
    make(other)


def test_the_token_page_shows_the_cap_and_refuses_past_it(holder: User, client: Client) -> None:
    for n in range(3):
        make(holder, f"skrip {n}")
    client.force_login(holder)
    page = client.get("/accounts/tokens/").content.decode()
    assert "Token aktif: 3 dari paling banyak 3 per orang." in page
    refused = client.post("/accounts/tokens/", {"name": "lagi", "scope": "read", "expires_on": ""})
    assert refused.status_code == 200
    assert CAP_MESSAGE in refused.content.decode()
    assert 'id="new-token"' not in refused.content.decode()
    assert PersonalAccessToken.objects.filter(user=holder).count() == 3


def test_more_tokens_do_not_buy_more_rate(world: World, settings: Settings) -> None:
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_LIMIT_PER_PERSON = 3
    settings.API_RATE_PERIOD = 3600
    coordinator = world.people["coordinator"]
    first = ApiClient(token_for(coordinator, TokenScope.READ))
    second = ApiClient(token_for(coordinator, TokenScope.READ))
    assert [first.get("/cycles").status_code for _ in range(2)] == [200, 200]
    assert second.get("/cycles").status_code == 200
    limited = second.get("/cycles")
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["details"]["counted_per"] == "person"
    assert error["details"]["limit"] == 3
    assert "semua token Anda dihitung bersama" in error["message"]
    assert int(limited["Retry-After"]) >= 1
    # Another person's budget is their own.
    assert world.api("contributor", TokenScope.READ).get("/cycles").status_code == 200
