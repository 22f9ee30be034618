"""The team world (`tests/world.py`) in self-assessment, and a cycle of a framework with other
kinds of items."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityeval.evaluations.models import Evaluation, Round
from cityeval.evaluations.services import Deadlines, open_cycle
from cityeval.frameworks.services import import_framework
from tests.world import TeamWorld, build_team_world


@pytest.fixture
def team_world(db: None, media: object) -> TeamWorld:
    return build_team_world(shipped=True)  # with SPBE and G100SC 2018


@pytest.fixture
def world(team_world: TeamWorld) -> TeamWorld:
    return team_world


KINDS_FRAMEWORK = Path(__file__).parents[1] / "frameworks" / "good" / "minimal.yaml"


@pytest.fixture
def kinds(world: TeamWorld, tmp_path: Path) -> Evaluation:
    """Kutai Kartanegara in a cycle of a framework with an entered percentage and a measure."""
    text = KINDS_FRAMEWORK.read_text().replace("code: MINI", "code: KINDS")
    text = text.replace("          source: programs\n          dimension: ENV\n", "")
    path = tmp_path / "kinds.yaml"
    path.write_text(text)
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=import_framework(path=path),
        regions=[world.evaluation.region],
        deadlines=Deadlines(),
        user=world.people["admin"],
    )
    return Evaluation.objects.get(cycle=cycle)
