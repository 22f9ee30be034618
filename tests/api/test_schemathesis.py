"""Schemathesis against the served OpenAPI document: no 5xx, and every response conforms.

The schema is loaded from /api/v1/openapi.json through the Django WSGI application, in the
test's database transaction. Each operation is exercised with generated valid (positive) and
invalid (negative) requests, first with random ids (mostly 404s) as an admin, then with the ids
of real rows as the region's coordinator, so that the happy paths and the refusals (403, 409,
422) are both checked against the document. Bounded and derandomised: it stays well under a
minute and finds the same cases on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cityeval.evaluations.models import EvaluationStatus
from cityeval.regions.models import Region
from tests.world import TeamWorld as World
from tests.world import finish, open_test_cycle, token_for

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 8


def _exercise(schema: Any, token: str, path_parameters: dict[str, int] | None) -> int:
    """Run every operation's generated cases; the number of requests sent."""
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        wanted = {
            name: value
            for name, value in (path_parameters or {}).items()
            if "{" + name + "}" in operation.path
        }
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=wanted or None)

            @given(case=strategy)
            @hypothesis_settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                nonlocal sent
                # The WSGI transport hands back the body as sent; an HTTP client would
                # undo the gzip (core/compression.py) that a gzip-accepting client gets.
                headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                sent += 1

            run()
    return sent


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Keep the test's database connection across WSGI requests.

    The WSGI handler closes "old" connections when a request ends; inside the test's
    transaction PostgreSQL's connection counts as old and would be closed under the test.
    Django's own test client disconnects the same handlers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_served_schema_holds_under_generated_requests(
    world: World, settings: Settings, connection_kept: None
) -> None:
    settings.API_RATE_LIMIT = 0  # hundreds of requests in a few seconds, on purpose
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' WSGI host
    regions = [Region.objects.get(code=code) for code in ("64.02", "33.74")]
    published_cycle = open_test_cycle(2023, regions, world.people["admin"])
    for evaluation in published_cycle.evaluations.all():
        finish(evaluation, EvaluationStatus.PUBLISHED, seed=evaluation.pk)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

    random_ids = _exercise(schema, token_for(world.people["admin"]), None)
    item = world.item(world.health)
    real_ids = _exercise(
        schema,
        token_for(world.people["coordinator"]),
        {
            "version_id": world.cycle.framework_version_id,
            "evaluation_id": world.evaluation.pk,
            "item_id": item.pk,
            "evidence_id": 1,
            "cycle_id": published_cycle.pk,
        },
    )
    assert random_ids > 0
    assert real_ids > 0
