"""The machinery of the URL × persona permission matrix (the table is in `url_table.py`).

Every named URL pattern of the project (pages, the admin site, and each operation of the ninja
API under /api/v1/) is requested by every persona of `tests/world.py` with GET, POST and the
API operation's own method, inside a savepoint that is rolled back, so one request never changes
what the next one sees. The expected status of each cell comes from one `Row` per URL name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import PERSONAS, World

Kwargs = Callable[[World], dict[str, Any]]


class Cells(dict[str, int]):
    """Expected status per persona; `but(...)` makes a copy with some personas changed."""

    def but(self, **changes: int) -> Cells:
        unknown = set(changes) - set(PERSONAS)
        assert not unknown, f"unknown personas {sorted(unknown)}"
        return Cells({**self, **changes})


def cells(default: int, **changes: int) -> Cells:
    """Every persona answers `default` except those named."""
    return Cells(dict.fromkeys(PERSONAS, default)).but(**changes)


@dataclass(frozen=True)
class Hole:
    """A cell whose correct status differs from today's; the fix belongs to another branch.

    The main test skips it; `test_known_holes` expects the correct status with a strict xfail,
    so the cell fails loudly once the hole is fixed and the mark must go.
    """

    persona: str
    method: str
    expected: int
    reason: str
    body: Callable[[World], Mapping[str, Any]] | None = None  # instead of the row's


@dataclass(frozen=True)
class Row:
    """What every persona gets from one URL: `get` and `post` always, `put`/`delete` for API
    operations with those methods. `body` is the POST/PUT body (empty unless given); `api`
    sends the persona's bearer token instead of a session.
    """

    at: Kwargs
    get: Cells
    post: Cells
    put: Cells | None = None
    delete: Cells | None = None
    body: Callable[[World], Mapping[str, Any]] | None = None
    api: bool = False
    holes: tuple[Hole, ...] = ()

    def methods(self) -> dict[str, Cells]:
        found = {"GET": self.get, "POST": self.post, "PUT": self.put, "DELETE": self.delete}
        return {method: expected for method, expected in found.items() if expected is not None}


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: URLPattern
    route: str  # the full route string, for messages and API method look-up


def named_routes() -> Iterator[Route]:
    """Every named URL pattern the project serves (unnamed ones are fall-backs)."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, route, inner)
            elif entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Route(name, entry, route)

    seen: set[str] = set()
    for found in walk(get_resolver(), "", ""):
        # django.contrib.auth.urls repeats names our accounts app already serves at the same
        # path (login, password_change, password_reset_confirm); reverse() finds ours first.
        if found.name not in seen:
            seen.add(found.name)
            yield found


def api_methods() -> dict[str, set[str]]:
    """The HTTP methods of each API route, from the OpenAPI schema, keyed by route string."""
    from cityeval.api.main import api

    schema = api.get_openapi_schema()
    methods = {}
    for path, operations in schema["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        methods[route] = {method.upper() for method in operations}
    return methods


@dataclass(frozen=True)
class Outcome:
    name: str
    path: str
    persona: str
    method: str
    expected: int
    got: int

    def __str__(self) -> str:
        return (
            f"{self.name:<34} {self.method:<6} {self.persona:<16} "
            f"expected {self.expected}, got {self.got}  ({self.path})"
        )


class Requester:
    """Sends one request as a persona and rolls back whatever it changed."""

    def __init__(self, world: World) -> None:
        self.world = world
        # A view that raises answers 500 in its cell instead of stopping the whole walk.
        self.clients = {
            persona: world.client(persona, raise_request_exception=False) for persona in PERSONAS
        }
        self.api_client = Client(raise_request_exception=False)

    def status(
        self, row: Row, path: str, persona: str, method: str, hole: Hole | None = None
    ) -> int:
        cache.clear()  # rate limits and cached public pages must not carry over
        client = self.api_client if row.api else self.clients[persona]
        cookies = SimpleCookie(client.cookies)  # a logout must not sign the persona out for good
        with transaction.atomic():
            body = hole.body if hole and hole.body else row.body
            response = self._send(client, row, path, persona, method, body)
            transaction.set_rollback(True)
        client.cookies = cookies
        return int(response.status_code)

    def _send(
        self,
        client: Client,
        row: Row,
        path: str,
        persona: str,
        method: str,
        body_of: Callable[[World], Mapping[str, Any]] | None,
    ) -> Any:
        headers = self.world.bearer(persona) if row.api else {}
        if method == "GET":
            return client.get(path, headers=headers)
        if method == "DELETE":
            return client.delete(path, headers=headers)
        body = dict(body_of(self.world)) if body_of else {}
        send = client.post if method == "POST" else client.put
        if row.api:
            return send(path, body, content_type="application/json", headers=headers)
        return send(path, body, headers=headers)


def check(
    world: World,
    row_for: Callable[[str], Row | None],
    variants: Mapping[str, Row],
    only: str = "",
) -> tuple[list[str], list[Outcome], list[Outcome]]:
    """Walk every route: (routes without a row, mismatched cells, cells checked).

    `variants` are further rows of a route keyed "name@what", e.g. the scorecard of an
    unpublished result; `only` limits the walk to URL names starting with it.
    """
    missing: list[str] = []
    wrong: list[Outcome] = []
    checked: list[Outcome] = []
    requester = Requester(world)
    declared = api_methods()
    for route in named_routes():
        if not route.name.startswith(only):
            continue
        row = row_for(route.name)
        if row is None:
            missing.append(f"{route.name}  ({route.route})")
            continue
        rows = [(route.name, row)] + [
            (key, extra) for key, extra in variants.items() if key.split("@")[0] == route.name
        ]
        if route.route in declared:
            for method in declared[route.route] - set(row.methods()):
                missing.append(f"{route.name} {method}  ({route.route}): add `{method.lower()}=`")
        for label, each in rows:
            outcomes = _cells(requester, route.name, label, each)
            checked += outcomes
            wrong += [outcome for outcome in outcomes if outcome.got != outcome.expected]
    return missing, wrong, checked


def _cells(requester: Requester, name: str, label: str, row: Row) -> list[Outcome]:
    path = reverse(name, kwargs=row.at(requester.world))
    skip = {(hole.persona, hole.method) for hole in row.holes}
    outcomes = []
    for method, expected in row.methods().items():
        for persona in PERSONAS:
            if (persona, method) not in skip:
                got = requester.status(row, path, persona, method)
                outcomes.append(Outcome(label, path, persona, method, expected[persona], got))
    return outcomes
