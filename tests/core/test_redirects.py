"""Every `next` target: kept when it stays on this site, replaced by the view's own page when
it leads elsewhere (another host, a scheme, a protocol-relative or backslash URL)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.world import World

HOSTILE = [
    "https://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    " https://evil.example/",
]
SAME_SITE = "/evaluations/?halaman=2"
PASSWORD = "a-long-test-password-1"

# (persona, URL, other POST data) for every view that honours `next`, on region B's evaluation
# in the document review.
Case = tuple[str, Callable[[World], str], dict[str, str]]
CASES: list[Case] = [
    ("coordinator_b", lambda w: f"/evaluations/{w.reviewing_b.pk}/items/assign/", {}),
    ("assessor_b", lambda w: reverse("reviews:bulk_accept", args=[w.reviewing_b.pk]), {}),
    (
        "assessor_b",
        lambda w: reverse("reviews:request_clarification", args=[w.reviewing_b.pk]),
        {},
    ),
    ("anonymous", lambda w: reverse("set_language"), {"language": "en"}),
    ("anonymous", lambda w: reverse("login"), {"username": "assessor_b", "password": PASSWORD}),
]
IDS = ["assign", "bulk-accept", "clarify", "set-language", "login"]


@pytest.fixture
def reviewing(world: World) -> World:
    world.people["assessor_b"].set_password(PASSWORD)  # the login case signs in with it
    world.people["assessor_b"].save(update_fields=["password"])
    return world


def post(people: World, case: Case, target: str) -> str:
    persona, url, data = case
    response = people.client(persona).post(url(people), {**data, "next": target})
    assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_target_off_this_site_falls_back(reviewing: World, case: Case) -> None:
    for target in HOSTILE:
        location = post(reviewing, case, target)
        assert "evil.example" not in location, target
        assert location.startswith("/"), target
        assert not location.startswith(("//", "/\\")), target


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_same_site_target_is_kept(reviewing: World, case: Case) -> None:
    assert post(reviewing, case, SAME_SITE) == SAME_SITE


def test_a_signed_in_visit_to_the_login_page_stays_on_the_site(reviewing: World) -> None:
    client: Client = reviewing.client("lead_a")
    response = client.get(reverse("login"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_nothing_but_the_helper_reads_next() -> None:
    """A new view that reads `next` by hand fails here: it must call core.redirects.safe_next."""
    root = Path(settings.BASE_DIR) / "cityeval"
    helper = root / "core" / "redirects.py"
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path == helper or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"get", "getlist", "__getitem__", "pop"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in {"next", "next_url", "return_to", "redirect_to"}
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Constant)
                and node.slice.value == "next"
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
