"""The one permission-matrix helper: rows of (URL name, arguments from the world, persona ->
expected status), resolved with `reverse()` and requested as every persona.

    ROWS = [
        Row("reviews:workspace", lambda w: [w.evaluation.pk], expect(302, team=200, ...)),
        Row("reviews:start", lambda w: [w.evaluation.pk], {...}, method="post"),
    ]

    @pytest.mark.parametrize("row", ROWS, ids=str)
    def test_who_may(world, row):
        check(row, world, PERSONAS)

`check` sends each persona's request inside a savepoint that it rolls back, so that a successful
POST by one persona does not change what the next one meets, and compares the whole
persona -> status table at once (a failure shows every persona's answer). An anonymous request
that is redirected must be redirected to the login page (with `?next=`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.test import Client
from django.urls import reverse


class HasClient(Protocol):
    def client(self, persona: str) -> Client: ...


Expected = Mapping[str, int] | Callable[[str], int]
Data = Mapping[str, Any] | Callable[[Any], Mapping[str, Any]]


@dataclass(frozen=True)
class Row:
    name: str  # URL name, e.g. "reviews:workspace"
    args: Callable[[Any], Sequence[object]]  # the URL's arguments, taken from the world
    expected: Expected  # persona -> status (a mapping must name every persona asked)
    method: str = "get"
    data: Data = field(default_factory=dict)  # POST body, or a function of the world
    label: str = ""  # test id, when one URL name has several rows
    # Called after each persona's request, before it is rolled back: asserts what it changed.
    effect: Callable[[Any, str], None] | None = None

    def __str__(self) -> str:
        return self.label or f"{self.method}-{self.name}"

    def url(self, world: Any) -> str:
        return reverse(self.name, args=list(self.args(world)))

    def status_for(self, persona: str) -> int:
        if callable(self.expected):
            return self.expected(persona)
        return self.expected[persona]


def no_args(world: Any) -> Sequence[object]:
    return ()


def expect(default: int, groups: Mapping[Iterable[str] | str, int] | None = None) -> Expected:
    """persona -> status: `default` unless the persona is in a group (a name or a set of them)
    of `groups`; the anonymous visitor is sent to the login page (302) unless named."""
    table: dict[str, int] = {"anonymous": 302}
    for names, status in (groups or {}).items():
        for name in [names] if isinstance(names, str) else names:
            table[name] = status
    return lambda persona: table.get(persona, default)


def answers(row: Row, world: HasClient, personas: Iterable[str]) -> dict[str, int]:
    """The status each persona gets (each request rolled back)."""
    url = row.url(world)
    data = row.data(world) if callable(row.data) else row.data
    got = {}
    for persona in personas:
        client = world.client(persona)
        with transaction.atomic():
            response = client.post(url, data) if row.method == "post" else client.get(url)
            if row.effect is not None:
                row.effect(world, persona)
            transaction.set_rollback(True)
        got[persona] = response.status_code
        if persona == "anonymous" and response.status_code == 302:
            login = reverse("login") + "?next="
            assert response["Location"].startswith(login), response["Location"]
    return got


def check(row: Row, world: HasClient, personas: Iterable[str]) -> None:
    """Every persona gets the status the row expects of it."""
    personas = list(personas)
    assert answers(row, world, personas) == {p: row.status_for(p) for p in personas}
