"""The error shape for every status, and the rate limit."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from cityeval.api.models import TokenScope
from cityeval.api.routes import reference
from tests.world import ApiClient, token_for
from tests.world import TeamWorld as World


def test_the_rate_limit_answers_429_with_retry_after(world: World, settings: Settings) -> None:
    settings.API_RATE_LIMIT = 2
    settings.API_RATE_PERIOD = 3600
    client = world.api("coordinator", TokenScope.READ)
    assert client.get("/cycles").status_code == 200
    assert client.get("/cycles").status_code == 200
    limited = client.get("/cycles")
    assert limited.status_code == 429
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["limit"] == 2
    assert 1 <= int(limited["Retry-After"]) <= 3600
    # Counted per person as well: the same person's other token shares the spent budget
    # (test_token_limits.py), another person's token has its own.
    other = ApiClient(token_for(world.people["contributor"], TokenScope.READ))
    assert other.get("/cycles").status_code == 200


def test_a_limit_of_zero_turns_the_limit_off(world: World, settings: Settings) -> None:
    settings.API_RATE_LIMIT = 0
    client = world.api("coordinator", TokenScope.READ)
    assert all(client.get("/cycles").status_code == 200 for _ in range(5))


def test_an_unexpected_failure_is_a_json_500(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> dict[str, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(reference, "page", broken)
    response = world.api("admin").get("/cycles")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "server_error"
    assert "boom" not in error["message"]


def test_a_wrong_method_does_not_answer_html(world: World) -> None:
    response = world.api("admin").delete("/cycles")
    assert response.status_code == 405


def test_the_openapi_document_and_the_docs_are_served_without_a_cdn(world: World) -> None:
    client = ApiClient(None)
    schema = client.get("/openapi.json").json()
    assert "/api/v1/items/{item_id}/self-assessment" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    assert "http://" not in html.replace("http://testserver", "")
