"""The dashboards read the national picture of `tests/world.py` (`Picture`) as `world`."""

from __future__ import annotations

import pytest

from tests.world import Picture, build_national_picture


@pytest.fixture
def world(db: None) -> Picture:
    return build_national_picture()
