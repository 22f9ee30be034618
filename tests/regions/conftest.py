"""Fixtures for the regions tests: the real idn-area-data files, loaded or copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from cityeval.regions.services import LoadSummary, load_regions
from cityeval.regions.sourcefiles import PROVINCES_FILE, REGIONS_FILE


@pytest.fixture
def real_source() -> Path:
    folder = Path(settings.NODE_MODULES) / "idn-area-data" / "data"
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: run `npm ci` first")
    return folder


@pytest.fixture
def loaded(db: None, real_source: Path) -> LoadSummary:
    return load_regions(source_dir=real_source)


@pytest.fixture
def copied_source(tmp_path: Path, real_source: Path) -> Path:
    """The two CSV files alone, in a folder a test may damage."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in (PROVINCES_FILE, REGIONS_FILE):
        shutil.copyfile(real_source / name, folder / name)
    return folder
