"""Sessions end after two hours without activity and, in any case, eight hours after sign-in."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cityeval.accounts.middleware import SEEN_KEY, STARTED_KEY
from tests.accounts.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def set_clock(client: Client, *, seen_ago: int, started_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN_KEY] = now - seen_ago
    session[STARTED_KEY] = now - started_ago
    session.save()


def test_the_settings_say_two_hours_idle_and_eight_hours_at_most() -> None:
    assert settings.SESSION_IDLE_TIMEOUT == 2 * 3600
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_signing_in_starts_the_session_clock(client: Client, world: Personas) -> None:
    client.post(reverse("login"), {"username": "peninjau_a", "password": PASSWORD})
    assert abs(client.session[SEEN_KEY] - time.time()) < 5
    assert abs(client.session[STARTED_KEY] - time.time()) < 5


def test_it_ends_a_session_idle_for_more_than_two_hours(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    set_clock(client, seen_ago=2 * 3600 + 1, started_ago=3 * 3600)
    response = client.get(reverse("profile"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "Sesi Anda telah berakhir" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_two_hours_keeps_the_session(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    set_clock(client, seen_ago=2 * 3600 - 60, started_ago=3 * 3600)
    assert client.get(reverse("profile")).status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert abs(client.session[SEEN_KEY] - time.time()) < 5


def test_it_ends_a_busy_session_eight_hours_after_sign_in(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    set_clock(client, seen_ago=10, started_ago=8 * 3600 + 1)
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_idle_clock_is_written_at_most_once_a_minute(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    set_clock(client, seen_ago=20, started_ago=100)
    before = client.session[SEEN_KEY]
    client.get(reverse("profile"))
    assert client.session[SEEN_KEY] == before
