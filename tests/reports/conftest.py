"""The team world (`tests/world.py`) for the reports: Kutai Kartanegara (64.02) is evaluated by
`lead` and `member`; Kota Semarang (33.74) is the other tenant, with its own assessor. The review
itself belongs to another app, so tests put an evaluation into a review state and verify its
items directly (`world.verify`, `world.at`); no item is given to an OPD.
"""

from __future__ import annotations

import pytest

from tests.world import TEAM_PERSONAS, TeamWorld, build_team_world

PERSONAS = [p for p in TEAM_PERSONAS if p != "roads_contributor"]


@pytest.fixture
def team_world(db: None, media: object) -> TeamWorld:
    return build_team_world(opd_items=0)


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world
