"""The faults use the team world (`tests/world.py`) as their `world`."""

from __future__ import annotations

import pytest

from tests.world import TeamWorld


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world
