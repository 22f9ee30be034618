"""Request ids and the one log line per request, plain or JSON."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from django.conf import settings
from django.test import Client

from cityeval.accounts.models import User
from cityeval.core.requestlog import RequestIdFilter, current_request_id


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cityeval.request"]


def test_a_sane_request_id_is_kept(db: None, client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-4f2a.17")
    assert response["X-Request-ID"] == "lb-4f2a.17"


@pytest.mark.parametrize("offered", [None, "", "a b", "x" * 200, "<script>", "id\r\nSet-Cookie"])
def test_an_absent_or_odd_request_id_is_replaced(
    db: None, client: Client, offered: str | None
) -> None:
    extra = {} if offered is None else {"HTTP_X_REQUEST_ID": offered}
    response = client.get("/accounts/login/", **extra)  # type: ignore[arg-type]
    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_each_request_is_logged_with_its_fields(
    db: None, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="cityeval.request")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="abc-1")
    (line,) = request_lines(caplog)
    assert line.getMessage() == "GET /no-such-page/ 404"
    assert line.__dict__["path"] == "/no-such-page/"
    assert line.__dict__["status"] == 404
    assert line.__dict__["method"] == "GET"
    assert line.__dict__["user_id"] is None
    assert line.__dict__["duration_ms"] >= 0


def test_a_signed_in_person_is_logged_by_id(
    db: None, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    person = User.objects.create_user("pencatat", password="a-long-test-password-1")
    client.force_login(person)
    caplog.set_level(logging.INFO, logger="cityeval.request")
    client.get("/accounts/profile/")
    (line,) = request_lines(caplog)
    assert line.__dict__["user_id"] == person.pk


def test_log_lines_written_during_a_request_carry_its_id() -> None:
    token = current_request_id.set("req-42")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    assert record.__dict__["request_id"] == "req-42"


def test_the_json_format_writes_one_parseable_line(db: None, client: Client) -> None:
    from logging.config import dictConfig

    config = dict(settings.LOGGING)
    stream = StringIO()
    handler_config = {
        "class": "logging.StreamHandler",
        "stream": stream,
        "filters": ["request_id"],
        "formatter": "json",
    }
    dictConfig(
        {
            **config,
            "handlers": {"capture": handler_config},
            "root": {"handlers": ["capture"], "level": "INFO"},
        }
    )
    try:
        client.get("/accounts/login/", HTTP_X_REQUEST_ID="json-7")
    finally:
        dictConfig(settings.LOGGING)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request = next(line for line in lines if line["logger"] == "cityeval.request")
    assert request["request_id"] == "json-7"
    assert request["status"] == 200
    assert request["path"] == "/accounts/login/"
    assert request["level"] == "INFO"
    assert request["time"].endswith("+00:00")
