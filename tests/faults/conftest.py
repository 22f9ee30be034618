"""The faults reuse the evaluation world (personas, one open cycle) and a private media folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.evaluations.conftest import world  # noqa: F401 - the fixture, shared


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root
