"""Personal access tokens: hashing, the once-shown secret, revocation, expiry, scope, owner."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cityeval.api.models import PersonalAccessToken, TokenScope
from cityeval.api.services import TokenError, create_token, revoke_token
from cityeval.api.tokens import prefix_of
from cityeval.audit.models import AuditEntry
from tests.world import ApiClient
from tests.world import TeamWorld as World


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    token, plaintext = create_token(
        user=world.people["coordinator"], name="skrip", scope=TokenScope.READ, expires_at=None
    )
    assert plaintext.startswith(f"ce_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = PersonalAccessToken.objects.values_list(flat=False).get(pk=token.pk)
    assert plaintext not in [str(value) for value in stored]
    assert len(plaintext) > 40


def test_two_tokens_differ(world: World) -> None:
    user = world.people["coordinator"]
    first = create_token(user=user, name="a", scope=TokenScope.READ, expires_at=None)[1]
    second = create_token(user=user, name="b", scope=TokenScope.READ, expires_at=None)[1]
    assert first != second
    assert prefix_of(first) != prefix_of(second)


def test_creation_and_revocation_are_audited(world: World) -> None:
    user = world.people["coordinator"]
    token, _plain = create_token(user=user, name="ETL", scope=TokenScope.READ, expires_at=None)
    revoke_token(token=token, user=user)
    actions = list(
        AuditEntry.objects.for_target(token).order_by("at", "id").values_list("action", "actor")
    )
    assert actions == [("api_token.create", user.pk), ("api_token.revoke", user.pk)]
    created = AuditEntry.objects.for_target(token).get(action="api_token.create")
    assert created.after is not None
    assert created.after["scope"] == "read"
    assert "secret_hash" not in created.after


def test_a_blank_name_or_a_past_expiry_is_refused(world: World) -> None:
    user = world.people["coordinator"]
    with pytest.raises(TokenError):
        create_token(user=user, name="  ", scope=TokenScope.READ, expires_at=None)
    with pytest.raises(TokenError):
        create_token(
            user=user,
            name="x",
            scope=TokenScope.READ,
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    assert not PersonalAccessToken.objects.exists()


def test_a_valid_token_authenticates_and_records_its_use(world: World) -> None:
    user = world.people["coordinator"]
    token, plaintext = create_token(user=user, name="x", scope=TokenScope.READ, expires_at=None)
    response = ApiClient(plaintext).get("/cycles")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer nonsense",
        "Bearer ce_abcdefgh_wrongsecret",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_missing_or_unknown_token_is_401(world: World, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = Client().get("/api/v1/cycles", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_401(world: World) -> None:
    _token, plaintext = create_token(
        user=world.people["coordinator"], name="x", scope=TokenScope.READ, expires_at=None
    )
    forged = plaintext[:-4] + ("AAAA" if not plaintext.endswith("AAAA") else "BBBB")
    assert ApiClient(forged).get("/cycles").status_code == 401


def test_a_revoked_token_is_401(world: World) -> None:
    user = world.people["coordinator"]
    token, plaintext = create_token(user=user, name="x", scope=TokenScope.READ, expires_at=None)
    revoke_token(token=token, user=user)
    response = ApiClient(plaintext).get("/cycles")
    assert response.status_code == 401
    assert "dicabut" in response.json()["error"]["message"]


def test_an_expired_token_is_401(world: World) -> None:
    user = world.people["coordinator"]
    token, plaintext = create_token(
        user=user, name="x", scope=TokenScope.READ, expires_at=timezone.now() + timedelta(days=1)
    )
    assert ApiClient(plaintext).get("/cycles").status_code == 200
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = ApiClient(plaintext).get("/cycles")
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json()["error"]["message"]


def test_a_deactivated_owner_makes_the_token_401(world: World) -> None:
    user = world.people["coordinator"]
    _token, plaintext = create_token(user=user, name="x", scope=TokenScope.READ, expires_at=None)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ApiClient(plaintext).get("/cycles").status_code == 401


def test_a_read_token_may_not_write(world: World) -> None:
    item = world.item(world.health)
    client = world.api("contributor", TokenScope.READ)
    response = client.put(
        f"/items/{item.pk}/self-assessment", {"value": 2, "narrative": "", "version": item.version}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert world.fresh(item).self_value is None


def test_a_token_acts_with_the_roles_its_owner_has_now(world: World) -> None:
    client = world.api("coordinator", TokenScope.READ)
    path = f"/evaluations/{world.evaluation.pk}"
    assert client.get(path).status_code == 200
    world.people["coordinator"].grants.all().delete()
    assert client.get(path).status_code == 404
