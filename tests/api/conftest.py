"""Personas with tokens, and one open cycle, set up through the real services.

Kutai Kartanegara's evaluation is in self-assessment (contributors of Dinkes hold its first ten
items, PUPR the next ten); Kota Semarang's is another tenant's. `in_review` moves Kutai
Kartanegara to the document review with twelve items filled; `published` adds a second cycle
whose Kutai Kartanegara result is published and Semarang's only finalised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.api.models import TokenScope
from cityeval.api.services import create_token
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle, submit_evaluation
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.regions.models import OPD, Region
from cityeval.regions.services import load_regions
from cityeval.reviews.services import start_review

API = "/api/v1"


class ApiClient:
    """A test client that sends one bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body)
        call = getattr(self.client, method)
        return call(API + path, data=data, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.send("put", path, body, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.send("post", path, body, **kw)

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path, headers=self.headers)


@dataclass
class World:
    cycle: Cycle
    evaluation: Evaluation  # Kutai Kartanegara
    other: Evaluation  # Kota Semarang
    health: OPD
    roads: OPD
    people: dict[str, User]

    def api(self, persona: str, scope: TokenScope = TokenScope.READ_WRITE) -> ApiClient:
        if persona == "anonymous":
            return ApiClient(None)
        return ApiClient(token_for(self.people[persona], scope))

    def item(self, opd: OPD | None = None, evaluation: Evaluation | None = None) -> ItemValue:
        items = ItemValue.objects.filter(
            evaluation=evaluation or self.evaluation, indicator__kind="maturity"
        ).select_related("indicator", "evaluation")
        found = (items.filter(opd=opd) if opd else items).order_by("id").first()
        assert found is not None
        return found

    def fresh(self, item: ItemValue) -> ItemValue:
        return ItemValue.objects.select_related("indicator", "evaluation").get(pk=item.pk)


def token_for(user: User, scope: TokenScope = TokenScope.READ_WRITE) -> str:
    _token, plaintext = create_token(user=user, name="test", scope=scope, expires_at=None)
    return plaintext


def person(username: str, *grants: tuple[Role, Region | None, OPD | None]) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.id")
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


@pytest.fixture(autouse=True)
def fresh_rate_counts() -> None:
    # Rate counts live in the cache, keyed by token id; ids repeat across rolled-back tests.
    cache.clear()


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def build_world() -> World:
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
    import_shipped()
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, health)),
        "roads_contributor": person("roads_contributor", (Role.CONTRIBUTOR, kukar, roads)),
        "other_contributor": person("other_contributor", (Role.CONTRIBUTOR, semarang, elsewhere)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
    }
    admin = people["admin"]
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=people["lead"], is_lead=True, user=admin)
    assign_assessor(cycle=cycle, region=kukar, assessor=people["member"], is_lead=False, user=admin)
    assign_assessor(
        cycle=cycle, region=semarang, assessor=people["stranger_assessor"], is_lead=True, user=admin
    )
    evaluation = Evaluation.objects.get(cycle=cycle, region=kukar)
    other = Evaluation.objects.get(cycle=cycle, region=semarang)
    maturity = list(
        ItemValue.objects.filter(evaluation=evaluation, indicator__kind="maturity").order_by("id")
    )
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[:10]]).update(opd=health)
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[10:20]]).update(opd=roads)
    return World(cycle, evaluation, other, health, roads, people)


@pytest.fixture
def world(db: None, media: Path) -> World:
    return build_world()


def move_to_review(world: World) -> None:
    """Fill twelve maturity items with level 3, submit and open the document review."""
    filled = [
        i.pk
        for i in ItemValue.objects.filter(
            evaluation=world.evaluation, indicator__kind="maturity"
        ).order_by("id")
    ][:12]
    # Set-up only: the self-assessment's own tests cover saving values.
    ItemValue.objects.filter(pk__in=filled).update(self_value=Decimal(3), narrative="Berjalan.")
    submit_evaluation(evaluation=world.evaluation, user=world.people["coordinator"])
    start_review(evaluation=world.evaluation, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == EvaluationStatus.DOCUMENT_REVIEW


@pytest.fixture
def in_review(world: World) -> World:
    move_to_review(world)
    return world
