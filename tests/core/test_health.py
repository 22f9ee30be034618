"""`/healthz`: a cheap check for anyone (one query, nothing written), a detailed one for the
operator's token; 503 naming the failed check; no session, any host."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from cityeval.accounts.models import User
from cityeval.audit.log import record
from cityeval.audit.models import AuditChainHead
from cityeval.core import health

TOKEN = "operator-health-token-0123456789abcdef"


def answer(client: Client, **extra: Any) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz", **extra)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


def as_operator(client: Client, token: str = TOKEN) -> tuple[int, dict[str, Any]]:
    return answer(client, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.HEALTHZ_TOKEN = TOKEN
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def snapshot(folder: Path) -> list[tuple[str, int]]:
    """Every entry below `folder` with its modification time (the folder's own included)."""
    if not folder.exists():
        return []
    entries = [folder, *sorted(folder.rglob("*"))]
    return [(str(p), os.stat(p).st_mtime_ns) for p in entries]


# --------------------------------------------------------------------------- anyone


def test_it_answers_ok_with_one_query_and_writes_nothing(
    db: None, client: Client, media: Path
) -> None:
    media.mkdir(parents=True)
    data_dir = media.parent
    before = snapshot(data_dir)
    with CaptureQueriesContext(connection) as queries:
        status, body = answer(client)
    assert status == 200
    assert body == {"status": "ok", "checks": {"database": body["checks"]["database"]}}
    assert body["checks"]["database"]["status"] == "ok"
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert snapshot(data_dir) == before


def test_the_cheap_check_does_not_even_create_the_evidence_folder(
    db: None, client: Client, media: Path
) -> None:
    assert answer(client)[0] == 200
    assert not media.exists()


def test_it_sets_no_cookie_and_needs_no_sign_in(db: None, client: Client, media: Path) -> None:
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert not response.cookies


def test_it_answers_a_balancer_probing_by_ip(db: None, client: Client, media: Path) -> None:
    # 10.0.0.7 is not in ALLOWED_HOSTS; the probe still gets its answer.
    status, _body = answer(client, HTTP_HOST="10.0.0.7")
    assert status == 200


def test_a_failing_database_gives_503(
    db: None, client: Client, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    status, body = answer(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == {
        "status": "error",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }


def test_it_refuses_other_methods(db: None, client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405


# --------------------------------------------------------------------------- the operator


def test_the_operator_gets_every_check(db: None, client: Client, media: Path) -> None:
    user = User.objects.create_user("operator-check", password="a-long-test-password-1")
    for action in ("satu", "dua"):
        record(actor=user, action=action, target=user)
    status, body = as_operator(client)
    assert status == 200
    assert set(body["checks"]) == {"database", "storage", "migrations", "audit_chain"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert list(media.iterdir()) == []  # the probe file is gone again


@pytest.mark.parametrize("token", ["wrong-token", TOKEN[:-1], f"{TOKEN}x", ""])
def test_a_wrong_token_gets_401_and_no_check(
    db: None, client: Client, media: Path, token: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "checks" not in json.loads(response.content)
    assert not queries.captured_queries
    assert not media.exists()


def test_without_a_configured_token_no_one_gets_the_detailed_check(
    db: None, client: Client, media: Path, settings: Settings
) -> None:
    settings.HEALTHZ_TOKEN = ""
    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 401
    assert not media.exists()


def test_an_unwritable_evidence_folder_gives_503_to_the_operator(
    db: None, client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.HEALTHZ_TOKEN = TOKEN
    # Below a regular file: unwritable even for root, who ignores permission bits.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    status, body = as_operator(client)
    assert status == 503
    assert body["checks"]["storage"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert str(tmp_path) not in json.dumps(body)  # no path leaks, even to the operator
    assert answer(client)[0] == 200  # the balancer's cheap probe does not look at the disk


def test_unapplied_migrations_give_503_to_the_operator(
    db: None, client: Client, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Behind:
        def __init__(self, connection: Any) -> None:
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets: Any) -> list[str]:
            return ["audit.0099_dari_masa_depan"]

    monkeypatch.setattr(health, "MigrationExecutor", Behind)
    status, body = as_operator(client)
    assert status == 503
    assert body["checks"]["migrations"]["status"] == "error"


def test_an_audit_head_out_of_step_gives_503_to_the_operator(
    db: None, client: Client, media: Path
) -> None:
    AuditChainHead.objects.update(length=7, last_hash="0" * 64)
    status, body = as_operator(client)
    assert status == 503
    assert body["checks"]["audit_chain"]["status"] == "error"
