"""The database goes away in the middle of a request: a clear 503 page, nothing half-written.

The failure is injected at the database driver's door with `connection.execute_wrapper`: the
query that writes the audit entry raises OperationalError, after the item row was already
updated inside the same transaction. On PostgreSQL a second test really ends the server process
of the connection (`pg_terminate_backend`) at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.core.database_errors import RETRY_AFTER_SECONDS, server_error
from cityeval.evaluations.models import ItemValue
from tests.world import TeamWorld as World

UNAVAILABLE_TEXT = "Layanan basis data sedang tidak tersedia"
NOT_SAVED_TEXT = "Perubahan Anda belum disimpan"

Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


def failing_on(fragment: str, error: Exception) -> Callable[..., Any]:
    """An execute wrapper that lets every query through except the first containing `fragment`."""
    seen: list[str] = []

    def wrapper(execute: Execute, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        if fragment in sql:
            raise error
        return execute(sql, params, many, context)

    wrapper.seen = seen  # type: ignore[attr-defined]
    return wrapper


def save_form(item: ItemValue) -> dict[str, str]:
    return {"value": "4", "narrative": "Narasi yang sedang disimpan.", "version": str(item.version)}


def item_url(world: World, item: ItemValue) -> str:
    return reverse("evaluations:item", args=[world.evaluation.pk, item.pk])


@pytest.mark.django_db
def test_a_save_cut_off_before_its_audit_entry_answers_503_and_writes_nothing(
    world: World,
) -> None:
    item = world.item(world.health)
    before = (item.self_value, item.narrative, item.version)
    client = Client()
    client.force_login(world.people["contributor"])
    wrapper = failing_on(
        'INSERT INTO "audit_auditentry"', OperationalError("server closed the connection")
    )
    with connection.execute_wrapper(wrapper):
        response = client.post(item_url(world, item), save_form(item))

    # The item row had been updated in the transaction when the audit insert failed.
    assert any('UPDATE "evaluations_itemvalue"' in sql for sql in wrapper.seen)  # type: ignore[attr-defined]
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.content.decode()
    assert UNAVAILABLE_TEXT in body
    assert NOT_SAVED_TEXT in body
    assert 'lang="id"' in body
    item.refresh_from_db()
    assert (item.self_value, item.narrative, item.version) == before
    assert not AuditEntry.objects.filter(action="item.self_assessment").exists()


@pytest.mark.django_db
def test_a_lost_connection_on_a_read_answers_503(world: World) -> None:
    client = Client()
    client.force_login(world.people["coordinator"])
    wrapper = failing_on(
        'FROM "evaluations_itemvalue"', InterfaceError("connection already closed")
    )
    with connection.execute_wrapper(wrapper):
        response = client.get(reverse("evaluations:items", args=[world.evaluation.pk]))
    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.content.decode()


@pytest.mark.django_db
def test_other_database_errors_stay_ordinary_errors(world: World) -> None:
    """An integrity error is a bug, not an outage: it must not be dressed up as a 503."""
    from django.db import IntegrityError

    client = Client(raise_request_exception=False)
    client.force_login(world.people["coordinator"])
    wrapper = failing_on('FROM "evaluations_itemvalue"', IntegrityError("duplicate key"))
    with connection.execute_wrapper(wrapper):
        response = client.get(reverse("evaluations:items", args=[world.evaluation.pk]))
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in response.content.decode()


def raised_and_handled(error: Exception) -> Any:
    request = RequestFactory().post("/evaluations/1/items/2/")
    try:
        raise error
    except Exception:
        return server_error(request)


# The two tests below have no database mark: pytest-django refuses every query, so they also
# prove that the error pages are rendered without touching the database.


def test_the_error_handler_answers_503_for_a_database_outage_outside_a_view() -> None:
    # E.g. the session middleware saving the session after the view: not seen by middleware.
    response = raised_and_handled(OperationalError("could not connect to server"))
    assert response.status_code == 503
    assert UNAVAILABLE_TEXT in response.content.decode()


def test_the_500_page_needs_no_database() -> None:
    response = raised_and_handled(ValueError("a bug"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan di server" in body
    assert "cityeval.css" in body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ends a PostgreSQL server process (pg_terminate_backend)",
)
def test_the_database_server_dropping_the_connection_mid_save_loses_nothing(
    world: World,
) -> None:
    item = world.item(world.health)
    before = (item.self_value, item.narrative, item.version)
    client = Client()
    client.force_login(world.people["contributor"])
    killer = connection.get_new_connection(connection.get_connection_params())
    killer.autocommit = True

    def terminate_before_audit(
        execute: Execute, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if 'INSERT INTO "audit_auditentry"' in sql:
            pid = context["connection"].connection.info.backend_pid
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(terminate_before_audit):
            response = client.post(item_url(world, item), save_form(item))
    finally:
        killer.close()
        connection.close()  # the dead connection; the next query opens a new one
    assert response.status_code == 503
    assert NOT_SAVED_TEXT in response.content.decode()
    item.refresh_from_db()
    assert (item.self_value, item.narrative, item.version) == before
    assert not AuditEntry.objects.filter(action="item.self_assessment").exists()
    assert Decimal(4) != item.self_value
