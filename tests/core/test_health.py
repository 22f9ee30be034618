"""`/healthz`: 200 with every check ok, 503 naming the failed check; no session, any host."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings

from cityeval.core import health


def answer(client: Client, **extra: Any) -> tuple[int, dict[str, Any]]:
    response = client.get("/healthz", **extra)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def test_it_answers_ok_when_everything_works(db: None, client: Client, media: Path) -> None:
    status, body = answer(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage"]["status"] == "ok"
    assert list(media.iterdir()) == []  # the probe file is gone again


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
    assert body["checks"]["storage"]["status"] == "ok"


def test_an_unwritable_evidence_folder_gives_503(
    db: None, client: Client, settings: Settings, tmp_path: Path
) -> None:
    # Below a regular file: unwritable even for root, who ignores permission bits.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    status, body = answer(client)
    assert status == 503
    assert body["checks"]["storage"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert str(tmp_path) not in json.dumps(body)  # no path leaks to the public


def test_it_refuses_other_methods(db: None, client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
