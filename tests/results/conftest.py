"""The team world (`tests/world.py`) as `world`; `ranked` (tests/conftest.py) finalises six
regions of a 2025 cycle on top of it."""

from __future__ import annotations

import pytest

from tests.world import TeamWorld


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world
