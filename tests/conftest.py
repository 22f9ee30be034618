"""Settings every test shares, and the one test world (`tests/world.py`).

`world` builds the world for one test (rolled back with it, like any `db` test). `shared_world`
builds it once per test module inside a transaction that is rolled back when the module ends:
for read-mostly modules such as the URL matrix, whose tests must undo what they change
themselves (e.g. requests inside `transaction.atomic()` with `set_rollback`, see tests/matrix.py).
`team_world` builds the lighter team world (one open cycle), which the apps of one workflow step
offer as their own `world` (their conftest may pass it options by overriding `team_world`);
`last_year`, `ranked` and `finalised` add the steps several of those apps share.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation
from pytest_django import DjangoDbBlocker

from cityeval.evaluations.models import Evaluation
from tests.world import (
    Finalised,
    Ranked,
    TeamWorld,
    World,
    build_team_world,
    build_world,
    finalise_team,
    publish_last_year,
    rank_six,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Argon2 is slow on purpose (~0.4 s a hash here); tests create many people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    # A request as a person who reads English activates English for its thread (middleware,
    # API auth); a test that runs next in the same worker must start in the default language.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    # The process-local cache outlives a test's rolled-back database, whose ids the next test
    # reuses: a cached public board or an API rate-limit count must not leak into it.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """A private MEDIA_ROOT for each test, so that the files written are the test's own."""
    root = tmp_path / "media"
    root.mkdir(exist_ok=True)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(db: None, media: Path) -> World:
    """The test world for one test, with evidence files under the test's own folder."""
    return build_world()


@pytest.fixture
def team_world(db: None, media: Path) -> TeamWorld:
    """The team world (one open cycle, people named by role) for one test. App conftests
    offer it as their `world`, with their own step added."""
    return build_team_world()


@pytest.fixture
def last_year(team_world: TeamWorld) -> Evaluation:
    """Kutai Kartanegara's published 2023 evaluation with two recommendations."""
    return publish_last_year(team_world)


@pytest.fixture
def ranked(team_world: TeamWorld) -> Ranked:
    """Six regions finalised in a 2025 cycle (see `tests.world.Ranked`)."""
    return rank_six(team_world)


@pytest.fixture
def finalised(team_world: TeamWorld) -> Finalised:
    """Kutai Kartanegara's 2024 evaluation, verified and finalised."""
    return finalise_team(team_world)


@pytest.fixture(scope="module")
def shared_world(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """The test world built once for the module and rolled back after its last test.

    Mark the module's tests `django_db`: pytest-django creates the test database only when a
    collected test asks for one, and `django_db_setup` alone would leave the real one in place.
    """
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
