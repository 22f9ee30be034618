"""The team world (`tests/world.py`) as `world`; `finalised`, `ranked` and `last_year` come from
tests/conftest.py, `add_result` and `publish` from tests/world.py."""

from __future__ import annotations

import pytest

from tests.world import TeamWorld


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world
