"""Every error page a person can meet is the project's own: styled, in their language, with the
favicon; none is Django's bare English page ("403 Forbidden", "Not Found")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from cityeval.accounts.models import Role
from cityeval.core.database_errors import server_error
from tests.world import person

BARE = ("Forbidden", "Not Found", "CSRF verification failed", "Server Error")


def forbidden() -> HttpResponseBase:
    client = Client()
    client.force_login(person("assessor", (Role.ASSESSOR, None, None)))
    return client.get(reverse("dashboard:national"))


def stale_form() -> HttpResponseBase:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person("coordinator", (Role.VIEWER, None, None)))
    return client.post(reverse("evaluations:mine"), {})


def missing() -> HttpResponseBase:
    return Client().get("/no-such-page/")


def broken() -> HttpResponseBase:
    with translation.override("id"):
        return server_error(RequestFactory().get("/"))


PAGES: list[tuple[str, Callable[[], HttpResponseBase], int, str]] = [
    ("permission denied", forbidden, 403, "Tidak diizinkan"),
    ("stale form (CSRF)", stale_form, 403, "Formulir kedaluwarsa"),
    ("unknown address", missing, 404, "Halaman tidak ditemukan"),
    ("server error", broken, 500, "Terjadi kesalahan di server"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make", "status", "heading"), PAGES, ids=[p[0] for p in PAGES])
def test_each_error_page_is_styled_and_indonesian(
    name: str, make: Callable[[], HttpResponseBase], status: int, heading: str
) -> None:
    response = make()
    assert isinstance(response, HttpResponse)
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert '<html lang="id">' in page
    assert 'class="topbar"' in page
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
    for english in BARE:
        assert english not in page


@pytest.mark.django_db
def test_every_page_of_the_site_carries_the_favicon() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
